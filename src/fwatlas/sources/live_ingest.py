"""What the online fetchers share: the value they hand back, and the live APIs' helpers.

A fetcher never touches the store. It gathers evidence and returns a :class:`Fetched`: a file
(or folder) that the kind's reader ingests exactly as ``fwatlas ingest`` would, or, for the live
APIs (``refresh github``, ``refresh jobs``, ``refresh qa``), which ask many small questions and
compute rows from the answers, parts (:class:`Part`) – one snapshot each, whose content hash
is the rows' own, so an identical answer twice is a no-op. ``fwatlas.refreshing`` lands it in one
transaction (a refresh lands whole or not at all). Item-level failures (a repository that
answers 404, an unreadable thread, a month the quota did not reach) travel on a part as skipped
items. Months already stored (and complete when they were stored) are asked of the store
through the ``stored_months`` callable the refresh passes in, so a second refresh asks only for
what is new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from fwatlas.errors import InputError, opt

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


#: ``stored_months(dataset, table, where="", params=())``: the months of ``dataset`` stored
#: complete (their month had ended by the snapshot's data date) – the store's answer, which
#: ``fwatlas.refreshing`` binds to the store being refreshed
StoredMonths = Callable[..., set[dt.date]]


def no_months(dataset: str, table: str, **_: Any) -> set[dt.date]:
    """The answer for a store that holds nothing yet (a fetcher called on its own)."""
    return set()


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


@dataclass(frozen=True)
class Fetched:
    """What a fetcher gathered: a file or folder to ingest as its kind (``path``), or computed
    snapshots (``parts``), or neither (nothing new); and notes for the user."""

    path: Path | None = None
    parts: tuple[Part, ...] = ()
    notes: tuple[str, ...] = ()
