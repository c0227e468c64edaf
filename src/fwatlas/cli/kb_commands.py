"""Knowledge-base commands: ``kb list|show|changes|validate`` and ``deploy-matrix``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fwatlas.cli.options import JsonOnlyFlag
from fwatlas.cli.output import Format, Output, emit
from fwatlas.cli.table_commands import add


def validate_command(
    path: Annotated[Path | None, typer.Argument(
        help="A knowledge-base file to check merged over the bundled one (default: the "
             "bundled one alone).", show_default=False)] = None,
    json_out: JsonOnlyFlag = False,
) -> None:
    """Validate a knowledge-base file against the schema; every problem names file, entry, field.

    The file is validated merged over the bundled knowledge base (as --kb reads it); the
    answer says how many entries the file itself holds and how many it adds or overlays.
    Exits 2 when anything is wrong.

    Example: fwatlas kb validate my-tools.yaml
    """
    from fwatlas.kb.query import validate

    result = validate(path)
    payload = result.as_dict()
    if json_out:
        emit(Output(payload), Format.json)
    elif result.problems:
        for p in result.problems:
            typer.echo(str(p), err=True)
    else:
        in_all = " in all" if path is not None else ""
        typer.echo(f"ok: validated {result.summary.describe()}: {payload['entries']} entries"
                   f"{in_all}, {payload['complete']} complete (status, status date and a "
                   "primary source)")
    error = result.error()
    if error is not None:
        raise error


def register(app: typer.Typer) -> None:
    kb_app = typer.Typer(name="kb", help="The knowledge base: deployment and ecosystem tools, "
                                         "their status today, sources and dates.",
                         no_args_is_help=True, rich_markup_mode=None)
    add(kb_app, "kb list")
    add(kb_app, "kb show")
    add(kb_app, "kb changes")
    kb_app.command("validate")(validate_command)
    app.add_typer(kb_app, name="kb")
    add(app, "deploy-matrix")
