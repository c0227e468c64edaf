"""How probe results (the deployment paths measured) are drawn."""

from __future__ import annotations

from typing import Any

from fwatlas.cli.render.types import Draw, Json, Render
from fwatlas.commands import Ctx


def _results_table(payload: Json, args: Json, ctx: Ctx) -> Draw:
    def draw(console: Any) -> None:
        from rich.table import Table

        from fwatlas.probe.records import human_bytes

        t = Table(title="Deployment paths, measured")
        for c in ("path", "model", "size", "result", "export s", "artifact", "latency ms",
                  "p10–p90", "source ms", "max |Δ|"):
            t.add_column(c, overflow="fold")

        def num(v: float | None, f: str = ".3g") -> str:
            return "–" if v is None else format(v, f)

        for r in payload["rows"]:
            result = ("ok" if r["ok"] else "unsupported" if not r["supported"]
                      else f"fails at {r['stage']}: {r['error'] or ''}")
            t.add_row(r["path"], r["model"], r["size"], result, num(r["export_s"]),
                      "–" if r["artifact_bytes"] is None else human_bytes(r["artifact_bytes"]),
                      num(r["latency_ms"]),
                      "–" if r["latency_p10_ms"] is None else
                      f"{r['latency_p10_ms']:.3g}–{r['latency_p90_ms']:.3g}",
                      num(r["source_latency_ms"]), num(r["max_abs_diff"], ".1g"))
        console.print(t, markup=False)
        if payload["caption"]:
            console.print(payload["caption"], markup=False, style="dim")

    return draw


RENDERERS: dict[str, Render] = {"probe results": _results_table}
