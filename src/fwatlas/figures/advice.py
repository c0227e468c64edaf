"""Section 5 of the report: advice per persona, the article's 2022 answer beside today's.

Each persona (professor and hobbyist once per ``--focus`` value) is put to both rulesets:
``article-2022`` reproduces the article's flowcharts; ``current`` is checked against today's
evidence. The table shows both answers and the current answer's deciding rule and reason, so a
change is explained, not just stated.
"""

from __future__ import annotations

from typing import Any

from fwatlas.errors import FwatlasError
from fwatlas.figures import style
from fwatlas.figures.context import ReportContext
from fwatlas.figures.missing import missing_section, optional_module
from fwatlas.figures.model import Badge, Figure, Section, Table, dedupe_sources
from fwatlas.store.atlas import Atlas

KEY = "advice"
TITLE = "Advice"
QUESTION = "So which should you use – then and now?"
FILL = ("the bundled rulesets and knowledge base (fwatlas advise --help)",)
RULESETS = ("article-2022", "current")


def personas() -> list[tuple[str, str | None]]:
    """(persona, focus) pairs: the two personas with a ``--focus`` appear once per value."""
    from fwatlas.advisor.situation import FOCUS, PERSONAS

    out: list[tuple[str, str | None]] = []
    for p in PERSONAS:
        out += [(p, f) for f in FOCUS[p]] if p in FOCUS else [(p, None)]
    return out


def persona_label(persona: str, focus: str | None) -> str:
    return f"{persona} ({focus})" if focus else persona


def answers(atlas: Atlas, ctx: ReportContext) -> list[dict[str, Any]]:
    """Both rulesets' advice for every persona (the section's data)."""
    from fwatlas.advisor import advise, situation
    from fwatlas.figures.deployment import load

    kb = load(ctx)
    rows = []
    for persona, focus in personas():
        s = situation(persona, focus=focus)
        a = {rs: advise(s, rs, atlas=atlas, kb=kb, as_of=ctx.as_of) for rs in RULESETS}
        rows.append({"persona": persona, "focus": focus, "advice": a})
    return rows


def _figure(rows: list[dict[str, Any]]) -> Figure:
    import plotly.graph_objects as go

    labels = [persona_label(r["persona"], r["focus"]) for r in rows]
    frameworks = sorted({r["advice"][rs].recommendation for r in rows for rs in RULESETS})
    index = {f: i for i, f in enumerate(frameworks)}
    z = [[index[r["advice"][rs].recommendation] for rs in RULESETS] for r in rows]
    text = [[style.label(r["advice"][rs].recommendation) for rs in RULESETS] for r in rows]
    n = max(len(frameworks) - 1, 1)
    scale = [[index[f] / n, style.colour(f)] for f in frameworks] if len(frameworks) > 1 \
        else [[0, style.colour(frameworks[0])], [1, style.colour(frameworks[0])]]
    fig = go.Figure(go.Heatmap(
        z=z, x=["the article (2022)", "today (current)"], y=labels, text=text,
        texttemplate="%{text}", colorscale=scale, showscale=False, xgap=3, ygap=3,
        zmin=0, zmax=n, hovertemplate="%{y}, %{x}: %{text}<extra></extra>"))
    style.apply(fig, style.layout("Recommendation per persona, then and now",
                                     height=120 + 34 * len(rows), x_title="ruleset",
                                     y_title="persona",
                                     yaxis={"autorange": "reversed"},
                                     margin={"l": 170, "r": 16, "t": 48, "b": 40}))
    data = tuple({"persona": r["persona"], "focus": r["focus"],
                  "article_2022": r["advice"]["article-2022"].recommendation,
                  "article_rule": r["advice"]["article-2022"].rule,
                  "current": r["advice"]["current"].recommendation,
                  "current_rule": r["advice"]["current"].rule,
                  "current_reason": r["advice"]["current"].reasons[0].text} for r in rows)
    return Figure("advice-personas", "Advice per persona", fig, data,
                  "Each persona with no further options, under both rulesets.")


def _table(rows: list[dict[str, Any]]) -> Table:
    out = []
    for r in rows:
        then, now = r["advice"]["article-2022"], r["advice"]["current"]
        same = then.recommendation == now.recommendation
        out.append((persona_label(r["persona"], r["focus"]), style.label(then.recommendation),
                    Badge(style.label(now.recommendation), "same" if same else "changed"),
                    "same" if same else "changed", f"{now.rule}: {now.reasons[0].text}"))
    return Table("advice-table", "The article's answer and today's, with the deciding reason",
                 ("persona", "article (2022)", "today", "", "why (current ruleset)"),
                 tuple(out))


def advice_section(atlas: Atlas, ctx: ReportContext, number: int = 5) -> Section:
    """For each persona: the article-2022 answer and the current answer with its deciding reason."""
    if optional_module("fwatlas.advisor") is None:
        return missing_section(KEY, number, TITLE, QUESTION, FILL,
                               "this build has no advisor yet")
    try:
        rows = answers(atlas, ctx)
    except FwatlasError as exc:
        return missing_section(KEY, number, TITLE, QUESTION, FILL, str(exc))
    changed = [r for r in rows if r["advice"]["article-2022"].recommendation
               != r["advice"]["current"].recommendation]
    reading = [f"{len(rows) - len(changed)} of {len(rows)} persona answers are the same as in "
               "2022" + ("; changed: " + "; ".join(
                   f"{persona_label(r['persona'], r['focus'])} from "
                   f"{style.label(r['advice']['article-2022'].recommendation)} to "
                   f"{style.label(r['advice']['current'].recommendation)} "
                   f"(rule {r['advice']['current'].rule})" for r in changed) if changed else "")
               + "."]
    stale = sorted({n for r in rows for a in r["advice"].values() for n in a.stale})
    notes = [f"stale evidence behind these answers (checked more than 12 months before "
             f"{ctx.as_of}): {', '.join(stale)}"] if stale else []
    sources = [s for r in rows for a in r["advice"].values() for s in a.sources]
    method = ("Rules are tried in file order and the first whose condition holds decides; "
              "`article-2022` reproduces the article's flowcharts, `current` checks its "
              "conditions against the knowledge base and the facts.",
              "Each persona is asked with no further options; `fwatlas advise` and the web "
              "app's advisor take targets, needs and experience too, and list what would "
              "change the answer.")
    return Section(KEY, number, TITLE, QUESTION, figures=(_figure(rows),),
                   tables=(_table(rows),), reading=tuple(reading), method=method,
                   sources=dedupe_sources(sources), notes=tuple(notes))
