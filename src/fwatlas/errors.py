"""Every exception fwatlas raises on purpose, and the exit code each one means.

The CLI turns these into a one-line message in exactly one place (``fwatlas.cli.app``), so a
library caller can catch them generically (each subclasses a stdlib error) and a shell user gets
the exit codes of the command-line contract: 1 not found, 2 bad input, 3 something outside
fwatlas is unavailable.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


class FwatlasError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class InputError(FwatlasError, ValueError):
    """The input as a whole is unusable: bad file, bad option value, wrong format (exit 2)."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None) -> None:
        super().__init__(f"{path}: {message}" if path else message, hint=hint)
        self.path = path


class StoreOutdated(InputError):
    """The store was written by an older fwatlas; `fwatlas migrate` upgrades it (exit 2)."""


class StoreCorrupt(InputError):
    """The store file is not a readable fwatlas store (damaged, or another kind of file).

    Exit 2 on the command line; the web app answers 503, since the server's store, not the
    request, is at fault."""


class NotFound(FwatlasError, LookupError):
    """An unknown model, tool, package or snapshot (exit 1); carries close matches."""

    exit_code = 1

    def __init__(self, what: str, name: str, close_matches: Sequence[str] = ()) -> None:
        self.what = what
        self.name = name
        self.close_matches = list(close_matches)
        hint = ("did you mean: " + ", ".join(self.close_matches)) if self.close_matches else None
        super().__init__(f"unknown {what} {name!r}", hint=hint)


class SourceUnavailable(FwatlasError, ConnectionError):
    """Something outside fwatlas is unavailable: a service offline, no browser, an extra."""

    exit_code = 3


class StoreBusy(FwatlasError, RuntimeError):
    """Another process holds the store for writing (DuckDB allows one writer)."""

    exit_code = 3


@contextmanager
def writable(path: Path) -> Iterator[None]:
    """Turn a failure to write ``-o PATH`` (a folder, no permission, full disk) into one line
    naming the path (exit 2) instead of a traceback; shared by the CLI and the report writer."""
    try:
        yield
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror or exc}", path=str(path)) from None
