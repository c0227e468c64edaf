"""The self-contained HTML report, and the Jinja environment the web app shares.

Jinja autoescaping is on for every template, so model ids, titles and author names are text;
figure JSON goes into ``<script type="application/json">`` through ``script_json`` (no ``<``
survives), and Plotly's JavaScript is embedded once, from the installed plotly package – the
file opens offline, with no CDN.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.origins import without_local_paths

if TYPE_CHECKING:
    import jinja2

    from fwatlas.figures.model import Figure
    from fwatlas.report.build import Report


@dataclass(frozen=True)
class Assets:
    """CSS/JS either inlined (the report file) or linked under ``prefix`` (the web app)."""

    inline: bool
    prefix: str = "/static"

    @property
    def css(self) -> str:
        return asset_text("fwatlas.css")

    @property
    def js(self) -> str:
        return asset_text("fwatlas.js")

    @property
    def plotly(self) -> str:
        return plotly_js()


@cache
def asset_text(name: str) -> str:
    return resources.files("fwatlas.report").joinpath("assets", name).read_text("utf-8")


def plotly_js_path() -> Path:
    """plotly.min.js from the installed plotly package (never a CDN)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@cache
def plotly_js() -> str:
    text = plotly_js_path().read_text("utf-8")
    if "</script" in text.lower():  # would end the inline element early
        raise RuntimeError("plotly.min.js contains '</script' and cannot be inlined")
    return text


def _public(value: Any) -> Any:
    """A figure's strings (labels, hover text, data cells) with every local path shown as its
    file name – string by string, never on the encoded JSON, whose escapes look like paths."""
    kind = type(value)
    if kind is float or kind is int or kind is bool or value is None:  # most cells
        return value
    if isinstance(value, str):
        return without_local_paths(value)
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_public(v) for v in value]
    return value


def csv_uri(fig: Figure) -> str:
    """The figure's rows as a ``data:`` URI, so the download works from a file:// page; a
    local path inside a cell shows as its file name (the JSON keeps it whole)."""
    public = replace(fig, rows=tuple(_public(dict(r)) for r in fig.rows))
    return "data:text/csv;charset=utf-8," + urllib.parse.quote(public.csv_text())


def figure_json(fig: Figure) -> str:
    """The figure as script-safe JSON for the page, without local paths (see :func:`_public`)."""
    from fwatlas.figures.model import script_json, text_only

    return script_json(_public(text_only(fig.figure.to_plotly_json())))


def figure_source(sources: Any) -> str:
    """The source line every figure caption carries: its section's datasets and their data
    dates, so a chart copied out of the page still says where its numbers came from and how
    old they are. Origins are not repeated here (the section's source line and the footer
    name them, without local paths)."""
    by: dict[str, set[str]] = {}
    for src in sources or ():
        name = str(src.get("dataset") or src.get("kind") or src.get("snapshot_id") or "")
        if not name:
            continue
        day = src.get("data_date")
        by.setdefault(name, set())
        if day:
            by[name].add(str(day)[:10])
    if not by:
        return "Source: not recorded."
    days = sorted({d for ds in by.values() for d in ds})
    when = ("data date unknown" if not days else f"data of {days[0]}" if len(days) == 1
            else f"data of {days[0]} to {days[-1]}")
    if len(by) > 3:
        names = ", ".join(list(by)[:3]) + f" and {len(by) - 3} more"
        return f"Sources: {names}; {when}."
    parts = [f"{n} ({'data of ' + ', '.join(sorted(ds)) if ds else 'undated'})"
             for n, ds in by.items()]
    return ("Source: " if len(parts) == 1 else "Sources: ") + "; ".join(parts) + "."


def _num(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:,.3g}"
    return str(value)


def _share(value: Any, unit: str = "share") -> str:
    if value is None:
        return "unknown"
    if unit == "share":
        return f"{100 * value:.1f}%"
    return _num(value)


@cache
def environment() -> jinja2.Environment:
    """One Jinja environment (autoescape on) for the report's and the web app's templates."""
    import jinja2

    from fwatlas.figures.model import Badge

    loader = jinja2.ChoiceLoader([
        jinja2.PackageLoader("fwatlas.web", "templates"),
        jinja2.PackageLoader("fwatlas.report", "templates"),
    ])
    env = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=False,
                             undefined=jinja2.StrictUndefined)
    env.filters["csv_uri"] = csv_uri
    env.filters["figure_json"] = figure_json
    env.filters["num"] = _num
    env.filters["figure_source"] = figure_source
    env.filters["share"] = _share
    from fwatlas.report.credits import credit_groups, shown_origin, without_local_paths

    env.filters["public"] = shown_origin
    env.filters["nolocal"] = without_local_paths
    env.filters["groups"] = credit_groups
    env.tests["badge"] = lambda v: isinstance(v, Badge)
    return env


def render_html(report: Report, *, assets: Assets | None = None) -> str:
    """The report page; by default self-contained (CSS, JS and Plotly inlined)."""
    tpl = environment().get_template("report.html.j2")
    return tpl.render(report=report, assets=assets or Assets(inline=True),
                      needs_plotly=bool(report.figures))
