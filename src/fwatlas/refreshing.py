"""The front door for fetching evidence online: ``fwatlas refresh KIND`` as a library call.

Each source kind with a fetcher names its module (``refresh_module`` in
``fwatlas.sources.base``); this module declares, once, which options each fetcher takes
(:data:`REFRESH_OPTIONS`) and what each option is (:data:`OPTIONS`: type, flag, help,
default), and :func:`refresh` runs one kind's fetcher with them. The CLI builds one
``refresh KIND`` command per kind from these declarations and only maps its options here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.errors import InputError

if TYPE_CHECKING:
    from fwatlas.store.session import IngestResult


@dataclass(frozen=True)
class RefreshOption:
    """One fetcher option: its Python type (for the command line), flag, help and default."""

    name: str
    type: Any
    flag: str
    help: str
    default: Any = None


#: every option any fetcher takes; one declaration for every kind that takes it
OPTIONS: dict[str, RefreshOption] = {o.name: o for o in (
    RefreshOption("limit", int | None, "--limit",
                  "Stop after this many items (hub: models, paged from list_models; "
                  "registry/github: the first N packages or repositories; jobs/qa: N months, "
                  "newest first; repos: the first N repositories; coverage: the first N "
                  "releases)."),
    RefreshOption("max_age", str | None, "--max-age",
                  "Skip packages fetched more recently than this (e.g. 6h, 2d)."),
    RefreshOption("concurrency", int | None, "--concurrency",
                  "Concurrent requests (default 8)."),
    RefreshOption("venue", str | None, "--venue",
                  "paper-code: the Paper Copilot venue (cvpr, iccv, …); repos: only this "
                  "venue's links."),
    RefreshOption("year", int | None, "--year",
                  "paper-code: the edition's year; repos: only this year's links."),
    RefreshOption("versions", list[str] | None, "--versions",
                  "The transformers releases to count (repeat the option; default: the "
                  "bundled releases)."),
    RefreshOption("repos", Path | None, "--repos",
                  "A file of owner/name lines instead of the configured framework "
                  "repositories."),
    RefreshOption("history", bool, "--history",
                  "Also rebuild the star history from starred_at pages (repositories under "
                  "40,000 stars).", False),
    RefreshOption("date_from", str | None, "--from",
                  "The first month (YYYY-MM) to fetch; default 2015-11."),
    RefreshOption("site", str | None, "--site", "stackoverflow (default) or datascience."),
)}

#: The options of each kind's online fetcher – ``fwatlas refresh KIND --help`` shows exactly
#: these. A new kind with a fetcher adds its line here (a test checks that every kind with a
#: ``refresh_module`` has one).
REFRESH_OPTIONS: dict[str, tuple[str, ...]] = {
    "hub": ("limit",),
    "pypi-downloads": (),
    "github": ("limit", "repos", "history", "concurrency"),
    "jobs": ("limit", "date_from"),
    "qa": ("limit", "date_from", "site"),
    "registry": ("limit", "max_age", "concurrency"),
    "repos": ("limit", "venue", "year", "concurrency"),
    "paper-code": ("venue", "year"),
    "coverage": ("limit", "versions"),
}


def options_of(kind: str) -> list[RefreshOption]:
    """The options ``kind``'s fetcher takes, in the order ``--help`` lists them."""
    if kind not in REFRESH_OPTIONS:
        raise InputError(f"no online fetcher for {kind!r}; kinds with one: "
                         + ", ".join(REFRESH_OPTIONS))
    return [OPTIONS[name] for name in REFRESH_OPTIONS[kind]]


def refresh(kind: str, *, db: Path | str | None = None, **options: Any) -> IngestResult:
    """Fetch current evidence of ``kind`` from its public service, then ingest it.

    Options left at their defaults (None, False, an empty list) are not passed on, so each
    fetcher applies its own default; an option the kind does not take is refused (exit 2).
    """
    from fwatlas.sources import base

    allowed = {o.name for o in options_of(kind)}  # an unknown kind is refused first
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise InputError(f"refresh {kind} takes no option {', '.join(unknown)}")
    source = base.get(kind)
    assert source.refresh_module is not None
    module = importlib.import_module(source.refresh_module)
    given = {k: v for k, v in options.items() if v is not None and v is not False and v != []}
    limit = given.pop("limit", None)
    result: IngestResult = module.refresh(db=db, limit=limit, **given)
    return result
