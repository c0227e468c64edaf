"""Papers layout 1: the tracker's paper-list JSON files ``<venue>_<year>.json`` (a file, or a
folder of them). Framework evidence is each paper's ``metadata.words``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fwatlas.errors import InputError, opt
from fwatlas.hashing import content_hash
from fwatlas.sources.papers import (
    EDITION_FILE,
    EVIDENCE_WORDS,
    TEXT_FRAMEWORKS,
    TRACKER_WORD_FRAMEWORKS,
    Edition,
    Paper,
    _authors,
    _load_json,
    _store_edition,
    canonical_venue,
    parse_year,
)
from fwatlas.textscan import frameworks_from_words


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
