"""What the live API fetchers (``refresh github``, ``refresh jobs``, ``refresh qa``) share.

These fetchers do not download a file to ingest: they ask an API many small questions and
compute rows from the answers. The rows land through the same session as ``fwatlas ingest``
(one transaction: a refresh lands whole or not at all), as one snapshot whose content hash is
the rows' own, so an identical answer twice is a no-op. Item-level failures (a repository that
answers 404, an unreadable thread, a month the quota did not reach) travel on the snapshot as
skipped items. Months already stored (and complete when they were stored) are read from the
store first, so a second refresh asks only for what is new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from fwatlas import settings
from fwatlas.errors import InputError, opt
from fwatlas.store.session import IngestResult

#: how a fetched snapshot's data date is described (``fwatlas snapshots``)
FETCHED_ON = "the live API's answer: the day it was fetched (UTC)"


def today() -> dt.date:
    """The UTC date of a fetch (what the live series are dated by)."""
    return dt.datetime.now(dt.UTC).date()


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_end(start: dt.date) -> dt.date:
    return next_month(start) - dt.timedelta(days=1)


def months(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month start from ``first``'s month to ``last``'s, inclusive."""
    out, cur = [], month_start(first)
    while cur <= last:
        out.append(cur)
        cur = next_month(cur)
    return out


def parse_from(text: str | dt.date | None, option: str = "from") -> dt.date | None:
    """``YYYY-MM`` (or a full date) -> that month's first day; bad text is exit 2."""
    if text is None or isinstance(text, dt.date):
        return month_start(text) if isinstance(text, dt.date) else None
    from fwatlas.sources.signal_rows import parse_month

    try:
        return parse_month(str(text))
    except ValueError:
        raise InputError(f"{opt(option)} must be YYYY-MM, not {text!r}") from None


def stored_months(db: Path | str | None, dataset: str, table: str, *,
                  where: str = "", params: tuple[Any, ...] = ()) -> set[dt.date]:
    """Months of ``dataset`` in the store that were complete when fetched (their month had
    ended by the snapshot's data date); a month fetched while still running is fetched again."""
    path = Path(db) if db else settings.default_db_path()
    if not path.exists():
        return set()
    from fwatlas.store.atlas import open_atlas

    atlas = open_atlas(path)
    try:
        if not atlas.has_table(table):
            return set()
        snaps = [s for s in atlas.snapshots(include_reference=False) if s.dataset == dataset
                 and s.num is not None]
        done: set[dt.date] = set()
        for s in snaps:
            rows = atlas.con.execute(
                f'SELECT DISTINCT period_start FROM "{table}" WHERE snapshot_id = ?'  # noqa: S608
                + (f" AND {where}" if where else ""), [s.num, *params]).fetchall()
            for (start,) in rows:
                if s.data_date is not None and month_end(start) < s.data_date:
                    done.add(start)
        return done
    finally:
        atlas.con.close()


def rows_hash(dataset: str, rows: list[dict[str, Any]]) -> str:
    """The content hash of computed rows (the same answer twice is the same snapshot)."""
    h = hashlib.sha256(dataset.encode())
    for r in rows:
        h.update(json.dumps(r, sort_keys=True, default=str).encode())
        h.update(b"\n")
    return h.hexdigest()


@dataclass(frozen=True)
class Part:
    """One snapshot of a refresh: its dataset, rows and date, and the items it skipped."""

    dataset: str
    table: str
    schema: pa.Schema
    rows: list[dict[str, Any]]
    data_date: dt.date
    origin: str
    skipped: list[str] = field(default_factory=list)
    note: str | None = None
    data_date_source: str = FETCHED_ON


def ingest_parts(kind: str, parts: list[Part], db: Path | str | None,
                 notes: tuple[str, ...] = ()) -> IngestResult:
    """Write every part as one snapshot, all in one transaction (whole or not at all)."""
    from fwatlas.sources import base
    from fwatlas.store.atlas import open_writer
    from fwatlas.store.session import run_session

    source = base.get(kind)
    store = Path(db) if db else settings.default_db_path()
    new_store = not store.exists()
    tables = [pa.Table.from_pylist(p.rows, schema=p.schema) for p in parts]

    def work(session: Any) -> None:
        for part, data in zip(parts, tables, strict=True):
            builder = session.new_snapshot(kind=kind, dataset=part.dataset,
                                           content_hash=rows_hash(part.dataset, part.rows),
                                           data_date=part.data_date,
                                           data_date_source=part.data_date_source,
                                           origin=part.origin)
            if builder is None:
                continue
            builder.insert(part.table, data)
            builder.skipped_items.extend(part.skipped)
            builder.note = part.note

    try:
        with open_writer(store) as atlas:  # the kind's tables: inside the ingest's transaction
            result = run_session(atlas, parts[0].origin, work, components=[source.component])
    except BaseException:
        if new_store:
            for leftover in (store, Path(f"{store}.wal")):
                leftover.unlink(missing_ok=True)
        raise
    return IngestResult(result.created, result.duplicates, result.ignored,
                        (*result.notes, *notes))


def nothing_new(notes: tuple[str, ...]) -> IngestResult:
    """The answer of a refresh that found nothing to store (no snapshot is written)."""
    return IngestResult((), (), (), notes)

