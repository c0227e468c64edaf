"""``fwatlas probe setup|run|results``: measure deployment paths in a separate environment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from fwatlas.cli.options import (
    DbOption,
    JsonOnlyFlag,
)
from fwatlas.cli.output import Format, Output, emit
from fwatlas.cli.table_commands import add

EnvOption = Annotated[Path | None, typer.Option(
    "--env", help="The probe environment (default ~/.cache/fwatlas/probe-env).")]


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


def setup_command(
    env: EnvOption = None,
    installer: Annotated[str | None, typer.Option(
        "--installer", help="uv or pip (default: uv when it is on PATH).")] = None,
) -> None:
    """Create the probe environment (torch, TensorFlow, JAX, Keras, exporters; about 4 GiB)
    from the lock file shipped with fwatlas. It says the size before it starts.

    Example: fwatlas probe setup
    """
    from fwatlas.errors import InputError, opt
    from fwatlas.probe.environment import default_env, setup

    if installer not in (None, "uv", "pip"):
        raise InputError(f"{opt('installer')} {installer!r} is not one of: uv, pip")
    target = env or default_env()
    setup(target, installer=installer, say=lambda m: typer.echo(m, err=True))
    typer.echo(f"probe environment ready: {target}")


def run_command(
    env: EnvOption = None,
    paths: Annotated[list[str] | None, typer.Option(
        "--paths", help="Only these paths (ids or a framework; repeat or comma-separate).")]
    = None,
    models: Annotated[list[str] | None, typer.Option(
        "--models", help="cnn, block (default both).")] = None,
    size: Annotated[str | None, typer.Option(
        "--size", help="tiny or medium (default both).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Measure again even when the installed versions are unchanged.")]
    = False,
    results: Annotated[Path | None, typer.Option(
        "--results", help="Write the JSON lines here (default under ~/.cache/fwatlas/probe/).")]
    = None,
    timeout: Annotated[float | None, typer.Option(
        "--timeout", help="Seconds one probe may take before it is killed (default 600).")]
    = None,
    no_ingest: Annotated[bool, typer.Option(
        "--no-ingest", help="Only write the results file; do not ingest it.")] = False,
    db: DbOption = None,
    json_out: JsonOnlyFlag = False,
) -> None:
    """Run the probes: export each reference model through each path, load and run it, and
    record ok/stage, size, latency and parity; then ingest the file as a `probe` snapshot.

    Example: fwatlas probe run --paths pytorch --size tiny
    """
    import datetime as dt

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from fwatlas import settings
    from fwatlas.errors import InputError, opt
    from fwatlas.probe.environment import default_env
    from fwatlas.probe.orchestrate import run_probes
    from fwatlas.probe.records import write_results
    from fwatlas.probe.spec import MODELS, SIZES, load_spec

    spec = load_spec()
    chosen = spec.select(_split(paths))
    model_list = _split(models) or list(MODELS)
    bad = [m for m in model_list if m not in MODELS]
    if bad:
        raise InputError(f"{opt('models')}: unknown {', '.join(bad)}; valid: {', '.join(MODELS)}")
    if size is not None and size not in SIZES:
        raise InputError(f"{opt('size')} {size!r} is not one of: {', '.join(SIZES)}")
    if timeout is not None and timeout <= 0:
        raise InputError(f"{opt('timeout')} must be a positive number of seconds")
    console = Console(stderr=True)
    with Progress(TextColumn("probing"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  disable=not console.is_terminal) as bar:
        task = bar.add_task("", total=None)

        def report(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=label)

        summary = run_probes(spec, env or default_env(), paths=chosen,
                             models=tuple(model_list),
                             sizes=(size,) if size else tuple(SIZES), force=force,
                             timeout_s=timeout, progress=report)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = results or settings.cache_dir() / "probe" / f"results-{stamp}.jsonl"
    write_results(summary.records, out)
    payload: dict[str, Any] = {"sources": [], "results_file": str(out),
                               "run": summary.as_dict(), "ingest": None}
    if not no_ingest:
        from fwatlas.ingestion import ingest

        payload["ingest"] = ingest("probe", out, db=db).as_dict()
        payload["sources"] = payload["ingest"]["sources"]

    def draw(con: Any) -> None:
        run = payload["run"]
        con.print(f"{run['records']} probes: {run['ok']} ok, {run['failed']} failed, "
                  f"{run['unsupported']} unsupported by design ({run['measured']} measured, "
                  f"{run['cached']} from the cache) in {run['wall_s']:.0f} s; "
                  f"{run['processes']} processes", markup=False)
        if run["wall_s"] > 0 and run["measured"]:
            share = (run["startup_s"] + run["import_s"]) / run["wall_s"]
            con.print(f"process start-up {run['startup_s']:.1f} s, framework imports "
                      f"{run['import_s']:.1f} s: {share:.0%} of the wall time", markup=False)
        con.print(f"results: {out}", markup=False)
        if payload["ingest"]:
            for s in payload["ingest"]["created"]:
                con.print(f"ingested as {s['snapshot_id']} (data of {s['data_date']})",
                          markup=False)
            for s in payload["ingest"]["already_ingested"]:
                con.print(f"already ingested as {s['snapshot_id']}", markup=False)

    emit(Output(payload, table=draw), Format.json if json_out else Format.table)


def register(app: typer.Typer) -> None:
    probe_app = typer.Typer(name="probe", help="Measure deployment paths: export reference "
                                                "models, load and run the artifacts.",
                            no_args_is_help=True, rich_markup_mode=None)
    probe_app.command("setup")(setup_command)
    probe_app.command("run")(run_command)
    add(probe_app, "probe results")
    app.add_typer(probe_app, name="probe")
