"""Job-post counts per framework: Hacker News "Who is hiring?" terms and user-collected counts.

Two layouts, one table (``job_postings``) with term rows and framework rows:

- the HN hiring-trends extract (``month, num_comments, term, count, …``) – dataset
  ``jobs/hn-whoishiring``. Each row is the number of postings naming one term. Terms map to
  frameworks through the vocabulary (``word_framework``) with DESIGN's Keras rule (before Keras 3
  a Keras mention is TensorFlow evidence). A framework's count is the sum of its terms' counts –
  a posting naming two terms of one framework counts twice (noted on the snapshot) – and
  frameworks the data never names (JAX) get no rows at all: null, not 0.
- a documented CSV for counts a user collects from job sites (``date, site, framework,
  postings``) – dataset ``jobs/sites``. An unknown framework value is an item-level problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from fwatlas import vocabulary as vocab
from fwatlas.errors import InputError
from fwatlas.hashing import content_hash
from fwatlas.sources.signal_rows import (
    batches,
    csv_rows,
    nonempty,
    parse_month,
    pick_columns,
    signals_config,
    to_int,
)
from fwatlas.streams import GuardedReader

HN = "jobs/hn-whoishiring"
SITES = "jobs/sites"
HN_SITE = "news.ycombinator.com/whoishiring"

MIGRATIONS: list[str] = [
    """
    CREATE TABLE job_postings (
        snapshot_id BIGINT NOT NULL,
        period_start DATE NOT NULL,
        site VARCHAR NOT NULL,
        subject_kind VARCHAR NOT NULL,   -- 'term' or 'framework'
        subject VARCHAR NOT NULL,
        framework VARCHAR,
        postings BIGINT,
        total_posts BIGINT
    );
    """,
]

SCHEMA = pa.schema([
    ("period_start", pa.date32()),
    ("site", pa.string()),
    ("subject_kind", pa.string()),
    ("subject", pa.string()),
    ("framework", pa.string()),
    ("postings", pa.int64()),
    ("total_posts", pa.int64()),
])

HN_ALIASES: dict[str, tuple[str, ...]] = {
    "month": ("month",), "term": ("term",), "count": ("count",),
    "total": ("num_comments",),
}
SITES_ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date",), "site": ("site",), "framework": ("framework",),
    "postings": ("postings",),
}
NOTE_SUM = ("a framework's count sums its terms' counts (a posting naming two terms of one "
            "framework counts twice); before Keras 3 (vocabulary keras3_date) Keras counts "
            "as TensorFlow")


def framework_of(term: str, when: dt.date) -> str | None:
    """The framework a term names at a date (vocabulary, its dated terms and DESIGN's Keras
    rule), or None."""
    return vocab.term_category(term, vocab.word_framework(term), when)


def reported() -> list[str]:
    return list(signals_config()["frameworks"])


def _layout(header: list[str]) -> str | None:
    names = {h.strip() for h in header}
    if {"month", "term", "count"} <= names:
        return "hn"
    if {"site", "postings"} <= names or {"date", "framework"} <= names:
        return "sites"
    return None


def hn_stream(path: Path, header: list[str], records: Iterator[list[str]]) -> GuardedReader:
    """Term rows as given, then framework rows summed per month (only frameworks named)."""
    cols = pick_columns(header, HN_ALIASES, ("month", "term", "count"), path,
                        "an HN hiring-terms file")
    idx = {k: header.index(v) for k, v in cols.items()}
    skipped: list[str] = []

    def gen() -> Iterator[dict[str, Any]]:
        sums: dict[tuple[dt.date, str], int] = {}
        totals: dict[dt.date, int | None] = {}
        named: set[str] = set()
        for line, rec in enumerate(records, start=2):
            try:
                month = parse_month(rec[idx["month"]])
                term = rec[idx["term"]].strip()
                count = to_int(rec[idx["count"]])
                total = to_int(rec[idx["total"]]) if "total" in idx else None
                if not term:
                    raise ValueError("no term")
            except (ValueError, IndexError) as exc:
                skipped.append(f"line {line}: {exc}")
                continue
            totals[month] = total
            fw = framework_of(term, month)
            yield {"period_start": month, "site": HN_SITE, "subject_kind": "term",
                   "subject": term, "framework": fw, "postings": count, "total_posts": total}
            if fw is not None:
                named.add(fw)
                sums[(month, fw)] = sums.get((month, fw), 0) + (count or 0)
        for month in sorted(totals):
            for fw in reported():
                if fw not in named:
                    continue
                value = sums.get((month, fw))
                if value is None and fw == "keras" and month < vocab.keras3_date():
                    continue  # before Keras 3 the term belongs to TensorFlow: no Keras row
                yield {"period_start": month, "site": HN_SITE, "subject_kind": "framework",
                       "subject": fw, "framework": fw, "postings": value or 0,
                       "total_posts": totals[month]}

    guard = GuardedReader(SCHEMA, batches(nonempty(gen(), path, "rows", skipped), SCHEMA),
                          str(path))
    guard.skipped = skipped
    return guard


def sites_stream(path: Path, header: list[str], records: Iterator[list[str]]) -> GuardedReader:
    """``date, site, framework, postings``: each row is a term row and a framework row."""
    cols = pick_columns(header, SITES_ALIASES, ("date", "site", "framework", "postings"), path,
                        "a job-site counts file (date, site, framework, postings)")
    idx = {k: header.index(v) for k, v in cols.items()}
    skipped: list[str] = []
    known = set(vocab.categories())

    def gen() -> Iterator[dict[str, Any]]:
        for line, rec in enumerate(records, start=2):
            if not any(x.strip() for x in rec):
                continue
            try:
                text = rec[idx["date"]].strip()
                day = dt.date.fromisoformat(text + "-01" if len(text) == 7 else text)
                site = rec[idx["site"]].strip()
                name = rec[idx["framework"]].strip()
                postings = to_int(rec[idx["postings"]])
                if not site:
                    raise ValueError("no site")
                if postings is not None and postings < 0:
                    raise ValueError(f"negative postings {postings}")
            except (ValueError, IndexError) as exc:
                skipped.append(f"line {line}: {exc}")
                continue
            fw = name.lower() if name.lower() in known else framework_of(name.lower(), day)
            if fw is None:
                skipped.append(f"line {line}: unknown framework {name!r}")
                continue
            if fw == "keras":
                fw = vocab.keras_category(day)
            yield {"period_start": day, "site": site, "subject_kind": "term", "subject": name,
                   "framework": fw, "postings": postings, "total_posts": None}
            yield {"period_start": day, "site": site, "subject_kind": "framework",
                   "subject": fw, "framework": fw, "postings": postings, "total_posts": None}

    guard = GuardedReader(SCHEMA, batches(nonempty(gen(), path, "rows", skipped), SCHEMA),
                          str(path))
    guard.skipped = skipped
    return guard


def ingest(session: Any, path: Path, *, data_date: dt.date | None,
           options: dict[str, Any]) -> None:
    """A CSV file (its layout recognised from the header), or a folder of them: each CSV is
    one snapshot, other files are listed as ignored."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
        session.ignored.extend(sorted(p.name for p in path.iterdir()
                                      if p.is_file() and p not in files))
        if not files:
            raise InputError("no CSV file of job-post counts in this folder", path=str(path))
        for file in files:
            _ingest_file(session, file, data_date)
        return
    _ingest_file(session, path, data_date)


def _ingest_file(session: Any, path: Path, data_date: dt.date | None) -> None:
    cut: list[str] = []  # a last row cut short: an item-level problem
    header, records = csv_rows(path, skipped=cut)
    layout = _layout(header)
    if layout is None:
        raise InputError("not a job-post file: expected the HN hiring-terms columns (month, "
                         "term, count, num_comments) or date, site, framework, postings",
                         path=str(path))
    stream = (hn_stream if layout == "hn" else sites_stream)(path, header, records)
    builder = session.new_snapshot(
        kind="jobs", dataset=HN if layout == "hn" else SITES, content_hash=content_hash(path),
        data_date=data_date, data_date_source="--data-date" if data_date else None)
    if builder is None:
        return
    builder.insert("job_postings", stream)
    builder.skipped_items.extend(cut)
    if layout == "hn":
        builder.note = NOTE_SUM
    builder.date_from_data("job_postings", "period_start", "the data: newest month")
