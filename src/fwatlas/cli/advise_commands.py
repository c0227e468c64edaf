"""``fwatlas advise`` in the CLI: its place in ``--help`` (its options, help and JSON come from
the command table, how its answer is drawn from ``cli/render/advise``)."""

from __future__ import annotations

import typer

from fwatlas.cli.table_commands import add


def register(app: typer.Typer) -> None:
    add(app, "advise")
