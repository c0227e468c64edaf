"""Content hashes that make re-ingesting the same evidence a no-op (DESIGN)."""

from __future__ import annotations

import hashlib
from pathlib import Path

_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def content_hash(path: Path) -> str:
    """sha256 of a file; for a directory, of its sorted ``(relative path, sha256)`` pairs."""
    if path.is_dir():
        h = hashlib.sha256()
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            rel = child.relative_to(path).as_posix()
            h.update(f"{rel}\0{file_sha256(child)}\n".encode())
        return h.hexdigest()
    return file_sha256(path)
