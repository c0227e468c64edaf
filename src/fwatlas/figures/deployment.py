"""Section 3 of the report: deployment – the framework × target matrix from the knowledge base.

For every framework and target: the best active tool chain today (a badge with its status),
how many active chains exist (the heatmap), and what became of each tool the article named.
Everything comes from ``fwatlas.kb`` (curated, dated, sourced entries), so the section moves as
soon as a status in the YAML moves.
"""

from __future__ import annotations

from typing import Any

from fwatlas.errors import FwatlasError
from fwatlas.figures import style
from fwatlas.figures.context import ReportContext
from fwatlas.figures.missing import missing_section, optional_module
from fwatlas.figures.model import Badge, Figure, Section, Table, dedupe_sources, escape_label
from fwatlas.store.atlas import Atlas

KEY = "deployment"
TITLE = "Deployment"
QUESTION = "How easily does a trained model get into production, per target?"
FILL = ("the bundled knowledge base (fwatlas kb validate), or --kb FILE with your own entries",)


def load(ctx: ReportContext) -> Any:
    """The knowledge base the report uses: the bundled one, with ``--kb`` merged over it."""
    from pathlib import Path

    from fwatlas.kb import load_kb

    return load_kb(Path(ctx.kb_path) if ctx.kb_path else None)


def _heatmap(m: Any) -> Figure:
    import plotly.graph_objects as go

    cells = {(c.framework, c.target): c for c in m.cells}
    z, text, rows = [], [], []
    for fw in m.frameworks:
        zr, tr = [], []
        for t in m.targets:
            c = cells[(fw, t)]
            n = (1 if c.best else 0) + len(c.alternatives)
            zr.append(n)
            tr.append(escape_label(m.titles.get(c.best.tool, c.best.tool)) if c.best else "–")
            rows.append({"framework": fw, "target": t, "active_paths": n,
                         "best": c.best.display(m.titles) if c.best else None,
                         "alternatives": "; ".join(p.display(m.titles) for p in c.alternatives),
                         "article_tools": "; ".join(
                             f"{s.title}: {s.status}" for s in c.article)})
        z.append(zr)
        text.append(tr)
    fig = go.Figure(go.Heatmap(
        z=z, x=list(m.targets), y=[style.label(f) for f in m.frameworks], text=text,
        texttemplate="%{text}", colorscale=[[0, "#f4d6d2"], [0.2, "#fff0c2"], [1, "#5cb85c"]],
        hovertemplate="%{y} → %{x}: %{z} active path(s); best: %{text}<extra></extra>",
        colorbar={"title": {"text": "active paths"}}, xgap=2, ygap=2,
        textfont={"size": 11}))
    lay = style.layout("Active deployment paths per framework and target", height=380,
                       x_title="deployment target", y_title="framework")
    # merged, not replaced: automargin keeps long target names ("microcontroller") whole
    lay["xaxis"].update({"side": "bottom", "tickangle": -30})
    style.apply(fig, lay)
    return Figure("deployment-matrix", "Deployment matrix", fig, tuple(rows),
                  "Cell text: the best active tool chain today; colour: how many active chains.")


def _matrix_table(m: Any) -> Table:
    cells = {(c.framework, c.target): c for c in m.cells}
    rows = []
    for t in m.targets:
        row: list[Any] = [t]
        for fw in m.frameworks:
            c = cells[(fw, t)]
            if c.best:
                row.append(Badge(c.best.display(m.titles), "active"))
            else:
                row.append(Badge("no active path", "no"))
        rows.append(tuple(row))
    return Table("deployment-best", "Best active path today, per target",
                 ("target", *(style.label(f) for f in m.frameworks)), tuple(rows))


def _changes_table(changes: list[Any]) -> Table:
    rows = tuple((c.title, Badge(c.status or "unknown", c.status or "unknown"),
                  c.status_date or "–",
                  (f"{c.replaced_by} ({c.replacement_status})" if c.replaced_by
                   else "none named"),
                  # where to check it, and whether the check is overdue (older than 12 months)
                  (f"stale – recheck {c.source}" if c.stale else c.source) or "–")
                 for c in changes)
    return Table("deployment-changes", "The article's tools that are no longer active",
                 ("tool", "status", "since", "replaced by", "check (primary source)"), rows)


def deployment_section(atlas: Atlas, ctx: ReportContext, number: int = 3) -> Section:
    """The framework × target matrix with status badges and what changed since the article."""
    if optional_module("fwatlas.kb") is None:
        return missing_section(KEY, number, TITLE, QUESTION, FILL,
                               "this build has no knowledge base yet")
    from fwatlas.kb.changes import kb_changes
    from fwatlas.kb.matrix import deploy_matrix

    try:
        kb = load(ctx)
    except FwatlasError as exc:
        return missing_section(KEY, number, TITLE, QUESTION, FILL, str(exc))
    m = deploy_matrix(kb)
    changes = kb_changes(kb, ctx.as_of)
    covered = {fw: sum(1 for c in m.cells if c.framework == fw and c.best) for fw in m.frameworks}
    gaps = [f"{style.label(c.framework)} → {c.target}" for c in m.cells if not c.best]
    reading = [
        "Targets with an active deployment path today: " + ", ".join(
            f"{style.label(fw)} {n} of {len(m.targets)}" for fw, n in covered.items()) + "."]
    if gaps:
        reading.append("No active path known for: " + ", ".join(gaps) + ".")
    if changes:
        gone = [c for c in changes if c.status in ("archived", "deprecated")]
        reading.append(
            f"{len(changes)} tools the article named are no longer active as of {ctx.as_of}"
            + (f"; archived or deprecated: {', '.join(c.title for c in gone)}" if gone else "")
            + ".")
    stale = kb.stale(ctx.as_of)
    notes = [f"{len(stale)} knowledge-base entries were last checked more than 12 months before "
             f"{ctx.as_of}: {', '.join(stale[:10])}{' …' if len(stale) > 10 else ''}"] \
        if stale else []
    method: tuple[str, ...]
    method = ("A path is the framework, the tools it goes through, and the target's tool; it is "
              "active when every step is active (renamed entries followed to their successor).",
              "Best = the tool the knowledge base prefers for the cell, then a complete "
              "(dated, primary-sourced) entry, then the shortest chain.",
              "Statuses: active, maintenance, deprecated, archived, renamed – each with a date "
              "and the page it was checked against (fwatlas kb show NAME).")
    from fwatlas.figures.deployment_measured import measured_parts
    from fwatlas.probe.measured import load_results

    m_figs, m_tables, m_reading, m_sources = measured_parts(load_results(atlas))
    method += ("Measured: fwatlas probe exports two reference models (a CNN, a transformer "
               "block; tiny and medium) through each declared path, loads the artifact in its "
               "runtime and compares its output with the source model's (fwatlas probe "
               "results).",) if m_figs else ()
    return Section(KEY, number, TITLE, QUESTION, figures=(_heatmap(m), *m_figs),
                   tables=(_matrix_table(m), _changes_table(changes), *m_tables),
                   reading=(*reading, *m_reading), method=method,
                   sources=dedupe_sources([*kb.sources(), *m_sources]), notes=tuple(notes))
