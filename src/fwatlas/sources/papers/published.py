"""Papers layout 3: the tracker's ``published_counts.csv`` (dataset ``papers/published``):
published per-venue counts, not papers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fwatlas.errors import InputError
from fwatlas.hashing import content_hash
from fwatlas.sources.papers import (
    KIND,
    PUBLISHED_DATASET,
    canonical_venue,
)
from fwatlas.streams import describe


@dataclass(frozen=True)
class PublishedRow:
    venue: str
    year: int
    month: int
    pytorch_only: int
    tensorflow_only: int
    papers: int


def parse_published_row(fields: list[str]) -> PublishedRow:
    """``venue, MM/YY, pytorch-only, tensorflow-only, total``; raises ValueError if malformed."""
    if len(fields) != 5:
        raise ValueError(f"{len(fields)} fields, expected 5")
    venue, when, pt, tf, total = (f.strip() for f in fields)
    m = re.fullmatch(r"(\d{1,2})/(\d{2})", when)
    if not venue or m is None or not 1 <= int(m[1]) <= 12:
        raise ValueError(f"venue date {when!r} is not MM/YY")
    counts = []
    for name, v in (("pytorch-only", pt), ("tensorflow-only", tf), ("total", total)):
        if not v.isdigit():
            raise ValueError(f"{name} count {v!r} is not a whole number")
        if len(v) > 18:  # beyond the store's BIGINT; found by the fuzzer
            raise ValueError(f"{name} count {v[:24]!r} is out of range")
        counts.append(int(v))
    if counts[0] + counts[1] > counts[2]:
        raise ValueError("framework counts exceed the total")
    return PublishedRow(canonical_venue(venue), 2000 + int(m[2]), int(m[1]), *counts)


def read_published(path: Path) -> tuple[list[PublishedRow], list[tuple[str, str]]]:
    """The published rows and the skipped ones; a file that is not this table raises."""
    try:
        text = path.read_text("utf-8")
    except Exception as exc:  # noqa: BLE001
        raise InputError(describe(exc), path=str(path)) from exc
    try:
        lines = [r for r in csv.reader(io.StringIO(text)) if any(f.strip() for f in r)]
    except csv.Error as exc:
        raise InputError(describe(exc), path=str(path)) from None
    if not lines:
        raise InputError("empty file", path=str(path))
    try:
        parse_published_row(lines[0])
    except ValueError as exc:
        raise InputError(f"not the tracker's published counts (venue, MM/YY, pytorch-only, "
                         f"tensorflow-only, total; no header): first row: {exc}",
                         path=str(path)) from None
    rows: list[PublishedRow] = []
    skipped: list[tuple[str, str]] = []
    seen: set[tuple[str, int]] = set()
    cut = not text.endswith(("\n", "\r"))  # the last row may be cut short
    for n, fields in enumerate(lines, start=1):
        if cut and n == len(lines) and len(fields) < 5:
            skipped.append((f"{path.name} row {n}", f"the last row is cut ({len(fields)} of 5 "
                                                    "fields; the file ends mid-row)"))
            continue
        try:
            row = parse_published_row(fields)
        except ValueError as exc:
            skipped.append((f"{path.name} row {n}", str(exc)))
            continue
        if (row.venue, row.year) in seen:
            skipped.append((f"{path.name} row {n}", f"{row.venue} {row.year} listed twice"))
            continue
        seen.add((row.venue, row.year))
        rows.append(row)
    return rows, skipped


def _ingest_published(session: Any, path: Path, data_date: dt.date | None) -> None:
    rows, skipped = read_published(path)
    latest = max(dt.date(r.year, r.month, 1) for r in rows)
    builder = session.new_snapshot(
        kind=KIND, dataset=PUBLISHED_DATASET, content_hash=content_hash(path),
        data_date=data_date or latest,
        data_date_source="--data-date" if data_date else "the data: the latest venue MM/YY")
    if builder is None:
        return
    builder.basis = "published"
    for item, reason in skipped:
        builder.skip(item, reason)
    import pyarrow as pa

    table = pa.table({
        "venue": [r.venue for r in rows], "year": pa.array([r.year for r in rows], pa.int32()),
        "month": pa.array([r.month for r in rows], pa.int32()),
        "pytorch_only": pa.array([r.pytorch_only for r in rows], pa.int64()),
        "tensorflow_only": pa.array([r.tensorflow_only for r in rows], pa.int64()),
        "papers": pa.array([r.papers for r in rows], pa.int64()),
    })
    builder.insert("papers_published", table)
