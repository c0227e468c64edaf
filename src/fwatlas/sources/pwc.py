"""Papers with Code: which framework each paper's code repository is written in.

Reads the ``links-between-papers-and-code`` dump (a JSON array of objects, usually gzipped; JSON
Lines is accepted too) as a stream – the real dump holds hundreds of thousands of links, so the
array is decoded object by object into Arrow batches, never loaded whole. Each link gets a date:
from the optional ``papers-with-abstracts`` dump (``--metadata FILE``, or beside the links file
in a folder) when it knows the paper, else from the arXiv id's ``yymm``. Framework values are
read with the vocabulary's ``words`` map (the dump's ``tf`` is TensorFlow); ``none`` and null mean
no framework was detected; any other value is an item-level problem (skipped, listed, counted).

Papers with Code closed in July 2025: no new dump will appear, so the newest data date a user
can have is the final dump's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from fwatlas import vocabulary as vocab
from fwatlas.decompress import open_decompressed
from fwatlas.errors import InputError
from fwatlas.hashing import content_hash
from fwatlas.sources.limits import MAX_ELEMENT_CHARS
from fwatlas.streams import GuardedReader, describe

if TYPE_CHECKING:
    import pyarrow as pa

KIND = "pwc"
DATASET = "pwc/links"
BATCH_ROWS = 50_000
LINKS_NAMES = ("links-between-papers-and-code.json.gz", "links-between-papers-and-code.json")
ABSTRACTS_NAMES = ("papers-with-abstracts.json.gz", "papers-with-abstracts.json")
REQUIRED = ("paper_url", "repo_url", "framework")
#: Values that say "no framework detected" rather than naming one.
NO_FRAMEWORK = ("none", "")
CLOSED = dt.date(2025, 7, 24)

MIGRATIONS: list[str] = [
    """
    CREATE TABLE pwc_links (
        snapshot_id BIGINT NOT NULL,
        paper_url VARCHAR,
        paper_title VARCHAR,
        paper_arxiv_id VARCHAR,
        repo_url VARCHAR NOT NULL,
        is_official BOOLEAN,
        mentioned_in_paper BOOLEAN,
        mentioned_in_github BOOLEAN,
        framework VARCHAR NOT NULL,
        framework_raw VARCHAR,
        paper_date DATE,
        date_source VARCHAR
    );
    """,
]

@cache
def link_schema() -> pa.Schema:
    """The links table's columns (pyarrow is imported here, when an ingest needs it: the
    analyses read this module's names, and the report need not load pyarrow for them)."""
    import pyarrow as pa

    return pa.schema([
        ("paper_url", pa.string()),
        ("paper_title", pa.string()),
        ("paper_arxiv_id", pa.string()),
        ("repo_url", pa.string()),
        ("is_official", pa.bool_()),
        ("mentioned_in_paper", pa.bool_()),
        ("mentioned_in_github", pa.bool_()),
        ("framework", pa.string()),
        ("framework_raw", pa.string()),
        ("paper_date", pa.date32()),
        ("date_source", pa.string()),
    ])


# --- streaming JSON -----------------------------------------------------------------------------


def open_text(path: Path) -> IO[str]:
    """A text stream of a JSON or gzipped JSON file (gzip detected by its magic bytes)."""
    with path.open("rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":  # bounded: a gzip bomb is rejected, not expanded
        return io.TextIOWrapper(open_decompressed(path, "gzip"), encoding="utf-8")
    return path.open(encoding="utf-8")


def iter_json_objects(stream: IO[str], chunk: int = 1 << 20) -> Iterator[Any]:
    """The elements of a top-level JSON array (or the values of JSON Lines), one at a time.

    Raises ``ValueError`` when the array is not closed (a truncated file) or anything but
    whitespace follows it.
    """
    decoder = json.JSONDecoder()
    buf, pos, eof = "", 0, False

    def fill(grow: bool = False) -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        pending = len(buf) - pos
        if grow and pending > MAX_ELEMENT_CHARS:
            raise ValueError(f"one element is longer than {MAX_ELEMENT_CHARS:,} characters")
        # an element that spans reads doubles the read, so decoding it stays linear
        data = stream.read(max(chunk, pending) if grow else chunk)
        if not data:
            eof = True
            return False
        buf, pos = buf[pos:] + data, 0
        return True

    def skip_ws() -> str:
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n":
                pos += 1
            if pos < len(buf):
                return buf[pos]
            if not fill():
                return ""

    first = skip_ws()
    if first == "":
        return
    array = first == "["
    if array:
        pos += 1
    expect_value = True
    while True:
        c = skip_ws()
        if array and c == "]":
            pos += 1
            if skip_ws() != "":
                raise ValueError("text after the closing ] of the array")
            return
        if c == "":
            if array:
                raise ValueError("the JSON array is not closed (truncated file?)")
            return
        if array and not expect_value:
            if c != ",":
                raise ValueError(f"expected , or ] in the array, found {c!r}")
            pos += 1
            expect_value = True
            continue
        while True:
            try:
                value, end = decoder.raw_decode(buf, pos)
                if end == len(buf) and not eof and not isinstance(value, dict | list | str):
                    raise json.JSONDecodeError("value may continue", buf, pos)
                break
            except json.JSONDecodeError:
                if not fill(grow=True):
                    raise
            except RecursionError:
                raise ValueError("an element is nested too deeply") from None
        pos = end
        expect_value = False
        yield value


# --- one link -------------------------------------------------------------------------------------

_NEW_ARXIV = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}(v\d+)?$")
_OLD_ARXIV = re.compile(r"^[a-z-]+(\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}(v\d+)?$")


def arxiv_month(arxiv_id: str | None) -> dt.date | None:
    """The first day of the month an arXiv id was issued in (``yymm``), or None."""
    if not arxiv_id:
        return None
    text = arxiv_id.strip()
    m = _NEW_ARXIV.match(text)
    if m:
        yy, mm = int(m[1]), int(m[2])
        year = 2000 + yy
    else:
        m2 = _OLD_ARXIV.match(text)
        if not m2:
            return None
        yy, mm = int(m2[2]), int(m2[3])
        year = 1900 + yy if yy >= 91 else 2000 + yy
    return dt.date(year, mm, 1) if 1 <= mm <= 12 else None


def framework_category(raw: Any) -> str | None:
    """DESIGN's category for the dump's ``framework`` value; None when it is unknown."""
    if raw is None:
        return "none"
    if not isinstance(raw, str):
        return None
    if raw.strip().lower() in NO_FRAMEWORK:
        return "none"
    return vocab.word_framework(raw)


def _bool(v: Any) -> bool | None:
    return v if isinstance(v, bool) else None


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) and v != "" else None


class LinksDump:
    """The links file: checked up front, then streamed as guarded Arrow batches."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with open_text(path) as f:
                first = next(iter_json_objects(f, chunk=1 << 16), None)
        except Exception as exc:  # noqa: BLE001 - unreadable as a whole
            raise InputError(describe(exc), path=str(path)) from exc
        if first is None:
            raise InputError("the dump holds no links (empty input)", path=str(path))
        if not isinstance(first, dict):
            raise InputError("not a list of link objects", path=str(path))
        missing = [k for k in REQUIRED if k not in first]
        if missing:
            raise InputError(f"required field {missing[0]!r} missing (not a "
                             "links-between-papers-and-code dump)", path=str(path))

    def stream(self) -> GuardedReader:
        guard = GuardedReader(link_schema(), iter(()), str(self.path))
        guard.batches = self._batches(guard.skipped)
        return guard

    def _batches(self, skipped: list[str]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        rows: list[dict[str, Any]] = []
        total = 0
        with open_text(self.path) as f:
            for n, obj in enumerate(iter_json_objects(f)):
                if not isinstance(obj, dict):
                    raise InputError(f"not a list of link objects (item {n} is a JSON "
                                     f"{type(obj).__name__})", path=str(self.path))
                total += 1
                row = _link_row(obj, n, skipped)
                if row is not None:
                    rows.append(row)
                if len(rows) >= BATCH_ROWS:
                    yield pa.RecordBatch.from_pylist(rows, schema=link_schema())
                    rows = []
        if rows:
            yield pa.RecordBatch.from_pylist(rows, schema=link_schema())
        if total == 0:
            raise InputError("the dump holds no links (empty input)", path=str(self.path))


#: the declared type of each field a link may carry (absent or null is always allowed)
FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "paper_url": str, "paper_title": str, "paper_arxiv_id": str, "repo_url": str,
    "is_official": bool, "mentioned_in_paper": bool, "mentioned_in_github": bool,
    "framework": str,
}


def _link_row(obj: dict[str, Any], n: int, skipped: list[str]) -> dict[str, Any] | None:
    repo = _str(obj.get("repo_url"))
    paper = obj.get("paper_url") if isinstance(obj.get("paper_url"), str) else None
    label = f"link {n} ({paper or 'no paper'} -> {repo or 'no repository'})"
    wrong = next((k for k, t in FIELD_TYPES.items()
                  if obj.get(k) is not None and not isinstance(obj[k], t)), None)
    if wrong is not None:  # type checked, never stored as NULL without a word
        skipped.append(f"{label}: {wrong} is a JSON {type(obj[wrong]).__name__}, not a "
                       f"{'boolean' if FIELD_TYPES[wrong] is bool else 'string'}")
        return None
    if repo is None:
        skipped.append(f"{label}: no repo_url")
        return None
    raw = obj.get("framework")
    category = framework_category(raw)
    if category is None:
        skipped.append(f"{label}: unknown framework value {raw!r}")
        return None
    arxiv = _str(obj.get("paper_arxiv_id"))
    month = arxiv_month(arxiv)
    return {
        "paper_url": _str(obj.get("paper_url")), "paper_title": _str(obj.get("paper_title")),
        "paper_arxiv_id": arxiv, "repo_url": repo, "is_official": _bool(obj.get("is_official")),
        "mentioned_in_paper": _bool(obj.get("mentioned_in_paper")),
        "mentioned_in_github": _bool(obj.get("mentioned_in_github")),
        "framework": category, "framework_raw": raw if isinstance(raw, str) else None,
        "paper_date": month, "date_source": "arxiv id yymm" if month else None,
    }


# --- papers-with-abstracts: dates ----------------------------------------------------------------

@cache
def dates_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema([("paper_url", pa.string()), ("date", pa.date32())])


def _date(v: Any) -> dt.date | None:
    if not isinstance(v, str) or len(v) < 10:
        return None
    try:
        return dt.date.fromisoformat(v[:10])
    except ValueError:
        return None


def abstracts_dates(path: Path) -> GuardedReader:
    """(paper_url, date) of every paper in a papers-with-abstracts dump, streamed."""
    import pyarrow as pa

    def batches() -> Iterator[pa.RecordBatch]:
        rows: list[dict[str, Any]] = []
        with open_text(path) as f:
            for obj in iter_json_objects(f):
                if not isinstance(obj, dict):
                    raise InputError("not a list of paper objects", path=str(path))
                rows.append({"paper_url": _str(obj.get("paper_url")),
                             "date": _date(obj.get("date"))})
                if len(rows) >= BATCH_ROWS:
                    yield pa.RecordBatch.from_pylist(rows, schema=dates_schema())
                    rows = []
        if rows:
            yield pa.RecordBatch.from_pylist(rows, schema=dates_schema())

    return GuardedReader(dates_schema(), batches(), str(path))


def _resolve(path: Path, options: dict[str, Any]) -> tuple[Path, Path | None]:
    abstracts = options.get("metadata")
    if path.is_dir():
        links = next((path / n for n in LINKS_NAMES if (path / n).is_file()), None)
        if links is None:
            raise InputError("no links-between-papers-and-code.json[.gz] in this folder",
                             path=str(path))
        if abstracts is None:
            abstracts = next((path / n for n in ABSTRACTS_NAMES if (path / n).is_file()), None)
        return links, Path(abstracts) if abstracts else None
    return path, Path(abstracts) if abstracts else None


def _apply_dates(session: Any, num: int, abstracts: Path) -> None:
    con = session.atlas.con
    reader = abstracts_dates(abstracts)
    con.execute("CREATE TEMP TABLE _pwc_dates (paper_url VARCHAR, date DATE)")
    try:
        con.register("_pwc_incoming_dates", reader.reader())
        try:
            con.execute("INSERT INTO _pwc_dates SELECT paper_url, date FROM _pwc_incoming_dates "
                        "WHERE paper_url IS NOT NULL AND date IS NOT NULL")
        except Exception as exc:
            if reader.error is not None:
                raise reader.error from exc
            raise InputError(f"cannot read the dates: {exc}".splitlines()[0],
                             path=str(abstracts)) from exc
        finally:
            import contextlib

            import duckdb

            with contextlib.suppress(duckdb.Error):  # an aborted transaction refuses it too
                con.unregister("_pwc_incoming_dates")
        if reader.error is not None:
            raise reader.error
        con.execute(
            "UPDATE pwc_links SET paper_date = d.date, date_source = 'papers-with-abstracts' "
            "FROM (SELECT paper_url, min(date) AS date FROM _pwc_dates GROUP BY paper_url) d "
            "WHERE pwc_links.snapshot_id = ? AND pwc_links.paper_url = d.paper_url", [num])
    finally:
        import contextlib

        import duckdb

        with contextlib.suppress(duckdb.Error):
            con.execute("DROP TABLE IF EXISTS _pwc_dates")


def ingest(session: Any, path: Path, *, data_date: dt.date | None,
           options: dict[str, Any]) -> None:
    """Ingest one links dump (optionally dated by a papers-with-abstracts dump)."""
    links, abstracts = _resolve(path, options)
    if abstracts is not None and not abstracts.is_file():
        raise InputError("no such papers-with-abstracts file", path=str(abstracts))
    dump = LinksDump(links)
    h = hashlib.sha256(f"links\0{content_hash(links)}\n".encode())
    if abstracts is not None:
        h.update(f"abstracts\0{content_hash(abstracts)}\n".encode())
    builder = session.new_snapshot(
        kind=KIND, dataset=DATASET, content_hash=h.hexdigest(), data_date=data_date,
        data_date_source="--data-date" if data_date else None, origin=str(links))
    if builder is None:
        return
    builder.insert("pwc_links", dump.stream())
    if abstracts is not None:
        _apply_dates(session, builder.num, abstracts)
        builder.note = f"dates from {abstracts.name}, else the arXiv id's yymm"
    else:
        builder.note = "dates from the arXiv id's yymm (no papers-with-abstracts file given)"
    builder.date_from_data("pwc_links", "paper_date", "the data: the latest paper date in the dump")
