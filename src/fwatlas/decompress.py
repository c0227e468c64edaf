"""Bounded decompression: a gzip, bz2 or xz file opened so that a bomb is refused early.

Below the readers (``fwatlas.sources``) and the code scanner (``fwatlas.scan``), which both
open compressed files with it; the bound itself (``MAX_RATIO``, ``RATIO_FLOOR``) is declared
in ``fwatlas.hashing``, whose content hash decompresses too.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from fwatlas.errors import InputError
from fwatlas.hashing import MAX_RATIO, RATIO_FLOOR


class BoundedStream(io.RawIOBase):
    """A read-only binary stream that refuses to expand past ``MAX_RATIO`` times its source.

    Wraps a decompressing stream (gzip, bz2, lzma) so a small bomb costs a bounded amount of
    time and memory before it is rejected as a whole.
    """

    def __init__(self, raw: IO[bytes], compressed_size: int, path: str) -> None:
        super().__init__()
        self._raw = raw
        self._limit = max(RATIO_FLOOR, MAX_RATIO * max(compressed_size, 1))
        self._read = 0
        self._path = path

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        self._read += n
        if self._read > self._limit:
            raise InputError(f"decompresses to more than {self._limit:,} bytes "
                             f"(over {MAX_RATIO} times its size)", path=self._path)
        buffer[:n] = data
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_decompressed(path: Path, compression: str | None) -> IO[bytes]:
    """The file's bytes, decompressed when ``compression`` is gzip/bz2/xz, bounded in ratio."""
    if compression is None:
        return path.open("rb")
    import bz2
    import gzip
    import lzma

    raw: Any
    if compression == "gzip":
        raw = gzip.open(path, "rb")
    elif compression == "bz2":
        raw = bz2.open(path, "rb")
    else:
        raw = lzma.open(path, "rb")
    return io.BufferedReader(BoundedStream(raw, path.stat().st_size, str(path)), 1 << 20)
