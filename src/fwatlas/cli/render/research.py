"""How the research commands' results are drawn: research, coverage, migration, trends pwc."""

from __future__ import annotations

from typing import Any

from fwatlas.cli.output import number, percent
from fwatlas.cli.render.types import Draw, Json, Render
from fwatlas.commands import Ctx


def _research(payload: Json, args: Json, ctx: Ctx) -> Draw:
    evidence = args["evidence"]

    def draw(console: Any) -> None:
        from rich.table import Table

        if evidence != "text":
            _draw_code(console, [r for r in payload["rows"] if r["series"] == "code"],
                       payload)
        if evidence == "code":
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

    return draw


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
        console.print(f"Method – {n}", markup=False, style="dim")


def _coverage(payload: Json, args: Json, ctx: Ctx) -> Draw:
    library = args["library"]

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

    return draw


def _migration(payload: Json, args: Json, ctx: Ctx) -> Draw:
    first, second = args["from"], args["to"]

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

    return draw


def _trends_pwc(payload: Json, args: Json, ctx: Ctx) -> Draw:
    official_only = args["official_only"]
    from fwatlas.analyses.pwc_trends import SHOWN


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

    return draw


RENDERERS: dict[str, Render] = {"research": _research, "coverage": _coverage,
                                "migration": _migration, "trends pwc": _trends_pwc}
