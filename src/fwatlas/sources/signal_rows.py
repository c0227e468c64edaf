"""Helpers the adoption-signal readers share: column aliases, number/date parsing, batching.

The signal sources (PyPI downloads, GitHub series, job posts, Q&A counts) are CSV or JSON files
whose columns differ between years and publishers. Each reader maps the columns it finds to one
schema through an alias table (never by position), parses values strictly, and streams rows as
Arrow record batches so no reader holds a whole file as Python objects.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.errors import InputError
from fwatlas.yamlio import load_yaml

if TYPE_CHECKING:  # pyarrow costs ~0.15 s to import; read commands only need signals_config
    import pyarrow as pa

BATCH_ROWS = 65_536


@cache
def signals_config() -> dict[str, Any]:
    """The parsed ``data/signals.yaml`` (primary lists, registry package set, support grid)."""
    text = resources.files("fwatlas").joinpath("data/signals.yaml").read_text("utf-8")
    data: dict[str, Any] = load_yaml(text)
    return data


def pick_columns(header: Sequence[str], aliases: dict[str, tuple[str, ...]],
                 required: Sequence[str], path: Path, what: str) -> dict[str, str]:
    """Normalised name -> the header's column for it; a missing required one rejects the file."""
    present = {h.strip(): h for h in header}
    out: dict[str, str] = {}
    for norm, names in aliases.items():
        for name in names:
            if name in present:
                out[norm] = present[name]
                break
    for norm in required:
        if norm not in out:
            raise InputError(
                f"required column {aliases[norm][0]!r} missing (not {what}; columns: "
                f"{header_names(header)})", path=str(path))
    return out


def header_names(header: Sequence[str], limit: int = 120) -> str:
    """The header's column names for an error line: one line, at most ``limit`` characters.

    A damaged header (a stray quote) can swallow the file's rows, newlines included, into one
    "column"; the message names columns, so each is cut at its first line break and the whole
    is bounded – never the file's rows pasted into a one-line error.
    """
    names = []
    for h in header:
        first = h.splitlines()[0] if h.strip() else ""
        name = " ".join(first[:limit].split())  # tabs, \r and control spacing: one space
        if name:
            names.append(name + ("…" if len(first) > limit or first != h.rstrip() else ""))
    text = ", ".join(names)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_int(text: Any) -> int | None:
    """``"91042.0"``, ``"91042"``, ``91042`` -> 91042; empty -> None; anything else raises.

    Every number these readers read is a count (downloads, stars, questions, postings, a
    year), so a negative one raises too: the record is a skipped item, not a stored -5.
    """
    value = _to_int(text)
    if value is not None and value < 0:
        raise ValueError(f"negative count {value}")
    if value is not None and value >= 1 << 63:  # the store's BIGINT
        raise ValueError(f"count out of range ({str(value)[:24]}…)")
    return value


def _to_int(text: Any) -> int | None:
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(f"not a number: {text!r}")
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        if text != text:  # NaN
            return None
        if not text.is_integer():
            raise ValueError(f"not a whole number: {text!r}")
        return int(text)
    s = str(text).strip()
    if not s:
        return None
    value = float(s)
    if value != value:
        return None
    if not value.is_integer():
        raise ValueError(f"not a whole number: {s!r}")
    return int(value)


_TS = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?"
                 r"\s*(Z|[+-]\d{2}:?\d{2})?$")


def parse_timestamp(text: str) -> dt.datetime:
    """An ISO date or timestamp (any offset) as a naive UTC datetime; raises ValueError."""
    s = text.strip()
    m = _TS.match(s)
    if not m:
        raise ValueError(f"not a date or timestamp: {text!r}")
    date, time, frac, zone = m.groups()
    stamp = dt.datetime.fromisoformat(f"{date}T{time or '00:00'}{frac or ''}")
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        hh, mm = int(zone[1:3]), int(zone[-2:])
        stamp -= sign * dt.timedelta(hours=hh, minutes=mm)
    return stamp


def parse_month(text: str) -> dt.date:
    """``YYYY-MM`` or ``YYYY-MM-DD`` -> the first day of that month; raises ValueError."""
    s = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}", s):
        return dt.date.fromisoformat(s + "-01")
    return dt.date.fromisoformat(s[:10]).replace(day=1)


def csv_rows(path: Path, *, delimiter: str = ",", skipped: list[str] | None = None
             ) -> tuple[list[str], Iterator[list[str]]]:
    """The header and a lazy iterator over the records of a UTF-8 CSV/TSV file.

    A field over :data:`~fwatlas.sources.limits.MAX_CSV_FIELD` or bytes that are not UTF-8
    reject the file (one line naming the line); a last row cut short (fewer fields than the
    header, no final newline) is not yielded but listed in ``skipped`` – an item-level problem.
    """
    from fwatlas.sources.limits import ends_mid_row
    from fwatlas.streams import describe

    f = path.open(newline="", encoding="utf-8")
    reader = csv.reader(f, delimiter=delimiter)
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        f.close()
        raise InputError(describe(exc), path=str(path)) from exc
    if not header:
        f.close()
        raise InputError("empty file", path=str(path))
    cut = ends_mid_row(path)

    def records() -> Iterator[list[str]]:
        with f:
            previous: list[str] | None = None
            try:
                for rec in reader:
                    if previous is not None:
                        yield previous
                    previous = rec
            except (UnicodeDecodeError, csv.Error) as exc:
                # line_num counts the lines of the records read whole: the bad one is next
                raise InputError(f"line {reader.line_num + 1}: {describe(exc)}",
                                 path=str(path)) from None
            if previous is None:
                return
            if cut and len(previous) < len(header):
                if skipped is None:
                    raise InputError(f"line {reader.line_num}: the last row is cut "
                                     f"({len(previous)} of {len(header)} fields)",
                                     path=str(path))
                skipped.append(f"{path.name} line {reader.line_num}: the last row is cut "
                               f"({len(previous)} of {len(header)} fields; the file ends "
                               "mid-row)")
                return
            yield previous
    return header, records()


def batches(rows: Iterable[dict[str, Any]], schema: pa.Schema,
            size: int = BATCH_ROWS) -> Iterator[pa.RecordBatch]:
    """Group dict rows into record batches of ``schema`` (at most ``size`` rows each)."""
    import pyarrow as pa
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield pa.RecordBatch.from_pylist(chunk, schema=schema)
            chunk = []
    if chunk:
        yield pa.RecordBatch.from_pylist(chunk, schema=schema)


def nonempty(rows: Iterable[dict[str, Any]], path: Path, what: str,
             skipped: Sequence[str] = ()) -> Iterator[dict[str, Any]]:
    """Pass rows through; an input that yields none is rejected as a whole – naming the first
    of the reader's ``skipped`` records when there were any, so a file of bad rows is not
    called empty."""
    seen = False
    for r in rows:
        seen = True
        yield r
    if not seen:
        raise InputError(all_skipped(what, skipped) if skipped else
                         f"no {what} in the file (empty input)", path=str(path))


def all_skipped(what: str, skipped: Sequence[str]) -> str:
    """The one-line reject of an input whose every record was skipped."""
    return f"every one of the {what} was skipped ({len(skipped)}; first: {skipped[0]})"
