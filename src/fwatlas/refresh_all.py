"""``fwatlas refresh all``: every source kind with an online fetcher, one after the other.

Each kind runs with its own defaults and limits (the Hub its hub-stats download, the registry its
package set, Stack Exchange its quota …) and its own snapshot; one kind failing does not stop
the others. The outcome per kind is one line: rows stored, new periods (dates or months no
earlier snapshot of the dataset had), items skipped, seconds taken. ``refresh all`` is
"unreachable" (exit 3) only when every kind was.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fwatlas.errors import FwatlasError, SourceUnavailable
from fwatlas.store.atlas import Snapshot

State = Literal["ok", "unreachable", "failed"]

#: where a kind's periods are (table, date column); other kinds count a newer data date
PERIODS: dict[str, tuple[str, str]] = {
    "github": ("github_repos", "observed_on"),
    "jobs": ("job_postings", "period_start"),
    "qa": ("qa_counts", "period_start"),
    "pypi-downloads": ("pypi_downloads", "CAST(observed_at AS DATE)"),
}


@dataclass
class KindOutcome:
    """What refreshing one kind did."""

    kind: str
    state: State
    rows: int = 0
    new_periods: int = 0
    skipped: int = 0
    seconds: float = 0.0
    message: str = ""
    snapshots: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "sources"}

    def line(self) -> str:
        head = f"{self.kind}: "
        if self.state != "ok":
            return head + f"{self.state} – {self.message} ({self.seconds:.1f} s)"
        return head + (f"{self.rows:,} rows, {self.new_periods} new period"
                       f"{'' if self.new_periods == 1 else 's'}, {self.skipped} skipped, "
                       f"{self.seconds:.1f} s"
                       + (f" ({self.message})" if self.message else ""))


def fetchable_kinds() -> list[str]:
    """Every registered kind with an online fetcher that runs on defaults, in registration order."""
    from fwatlas import kinds

    return [k for k, s in kinds.KINDS.items()
            if s.refresh_module is not None and s.in_refresh_all]


def refresh_all(db: Path | str | None = None, kinds: list[str] | None = None
                ) -> list[KindOutcome]:
    """Run every fetcher; never raises for one kind's failure (see ``KindOutcome.state``)."""
    from fwatlas.refreshing import refresh

    out: list[KindOutcome] = []
    for kind in kinds or fetchable_kinds():
        start = time.perf_counter()
        try:
            result = refresh(kind, db=db)
        except SourceUnavailable as exc:
            out.append(KindOutcome(kind, "unreachable", seconds=time.perf_counter() - start,
                                   message=str(exc)))
            continue
        except FwatlasError as exc:
            out.append(KindOutcome(kind, "failed", seconds=time.perf_counter() - start,
                                   message=str(exc)))
            continue
        seconds = time.perf_counter() - start
        created = list(result.created)
        outcome = KindOutcome(
            kind, "ok", rows=sum(s.rows for s in created),
            new_periods=new_periods(db, created), skipped=len(result.skipped_items),
            seconds=seconds, snapshots=[s.id for s in created], notes=list(result.notes),
            sources=[s.source() for s in created + list(result.duplicates)])
        if not created:
            outcome.message = "nothing new" if not result.duplicates else "already stored"
        out.append(outcome)
    return out


def new_periods(db: Path | str | None, created: list[Snapshot]) -> int:
    """Periods in the new snapshots that no earlier snapshot of their dataset holds."""
    if not created:
        return 0
    from fwatlas.store.atlas import open_atlas

    atlas = open_atlas(db)
    try:
        total = 0
        for snap in created:
            earlier = [s for s in atlas.snapshots(include_reference=False)
                       if s.dataset == snap.dataset and s.num is not None
                       and snap.num is not None and s.num < snap.num]
            where = PERIODS.get(snap.kind)
            if where is None or not atlas.has_table(where[0]):
                newest = max((s.data_date for s in earlier if s.data_date), default=None)
                total += int(snap.data_date is not None
                             and (newest is None or snap.data_date > newest))
                continue
            table, column = where
            periods = _periods(atlas, table, column, [snap.num])
            before = _periods(atlas, table, column, [s.num for s in earlier])
            total += len(periods - before)
        return total
    finally:
        atlas.con.close()


def _periods(atlas: Any, table: str, column: str, nums: list[int | None]) -> set[dt.date]:
    ids = [n for n in nums if n is not None]
    if not ids:
        return set()
    marks = ", ".join("?" * len(ids))
    rows = atlas.con.execute(f'SELECT DISTINCT {column} FROM "{table}" '  # noqa: S608
                             f"WHERE snapshot_id IN ({marks})", ids).fetchall()
    return {r[0] for r in rows}


def all_unreachable(outcomes: list[KindOutcome]) -> bool:
    return bool(outcomes) and all(o.state == "unreachable" for o in outcomes)
