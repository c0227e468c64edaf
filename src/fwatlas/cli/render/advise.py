"""How advice is drawn: the recommendation, its reasons and evidence."""

from __future__ import annotations

from typing import Any

from fwatlas.cli.render.types import Draw, Json, Render
from fwatlas.commands import Ctx


def _render(advice: Any, other: Any | None) -> Any:
    def draw(console: Any) -> None:
        from rich.markup import escape

        a = advice
        console.print(f"[bold]Recommendation ({a.ruleset}): {a.recommendation}[/]")
        if a.platform and a.platform.get("note"):
            console.print(f"[yellow]{escape(a.platform['note'])}[/]")
        if a.deploy_via:
            for d in a.deploy_via:
                where = f"{d['target']}: " if d["target"] else ""
                console.print(f"  deploy via {escape(where + d['display'])}")
                for s in d["steps"]:
                    if s.get("now"):
                        console.print(f"    {escape(s['title'])} is {s['status']} "
                                      f"({s['status_date']}); now {escape(s['now'])} "
                                      f"({s['now_status']})")
                    elif s.get("status") not in (None, "active"):
                        console.print(f"    {escape(s['title'])} is {s['status']} "
                                      f"({s['status_date']})")
        for alt in a.alternatives:
            # an "alternative" naming the recommended framework is a tip about using it
            label = "tip" if alt["framework"] == a.recommendation else "alternative"
            console.print(f"  {label}: {alt['framework']} – {escape(alt['text'])}")
        if a.migration:
            m = a.migration
            head = (f"Staying on {m['from']}" if m["stay"] else
                    f"Moving from {m['from']} to {m['to']}")
            console.print(f"[bold]{escape(head)}[/] – the stack in production:")
            for t in m["tools"]:
                console.print(f"    {escape(t['title'])}: {t['status'] or 'status unknown'} "
                              f"({t['status_date'] or 'undated'})")
            console.print("  a migration would touch:")
            for line in m["touches"]:
                console.print(f"    - {escape(line)}")
            console.print("  it would be worth it if:")
            for line in m["worth_it_if"]:
                console.print(f"    - {escape(line)}")
        console.print(f"\n[bold]Why[/] (rule {a.rule}, the first in the ruleset that holds):")
        console.print("  " + escape(a.reasons[0].text))
        for c in a.checks:
            mark = {True: "yes", False: "no", None: "unknown"}[c.value]
            console.print(f"  - {escape(c.text)}: {mark}")
        for r in a.reasons[1:]:
            console.print("  " + escape(r.text))
        if a.reasons[0].evidence:
            console.print("[bold]Evidence[/]")
            for e in a.reasons[0].evidence:
                stale = " STALE" if e.name in a.stale else ""
                if e.status is None and e.source is None:  # no snapshot holds this fact
                    shown = ("unknown (no evidence in the store; fwatlas refresh registry "
                             "fetches it)" if e.name.startswith("registry.") else
                             "unknown (no evidence in the store)")
                    console.print(f"  {e.kind} {escape(e.name)}: {shown}{stale}")
                    continue
                status = "unknown" if e.status is None else str(e.status)
                console.print(f"  {e.kind} {escape(e.name)}: {escape(status)} "
                              f"(dated {e.data_date or 'undated'}; {escape(e.source or '–')})"
                              f"{stale}")
        tried = [(rid, why) for rid, why in a.tried if not why.startswith("--persona")]
        if tried:
            console.print("[dim]Tried first: " + escape("; ".join(
                f"{rid} ({why})" for rid, why in tried)) + "[/]")
        if a.changes_if:
            console.print("[bold]Would change if[/]")
            for ch in a.changes_if:
                console.print(f"  {escape(ch.text)}")
        label = "The article (2022) said" if a.ruleset == "current" else "fwatlas current says"
        if other is not None and other.recommendation != a.recommendation:
            console.print(f"\n[bold]{label}: {other.recommendation}[/] "
                          f"(rule {other.rule}): {escape(other.reasons[0].text)}")
        elif other is not None:
            console.print(f"\n{label} the same: {other.recommendation} (rule {other.rule}).")
        if a.stale:
            console.print(f"[yellow]stale:[/] {', '.join(a.stale)} (checked more than 12 months "
                          "ago)")
    return draw


def _advise_table(payload: Json, args: Json, ctx: Ctx) -> Draw:
    """The advice and, below it, what the other ruleset says for the same situation."""
    from fwatlas.advisor.engine import advise
    from fwatlas.commands.builders import advice_of

    advice, s, kb = advice_of(None, ctx, args)  # the JSON's advice, again (~10 ms)
    other = advise(s, "article-2022" if args["ruleset"] == "current" else "current", kb=kb,
                   db=ctx.db, as_of=args["as_of"], with_changes=False)
    return _render(advice, other)


RENDERERS: dict[str, Render] = {"advise": _advise_table}
