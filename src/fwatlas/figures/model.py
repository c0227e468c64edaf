"""What a report section is made of: figures, tables, readings, comparisons and sources.

Every front end (the HTML report, the Markdown export, the web app) renders these objects and
nothing else, so a number looks the same – and carries the same source and date – everywhere.
Figures hold a Plotly figure plus the rows it was drawn from, because "download the data" must
give exactly what the picture shows.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from fwatlas.jsonable import jsonable


def escape_label(text: object) -> str:
    """An external string made safe as a Plotly label: Plotly reads a subset of HTML in labels
    (``<b>``, ``<a href>``), so ``<`` and ``>`` become entities that it draws as plain text."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


#: the only markup fwatlas's own figure text uses (hover boxes: ``<extra>…</extra>``)
_OWN_TAGS = (("<extra>", "\x00e\x00"), ("</extra>", "\x00/e\x00"))


def text_only(value: Any) -> Any:
    """A figure's JSON with every string drawn as text: Plotly renders ``<b>``, ``<br>`` and
    ``<a href>`` inside legends, axes, hover boxes and annotations, so each ``<`` and ``>``
    (except fwatlas's own ``<extra>`` tags) becomes an entity. Idempotent – strings already
    passed through :func:`escape_label` hold no ``<`` or ``>`` – so it is safe to apply to
    the whole figure, whichever builder forgot to escape a label (issue 15)."""
    if isinstance(value, str):
        if "<" not in value and ">" not in value:
            return value
        for tag, mark in _OWN_TAGS:
            value = value.replace(tag, mark)
        value = value.replace("<", "&lt;").replace(">", "&gt;")
        for tag, mark in _OWN_TAGS:
            value = value.replace(mark, tag)
        return value
    if isinstance(value, dict):
        return {k: text_only(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [text_only(v) for v in value]
    if hasattr(value, "tolist"):  # numpy arrays of labels
        return text_only(value.tolist())
    return value


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survive
    literally, so a ``</script>`` in a model id cannot close the element it sits in."""
    text = json.dumps(jsonable(value), ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@dataclass(frozen=True)
class Figure:
    """One chart: the Plotly figure and the rows behind it (the CSV download)."""

    id: str
    title: str
    figure: Any  # plotly.graph_objects.Figure; typed loosely so importing this stays cheap
    rows: tuple[dict[str, Any], ...]
    caption: str = ""

    def plotly_json(self) -> str:
        """The figure as script-safe JSON (``{"data": [...], "layout": {...}}``)."""
        return script_json(text_only(self.figure.to_plotly_json()))

    def csv_text(self) -> str:
        """The rows as CSV (columns in first-seen order; nested values as JSON)."""
        columns: list[str] = []
        for r in self.rows:
            columns += [k for k in r if k not in columns]
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in self.rows:
            w.writerow({k: _flat(r.get(k)) for k in columns})
        return buf.getvalue()

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "caption": self.caption,
                "rows": list(self.rows)}


def _flat(value: Any) -> Any:
    value = jsonable(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


@dataclass(frozen=True)
class Badge:
    """A table cell with a status (e.g. a knowledge-base status) drawn as a coloured badge."""

    text: str
    status: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Table:
    """A table shown beside the figures (top-30 models, the deployment matrix, advice)."""

    id: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "columns": list(self.columns),
                "rows": [[str(c) if isinstance(c, Badge) else c for c in r] for r in self.rows]}


@dataclass(frozen=True)
class Comparison:
    """The article's 2022 number beside today's, each with its own source and date."""

    label: str
    article: float | None
    today: float | None
    unit: str
    article_source: str
    today_source: str | None
    today_date: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Section:
    """One section of the report, in the article's order; ``missing`` says how to fill it."""

    key: str
    number: int
    title: str
    question: str
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    reading: tuple[str, ...] = ()
    method: tuple[str, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    sources: tuple[dict[str, Any], ...] = ()
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def has_evidence(self) -> bool:
        return bool(self.figures or self.tables)

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "number": self.number, "title": self.title,
                "question": self.question,
                "figures": [f.as_dict() for f in self.figures],
                "tables": [t.as_dict() for t in self.tables],
                "reading": list(self.reading), "method": list(self.method),
                "comparisons": [c.as_dict() for c in self.comparisons],
                "sources": list(self.sources), "missing": list(self.missing),
                "notes": list(self.notes)}


def dedupe_sources(sources: list[dict[str, Any]] | tuple[dict[str, Any], ...]
                   ) -> tuple[dict[str, Any], ...]:
    """Sources in first-seen order, one per snapshot id."""
    seen: dict[str, dict[str, Any]] = {}
    for s in sources:
        seen.setdefault(str(s.get("snapshot_id")), s)
    return tuple(seen.values())
