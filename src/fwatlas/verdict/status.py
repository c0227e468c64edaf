"""``fwatlas status``: what every answer rests on – each source's newest evidence and its age.

One row per dataset of every registered source kind (``fwatlas.kinds.KINDS``), the
bundled reference's datasets (the article included) and each knowledge-base file; a kind with no
snapshot at all still gets a row that says so and how to fill it. Ages are judged by ``as_of``
against the per-kind thresholds of ``data/freshness.yaml``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.verdict import freshness as fresh

if TYPE_CHECKING:
    from fwatlas.kb.base import KnowledgeBase
    from fwatlas.store.atlas import Atlas, Selection, Snapshot

#: states a row can be in
FRESH, STALE, MISSING, UNDATED, HISTORICAL = "fresh", "stale", "missing", "undated", "historical"
#: evidence dated after --as-of: it did not exist yet on that day, so it is neither fresh nor stale
AFTER_AS_OF = "dated after --as-of"


@dataclass(frozen=True)
class StatusRow:
    """One dataset's newest snapshot, how old it is, and how to refresh it."""

    kind: str
    dataset: str | None
    snapshot_id: str | None
    data_date: dt.date | None
    age_days: int | None
    rows: int | None
    skipped: int | None
    skipped_items: tuple[str, ...]
    reference: bool
    snapshots: int
    stale_days: int | None
    state: str
    refresh: str
    origin: str | None
    #: why this snapshot is the one read (--snapshot, pin, newest of yours, the reference)
    read_because: str | None = None
    #: the dataset's other complete snapshots, not read: (id, why)
    shadowed: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "dataset": self.dataset, "snapshot_id": self.snapshot_id,
                "data_date": self.data_date.isoformat() if self.data_date else None,
                "age_days": self.age_days, "rows": self.rows, "skipped": self.skipped,
                "skipped_items": list(self.skipped_items), "reference": self.reference,
                "snapshots": self.snapshots, "stale_days": self.stale_days,
                "state": self.state, "refresh": self.refresh, "origin": self.origin,
                "read_because": self.read_because,
                "shadowed": [{"snapshot_id": i, "why": w} for i, w in self.shadowed]}


@dataclass(frozen=True)
class StatusResult:
    as_of: dt.date
    rows: tuple[StatusRow, ...]
    sources: tuple[dict[str, Any], ...]

    @property
    def stale(self) -> list[StatusRow]:
        return [r for r in self.rows if r.state == STALE]

    def as_dict(self) -> dict[str, Any]:
        return {"sources": list(self.sources), "as_of": self.as_of.isoformat(),
                "stale": [f"{r.kind}:{r.dataset}" for r in self.stale],
                "rows": [r.as_dict() for r in self.rows]}


def _state(kind: str, day: dt.date | None, as_of: dt.date) -> str:
    if day is not None and day > as_of:
        return AFTER_AS_OF
    if fresh.freshness(kind).stale_days is None:
        return HISTORICAL
    stale = fresh.is_stale(kind, day, as_of)
    return UNDATED if stale is None else (STALE if stale else FRESH)


def _row(kind: str, sel: Selection, count: int, as_of: dt.date) -> StatusRow:
    f = fresh.freshness(kind)
    newest = sel.read
    return StatusRow(kind, newest.dataset, newest.id, newest.data_date,
                     fresh.age_days(newest.data_date, as_of), newest.rows, newest.skipped,
                     newest.skipped_items, newest.is_reference, count, f.stale_days,
                     _state(kind, newest.data_date, as_of), f.refresh, newest.origin,
                     sel.why(), tuple((s.id, sel.why_shadowed(s)) for s in sel.shadowed))


def _kb_rows(kb: KnowledgeBase, as_of: dt.date) -> list[StatusRow]:
    f = fresh.freshness("kb")
    out = []
    for src in kb.sources():
        sid = str(src["snapshot_id"])
        day = fresh.parse_day(src.get("data_date"))
        n = sum(1 for name in kb.entries if kb.source_of(name) == sid)
        stale_entries = tuple(f"{name}: checked {kb.entries[name].checked_on}"
                              for name in kb.stale(as_of) if kb.source_of(name) == sid)
        out.append(StatusRow("kb", "kb", sid, day, fresh.age_days(day, as_of), n, 0,
                             stale_entries, sid == kb.snapshot_id, 1, f.stale_days,
                             _state("kb", day, as_of), f.refresh, str(src.get("origin"))))
    return out


def source_status(atlas: Atlas, *, as_of: dt.date | None = None, kb: Path | None = None
                  ) -> StatusResult:
    """The newest evidence of every dataset of every source kind, and of the knowledge base."""
    from fwatlas.kb.loader import load_kb
    from fwatlas.kinds import KINDS

    as_of = as_of or dt.date.today()
    snaps = atlas.snapshots()
    kinds = list(KINDS) + sorted({s.kind for s in snaps} - set(KINDS))
    rows: list[StatusRow] = []
    for kind in kinds:
        by_dataset: dict[str, list[Snapshot]] = {}
        for s in snaps:
            if s.kind == kind:
                by_dataset.setdefault(s.dataset, []).append(s)
        if not by_dataset:
            f = fresh.freshness(kind)
            rows.append(StatusRow(kind, None, None, None, None, None, None, (), False, 0,
                                  f.stale_days, MISSING, f.refresh, None))
            continue
        for dataset in sorted(by_dataset):
            sel = atlas.selection(dataset)
            if sel is not None:
                rows.append(_row(kind, sel, len(by_dataset[dataset]), as_of))
    knowledge = load_kb(kb)
    rows += _kb_rows(knowledge, as_of)
    sources = [s.source() for s in snaps
               if any(r.snapshot_id == s.id for r in rows)] + knowledge.sources()
    return StatusResult(as_of, tuple(rows), tuple(sources))
