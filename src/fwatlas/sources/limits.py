"""One rule in every reader: bounded input, strictly typed values, paths kept inside the input.

The adversarial run of issue 15 found each reader failing in its own way on the same hostile
inputs (a huge CSV field, deep JSON, a negative count, a path that climbs out of its folder, a
decompression bomb). These helpers are the one place those bounds and checks live; a reader
calls them instead of growing its own variant. A value outside a bound is a ``ValueError`` an
item-level caller lists as a skipped item, or an :class:`InputError` for the input as a whole.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: the longest CSV field read (the csv module's own default limit, made explicit)
MAX_CSV_FIELD = 131_072
#: the longest single element of a streamed JSON array (a PwC link, a paper record)
MAX_ELEMENT_CHARS = 8 << 20
#: the bounded decompression every reader opens files with (MAX_RATIO decompressed bytes per
#: compressed byte) is fwatlas.decompress, below the sources: the scanner opens archives so too


def parse_json(text: str | bytes) -> Any:
    """``json.loads`` whose nesting is bounded: too deep a document is a ``ValueError``."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def load_json(path: Path) -> Any:
    """A whole (small) JSON file; unreadable, not UTF-8, malformed or too deep: ValueError."""
    from fwatlas.streams import describe

    try:
        return parse_json(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(describe(exc)) from None


def count(value: Any, what: str = "count") -> int | None:
    """A count: a whole number >= 0 (``"5"``, ``5``, ``5.0``) or None when empty.

    A negative number or anything else raises ``ValueError`` – the record is a skipped item,
    never coerced.
    """
    from fwatlas.sources.signal_rows import to_int

    n = to_int(value)
    if n is not None and n < 0:
        raise ValueError(f"negative {what} {n}")
    return n


def inside(folder: Path, name: Any) -> Path:
    """``folder / name`` when it stays inside ``folder`` (links resolved); else ValueError."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"not a file name: {name!r}")
    base = folder.resolve()
    target = (folder / name).resolve()
    if target != base and base not in target.parents:
        raise ValueError(f"{name!r} points outside {folder}")
    return target


def ends_mid_row(path: Path) -> bool:
    """True when a text file's last byte is not a newline (its last row may be cut)."""
    try:
        size = path.stat().st_size
        if size == 0:
            return False
        with path.open("rb") as f:
            f.seek(size - 1)
            return f.read(1) not in (b"\n", b"\r")
    except OSError:
        return False
