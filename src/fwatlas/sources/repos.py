"""Scanned code repositories: the ``repo_frameworks`` table, its rows, and ``ingest repos``.

A scan can run for hours over hundreds of thousands of repositories, so its results are
committed in batches into one snapshot (kind ``repos``, dataset ``repos/scan``) that stays
``open`` until the scan ends; an interrupted scan leaves that snapshot open, and the next scan
resumes it – repositories already stored with the same content hash and the same rules are not
read again (the store's side of that: ``fwatlas.scan_store``). Analyses see a scan only once
its snapshot is ``complete``. Scans accumulate: each snapshot holds the repositories that scan
read, and ``trends repos`` combines them all.

``fwatlas ingest repos PATH`` is the one-transaction form: it scans PATH with the local engine
and lands it whole or not at all, like every other source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa

from fwatlas.errors import InputError
from fwatlas.scan.model import RepoResult

KIND = "repos"
DATASET = "repos/scan"
TABLE = "repo_frameworks"
COMPONENT = "repos"  # the schema component of the tables below (sources.base)

MIGRATIONS: list[str] = [
    """
    CREATE TABLE repo_frameworks (
        snapshot_id BIGINT NOT NULL,
        path VARCHAR NOT NULL,
        source_type VARCHAR NOT NULL,
        content_hash VARCHAR NOT NULL,
        scanner VARCHAR NOT NULL,
        primary_framework VARCHAR NOT NULL,
        frameworks VARCHAR NOT NULL,
        keras_backend VARCHAR,
        repo_date DATE,
        date_source VARCHAR NOT NULL,
        url VARCHAR,
        url_source VARCHAR,
        files_scanned INTEGER NOT NULL,
        files_skipped INTEGER NOT NULL,
        skipped_files VARCHAR[] NOT NULL,
        evidence VARCHAR NOT NULL,
        notes VARCHAR[] NOT NULL
    );
    """,
]

SCHEMA = pa.schema([
    ("path", pa.string()), ("source_type", pa.string()), ("content_hash", pa.string()),
    ("scanner", pa.string()), ("primary_framework", pa.string()), ("frameworks", pa.string()),
    ("keras_backend", pa.string()), ("repo_date", pa.date32()), ("date_source", pa.string()),
    ("url", pa.string()), ("url_source", pa.string()), ("files_scanned", pa.int32()),
    ("files_skipped", pa.int32()), ("skipped_files", pa.list_(pa.string())),
    ("evidence", pa.string()), ("notes", pa.list_(pa.string())),
])


def results_table(results: Iterable[RepoResult]) -> pa.Table:
    """The Arrow rows of ``repo_frameworks`` for some results (no Python object per cell later)."""
    cols: dict[str, list[Any]] = {name: [] for name in SCHEMA.names}
    for r in results:
        cols["path"].append(r.path)
        cols["source_type"].append(r.source_type)
        cols["content_hash"].append(r.content_hash)
        cols["scanner"].append(r.scanner)
        cols["primary_framework"].append(r.primary)
        cols["frameworks"].append(json.dumps(r.frameworks))
        cols["keras_backend"].append(r.keras_backend)
        cols["repo_date"].append(r.date)
        cols["date_source"].append(r.date_source)
        cols["url"].append(r.url)
        cols["url_source"].append(r.url_source)
        cols["files_scanned"].append(r.files_scanned)
        cols["files_skipped"].append(r.files_skipped)
        cols["skipped_files"].append(list(r.skipped_files))
        cols["evidence"].append(json.dumps([e.as_dict() for e in r.evidence]))
        cols["notes"].append(list(r.notes))
    return pa.table(cols, schema=SCHEMA)


def stored_row(row: dict[str, Any]) -> dict[str, Any]:
    """A stored ``repo_frameworks`` row in the shape of a scan's JSON row."""
    return {
        "path": row["path"], "content_hash": row["content_hash"],
        "frameworks": json.loads(row["frameworks"]), "primary": row["primary_framework"],
        "keras_backend": row["keras_backend"],
        "date": row["repo_date"].isoformat() if row["repo_date"] else None,
        "date_source": row["date_source"], "url": row["url"], "url_source": row["url_source"],
        "source_type": row["source_type"], "files_scanned": row["files_scanned"],
        "files_skipped": row["files_skipped"], "skipped_files": list(row["skipped_files"]),
        "evidence": json.loads(row["evidence"]), "notes": list(row["notes"]),
    }


def ingest(session: Any, path: Path, *, data_date: dt.date | None,
           options: dict[str, Any]) -> None:
    """``fwatlas ingest repos PATH``: scan PATH (local engine) and store it in one transaction."""
    from fwatlas.scan.run import ScanRequest, collect_tasks, scan_tasks

    tasks, problems = collect_tasks([str(path)], urls=options.get("urls"))
    outcome = scan_tasks(ScanRequest(tasks=tasks, workers=1))
    results = outcome.results
    if not results:  # every listed repository failed: the input as a whole is unusable
        reasons = problems + [(f.path, f.reason) for f in outcome.failed]
        first = f" (first: {reasons[0][0]}: {reasons[0][1]})" if reasons else ""
        raise InputError(f"no repository could be scanned{first}", path=str(path))
    digest = hashlib.sha256("\n".join(
        [outcome.scanner, *sorted(r.content_hash for r in results)]).encode()).hexdigest()
    when = data_date or dt.datetime.now(dt.UTC).date()
    builder = session.new_snapshot(
        kind=KIND, dataset=DATASET, content_hash=digest, data_date=when,
        data_date_source="--data-date" if data_date else "scan date")
    if builder is None:
        return
    if results:
        builder.insert(TABLE, results_table(results))
    for item, reason in problems + [(f.path, f.reason) for f in outcome.failed]:
        builder.skip(item, reason)
    builder.note = f"scanner {outcome.scanner}"
