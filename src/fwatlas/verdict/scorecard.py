"""The report's opening: one scorecard line per round, and a status box of the evidence's age.

``scorecard(atlas, as_of=...)`` returns both as typed rows; the report template renders them,
each linking to its section (``anchor`` is the section's HTML id: ``#availability`` …, and
``#sources`` for the status box).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.verdict.engine import NOT_ENOUGH
from fwatlas.verdict.status import MISSING, source_status
from fwatlas.verdict.verdicts import verdicts

if TYPE_CHECKING:
    from fwatlas.store.atlas import Atlas

STATUS_ANCHOR = "sources"


@dataclass(frozen=True)
class ScorecardRow:
    """One round: today's leader (or tie / not enough evidence) beside the 2022 verdict."""

    round: str
    title: str
    leader_today: str | None
    headline: str  # "pytorch (clear)", "tie: pytorch, tensorflow", "not enough evidence"
    confidence: str
    article_2022: str | None
    changed_since_2022: bool | None
    evidence_from: dt.date | None
    evidence_to: dt.date | None
    evidence_age_days: int | None
    stale_facts: int
    anchor: str
    #: why the confidence is what it is, with the method's tie/clear margins
    confidence_rule: str = ""

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        for k in ("evidence_from", "evidence_to"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


@dataclass(frozen=True)
class StatusBoxRow:
    """One source in the status box: how old its newest data is, and whether that is stale."""

    kind: str
    dataset: str | None
    snapshot_id: str | None
    data_date: dt.date | None
    age_days: int | None
    state: str
    reference: bool
    refresh: str
    anchor: str = STATUS_ANCHOR

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["data_date"] = self.data_date.isoformat() if self.data_date else None
        return d


@dataclass(frozen=True)
class Scorecard:
    as_of: dt.date
    rows: tuple[ScorecardRow, ...]
    status: tuple[StatusBoxRow, ...]
    sources: tuple[dict[str, Any], ...]

    def as_dict(self) -> dict[str, Any]:
        return {"sources": list(self.sources), "as_of": self.as_of.isoformat(),
                "rows": [r.as_dict() for r in self.rows],
                "status": [s.as_dict() for s in self.status]}


def scorecard(atlas: Atlas, *, as_of: dt.date | None = None, method_path: Path | None = None,
              kb: Path | None = None, include_missing: bool = False) -> Scorecard:
    """Scorecard rows (one per round) and status-box rows (one per dataset with evidence;
    with ``include_missing`` also the kinds that have none)."""
    as_of = as_of or dt.date.today()
    report = verdicts(atlas, method_path=method_path, as_of=as_of, kb=kb)
    rows = []
    for r in report.rounds:
        dates = r.evidence_dates
        art = r.article.leader if r.article else None
        leader = r.outcome.leader
        rows.append(ScorecardRow(
            r.round, r.title, leader, r.headline(), r.outcome.confidence, art,
            None if art is None or r.outcome.confidence == NOT_ENOUGH else leader != art,
            min(dates) if dates else None, max(dates) if dates else None,
            r.evidence_age_days(as_of), len({f.name for f in r.facts if f.stale}), r.anchor,
            r.confidence_rule()))
    status = source_status(atlas, as_of=as_of, kb=kb)
    box = tuple(StatusBoxRow(s.kind, s.dataset, s.snapshot_id, s.data_date, s.age_days,
                             s.state, s.reference, s.refresh)
                for s in status.rows if include_missing or s.state != MISSING)
    sources: dict[str, dict[str, Any]] = {str(s["snapshot_id"]): s for s in report.sources}
    for s in status.sources:
        sources.setdefault(str(s["snapshot_id"]), s)
    return Scorecard(as_of, tuple(rows), box, tuple(sources.values()))
