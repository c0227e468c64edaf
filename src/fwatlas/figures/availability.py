"""Section 1 of the report: model availability on the Hugging Face Hub (the article's F1, F2).

Draws, from ``fwatlas.analyses.availability`` / ``top_models``: the exclusive/shared bars under
every method the snapshot can answer, the trend by creation year, count against
download-weighted shares, the top-30 models, and availability by task. The reading is composed
from the computed numbers, so it changes when the evidence does.
"""

from __future__ import annotations

from typing import Any

from fwatlas import vocabulary as vocab
from fwatlas.errors import FwatlasError, InputError
from fwatlas.figures import style
from fwatlas.figures.context import ReportContext
from fwatlas.figures.model import Comparison, Figure, Section, Table, dedupe_sources, escape_label
from fwatlas.kinds import KINDS, ingest_hint
from fwatlas.store.atlas import Atlas

KEY = "availability"
TITLE = "Model availability"
QUESTION = "Can you get the pretrained models you need in the framework?"
FILL = (f"{ingest_hint('hub')} (a Hub dump: hub-stats Parquet or list_models JSONL)",
        KINDS["hub"].refresh_hint)
FWS = vocab.HUB_FRAMEWORKS
TOP_N = 30
TASKS_SHOWN = 12
MIN_YEAR_MODELS = 30
METHOD_COLOURS = {"tags": "#37474F", "files": "#7E57C2", "library": "#26A69A"}


def _go() -> Any:
    import plotly.graph_objects as go

    return go


def _parts(av: Any) -> dict[str, float | None]:
    """Exclusive shares per framework plus the shared remainder, of models in any framework."""
    o = av.overall
    out: dict[str, float | None] = {f: o.share_exclusive[f] for f in FWS}
    known = [v for v in out.values() if v is not None]
    out["shared"] = (1 - sum(known)) if o.with_framework and len(known) == len(FWS) else None
    return out


def _f1_figure(results: dict[str, Any]) -> Figure:
    go = _go()
    fig = go.Figure()
    rows: list[dict[str, Any]] = []
    cats = [*FWS, "shared"]
    for method, av in results.items():
        parts = _parts(av)
        fig.add_trace(go.Bar(
            name=f"method: {method}", x=[style.label(c) for c in cats],
            marker={"color": METHOD_COLOURS.get(method, "#607D8B")},
            y=[parts[c] for c in cats],
            customdata=[av.overall.exclusive.get(c) if c != "shared" else None for c in cats],
            hovertemplate="%{x}: %{y:.1%}<extra>" + method + "</extra>"))
        for c in cats:
            rows.append({"method": method, "category": c, "share": parts[c],
                         "models": av.overall.exclusive.get(c) if c != "shared" else
                         (av.overall.with_framework or 0) - sum(
                             av.overall.exclusive[f] or 0 for f in FWS),
                         "of_models_in_any_framework": av.overall.with_framework,
                         "snapshot_id": av.snapshot.id, "data_date": av.snapshot.data_date})
    style.apply(fig, style.layout(
        "F1 – exclusive and shared availability, by method", y_title="share of models (%)",
        x_title="framework",
        percent=True, barmode="group"))
    return Figure("availability-f1", "Exclusive and shared availability (F1)", fig, tuple(rows),
                  "Share of models available in at least one of PyTorch, TensorFlow, JAX that "
                  "are exclusive to one framework, or shared by two or more.")


def _year_figure(av: Any) -> Figure:
    go = _go()
    groups = [g for g in av.groups if g.group != "unknown"]
    years = [g.group for g in groups]
    fig = go.Figure()
    rows: list[dict[str, Any]] = []
    for f in FWS:
        fig.add_trace(go.Scatter(
            name=style.label(f), x=years, y=[g.share_available[f] for g in groups],
            mode="lines+markers", line={"color": style.colour(f)},
            customdata=[g.total for g in groups],
            hovertemplate="%{x}: %{y:.1%} of %{customdata:,} models<extra>"
                          + style.label(f) + "</extra>"))
    for g in av.groups:
        rows.append({"year": g.group, "total": g.total, "with_framework": g.with_framework,
                     **{f"available_{f}": g.available[f] for f in FWS},
                     **{f"share_available_{f}": g.share_available[f] for f in FWS},
                     **{f"share_exclusive_{f}": g.share_exclusive[f] for f in FWS},
                     "snapshot_id": av.snapshot.id, "data_date": av.snapshot.data_date})
    basis = "last modified" if any("lastModified" in n for n in av.notes) else "created"
    style.apply(fig, style.layout(f"Availability by year {basis} (method {av.method})",
                                     y_title="share available (%)", percent=True,
                                     x_title=f"year {basis}", xaxis={"type": "category"}))
    return Figure("availability-by-year", f"Availability by year {basis}", fig, tuple(rows),
                  "Share of the year's models (among those in any listed framework) available in "
                  "each framework.")


def _weight_figure(results: dict[str, Any]) -> Figure:
    go = _go()
    fig = go.Figure()
    rows: list[dict[str, Any]] = []
    for weight, av in results.items():
        fig.add_trace(go.Bar(
            name="by model count" if weight == "count" else f"weighted by {weight}",
            x=[style.label(f) for f in FWS], y=[av.overall.share_available[f] for f in FWS],
            hovertemplate="%{x}: %{y:.1%}<extra>" + weight + "</extra>"))
        for f in FWS:
            rows.append({"weight": weight, "framework": f,
                         "available": av.overall.available[f],
                         "share_available": av.overall.share_available[f],
                         "share_exclusive": av.overall.share_exclusive[f],
                         "snapshot_id": av.snapshot.id, "data_date": av.snapshot.data_date})
    style.apply(fig, style.layout("Counted by models vs weighted by downloads",
                                     y_title="share available (%)", x_title="framework",
                                     percent=True, barmode="group"))
    return Figure("availability-weights", "Count vs download-weighted", fig, tuple(rows),
                  "Shares of models (or of their downloads) available in each framework.")


def _task_figure(av: Any) -> Figure:
    go = _go()
    groups = sorted((g for g in av.groups if g.total), key=lambda g: -(g.total or 0))
    shown = list(reversed(groups[:TASKS_SHOWN]))
    fig = go.Figure()
    for c in [*FWS, "shared"]:
        ys = [escape_label(g.group) for g in shown]
        if c == "shared":
            xs = [None if g.with_framework is None else 1 - sum(
                g.share_exclusive[f] or 0 for f in FWS) if g.with_framework else None
                  for g in shown]
        else:
            xs = [g.share_exclusive[c] for g in shown]
        fig.add_trace(go.Bar(name=style.label(c), y=ys, x=xs, orientation="h",
                             marker={"color": style.colour(c)},
                             hovertemplate="%{y}: %{x:.1%}<extra>" + style.label(c)
                             + "</extra>"))
    rows = [{"task": g.group, "total": g.total, "with_framework": g.with_framework,
             **{f"available_{f}": g.available[f] for f in FWS},
             **{f"share_exclusive_{f}": g.share_exclusive[f] for f in FWS},
             "snapshot_id": av.snapshot.id, "data_date": av.snapshot.data_date} for g in groups]
    style.apply(fig, style.layout(
        f"Exclusive availability by task ({len(shown)} largest tasks)",
        percent=False, barmode="stack", height=120 + 26 * len(shown), y_title="task",
        xaxis={"tickformat": ".0%", "title": {"text": "share of models in any framework (%)"}},
        margin={"l": 200, "r": 16, "t": 48, "b": 48}))
    return Figure("availability-by-task", "Availability by task", fig, tuple(rows),
                  "Exclusive shares per task, largest tasks by model count.")


def _top_figure(tm: Any) -> tuple[Figure, Table | None]:
    go = _go()
    s = tm.summary
    if tm.basis == "published":
        keys = [("available in PyTorch", s.get("hub.top30.share_available.pytorch")),
                ("not in TensorFlow", s.get("hub.top30.share_not_in.tensorflow")),
                ("TensorFlow-exclusive", None if s.get("hub.top30.exclusive.tensorflow") is None
                 else s["hub.top30.exclusive.tensorflow"] / TOP_N)]
        title = "F2 – the top 30 models (the article's published summary, 2022)"
    else:
        n = s.get("models") or 0
        keys = [(f"available in {style.label(f)}", s[f"available.{f}"] / n if n else None)
                for f in FWS]
        keys += [("not in TensorFlow", s["not_in.tensorflow"] / n if n else None),
                 ("TensorFlow-exclusive", s["exclusive.tensorflow"] / n if n else None)]
        title = f"F2 – the top {tm.n} models by {tm.rank} (method {tm.method})"
    fig = go.Figure(go.Bar(x=[k for k, _ in keys], y=[v for _, v in keys],
                           marker={"color": "#5C6BC0"},
                           hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
    style.apply(fig, style.layout(title, y_title=f"share of the top {tm.n} (%)",
                                     x_title="framework", percent=True))
    rows = tuple({"measure": k, "share": v, "basis": tm.basis, "snapshot_id": tm.snapshot.id,
                  "data_date": tm.snapshot.data_date} for k, v in keys)
    table = None
    if tm.rows:
        table = Table("availability-top-models", f"The top {tm.n} models by {tm.rank}",
                      ("#", "model", tm.rank, "task", "PyTorch", "TensorFlow", "JAX"),
                      tuple((r["rank"], r["id"], r[tm.rank], r["task"] or "–",
                             *("yes" if r[f] else "no" for f in FWS)) for r in tm.rows))
    return Figure("availability-top", "Top models (F2)", fig, rows,
                  "How many of the most-downloaded models each framework can load."), table


def _also_figure(also: dict[str, Any]) -> Figure:
    go = _go()
    # every framework the source lists, Keras included (it is a Hub library filter, not an F1 tag)
    listed = also.get("rows") or [{"framework": f, "models": also["available"].get(f),
                                   "n": None} for f in FWS]
    fws = [r["framework"] for r in listed]
    fig = go.Figure(go.Bar(x=[style.label(f) for f in fws], y=[r["models"] for r in listed],
                           marker={"color": [style.colour(f) for f in fws]},
                           hovertemplate="%{x}: %{y:,} models<extra></extra>"))
    style.apply(fig, style.layout(f"{also['what']} ({also['data_date']}, {also['basis']})",
                                     y_title="models (count)", x_title="framework"))
    rows = tuple({"framework": r["framework"], "models": r["models"], "n": r["n"],
                  "basis": also["basis"], "snapshot_id": also["snapshot_id"],
                  "data_date": also["data_date"]} for r in listed)
    return Figure("availability-filter-counts", "Newer per-framework totals", fig, rows,
                  "Totals only: exclusive shares are not stated by this source (unknown).")


def _comparisons(atlas: Atlas, article: dict[str, Any], snapshot_id: str | None = None
                 ) -> list[Comparison]:
    """The article's F1 figures (two-framework view, tags) beside today's (of ``snapshot_id``,
    the section's snapshot)."""
    from fwatlas.analyses.availability import availability

    two = availability(atlas, method="tags", weight="count",
                       frameworks=("pytorch", "tensorflow"), snapshot_id=snapshot_id).overall
    today = {"hub.share_exclusive.pytorch": two.share_exclusive["pytorch"],
             "hub.share_available.tensorflow": two.share_available["tensorflow"],
             "hub.share_exclusive.tensorflow": two.share_exclusive["tensorflow"]}
    snap = availability(atlas, snapshot_id=snapshot_id).snapshot
    out = []
    labels = {"hub.share_exclusive.pytorch": "PyTorch-exclusive (of PyTorch or TensorFlow)",
              "hub.share_available.tensorflow": "available in TensorFlow",
              "hub.share_exclusive.tensorflow": "TensorFlow-exclusive"}
    for key, lab in labels.items():
        if key in article:
            out.append(Comparison(lab, article[key]["value"], today[key], "share",
                                  article[key]["source_url"], snap.id,
                                  snap.data_date.isoformat() if snap.data_date else None))
    return out


def _reading(f1: dict[str, Any], comparisons: list[Comparison], by_weight: dict[str, Any],
             by_year: Any | None, top: Any | None) -> list[str]:
    tags = f1.get("tags") or next(iter(f1.values()))
    o = tags.overall
    snap = tags.snapshot
    when = snap.data_date.isoformat() if snap.data_date else "an undated snapshot"
    ranked = sorted(FWS, key=lambda f: -(o.share_exclusive[f] or 0))
    parts = ", ".join(f"{style.label(f)}-only {style.pct(o.share_exclusive[f])}" for f in ranked)
    out = [f"In the Hub data of {when} ({snap.id}: {style.num(o.total)} models, "
           f"{style.num(o.with_framework)} in PyTorch, TensorFlow or JAX), the framework-tagged "
           f"models are {parts} (method: tags); the rest are shared by two or more."]
    for c in comparisons:
        if c.article is not None and c.today is not None:
            diff = 100 * (c.today - c.article)
            out.append(f"{c.label}: {style.pct(c.today)} against the article's "
                       f"{style.pct(c.article, 0)} ({diff:+.1f} points).")
    methods = [m for m in f1 if m != "tags"]
    if methods:
        spread = ", ".join(f"{m}: {style.pct(f1[m].overall.share_exclusive['pytorch'])}"
                           for m in methods)
        out.append(f"The PyTorch-only share depends on how availability is judged ({spread}).")
    if "downloads" in by_weight and "count" in by_weight:
        c_tf = by_weight["count"].overall.share_available["tensorflow"]
        d_tf = by_weight["downloads"].overall.share_available["tensorflow"]
        if c_tf is not None and d_tf is not None:
            more = "more" if d_tf > c_tf else "less"
            out.append(f"Weighted by downloads, TensorFlow reaches {style.pct(d_tf)} against "
                       f"{style.pct(c_tf)} by count: the popular models are {more} often "
                       "available in TensorFlow than the typical model.")
    if by_year is not None:
        # years with a handful of models say nothing about a trend
        years = [g for g in by_year.groups
                 if g.group != "unknown" and (g.with_framework or 0) >= MIN_YEAR_MODELS]
        if len(years) >= 2:
            a, b = years[0], years[-1]
            out.append(f"TensorFlow availability went from "
                       f"{style.pct(a.share_available['tensorflow'])} of {a.group}'s "
                       f"{style.num(a.with_framework)} framework-tagged models to "
                       f"{style.pct(b.share_available['tensorflow'])} of {b.group}'s "
                       f"{style.num(b.with_framework)}; PyTorch from "
                       f"{style.pct(a.share_available['pytorch'])} to "
                       f"{style.pct(b.share_available['pytorch'])}.")
    for also in tags.also:
        if also.get("rows"):
            counts = ", ".join(f"{style.label(r['framework'])} {style.num(r['models'])}"
                               for r in also["rows"])
            out.append(f"The Hub's filter counts ({also['basis']}, {also['snapshot_id']}, data "
                       f"of {also['data_date']}) list {counts} models: totals only, so no "
                       "exclusive shares.")
    if top is not None and top.basis == "computed" and top.summary.get("models"):
        s = top.summary
        out.append(f"Of the top {s['models']} models by {top.rank} in {top.snapshot.id}, "
                   f"{s['available.pytorch']} are "
                   f"available in PyTorch, {s['available.tensorflow']} in TensorFlow and "
                   f"{s['available.jax']} in JAX; {s['exclusive.tensorflow']} are "
                   "TensorFlow-only.")
    return out


def _read_note(snap: Any, sel: Any, sources: tuple[dict[str, Any], ...]) -> str:
    """What the section read, one snapshot per dataset: the Hub models snapshot every F1/F2
    figure and reading uses (id, origin – a local file by its name only – and data date, and
    why it is the one read), then every other dataset beside it."""
    from fwatlas.origins import shown_origin

    def named(s: dict[str, Any]) -> str:
        return (f"{s.get('snapshot_id')} ({shown_origin(s.get('origin'))}, data of "
                f"{s.get('data_date') or 'unknown date'})")

    head = (f"Every F1/F2 figure and reading of this section reads the Hub models snapshot "
            f"{named(snap.source())}" + (f": {sel.why()}" if sel else "")
            + f"; `fwatlas model ID --snapshot {snap.id}` looks a model up in the same one.")
    others = [f"{s.get('dataset')}: {named(s)}" for s in sources
              if s.get("dataset") != snap.dataset]
    return head + (" Beside it, one snapshot per dataset: " + "; ".join(others) + "."
                   if others else "")


def availability_section(atlas: Atlas, ctx: ReportContext | None = None, number: int = 1
                         ) -> Section:
    """Build section 1 from the newest Hub snapshot (ingested, else the bundled reference)."""
    from fwatlas.analyses import availability as av
    from fwatlas.analyses.top_models import top_models

    try:
        base = av.availability(atlas)
    except FwatlasError as exc:
        return Section(KEY, number, TITLE, QUESTION, missing=FILL,
                       notes=(f"no Hub evidence to draw: {exc}",))
    snap = base.snapshot
    cols = av.supported(atlas, snap)
    sources: list[dict[str, Any]] = list(av.sources_of(base, atlas))
    methods = ["tags"] + (["files"] if cols["siblings"] else []) + (
        ["library"] if cols["library_name"] else [])
    # every call below names the section's snapshot: one section, one hub/models snapshot
    f1 = {m: av.availability(atlas, method=m, snapshot_id=snap.id) for m in methods}
    figures = [_f1_figure(f1)]
    notes: list[str] = []

    def attempt(**kw: Any) -> Any:
        try:
            return av.availability(atlas, snapshot_id=snap.id, **kw)
        except InputError as exc:
            notes.append(str(exc))
            return None

    by_year = attempt(by="year")
    if by_year is not None and by_year.groups:
        figures.append(_year_figure(by_year))
    weights = {"count": base}
    for w in ("downloads",):
        r = attempt(weight=w)
        if r is not None:
            weights[w] = r
    if len(weights) > 1:
        figures.append(_weight_figure(weights))
    else:
        notes.append("the snapshot has no download counts, so no download-weighted view")
    tables: list[Table] = []
    top = None
    try:
        # the section's one snapshot: F2 ranks the same snapshot F1 counts (the article's
        # published top 30 when that is the reference, never another dump)
        top = top_models(atlas, n=TOP_N, snapshot_id=snap.id)
        top_fig, top_table = _top_figure(top)
        figures.append(top_fig)
        if top_table is not None:
            tables.append(top_table)
        sources.append(top.snapshot.source())
        notes += list(top.notes) if top.basis == "published" else []
    except InputError as exc:
        notes.append(f"top {TOP_N}: {exc}")
    by_task = attempt(by="task")
    if by_task is not None and by_task.groups:
        figures.append(_task_figure(by_task))
    for also in base.also:
        figures.append(_also_figure(also))
    from fwatlas.figures.coverage import coverage_part

    lib = coverage_part(atlas)  # what Transformers can load, beside the Hub's counts
    if lib is not None:
        figures.append(lib.figure)
        sources += list(lib.sources)
    comparisons = _comparisons(atlas, base.article, snap.id)
    method = [*(lib.method if lib else ()),*dict.fromkeys(n for r in f1.values() for n in r.notes),
              "Shares are of models available in at least one listed framework (the article's "
              "basis); the article compared PyTorch with TensorFlow only, so its comparison rows "
              "use that two-framework view."]
    sel = atlas.selection(snap.dataset)
    method.insert(0, _read_note(snap, sel, dedupe_sources(sources)))
    if snap.is_reference:
        notes.append("drawn from the bundled reference (computed from the real 2022 sample); "
                     f"for today's Hub run `{KINDS['hub'].refresh_hint}` or `{ingest_hint('hub')}`")
    return Section(
        KEY, number, TITLE, QUESTION, figures=tuple(figures), tables=tuple(tables),
        reading=(*_reading(f1, comparisons, weights, by_year, top),
                 *(lib.reading if lib else ())),
        method=tuple(method), comparisons=tuple(comparisons),
        sources=dedupe_sources(sources), notes=tuple(notes))
