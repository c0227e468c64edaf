"""One rendering path for every command: table, JSON, CSV or Parquet.

A command builds an :class:`Output` (the JSON envelope's keys, the rows, and how to draw a Rich
table) and hands it to :func:`emit`. ``--json`` is ``--format json``; csv/parquet write the
``rows`` to ``-o PATH`` with the sources beside it in ``PATH.sources.json``; a command without
rows refuses them (exit 2).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from fwatlas.errors import InputError, opt, writable
from fwatlas.jsonable import jsonable


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    parquet = "parquet"


@dataclass
class Output:
    """What a command shows: ``payload`` holds ``sources`` and its own keys (``rows`` if any)."""

    payload: dict[str, Any]
    table: Callable[[Any], None] | None = None
    has_rows: bool = field(default=False)

    def __post_init__(self) -> None:
        self.payload.setdefault("sources", [])
        self.has_rows = self.has_rows or "rows" in self.payload
        # sources first, as DESIGN's envelope shows it
        self.payload = {"sources": self.payload["sources"],
                        **{k: v for k, v in self.payload.items() if k != "sources"}}


def dumps(payload: dict[str, Any]) -> str:
    return json.dumps(jsonable(payload), indent=2, ensure_ascii=False)


def _flat(value: Any) -> Any:
    value = jsonable(value)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


def _one_type(values: list[Any]) -> list[Any]:
    """Parquet columns have one type: a column mixing kinds (a fact's value may be a number,
    a status or a flag) is written as text; ints mixed with floats become floats."""
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {int, float} and len(kinds) == 2:
        return [None if v is None else float(v) for v in values]
    if len(kinds) > 1:
        return [None if v is None else str(v) for v in values]
    return values


def write_rows(rows: list[dict[str, Any]], sources: list[Any], fmt: Format, path: Path) -> None:
    """Write rows as CSV or Parquet, and the sources to ``PATH.sources.json``."""
    import pyarrow as pa

    path.parent.mkdir(parents=True, exist_ok=True)
    columns: list[str] = []
    for r in rows:
        columns += [k for k in r if k not in columns]
    if fmt is Format.csv:
        import csv

        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=columns)
            w.writeheader()
            for r in rows:
                w.writerow({k: _flat(r.get(k)) for k in columns})
    else:
        import pyarrow.parquet as pq

        data = {c: _one_type([_flat(r.get(c)) if isinstance(r.get(c), dict | list)
                              else jsonable(r.get(c)) for r in rows]) for c in columns}
        pq.write_table(pa.table(data) if rows else pa.table({}), path)
    Path(f"{path}.sources.json").write_text(
        json.dumps(jsonable({"sources": sources}), indent=2), encoding="utf-8")


def emit(out: Output, fmt: Format = Format.table, path: Path | None = None) -> None:
    """Render ``out`` in the chosen format (to stdout, or to ``path`` for csv/parquet)."""
    if fmt in (Format.csv, Format.parquet):
        if not out.has_rows:
            raise InputError(f"this command has no rows to write as {fmt.value}; "
                             f"use {opt('format')} table or json")
        if path is None:
            raise InputError(f"{opt('format')} {fmt.value} needs -o PATH")
        with writable(path):
            write_rows(list(out.payload.get("rows") or []), out.payload["sources"], fmt, path)
        from rich.console import Console

        Console(stderr=True).print(f"wrote {len(out.payload.get('rows') or [])} rows to {path} "
                                   f"(sources in {path}.sources.json)")
        return
    if fmt is Format.json:
        text = dumps(out.payload)
        if path is not None:
            with writable(path):
                path.write_text(text + "\n", encoding="utf-8")
        else:
            sys.stdout.write(text + "\n")
        return
    console = fitting_console()
    if out.table is not None:
        out.table(console)
    else:
        console.print_json(dumps(out.payload))


def number(v: Any) -> str:
    """A count for a table cell: thousands separators, two decimals only when fractional,
    and ``null`` – never 0 – where the evidence cannot say."""
    if v is None:
        return "null"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.2f}"
    return f"{v:,.0f}" if isinstance(v, int | float) else str(v)


def percent(v: Any) -> str:
    """A share (0..1) as a percentage with one decimal, or ``null``."""
    return "null" if v is None else f"{100 * v:.1f}%"


def sources_line(sources: list[dict[str, Any]]) -> str:
    """The line under every table: where the numbers come from and how old they are."""
    parts = []
    for s in sources:
        date = s.get("data_date") or "undated"
        parts.append(f"{s.get('snapshot_id')} {s.get('origin')} ({s.get('basis')}, data of {date})")
    return "Source: " + "; ".join(parts) if parts else "Source: none"


def _cell_text(value: Any, markup: bool) -> Any:
    from rich.text import Text

    if isinstance(value, Text):
        return value
    text = str(value)
    return Text.from_markup(text) if markup else Text(text)


def records(table: Any, markup: bool = True) -> Any:
    """A table too wide for the terminal as one record per row: the first cell as a heading,
    then ``column: value`` pairs that wrap between pairs – never a 1-character column or a
    number cut to "1,0…"."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[Any] = []
    if table.title:
        parts.append(Text(str(table.title), style="bold"))
    columns = table.columns
    for i in range(table.row_count):
        cells = [c._cells[i] if i < len(c._cells) else "" for c in columns]
        head = _cell_text(cells[0], markup)
        head.stylize("bold")
        line = Text()
        for k, (col, value) in enumerate(zip(columns[1:], cells[1:], strict=False)):
            if k:
                line.append(" · ", style="dim")
            line.append(f"{' '.join(str(col.header).split())}: ", style="dim")
            line.append_text(_cell_text(value, markup))
        parts += [head, Padding(line, (0, 0, 0, 2))]
    return Group(*parts)


def fitting_console() -> Any:
    """A Console whose tables fit the terminal: a table wider than the screen is printed as
    records (see :func:`records`) instead of being squeezed until its cells are cut."""
    from rich.console import Console
    from rich.table import Table

    class FittingConsole(Console):
        def print(self, *objects: Any, **kw: Any) -> None:
            fitted = []
            for o in objects:
                if isinstance(o, Table) and o.row_count and \
                        self.measure(o, options=self.options.update(width=10_000,
                                                                    max_width=10_000)
                                     ).maximum > self.width:
                    fitted.append(records(o, markup=kw.get("markup") is not False))
                else:
                    fitted.append(o)
            super().print(*fitted, **kw)

    return FittingConsole()
