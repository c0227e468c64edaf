"""Static PNGs of the figures with kaleido and the system's Chromium.

Kaleido (the ``report`` extra) drives a Chromium-based browser. Without one, static export is
something outside fwatlas being unavailable: ``SourceUnavailable`` (exit 3), raised before any
file is written, while the HTML report keeps working.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fwatlas.errors import SourceUnavailable

PNG_WIDTH = 900
PNG_SCALE = 1.5


def find_browser() -> str:
    """The browser kaleido would use (``BROWSER_PATH`` overrides), or SourceUnavailable."""
    try:
        import kaleido  # noqa: F401
        from choreographer.browsers.chromium import Chromium
    except ImportError as exc:
        raise SourceUnavailable(
            "static figures need kaleido, which is not installed",
            hint="pip install 'fwatlas[report]'; the HTML report works without it") from exc
    path = Chromium.find_browser(skip_local=False)
    if not path or not os.access(path, os.X_OK):
        raise SourceUnavailable(
            "static figures need a Chromium-based browser and none was found"
            + (f" at {path}" if path else ""),
            hint="install chromium (apt-get install chromium) or set BROWSER_PATH; "
                 "`fwatlas report --format html` works without one")
    return path


def light(figure: Any) -> Any:
    """A copy of the figure for a white page (the HTML sets colours from its CSS instead)."""
    import plotly.graph_objects as go

    from fwatlas.figures.model import text_only

    fig = go.Figure(text_only(figure.to_plotly_json() if hasattr(figure, "to_plotly_json")
                              else figure))
    fig.update_layout(paper_bgcolor="white", plot_bgcolor="white", font={"color": "#1d2329"})
    return fig


def write_pngs(figures: Sequence[Any], paths: Sequence[Path]) -> None:
    """Write every figure in one kaleido session (starting Chromium once)."""
    find_browser()
    if not figures:
        return
    import plotly.io as pio

    try:
        pio.write_images([light(f) for f in figures], [str(p) for p in paths],
                         format="png", width=PNG_WIDTH, scale=PNG_SCALE)
    except Exception as exc:  # noqa: BLE001 - kaleido/choreographer raise many kinds
        first = str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SourceUnavailable(f"static export failed: {first}",
                                hint="the HTML report works without it") from exc
