"""Knowledge-base commands: ``kb list|show|changes|validate`` and ``deploy-matrix``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from fwatlas.cli.options import (
    AsOfOption,
    DbOption,
    FormatOption,
    JsonFlag,
    JsonOnlyFlag,
    KbOption,
    OutPath,
    Values,
    output_format,
    parse_date,
)
from fwatlas.cli.output import Format, Output, emit


def _as_of(value: str | None) -> dt.date:
    return parse_date(value, "--as-of") or dt.date.today()


def _sources_line(sources: list[dict[str, Any]]) -> str:
    from fwatlas.cli.output import sources_line

    return sources_line(sources)


def _print_notes(console: Any, notes: list[str]) -> None:
    from rich.markup import escape

    for n in notes:
        console.print(f"[dim]{escape(n)}[/]")


def _list(s: list[str]) -> str:
    return ", ".join(s) or "–"


def list_command(
    framework: Annotated[str | None, typer.Option(
        "--framework", metavar=Values("fwatlas.kb.schema:FRAMEWORKS"),
                                                  help="pytorch, tensorflow, "
                                                  "jax, keras, ...")] = None,
    target: Annotated[str | None, typer.Option(
        "--target", metavar=Values("fwatlas.kb.schema:TARGETS", "fwatlas.kb.schema:TARGET_GROUPS"),
                                               help="A deployment target or group "
                                               "(server, mobile, embedded).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", metavar=Values("fwatlas.kb.schema:KINDS"),
                                             help="serving, export-bridge, "
                                             "mobile-edge, browser, hub, ...")] = None,
    status: Annotated[str | None, typer.Option(
        "--status", metavar=Values("fwatlas.kb.schema:STATUSES"),
                                               help="active, maintenance, "
                                               "deprecated, archived or renamed.")] = None,
    in_article: Annotated[bool, typer.Option("--in-article", help="Only tools the 2022 "
                                             "article names.")] = False,
    as_of: AsOfOption = None,
    kb_path: KbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
) -> None:
    """List knowledge-base entries, filtered; stale entries are marked.

    Example: fwatlas kb list --framework pytorch --target mobile --status active
    """
    from fwatlas.kb import load_kb
    from fwatlas.payloads import kb_list_payload

    day = _as_of(as_of)
    payload = kb_list_payload(framework=framework, target=target, kind=kind, status=status,
                              in_article=in_article, as_of=day, kb_path=kb_path)
    rows = payload["rows"]
    scope = load_kb(kb_path).as_of_scope(day, [r["name"] for r in rows])

    def draw(console: Any) -> None:
        from rich.table import Table

        t = Table(title=f"Knowledge base – {len(rows)} entries ({scope.title()})")
        for c in ("name", "kind", "frameworks", "targets", "status", "status date",
                  "replaced by", "article", "stale"):
            t.add_column(c)
        for r in rows:
            t.add_row(r["name"], r["kind"], _list(r["frameworks"]), _list(r["targets"]),
                      r["status"] or "unknown", r["status_date"] or "–",
                      r["replaced_by"] or "–", "yes" if r["in_article"] else "no",
                      "STALE" if r["stale"] else "")
        console.print(t, markup=False)
        _print_notes(console, payload["notes"])
        console.print(f"[dim]{_sources_line(payload['sources'])}[/]")

    emit(Output(payload, table=draw), output_format(fmt, json_out), out)


def show_command(
    name: Annotated[str, typer.Argument(help="An entry name such as torchserve.")],
    as_of: AsOfOption = None,
    kb_path: KbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
) -> None:
    """One entry: status, date, replacement, packages, sources and how it was checked.

    An unknown name exits 1 with close matches.

    Example: fwatlas kb show torchserve
    """
    from fwatlas.kb import load_kb
    from fwatlas.payloads import kb_show_payload

    day = _as_of(as_of)
    payload = kb_show_payload(name, as_of=day, kb_path=kb_path)
    entry = load_kb(kb_path).get(name)
    row = payload

    def draw(console: Any) -> None:
        from rich.table import Table

        t = Table(title=f"{entry.display} ({entry.name})", show_header=False)
        status = row["status"] or "unknown"
        if row["stale"]:
            status += f"  STALE (checked {row['checked_on']}, more than 12 months before {day})"
        t.add_row("status", status)
        t.add_row("status date", row["status_date"] or "–")
        if row["replaced_by"]:
            t.add_row("replaced by", row["replaced_by"] + (
                f" (now {row['successor']})" if row["successor"] not in (None,
                                                                          row["replaced_by"])
                else ""))
        t.add_row("kind", row["kind"])
        t.add_row("frameworks", _list(row["frameworks"]))
        t.add_row("targets", _list(row["targets"]))
        t.add_row("named in the 2022 article", "yes" if row["in_article"] else "no")
        t.add_row("PyPI", _list(row["pypi"]))
        t.add_row("npm", _list(row["npm"]))
        t.add_row("checked", f"{row['checked_on']} via {row['checked_via']}")
        for i, s in enumerate(row["entry_sources"], 1):
            sec = " [secondary]" if s["secondary"] else ""
            t.add_row(f"source {i}", f"{s['url']} ({s['date'] or 'undated'}){sec}"
                      + (f" – {s['note']}" if s["note"] else ""))
        if row["note"]:
            t.add_row("note", row["note"])
        console.print(t, markup=False)
        _print_notes(console, payload["notes"])
        console.print(f"[dim]Source: {row['snapshot_id']}[/]")

    emit(Output(payload, table=draw), output_format(fmt, json_out), out)


def changes_command(
    as_of: AsOfOption = None,
    kb_path: KbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
) -> None:
    """Every tool the 2022 article names whose status is no longer active.

    Example: fwatlas kb changes --json
    """
    from fwatlas.kb import load_kb
    from fwatlas.kb.changes import kb_changes
    from fwatlas.payloads import kb_changes_payload

    day = _as_of(as_of)
    payload = kb_changes_payload(as_of=day, kb_path=str(kb_path) if kb_path else None)
    rows = payload["rows"]
    kb = load_kb(kb_path)
    changes = kb_changes(kb, day)
    scope = kb.as_of_scope(day, [c.name for c in changes])

    def draw(console: Any) -> None:
        from rich.table import Table

        t = Table(title=f"What changed since the 2022 article ({len(rows)} tools; "
                        f"{scope.title()})")
        for col in ("tool", "status", "since", "replaced by", "stale", "source"):
            t.add_column(col)
        for c in changes:
            repl = "none named"
            if c.replaced_by:
                repl = c.replaced_by + (f" ({c.replacement_status})" if c.replacement_status
                                        else "")
            t.add_row(c.title, c.status or "unknown", c.status_date or "–", repl,
                      "STALE" if c.stale else "", c.source)
        console.print(t, markup=False)
        _print_notes(console, payload["notes"])
        console.print(f"[dim]{_sources_line(payload['sources'])}[/]")

    emit(Output(payload, table=draw), output_format(fmt, json_out), out)


def validate_command(
    path: Annotated[Path | None, typer.Argument(
        help="A knowledge-base file to check merged over the bundled one (default: the "
             "bundled one alone).", show_default=False)] = None,
    json_out: JsonOnlyFlag = False,
) -> None:
    """Validate a knowledge-base file against the schema; every problem names file, entry, field.

    The file is validated merged over the bundled knowledge base (as --kb reads it); the
    answer says how many entries the file itself holds and how many it adds or overlays.
    Exits 2 when anything is wrong.

    Example: fwatlas kb validate my-tools.yaml
    """
    from fwatlas.kb.query import validate

    result = validate(path)
    payload = result.as_dict()
    if json_out:
        emit(Output(payload), Format.json)
    elif result.problems:
        for p in result.problems:
            typer.echo(str(p), err=True)
    else:
        in_all = " in all" if path is not None else ""
        typer.echo(f"ok: validated {result.summary.describe()}: {payload['entries']} entries"
                   f"{in_all}, {payload['complete']} complete (status, status date and a "
                   "primary source)")
    error = result.error()
    if error is not None:
        raise error


def deploy_matrix_command(
    framework: Annotated[str | None, typer.Option(
        "--framework", metavar=Values("fwatlas.kb.matrix:MATRIX_FRAMEWORKS"),
                                                  help="Only this framework "
                                                  "(pytorch, tensorflow, jax, keras).")] = None,
    target: Annotated[str | None, typer.Option(
        "--target", metavar=Values("fwatlas.kb.schema:TARGETS", "fwatlas.kb.schema:TARGET_GROUPS"),
                                               help="Only this target or group "
                                               "(server, mobile, embedded).")] = None,
    kb_path: KbOption = None,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
) -> None:
    """For each framework × target: the best active tool chain today, the alternatives, and
    the status today of what the 2022 article recommended for that cell; beside each chain,
    what the deployment probe measured for it (the newest probe snapshot, else the bundled run).

    Example: fwatlas deploy-matrix --target mobile
    """
    from fwatlas.payloads import deploy_matrix_envelope, deploy_matrix_of
    from fwatlas.store.atlas import open_atlas

    m, sources = deploy_matrix_of(framework=framework, target=target, kb_path=kb_path)
    payload = deploy_matrix_envelope(m, sources, open_atlas(db))
    rows = payload["rows"]

    def draw(console: Any) -> None:
        from rich.table import Table

        for fw in m.frameworks:
            t = Table(title=f"Deployment paths from {m.titles[fw]} (today, per the knowledge "
                            "base)")
            for c in ("target", "best active path", "alternatives", "the article's tool today"):
                t.add_column(c)
            for r in rows:
                if r["framework"] != fw:
                    continue
                best = r["best"]["display"] if r["best"] else "no active path known"
                alts = ", ".join(m.titles[a["chain"][-1]] for a in r["alternatives"]) or "–"
                art = "; ".join(
                    (f"→ {s['title']} {s['status']}" if s["followed_from"] else
                     f"{s['title']}: {s['status'] or 'unknown'} {s['status_date'] or ''}".strip())
                    for s in r["article"]) or "–"
                t.add_row(r["target"], best, alts, art)
                for chain in ([r["best"]] if r["best"] else []) + r["alternatives"]:
                    if chain.get("measured_reading"):
                        t.add_row("", f"  {chain['display']}: {chain['measured_reading']}",
                                  "", "")
            console.print(t, markup=False)
        console.print(f"[dim]{_sources_line(payload['sources'])}[/]")

    emit(Output(payload, table=draw), output_format(fmt, json_out), out)


def register(app: typer.Typer) -> None:
    kb_app = typer.Typer(name="kb", help="The knowledge base: deployment and ecosystem tools, "
                                         "their status today, sources and dates.",
                         no_args_is_help=True, rich_markup_mode=None)
    kb_app.command("list")(list_command)
    kb_app.command("show")(show_command)
    kb_app.command("changes")(changes_command)
    kb_app.command("validate")(validate_command)
    app.add_typer(kb_app, name="kb")
    app.command("deploy-matrix")(deploy_matrix_command)
