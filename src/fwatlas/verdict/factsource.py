"""The facts a verdict reads: ``fwatlas.facts.FactBook``, with ``--kb FILE`` honoured.

The registered ``kb`` provider reads the knowledge base of ``$FWATLAS_KB``; a command's
``--kb PATH`` must give the same facts for that file, so the provider is swapped for one bound to
the path – the same ``facts_of`` function, nothing re-implemented.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fwatlas.facts import PROVIDERS, FactBook, Provider

if TYPE_CHECKING:
    from fwatlas.facts import Fact
    from fwatlas.store.atlas import Atlas


@dataclass(frozen=True)
class _KbFileProvider(Provider):
    path: str = ""

    def load(self) -> Callable[[Atlas], list[Fact]]:
        from fwatlas.kb.facts import facts_of
        from fwatlas.kb.loader import load_kb

        path = Path(self.path)
        return lambda atlas: facts_of(load_kb(path))


def fact_book(atlas: Atlas, kb: Path | None = None) -> FactBook:
    """A FactBook over ``atlas``; with ``kb``, ``kb.*`` facts come from that file merged."""
    if kb is None:
        return FactBook(atlas)
    providers: list[Provider] = [
        _KbFileProvider(p.prefix, f"{p.target}?kb={kb}", p.summary, str(kb))
        if p.prefix == "kb" else p for p in PROVIDERS]
    return FactBook(atlas, providers)
