"""Commands about the store itself: ingest, refresh, snapshots, facts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from fwatlas.cli.options import (
    DataDateOption,
    DbOption,
    FormatOption,
    JsonFlag,
    OutPath,
    SnapshotsOption,
    output_format,
    parse_date,
)
from fwatlas.cli.output import Format, Output, emit


def _ingest_table(result: dict[str, Any]) -> Any:
    def draw(console: Any) -> None:
        from rich.markup import escape

        for s in result["created"]:
            console.print(f"ingested {s['rows']:,} rows as {s['snapshot_id']} "
                          f"({s['dataset']}, data of {s['data_date']}: {s['data_date_source']})",
                          markup=False, highlight=False)
        for s in result["already_ingested"]:
            console.print(f"already ingested: the same content is snapshot {s['snapshot_id']} "
                          f"({s['dataset']}); nothing to do", markup=False)
        for note in result.get("notes", []):
            console.print(f"[yellow]note:[/] {escape(note)}")
        if result["ignored"]:
            console.print(f"ignored {len(result['ignored'])}: " + ", ".join(result["ignored"]),
                          markup=False)
        if result["skipped"]:
            console.print(f"[yellow]warning:[/] skipped {result['skipped']} item(s):")
            for item in result["skipped_items"][:20]:
                console.print(f"  - {item}", markup=False)
            if result["skipped"] > 20:
                console.print(f"  … and {result['skipped'] - 20} more "
                              "(see fwatlas snapshots --json)")
    return draw


def ingest_command(
    kind: Annotated[str, typer.Argument(help="Source kind: hub, papers, pwc, pypi-downloads, "
                                             "github, jobs, qa, … (see README).")],
    path: Annotated[Path, typer.Argument(help="A file or directory of that kind.")],
    data_date: DataDateOption = None,
    metadata: Annotated[Path | None, typer.Option(
        "--metadata", help="papers: the metadata file (CSV or JSON) for a folder of PDFs/texts; "
                           "pwc: the papers-with-abstracts dump (for dates)."
    )] = None,
    db: DbOption = None,
    json_out: JsonFlag = False,
) -> None:
    """Ingest a file or directory of evidence as a new snapshot.

    An ingest lands whole or not at all; the same content again is a no-op.

    Example: fwatlas ingest hub models.parquet --data-date 2026-11-01
    """
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from fwatlas.ingestion import ingest
    from fwatlas.sources.base import progress_reporting

    options: dict[str, Any] = {}
    if metadata is not None:
        options["metadata"] = metadata
    when = parse_date(data_date, "--data-date")
    console = Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"),
                  TextColumn("{task.completed:,} rows"), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(f"ingesting {kind} from {path.name}", total=None)
        with progress_reporting(lambda _path, rows: bar.advance(task, rows)):
            result = ingest(kind, path, db=db, data_date=when, **options)
    payload = result.as_dict()
    emit(Output(payload, table=_ingest_table(payload)),
         Format.json if json_out else Format.table)


def refresh_command(
    kind: Annotated[str, typer.Argument(
        help="Source kind with an online fetcher (hub, registry, pypi-downloads, github, jobs, "
             "qa, paper-code, repos, coverage), or all.")],
    db: DbOption = None,
    json_out: JsonFlag = False,
    limit: Annotated[int | None, typer.Option(
        "--limit", help="hub: page list_models and stop after this many models; "
                        "registry/github: only the first N packages/repositories; jobs/qa: at "
                        "most N months, newest first.")] = None,
    max_age: Annotated[str | None, typer.Option(
        "--max-age", help="registry: skip packages fetched more recently than this "
                          "(e.g. 6h, 2d).")] = None,
    concurrency: Annotated[int | None, typer.Option(
        "--concurrency", help="registry: concurrent requests (default 8); repos: concurrent "
                              "archive downloads (default 8).")] = None,
    venue: Annotated[str | None, typer.Option(
        "--venue", help="paper-code: the Paper Copilot venue (cvpr, iccv, …); repos: only "
                        "this venue's links.")] = None,
    year: Annotated[int | None, typer.Option(
        "--year", help="paper-code: the edition's year; repos: only this year's links.")]
    = None,
    versions: Annotated[list[str] | None, typer.Option(
        "--versions", help="coverage: the transformers releases to count (repeat the option; "
                           "default: the bundled releases).")] = None,
    repos: Annotated[Path | None, typer.Option(
        "--repos", help="github: a file of owner/name lines instead of the configured "
                        "framework repositories.")] = None,
    history: Annotated[bool, typer.Option(
        "--history", help="github: also rebuild the star history from starred_at pages "
                          "(repositories under 40,000 stars).")] = False,
    date_from: Annotated[str | None, typer.Option(
        "--from", help="jobs/qa: the first month (YYYY-MM) to fetch; default 2015-11.")]
    = None,
    site: Annotated[str | None, typer.Option(
        "--site", help="qa: stackoverflow (default) or datascience.")] = None,
) -> None:
    """Fetch current evidence from its public service, then ingest it.

    Only this command touches the network. Offline it says so and exits 3. `all` runs every
    fetcher and prints one line per kind (exit 3 only when every kind was unreachable).

    Example: fwatlas refresh all
    """
    import importlib

    from fwatlas.errors import InputError
    from fwatlas.sources import base

    options = {k: v for k, v in {"max_age": max_age, "concurrency": concurrency,
                                 "repos": repos, "history": history or None,
                                 "date_from": date_from, "site": site,
                                 "venue": venue, "year": year,
                                 "versions": versions or None}.items()
               if v is not None}
    if kind == "all":
        if options or limit is not None:
            raise InputError("refresh all runs every fetcher with its defaults; options "
                             "belong to one kind (fwatlas refresh KIND …)")
        _refresh_all(db, json_out)
        return
    source = base.get(kind)
    if source.refresh_module is None:
        raise InputError(f"{kind} has no online fetcher; use fwatlas ingest {kind} PATH")
    import inspect

    module = importlib.import_module(source.refresh_module)
    declared = getattr(module, "OPTIONS", None)
    params = inspect.signature(module.refresh).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    for name in options:
        known = name in declared if declared is not None else (takes_any or name in params)
        if not known:
            flag = "--from" if name == "date_from" else f"--{name.replace('_', '-')}"
            raise InputError(f"{flag} is not an option of refresh {kind}")
    result = module.refresh(db=db, limit=limit, **options)
    payload = result.as_dict()
    emit(Output(payload, table=_ingest_table(payload)),
         Format.json if json_out else Format.table)


def _refresh_all(db: Path | None, json_out: bool) -> None:
    from fwatlas.errors import SourceUnavailable
    from fwatlas.sources.refresh_all import all_unreachable, refresh_all

    outcomes = refresh_all(db)
    payload = {"sources": [src for o in outcomes for src in o.sources],
               "rows": [o.as_dict() for o in outcomes]}

    def draw(console: Any) -> None:
        for o in outcomes:
            console.print(o.line(), markup=False, highlight=False)
            for note in o.notes:
                console.print(f"  note: {note}", markup=False, highlight=False)

    if all_unreachable(outcomes):
        raise SourceUnavailable("every source was unreachable: " + "; ".join(
            f"{o.kind}: {o.message}" for o in outcomes))
    emit(Output(payload, table=draw), Format.json if json_out else Format.table)


def snapshots_command(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this source kind.")] = None,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
    snapshot: SnapshotsOption = None,
) -> None:
    """List snapshots: the store's ingests and the bundled reference's datasets, and per
    dataset which one is read and why (the others are shadowed).

    Subcommands: `use ID` pins the snapshot read for its dataset, `unpin DATASET` undoes it,
    `redate ID DATE` corrects a data date.

    Example: fwatlas snapshots --kind hub
    """
    if ctx.invoked_subcommand is not None:
        return
    from fwatlas.payloads import snapshots_payload
    from fwatlas.store.atlas import open_atlas

    payload = snapshots_payload(open_atlas(db, snapshot or ()), kind=kind)

    def draw(console: Any) -> None:
        from rich.table import Table

        t = Table(title="Snapshots")
        # ids are what --snapshot takes: never cut or broken; the long origin gives way
        t.add_column("id", no_wrap=True)
        for c in ("kind", "dataset", "data date", "rows", "skipped", "ingested", "read",
                  "origin"):
            t.add_column(c, overflow="fold")
        for s in payload["rows"]:
            t.add_row(s["snapshot_id"], s["kind"], s["dataset"], s["data_date"] or "–",
                      f"{s['rows']:,}", str(s["skipped"]),
                      (s["ingested_at"] or "bundled reference")[:19], s["read"],
                      s["origin"][:60])
        console.print(t, markup=False)
        for s in payload["rows"]:
            if s["read"] != "read" or not s["reference"]:
                console.print(f"{s['snapshot_id']} ({s['dataset']}): {s['read']} – {s['why']}",
                              markup=False, highlight=False)

    emit(Output(payload, table=draw), output_format(fmt, json_out), out)


def facts_command(
    prefix: Annotated[str | None, typer.Option("--prefix", help="Only facts under this name.")]
    = None,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
    snapshot: SnapshotsOption = None,
) -> None:
    """List every fact analyses publish, with value, unit, basis, sources and date.

    Rulesets and verdicts may name only facts this command lists.

    Example: fwatlas facts --prefix hub.share_exclusive
    """
    from fwatlas.payloads import facts_payload
    from fwatlas.store.atlas import open_atlas

    payload = facts_payload(open_atlas(db, snapshot or ()), prefix=prefix)

    def draw(console: Any) -> None:
        from rich.table import Table

        t = Table(title=f"Facts{' under ' + prefix if prefix else ''}")
        for c in ("name", "value", "unit", "n", "95 % CI", "basis", "data date", "source"):
            t.add_column(c, overflow="fold")
        for f in payload["rows"]:
            value = f["value"]
            shown = f"{value:.4g}" if isinstance(value, float) else str(value)
            # a month- or year-precise date is shown as curated, not as its first day
            day = f.get("data_date_as_curated") or f["data_date"] or "–"
            ci = f.get("ci95")
            t.add_row(f["name"], "null" if value is None else shown, f["unit"],
                      "–" if f.get("n") is None else f"{f['n']:,}",
                      f"{ci[0]:.3f}–{ci[1]:.3f}" if ci else "–", f["basis"], day,
                      ", ".join(str(s.get("snapshot_id")) for s in f["sources"]))
        console.print(t, markup=False)

    emit(Output(payload, table=draw), output_format(fmt, json_out), out)


def migrate_command(db: DbOption = None, json_out: JsonFlag = False) -> None:
    """Upgrade a store written by an older fwatlas (read commands refuse it until then).

    Example: fwatlas migrate --db atlas.duckdb
    """
    from fwatlas.store.atlas import migrate

    versions = migrate(db)
    payload = {"sources": [], "components": {c: {"before": b, "after": a}
                                             for c, (b, a) in versions.items()}}

    def draw(console: Any) -> None:
        for c, (b, a) in versions.items():
            console.print(f"{c}: schema v{b} -> v{a}" if a != b else f"{c}: up to date (v{a})")

    emit(Output(payload, table=draw), Format.json if json_out else Format.table)


def use_command(
    snapshot_id: Annotated[str, typer.Argument(help="The snapshot to read for its dataset.")],
    db: DbOption = None,
    json_out: JsonFlag = False,
) -> None:
    """Pin a snapshot as the one read for its dataset (kept in the store until unpinned).

    Example: fwatlas snapshots use s3
    """
    from fwatlas.store.pins import pin

    snap = pin(snapshot_id, db)
    payload = {"sources": [snap.source()], "pinned": {snap.dataset: snap.id}}
    emit(Output(payload, table=lambda c: c.print(
        f"{snap.dataset}: analyses read {snap.id} (data of {snap.data_date}) until "
        f"`fwatlas snapshots unpin {snap.dataset}`", markup=False)),
        Format.json if json_out else Format.table)


def unpin_command(
    dataset: Annotated[str, typer.Argument(help="The dataset whose pin to remove (hub/models).")],
    db: DbOption = None,
    json_out: JsonFlag = False,
) -> None:
    """Remove a dataset's pin: its newest snapshot of yours is read again.

    Example: fwatlas snapshots unpin hub/models
    """
    from fwatlas.store.pins import unpin

    was = unpin(dataset, db)
    payload = {"sources": [], "unpinned": {dataset: was}}
    emit(Output(payload, table=lambda c: c.print(
        f"{dataset}: no longer pinned to {was}", markup=False)),
        Format.json if json_out else Format.table)


def redate_command(
    snapshot_id: Annotated[str, typer.Argument(help="One of your snapshots.")],
    day: Annotated[str, typer.Argument(help="Its correct data date, YYYY-MM-DD.")],
    db: DbOption = None,
    json_out: JsonFlag = False,
) -> None:
    """Correct the data date of one of your snapshots (the old one is kept in its note).

    Example: fwatlas snapshots redate s3 2022-03-01
    """
    from fwatlas.store.pins import redate

    when = parse_date(day, "DATE")
    assert when is not None
    snap = redate(snapshot_id, when, db)
    payload = {"sources": [snap.source()], "snapshot_id": snap.id,
               "data_date": snap.data_date, "data_date_source": snap.data_date_source}
    emit(Output(payload, table=lambda c: c.print(
        f"{snap.id}: data of {snap.data_date} ({snap.data_date_source})", markup=False)),
        Format.json if json_out else Format.table)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("refresh")(refresh_command)
    snapshots = typer.Typer(invoke_without_command=True, no_args_is_help=False,
                            help=snapshots_command.__doc__, rich_markup_mode=None)
    snapshots.callback()(snapshots_command)
    snapshots.command("use")(use_command)
    snapshots.command("unpin")(unpin_command)
    snapshots.command("redate")(redate_command)
    app.add_typer(snapshots, name="snapshots")
    app.command("facts")(facts_command)
    app.command("migrate")(migrate_command)
