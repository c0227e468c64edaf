"""Content hashes that make re-ingesting the same evidence a no-op (DESIGN)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

_CHUNK = 1 << 20
#: decompressed bytes allowed per compressed byte, above a floor that small files always get:
#: the bound on a gzip bomb, for this hash and for every reader (``fwatlas.decompress``)
MAX_RATIO = 200
RATIO_FLOOR = 64 << 20


#: magic bytes of the single-stream compressions readers open transparently
_MAGIC = {b"\x1f\x8b": "gzip", b"BZh": "bz2", b"\xfd7zXZ\x00": "xz"}


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def compression_of(path: Path) -> str | None:
    """``gzip``, ``bz2`` or ``xz`` when the file starts with that format's magic bytes."""
    with path.open("rb") as f:
        head = f.read(6)
    return next((name for magic, name in _MAGIC.items() if head.startswith(magic)), None)


def data_sha256(path: Path) -> str:
    """sha256 of a file's content: for a gzip/bz2/xz file, of what it decompresses to.

    So the same data re-compressed (another level, another tool, another mtime in the gzip
    header) is the same content and an "already ingested" no-op. A stream that cannot be
    decompressed falls back to the raw bytes: the reader reports the corruption itself.
    """
    kind = compression_of(path)
    if kind is None:
        return file_sha256(path)
    import bz2
    import gzip
    import lzma

    limit = max(RATIO_FLOOR, MAX_RATIO * path.stat().st_size)
    h = hashlib.sha256()  # the same bytes uncompressed hash the same
    seen = 0
    try:
        f: Any
        if kind == "gzip":
            f = gzip.open(path, "rb")
        elif kind == "bz2":
            f = bz2.open(path, "rb")
        else:
            f = lzma.open(path, "rb")
        with f:
            while chunk := f.read(_CHUNK):
                seen += len(chunk)
                if seen > limit:  # a bomb: the reader rejects it; do not expand it here
                    return file_sha256(path)
                h.update(chunk)
    except (OSError, EOFError, ValueError, lzma.LZMAError):
        return file_sha256(path)
    return h.hexdigest()


def content_hash(path: Path) -> str:
    """sha256 of a file's (decompressed) content; for a directory, of its sorted
    ``(relative path, sha256)`` pairs."""
    if path.is_dir():
        h = hashlib.sha256()
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            rel = child.relative_to(path).as_posix()
            h.update(f"{rel}\0{data_sha256(child)}\n".encode())
        return h.hexdigest()
    return data_sha256(path)
