"""How the knowledge-base commands' results are drawn: kb list/show/changes and deploy-matrix."""

from __future__ import annotations

from typing import Any

from fwatlas.cli.render.types import Draw, Json, Render
from fwatlas.commands import Ctx


def _list(s: list[str]) -> str:
    return ", ".join(s) or "–"


def _list_table(payload: Json, args: Json, ctx: Ctx) -> Draw:
    day = ctx.day(args)
    kb_path = ctx.kb_file
    from fwatlas.kb import load_kb

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

    return draw


def _show_table(payload: Json, args: Json, ctx: Ctx) -> Draw:
    day = ctx.day(args)
    kb_path = ctx.kb_file
    name = args["name"]
    from fwatlas.kb import load_kb

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

    return draw


def _changes_table(payload: Json, args: Json, ctx: Ctx) -> Draw:
    day = ctx.day(args)
    kb_path = ctx.kb_file
    from fwatlas.kb import load_kb
    from fwatlas.kb.changes import kb_changes

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

    return draw


def _deploy_matrix_table(payload: Json, args: Json, ctx: Ctx) -> Draw:
    """Drawn from the payload alone (each step carries its title), so a cached result needs
    neither the knowledge base nor its schema loaded."""
    from fwatlas.vocabulary import FRAMEWORK_TITLES

    rows = payload["rows"]

    def draw(console: Any) -> None:
        from rich.table import Table

        for fw in dict.fromkeys(r["framework"] for r in rows):  # the matrix's order
            t = Table(title=f"Deployment paths from {FRAMEWORK_TITLES[fw]} (today, per the "
                            "knowledge base)")
            for c in ("target", "best active path", "alternatives", "the article's tool today"):
                t.add_column(c)
            for r in rows:
                if r["framework"] != fw:
                    continue
                best = r["best"]["display"] if r["best"] else "no active path known"
                alts = ", ".join(a["steps"][-1]["title"] for a in r["alternatives"]) or "–"
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

    return draw


RENDERERS: dict[str, Render] = {"kb list": _list_table, "kb show": _show_table,
                                "kb changes": _changes_table,
                                "deploy-matrix": _deploy_matrix_table}
