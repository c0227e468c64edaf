"""How the store's listings are drawn: snapshots and facts (each row names its source)."""

from __future__ import annotations

from typing import Any

from fwatlas.cli.render.types import Draw, Json, Render
from fwatlas.commands import Ctx


def _snapshots_table(payload: Json, args: Json, ctx: Ctx) -> Draw:
    from fwatlas.origins import shown_origin


    def draw(console: Any) -> None:
        from rich.table import Table

        t = Table(title="Snapshots")
        # ids are what --snapshot takes: never cut or broken; the long origin gives way
        t.add_column("id", no_wrap=True)
        for c in ("kind", "dataset", "data date", "rows", "skipped", "ingested", "read",
                  "origin"):
            t.add_column(c, overflow="fold")
        for s in payload["rows"]:
            t.add_row(s["snapshot_id"], s["kind"], s["dataset"], s["data_date"] or "–",
                      f"{s['rows']:,}", str(s["skipped"]),
                      (s["ingested_at"] or "bundled reference")[:19], s["read"],
                      shown_origin(s["origin"]))
        console.print(t, markup=False)
        for s in payload["rows"]:
            if s["read"] != "read" or not s["reference"]:
                console.print(f"{s['snapshot_id']} ({s['dataset']}): {s['read']} – {s['why']}",
                              markup=False, highlight=False)

    return draw


def _fold(text: str, width: int) -> list[str]:
    """``text`` word-wrapped to ``width`` cells; a word wider than that is folded, never cut."""
    from rich.cells import cell_len, chop_cells

    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        if cell_len(word) > width:
            *whole, word = chop_cells(word, width)
            lines += whole
        line = word
    return [*lines, line]


def _plain_table(console: Any, title: str, headers: tuple[str, ...],
                 rows: list[tuple[str, ...]]) -> None:
    """Plain-text cells as a boxed table where it fits the console, else one record per row
    (the first cell as a heading, then ``column: value`` pairs wrapped between words) – the
    layouts ``fitting_console`` chooses, laid out here from the cells' lengths: Rich measuring
    and wrapping ~950 fact rows cell by cell took most of ``fwatlas facts``' time."""
    from rich.cells import cell_len
    from rich.text import Text

    widths = [max([cell_len(h), *(cell_len(r[i]) for r in rows)])
              for i, h in enumerate(headers)]
    out = Text(end="")
    if sum(widths) + 3 * len(widths) + 1 <= console.width:
        def rule(left: str, fill: str, mid: str, right: str) -> str:
            return left + mid.join(fill * (w + 2) for w in widths) + right + "\n"

        def line(cells: tuple[str, ...], edge: str) -> str:
            return edge + edge.join(f" {c}{' ' * (w - cell_len(c))} "
                                    for c, w in zip(cells, widths, strict=True)) + edge + "\n"

        total = sum(widths) + 3 * len(widths) + 1
        pad = max(total - cell_len(title), 0)
        out.append(" " * (pad // 2))
        out.append(title, style="italic")
        out.append(" " * (pad - pad // 2) + "\n")
        out.append(rule("┏", "━", "┳", "┓"))
        out.append(line(headers, "┃"), style="bold")
        out.append(rule("┡", "━", "╇", "┩"))
        for r in rows:
            out.append(line(r, "│"))
        out.append(rule("└", "─", "┴", "┘"))
    else:
        width = max(console.width, 3)
        out.append("\n".join(_fold(title, width)) + "\n", style="bold")
        labels = [" ".join(h.split()) + ": " for h in headers[1:]]
        for r in rows:
            out.append("\n".join(_fold(r[0], width)) + "\n", style="bold")
            pairs = " · ".join(f"{k}{v}" for k, v in zip(labels, r[1:], strict=True))
            for text in _fold(pairs, width - 2):
                out.append("  " + text + "\n")
    console.print(out, soft_wrap=True, markup=False, highlight=False, end="")


def _facts_table(payload: Json, args: Json, ctx: Ctx) -> Draw:
    prefix = args["prefix"]

    def draw(console: Any) -> None:
        rows: list[tuple[str, ...]] = []
        for f in payload["rows"]:
            value = f["value"]
            shown = f"{value:.4g}" if isinstance(value, float) else str(value)
            # a month- or year-precise date is shown as curated, not as its first day
            day = f.get("data_date_as_curated") or f["data_date"] or "–"
            ci = f.get("ci95")
            rows.append((f["name"], "null" if value is None else shown, f["unit"],
                         "–" if f.get("n") is None else f"{f['n']:,}",
                         f"{ci[0]:.3f}–{ci[1]:.3f}" if ci else "–", f["basis"], day,
                         ", ".join(str(s.get("snapshot_id")) for s in f["sources"])))
        _plain_table(console, f"Facts{' under ' + prefix if prefix else ''}",
                     ("name", "value", "unit", "n", "95 % CI", "basis", "data date", "source"),
                     rows)

    return draw


RENDERERS: dict[str, Render] = {"snapshots": _snapshots_table, "facts": _facts_table}
