"""Evidence freshness: per-kind staleness thresholds and refresh commands, and ages by --as-of.

Thresholds live in ``data/freshness.yaml`` (documented there and in docs/verdict.md) so that
"stale" means one thing in ``fwatlas status``, ``fwatlas verdict`` and the report's status box.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from fwatlas.yamlio import load_yaml

FILE = "freshness.yaml"


@dataclass(frozen=True)
class Freshness:
    """How old a kind's evidence may be (None: never judged) and how to refresh it."""

    kind: str
    stale_days: int | None
    refresh: str


@cache
def _config() -> dict[str, Any]:
    text = resources.files("fwatlas").joinpath("data", FILE).read_text("utf-8")
    doc: dict[str, Any] = load_yaml(text)
    return doc


def freshness(kind: str) -> Freshness:
    """The threshold and refresh command of one source kind (the default for unknown kinds)."""
    cfg = _config()
    entry = cfg["kinds"].get(kind)
    if entry is None:
        d = cfg["default"]
        return Freshness(kind, d["stale_days"],
                         _with_fetcher(kind, str(d["refresh"]).replace("<kind>", kind)))
    return Freshness(kind, entry["stale_days"], _with_fetcher(kind, str(entry["refresh"])))


def _with_fetcher(kind: str, refresh: str) -> str:
    """A kind with an online fetcher is refreshed by it: its ``fwatlas refresh`` command comes
    first even where the file names only the offline ingest."""
    from fwatlas import kinds

    source = kinds.KINDS.get(kind)
    hint = source.refresh_hint if source is not None and source.refresh_module else ""
    if not hint or refresh.startswith(hint):
        return refresh
    return f"{hint} (or {refresh})"


def parse_day(value: Any) -> dt.date | None:
    """A date from a date, ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (the earliest day it can be).

    Curated sources keep the precision they were given (``2026-11``); for an age, the earliest
    day is the cautious reading: the evidence is at least that old.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 4:
            return dt.date(int(text), 1, 1)
        if len(text) == 7:
            return dt.date(int(text[:4]), int(text[5:7]), 1)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def age_days(day: dt.date | None, as_of: dt.date) -> int | None:
    return None if day is None else (as_of - day).days


def is_stale(kind: str, day: dt.date | None, as_of: dt.date) -> bool | None:
    """True when older than the kind's threshold; None when undated or never judged."""
    limit = freshness(kind).stale_days
    age = age_days(day, as_of)
    if limit is None or age is None:
        return None
    return age > limit
