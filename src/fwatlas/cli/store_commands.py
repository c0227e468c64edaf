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
    JsonOnlyFlag,
    OutPath,
    Values,
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
    json_out: JsonOnlyFlag = False,
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


#: The options of each kind's online fetcher – ``fwatlas refresh KIND --help`` shows exactly
#: these. A new kind with a fetcher adds its line here (a test checks that every kind with a
#: ``refresh_module`` has one).
REFRESH_OPTIONS: dict[str, tuple[str, ...]] = {
    "hub": ("limit",),
    "pypi-downloads": (),
    "registry": ("limit", "max_age", "concurrency"),
}

_OPTION_HELP = {
    "limit": (int | None, "--limit", "Stop after this many items (hub: models, paged from "
                                     "list_models; registry: the first N packages)."),
    "max_age": (str | None, "--max-age", "Skip packages fetched more recently than this "
                                         "(e.g. 6h, 2d)."),
    "concurrency": (int | None, "--concurrency", "Concurrent requests (default 8)."),
}


def _refresh(kind: str, db: Path | None, json_out: bool, options: dict[str, Any]) -> None:
    """Fetch current evidence of ``kind`` from its public service, then ingest it."""
    import importlib

    from fwatlas.sources import base

    source = base.get(kind)
    assert source.refresh_module is not None
    module = importlib.import_module(source.refresh_module)
    given = {k: v for k, v in options.items() if v is not None}
    limit = given.pop("limit", None)
    result = module.refresh(db=db, limit=limit, **given)
    payload = result.as_dict()
    emit(Output(payload, table=_ingest_table(payload)),
         Format.json if json_out else Format.table)


def refresh_kind_command(kind: str) -> Any:
    """``fwatlas refresh KIND``: a command with only the options that kind's fetcher takes."""
    import inspect

    params = [
        inspect.Parameter("db", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=DbOption),
        inspect.Parameter("json_out", inspect.Parameter.KEYWORD_ONLY, default=False,
                          annotation=JsonOnlyFlag),
    ]
    for name in REFRESH_OPTIONS[kind]:
        kind_type, flag, text = _OPTION_HELP[name]
        params.append(inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=None,
            annotation=Annotated[kind_type, typer.Option(flag, help=text)]))

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


def snapshots_command(
    kind: Annotated[str | None, typer.Option("--kind", metavar=Values("fwatlas.sources.base:KINDS"),
                                             help="Only this source kind.")] = None,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
) -> None:
    """List snapshots: the store's ingests and the bundled reference's datasets.

    Example: fwatlas snapshots --kind hub
    """
    from fwatlas.payloads import snapshots_payload
    from fwatlas.store.atlas import open_atlas

    payload = snapshots_payload(open_atlas(db), kind=kind)

    def draw(console: Any) -> None:
        from rich.table import Table

        t = Table(title="Snapshots")
        # ids are what --snapshot takes: never cut or broken; the long origin gives way
        t.add_column("id", no_wrap=True)
        for c in ("kind", "dataset", "data date", "rows", "skipped", "ingested", "origin"):
            t.add_column(c, overflow="fold")
        for s in payload["rows"]:
            t.add_row(s["snapshot_id"], s["kind"], s["dataset"], s["data_date"] or "–",
                      f"{s['rows']:,}", str(s["skipped"]),
                      (s["ingested_at"] or "bundled reference")[:19], s["origin"][:60])
        console.print(t, markup=False)

    emit(Output(payload, table=draw), output_format(fmt, json_out), out)


def facts_command(
    prefix: Annotated[str | None, typer.Option("--prefix", help="Only facts under this name.")]
    = None,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
) -> None:
    """List every fact analyses publish, with value, unit, basis, sources and date.

    Rulesets and verdicts may name only facts this command lists.

    Example: fwatlas facts --prefix hub.share_exclusive
    """
    from fwatlas.payloads import facts_payload
    from fwatlas.store.atlas import open_atlas

    payload = facts_payload(open_atlas(db), prefix=prefix)

    def draw(console: Any) -> None:
        from rich.table import Table

        t = Table(title=f"Facts{' under ' + prefix if prefix else ''}")
        for c in ("name", "value", "unit", "basis", "data date", "source"):
            t.add_column(c, overflow="fold")
        for f in payload["rows"]:
            value = f["value"]
            shown = f"{value:.4g}" if isinstance(value, float) else str(value)
            # a month- or year-precise date is shown as curated, not as its first day
            day = f.get("data_date_as_curated") or f["data_date"] or "–"
            t.add_row(f["name"], "null" if value is None else shown, f["unit"], f["basis"],
                      day,
                      ", ".join(str(s.get("snapshot_id")) for s in f["sources"]))
        console.print(t, markup=False)

    emit(Output(payload, table=draw), output_format(fmt, json_out), out)


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


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    refresh_app = typer.Typer(
        name="refresh", no_args_is_help=True, rich_markup_mode=None,
        help="Fetch current evidence from its public service, then ingest it (one subcommand "
             "per source kind with an online fetcher; `fwatlas refresh KIND --help` lists "
             "that kind's options). Only this command touches the network.")
    for kind in REFRESH_OPTIONS:
        refresh_app.command(kind)(refresh_kind_command(kind))
    app.add_typer(refresh_app, name="refresh")
    app.command("snapshots")(snapshots_command)
    app.command("facts")(facts_command)
    app.command("migrate")(migrate_command)
