"""Option types shared by every command, defined once (sqlite-utils style)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from fwatlas.cli.output import Format

DbOption = Annotated[Path | None, typer.Option(
    "--db", envvar="FWATLAS_DB",
    help="The evidence store (default ~/.local/share/fwatlas/atlas.duckdb).",
    show_default=False)]
KbOption = Annotated[Path | None, typer.Option(
    "--kb", envvar="FWATLAS_KB", help="An extra knowledge-base file merged over the bundled one.",
    show_default=False)]
JsonFlag = Annotated[bool, typer.Option("--json", help="Same as --format json.")]
FormatOption = Annotated[Format, typer.Option(
    "--format", help="table, json, csv or parquet (csv/parquet write the rows to -o PATH).")]
OutPath = Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")]
SnapshotOption = Annotated[str | None, typer.Option(
    "--snapshot", help="Use this snapshot id (see `fwatlas snapshots`) instead of the newest.")]

SnapshotsOption = Annotated[list[str] | None, typer.Option(
    "--snapshot", metavar="ID",
    help="Read this snapshot id for its dataset instead of the one chosen "
                       "(see `fwatlas snapshots`); repeatable, one per dataset.")]


def parse_date(value: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD option value, or None; a bad value is a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        from fwatlas.errors import InputError

        raise InputError(f"{option} must be a date YYYY-MM-DD, not {value!r}") from None


AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", help="'Today' for anything judged by age (YYYY-MM-DD); default: today.")]
DataDateOption = Annotated[str | None, typer.Option(
    "--data-date", help="The date the data describes (YYYY-MM-DD); default: read from the data.")]


def output_format(fmt: Format, json_flag: bool) -> Format:
    return Format.json if json_flag else fmt
