"""``kb.*`` facts: each entry's status as a fact whose source is the knowledge-base file.

The provider reads the knowledge base the user would get (bundled, plus ``$FWATLAS_KB``), so
``fwatlas facts --prefix kb`` lists exactly what rulesets may name.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from fwatlas.facts import Fact

if TYPE_CHECKING:
    from fwatlas.kb.base import KnowledgeBase
    from fwatlas.store.atlas import Atlas


def facts_of(kb: KnowledgeBase) -> list[Fact]:
    """``kb.status.<entry>`` (status string, or None where unknown) for every entry."""
    sources = {s["snapshot_id"]: s for s in kb.sources()}
    out = []
    for name, e in sorted(kb.entries.items()):
        src = sources[kb.source_of(name)]
        # Fact dates are days; a month- or year-precise status date is not turned into one.
        date: dt.date | None = (dt.date.fromisoformat(e.status_date)
                                if e.status_date and len(e.status_date) == 10 else None)
        out.append(Fact(f"kb.status.{name}", e.status, "status", "curated", (src,), date))
    return out


def kb_facts(atlas: Atlas) -> list[Fact]:
    """Fact provider registered under ``kb`` (the store is not read)."""
    from fwatlas.kb.loader import load_kb

    return facts_of(load_kb())
