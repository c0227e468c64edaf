"""Commands about the store itself: ingest, refresh, snapshots, facts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from fwatlas.cli.options import (
    DataDateOption,
    DbOption,
    JsonOnlyFlag,
    parse_date,
)
from fwatlas.cli.output import Format, Output, emit
from fwatlas.cli.table_commands import add


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
    json_out: JsonOnlyFlag = False,
) -> None:
    """Ingest a file or directory of evidence as a new snapshot.

    An ingest lands whole or not at all; the same content again is a no-op.

    Example: fwatlas ingest hub models.parquet --data-date 2026-11-01
    """
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from fwatlas.ingestion import ingest
    from fwatlas.streams import progress_reporting

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


def _refresh(kind: str, db: Path | None, json_out: bool, options: dict[str, Any]) -> None:
    """Fetch current evidence of ``kind`` from its public service, then ingest it."""
    from fwatlas.refreshing import refresh

    payload = refresh(kind, db=db, **options).as_dict()
    emit(Output(payload, table=_ingest_table(payload)),
         Format.json if json_out else Format.table)


def refresh_all_command(db: DbOption = None, json_out: JsonOnlyFlag = False) -> None:
    """Run every fetcher that works on its defaults and print one line per kind.

    Exit 3 only when every kind was unreachable; a kind that needs a choice (paper-code: a
    venue and year) or follows stored links (repos) runs on its own.

    Example: fwatlas refresh all
    """
    from fwatlas.errors import SourceUnavailable
    from fwatlas.refresh_all import all_unreachable, refresh_all

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


def refresh_kind_command(kind: str) -> Any:
    """``fwatlas refresh KIND``: a command with only the options that kind's fetcher takes
    (declared in ``fwatlas.refreshing``; this only maps them onto Typer options)."""
    import inspect

    from fwatlas.refreshing import options_of

    params = [
        inspect.Parameter("db", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=DbOption),
        inspect.Parameter("json_out", inspect.Parameter.KEYWORD_ONLY, default=False,
                          annotation=JsonOnlyFlag),
    ]
    for option in options_of(kind):
        params.append(inspect.Parameter(
            option.name, inspect.Parameter.KEYWORD_ONLY, default=option.default,
            annotation=Annotated[option.type, typer.Option(option.flag, help=option.help)]))

    def command(**kw: Any) -> None:
        db, json_out = kw.pop("db"), kw.pop("json_out")
        _refresh(kind, db, json_out, kw)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    command.__doc__ = (f"Fetch current {kind} evidence from its public service, then ingest it."
                       "\n\nOnly refresh touches the network. Offline it says so and exits 3."
                       f"\n\nExample: fwatlas refresh {kind}")
    command.__name__ = f"refresh_{kind.replace('-', '_')}"
    return command


def migrate_command(db: DbOption = None, json_out: JsonOnlyFlag = False) -> None:
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
    json_out: JsonOnlyFlag = False,
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
    json_out: JsonOnlyFlag = False,
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
    json_out: JsonOnlyFlag = False,
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
    refresh_app = typer.Typer(
        name="refresh", no_args_is_help=True, rich_markup_mode=None,
        help="Fetch current evidence from its public service, then ingest it (one subcommand "
             "per source kind with an online fetcher, and `all`; `fwatlas refresh KIND --help` "
             "lists that kind's options). Only this command touches the network.")
    refresh_app.command("all")(refresh_all_command)
    from fwatlas.refreshing import REFRESH_OPTIONS

    for kind in REFRESH_OPTIONS:
        refresh_app.command(kind)(refresh_kind_command(kind))
    app.add_typer(refresh_app, name="refresh")
    from fwatlas.commands import command

    snapshots = typer.Typer(invoke_without_command=True, no_args_is_help=False,
                            help=command("snapshots").help, rich_markup_mode=None)
    add(snapshots, "snapshots", group=True)
    snapshots.command("use")(use_command)
    snapshots.command("unpin")(unpin_command)
    snapshots.command("redate")(redate_command)
    app.add_typer(snapshots, name="snapshots")
    add(app, "facts")
    app.command("migrate")(migrate_command)
