"""The guarded Arrow stream a reader hands to the store, shared by both (below each).

The store consumes a reader's stream inside DuckDB, where a Python exception raised mid-stream
would lose its type; :class:`GuardedReader` keeps the reader's own :class:`InputError` so the
ingest can report the real problem (one line naming the file) after DuckDB gives up. It lives
here, not in ``fwatlas.sources``, because the store recognises it and must import nothing above
itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fwatlas.errors import FwatlasError, InputError

if TYPE_CHECKING:  # pyarrow costs ~0.15 s to import; read commands only need the registry
    import pyarrow as pa


@dataclass
class GuardedReader:
    """A schema plus a batch generator; records the first error and item-level skips."""

    schema: pa.Schema
    batches: Iterable[pa.RecordBatch]
    path: str
    error: FwatlasError | None = None
    skipped: list[str] = field(default_factory=list)
    interrupted: bool = False  # Ctrl-C arrived while DuckDB was pulling batches

    def _guard(self) -> Iterator[pa.RecordBatch]:
        try:
            for batch in self.batches:
                for report in _PROGRESS:
                    report(self.path, batch.num_rows)
                yield batch
        except FwatlasError as exc:
            self.error = exc
            raise
        except KeyboardInterrupt:
            self.interrupted = True  # DuckDB re-raises it as text with a traceback in it
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of the input as a whole
            self.error = InputError(describe(exc), path=self.path)
            raise

    def reader(self) -> pa.RecordBatchReader:
        import pyarrow as pa

        return pa.RecordBatchReader.from_batches(self.schema, self._guard())

    def read_all(self) -> pa.Table:
        """Materialise (for tests and small inputs); raises the reader's own error."""
        try:
            return self.reader().read_all()
        except Exception:
            if self.error is not None:
                raise self.error from None
            raise


#: Callbacks ``(path, rows)`` told of every batch read; the CLI shows them as a progress bar.
_PROGRESS: list[Callable[[str, int], None]] = []


@dataclass(frozen=True)
class SqlRows:
    """Rows DuckDB reads from a file itself (``SELECT … FROM read_parquet(?)``), with the
    reader's item-level checks as SQL, for the store to insert (``SnapshotBuilder.insert_sql``).

    ``keep``: the condition a stored row meets; ``skipped``: per reason, the condition of the
    rows left out (counted only when ``total``, the file's rows, exceeds those stored);
    ``what`` words an unreadable file's error (``unreadable Parquet: …``). The reader writes
    the SQL; only the store runs it, inside the ingest's transaction.
    """

    select: str
    params: tuple[object, ...]
    columns: tuple[str, ...]
    keep: str
    skipped: dict[str, str]
    total: int
    what: str
    path: str


@contextmanager
def progress_reporting(callback: Callable[[str, int], None]) -> Iterator[None]:
    """Report rows read by every guarded reader while the block runs."""
    _PROGRESS.append(callback)
    try:
        yield
    finally:
        _PROGRESS.remove(callback)


def report_progress(path: str, rows: int) -> None:
    """Tell every progress callback of rows read outside a guarded stream (the Hub's Parquet
    path, which DuckDB reads itself)."""
    for report in _PROGRESS:
        report(path, rows)


def describe(exc: BaseException) -> str:
    """A one-line description of why a file could not be read."""
    import gzip
    import json
    import zlib

    if isinstance(exc, EOFError | gzip.BadGzipFile | zlib.error):
        return f"truncated or corrupt compressed file ({exc})"
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON at line {exc.lineno} column {exc.colno} ({exc.msg})"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text
