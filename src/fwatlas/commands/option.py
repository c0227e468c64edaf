"""One option of a read command, as the CLI, the API and the web forms all take it.

An option names its valid values by reference to where the library declares them
(``module:NAME`` – a tuple, a dict's keys, a Literal, an Enum – or ``module:function()``), so
they are written once and read only when needed: drawing ``--help``, checking a value, or
drawing a form. Importing the table stays as cheap as the CLI's start needs.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any, Literal

from fwatlas.errors import InputError, opt

#: ``list``: repeatable (``--target server --target mobile``; ``?target=…&target=…``)
OptionKind = Literal["choice", "text", "int", "date", "bool", "path", "list"]

#: a snapshot id as ``--snapshot``/``--old``/``--new`` take it on the web (never a local file)
SNAPSHOT_ID = r"(s\d+|ref:[\w./:@+-]+|kb:[\w./:@+-]+)"


@functools.cache
def resolve_values(refs: tuple[str, ...]) -> tuple[str, ...]:
    """The valid values the references name, in order, each once."""
    import enum
    import importlib
    from typing import get_args

    out: list[str] = []
    for ref in refs:
        module, _, name = ref.partition(":")
        value = getattr(importlib.import_module(module), name.removesuffix("()"))
        if name.endswith("()"):
            value = value()
        if isinstance(value, type) and issubclass(value, enum.Enum):
            items = [m.value for m in value]
        else:
            items = (list(value) if isinstance(value, dict | tuple | list)
                     else list(get_args(value)))
        out += [str(v) for v in items if str(v) not in out]
    return tuple(out)


@dataclass(frozen=True)
class Option:
    """One option: its name as the CLI spells it without ``--`` (``from``; ``as_of`` with
    ``_`` for ``-``), its kind, valid values, default and help.

    ``arg`` is the builder's keyword (default: ``name``). ``web=False``: the CLI only (a local
    file, or how one is read): the server opens no file a visitor names.
    """

    name: str
    kind: OptionKind = "text"
    values: tuple[str, ...] = ()
    default: Any = None
    help: str = ""
    arg: str | None = None
    required: bool = False
    pattern: str | None = None
    #: changes only how the data are shown (``signals --share``): no argument of the builder
    #: and no query of the API twin, whose JSON is the same either way
    display: bool = False
    web: bool = True
    metavar: str | None = None

    @property
    def keyword(self) -> str:
        return self.arg or self.name

    @property
    def cli(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def choices(self) -> tuple[str, ...]:
        return resolve_values(self.values) if self.values else ()

    def annotation(self) -> Any:
        """The parameter's type for the API (and so for the OpenAPI document)."""
        base: Any = {"text": str, "path": str, "int": int, "date": dt.date, "bool": bool,
                     "list": list[str],
                     "choice": Literal[self.choices] if self.choices else str}[self.kind]
        if self.kind == "bool" or self.required or self.default is not None:
            return base
        return base | None

    def parse(self, raw: str | None) -> Any:
        """A typed value (a string, empty when left blank) as the builder's argument."""
        if raw is None or raw == "":
            return False if self.kind == "bool" else self.default
        if self.kind == "bool":
            return raw.lower() in ("1", "true", "on", "yes")
        if self.kind == "int":
            try:
                return int(raw)
            except ValueError:
                raise InputError(f"{opt(self.name)} must be a whole number, not {raw!r}") from None
        if self.kind == "date":
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                raise InputError(f"{opt(self.name)} must be a date YYYY-MM-DD, "
                                 f"not {raw!r}") from None
        if self.kind == "choice" and self.choices and raw not in self.choices:
            raise InputError(f"{opt(self.name)} {raw!r} is not one of: {', '.join(self.choices)}")
        self.check(raw)
        return raw

    def check(self, value: Any) -> None:
        if self.pattern and isinstance(value, str) and not re.fullmatch(self.pattern, value):
            raise InputError(f"{opt(self.name)} {value!r} is not a snapshot id (s12, ref:…, kb:…)")
