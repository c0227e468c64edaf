"""Option types shared by every command, defined once (sqlite-utils style)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from fwatlas.cli.output import Format


class Values(str):
    """A metavar that lists an option's valid values: ``--os [linux|macos|windows]``.

    The values are read from where the library declares them (``module:NAME`` – a tuple, a
    dict's keys, a Literal – or ``module:function()``), and only when help is drawn, so the
    CLI's start stays fast and the values are written once.
    """

    def __new__(cls, *refs: str) -> Values:
        obj = super().__new__(cls, "VALUE")
        obj.refs = refs
        return obj

    refs: tuple[str, ...]

    def values(self) -> list[str]:
        from fwatlas.commands.option import resolve_values

        return list(resolve_values(tuple(self.refs)))

    def _text(self) -> str:
        return "[" + "|".join(self.values()) + "]"

    def __str__(self) -> str:
        return self._text()

    def __format__(self, spec: str) -> str:
        return format(self._text(), spec)

    def __add__(self, other: str) -> str:
        return self._text() + other

    def __radd__(self, other: str) -> str:
        return other + self._text()

    def __len__(self) -> int:
        return len(self._text())


DbOption = Annotated[Path | None, typer.Option(
    "--db", envvar="FWATLAS_DB",
    help="The evidence store (default ~/.local/share/fwatlas/atlas.duckdb).",
    show_default=False)]
KbOption = Annotated[Path | None, typer.Option(
    "--kb", envvar="FWATLAS_KB", help="An extra knowledge-base file merged over the bundled one.",
    show_default=False)]
JsonFlag = Annotated[bool, typer.Option("--json", help="Same as --format json.")]
#: --json of a command without --format (ingest, refresh, migrate): the result as JSON
JsonOnlyFlag = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
FormatOption = Annotated[Format, typer.Option(
    "--format", metavar=Values("fwatlas.cli.output:Format"),
    help="table, json, csv or parquet (csv/parquet write the rows to -o PATH).")]
OutPath = Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")]
SnapshotOption = Annotated[str | None, typer.Option(
    "--snapshot", help="Use this snapshot id (see `fwatlas snapshots`) instead of the newest.")]

SnapshotsOption = Annotated[list[str] | None, typer.Option(
    "--snapshot", metavar="ID",
    help="Read this snapshot id for its dataset instead of the one chosen "
                       "(see `fwatlas snapshots`); repeatable, one per dataset.")]


def flag(name: str) -> str:
    """A parameter's public name as the command line spells it: ``as_of`` -> ``--as-of``.

    The library's errors carry the name (``InputError.param``, ``opt()`` in the message);
    ``fwatlas.cli.main`` words them with this, the web with the name itself."""
    return "--" + name.replace("_", "-")


def parse_date(value: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD option value, or None; a bad value is a usage error (exit 2).

    ``option`` is the flag as typed (``--as-of``); the error carries its public name."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        from fwatlas.errors import InputError, opt

        name = option.removeprefix("--").replace("-", "_")
        raise InputError(f"{opt(name)} must be a date YYYY-MM-DD, not {value!r}") from None


AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", metavar="YYYY-MM-DD",
    help="'Today' for anything judged by age; default: today.")]
DataDateOption = Annotated[str | None, typer.Option(
    "--data-date", metavar="YYYY-MM-DD",
    help="The date the data describes; default: read from the data.")]


def output_format(fmt: Format, json_flag: bool) -> Format:
    return Format.json if json_flag else fmt
