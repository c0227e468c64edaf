"""The ``fwatlas`` command line: a thin shell over the library.

Each command module registers its commands on one Typer app; command functions import the
library lazily, so ``fwatlas --help`` stays fast. Errors are turned into one line and the
contract's exit code here, in exactly one place.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer

from fwatlas import __version__

#: Modules whose ``register(app)`` adds commands; plugins extend this list the same way.
COMMAND_MODULES: list[str] = [
    "fwatlas.cli.store_commands",
    "fwatlas.cli.hub_commands",
    "fwatlas.cli.trends_commands",
    "fwatlas.cli.kb_commands",
    "fwatlas.cli.advise_commands",
    "fwatlas.cli.report_commands",
    "fwatlas.cli.research_commands",
    "fwatlas.cli.signals_commands",
    "fwatlas.cli.scan_commands",
    "fwatlas.cli.verdict_commands",
    "fwatlas.cli.probe_commands",
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fwatlas {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="fwatlas",
        help="Framework Atlas: PyTorch, TensorFlow, JAX or Keras – answered from dated evidence."
             "\n\nEvery number shown carries its source and data date. "
             "Example: fwatlas availability --top 30",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        rich_markup_mode=None,
    )

    @app.callback()
    def _root(version: bool = typer.Option(False, "--version", callback=_version,
                                           is_eager=True, help="Print the version and exit.")
              ) -> None:
        """Framework Atlas."""

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


def _interrupted(commits_before: int) -> None:
    from fwatlas.store.session import COMMITS

    if COMMITS[0] != commits_before:  # too late to undo: say what is true
        typer.echo("fwatlas: interrupted after the ingest was stored", err=True)
    else:
        typer.echo("fwatlas: interrupted; the store is unchanged", err=True)
    sys.exit(130)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app; fwatlas errors become one line and the contract's exit code.

    The line names the error's parameter as the option a shell user typed (``--as-of``).

    Click's standalone mode already exits 2 on usage errors (unknown option, bad choice).
    """
    from fwatlas.errors import FwatlasError

    command = typer.main.get_command(build_app())
    invoke = command.invoke

    def interruptible(ctx: Any) -> Any:
        # Click would print "Aborted!" (exit 1); every write is one transaction that rolls
        # back, so the one true thing to say is that the store is unchanged (exit 130)
        loaded = sys.modules.get("fwatlas.store.session")  # not imported just for this
        before = loaded.COMMITS[0] if loaded is not None else 0
        try:
            return invoke(ctx)
        except KeyboardInterrupt:
            _interrupted(before)
        except Exception as exc:
            if type(exc).__name__ == "InterruptException":  # DuckDB's own Ctrl-C
                _interrupted(before)
            raise

    command.invoke = interruptible  # type: ignore[method-assign]
    try:
        command.main(args=argv, prog_name="fwatlas", standalone_mode=True)
    except FwatlasError as exc:  # the one place an error is worded for the command line
        from fwatlas.cli.options import flag

        typer.echo(f"fwatlas: error: {exc.render(flag)}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
