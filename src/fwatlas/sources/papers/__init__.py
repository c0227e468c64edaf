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

Each layout is its own module (``lists``, ``files``, ``published``); this one holds the tables,
what the layouts share (the paper and edition types, how an edition is stored) and the entry
point that picks the layout.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.errors import InputError, opt
from fwatlas.streams import describe
from fwatlas.textscan import TextMatch

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




























# --- entry point ---------------------------------------------------------------------------------


def ingest(session: Any, path: Path, *, data_date: dt.date | None,
           options: dict[str, Any]) -> None:
    """Ingest paper lists, a folder of papers (with ``metadata``) or the published counts."""
    from fwatlas.sources.papers.files import _ingest_files
    from fwatlas.sources.papers.lists import _ingest_directory, _ingest_lists
    from fwatlas.sources.papers.published import _ingest_published

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
