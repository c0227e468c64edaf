"""Research commands: framework mentions in papers (F3), author migration (F4), and
Papers with Code trends (F5, attached to the ``trends`` group)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from fwatlas.cli.options import (
    DbOption,
    FormatOption,
    JsonFlag,
    OutPath,
    SnapshotOption,
    SnapshotsOption,
    Values,
    output_format,
)
from fwatlas.cli.output import Format, Output, emit, number, percent, sources_line


def research_command(
    venue: Annotated[str | None, typer.Option(
        "--venue", help="One venue (cvpr, neurips/nips, iclr, …); `all` shows only the per-year "
                        "aggregates.")] = None,
    year_from: Annotated[int | None, typer.Option("--from", help="First year (inclusive).")]
    = None,
    year_to: Annotated[int | None, typer.Option("--to", help="Last year (inclusive).")] = None,
    evidence: Annotated[str, typer.Option(
        "--evidence", metavar=Values("fwatlas.analyses.research_code:EVIDENCE"),
        help="text: framework mentions in papers (to 2022); code: the framework "
             "of papers' linked repositories (from 2022); all: both.")] = "all",
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
    snapshot: SnapshotsOption = None,
) -> None:
    """Which frameworks conference papers mention, per venue edition and year (the article's F3),
    and which framework their linked code is written in (the successor of Papers with Code's
    chart).

    Computed rows (from ingested papers) and the tracker's published counts are both shown,
    labelled, never added together. Code rows count scanned repositories per primary framework;
    shares are over repositories with a framework, with n and a 95 % interval.

    Example: fwatlas research --venue cvpr --from 2017 --to 2020
    """
    from fwatlas.payloads import research_payload
    from fwatlas.store.atlas import open_atlas

    payload = research_payload(open_atlas(db, snapshot or ()), evidence=evidence, venue=venue,
                               year_from=year_from, year_to=year_to)

    def draw(console: Any) -> None:
        from rich.table import Table

        if evidence != "text":
            _draw_code(console, [r for r in payload["rows"] if r["series"] == "code"],
                       payload)
        if evidence == "code":
            console.print(f"[dim]{sources_line(payload['sources'])}[/]")
            return
        t = Table(title="Framework mentions in conference papers")
        for c in ("venue", "year", "papers", "pt only", "tf only", "both", "jax", "none",
                  "pt share", "basis", "evidence"):
            t.add_column(c, justify="left" if c in ("venue", "basis", "evidence") else "right")
        for r in (r for r in payload["rows"] if r["series"] == "text"):
            name = r["venue"] if r["venue"] != "all" else f"all ({len(r['venues'])})"
            t.add_row(name, str(r["year"]), number(r["papers"]), number(r["pytorch_only"]),
                      number(r["tensorflow_only"]), number(r["both"]), number(r["jax"]),
                      number(r["none"]),
                      percent(r["pytorch_share"]), r["basis"], r["evidence"] or "none")
        console.print(t, markup=False)
        if payload["hint"]:
            console.print(f"Note: {payload['hint']}", markup=False)
        for k, v in payload["article_2022"].items():
            console.print(f"The article (2022, published): {k} = {percent(v['value'])}",
                          markup=False)
        for n in payload["notes"]:
            console.print(f"[dim]Method – {n}[/]")
        console.print(f"[dim]{sources_line(payload['sources'])}[/]")

    emit(Output(payload, table=draw), output_format(fmt, json_out), out)


def _draw_code(console: Any, rows: list[dict[str, Any]], payload: dict[str, Any]) -> None:
    from rich.table import Table

    def share(r: dict[str, Any], c: str) -> str:
        ci = r[f"{c}_share_ci95"]
        return percent(r[f"{c}_share"]) + (f" [{percent(ci[0])}–{percent(ci[1])}]" if ci else "")

    t = Table(title="Framework of papers' linked code repositories")
    for c in ("venue", "year", "repos", "pytorch", "tf", "jax", "keras", "other", "multi",
              "none", "pt share [95 %]", "tf share", "jax share", "sample"):
        t.add_column(c, justify="left" if c in ("venue", "sample") else "right")
    for r in rows:
        name = r["venue"] if r["venue"] != "all" else f"all ({len(r['venues'])})"
        t.add_row(name, str(r["year"]), number(r["repositories"]), number(r["pytorch"]),
                  number(r["tensorflow"]), number(r["jax"]), number(r["keras"]),
                  number(r["other"]), number(r["multi"]), number(r["none"]),
                  share(r, "pytorch"), percent(r["tensorflow_share"]), percent(r["jax_share"]),
                  r["sample"] or "every scanned link")
    console.print(t, markup=False)
    if payload.get("code_hint"):
        console.print(f"Note: {payload['code_hint']}", markup=False)
    for n in payload.get("code_notes", []):
        console.print(f"[dim]Method – {n}[/]")


def coverage_command(
    library: Annotated[str, typer.Option(
        "--library", metavar=Values("fwatlas.analyses.coverage:LIBRARIES"),
        help="The model library (transformers).")]
    = "transformers",
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
) -> None:
    """What Transformers can load, release by release: architectures per framework.

    Architectures with a model implementation in PyTorch, TensorFlow and JAX (Flax), counted
    from each release's wheel; shares of the release's architectures with n and a 95 % interval.

    Example: fwatlas coverage --json
    """
    from fwatlas.payloads import coverage_payload
    from fwatlas.store.atlas import open_atlas

    payload = coverage_payload(open_atlas(db), library=library)

    def draw(console: Any) -> None:
        from rich.table import Table

        t = Table(title=f"{library}: architectures each framework can load, per release")
        for c in ("version", "date", "architectures", "pytorch", "tensorflow", "jax",
                  "tf share", "jax share"):
            t.add_column(c, justify="left" if c in ("version", "date") else "right")
        for r in payload["rows"]:
            t.add_row(r["version"], r["date"] or "–", number(r["architectures"]),
                      number(r["pytorch"]), number(r["tensorflow"]), number(r["jax"]),
                      percent(r["tensorflow_share"]), percent(r["jax_share"]))
        console.print(t, markup=False)
        for n in payload["notes"]:
            console.print(f"[dim]Method – {n}[/]")
        console.print(f"[dim]{sources_line(payload['sources'])}[/]")

    emit(Output(payload, table=draw), output_format(fmt, json_out), out)


def migration_command(
    first: Annotated[int, typer.Option(
        "--from", help="The first year. (Two points, not a range: the one exception to "
                       "--from/--to meaning a range.)")] = 2018,
    second: Annotated[int, typer.Option("--to", help="The second year.")] = 2019,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
    snapshot: SnapshotsOption = None,
) -> None:
    """How paper authors' frameworks changed between two years (the article's F4 Sankey).

    --from and --to name two years, not a range. Only authors with framework-labelled papers
    in both years take part; fractions are of each first-year label's authors.

    Example: fwatlas migration --from 2018 --to 2019
    """
    from fwatlas.payloads import migration_payload
    from fwatlas.store.atlas import open_atlas

    payload = migration_payload(open_atlas(db, snapshot or ()), first=first, second=second)

    def draw(console: Any) -> None:
        from rich.table import Table

        t = Table(title=f"Authors' frameworks, {first} → {second} ({payload['authors']:,} authors "
                        "labelled in both years)")
        for c in (f"{first}", f"{second}", "authors", "fraction"):
            t.add_column(c, justify="right" if c in ("authors", "fraction") else "left")
        for r in payload["rows"]:
            t.add_row(r["source"], r["target"], number(r["authors"]), percent(r["fraction"]))
        console.print(t, markup=False)
        for key, label in (("tensorflow_to_pytorch", "TensorFlow-only authors now using PyTorch"),
                           ("pytorch_stayed", "PyTorch-only authors still using PyTorch")):
            s = payload[key]
            console.print(f"{label}: {percent(s['value'])} ({s['authors']:,} of {s['of']:,})",
                          markup=False)
        for k, v in payload["article_2022"].items():
            console.print(f"The article (2022, published): {k} = {percent(v['value'])}",
                          markup=False)
        venues = "; ".join(f"{y}: {', '.join(v) or 'none'}" for y, v in payload["venues"].items())
        console.print(f"Venues: {venues}", markup=False)
        for e in payload["excluded_editions"]:
            console.print(f"  not usable: {e['venue']} {e['year']} ({e['reason']})", markup=False)
        if payload["hint"]:
            console.print(f"Note: {payload['hint']}", markup=False)
        for n in payload["notes"]:
            console.print(f"[dim]Method – {n}[/]")
        console.print(f"[dim]{sources_line(payload['sources'])}[/]")

    emit(Output(payload, table=draw), output_format(fmt, json_out), out)


def trends_pwc_command(
    official_only: Annotated[bool, typer.Option(
        "--official-only", help="Only repositories Papers with Code marks as official.")] = False,
    snapshot: SnapshotOption = None,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    json_out: JsonFlag = False,
    out: OutPath = None,
) -> None:
    """Per quarter, the share of paper repositories by framework (Papers with Code, the
    article's F5).

    Papers with Code closed in July 2025; the output shows the dump's date.

    Example: fwatlas trends pwc --official-only
    """
    from fwatlas.analyses.pwc_trends import SHOWN
    from fwatlas.payloads import pwc_payload
    from fwatlas.store.atlas import open_atlas

    payload = pwc_payload(open_atlas(db), official_only=official_only, snapshot=snapshot)

    def draw(console: Any) -> None:
        from rich.table import Table

        t = Table(title="Papers with Code: repositories per quarter by framework"
                        + (" (official only)" if official_only else "")
                        + f" – dump of {payload['dump_date'] or 'unknown date'}")
        t.add_column("quarter")
        t.add_column("repos", justify="right")
        for c in SHOWN:
            t.add_column(c, justify="right")
        for r in payload["rows"]:
            t.add_row(r["quarter"], number(r["repositories"]),
                      *(percent(r[f"{c}_share"]) for c in SHOWN))
        console.print(t, markup=False)
        console.print(f"Undated links' repositories left out: {payload['undated_links']:,}; "
                      "keras, other: null (the dump cannot show them)", markup=False)
        if payload["hint"]:
            console.print(f"Note: {payload['hint']}", markup=False)
        for k, v in payload["article_2022"].items():
            shown = percent(v["value"]) if v["value"] is not None and v["value"] <= 1 \
                else number(v["value"])
            console.print(f"The article (2022, published): {k} = {shown}", markup=False)
        for n in payload["notes"]:
            console.print(f"[dim]Method – {n}[/]")
        console.print(f"[dim]{sources_line(payload['sources'])}[/]")

    emit(Output(payload, table=draw), output_format(fmt, json_out), out)


def register(app: typer.Typer) -> None:
    from fwatlas.cli.trends_commands import trends_app

    app.command("research")(research_command)
    app.command("coverage")(coverage_command)
    app.command("migration")(migration_command)
    trends_app.command("pwc")(trends_pwc_command)
