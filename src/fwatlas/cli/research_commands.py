"""Research commands: framework mentions in papers (F3), author migration (F4), and
Papers with Code trends (F5, attached to the ``trends`` group)."""

from __future__ import annotations

import typer

from fwatlas.cli.table_commands import add


def register(app: typer.Typer) -> None:
    from fwatlas.cli.trends_commands import trends_app

    add(app, "research")
    add(app, "coverage")
    add(app, "migration")
    add(trends_app, "trends pwc")
