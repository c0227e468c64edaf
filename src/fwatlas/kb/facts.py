"""``kb.*`` facts: each entry's status as a fact whose source is the knowledge-base file.

The provider reads the knowledge base the user would get (bundled, plus ``$FWATLAS_KB``), so
``fwatlas facts --prefix kb`` lists exactly what rulesets may name.

**Dates.** Every ``kb.status.<entry>`` fact carries a date: the entry's ``status_date`` (when
the status took effect), else its ``checked_on`` (when the status was confirmed – every entry
has one). Curated dates keep the precision their source gives (``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD``); a fact's ``data_date`` is a day, so a month means its first day
(``2026-09`` → 2026-09-01) and a year its first day (``2024`` → 2024-01-01) – the same reading
the stale check uses, so an age is never understated. The precision stays visible: the fact's
JSON row adds ``data_date_precision`` (``day``, ``month``, ``year``), ``data_date_from``
(``status_date`` or ``checked_on``) and ``data_date_as_curated`` (the date as written).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fwatlas.facts import Fact
from fwatlas.kb.schema import earliest_day

if TYPE_CHECKING:
    from fwatlas.kb.base import KnowledgeBase
    from fwatlas.store.atlas import Atlas

PRECISION = {4: "year", 7: "month", 10: "day"}


@dataclass(frozen=True)
class KbStatusFact(Fact):
    """A status fact whose day ``data_date`` was read from a curated date of some precision."""

    date_as_curated: str = ""
    date_from: str = ""  # status_date | checked_on

    @property
    def date_precision(self) -> str:
        return PRECISION.get(len(self.date_as_curated), "day")

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "data_date_precision": self.date_precision,
                "data_date_from": self.date_from,
                "data_date_as_curated": self.date_as_curated}


def fact_date(status_date: str | None, checked_on: str) -> tuple[dt.date, str, str]:
    """(day, the curated date it was read from, which field): see the module's rule."""
    curated, field = (status_date, "status_date") if status_date else (checked_on, "checked_on")
    return earliest_day(curated), curated, field


def facts_of(kb: KnowledgeBase) -> list[Fact]:
    """``kb.status.<entry>`` (status string, or None where unknown) for every entry, dated."""
    sources = {s["snapshot_id"]: s for s in kb.sources()}
    out: list[Fact] = []
    for name, e in sorted(kb.entries.items()):
        src = sources[kb.source_of(name)]
        day, curated, field = fact_date(e.status_date, e.checked_on)
        out.append(KbStatusFact(f"kb.status.{name}", e.status, "status", "curated", (src,),
                                day, curated, field))
    return out


def kb_facts(atlas: Atlas) -> list[Fact]:
    """Fact provider registered under ``kb`` (the store is not read)."""
    from fwatlas.kb.loader import load_kb

    return facts_of(load_kb())
