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
    SnapshotOption,
    output_format,
    parse_date,
)
from fwatlas.cli.output import Format, Output, emit, percent, sources_line


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
    import datetime as dt

    from fwatlas.errors import InputError
    from fwatlas.scan import rules
    from fwatlas.scan.detect import ScanOptions
    from fwatlas.scan.engines import check_ray_address, import_ray
    from fwatlas.scan.run import ScanRequest, collect_tasks, default_workers, scan_tasks
    from fwatlas.sources.repos import ScanStore
    from fwatlas.store.atlas import open_writer

    if engine not in ("local", "ray"):
        raise InputError(f"--engine must be local or ray, not {engine!r}")
    if workers is not None and workers < 1:
        raise InputError(f"--workers must be at least 1, not {workers}")
    if batch_size < 1 or max_file_size < 1:
        raise InputError("--batch-size and --max-file-size must be positive")
    if ray_address and engine != "ray":
        raise InputError("--ray-address needs --engine ray")
    when = parse_date(data_date, "--data-date")
    tasks, problems = collect_tasks(paths, urls=urls)
    if engine == "ray":
        import_ray()
        if ray_address:
            check_ray_address(ray_address)
    n_workers = workers or default_workers()
    with open_writer(db, components=["repos"]) as atlas:
        store = ScanStore(atlas, origin=" ".join(paths)[:500], scanner=rules.signature(),
                          data_date=when or dt.datetime.now(dt.UTC).date(),
                          data_date_source="--data-date" if when else "scan date")
        request = ScanRequest(tasks=tasks, engine=engine, workers=n_workers,
                              ray_address=ray_address,
                              options=ScanOptions(full_parse=full_parse,
                                                  max_bytes=max_file_size),
                              known=frozenset(store.known_hashes()), batch_size=batch_size)
        bar, update = _progress()
        try:
            if bar is not None:
                bar.start()
            outcome = scan_tasks(request, sink=store.write, progress=update)
        except KeyboardInterrupt:
            typer.echo(f"fwatlas: interrupted; {store.written} repositories were stored "
                       f"(snapshot s{store.num}, open); run the same command again to resume",
                       err=True)
            raise typer.Exit(130) from None
        finally:
            if bar is not None:
                bar.stop()
        if not outcome.results and not outcome.already and store.num is None \
                and (problems or outcome.failed):
            first = problems[0] if problems else (outcome.failed[0].path,
                                                  outcome.failed[0].reason)
            n = len(problems) + len(outcome.failed)
            raise InputError(f"no repository could be read ({n} skipped; first: "
                             f"{first[0]}: {first[1]})")
        for item, reason in problems:
            store.skip(item, reason)
        for failed in outcome.failed:
            store.skip(failed.path, failed.reason)
        snapshot = store.finish()
        stored = store.stored(a.content_hash for a in outcome.already)
        rows: list[dict[str, Any]] = []
        sources: dict[str, dict[str, Any]] = {}
        if snapshot is not None and outcome.results:
            sources[snapshot.id] = snapshot.source()
        for r in outcome.results:
            rows.append({**r.as_row(), "snapshot_id": snapshot.id if snapshot else None,
                         "already_scanned": False})
        from fwatlas.sources.repos import stored_row

        for a in outcome.already:
            found = stored.get(a.content_hash)
            if found is None:
                continue
            row, snap = found
            sources[snap.id] = snap.source()
            rows.append({**stored_row(row), "path": a.path, "snapshot_id": snap.id,
                         "already_scanned": True})
    order = {t.given: i for i, t in enumerate(tasks)}
    rows.sort(key=lambda r: order.get(r["path"], len(order)))
    files = outcome.files
    payload = {
        "sources": list(sources.values()),
        "scanner": outcome.scanner,
        "engine": {"name": outcome.engine, "workers": outcome.workers,
                   "driver_process": outcome.driver_id,
                   "worker_processes": sorted(outcome.worker_ids)},
        "summary": {"repositories": len(tasks), "scanned": len(outcome.results),
                    "already_scanned": len(outcome.already),
                    "skipped": len(problems) + len(outcome.failed),
                    "files_scanned": files, "bytes_read": outcome.bytes_read,
                    "seconds": round(outcome.seconds, 3),
                    "files_per_second": round(files / outcome.seconds, 1)
                    if outcome.seconds else None,
                    "resumed": f"s{store.resumed}" if store.resumed else None,
                    "snapshot_id": snapshot.id if snapshot else None},
        "skipped": [f"{i}: {r}" for i, r in problems]
                   + [f"{f.path}: {f.reason}" for f in outcome.failed],
        "rows": rows,
    }
    emit(Output(payload, table=_scan_table(payload)), output_format(fmt, json_out), out)
    if payload["skipped"] and output_format(fmt, json_out) is not Format.table:
        typer.echo(f"fwatlas: warning: skipped {len(payload['skipped'])} repositories "
                   "(listed under 'skipped')", err=True)


def _date_or_year(value: str | None, option: str, end: bool) -> Any:
    if value is None:
        return None
    import datetime as dt

    if value.isdigit() and len(value) == 4:
        return dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
    return parse_date(value, option)


def trends_repos_command(
    date_from: Annotated[str | None, typer.Option(
        "--from", help="First repository date (YYYY or YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option(
        "--to", help="Last repository date (YYYY or YYYY-MM-DD).")] = None,
    snapshot: SnapshotOption = None,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
) -> None:
    """Per quarter, the share of scanned repositories by framework (F5 from fwatlas's own
    scans); each repository's date (first commit or archive date) is stated with it.

    Example: fwatlas trends repos --from 2019 --json
    """
    from fwatlas.analyses.repo_trends import SHOWN
    from fwatlas.payloads import repo_trends_payload
    from fwatlas.store.atlas import open_atlas

    payload = repo_trends_payload(open_atlas(db), snapshot=snapshot,
                                  date_from=_date_or_year(date_from, "--from", False),
                                  date_to=_date_or_year(date_to, "--to", True))

    def draw(console: Any) -> None:
        from rich.table import Table

        t = Table(title="Scanned repositories per quarter by framework (date: first commit or "
                        "archive date)")
        t.add_column("quarter")
        t.add_column("repos", justify="right")
        for c in SHOWN:
            t.add_column(c, justify="right")
        for r in payload["rows"]:
            t.add_row(r["quarter"], str(r["repositories"]), *(percent(r[f"{c}_share"])
                                                               for c in SHOWN))
        console.print(t, markup=False)
        console.print(f"{payload['repositories_total']} repositories; undated (left out of the "
                      f"quarters): {payload['undated']}", markup=False)
        join = payload["papers_join"]
        if join:
            console.print(f"Papers with Code ({join['pwc_snapshot_id']}): "
                          f"{join['repositories_with_papers']} of {join['repositories_with_url']}"
                          f" repositories with a URL have papers; same framework as PwC: "
                          f"{join['same_framework_as_pwc']}, different: "
                          f"{join['different_framework_from_pwc']}", markup=False)
        if payload["hint"]:
            console.print(f"Note: {payload['hint']}", markup=False)
        for n in payload["notes"]:
            console.print(f"[dim]Method – {n}[/]")
        console.print(f"[dim]{sources_line(payload['sources'])}[/]")

    emit(Output(payload, table=draw), output_format(fmt, json_out), out)


def register(app: typer.Typer) -> None:
    from fwatlas.cli.trends_commands import trends_app

    app.command("scan")(scan_command)
    trends_app.command("repos")(trends_repos_command)
