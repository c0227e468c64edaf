"""Deployment-probe results (``fwatlas probe run`` or ``fwatlas ingest probe FILE``).

One JSON-lines file is one snapshot of dataset ``probe/results``: a row per (path, model,
size) with the record's fields; ``versions`` and ``machine`` are stored as JSON text. The data
date is the newest ``machine.measured_at`` unless ``--data-date`` says otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa

from fwatlas.errors import InputError
from fwatlas.hashing import content_hash
from fwatlas.probe.records import FIELDS, ProbeRecord, read_results

DATASET = "probe/results"

MIGRATIONS: list[str] = [
    """
    CREATE TABLE probe_records (
        snapshot_id BIGINT NOT NULL,
        path VARCHAR NOT NULL,
        model VARCHAR NOT NULL,
        size VARCHAR NOT NULL,
        ok BOOLEAN NOT NULL,
        supported BOOLEAN NOT NULL,
        stage VARCHAR,
        error VARCHAR,
        export_s DOUBLE,
        artifact_bytes BIGINT,
        latency_ms DOUBLE,
        latency_p10_ms DOUBLE,
        latency_p90_ms DOUBLE,
        source_latency_ms DOUBLE,
        max_abs_diff DOUBLE,
        versions VARCHAR NOT NULL,
        machine VARCHAR NOT NULL
    );
    """,
]

SCHEMA = pa.schema([
    ("path", pa.string()), ("model", pa.string()), ("size", pa.string()),
    ("ok", pa.bool_()), ("supported", pa.bool_()), ("stage", pa.string()),
    ("error", pa.string()), ("export_s", pa.float64()), ("artifact_bytes", pa.int64()),
    ("latency_ms", pa.float64()), ("latency_p10_ms", pa.float64()),
    ("latency_p90_ms", pa.float64()), ("source_latency_ms", pa.float64()),
    ("max_abs_diff", pa.float64()), ("versions", pa.string()), ("machine", pa.string()),
])


def to_table(records: list[ProbeRecord]) -> pa.Table:
    cols: dict[str, list[Any]] = {f: [] for f in FIELDS}
    for r in records:
        for f in FIELDS:
            value = getattr(r, f)
            cols[f].append(json.dumps(value, sort_keys=True) if f in ("versions", "machine")
                           else value)
    return pa.table(cols, schema=SCHEMA)


def ingest(session: Any, path: Path, *, data_date: dt.date | None,
           options: dict[str, Any]) -> None:
    """One results file (JSON lines) as one snapshot; bad lines are skipped items."""
    if path.is_dir():
        raise InputError("expected a probe results file (JSON lines), not a folder",
                         path=str(path))
    records, skipped = read_results(path)
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for r in records:
        if r.key in seen:
            skipped.append(f"{'/'.join(r.key)}: a second record of the same path, model, size")
            continue
        seen.add(r.key)
        kept.append(r)
    builder = session.new_snapshot(
        kind="probe", dataset=DATASET, content_hash=content_hash(path), data_date=data_date,
        data_date_source="--data-date" if data_date else None)
    if builder is None:
        return
    builder.insert("probe_records", to_table(kept))
    builder.skipped_items.extend(skipped)
    if builder.data_date is None:
        days = [d for d in (r.measured_on for r in kept) if d is not None]
        if days:
            builder.data_date = max(days)
            builder.data_date_source = "the data: newest machine.measured_at"
