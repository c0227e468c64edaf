"""Section 2 of the report: research adoption (the article's F3, F4, F5).

Draws ``fwatlas.analyses.research`` (PyTorch's share of papers that use PyTorch or TensorFlow,
per venue and the aggregate), ``migration`` (the authors' Sankey between two years) and
``pwc_trends`` (Papers with Code quarterly shares, when a dump was ingested). Computed and
published rows are drawn as separate lines, never added together – as the analysis keeps them.
"""

from __future__ import annotations

from typing import Any

from fwatlas.errors import FwatlasError
from fwatlas.figures import style
from fwatlas.figures.context import ReportContext
from fwatlas.figures.missing import missing_section, optional_module
from fwatlas.figures.model import Comparison, Figure, Section, dedupe_sources, escape_label
from fwatlas.kinds import ingest_hint
from fwatlas.stats import sample_phrase
from fwatlas.store.atlas import Atlas

KEY = "research"
TITLE = "Research adoption"
QUESTION = "Which framework do researchers publish with, and where are authors moving?"
FILL = (f"{ingest_hint('papers')} (conference papers: JSON records or PDFs with --metadata)",
        f"{ingest_hint('pwc')} (the Papers with Code dump)")
MIGRATION_YEARS = (2018, 2019)  # the article's Sankey
MIN_PAPERS = 50  # framework papers a year needs to start or end the reading
PWC_SHOWN = ("pytorch", "tensorflow", "jax", "multi", "none")


def _go() -> Any:
    import plotly.graph_objects as go

    return go


def _best_rows(rows: list[Any]) -> dict[str, list[Any]]:
    """Per venue, the rows of one basis (computed where the venue has any, else published)."""
    by_venue: dict[str, dict[str, list[Any]]] = {}
    for r in rows:
        if r.venue != "all" and r.pytorch_share is not None:
            by_venue.setdefault(r.venue, {}).setdefault(r.basis, []).append(r)
    return {v: b.get("computed") or b.get("published") or []
            for v, b in sorted(by_venue.items())}


def f3_figure(rows: list[Any], *, fig_id: str = "research-f3",
              title: str = "F3 – PyTorch's share of papers using PyTorch or TensorFlow") -> Figure:
    """Per-venue share lines (thin) and the per-year aggregate of each basis (thick)."""
    go = _go()
    fig = go.Figure()
    for venue, vrows in _best_rows(rows).items():
        vrows = sorted(vrows, key=lambda r: r.year)
        fig.add_trace(go.Scatter(
            name=escape_label(f"{venue} ({vrows[0].basis})"), x=[r.year for r in vrows],
            y=[r.pytorch_share for r in vrows], mode="lines+markers",
            line={"width": 1}, marker={"size": 4}, opacity=0.6,
            hovertemplate="%{x}: %{y:.1%}<extra>" + escape_label(venue) + "</extra>"))
    for basis, dash in (("computed", "solid"), ("published", "dot")):
        agg = sorted((r for r in rows if r.venue == "all" and r.basis == basis
                      and r.pytorch_share is not None), key=lambda r: r.year)
        if agg:
            fig.add_trace(go.Scatter(
                name=f"all venues ({basis})", x=[r.year for r in agg],
                y=[r.pytorch_share for r in agg], mode="lines+markers",
                line={"width": 4, "color": style.colour("pytorch"), "dash": dash},
                hovertemplate="%{x}: %{y:.1%}<extra>all (" + basis + ")</extra>"))
    style.apply(fig, style.layout(title, y_title="PyTorch share (%)", x_title="year",
                                     percent=True,
                                     height=420, yaxis={"range": [0, 1], "tickformat": ".0%"}))
    table = tuple({"venue": r.venue, "year": r.year, "basis": r.basis, "papers": r.papers,
                   "pytorch_only": r.pytorch_only, "tensorflow_only": r.tensorflow_only,
                   "both": r.both, "jax": r.jax, "none": r.none,
                   "pytorch_share": r.pytorch_share, "evidence": r.evidence,
                   "snapshot_ids": " ".join(r.snapshot_ids)} for r in rows)
    return Figure(fig_id, "Research papers by framework (F3)", fig, table,
                  "Thin lines: venues; thick: all venues with evidence that year, drawn only for "
                  "years at least two venues have (computed and published never added "
                  "together).")


def _one_venue_years(rows: list[Any], basis: str, last_all: int | None) -> list[str]:
    """Years after the last cross-venue year that only one venue has: named, never read as
    'across venues' (one venue's share set beside the article's eight-venue figure would not
    compare like with like)."""
    later: dict[int, list[Any]] = {}
    for r in rows:
        if (r.venue != "all" and r.basis == basis and r.pytorch_share is not None
                and (last_all is None or r.year > last_all)):
            later.setdefault(r.year, []).append(r)
    out = []
    for year, members in sorted(later.items()):
        if len(members) != 1:
            continue
        r = members[0]
        out.append(f"{year} ({basis}) has one venue only, {r.venue.upper()}: PyTorch "
                   f"{style.pct(r.pytorch_share)}, "
                   f"{sample_phrase(r.pytorch_only, r.n, 'papers using one of the two')} – "
                   "that venue's share, not a cross-venue one.")
    return out


def _alpha(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _sankey(m: Any) -> Figure:
    go = _go()
    labels = [f"{n['label']} ({n['year']})" for n in m.nodes]
    colours = [style.colour(n["label"]) if "+" not in n["label"] else style.colour("shared")
               for n in m.nodes]
    fig = go.Figure(go.Sankey(
        node={"label": [escape_label(x) for x in labels], "color": colours, "pad": 14},
        link={"source": [lk["source"] for lk in m.links],
              "target": [lk["target"] for lk in m.links],
              "value": [lk["value"] for lk in m.links],
              "color": [_alpha(colours[lk["source"]], 0.4) for lk in m.links]}))
    style.apply(fig, style.layout(
        f"F4 – authors' frameworks, {m.first} → {m.second} ({m.authors:,} authors)",
        height=420))
    return Figure("research-f4", "Author migration (F4)", fig, tuple(m.rows),
                  "Authors with framework-labelled papers in both years; fractions are of each "
                  f"{m.first} label's authors.")


def _pwc_figure(t: Any) -> Figure:
    go = _go()
    rows = list(t.rows)
    fig = go.Figure()
    for cat in PWC_SHOWN:
        fig.add_trace(go.Scatter(
            name=style.label(cat), x=[r["quarter"] for r in rows],
            y=[r.get(f"{cat}_share") for r in rows], mode="lines",
            line={"color": style.colour(cat)}, stackgroup="one",
            hovertemplate="%{x}: %{y:.1%}<extra>" + style.label(cat) + "</extra>"))
    style.apply(fig, style.layout(
        f"F5 – Papers with Code repositories per quarter (dump of {t.snapshot.data_date})",
        y_title="share of the quarter's repositories (%)", x_title="quarter", percent=True,
        yaxis={"range": [0, 1], "tickformat": ".0%"}))
    return Figure("research-f5", "Papers with Code quarterly shares (F5)", fig,
                  tuple({k: v for k, v in r.items() if not k.endswith("_share") or
                         k[:-6] in PWC_SHOWN} for r in rows),
                  "Shares of all repositories of the quarter, `none` included.")


def _cmp(label: str, article: dict[str, Any], key: str, today: float | None,
         source: str | None, date: Any, unit: str = "share") -> Comparison | None:
    if key not in article:
        return None
    return Comparison(label, article[key]["value"], today, unit,
                      "https://www.assemblyai.com/blog/pytorch-vs-tensorflow-in-2023/",
                      source, str(date) if date else None)


def research_section(atlas: Atlas, ctx: ReportContext, number: int = 2) -> Section:
    """Per-venue shares (F3), the author-migration Sankey (F4), PwC quarterly shares (F5)."""
    mod = optional_module("fwatlas.analyses.research")
    if mod is None:
        return missing_section(KEY, number, TITLE, QUESTION, FILL,
                               "this build has no research analysis yet")
    from fwatlas.analyses.migration import migration
    from fwatlas.analyses.pwc_trends import pwc_trends

    try:
        res = mod.research(atlas)
    except FwatlasError as exc:
        return missing_section(KEY, number, TITLE, QUESTION, FILL, str(exc))
    rows = list(res.rows)
    figures: list[Figure] = []
    reading: list[str] = []
    comparisons: list[Comparison] = []
    notes: list[str] = [res.hint] if res.hint else []
    sources: list[dict[str, Any]] = list(res.sources())
    missing: list[str] = []
    if any(r.pytorch_share is not None for r in rows):
        figures.append(f3_figure(rows))
        series: dict[str, list[Any]] = {}
        for basis in ("computed", "published"):
            # a year with a handful of framework papers is no starting point for a trend
            agg = sorted((r for r in rows if r.venue == "all" and r.basis == basis
                          and r.pytorch_share is not None
                          and (r.pytorch_only or 0) + (r.tensorflow_only or 0) >= MIN_PAPERS),
                         key=lambda r: r.year)
            if len(agg) >= 2:
                series[basis] = agg
                a, b = agg[0], agg[-1]
                reading.append(
                    f"Across the venues with evidence ({basis}), PyTorch's share of papers that "
                    f"use PyTorch or TensorFlow went from {style.pct(a.pytorch_share)} in "
                    f"{a.year} ({a.pytorch_only:,} vs {a.tensorflow_only:,} papers, "
                    f"{len(a.venues)} venues) to {style.pct(b.pytorch_share)} in {b.year} "
                    f"({b.pytorch_only:,} vs {b.tensorflow_only:,}, {len(b.venues)} venues).")
            reading += _one_venue_years(rows, basis, agg[-1].year if agg else None)
        if series:
            # compare with the article using the series that reaches furthest
            agg = max(series.values(), key=lambda s: s[-1].year)
            a, b = agg[0], agg[-1]
            for row, key, which in ((a, "research.pytorch_share.first", "first"),
                                    (b, "research.pytorch_share.last", "last")):
                c = _cmp(f"PyTorch share of papers, {which} year ({row.year}, {row.basis}, "
                         f"{len(row.venues)} venues)",
                         res.article, key, row.pytorch_share, ", ".join(row.snapshot_ids),
                         row.year)
                if c:
                    comparisons.append(c)
    else:
        missing.append(FILL[0])
    try:
        m = migration(atlas, first=MIGRATION_YEARS[0], second=MIGRATION_YEARS[1])
    except FwatlasError as exc:
        m = None
        notes.append(f"migration: {exc}")
    if m is not None and m.authors:
        figures.append(_sankey(m))
        sources += m.sources()
        t2p, stay = m.tensorflow_to_pytorch, m.pytorch_stayed
        reading.append(
            f"Of {t2p.of:,} authors who used only TensorFlow in {m.first}, "
            f"{style.pct(t2p.value)} used PyTorch in {m.second}; of {stay.of:,} PyTorch-only "
            f"authors, {style.pct(stay.value)} still did.")
        src = ", ".join(s.id for s in m.snapshots)
        for c in (_cmp("TensorFlow authors using PyTorch a year later", m.article,
                       "migration.tensorflow_to_pytorch", t2p.value, src, m.second),
                  _cmp("PyTorch authors staying with PyTorch", m.article,
                       "migration.pytorch_stayed", stay.value, src, m.second)):
            if c:
                comparisons.append(c)
    elif m is not None:
        notes.append(f"author migration (F4): {m.hint or 'no authors labelled in both years'}")
        missing.append(FILL[0])
    t = pwc_trends(atlas)
    if t.snapshot is not None and t.rows:
        figures.append(_pwc_figure(t))
        sources += t.sources()
        last = t.latest_complete()
        if last:
            reading.append(
                f"In Papers with Code's latest complete quarter ({last['quarter']}, dump of "
                f"{t.snapshot.data_date}), {last['repositories']:,} repositories: PyTorch "
                f"{style.pct(last.get('pytorch_share'))}, TensorFlow "
                f"{style.pct(last.get('tensorflow_share'))}, JAX "
                f"{style.pct(last.get('jax_share'))}.")
            src = t.snapshot.id
            for c in (_cmp(f"PwC repositories, latest quarter ({last['quarter']})", t.article,
                           "pwc.repositories.latest_quarter", last["repositories"], src,
                           t.snapshot.data_date, unit="repositories"),
                      _cmp("PwC PyTorch share, latest quarter", t.article,
                           "pwc.share.pytorch.latest_quarter", last.get("pytorch_share"), src,
                           t.snapshot.data_date),
                      _cmp("PwC TensorFlow share, latest quarter", t.article,
                           "pwc.share.tensorflow.latest_quarter",
                           last.get("tensorflow_share"), src, t.snapshot.data_date)):
                if c:
                    comparisons.append(c)
    else:
        notes.append(f"Papers with Code (F5): {t.hint or 'no rows'}")
        missing.append(FILL[1])
    from fwatlas.figures.research_code import code_part

    code = code_part(atlas, rows)  # text to 2022 and linked code from 2022, one chart
    if code.figure is not None:
        figures.insert(1 if figures else 0, code.figure)
        reading += code.reading
        sources += code.sources
    notes += code.notes
    if not figures:
        return missing_section(KEY, number, TITLE, QUESTION, FILL,
                               "no paper evidence to draw")
    article_sources = [s.source() for s in [atlas.newest("article")] if s is not None]
    return Section(KEY, number, TITLE, QUESTION, figures=tuple(figures),
                   reading=tuple(reading), method=(*res.notes, *code.method,
                                                   *(m.notes if m else ()),
                                                   *(t.notes if t.snapshot else ())),
                   comparisons=tuple(comparisons),
                   sources=dedupe_sources(sources + article_sources),
                   missing=tuple(dict.fromkeys(missing)), notes=tuple(notes))
