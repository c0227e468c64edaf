"""The research section's long series: paper mentions to 2022, linked code from 2022, one chart.

The text series (the tracker's and fwatlas's paper-mention counts) stops in 2022; the code series
(the framework of papers' linked repositories, ``fwatlas.analyses.research_code``) starts there.
They measure different things – a paper naming a framework vs. the code it published – so the
chart draws them as separate lines and the reading says what each measures. Code shares carry
their 95 % interval as a band: the bundled sample has ~30 repositories per edition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fwatlas.figures import style
from fwatlas.figures.model import Figure
from fwatlas.stats import sample_phrase
from fwatlas.store.atlas import Atlas

CODE_SHOWN = ("pytorch", "tensorflow", "jax")


@dataclass(frozen=True)
class CodePart:
    figure: Figure | None
    reading: tuple[str, ...]
    method: tuple[str, ...]
    sources: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]


def _band(go: Any, x: list[int], low: list[float], high: list[float], colour: str,
          name: str) -> list[Any]:
    from fwatlas.figures.research import _alpha

    return [go.Scatter(x=x, y=high, mode="lines", line={"width": 0}, showlegend=False,
                       hoverinfo="skip", name=f"{name} 95 % upper"),
            go.Scatter(x=x, y=low, mode="lines", line={"width": 0}, fill="tonexty",
                       fillcolor=_alpha(colour, 0.18), showlegend=True,
                       name=f"{name}: 95 % interval", hoverinfo="skip")]


def text_and_code_figure(text_rows: list[Any], code_rows: list[dict[str, Any]]) -> Figure:
    """Text: PyTorch's share of PyTorch-or-TensorFlow papers (per-year ``all``, to 2022); code:
    each framework's share of repositories with a framework (per-year ``all``), with bands."""
    import plotly.graph_objects as go

    fig = go.Figure()
    table: list[dict[str, Any]] = []
    for basis, dash in (("computed", "solid"), ("published", "dot")):
        agg = sorted((r for r in text_rows if r.venue == "all" and r.basis == basis
                      and r.pytorch_share is not None), key=lambda r: r.year)
        if agg:
            cis = [r.pytorch_share_ci95 or (r.pytorch_share, r.pytorch_share) for r in agg]
            fig.add_trace(go.Scatter(
                name=f"papers mentioning PyTorch (of PyTorch or TensorFlow; {basis})",
                x=[r.year for r in agg], y=[r.pytorch_share for r in agg],
                mode="lines+markers", line={"color": style.colour("pytorch"), "dash": dash},
                # the 95 % interval as error bars (thousands of papers: often within the marker)
                error_y={"type": "data", "symmetric": False,
                         "array": [c[1] - r.pytorch_share for c, r in zip(cis, agg, strict=True)],
                         "arrayminus": [r.pytorch_share - c[0]
                                        for c, r in zip(cis, agg, strict=True)],
                         "thickness": 1, "width": 3},
                customdata=[[r.n] for r in agg],
                hovertemplate="%{x}: %{y:.1%} of %{customdata[0]:,} papers<extra>papers ("
                              + basis + ")</extra>"))
            table += [{"series": "text", "basis": basis, "year": r.year,
                       "framework": "pytorch", "share": r.pytorch_share, "n": r.n,
                       "ci95_low": (r.pytorch_share_ci95 or (None, None))[0],
                       "ci95_high": (r.pytorch_share_ci95 or (None, None))[1]} for r in agg]
    agg_code = sorted((r for r in code_rows if r["venue"] == "all" and r["n"]),
                      key=lambda r: r["year"])
    x = [r["year"] for r in agg_code]
    for fw in CODE_SHOWN:
        if not agg_code:
            break
        colour = style.colour(fw)
        cis = [r[f"{fw}_share_ci95"] or [None, None] for r in agg_code]
        fig.add_traces(_band(go, x, [c[0] for c in cis], [c[1] for c in cis], colour,
                             style.label(fw)))
        fig.add_trace(go.Scatter(
            name=f"code repositories in {style.label(fw)} (of those with a framework)", x=x,
            y=[r[f"{fw}_share"] for r in agg_code], mode="lines+markers",
            line={"color": colour, "width": 3},
            customdata=[[r["n"]] for r in agg_code],
            hovertemplate="%{x}: %{y:.1%} of %{customdata[0]} repositories<extra>code</extra>"))
        table += [{"series": "code", "basis": r["basis"], "year": r["year"], "framework": fw,
                   "share": r[f"{fw}_share"], "n": r["n"],
                   "ci95_low": (r[f"{fw}_share_ci95"] or [None])[0],
                   "ci95_high": (r[f"{fw}_share_ci95"] or [None, None])[1],
                   "sample": r["sample"], "snapshot_ids": " ".join(r["snapshot_ids"])}
                  for r in agg_code]
    style.apply(fig, style.layout(
        "Papers' frameworks: mentions in the text (to 2022), linked code (from 2022)",
        y_title="share (%)", x_title="year", percent=True, height=440, yaxis={"range": [0, 1],
                                                          "tickformat": ".0%"}))
    return Figure("research-text-code", "Paper text to 2022, paper code from 2022", fig,
                  tuple(table),
                  "Thin dotted/solid: papers mentioning PyTorch among those mentioning PyTorch "
                  "or TensorFlow; thick: linked code repositories per framework, over "
                  "repositories with a framework, with 95 % Wilson bands.")


def code_part(atlas: Atlas, text_rows: list[Any]) -> CodePart:
    """The chart, its reading and its method lines for the research section."""
    from fwatlas.analyses.research_code import research_code

    result = research_code(atlas)
    rows = [r.as_dict() for r in result.rows]
    agg = sorted((r for r in rows if r["venue"] == "all" and r["n"]), key=lambda r: r["year"])
    # a year only one venue has gets no `all` row: its reading names the venue
    singles: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        if r["venue"] != "all" and r["n"] and r["year"] not in {a["year"] for a in agg}:
            singles.setdefault(r["year"], []).append(r)
    if not agg and not singles:
        return CodePart(None, (), (), (), (result.hint,) if result.hint else ())
    reading = []
    text_last = max((r for r in text_rows if r.venue == "all" and r.pytorch_share is not None),
                    key=lambda r: r.year, default=None)
    if text_last is not None:
        reading.append(
            f"Paper text (what papers mention) across venues ends in {text_last.year}: PyTorch "
            f"{style.pct(text_last.pytorch_share)} of papers naming PyTorch or TensorFlow "
            f"({len(text_last.venues)} venues).")
    # a later year only one venue has is named in the text reading (research_section)
    for year, members in sorted(singles.items()):
        if len(members) != 1:
            continue
        r = members[0]
        lo, hi = r["pytorch_share_ci95"]
        reading.append(
            f"Linked code, {year}, one venue only ({r['venue'].upper()}): PyTorch "
            f"{style.pct(r['pytorch_share'])}, "
            f"{sample_phrase(r['pytorch'], r['n'], 'repositories with a framework')}; 95 % "
            f"{style.pct(lo)}–{style.pct(hi)} – that venue's share, not a cross-venue one.")
    for r in agg:
        lo, hi = r["pytorch_share_ci95"]
        what = r["sample"] or "every scanned linked repository"
        reading.append(
            f"Linked code (what papers published), {r['year']}: PyTorch "
            f"{style.pct(r['pytorch_share'])}, "
            f"{sample_phrase(r['pytorch'], r['n'], 'repositories with a framework')}; 95 % "
            f"{style.pct(lo)}–{style.pct(hi)}; TensorFlow "
            f"{style.pct(r['tensorflow_share'])}, JAX {style.pct(r['jax_share'])}; "
            f"{r['none']:,} without one; {what}.")
    return CodePart(text_and_code_figure(text_rows, rows), tuple(reading), result.notes,
                    tuple(result.sources()), (result.hint,) if result.hint else ())
