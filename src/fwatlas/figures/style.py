"""One look for every figure: framework colours, a slim layout, and number formatting.

The layout is deliberately minimal (no Plotly default template, transparent backgrounds):
the page's CSS decides light or dark, and a small script sets the font colour to match, so the
same figure JSON serves the report, the Markdown PNGs and the web app.
"""

from __future__ import annotations

from typing import Any

from fwatlas.vocabulary import FRAMEWORK_TITLES

#: Colours per category (the frameworks' own brand hues where they have one).
COLOURS: dict[str, str] = {
    "pytorch": "#EE4C2C",
    "tensorflow": "#FF8F00",
    "jax": "#3F7BE0",
    "keras": "#B71C1C",
    "shared": "#8E6BBF",
    "multi": "#8E6BBF",
    "other": "#7F8C8D",
    "none": "#B0B7BB",
    "mxnet": "#2E9E6B",
    "paddle": "#1565C0",
}
LABELS: dict[str, str] = {
    **FRAMEWORK_TITLES,
    "shared": "shared (2+)", "multi": "several", "other": "other", "none": "none",
    "mxnet": "MXNet", "paddle": "Paddle",
}


def colour(name: str) -> str:
    return COLOURS.get(name, "#607D8B")


def label(name: str) -> str:
    return LABELS.get(name, name)


def apply(fig: Any, layout: dict[str, Any]) -> None:
    """Give a figure its layout in one assignment. Every figure here is built fresh with no
    layout of its own, so this is what ``fig.update_layout(**layout)`` gives – without its
    batch-update pass, which costs ~5 ms a figure (a report draws 19)."""
    fig.layout = type(fig.layout)(layout)


def layout(title: str, *, y_title: str = "", x_title: str = "", percent: bool = False,
           height: int = 380, **extra: Any) -> dict[str, Any]:
    """A compact layout: readable on a phone (legend below), no template bloat."""
    out: dict[str, Any] = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "template": "none",
        "height": height,
        "margin": {"l": 56, "r": 16, "t": 48, "b": 48},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
        "xaxis": {"title": {"text": x_title}, "gridcolor": "rgba(128,128,128,0.2)",
                  "automargin": True},
        "yaxis": {"title": {"text": y_title}, "gridcolor": "rgba(128,128,128,0.2)",
                  "automargin": True, "zeroline": False},
        "hovermode": "closest",
    }
    if percent:
        out["yaxis"]["tickformat"] = ".0%"
    for key in ("xaxis", "yaxis"):  # merged, so an axis option keeps the title and automargin
        if isinstance(extra.get(key), dict):
            out[key] = {**out[key], **extra.pop(key)}
    out.update(extra)
    return out


def pct(value: float | None, digits: int = 1) -> str:
    """A share as a percentage, or "unknown" (never a made-up 0)."""
    return "unknown" if value is None else f"{100 * value:.{digits}f}%"


def num(value: float | None) -> str:
    return "unknown" if value is None else f"{value:,.0f}"
