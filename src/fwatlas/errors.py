"""Every exception fwatlas raises on purpose, and the exit code each one means.

Each error carries what a front end needs to word it for its reader, as fields: the
``message`` (the problem), the ``param`` it concerns (the option's public name, ``top`` or
``as_of``: the web's query parameter, the CLI's ``--top``/``--as-of``) and the ``fix``. A
message names a parameter only through :func:`opt`, never as a CLI flag, so each front end spells
it in one place: the CLI (``fwatlas.cli.main``: one line, the exit code), the API and the pages
(``fwatlas.web.errors``). A library caller can catch them generically (each subclasses a stdlib
error) and a shell user gets the exit codes of the command-line contract: 1 not found, 2 bad
input, 3 something outside fwatlas is unavailable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

#: A parameter's name inside a message is set off by two private-use characters (never in
#: fwatlas's own text) so that it is a structured mention, not prose a front end would parse.
_OPEN, _CLOSE = "\ue000", "\ue001"
_MENTION = re.compile(f"{_OPEN}([A-Za-z_][A-Za-z0-9_]*){_CLOSE}")

#: How a front end writes a parameter's public name (``as_of`` -> ``--as-of`` on the CLI).
Spelling = Callable[[str], str]


def opt(name: str) -> str:
    """Mention the parameter ``name`` (its public name, ``as_of``) inside an error message:
    ``f"{opt('top')} must be at least 1"`` is ``--top must …`` on the command line and
    ``top must …`` on the web. The first one mentioned is the error's ``param``."""
    return f"{_OPEN}{name}{_CLOSE}"


def plain(name: str) -> str:
    """The default spelling: the public name itself (what the web's query parameter is)."""
    return name


class FwatlasError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with.

    ``param`` is the parameter the error concerns: the first one the message mentions with
    :func:`opt`, or given where the message names it only in words (``unknown venue 'x'``).
    ``fix`` says what to do instead (``hint`` is its older name); every front end shows it in
    parentheses after the message.
    """

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None, param: str | None = None,
                 fix: str | None = None) -> None:
        self.template = message
        self.fix = fix if fix is not None else hint
        mentioned = _MENTION.search(message)
        self.param = param if param is not None else (mentioned.group(1) if mentioned else None)
        self.message = self.render(plain, with_fix=False)
        super().__init__(self.message)

    @property
    def hint(self) -> str | None:
        return self.fix

    def render(self, spell: Spelling = plain, *, with_fix: bool = True) -> str:
        """The one-line text with every parameter written by ``spell`` (and the fix, if any)."""
        def spelled(text: str) -> str:
            return _MENTION.sub(lambda m: spell(m.group(1)), text)

        text = spelled(self.template)
        return f"{text} ({spelled(self.fix)})" if with_fix and self.fix else text

    def __str__(self) -> str:
        return self.render()

    def __reduce__(self) -> tuple[object, ...]:
        # keep the fields across a process boundary (the scanner's worker pool): the default
        # would call ``cls(*args)`` and lose param, fix and the mentions' spelling
        return (_restore, (type(self), self.args, self.__dict__))


def _restore(cls: type[FwatlasError], args: tuple[object, ...], state: dict[str, object]
             ) -> FwatlasError:
    exc = cls.__new__(cls, *args)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class InputError(FwatlasError, ValueError):
    """The input as a whole is unusable: bad file, bad option value, wrong format (exit 2)."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None,
                 param: str | None = None, fix: str | None = None) -> None:
        self.path = path
        super().__init__(message, hint=hint, param=param, fix=fix)

    def render(self, spell: Spelling = plain, *, with_fix: bool = True) -> str:
        text = super().render(spell, with_fix=with_fix)
        return f"{self.path}: {text}" if self.path else text


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
