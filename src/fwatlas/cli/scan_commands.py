"""``fwatlas scan`` (which framework is this code written in?) and ``fwatlas trends repos``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from fwatlas.cli.options import (
    DataDateOption,
    DbOption,
    FormatOption,
    JsonFlag,
    OutPath,
    output_format,
    parse_date,
)
from fwatlas.cli.output import Format, Output, emit, sources_line
from fwatlas.cli.table_commands import add


def _weights(frameworks: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in list(frameworks.items())[:4]) or "–"


def _scan_table(payload: dict[str, Any]) -> Any:
    def draw(console: Any) -> None:
        from rich.markup import escape
        from rich.table import Table

        eng = payload["engine"]
        t = Table(title=f"Frameworks of scanned code – engine {eng['name']}, "
                        f"{eng['workers']} worker(s)")
        for c in ("path", "primary", "weights", "keras backend", "date", "files", "skipped"):
            t.add_column(c, justify="right" if c in ("files", "skipped") else "left",
                         overflow="fold")
        for r in payload["rows"]:
            t.add_row(r["path"], r["primary"], _weights(r["frameworks"]),
                      r["keras_backend"] or "–",
                      f"{r['date'] or 'undated'} ({r['date_source'].split(':')[0]})",
                      str(r["files_scanned"]), str(r["files_skipped"]))
        console.print(t, markup=False)
        s = payload["summary"]
        console.print(f"scanned {s['scanned']} repositories ({s['files_scanned']:,} files, "
                      f"{s['seconds']:.1f} s, {s['files_per_second']:,.0f} files/s); "
                      f"{s['already_scanned']} already in the store"
                      + (f"; resumed {s['resumed']}" if s["resumed"] else ""), markup=False)
        empty = [r["path"] for r in payload["rows"] if not r["files_scanned"]]
        if empty:
            console.print(f"[yellow]warning:[/] found no Python, notebook or dependency file in "
                          f"{len(empty)} path(s) (archives inside a folder are not opened: pass "
                          "them as paths, e.g. FOLDER/*.whl): "
                          + escape(", ".join(empty[:5])))
        if payload["skipped"]:
            console.print(f"[yellow]warning:[/] skipped {len(payload['skipped'])} "
                          "repositories:")
            for item in payload["skipped"][:20]:
                console.print(f"  - {item}", markup=False)
        console.print(f"[dim]Rule: docs/scan.md ({payload['scanner']}). "
                      f"{sources_line(payload['sources'])}[/]")
    return draw


def _progress() -> tuple[Any, Any]:
    """A progress bar on stderr when it is a terminal (never on stdout: --json stays clean)."""
    if not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress("scanning", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task("scan", total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return bar, update


def scan_command(
    paths: Annotated[list[str], typer.Argument(
        help="Directories, git checkouts, zip/wheel or tar(.gz) archives, or text files "
             "listing such paths one per line.", show_default=False, metavar="PATH")],
    engine: Annotated[str, typer.Option(
        "--engine", help="local (a process pool) or ray (Ray tasks; the `ray` extra).")]
    = "local",
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Worker processes (local engine; default: the CPU count). With "
                          "--engine ray and no --ray-address: CPUs of the local instance.",
        show_default=False)] = None,
    ray_address: Annotated[str | None, typer.Option(
        "--ray-address", help="host:port of an existing Ray cluster's head node.")] = None,
    urls: Annotated[Path | None, typer.Option(
        "--urls", help="CSV with columns path,url: repository URLs for the paper join.")]
    = None,
    full_parse: Annotated[bool, typer.Option(
        "--full-parse", help="Parse every Python file with ast (slower; the cheap first pass "
                             "gives the same result).")] = False,
    max_file_size: Annotated[int, typer.Option(
        "--max-file-size", help="Skip (and count) files bigger than this many bytes.")]
    = 1 << 20,
    batch_size: Annotated[int, typer.Option(
        "--batch-size", help="Results committed to the store per transaction.")] = 100,
    data_date: DataDateOption = None,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
) -> None:
    """Which framework code is written in: scan repositories and store the results.

    Reads Python imports (guarded ones count less), notebooks and declared dependencies; never
    runs, imports or unpacks what it reads. An interrupted scan resumes: repositories already
    stored with the same content hash are not read again. The rule: docs/scan.md.

    Example: fwatlas scan ./my-repo project.whl repos.txt --workers 2 --json
    """
    from fwatlas.scanning import ScanInterrupted, check_options, scan_paths

    check_options(engine=engine, workers=workers, batch_size=batch_size,
                  max_file_size=max_file_size, ray_address=ray_address)
    bar, update = _progress()
    try:
        if bar is not None:
            bar.start()
        report = scan_paths(paths, engine=engine, workers=workers, ray_address=ray_address,
                            urls=urls, full_parse=full_parse, max_file_size=max_file_size,
                            batch_size=batch_size,
                            data_date=parse_date(data_date, "--data-date"), db=db,
                            progress=update)
    except ScanInterrupted as stop:
        typer.echo(f"fwatlas: interrupted; {stop.written} repositories were stored "
                   f"(snapshot s{stop.num}, open); run the same command again to resume",
                   err=True)
        raise typer.Exit(130) from None
    finally:
        if bar is not None:
            bar.stop()
    payload = report.as_dict()
    emit(Output(payload, table=_scan_table(payload)), output_format(fmt, json_out), out)
    if payload["skipped"] and output_format(fmt, json_out) is not Format.table:
        typer.echo(f"fwatlas: warning: skipped {len(payload['skipped'])} repositories "
                   "(listed under 'skipped')", err=True)


def register(app: typer.Typer) -> None:
    from fwatlas.cli.trends_commands import trends_app

    app.command("scan")(scan_command)
    add(trends_app, "trends repos")
