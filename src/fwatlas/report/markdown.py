"""The Markdown report: the same sections as text, PNG figures and CSV data beside it.

Markdown renderers pass inline HTML through, so every external string is entity-escaped here
too (a model id ``<script>`` must stay text on GitHub or in a static-site generator).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fwatlas.figures.model import Badge, Section, Table
from fwatlas.report.build import Report
from fwatlas.report.credits import shown_origin


def md_text(value: Any) -> str:
    """Inline text safe in Markdown: HTML special characters as entities, pipes escaped."""
    text = "–" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in ("\\", "|", "*", "_", "`", "[", "]"):
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def _cell(v: Any) -> str:
    if isinstance(v, Badge):
        return f"**{md_text(v.text)}**"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int | float):
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.3g}"
    return md_text(v)


def _share(v: float | None, unit: str) -> str:
    if v is None:
        return "unknown"
    return f"{100 * v:.1f}%" if unit == "share" else _cell(v)


def _table(t: Table) -> list[str]:
    out = [f"**{md_text(t.title)}**", "", "| " + " | ".join(md_text(c) for c in t.columns) + " |",
           "|" + "---|" * len(t.columns)]
    out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in t.rows]
    return [*out, ""]


def _sources(sources: tuple[dict[str, Any], ...]) -> str:
    return "Sources: " + "; ".join(
        f"{md_text(s.get('snapshot_id'))} – {md_text(shown_origin(s.get('origin')))} "
        f"({md_text(s.get('basis'))}"
        f", data of {md_text(s.get('data_date') or 'unknown date')})" for s in sources)


def _section(s: Section, assets: str) -> list[str]:
    out = [f"## {s.number}. {md_text(s.title)}", "", f"*{md_text(s.question)}*", ""]
    if not s.has_evidence:
        out += ["> **Evidence missing.** " + " ".join(md_text(n) + "." for n in s.notes)
                + " This section fills in with:", ">"]
        out += [f"> - `{m}`" for m in s.missing]
        return [*out, ""]
    if s.reading:
        out += ["**What the numbers say**", ""] + [f"- {md_text(r)}" for r in s.reading] + [""]
    if s.comparisons:
        out += ["| figure | article, 2022 | today | today's source |", "|---|---|---|---|"]
        out += [f"| {md_text(c.label)} | {_share(c.article, c.unit)} | {_share(c.today, c.unit)}"
                f" | {md_text(c.today_source)}, data of {md_text(c.today_date)} |"
                for c in s.comparisons]
        out.append("")
    for f in s.figures:
        out += [f"![{md_text(f.title)}]({assets}/{f.id}.png)", "",
                f"*{md_text(f.caption)}* Data: [{f.id}.csv]({assets}/{f.id}.csv)", ""]
    for t in s.tables:
        out += _table(t)
    if s.method:
        out += ["Method:", ""] + [f"- {md_text(m)}" for m in s.method] + [""]
    if s.notes:
        out += [f"- *{md_text(n)}*" for n in s.notes] + [""]
    out += [_sources(s.sources), ""]
    return out


def render_markdown(report: Report, assets: str) -> str:
    """The report as Markdown; figures are referenced as ``ASSETS/<figure id>.png``."""
    out = ["# PyTorch, TensorFlow, JAX or Keras – which should I use?", "",
           f"Framework Atlas report as of {report.as_of} · fwatlas {report.version}. "
           "Every number carries its source and data date.", ""]
    if report.scorecard is not None:
        out += ["## Scorecard: who leads each round today", "",
                "| round | today | confidence | the article (2022) | evidence age |",
                "|---|---|---|---|---|"]
        for r in report.scorecard.rows:
            age = f"{r.evidence_age_days} days" if r.evidence_age_days is not None else "–"
            out.append(f"| {md_text(r.title)} | {md_text(r.headline)} | {md_text(r.confidence)} "
                       f"| {md_text(r.article_2022 or '–')} | {md_text(age)} |")
        out += ["", "| source | dataset | snapshot | data date | state | refresh with |",
                "|---|---|---|---|---|---|"]
        out += [f"| {md_text(s.kind)} | {md_text(s.dataset or '–')} | "
                f"{md_text(s.snapshot_id or '–')} | {md_text(s.data_date or '–')} | "
                f"{md_text(s.state)} | `{md_text(s.refresh)}` |" for s in report.scorecard.status]
        out += [""]
    for s in report.sections:
        out += _section(s, assets)
    out += ["## Data sources, licences and attribution", "",
            "| snapshot | source | data date | basis | licence | attribution |",
            "|---|---|---|---|---|---|"]
    out += [f"| {md_text(c.snapshot_id)} | {md_text(shown_origin(c.origin))} | "
            f"{md_text(c.data_date)} | "
            f"{md_text(c.basis)} | {md_text(c.licence)} | {md_text(c.attribution)} |"
            for c in report.credits]
    return "\n".join(out) + "\n"


def write_markdown(report: Report, path: Path) -> list[Path]:
    """Write ``PATH`` and ``PATH_files/`` (PNGs and CSVs); PNGs first, so a missing browser
    (exit 3) leaves no half-written report behind. Returns every file written."""
    from fwatlas.report.static import find_browser, write_pngs

    find_browser()
    folder = path.with_name(path.stem + "_files")
    folder.mkdir(parents=True, exist_ok=True)
    figs = report.figures
    pngs = [folder / f"{f.id}.png" for f in figs]
    write_pngs([f.figure for f in figs], pngs)
    written = list(pngs)
    for f in figs:
        csv_path = folder / f"{f.id}.csv"
        csv_path.write_text(f.csv_text(), encoding="utf-8")
        written.append(csv_path)
    path.write_text(render_markdown(report, folder.name), encoding="utf-8")
    return [path, *written]
