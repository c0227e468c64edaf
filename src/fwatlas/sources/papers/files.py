"""Papers layout 2: a folder of PDF or text files plus ``--metadata FILE`` (CSV, JSON or JSON
Lines with id, title, authors, venue, year); texts are scanned in worker processes
(:mod:`fwatlas.sources.papers_pdf`)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from fwatlas.errors import InputError, opt
from fwatlas.hashing import file_sha256
from fwatlas.sources.limits import parse_json
from fwatlas.sources.papers import (
    EVIDENCE_TEXT,
    TEXT_FRAMEWORKS,
    Edition,
    Paper,
    _authors,
    _load_json,
    _store_edition,
    canonical_venue,
    parse_year,
)
from fwatlas.streams import describe
from fwatlas.textscan import TextMatch

#: marks a metadata record whose row the file cut short (never a real column name)
CUT_ROW = "\0cut"


def _metadata_records(path: Path) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = path.read_text("utf-8-sig")
        except Exception as exc:  # noqa: BLE001
            raise InputError(describe(exc), path=str(path)) from exc
        reader = csv.DictReader(io.StringIO(text))
        try:
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            reader.fieldnames = header
            records: list[dict[str, Any]] = list(reader)
        except csv.Error as exc:
            raise InputError(f"line {reader.line_num + 1}: {describe(exc)}",
                             path=str(path)) from None
        if records and not text.endswith(("\n", "\r")) and None in records[-1].values():
            records[-1] = {**records[-1], CUT_ROW: True}  # listed as a skipped item
    elif suffix in (".json", ".jsonl"):
        data = _load_json(path) if suffix == ".json" else _load_jsonl(path)
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            raise InputError("not a list of paper objects", path=str(path))
        records = [{str(k).lower(): v for k, v in d.items()} for d in data]
        header = sorted({k for d in records for k in d})
    else:
        raise InputError("a metadata file is CSV or JSON", path=str(path))
    if not records:
        raise InputError("empty metadata file", path=str(path))
    for column in ("id", "venue", "year"):
        if column not in header:
            raise InputError(f"required column {column!r} missing (metadata needs id, title, "
                             "authors, venue, year; file name = id)", path=str(path))
    if not any(str(r.get("id") or "").strip() for r in records):
        raise InputError("no paper has an id", path=str(path))
    return records


def _load_jsonl(path: Path) -> list[Any]:
    try:
        with path.open(encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except Exception as exc:  # noqa: BLE001
        raise InputError(describe(exc), path=str(path)) from exc


def _metadata_authors(value: Any) -> list[str] | None:
    if isinstance(value, list):
        return _authors(value)
    if value is None:
        return []
    text = str(value).strip()
    if text.startswith("["):
        try:
            return _authors(parse_json(text))
        except ValueError:  # malformed, or nested too deeply: the record is a skipped item
            return None
    return [a.strip() for a in text.split(";") if a.strip()]


def _ingest_files(session: Any, path: Path, metadata: Path, data_date: dt.date | None,
                  workers: int | None) -> None:
    from fwatlas.sources.papers_pdf import PDF_SUFFIXES, TEXT_SUFFIXES, PaperFile, scan_files

    if not path.is_dir():
        raise InputError(f"with {opt('metadata')}, PATH is a folder of PDF or text files",
                         path=str(path))
    if not metadata.is_file():
        raise InputError("no such metadata file", path=str(metadata))
    records = _metadata_records(metadata)
    files: dict[str, Path] = {}
    for child in sorted(path.iterdir()):
        if child.is_file() and child.suffix.lower() in PDF_SUFFIXES + TEXT_SUFFIXES \
                and child.stem not in files:
            files[child.stem] = child
        elif child.resolve() != metadata.resolve():
            session.ignored.append(child.name)
    editions: dict[tuple[str, int], Edition] = {}
    items: list[tuple[Edition, dict[str, Any], PaperFile]] = []
    loose: list[tuple[str, str]] = []
    used: set[str] = set()
    for n, rec in enumerate(records, start=1):
        pid = str(rec.get("id") or "").strip()
        venue = str(rec.get("venue") or "").strip()
        year = parse_year(rec.get("year"))
        label = f"{metadata.name} row {n}" + (f" ({pid})" if pid else "")
        if rec.get(CUT_ROW):
            loose.append((label, "the last row is cut (the file ends mid-row)"))
            continue
        if not pid:
            loose.append((label, "no paper id"))
            continue
        if not venue or year is None:
            loose.append((label, "no venue" if not venue else "no year"))
            continue
        key = (canonical_venue(venue), year)
        edition = editions.setdefault(key, Edition(key[0], key[1], EVIDENCE_TEXT,
                                                   TEXT_FRAMEWORKS))
        if pid in used:
            edition.skipped.append((label, "duplicate paper id"))
            continue
        used.add(pid)
        if pid not in files:
            edition.skipped.append((label, f"no file {pid}.pdf or {pid}.txt in {path.name}"))
            continue
        items.append((edition, rec, PaperFile(pid, str(files[pid]), year)))
    if not editions:
        raise InputError("no metadata row names a paper with a venue and a year",
                         path=str(metadata))
    for stem in sorted(set(files) - used):
        session.ignored.append(f"{files[stem].name} (not in the metadata)")
    if loose:  # rows that belong to no edition are reported with the first one
        next(iter(editions.values())).skipped.extend(loose)
    scans = {s.paper_id: s for s in scan_files([i[2] for i in items], workers=workers)}
    for edition, rec, pf in items:
        scan = scans[pf.paper_id]
        if scan.error is not None:
            edition.skipped.append((Path(pf.path).name, scan.error))
            continue
        authors = _metadata_authors(rec.get("authors"))
        if authors is None:
            edition.skipped.append((pf.paper_id, "authors cannot be read"))
            continue
        title = rec.get("title")
        edition.papers.append(Paper(pf.paper_id, str(title) if title else None, edition.venue,
                                    edition.year, authors,
                                    TextMatch(scan.terms, scan.frameworks)))
    meta_hash = file_sha256(metadata)
    for edition in editions.values():
        h = hashlib.sha256(f"metadata\0{meta_hash}\n".encode())
        for _, _rec, pf in sorted((i for i in items if i[0] is edition),
                                 key=lambda i: i[2].paper_id):
            h.update(f"{Path(pf.path).name}\0{file_sha256(Path(pf.path))}\n".encode())
        _store_edition(session, edition, chash=h.hexdigest(), origin=str(path),
                       data_date=data_date)
