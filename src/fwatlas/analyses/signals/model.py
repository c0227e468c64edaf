"""The values of adoption signals: metrics, series points, breaks, leads and the result.

Valid values (``Metric``, ``By``, ``WINDOWS``) are declared here once; the CLI, the web and
the error messages take them from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, get_args

from fwatlas import vocabulary as vocab
from fwatlas.kinds import fill_hint, ingest_hint
from fwatlas.sources.signal_rows import signals_config
from fwatlas.store.atlas import Snapshot

Metric = Literal["downloads", "stars", "dependents", "jobs", "questions"]
METRICS: tuple[str, ...] = get_args(Metric)
By = Literal["framework", "package"]
WINDOWS: tuple[str, ...] = ("30d", "365d")
UNITS = {"downloads": "downloads", "stars": "stars", "dependents": "dependent projects",
         "jobs": "job posts", "questions": "questions"}
#: which source kind and table each metric reads, and the command that fills it
FILLED_BY = {
    "downloads": ("pypi-downloads", "pypi_downloads", ingest_hint("pypi-downloads")),
    "stars": ("github", "github_repos", fill_hint("github")),
    "dependents": ("github", "github_repos", ingest_hint("github", "<best-of folder>")),
    "jobs": ("jobs", "job_postings", fill_hint("jobs")),
    "questions": ("qa", "qa_counts", fill_hint("qa")),
}


def frameworks() -> list[str]:
    return list(signals_config()["frameworks"])


def primaries(metric: str) -> dict[str, list[str]]:
    """The documented subjects that make up each framework's series for ``metric``."""
    section = "distributions" if metric == "downloads" else "repositories"
    if metric in ("jobs", "questions"):
        return {fw: [] for fw in frameworks()}
    return {fw: list(v) for fw, v in signals_config()["primary"][section].items()}


@lru_cache(maxsize=1 << 16)  # each series, break and basis pass asks again per observation
def _norm(metric: str, subject: str) -> str:
    return vocab.normalize_distribution(subject) if metric == "downloads" else subject.lower()


@dataclass(frozen=True)
class Observation:
    series: str
    date: dt.date
    subject: str
    framework: str | None
    value: float | None
    snapshot: Snapshot
    upstream: str | None = None
    n_packages: int | None = None
    partial: bool = False
    at: dt.datetime | None = None  # the exact time (several dumps can share a day)
    basis: str | None = None  # which columns supplied the value (dependents), when recorded


@dataclass(frozen=True)
class Point:
    """One row: a framework's (or package's) value in one series at one date."""

    series: str
    date: dt.date
    framework: str
    package: str | None
    value: float | None
    share: float | None
    partial: bool
    snapshot_id: str
    #: counted items behind ``share`` (job posts, questions of the listed frameworks that date);
    #: None where the share is of downloads, stars or dependents
    n: int | None = None
    share_ci95: tuple[float, float] | None = None

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["share_ci95"] = list(self.share_ci95) if self.share_ci95 else None
        return d


#: metrics whose values count items (a post, a question): their shares carry n and an interval,
#: and their sparse monthly series are read as trailing-12-month sums
COUNTED: tuple[str, ...] = ("jobs", "questions")
T12M_MONTHS = 12


@dataclass(frozen=True)
class Break:
    """A change in how a series was measured, seen in the data's own columns: for the whole
    series (``framework`` None), or for one framework's subject (``package``). ``cause``:
    ``upstream``, ``dump size``, ``columns`` (other columns supplied the value) or ``jump``."""

    series: str
    date: dt.date
    what: str
    framework: str | None = None
    package: str | None = None
    cause: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Lead:
    """``leader`` against ``other`` in one series, over the points where both are measured alike.

    ``kind`` ``crossover``: ``date`` is the first date ``leader`` is above ``other`` right after
    a point where it was not (both points in one measuring regime: no break between them).
    ``kind`` ``above throughout``: ahead at every such point; ``date`` is the first of them (the
    crossover, if any, happened before the data starts)."""

    series: str
    leader: str
    other: str
    date: dt.date
    leader_value: float
    other_value: float
    ahead_at_end: bool
    kind: str = "crossover"

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SignalsResult:
    metric: str
    by: str
    unit: str
    date_from: dt.date | None
    date_to: dt.date | None
    window: str
    definitions: dict[str, list[str]]
    coverage: dict[str, dict[str, bool]]
    points: tuple[Point, ...]
    breaks: tuple[Break, ...]
    leads: tuple[Lead, ...]
    snapshots: tuple[Snapshot, ...]
    notes: tuple[str, ...] = field(default=())
    missing: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric, "by": self.by, "unit": self.unit,
            "from": self.date_from, "to": self.date_to,
            "window": self.window if self.metric == "downloads" else None,
            "definitions": self.definitions, "coverage": self.coverage,
            "breaks": [b.as_dict() for b in self.breaks],
            "leads": [x.as_dict() for x in self.leads],
            "notes": list(self.notes), "missing": self.missing,
            "rows": [p.as_dict() for p in self.points],
        }

    def sources(self) -> list[dict[str, Any]]:
        return [s.source() for s in self.snapshots]
