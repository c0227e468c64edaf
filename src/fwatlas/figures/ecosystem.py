"""Section 4 of the report: the ecosystem – tools per framework and adoption signals over time.

Tools come from the knowledge base (active entries by kind per framework); signals – downloads,
stars, dependents, job posts, questions – from ``fwatlas.analyses.signals``, one line per
framework and measuring series, with source breaks (a change in how a series was measured)
marked on the chart. A metric without evidence says which ``fwatlas ingest`` fills it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fwatlas.errors import FwatlasError
from fwatlas.figures import style
from fwatlas.figures.context import ReportContext
from fwatlas.figures.missing import missing_section, optional_module
from fwatlas.figures.model import Figure, Section, dedupe_sources, escape_label
from fwatlas.kinds import KINDS, ingest_hint
from fwatlas.store.atlas import Atlas

KEY = "ecosystem"
TITLE = "Ecosystem"
QUESTION = "What surrounds each framework, and is its use growing or shrinking?"
FILL = (*(ingest_hint(kind) for kind in ("pypi-downloads", "github", "jobs", "qa")),
        KINDS["registry"].refresh_hint)
FRAMEWORKS = ("pytorch", "tensorflow", "jax", "keras")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash")


def _go() -> Any:
    import plotly.graph_objects as go

    return go


def tools_figure(kb: Any) -> Figure:
    """Active knowledge-base entries by kind, per framework (stacked bars)."""
    go = _go()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for e in kb.entries.values():
        if e.status != "active":
            continue
        for fw in e.frameworks:
            if fw in FRAMEWORKS:
                counts[e.kind][fw] += 1
    fig = go.Figure()
    rows = []
    for kind in sorted(counts):
        fig.add_trace(go.Bar(name=kind, x=[style.label(f) for f in FRAMEWORKS],
                             y=[counts[kind].get(f, 0) for f in FRAMEWORKS],
                             hovertemplate="%{x}: %{y} " + kind + "<extra></extra>"))
        rows += [{"kind": kind, "framework": f, "active_tools": counts[kind].get(f, 0)}
                 for f in FRAMEWORKS]
    style.apply(fig, style.layout("Active tools per framework, by kind (knowledge base)",
                                     y_title="active tools (count)", x_title="framework",
                                     barmode="stack", height=420))
    return Figure("ecosystem-tools", "Tools by kind", fig, tuple(rows),
                  "Entries of the knowledge base whose status is active, counted once per "
                  "framework they serve.")


#: above this many break dates a chart draws the lines without a label each
MAX_BREAK_LABELS = 6


def _cadence(days: list[Any]) -> str:
    """How often a series has a value: yearly, monthly, weekly or daily (the median gap)."""
    if len(days) < 2:
        return "single date"
    gaps = sorted((b - a).days for a, b in zip(days, days[1:], strict=False))
    gap = gaps[len(gaps) // 2]
    return ("yearly" if gap >= 300 else "monthly" if gap >= 25 else "weekly" if gap >= 6
            else "daily")


def signal_figure(result: Any) -> Figure:
    """One metric: a line per framework and series; breaks as dotted vertical lines.

    Series of different cadence (yearly totals beside monthly counts) are never drawn on one
    axis – a yearly total would dwarf the months: each cadence gets its own panel, stacked.
    """
    go = _go()
    fig = go.Figure()
    series = sorted({p.series for p in result.points})
    cadence = {s: _cadence(sorted({p.date for p in result.points if p.series == s}))
               for s in series}
    panels = list(dict.fromkeys(cadence[s] for s in series))
    axis_of = {c: ("y" if k == 0 else f"y{k + 1}") for k, c in enumerate(panels)}
    for i, s in enumerate(series):
        for fw in FRAMEWORKS:
            pts = sorted((p for p in result.points if p.series == s and p.framework == fw
                          and p.value is not None), key=lambda p: p.date)
            if not pts:
                continue
            fig.add_trace(go.Scatter(
                name=escape_label(f"{style.label(fw)} · {s}"),
                x=[p.date.isoformat() for p in pts],
                y=[p.value for p in pts], mode="lines", yaxis=axis_of[cadence[s]],
                line={"color": style.colour(fw), "dash": DASHES[i % len(DASHES)]},
                hovertemplate="%{x}: %{y:,.0f}<extra>" + escape_label(f"{style.label(fw)} · {s}")
                              + "</extra>"))
    shapes, annotations = [], []
    # one dotted line per date (several series can break on the same day) while they stay
    # few; beyond that a short tick on the x axis each, so the lines never cover the data –
    # the caption and the CSV list every break
    dates = sorted({b.date for b in result.breaks})
    few = len(dates) <= MAX_BREAK_LABELS
    for k, day in enumerate(dates):
        x = day.isoformat()
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x,
                       "y0": 0, "y1": 1 if few else 0.03,
                       "line": {"dash": "dot" if few else "solid", "width": 1,
                                "color": "rgba(128,128,128,0.6)"}})
        if few:  # inside the plot's top edge (the title is above it), staggered in two
            # rows so close breaks' labels do not overlap; the hover says what changed
            what = "; ".join(b.what for b in result.breaks if b.date == day)
            annotations.append({"x": x, "y": 1 - 0.07 * (k % 2), "xref": "x", "yref": "paper",
                                "showarrow": False, "text": "source break",
                                "hovertext": escape_label(f"{x}: {what}"),
                                "xanchor": "left", "yanchor": "top", "font": {"size": 10}})
    if dates and not few:
        annotations.append({"x": 0, "y": 1, "xref": "paper", "yref": "paper",
                            "showarrow": False, "xanchor": "left", "yanchor": "bottom",
                            "text": f"ticks on the x axis: {len(dates)} source breaks",
                            "font": {"size": 10}})
    extra: dict[str, Any] = {}
    unit = result.unit
    if len(panels) > 1:
        gap, n = 0.08, len(panels)
        h = (1 - gap * (n - 1)) / n
        for k, c in enumerate(panels):
            key = "yaxis" if k == 0 else f"yaxis{k + 1}"
            top = 1 - k * (h + gap)
            extra[key] = {"domain": [max(top - h, 0), top], "title": {"text": f"{unit} ({c})"},
                          "gridcolor": "rgba(128,128,128,0.2)", "automargin": True,
                          "zeroline": False, **({} if k == 0 else {"anchor": "x"})}
    style.apply(fig, style.layout(
        f"{result.metric.capitalize()} per framework ({unit})",
        y_title=f"{unit} ({panels[0]})" if panels else unit, x_title="date",
        height=400 if len(panels) == 1 else 260 + 160 * len(panels), shapes=shapes,
        annotations=annotations, xaxis={"type": "date"}, **extra))
    rows = tuple({"series": p.series, "date": p.date, "framework": p.framework,
                  "value": p.value, "share": p.share, "partial": p.partial,
                  "snapshot_id": p.snapshot_id} for p in result.points)
    return Figure(f"ecosystem-{result.metric}", f"{result.metric.capitalize()} over time", fig,
                  rows, "Lines: frameworks; dash: the measuring series (never mixed; a yearly "
                        "and a monthly series get a panel each); "
                        + ("dotted verticals" if few else "ticks on the x axis")
                        + f": source breaks ({len(result.breaks)} on {len(dates)} dates). "
                        + " ".join(f"{b.date}: {b.what}." for b in result.breaks[:3])
                  + (" …" if len(result.breaks) > 3 else ""))


def _latest_reading(result: Any, latest_rows: Any) -> str | None:
    """The period the verdict reads (``signals.latest_rows``: the newest complete period of the
    newest series; for job posts and questions the trailing 12 months ending there): each
    framework's value and share, the sample when it is small, and the lead in that series."""
    from fwatlas.stats import SMALL_SAMPLE

    rows = latest_rows(result)
    if not rows:
        return None
    s, last, n = rows[0].series, rows[0].date, rows[0].n
    at = {p.framework: p for p in rows if p.value is not None}
    if not at:
        return None
    parts = ", ".join(f"{style.label(fw)} {at[fw].value:,.0f}"
                      + (f" ({style.pct(at[fw].share)})" if at[fw].share is not None else "")
                      for fw in FRAMEWORKS if fw in at)
    if n is not None:  # a counted metric: trailing 12 months, the items behind the shares
        text = (f"{result.metric.capitalize()} ({s}, the 12 months to {last:%Y-%m}): {parts}; "
                f"n = {n:,} {result.unit}" + (", a small sample" if n < SMALL_SAMPLE else "")
                + ".")
    else:
        text = f"{result.metric.capitalize()} ({s}, {last}): {parts}."
    # the article's question is PyTorch against TensorFlow: tell that lead first
    leads = sorted((x for x in result.leads if x.series == s and x.ahead_at_end),
                   key=lambda x: ({x.leader, x.other} != {"pytorch", "tensorflow"}, x.date))
    if leads:
        x = leads[0]
        if x.kind == "above throughout":
            text += (f" {style.label(x.leader)} has been ahead of {style.label(x.other)} since "
                     f"the series starts ({x.date}).")
        else:
            text += (f" {style.label(x.leader)} first passed {style.label(x.other)} on {x.date} "
                     "and is still ahead" + (" (trailing 12-month sums)" if n is not None
                                             else "") + ".")
    return text


def ecosystem_section(atlas: Atlas, ctx: ReportContext, number: int = 4) -> Section:
    """Tools by kind per framework; signals over time with source breaks marked."""
    figures: list[Figure] = []
    reading: list[str] = []
    sources: list[dict[str, Any]] = []
    notes: list[str] = []
    missing: list[str] = []
    method: list[str] = []
    if optional_module("fwatlas.kb") is not None:
        from fwatlas.figures.deployment import load

        try:
            kb = load(ctx)
            figures.append(tools_figure(kb))
            sources += kb.sources()
            active = sum(1 for e in kb.entries.values() if e.status == "active")
            reading.append(f"The knowledge base lists {len(kb.entries)} tools, {active} of them "
                           "active today.")
        except FwatlasError as exc:
            notes.append(f"knowledge base: {exc}")
    signals = optional_module("fwatlas.analyses.signals")
    if signals is not None:
        for metric in signals.METRICS:
            result = signals.signals(atlas, metric=metric)
            if result.missing or not result.points:
                notes.append(result.missing or f"no {metric} evidence")
                missing.append(signals.FILLED_BY[metric][2])
                continue
            figures.append(signal_figure(result))
            sources += result.sources()
            method += list(result.notes)
            text = _latest_reading(result, signals.latest_rows)
            if text:
                reading.append(text)
        method.append("Each series is one measuring instrument (e.g. PyPI downloads over 30 "
                      "days); a framework a series does not cover is unknown, never 0.")
    else:
        missing += list(FILL[:4])
        notes.append("this build has no signals analysis yet")
    if not figures:
        return missing_section(KEY, number, TITLE, QUESTION, tuple(missing) or FILL,
                               "; ".join(notes) or "no ecosystem evidence to draw")
    return Section(KEY, number, TITLE, QUESTION, figures=tuple(figures),
                   reading=tuple(reading), method=tuple(dict.fromkeys(method)),
                   sources=dedupe_sources(sources), missing=tuple(dict.fromkeys(missing)),
                   notes=tuple(notes))
