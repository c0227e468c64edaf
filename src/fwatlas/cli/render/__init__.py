"""How each read command's result is drawn in the terminal: one renderer per command of the
command table (``fwatlas.commands.table``), by area (``hub.py``, ``kb.py``, …), each declared in
its module's ``RENDERERS`` under the command's name.

A renderer draws the table alone, from the payload alone, so a result read back from the
result cache draws the same (``advise``'s, never cached, also asks the other ruleset); the
footer every table has – the payload's notes, then the sources line – is drawn once, by the
generated command (``fwatlas.cli.table_commands``).
"""

from __future__ import annotations

import functools
import importlib

from fwatlas.cli.render.types import Draw, Json, Render

AREAS = ("hub", "kb", "research", "signals", "verdict", "store", "scan", "probe", "advise")
#: commands whose table names each row's source itself: no sources line under it
SOURCES_IN_TABLE = frozenset({"facts", "snapshots"})


@functools.cache
def renderers() -> dict[str, Render]:
    """Every command's renderer, by the command's name (``trends pwc``)."""
    out: dict[str, Render] = {}
    for area in AREAS:
        declared: dict[str, Render] = importlib.import_module(
            f"fwatlas.cli.render.{area}").RENDERERS
        clash = out.keys() & declared.keys()
        assert not clash, f"drawn twice: {sorted(clash)}"
        out.update(declared)
    return out


def renderer(name: str) -> Render:
    """The renderer of the table's command ``name``."""
    return renderers()[name]


__all__ = ["AREAS", "Draw", "Json", "Render", "SOURCES_IN_TABLE", "renderer", "renderers"]
