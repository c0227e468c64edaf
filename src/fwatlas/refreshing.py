"""The front door for fetching evidence online: ``fwatlas refresh KIND`` as a library call.

Each source kind with a fetcher names its module (``refresh_module`` in
``fwatlas.kinds``); this module declares, once, which options each fetcher takes
(:data:`REFRESH_OPTIONS`) and what each option is (:data:`OPTIONS`: type, flag, help,
default), and :func:`refresh` runs one kind's fetcher with them. A fetcher only gathers
(``gather`` in its module, returning a ``fwatlas.sources.live_ingest.Fetched``); the store is
written here (:func:`land`), so sources never import it. The CLI builds one ``refresh KIND``
command per kind from these declarations and only maps its options here.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.errors import InputError

if TYPE_CHECKING:
    from fwatlas.sources.live_ingest import Fetched, Part
    from fwatlas.store.session import IngestResult


@dataclass(frozen=True)
class RefreshOption:
    """One fetcher option: its Python type (for the command line), flag, help and default."""

    name: str
    type: Any
    flag: str
    help: str
    default: Any = None
    #: ``"module:function"`` giving the value when the option is not given (read when the
    #: fetcher runs, from the layer that owns it – e.g. the bundled releases of the coverage
    #: analysis – so the fetcher itself need not import it)
    default_from: str | None = None


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
                  "bundled releases).", default_from="fwatlas.analyses.coverage:bundled_versions"),
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


def refresh(kind: str, *, db: Path | str | None = None, progress: bool = True,
            **options: Any) -> IngestResult:
    """Fetch current evidence of ``kind`` from its public service, then ingest it.

    Options left at their defaults (None, False, an empty list) are not passed on, so each
    fetcher applies its own default; an option the kind does not take is refused (exit 2).
    The fetcher only gathers (``gather`` in its module, returning a ``Fetched``); what it
    gathered lands here, through the same session as ``fwatlas ingest``.
    """
    from fwatlas import kinds

    allowed = {o.name for o in options_of(kind)}  # an unknown kind is refused first
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise InputError(f"refresh {kind} takes no option {', '.join(unknown)}")
    source = kinds.get(kind)
    assert source.refresh_module is not None
    module = importlib.import_module(source.refresh_module)
    given = {k: v for k, v in options.items() if v is not None and v is not False and v != []}
    limit = given.pop("limit", None)
    for option in options_of(kind):
        if option.default_from is not None and option.name not in given:
            given[option.name] = kinds.resolve(option.default_from)()
    if kind in WRITES_ITSELF:
        result: IngestResult = module.refresh(db=db, limit=limit, progress=progress, **given)
        return result
    fetched: Fetched = module.gather(limit=limit, progress=progress,
                                     stored_months=partial(stored_months, db), **given)
    return land(kind, fetched, db)


#: kinds whose fetcher writes the store itself: ``refresh repos`` scans each batch of
#: archives as it downloads them and stores it at once, so an interrupted refresh resumes
#: where it stopped (its module's ``refresh`` holds the writer)
WRITES_ITSELF = frozenset({"repos"})


def land(kind: str, fetched: Fetched, db: Path | str | None) -> IngestResult:
    """Store what a fetcher gathered: its file through the kind's reader, or its parts as
    snapshots (one transaction either way), the fetcher's notes after the ingest's own."""
    from fwatlas.store.session import IngestResult

    if fetched.parts:
        return _ingest_parts(kind, list(fetched.parts), db, fetched.notes)
    if fetched.path is None:  # nothing new: no snapshot is written
        return IngestResult((), (), (), fetched.notes)
    from fwatlas.ingestion import ingest

    result = ingest(kind, fetched.path, db=db)
    return replace(result, notes=(*result.notes, *fetched.notes)) if fetched.notes else result


def stored_months(db: Path | str | None, dataset: str, table: str, *,
                  where: str = "", params: tuple[Any, ...] = ()) -> set[dt.date]:
    """Months of ``dataset`` in the store that were complete when fetched (their month had
    ended by the snapshot's data date); a month fetched while still running is fetched again."""
    from fwatlas import settings
    from fwatlas.sources.live_ingest import month_end

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


def _ingest_parts(kind: str, parts: list[Part], db: Path | str | None,
                  notes: tuple[str, ...] = ()) -> IngestResult:
    """Write every part as one snapshot, all in one transaction (whole or not at all)."""
    import pyarrow as pa

    from fwatlas import kinds
    from fwatlas.ingestion import write_session
    from fwatlas.sources.live_ingest import rows_hash
    from fwatlas.store.session import IngestResult

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

    result = write_session(db, parts[0].origin, work, kinds.get(kind).component)
    return IngestResult(result.created, result.duplicates, result.ignored,
                        (*result.notes, *notes))
