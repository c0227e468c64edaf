"""``fwatlas report`` (HTML or Markdown) and ``fwatlas serve`` (the local web app)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fwatlas.cli.options import AsOfOption, DbOption, KbOption, SnapshotsOption, parse_date

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def report_command(
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Where to write the report (with --json: its data).",
        show_default=False)] = None,
    fmt: Annotated[str, typer.Option(
        "--format", help="html (one self-contained file) or md (Markdown with PNGs beside it; "
                         "needs kaleido and Chromium).")] = "html",
    json_out: Annotated[bool, typer.Option(
        "--json", help="The report's sections as data instead (what /api/report returns).")
    ] = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
    kb: KbOption = None,
    snapshot: SnapshotsOption = None,
) -> None:
    """The command table's ``report`` (its help and options); it writes a file, so its
    command is this one rather than a generated one, and ``--json`` is the table's builder."""
    import datetime as dt

    from fwatlas.errors import InputError, opt
    from fwatlas.report import write_report
    from fwatlas.store.atlas import open_atlas

    if fmt not in ("html", "md"):
        raise InputError(f"{opt('format')} must be html or md, not {fmt!r}")
    when = parse_date(as_of, "--as-of")
    if output is None and not json_out:
        raise InputError(f"{opt('output')} PATH is needed: where to write the report (or "
                         f"{opt('json')} for its data)")
    atlas = open_atlas(db, snapshot or ())
    try:
        if json_out:
            from fwatlas.cli.output import Format, Output, emit
            from fwatlas.cli.table_commands import payload_of
            from fwatlas.commands import Ctx, command

            ctx = Ctx(kb=str(kb) if kb else None, today=dt.date.today())
            emit(Output(payload_of(command("report"), atlas, ctx, {"as_of": when})),
                 Format.json, output)
            return
        assert output is not None
        files = write_report(atlas, output, fmt=fmt, as_of=when,  # type: ignore[arg-type]
                             kb_path=str(kb) if kb else None)
    finally:
        atlas.close()
    typer.echo(str(files[0].resolve()))
    if len(files) > 1:
        typer.echo(f"  and {len(files) - 1} figure files in {files[1].parent}", err=True)


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Interface to bind (loopback by "
                                                     "default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port (1-65535).")] = 8000,
    as_of: AsOfOption = None,
    db: DbOption = None,
    kb: KbOption = None,
    snapshot: SnapshotsOption = None,
) -> None:
    """Serve the web app: the report's figures live, model lookup, research, deployment, advisor.

    The JSON API under /api/ returns exactly what the CLI's --json does; OpenAPI at
    /openapi.json. The store is opened read-only and only while answering a request, so
    `fwatlas ingest` can run meanwhile (a request that needs the store during the ingest gets
    503 store_busy; results are memoised per snapshot set and refresh after the ingest).

    Example: fwatlas serve --port 8000
    """
    import uvicorn

    from fwatlas.web.app import create_app

    when = parse_date(as_of, "--as-of")
    if not 1 <= port <= 65535:  # uvicorn would fail with a traceback (OverflowError)
        from fwatlas.errors import InputError, opt

        raise InputError(f"{opt('port')} must be a TCP port from 1 to 65535, not {port}")
    if host not in LOOPBACK:
        typer.echo(f"fwatlas: warning: serving on {host}, which is not loopback: anyone who can "
                   "reach this machine can read the store. There is no authentication.",
                   err=True)
    if snapshot:  # a bad id fails here, before the server starts
        from fwatlas.store.atlas import open_atlas

        open_atlas(db, snapshot).close()
    app = create_app(db=db, kb=kb, as_of=when, snapshots=tuple(snapshot or ()))
    from fwatlas.web.views import navigation

    typer.echo(f"fwatlas: serving on http://{host}:{port}/\n"
               f"  pages: {' '.join(path for path, _ in navigation())}\n"
               "  JSON: /api/<page path> (exactly the command's --json); interactive API docs "
               "at /docs (offline); OpenAPI at /openapi.json", err=True)
    uvicorn.run(app, host=host, port=port, workers=1, log_level="warning")


def register(app: typer.Typer) -> None:
    from fwatlas.commands import command

    app.command("report", help=command("report").help)(report_command)
    app.command("serve")(serve_command)
