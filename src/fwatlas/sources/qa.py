"""Q&A question counts per framework: Stack Overflow yearly counts and Stack Exchange dumps.

Two datasets, so ingesting one never hides the other (DESIGN):

- ``qa/stackoverflow``: the AI Index's yearly counts (``Date`` = year and one
  ``<Framework>_Question_Count`` column per tag, in one combined file or one file per tag). The
  counts carry no date; a ``*_questions_list.csv`` beside them (``Date`` per question) dates the
  snapshot by its newest question, else ``--data-date`` is needed. Framework rows sum the tags
  of one framework (Keras is TensorFlow before Keras 3, DESIGN), so a question tagged both counts
  twice – noted on the snapshot.
- ``qa/dsse``: a Stack Exchange question dump with ``CreationDate`` and ``Tags``
  (``<keras><tensorflow>``), counted per month per framework tag, and per framework as
  *distinct* questions (a question tagged keras and tensorflow counts once).

A framework no question or column names gets no rows (null, not 0).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from fwatlas import vocabulary as vocab
from fwatlas.errors import InputError
from fwatlas.hashing import content_hash
from fwatlas.sources.jobs import framework_of, reported
from fwatlas.sources.signal_rows import (
    all_skipped,
    batches,
    csv_rows,
    parse_timestamp,
    pick_columns,
    to_int,
)
from fwatlas.streams import GuardedReader

STACKOVERFLOW = "qa/stackoverflow"
DSSE = "qa/dsse"
SO_SITE = "stackoverflow.com"
DSSE_SITE = "datascience.stackexchange.com"

MIGRATIONS: list[str] = [
    """
    CREATE TABLE qa_counts (
        snapshot_id BIGINT NOT NULL,
        period_start DATE NOT NULL,
        period VARCHAR NOT NULL,         -- 'year' or 'month'
        site VARCHAR NOT NULL,
        subject_kind VARCHAR NOT NULL,   -- 'term' (a tag) or 'framework'
        subject VARCHAR NOT NULL,
        framework VARCHAR,
        questions BIGINT,
        total_questions BIGINT
    );
    """,
]

SCHEMA = pa.schema([
    ("period_start", pa.date32()),
    ("period", pa.string()),
    ("site", pa.string()),
    ("subject_kind", pa.string()),
    ("subject", pa.string()),
    ("framework", pa.string()),
    ("questions", pa.int64()),
    ("total_questions", pa.int64()),
])

_COUNT_COL = re.compile(r"^(.+)_Question_Count$", re.IGNORECASE)
NOTE_SUM = ("a framework's yearly count sums its tags' counts (a question with two tags of one "
            "framework counts twice); before Keras 3 the keras tag counts as TensorFlow")
DSSE_ALIASES: dict[str, tuple[str, ...]] = {
    "created": ("CreationDate", "creation_date", "created_at"),
    "tags": ("Tags", "tags"),
}


def _is_counts(path: Path) -> bool:
    return path.name.lower().endswith("_questions_count.csv")


def _is_list(path: Path) -> bool:
    return path.name.lower().endswith("_questions_list.csv")


def so_counts(paths: list[Path], skipped: list[str] | None = None
              ) -> dict[tuple[int, str], int | None]:
    """(year, tag) -> count from the count files; the first file naming a tag wins."""
    out: dict[tuple[int, str], int | None] = {}
    seen: set[str] = set()
    for path in paths:
        header, records = csv_rows(path, skipped=skipped)
        if "Date" not in [h.strip() for h in header]:
            raise InputError("required column 'Date' missing (not a Stack Overflow yearly "
                             "count file)", path=str(path))
        tags = {i: m.group(1).lower() for i, h in enumerate(header)
                if (m := _COUNT_COL.match(h.strip()))}
        if not tags:
            raise InputError("no <Tag>_Question_Count column", path=str(path))
        date_i = [h.strip() for h in header].index("Date")
        new = {i: t for i, t in tags.items() if t not in seen}
        for line, rec in enumerate(records, start=2):
            try:
                year = int(str(to_int(rec[date_i])))
                if not 1900 <= year <= 2200:  # a date the store's DATE holds and a year means
                    raise ValueError(f"year {year} out of range (1900-2200)")
                row = {(year, tag): to_int(rec[i]) for i, tag in new.items()}
            except (ValueError, IndexError) as exc:
                if skipped is None:
                    raise InputError(f"line {line}: {exc}", path=str(path)) from exc
                skipped.append(f"{path.name} line {line}: {exc}")  # one record, not the file
                continue
            out.update(row)
        seen |= set(tags.values())
    return out


def newest_listed(paths: list[Path], skipped: list[str] | None = None) -> dt.date | None:
    """The newest question date in ``*_questions_list.csv`` files (their ``Date`` column)."""
    newest: dt.date | None = None
    for path in paths:
        header, records = csv_rows(path, skipped=skipped)
        names = [h.strip() for h in header]
        if "Date" not in names:
            continue
        i = names.index("Date")
        for rec in records:
            try:
                d = dt.date.fromisoformat(rec[i].strip()[:10])
            except (ValueError, IndexError):
                continue
            newest = d if newest is None or d > newest else newest
    return newest


def so_rows(counts: dict[tuple[int, str], int | None]) -> Iterator[dict[str, Any]]:
    sums: dict[tuple[int, str], int] = {}
    named: set[str] = set()
    for (year, tag), n in sorted(counts.items()):
        fw = vocab.term_category(tag, vocab.word_framework(tag), year)
        yield {"period_start": dt.date(year, 1, 1), "period": "year", "site": SO_SITE,
               "subject_kind": "term", "subject": tag, "framework": fw, "questions": n,
               "total_questions": None}
        if fw is not None:
            named.add(fw)
            sums[(year, fw)] = sums.get((year, fw), 0) + (n or 0)
    for year in sorted({y for y, _ in counts}):
        for fw in reported():
            if fw in named and (year, fw) in sums:
                yield {"period_start": dt.date(year, 1, 1), "period": "year", "site": SO_SITE,
                       "subject_kind": "framework", "subject": fw, "framework": fw,
                       "questions": sums[(year, fw)], "total_questions": None}


def dsse_stream(path: Path) -> GuardedReader:
    """Monthly counts per framework tag and distinct questions per framework."""
    skipped: list[str] = []
    header, records = csv_rows(path, skipped=skipped)
    cols = pick_columns(header, DSSE_ALIASES, ("created", "tags"), path,
                        "a Stack Exchange question dump (CreationDate, Tags)")
    ci, ti = header.index(cols["created"]), header.index(cols["tags"])

    def gen() -> Iterator[dict[str, Any]]:
        tag_counts: dict[tuple[dt.date, str], int] = {}
        fw_counts: dict[tuple[dt.date, str], int] = {}
        totals: dict[dt.date, int] = {}
        named: set[str] = set()
        first_keras: dt.date | None = None
        for line, rec in enumerate(records, start=2):
            try:
                created = parse_timestamp(rec[ci]).date()
                tags = [t for t in rec[ti].strip().strip("<>").split("><") if t]
            except (ValueError, IndexError) as exc:
                skipped.append(f"line {line}: {exc}")
                continue
            month = created.replace(day=1)
            totals[month] = totals.get(month, 0) + 1
            fws: set[str] = set()
            for tag in tags:
                fw = framework_of(tag, created)
                if fw is None:
                    continue
                tag_counts[(month, tag)] = tag_counts.get((month, tag), 0) + 1
                fws.add(fw)
            for fw in fws:
                fw_counts[(month, fw)] = fw_counts.get((month, fw), 0) + 1
                named.add(fw)
                if fw == "keras" and (first_keras is None or month < first_keras):
                    first_keras = month
        for (month, tag), n in sorted(tag_counts.items()):
            yield {"period_start": month, "period": "month", "site": DSSE_SITE,
                   "subject_kind": "term", "subject": tag,
                   "framework": framework_of(tag, month), "questions": n,
                   "total_questions": totals[month]}
        if not totals:
            raise InputError(all_skipped("questions", skipped) if skipped else
                             "no questions in the file (empty input)", path=str(path))
        keras_from = vocab.keras3_date().replace(day=1)
        for month in sorted(totals):
            for fw in reported():
                if fw not in named or (fw == "keras" and month < keras_from):
                    continue
                yield {"period_start": month, "period": "month", "site": DSSE_SITE,
                       "subject_kind": "framework", "subject": fw, "framework": fw,
                       "questions": fw_counts.get((month, fw), 0),
                       "total_questions": totals[month]}

    guard = GuardedReader(SCHEMA, batches(gen(), SCHEMA), str(path))
    guard.skipped = skipped
    return guard


def _dir_hash(files: list[Path]) -> str:
    import hashlib

    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.name}\0{content_hash(f)}\n".encode())
    return h.hexdigest()


def ingest(session: Any, path: Path, *, data_date: dt.date | None,
           options: dict[str, Any]) -> None:
    """Stack Overflow yearly counts (a file or folder) or one Stack Exchange question dump."""
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    counts = [f for f in files if _is_counts(f)]
    lists = [f for f in files if _is_list(f)]
    dumps = [f for f in files if f.suffix.lower() == ".csv" and f not in counts + lists]
    # a dump is recognised by its header (CreationDate + Tags)
    dumps = [f for f in dumps if _looks_like_dump(f)] if counts or len(files) > 1 else dumps
    session.ignored.extend(f.name for f in files if f not in counts + lists + dumps)
    if counts:
        cut: list[str] = []  # last rows cut short: item-level problems
        table = so_counts(sorted(counts, key=lambda p: (not p.name.lower().startswith(
            "frameworks"), p.name)), cut)
        builder = session.new_snapshot(
            kind="qa", dataset=STACKOVERFLOW, content_hash=_dir_hash(counts + lists),
            data_date=data_date, data_date_source="--data-date" if data_date else None,
            origin=str(path))
        if builder is not None:
            rows = list(so_rows(table))
            builder.insert("qa_counts", pa.Table.from_pylist(rows, schema=SCHEMA))
            builder.note = NOTE_SUM
            if builder.data_date is None and lists:
                builder.data_date = newest_listed(lists, cut)
                builder.data_date_source = "the data: newest question in " + ", ".join(
                    p.name for p in lists)
            builder.skipped_items.extend(cut)
    for dump in dumps:
        stream = dsse_stream(dump)
        builder = session.new_snapshot(
            kind="qa", dataset=DSSE, content_hash=content_hash(dump), data_date=data_date,
            data_date_source="--data-date" if data_date else None, origin=str(dump))
        if builder is None:
            continue
        builder.insert("qa_counts", stream)
        if builder.data_date is None:
            builder.data_date = _newest_question(dump)
            builder.data_date_source = "the data: newest CreationDate"
    if not counts and not dumps:
        raise InputError("no Stack Overflow *_questions_count.csv and no question dump with "
                         "CreationDate and Tags columns", path=str(path))


def _looks_like_dump(path: Path) -> bool:
    import csv

    try:
        with path.open(newline="", encoding="utf-8") as f:
            header = next(csv.reader(f), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
    names = {h.strip() for h in header}
    return any(a in names for a in DSSE_ALIASES["tags"]) and any(
        a in names for a in DSSE_ALIASES["created"])


def _newest_question(path: Path) -> dt.date | None:
    header, records = csv_rows(path, skipped=[])  # the cut row is listed by dsse_stream
    cols = pick_columns(header, DSSE_ALIASES, ("created", "tags"), path, "a question dump")
    i = header.index(cols["created"])
    newest: dt.date | None = None
    for rec in records:
        try:
            d = parse_timestamp(rec[i]).date()
        except (ValueError, IndexError):
            continue
        newest = d if newest is None or d > newest else newest
    return newest
