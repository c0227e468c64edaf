"""The availability section's library-level series: what Transformers can load, per release.

Beside the Hub's tag counts (which checkpoints exist), this shows whether the largest model
library can load an architecture in a framework at all – the v5 release (2026-01) removed
TensorFlow and Flax. Shares are of the release's architectures, with 95 % bands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fwatlas.figures import style
from fwatlas.figures.model import Figure
from fwatlas.store.atlas import Atlas


@dataclass(frozen=True)
class CoveragePart:
    figure: Figure
    reading: tuple[str, ...]
    method: tuple[str, ...]
    sources: tuple[dict[str, Any], ...]


def coverage_part(atlas: Atlas) -> CoveragePart | None:
    """The per-release chart and one reading; None when no release is known."""
    import plotly.graph_objects as go

    from fwatlas.analyses.coverage import FRAMEWORKS, coverage
    from fwatlas.figures.research import _alpha

    result = coverage(atlas)
    rows = [r.as_dict() for r in result.rows]
    if not rows:
        return None
    fig = go.Figure()
    x = [f"{r['version']} ({r['date'] or '?'})" for r in rows]
    for fw in FRAMEWORKS:
        colour = style.colour(fw)
        cis = [r[f"{fw}_share_ci95"] or [None, None] for r in rows]
        fig.add_trace(go.Scatter(x=x, y=[c[1] for c in cis], mode="lines", line={"width": 0},
                                 showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=x, y=[c[0] for c in cis], mode="lines", line={"width": 0},
                                 fill="tonexty", fillcolor=_alpha(colour, 0.15),
                                 showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(
            name=style.label(fw), x=x, y=[r[f"{fw}_share"] for r in rows],
            mode="lines+markers", line={"color": colour},
            customdata=[[r[fw], r["architectures"]] for r in rows],
            hovertemplate="%{x}: %{y:.1%} (%{customdata[0]} of %{customdata[1]} "
                          "architectures)<extra>" + style.label(fw) + "</extra>"))
    style.apply(fig, style.layout(
        "Transformers: architectures each framework can load, per release",
        y_title="share of the release's architectures (%)",
        x_title="Transformers release (version, release date)", percent=True, height=420,
        yaxis={"range": [0, 1.02], "tickformat": ".0%"}))
    figure = Figure("availability-transformers-coverage", "Transformers coverage per release",
                    fig, tuple(rows), "Architectures with a model implementation in each "
                    "framework, counted from each release's wheel; 95 % Wilson bands.")
    first, last = rows[0], rows[-1]
    peak_tf = max(rows, key=lambda r: r["tensorflow"])
    reading = (
        f"Library-level availability: Transformers {first['version']} ({first['date']}) had "
        f"{first['architectures']:,} architectures, TensorFlow "
        f"{style.pct(first['tensorflow_share'])}; TensorFlow peaked at "
        f"{peak_tf['tensorflow']:,} architectures ({peak_tf['version']}); "
        f"{last['version']} ({last['date']}) has {last['architectures']:,}, TensorFlow "
        f"{style.pct(last['tensorflow_share'])}, JAX {style.pct(last['jax_share'])}.",)
    return CoveragePart(figure, reading, tuple(result.as_dict()["notes"]),
                        tuple(result.sources()))
