"""Hub commands: availability (F1, F2) and single-model lookup."""

from __future__ import annotations

import typer

from fwatlas.cli.table_commands import add


def register(app: typer.Typer) -> None:
    add(app, "availability")
    add(app, "model")
