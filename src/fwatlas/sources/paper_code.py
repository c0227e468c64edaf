"""Paper → official code repository links, per venue and year (``fwatlas ingest paper-code``).

The living successor of Papers with Code's Trends chart needs, first, which repository holds
each paper's code. Three inputs say so:

- a CSV with columns ``venue,year,title,repo_url`` (``repo_url`` a GitHub URL or ``owner/name``);
  the shared data set's ``code_links.csv`` (``venue_year,title,github_repo``) is read too;
- a Paper Copilot list (``cvpr2024.json``: a JSON array of paper records with a ``github``
  field; the venue and year come from the file name);
- the Papers with Code ``links-between-papers-and-code.json[.gz]`` dump (official links only,
  venue ``pwc``, year from the arXiv id).

Each venue edition becomes one snapshot of dataset ``paper-code/<venue>_<year>`` – a Paper
Copilot list is one edition, so refreshing another edition adds to, never replaces, the others.
Repeated links (the same repository for the same paper or edition) count once; a record without
a usable GitHub repository is a skipped item; a file that is not such a list is rejected whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.errors import InputError
from fwatlas.sources.limits import parse_json
from fwatlas.streams import describe

if TYPE_CHECKING:
    import pyarrow as pa

KIND = "paper-code"
COMPONENT = "paper_code"
TABLE = "paper_code_links"
DATASET_PREFIX = "paper-code"

MIGRATIONS: list[str] = [
    """
    CREATE TABLE paper_code_links (
        snapshot_id BIGINT NOT NULL,
        venue VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        title VARCHAR,
        repo VARCHAR NOT NULL,
        repo_url VARCHAR NOT NULL,
        input_format VARCHAR NOT NULL
    );
    """,
]

#: a Paper Copilot file name: ``cvpr2024.json`` (also ``cvpr_2024.json``)
_COPILOT_NAME = re.compile(r"^([a-z][a-z0-9]*?)[_-]?((?:19|20)\d{2})\.json$", re.I)
_OWNER_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_GITHUB_URL = re.compile(r"^(?:https?://)?(?:www\.)?github\.com/([^/\s?#]+)/([^/\s?#]+)", re.I)


def github_repo(text: Any) -> str | None:
    """``owner/name`` of a GitHub URL or an ``owner/name`` string; None when not usable.

    Case is kept as given (GitHub's archive endpoint accepts any case); the join key is
    :func:`repo_key`.
    """
    if not isinstance(text, str):
        return None
    value = text.strip()
    if not value:
        return None
    m = _GITHUB_URL.match(value)
    if m:
        owner, name = m.group(1), m.group(2).removesuffix(".git")
        candidate = f"{owner}/{name}"
    elif "://" not in value and "github" not in value.lower():
        candidate = value.removesuffix(".git").strip("/")
    else:
        return None
    if not _OWNER_NAME.match(candidate) or candidate.split("/")[1] in (".", ".."):
        return None
    return candidate


def repo_key(repo: str) -> str:
    """The one spelling a repository is joined by (``scan.urls``: ``github.com/owner/name``)."""
    return f"github.com/{repo.lower()}"


@dataclass(frozen=True)
class Link:
    venue: str
    year: int
    title: str | None
    repo: str
    input_format: str

    @property
    def repo_url(self) -> str:
        return f"https://github.com/{self.repo}"


@dataclass
class ReadLinks:
    """Every usable link of one input (deduplicated) and the skipped records."""

    links: list[Link]
    skipped: list[str]
    input_format: str


def _dedup(links: list[Link]) -> list[Link]:
    seen: set[tuple[str, int, str, str]] = set()
    out = []
    for link in links:
        key = (link.venue, link.year, (link.title or "").strip().lower(), link.repo.lower())
        if key not in seen:
            seen.add(key)
            out.append(link)
    return out


def _venue(text: str) -> str:
    return text.strip().lower()


def _read_csv(path: Path) -> ReadLinks:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(describe(exc), path=str(path)) from exc
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _read_csv_rows(path, reader, cut=not text.endswith(("\n", "\r")))
    except csv.Error as exc:  # a field over the csv module's limit, a NUL byte
        raise InputError(f"line {reader.line_num + 1}: {exc}",
                         path=str(path)) from None


def _read_csv_rows(path: Path, reader: csv.DictReader[str], *, cut: bool = False
                   ) -> ReadLinks:
    """The links of a CSV; ``cut``: the file ends mid-row, so a short last row is listed as
    cut (an item-level problem), never read as a link with its fields missing."""
    cols = set(reader.fieldnames or ())
    shared_form = {"venue_year", "github_repo"} <= cols
    if not shared_form and not {"venue", "year", "repo_url"} <= cols:
        raise InputError("not a paper-code list: a CSV needs the columns venue,year,title,"
                         "repo_url (or venue_year,title,github_repo)", path=str(path))
    links: list[Link] = []
    skipped: list[str] = []
    records = list(reader)  # the whole text is in memory already
    rows = 0
    for n, row in enumerate(records, start=2):
        rows += 1
        if cut and n == len(records) + 1 and None in row.values():
            have = sum(v is not None for v in row.values())
            skipped.append(f"line {n}: the last row is cut ({have} of {len(row)} fields; the "
                           "file ends mid-row)")
            continue
        title = (row.get("title") or "").strip() or None
        if shared_form:
            m = re.fullmatch(r"([a-z][a-z0-9]*?)((?:19|20)\d{2})", (row["venue_year"] or "")
                             .strip().lower())
            venue, year_text = (m.group(1), m.group(2)) if m else ("", "")
            raw_repo = row.get("github_repo")
        else:
            venue, year_text, raw_repo = (_venue(row.get("venue") or ""),
                                          (row.get("year") or "").strip(), row.get("repo_url"))
        label = f"line {n} ({title or 'untitled'})"
        if not venue or not re.fullmatch(r"[0-9]{4}", year_text) \
                or not 1900 <= int(year_text) <= 2200:  # ASCII, and within the int32 column
            skipped.append(f"{label}: no venue or year")
            continue
        repo = github_repo(raw_repo)
        if repo is None:
            skipped.append(f"{label}: no usable GitHub repository ({(raw_repo or '')[:80]!r})")
            continue
        links.append(Link(venue, int(year_text), title, repo, "csv"))
    if rows == 0:
        raise InputError("the list holds no papers (empty input)", path=str(path))
    return ReadLinks(_dedup(links), skipped, "csv")


def _read_copilot(path: Path) -> ReadLinks:
    m = _COPILOT_NAME.match(path.name)
    if not m:
        raise InputError("a Paper Copilot list is named <venue><year>.json (e.g. cvpr2024.json)",
                         path=str(path))
    venue, year = m.group(1).lower(), int(m.group(2))
    try:
        data = parse_json(path.read_bytes())
    except (OSError, ValueError) as exc:  # unreadable, not JSON, nested too deeply
        raise InputError(describe(exc), path=str(path)) from exc
    if not isinstance(data, list) or not data:
        raise InputError("not a Paper Copilot list (a non-empty JSON array of paper records)",
                         path=str(path))
    if not all(isinstance(r, dict) for r in data) or not any("github" in r for r in data):
        raise InputError("not a Paper Copilot list (records need a 'github' field)",
                         path=str(path))
    links: list[Link] = []
    skipped: list[str] = []
    for n, record in enumerate(data):
        title = record.get("title") if isinstance(record.get("title"), str) else None
        raw = record.get("github")
        # the field sometimes holds several URLs separated by ';' or ',': the first GitHub one
        candidates = re.split(r"[;,\s]+", raw) if isinstance(raw, str) else []
        repo = next((r for r in map(github_repo, candidates) if r), None)
        if repo is None:
            skipped.append(f"record {n} ({(title or 'untitled')[:80]}): no usable GitHub "
                           "repository")
            continue
        links.append(Link(venue, year, title.strip() if title else None, repo, "paper-copilot"))
    return ReadLinks(_dedup(links), skipped, "paper-copilot")


def _read_pwc(path: Path) -> ReadLinks:
    from fwatlas.sources.pwc import REQUIRED, arxiv_month, iter_json_objects, open_text

    links: list[Link] = []
    skipped: list[str] = []
    total = 0
    try:
        with open_text(path) as f:
            for n, obj in enumerate(iter_json_objects(f)):
                if not isinstance(obj, dict) or (n == 0 and any(k not in obj for k in REQUIRED)):
                    raise InputError("not a links-between-papers-and-code dump", path=str(path))
                total += 1
                if obj.get("is_official") is False:
                    continue  # the chart's question is the paper's own code
                repo = github_repo(obj.get("repo_url"))
                month = arxiv_month(obj.get("paper_arxiv_id"))
                label = f"link {n} ({obj.get('paper_url') or 'no paper'})"
                if repo is None:
                    skipped.append(f"{label}: no usable GitHub repository")
                elif month is None:
                    skipped.append(f"{label}: no arXiv id to date it by")
                else:
                    links.append(Link("pwc", month.year, obj.get("paper_title") or None, repo,
                                      "pwc-links"))
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - unreadable as a whole
        raise InputError(describe(exc), path=str(path)) from exc
    if total == 0:
        raise InputError("the dump holds no links (empty input)", path=str(path))
    return ReadLinks(_dedup(links), skipped, "pwc-links")


def read_links(path: Path) -> ReadLinks:
    """The links of one input, by its format (CSV, Paper Copilot JSON, PwC links dump)."""
    name = path.name.lower()
    if path.is_dir():
        raise InputError("give one file: a CSV, a Paper Copilot <venue><year>.json or the "
                         "links-between-papers-and-code dump", path=str(path))
    if name.endswith(".csv"):
        return _read_csv(path)
    if name.startswith("links-between-papers-and-code"):
        return _read_pwc(path)
    if name.endswith(".json"):
        return _read_copilot(path)
    raise InputError("not a paper-code list (expected .csv, <venue><year>.json or the "
                     "links-between-papers-and-code dump)", path=str(path))


def links_table(links: list[Link]) -> pa.Table:
    import pyarrow as pa  # here: the research analysis reads this module without ingesting

    schema = pa.schema([
        ("venue", pa.string()), ("year", pa.int32()), ("title", pa.string()),
        ("repo", pa.string()), ("repo_url", pa.string()), ("input_format", pa.string()),
    ])
    return pa.table({
        "venue": [x.venue for x in links], "year": pa.array([x.year for x in links], pa.int32()),
        "title": [x.title for x in links], "repo": [x.repo for x in links],
        "repo_url": [x.repo_url for x in links],
        "input_format": [x.input_format for x in links]}, schema=schema)


def editions(links: list[Link]) -> dict[tuple[str, int], list[Link]]:
    out: dict[tuple[str, int], list[Link]] = {}
    for link in links:
        out.setdefault((link.venue, link.year), []).append(link)
    return out


def _digest(links: list[Link]) -> str:
    lines = sorted(f"{x.venue}\0{x.year}\0{x.title or ''}\0{x.repo.lower()}" for x in links)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def ingest(session: Any, path: Path, *, data_date: dt.date | None,
           options: dict[str, Any]) -> None:
    """One snapshot per venue edition in the input (``paper-code/<venue>_<year>``)."""
    read = read_links(path)
    if not read.links:
        first = f" (first: {read.skipped[0]})" if read.skipped else ""
        raise InputError(f"no record names a usable GitHub repository{first}", path=str(path))
    when = data_date or dt.datetime.now(dt.UTC).date()
    source = "--data-date" if data_date else "ingest date (the lists carry no date)"
    for i, ((venue, year), links) in enumerate(sorted(editions(read.links).items())):
        builder = session.new_snapshot(
            kind=KIND, dataset=f"{DATASET_PREFIX}/{venue}_{year}", content_hash=_digest(links),
            data_date=when, data_date_source=source)
        if builder is None:
            continue
        builder.insert(TABLE, links_table(links))
        if i == 0:  # the input's skipped records are listed once, on its first edition
            builder.skipped_items.extend(read.skipped)
        builder.note = f"{read.input_format}: {len(links):,} distinct paper-repository links"


def iter_edition_rows(atlas: Any) -> Iterator[tuple[Any, str, int, str]]:
    """(snapshot, venue, year, repo) of the newest snapshot of every venue edition."""
    if not atlas.has_table(TABLE):
        return
    snaps = [s for s in atlas.newest_per_dataset(DATASET_PREFIX) if not s.is_reference]
    if not snaps:
        return
    by_num = {s.num: s for s in snaps}
    rows = atlas.con.execute(
        f"SELECT snapshot_id, venue, year, repo FROM {TABLE} "  # noqa: S608 - a constant
        "WHERE snapshot_id IN (SELECT unnest(?::BIGINT[]))", [list(by_num)]).fetchall()
    for num, venue, year, repo in rows:
        yield by_num[int(num)], str(venue), int(year), str(repo)
