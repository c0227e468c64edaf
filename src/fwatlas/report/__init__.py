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
    if fmt == "md":  # fail before the (slow) build when no browser can draw PNGs
        from fwatlas.report.static import find_browser

        find_browser()
    report = build_report(atlas, ReportContext(as_of=as_of or dt.date.today(), kb_path=kb_path))
    from fwatlas.errors import writable

    with writable(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "md":
            from fwatlas.report.markdown import write_markdown

            return write_markdown(report, path)
        from fwatlas.report.html import render_html

        path.write_text(render_html(report), encoding="utf-8")
        return [path]


__all__ = ["Report", "ReportFormat", "build_report", "write_report"]
