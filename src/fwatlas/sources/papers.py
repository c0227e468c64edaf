"""Conference papers: which frameworks each paper mentions, one snapshot per venue edition.

Three layouts reach ``fwatlas ingest papers PATH``:

1. paper-list JSON files ``<venue>_<year>.json`` (the layout of Horace He's tracker); a directory
   ingests every such file and lists what it ignored. Framework evidence comes from each paper's
   ``metadata.words`` (keywords the tracker already found), read with the vocabulary's ``words``
   map. An edition whose words are all empty has no framework evidence: its papers are stored
   (they count for venue sizes and authors) but its framework counts are unknown, not zero.
2. a directory of PDF or text files plus ``--metadata FILE`` (CSV or JSON with id, title,
   authors, venue, year; file name = id): texts are extracted and scanned in worker processes
   (:mod:`fwatlas.sources.papers_pdf`).
3. the tracker's ``published_counts.csv`` (dataset ``papers/published``), only when that file is
   passed itself: published per-venue counts, not papers.

Venues get one canonical lower-case id (``nips`` and ``NeurIPS`` are ``neurips``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.errors import InputError, opt
from fwatlas.hashing import content_hash, file_sha256
from fwatlas.sources.limits import parse_json
from fwatlas.streams import describe
from fwatlas.textscan import TextMatch, frameworks_from_words

if TYPE_CHECKING:  # pyarrow costs ~0.15 s to import; `research` needs only the names here
    import pyarrow as pa

KIND = "papers"
PUBLISHED_DATASET = "papers/published"
EVIDENCE_WORDS = "words"
EVIDENCE_TEXT = "text"
#: The tracker's keyword run looked for PyTorch and TensorFlow words only (PROVENANCE.md), so
#: an edition read from its words cannot show JAX, MXNet or PaddlePaddle.
TRACKER_WORD_FRAMEWORKS = ("pytorch", "tensorflow")
#: Frameworks a full-text scan can show (the vocabulary's text section covers all of them).
TEXT_FRAMEWORKS = ("pytorch", "tensorflow", "jax", "keras", "mxnet", "paddle")
VENUE_ALIASES = {"nips": "neurips"}
EDITION_FILE = re.compile(r"^(?P<venue>[A-Za-z][A-Za-z0-9-]*)_(?P<year>\d{4})\.json$")

MIGRATIONS: list[str] = [
    """
    CREATE TABLE papers (
        snapshot_id BIGINT NOT NULL,
        paper_id VARCHAR NOT NULL,
        title VARCHAR,
        venue VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        authors VARCHAR[] NOT NULL,
        terms VARCHAR[] NOT NULL,
        frameworks VARCHAR[] NOT NULL
    );
    CREATE TABLE paper_editions (
        snapshot_id BIGINT PRIMARY KEY,
        venue VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        evidence VARCHAR,
        shows VARCHAR[] NOT NULL
    );
    CREATE TABLE papers_published (
        snapshot_id BIGINT NOT NULL,
        venue VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        month INTEGER NOT NULL,
        pytorch_only BIGINT NOT NULL,
        tensorflow_only BIGINT NOT NULL,
        papers BIGINT NOT NULL
    );
    """,
]

@cache
def paper_schema() -> pa.Schema:
    """The ``papers`` table's Arrow schema (built on first use: pyarrow loads lazily)."""
    import pyarrow as pa

    return pa.schema([
        ("paper_id", pa.string()),
        ("title", pa.string()),
        ("venue", pa.string()),
        ("year", pa.int32()),
        ("authors", pa.list_(pa.string())),
        ("terms", pa.list_(pa.string())),
        ("frameworks", pa.list_(pa.string())),
    ])


def canonical_venue(name: str) -> str:
    """One lower-case id per venue: ``NeurIPS`` and ``nips`` are both ``neurips``."""
    low = name.strip().lower()
    return VENUE_ALIASES.get(low, low)


def edition_dataset(venue: str, year: int) -> str:
    return f"papers/{canonical_venue(venue)}_{year}"


def parse_year(value: Any) -> int | None:
    """A year given as an integer or a numeric string (both occur in the tracker's files)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        year = value
    elif isinstance(value, str) and re.fullmatch(r"[0-9]{4}", value.strip()):
        # ASCII digits only: str.isdigit() admits '²⁰¹⁹', which int() refuses, and a
        # 5,000-digit string, which int() refuses too (Python's digit limit)
        year = int(value.strip())
    else:
        return None
    return year if 1900 <= year <= 2200 else None


def year_end(year: int) -> dt.date:
    """The data date of an edition known only by its year: the year's last day."""
    return dt.date(year, 12, 31)


@dataclass
class Paper:
    paper_id: str
    title: str | None
    venue: str
    year: int
    authors: list[str]
    match: TextMatch


@dataclass
class Edition:
    """One venue edition being ingested: papers, what its evidence is, and skipped items."""

    venue: str
    year: int
    evidence: str | None
    shows: tuple[str, ...]
    papers: list[Paper] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def dataset(self) -> str:
        return edition_dataset(self.venue, self.year)

    def table(self) -> pa.Table:
        import pyarrow as pa

        return pa.table({
            "paper_id": [p.paper_id for p in self.papers],
            "title": [p.title for p in self.papers],
            "venue": [p.venue for p in self.papers],
            "year": pa.array([p.year for p in self.papers], pa.int32()),
            "authors": pa.array([p.authors for p in self.papers], pa.list_(pa.string())),
            "terms": pa.array([list(p.match.terms) for p in self.papers],
                              pa.list_(pa.string())),
            "frameworks": pa.array([list(p.match.frameworks) for p in self.papers],
                                   pa.list_(pa.string())),
        }, schema=paper_schema())


# --- layout 1: paper-list JSON -------------------------------------------------------------------


def _load_json(path: Path) -> Any:
    try:
        with path.open("rb") as f:
            return json.load(f)
    except Exception as exc:  # noqa: BLE001 - unreadable as a whole
        raise InputError(describe(exc), path=str(path)) from exc


def _authors(value: Any) -> list[str] | None:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        return None
    return [a for a in value if a.strip()]


def read_paper_list(path: Path) -> Edition:
    """Read one ``<venue>_<year>.json`` file; whole-file problems raise :class:`InputError`."""
    m = EDITION_FILE.match(path.name)
    if m is None:
        raise InputError("a paper list must be named <venue>_<year>.json (it names the venue "
                         "edition)", path=str(path))
    venue, year = canonical_venue(m["venue"]), int(m["year"])
    data = _load_json(path)
    if not isinstance(data, list):
        raise InputError(f"not a list of paper objects (the file holds a JSON "
                         f"{type(data).__name__})", path=str(path))
    if not data:
        raise InputError("empty paper list", path=str(path))
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise InputError(f"not a list of paper objects (item {i} is a JSON "
                             f"{type(item).__name__})", path=str(path))
    edition = Edition(venue, year, None, TRACKER_WORD_FRAMEWORKS)
    any_words = False
    found: set[str] = set()
    for i, item in enumerate(data):
        pid = item.get("id")
        label = f"{path.name}#{i}" if pid in (None, "") else f"{path.name}:{pid}"
        if pid in (None, "") or not isinstance(pid, str | int):
            edition.skipped.append((label, "no paper id"))
            continue
        paper_year = parse_year(item.get("year"))
        if paper_year is None:
            why = "no year" if item.get("year") in (None, "") else \
                f"year {item.get('year')!r} is not a year"
            edition.skipped.append((label, why))
            continue
        authors = _authors(item.get("authors"))
        if authors is None:
            edition.skipped.append((label, "authors is not a list of names"))
            continue
        meta = item.get("metadata")
        meta = {} if meta is None else meta
        words = meta.get("words") if isinstance(meta, dict) else None
        if not isinstance(meta, dict) or not (words is None or isinstance(words, list)
                                              and all(isinstance(w, str) for w in words)):
            edition.skipped.append((label, "metadata.words is not a list of words"))
            continue  # a mistyped record is a listed item, never read as "no evidence"
        words = words or []
        any_words = any_words or bool(words)
        match = frameworks_from_words(words, paper_year)
        found.update(match.frameworks)
        title = item.get("name", item.get("title"))
        edition.papers.append(Paper(str(pid), title if isinstance(title, str) else None, venue,
                                    paper_year, authors, match))
    if any_words:
        edition.evidence = EVIDENCE_WORDS
        shows = set(TRACKER_WORD_FRAMEWORKS) | found
        edition.shows = tuple(f for f in TEXT_FRAMEWORKS if f in shows)
    else:
        edition.shows = ()
    return edition


def _store_edition(session: Any, edition: Edition, *, chash: str, origin: str,
                   data_date: dt.date | None) -> None:
    builder = session.new_snapshot(
        kind=KIND, dataset=edition.dataset, content_hash=chash,
        data_date=data_date or year_end(edition.year),
        data_date_source="--data-date" if data_date else
        "the data: the edition's year (its last day; the files carry no month)",
        origin=origin)
    if builder is None:
        return
    for item, reason in edition.skipped:
        builder.skip(item, reason)
    builder.insert("papers", edition.table())
    session.atlas.con.execute(
        "INSERT INTO paper_editions VALUES (?, ?, ?, ?, ?)",
        [builder.num, edition.venue, edition.year, edition.evidence, list(edition.shows)])


def _ingest_lists(session: Any, files: list[Path], data_date: dt.date | None) -> None:
    editions = [(f, read_paper_list(f)) for f in files]  # validate every file before writing
    seen: dict[str, Path] = {}
    for f, e in editions:
        if e.dataset in seen:
            raise InputError(f"two files for the same venue edition {e.dataset} "
                             f"({seen[e.dataset].name} and {f.name})", path=str(f.parent))
        seen[e.dataset] = f
    for f, e in editions:
        _store_edition(session, e, chash=content_hash(f), origin=str(f), data_date=data_date)


def _ingest_directory(session: Any, path: Path, data_date: dt.date | None) -> None:
    files = []
    for child in sorted(path.iterdir()):
        if child.is_file() and EDITION_FILE.match(child.name):
            files.append(child)
        else:
            session.ignored.append(child.name)
    if not files:
        raise InputError("no <venue>_<year>.json paper lists here (for a folder of PDF or text "
                         f"files pass {opt('metadata')} FILE)", path=str(path))
    _ingest_lists(session, files, data_date)


# --- layout 3: the tracker's published counts -----------------------------------------------------


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


# --- layout 2: PDF / text files plus metadata ---------------------------------------------------


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


#: marks a metadata record whose row the file cut short (never a real column name)
CUT_ROW = "\0cut"


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


# --- entry point ---------------------------------------------------------------------------------


def ingest(session: Any, path: Path, *, data_date: dt.date | None,
           options: dict[str, Any]) -> None:
    """Ingest paper lists, a folder of papers (with ``metadata``) or the published counts."""
    metadata = options.get("metadata")
    if metadata is not None:
        _ingest_files(session, path, Path(metadata), data_date, options.get("workers"))
    elif path.is_dir():
        _ingest_directory(session, path, data_date)
    elif path.suffix.lower() == ".csv":
        _ingest_published(session, path, data_date)
    elif path.suffix.lower() == ".json":
        _ingest_lists(session, [path], data_date)
    else:
        raise InputError("expected a folder of <venue>_<year>.json paper lists, one such file, "
                         "the tracker's published_counts.csv, or a folder of PDFs with "
                         f"{opt('metadata')} FILE", path=str(path))
