"""The report: one self-contained HTML file, or Markdown with PNG figures beside it.

``write_report(atlas, path, fmt=..., as_of=...)`` is what ``fwatlas report`` calls; the sections
come from ``fwatlas.figures`` so the web app shows exactly the same figures.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from fwatlas.report.build import Report, build_report

if TYPE_CHECKING:
    from fwatlas.store.atlas import Atlas

ReportFormat = Literal["html", "md"]


def write_report(atlas: Atlas, path: Path, *, fmt: ReportFormat = "html",
                 as_of: dt.date | None = None, kb_path: str | None = None) -> list[Path]:
    """Build the report from the store and write it; returns the files written."""
    from fwatlas.errors import InputError, opt
    from fwatlas.figures import ReportContext

    if fmt not in ("html", "md"):
        raise InputError(f"{opt('format')} must be html or md, not {fmt!r}")
    from fwatlas.errors import writable

    day = as_of or dt.date.today()
    if fmt == "md":  # fail before the (slow) build when no browser can draw PNGs
        from fwatlas.report.static import find_browser

        find_browser()
        report = build_report(atlas, ReportContext(as_of=day, kb_path=kb_path))
        from fwatlas.report.markdown import write_markdown

        with writable(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            return write_markdown(report, path)
    html = _html(atlas, day, kb_path)
    with writable(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    return [path]


def _html(atlas: Atlas, day: dt.date, kb_path: str | None) -> str:
    """The HTML report: the one stored for the same store, day and knowledge base if there is
    one (``fwatlas.store.result_cache``: the same inputs give the same file, byte for byte),
    else built and stored."""
    from fwatlas.figures import ReportContext
    from fwatlas.report.html import render_html
    from fwatlas.store import result_cache

    args = {"format": "html", "as_of": day.isoformat()}
    cached = result_cache.load_text(atlas, "report", args, kb_path, day)
    if cached is not None:
        return cached
    html = render_html(build_report(atlas, ReportContext(as_of=day, kb_path=kb_path)))
    result_cache.save_text(atlas, "report", args, kb_path, day, html)
    return html


__all__ = ["Report", "ReportFormat", "build_report", "write_report"]
