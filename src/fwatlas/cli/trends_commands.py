"""The ``fwatlas trends`` group: quarterly framework shares of code repositories.

Two evidence kinds feed it – Papers with Code's labels (``trends pwc``) and fwatlas's own scans
of repositories (``trends repos``); each registers its subcommand on ``trends_app``.
"""

from __future__ import annotations

import typer

trends_app = typer.Typer(
    help="Quarterly framework shares of new code repositories (the article's F5).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(trends_app, name="trends")
