"""How verdict, status and compare are drawn."""

from __future__ import annotations

from typing import Any

from fwatlas.cli.render.types import Render


def _num(v: Any, digits: int = 3) -> str:
    if v is None:
        return "null"
    if isinstance(v, float):
        return f"{v:.{digits}g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def _age(days: Any) -> str:
    if days is None:
        return "undated"
    return f"{days} d" if days < 365 else f"{days / 365.25:.1f} y"


def _margin(row: dict[str, Any]) -> str:
    """The margin beside the threshold that decided it: ``0.0476 (< tie 0.05)``."""
    margin, m = row["margin"], row["margins"]
    if margin is None:
        return _num(margin)
    if row["confidence"] == "tie":
        return f"{_num(margin)} (< tie {m['tie']:g})"
    if row["confidence"] == "clear":
        return f"{_num(margin)} (≥ clear {m['clear']:g})"
    return f"{_num(margin)} ({m['tie']:g}–{m['clear']:g}: narrow)"


def _verdict_table(payload: dict[str, Any]) -> Any:
    def draw(console: Any) -> None:
        from rich.markup import escape
        from rich.table import Table

        m = payload["margins"]
        t = Table(title=f"Round verdicts as of {payload['as_of']} (method: "
                        f"{payload['method']}; margin below {m['tie']:g}: tie, from "
                        f"{m['clear']:g}: clear, between: narrow)")
        for c in ("round", "leader today", "runner-up", "margin", "2022", "evidence",
                  "age of oldest"):
            t.add_column(c)
        for r in payload["rows"]:
            if r["confidence"] == "not enough evidence":
                today = "not enough evidence"
            elif r["leader"] is None:
                today = "tie: " + ", ".join(r["tied"])
            else:
                today = f"{r['leader']} ({r['confidence']})"
            span = (f"{r['evidence_from']} – {r['evidence_to']}" if r["evidence_from"]
                    else "none")
            stale = f", {len(r['stale_facts'])} stale" if r["stale_facts"] else ""
            t.add_row(r["round"], today, r["runner_up"] or "–", _margin(r),
                      r["article_2022"] or "–", span + stale, _age(r["evidence_age_days"]))
        console.print(t, markup=False)
        for r in payload["rows"]:
            console.print(f"\n[bold]{escape(r['title'])}[/] ({r['round']})")
            scores = ", ".join(f"{k} {v:.3f}" for k, v in sorted(
                r["scores"].items(), key=lambda kv: -kv[1]))
            if scores:
                console.print(f"  scores: {scores}" + (
                    f"; not ranked (too little evidence): {', '.join(r['unranked'])}"
                    if r["unranked"] else ""))
            console.print(f"  why {escape(r['confidence_rule'])}")
            for c in r["criteria"]:
                vals = ", ".join(f"{k} {_num(v)}" for k, v in c["values"].items())
                mark = "" if c["evidence"] else "  [no evidence]"
                console.print(f"  - {escape(c['label'])} (w {c['weight']:g}, {c['read']}): "
                              f"{escape(vals)}{mark}")
            if r["missing"]:
                lead = ("not enough evidence – ingest: "
                        if r["confidence"] == "not enough evidence" else "without evidence: ")
                console.print("  " + lead + escape("; ".join(
                    f"{m['label']}: {m['ingest']}" for m in r["missing"])))
            if r["flips_if"]:
                console.print(f"  flips if: {escape(r['flips_if']['text'])}")
            elif r["confidence"] != "not enough evidence":
                console.print("  flips if: no single weight change (x1/"
                              f"{payload['max_factor']:g} to x{payload['max_factor']:g} or "
                              "dropping a criterion) changes it")
            if r["article_2022_note"]:
                console.print(f"  [dim]2022: {escape(r['article_2022_note'])}[/]")
        console.print()  # a blank line above the sources
    return draw


def _status_table(payload: dict[str, Any]) -> Any:
    def draw(console: Any) -> None:
        from rich.markup import escape
        from rich.table import Table

        t = Table(title=f"What the answers rest on, as of {payload['as_of']}")
        for c in ("source", "newest", "data date", "age", "rows", "skipped", "state",
                  "refresh with"):
            t.add_column(c)
        for r in payload["rows"]:
            style = {"stale": "yellow", "missing": "dim"}.get(r["state"], "")
            newest = (r["snapshot_id"] or "none") + (" (bundled)" if r["reference"] else "")
            limit = f" > {r['stale_days']} d" if r["state"] == "stale" else ""
            t.add_row(escape(r["dataset"] or r["kind"]), escape(newest),
                      r["data_date"] or "–", _age(r["age_days"]) if r["snapshot_id"] else "–",
                      "–" if r["rows"] is None else f"{r['rows']:,}",
                      "–" if r["skipped"] is None else str(r["skipped"]),
                      r["state"] + limit, escape(r["refresh"]), style=style)
        console.print(t)
        for r in payload["rows"]:
            if r.get("shadowed") or (r["snapshot_id"] and r.get("read_because") and
                                     not r["read_because"].startswith(("your newest",
                                                                       "the bundled"))):
                console.print(f"{escape(r['dataset'] or r['kind'])}: reads "
                              f"{escape(r['snapshot_id'])}, {escape(r['read_because'] or '')}")
                for sh in r.get("shadowed", []):
                    console.print(f"  shadowed: {escape(sh['snapshot_id'])} – "
                                  f"{escape(sh['why'])}")
        if payload["stale"]:
            console.print(f"[yellow]stale:[/] {escape(', '.join(payload['stale']))} "
                          "(thresholds per kind: docs/verdict.md)")
    return draw


def _compare_table(payload: dict[str, Any]) -> Any:
    def draw(console: Any) -> None:
        from rich.markup import escape
        from rich.table import Table

        old, new = payload["old"], payload["new"]

        def read(side: dict[str, Any]) -> str:
            how = {"bundled": "bundled alone, ", "merged": "merged over the bundled, ",
                   "complete": "complete, on its own, "}
            return how.get(side.get("read_as") or "", "")
        console.print(f"[bold]{escape(payload['dataset'])}[/]: {escape(old['snapshot_id'])} "
                      f"({read(old)}data of {old['data_date']}) → "
                      f"{escape(new['snapshot_id'])} ({read(new)}data of {new['data_date']})")
        rows = payload["rows"]
        if payload["kind"] == "hub":
            t = Table(title=f"Availability ({payload['method']} method)")
            for c in ("framework", "models old", "models new", "share old", "share new",
                      "Δ share", "excl. old", "excl. new", "Δ excl."):
                t.add_column(c, justify="right")
            for r in rows:
                t.add_row(r["framework"], _num(r["available_old"]), _num(r["available_new"]),
                          _num(r["share_available_old"]), _num(r["share_available_new"]),
                          _num(r["share_available_delta"]), _num(r["share_exclusive_old"]),
                          _num(r["share_exclusive_new"]), _num(r["share_exclusive_delta"]))
            console.print(t)
            m = payload.get("models")
            if m is not None:
                console.print(f"models added {m['added']:,}, removed {m['removed']:,}")
                for label, key in (("added", "added_sample"), ("removed", "removed_sample")):
                    if m[key]:
                        console.print(f"  {label} (first by id): " + escape(", ".join(m[key])))
        elif rows:
            t = Table(title=f"Changes ({len(rows)})")
            cols = [c for c in rows[0] if c not in ("sources",)]
            for c in cols:
                t.add_column(c)
            for r in rows:
                t.add_row(*("–" if r[c] is None else escape(str(r[c])) for c in cols))
            console.print(t)
        else:
            console.print("no changes" if payload["kind"] in ("kb", "registry") else
                          f"rows {old['rows']:,} → {new['rows']:,}")
    return draw


RENDERERS: dict[str, Render] = {
    "verdict": lambda payload, args, ctx: _verdict_table(payload),
    "status": lambda payload, args, ctx: _status_table(payload),
    "compare": lambda payload, args, ctx: _compare_table(payload),
}
