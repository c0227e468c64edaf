"""PyPI download counts: top-pypi-packages dumps and the long CSV series built from them.

Two layouts, one table (``pypi_downloads``):

- a dump (``top-pypi-packages*.json``): ``last_update``, ``rows[{project, download_count}]``
  and, since the move to ClickHouse, ``source``; one dump is one point in time (dataset
  ``pypi-downloads/top-30d`` or ``…/top-365d`` by the file name's window);
- the long CSV (``last_update, window, project, download_count, rank, n_packages_in_dump,
  source``), every dump of a history in one file (dataset ``pypi-downloads/series``).

Each row keeps the columns that reveal source breaks – the upstream (BigQuery/pypinfo or
ClickHouse), the dump size N and the window – so the analysis can flag them from the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from fwatlas.errors import InputError
from fwatlas.hashing import content_hash
from fwatlas.sources.limits import load_json
from fwatlas.sources.signal_rows import (
    batches,
    csv_rows,
    nonempty,
    parse_timestamp,
    pick_columns,
    to_int,
)
from fwatlas.streams import GuardedReader, describe

SERIES_DATASET = "pypi-downloads/series"
WINDOWS = ("30d", "365d")
#: the upstream a dump without a ``source`` key came from (hugovk/top-pypi-packages README)
DEFAULT_UPSTREAM = "BigQuery"

MIGRATIONS: list[str] = [
    """
    CREATE TABLE pypi_downloads (
        snapshot_id BIGINT NOT NULL,
        observed_at TIMESTAMP NOT NULL,
        "window" VARCHAR NOT NULL,
        project VARCHAR NOT NULL,
        download_count BIGINT,
        rank INTEGER,
        n_packages INTEGER,
        upstream VARCHAR NOT NULL,
        date_from_commit BOOLEAN NOT NULL
    );
    """,
]

SCHEMA = pa.schema([
    ("observed_at", pa.timestamp("us")),
    ("window", pa.string()),
    ("project", pa.string()),
    ("download_count", pa.int64()),
    ("rank", pa.int32()),
    ("n_packages", pa.int32()),
    ("upstream", pa.string()),
    ("date_from_commit", pa.bool_()),
])

ALIASES: dict[str, tuple[str, ...]] = {
    "last_update": ("last_update",),
    "window": ("window",),
    "project": ("project",),
    "download_count": ("download_count",),
    "rank": ("rank",),
    "n_packages": ("n_packages_in_dump", "n_packages"),
    "source": ("source",),
}
REQUIRED = ("last_update", "window", "project", "download_count")


def dump_window(path: Path) -> str:
    """The counting window a dump covers, from its file name (the dump itself does not say)."""
    name = path.name.lower()
    return "365d" if "365-day" in name or "365d" in name else "30d"


def read_dump(path: Path) -> tuple[dt.datetime, str, list[Any]]:
    """Parse a dump whole (it is one small JSON object); reject it when it is not one."""
    try:
        doc = load_json(path)
    except ValueError as exc:
        raise InputError(str(exc), path=str(path)) from None
    if not isinstance(doc, dict) or "rows" not in doc or "last_update" not in doc:
        raise InputError("not a top-pypi-packages dump (needs last_update and rows)",
                         path=str(path))
    rows = doc["rows"]
    if not isinstance(rows, list) or not rows:
        raise InputError("the dump holds no rows (empty input)", path=str(path))
    try:
        stamp = parse_timestamp(str(doc["last_update"]))
    except ValueError as exc:
        raise InputError(f"last_update: {exc}", path=str(path)) from exc
    return stamp, str(doc.get("source") or DEFAULT_UPSTREAM), rows


def dump_stream(path: Path, stamp: dt.datetime, upstream: str, rows: list[Any]
                ) -> GuardedReader:
    """The dump's rows in file order (rank = position); malformed rows are skipped."""
    window = dump_window(path)
    n = len(rows)
    skipped: list[str] = []

    def gen() -> Iterator[dict[str, Any]]:
        for i, r in enumerate(rows, start=1):
            try:
                project = r["project"]
                count = to_int(r["download_count"])
                if not isinstance(project, str) or not project:
                    raise ValueError("no project name")
            except (KeyError, TypeError, ValueError) as exc:
                skipped.append(f"row {i}: {describe(exc) if str(exc) else 'malformed'}")
                continue
            yield {"observed_at": stamp, "window": window, "project": project,
                   "download_count": count, "rank": i, "n_packages": n, "upstream": upstream,
                   "date_from_commit": False}

    guard = GuardedReader(SCHEMA, batches(gen(), SCHEMA), str(path))
    guard.skipped = skipped
    return guard


def series_stream(path: Path) -> GuardedReader:
    """The long CSV: one row per (dump, project); bad rows are skipped and listed."""
    skipped: list[str] = []
    header, records = csv_rows(path, skipped=skipped)
    cols = pick_columns(header, ALIASES, REQUIRED, path, "a PyPI downloads series")
    idx = {k: header.index(v) for k, v in cols.items()}

    def get(rec: list[str], key: str) -> str:
        i = idx.get(key)
        return rec[i].strip() if i is not None and i < len(rec) else ""

    def gen() -> Iterator[dict[str, Any]]:
        for line, rec in enumerate(records, start=2):
            if not any(x.strip() for x in rec):
                continue
            try:
                raw = get(rec, "last_update")
                from_commit = raw.startswith("(commit)")
                stamp = parse_timestamp(raw.removeprefix("(commit)"))
                window = get(rec, "window")
                if window not in WINDOWS:
                    raise ValueError(f"unknown window {window!r}")
                project = get(rec, "project")
                if not project:
                    raise ValueError("no project name")
                row = {"observed_at": stamp, "window": window, "project": project,
                       "download_count": to_int(get(rec, "download_count")),
                       "rank": to_int(get(rec, "rank")),
                       "n_packages": to_int(get(rec, "n_packages")),
                       "upstream": get(rec, "source") or DEFAULT_UPSTREAM,
                       "date_from_commit": from_commit}
            except ValueError as exc:
                skipped.append(f"line {line}: {exc}")
                continue
            yield row

    guard = GuardedReader(SCHEMA, batches(nonempty(gen(), path, "rows", skipped), SCHEMA),
                          str(path))
    guard.skipped = skipped
    return guard


def _files(path: Path, session: Any) -> list[Path]:
    if not path.is_dir():
        return [path]
    out = []
    for p in sorted(path.iterdir()):
        if p.suffix.lower() in (".json", ".csv"):
            out.append(p)
        elif p.is_file():
            session.ignored.append(p.name)
    if not out:
        raise InputError("no .json dump or .csv series in the directory", path=str(path))
    return out


def ingest(session: Any, path: Path, *, data_date: dt.date | None,
           options: dict[str, Any]) -> None:
    """One snapshot per file: a dump (its own date) or a series (dated by its newest row)."""
    for file in _files(path, session):
        date: dt.date | None
        date_source: str | None
        if file.suffix.lower() == ".json":
            stamp, upstream, rows = read_dump(file)
            stream = dump_stream(file, stamp, upstream, rows)
            dataset = f"pypi-downloads/top-{dump_window(file)}"
            date, date_source = (data_date, "--data-date") if data_date else (
                stamp.date(), "the data: last_update")
        elif file.suffix.lower() == ".csv":
            stream = series_stream(file)
            dataset = SERIES_DATASET
            date, date_source = (data_date, "--data-date") if data_date else (None, None)
        else:
            raise InputError("expected a top-pypi-packages .json dump or a .csv series",
                             path=str(file))
        builder = session.new_snapshot(kind="pypi-downloads", dataset=dataset,
                                       content_hash=content_hash(file), data_date=date,
                                       data_date_source=date_source, origin=str(file))
        if builder is None:
            continue
        builder.insert("pypi_downloads", stream)
        builder.date_from_data("pypi_downloads", "observed_at", "the data: newest last_update")
