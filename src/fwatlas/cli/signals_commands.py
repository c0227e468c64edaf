"""Adoption and vitality commands: signals (time series), vitality (release cadence), support."""

from __future__ import annotations

import typer

from fwatlas.cli.table_commands import add


def register(app: typer.Typer) -> None:
    add(app, "signals")
    add(app, "vitality")
    add(app, "support")
