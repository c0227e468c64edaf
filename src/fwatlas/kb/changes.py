"""What changed since the article: every tool it names whose status is no longer active."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fwatlas.kb.base import KnowledgeBase


@dataclass(frozen=True)
class Change:
    name: str
    title: str
    kind: str
    status: str | None
    status_date: str | None
    replaced_by: str | None
    replacement_status: str | None
    source: str
    stale: bool
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def kb_changes(kb: KnowledgeBase, as_of: dt.date) -> list[Change]:
    """Article-named entries whose status is known and not ``active``, oldest change first.

    An entry with an unknown status (null) is left out: "no longer active" is a claim, and the
    knowledge base cannot make it for that tool.
    """
    out = []
    for e in kb.entries.values():
        if not e.in_article or e.status in (None, "active"):
            continue
        succ = kb.effective(e.replaced_by) if e.replaced_by in kb.entries else None
        out.append(Change(e.name, e.display, e.kind, e.status, e.status_date, e.replaced_by,
                          succ.status if succ else None, e.primary_source().url,
                          e.is_stale(as_of), e.note))
    return sorted(out, key=lambda c: (c.status_date or "9999", c.name))
