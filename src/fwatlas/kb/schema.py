"""The knowledge base's schema: one pydantic model per entry, validated at every load.

Why a schema and not free YAML: rulesets, the deploy matrix and the report all read statuses
from these files, so a typo (an unknown target, a missing source) must fail loudly at load with
the file, the entry and the field named, not silently change an answer.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fwatlas.vocabulary import Framework

Kind = Literal["serving", "export-bridge", "mobile-edge", "browser", "hub",
               "training-distributed", "high-level-api", "reinforcement-learning",
               "domain-toolkit", "platform"]
Target = Literal["server-rest", "server-grpc", "android", "ios", "microcontroller",
                 "embedded-linux", "browser", "edge-accelerator", "desktop", "cloud"]
Status = Literal["active", "maintenance", "deprecated", "archived", "renamed"]
CheckedVia = Literal["pypi", "npm", "primary-source", "secondary"]

KINDS: tuple[str, ...] = get_args(Kind)
TARGETS: tuple[str, ...] = get_args(Target)
STATUSES: tuple[str, ...] = get_args(Status)
#: The frameworks an entry may name: DESIGN's categories that are frameworks.
FRAMEWORKS: tuple[str, ...] = tuple(
    f.value for f in Framework if f not in (Framework.MULTI, Framework.OTHER, Framework.NONE))

_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def parse_partial_date(value: object) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: sources often state only a month or a year, and
    the knowledge base keeps that precision rather than inventing a day."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not _PARTIAL_DATE.match(text):
        raise ValueError(f"{text!r} is not a date YYYY, YYYY-MM or YYYY-MM-DD")
    return text


def earliest_day(value: str) -> dt.date:
    """The first day a partial date can mean (``2024-09`` → 2024-09-01).

    The stale check uses it, so a month-precise ``checked_on`` is judged by its oldest reading.
    """
    parts = [int(p) for p in value.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


class Source(BaseModel):
    """Where a statement comes from: a URL and the date that source states."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    date: str | None = None
    secondary: bool = Field(False, description="A blog, news site or third-party page rather "
                                               "than the project's own docs, repo or registry.")
    note: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not re.match(r"^https?://\S+$", v):
            raise ValueError(f"{v!r} is not an http(s) URL")
        return v

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, v: object) -> str | None:
        return None if v is None else parse_partial_date(v)


class Entry(BaseModel):
    """One tool: what it is, what it serves, its status today, and how we know."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9.+-]*$")
    title: str | None = None
    kind: Kind
    frameworks: tuple[str, ...] = ()
    #: Steps (entry names) that must come before this tool for a framework it does not take
    #: directly, e.g. ExecuTorch ``{pytorch: [torch-export]}``; the deploy matrix chains them.
    via: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    targets: tuple[Target, ...] = ()
    #: None only where no source says (the entry is then thin and does not count as complete).
    status: Status | None
    status_date: str | None = None
    replaced_by: str | None = None
    in_article: bool = False
    #: Cells ``framework/target`` for which the 2022 article recommended this tool.
    article_cells: tuple[str, ...] = ()
    #: Cells where this tool is the team's first choice while it is active.
    preferred_for: tuple[str, ...] = ()
    pypi: tuple[str, ...] = ()
    npm: tuple[str, ...] = ()
    sources: tuple[Source, ...]
    checked_on: str
    checked_via: CheckedVia
    note: str | None = None

    @field_validator("frameworks")
    @classmethod
    def _frameworks(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for f in v:
            if f not in FRAMEWORKS:
                raise ValueError(f"unknown framework {f!r} (valid: {', '.join(FRAMEWORKS)})")
        return v

    @field_validator("via")
    @classmethod
    def _via(cls, v: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for f in v:
            if f not in FRAMEWORKS:
                raise ValueError(f"unknown framework {f!r} (valid: {', '.join(FRAMEWORKS)})")
        return v

    @field_validator("article_cells", "preferred_for")
    @classmethod
    def _cells(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for cell in v:
            fw, _, target = cell.partition("/")
            if fw not in FRAMEWORKS or target not in TARGETS:
                raise ValueError(f"{cell!r} is not framework/target")
        return v

    @field_validator("sources")
    @classmethod
    def _sources(cls, v: tuple[Source, ...]) -> tuple[Source, ...]:
        if not v:
            raise ValueError("no source: every entry needs at least one URL")
        return v

    @field_validator("status_date", "checked_on", mode="before")
    @classmethod
    def _dates(cls, v: object) -> str | None:
        return None if v is None else parse_partial_date(v)

    # --- derived ---
    @property
    def display(self) -> str:
        return self.title or self.name

    @property
    def complete(self) -> bool:
        """Status, status date and at least one primary (non-secondary) source."""
        return (self.status is not None and self.status_date is not None
                and any(not s.secondary for s in self.sources))

    def is_stale(self, as_of: dt.date) -> bool:
        """``checked_on`` older than 12 months before ``as_of`` (read at its earliest day)."""
        try:
            year_ago = as_of.replace(year=as_of.year - 1)
        except ValueError:  # 29 February
            year_ago = as_of.replace(year=as_of.year - 1, day=28)
        return earliest_day(self.checked_on) < year_ago

    def primary_source(self) -> Source:
        """The most recently dated primary source (else the first primary, else the first)."""
        primary = [s for s in self.sources if not s.secondary] or list(self.sources)
        dated = [s for s in primary if s.date]
        return max(dated, key=lambda s: earliest_day(s.date or "")) if dated else primary[0]

    def row(self, as_of: dt.date) -> dict[str, Any]:
        """The row ``kb list``/``kb show`` print and ``--json`` returns."""
        return {
            "name": self.name, "title": self.display, "kind": self.kind,
            "frameworks": list(self.frameworks), "targets": list(self.targets),
            "status": self.status, "status_date": self.status_date,
            "replaced_by": self.replaced_by, "in_article": self.in_article,
            "stale": self.is_stale(as_of), "checked_on": self.checked_on,
            "checked_via": self.checked_via, "complete": self.complete,
            "pypi": list(self.pypi), "npm": list(self.npm),
            "sources": [s.model_dump() for s in self.sources], "note": self.note,
        }


class KbFile(BaseModel):
    """A knowledge-base file: ``entries:`` a list of entries."""

    model_config = ConfigDict(extra="forbid")

    entries: list[dict[str, object]]


#: Short names for groups of targets, used by ``--target`` everywhere.
TARGET_GROUPS: dict[str, tuple[str, ...]] = {
    "server": ("server-rest", "server-grpc"),
    "mobile": ("android", "ios"),
    "embedded": ("embedded-linux", "microcontroller"),
}


def expand_targets(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Targets with groups expanded, in the contract's order; unknown values raise ValueError."""
    wanted: set[str] = set()
    for v in values:
        if v in TARGET_GROUPS:
            wanted.update(TARGET_GROUPS[v])
        elif v in TARGETS:
            wanted.add(v)
        else:
            raise ValueError(v)
    return tuple(t for t in TARGETS if t in wanted)


def target_option(target: str | None, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A ``--target`` value (a target or a group) expanded; an unknown one is a usage error."""
    if target is None:
        return default
    try:
        return expand_targets([target])
    except ValueError:
        from fwatlas.errors import InputError, opt

        raise InputError(f"{opt('target')} {target!r} is not one of: "
                         f"{', '.join((*TARGETS, *TARGET_GROUPS))}") from None
