"""``fwatlas verdict``, ``status`` and ``compare`` in the CLI: their place in ``--help`` (their
options, help and JSON come from the command table, their tables from ``cli/render/verdict``)."""

from __future__ import annotations

import typer

from fwatlas.cli.table_commands import add


def register(app: typer.Typer) -> None:
    add(app, "verdict")
    add(app, "status")
    add(app, "compare")
