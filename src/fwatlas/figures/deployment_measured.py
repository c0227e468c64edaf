"""The deployment section's measured part: what ``fwatlas probe`` found for each path.

A table of paths × models × sizes (ok or the failing stage, latency, size, parity) and a chart
of latency against artifact size per path, failures marked, with the versions and the machine in
the caption. It reads the probe snapshot (the bundled run offline), never the knowledge base.
"""

from __future__ import annotations

from typing import Any

from fwatlas.figures import style
from fwatlas.figures.model import Badge, Figure, Table, escape_label
from fwatlas.probe import spec as spec_module
from fwatlas.probe.measured import ProbeResults, shares_by_target
from fwatlas.probe.records import human_bytes


def _framework(path_id: str) -> str:
    try:
        return spec_module.load_spec().path(path_id).framework
    except KeyError:
        return "other"


def measured_chart(results: ProbeResults) -> Figure:
    """Latency (median, batch 1, one thread) against artifact size; a failure is a cross on
    the bottom row at its path's size when known."""
    import plotly.graph_objects as go

    ok = [r for r in results.records if r.ok and r.latency_ms and r.artifact_bytes]
    bad = [r for r in results.records if not r.ok]
    fig = go.Figure()
    for fw in ("pytorch", "tensorflow", "jax", "keras"):
        recs = [r for r in ok if _framework(r.path) == fw]
        if not recs:
            continue
        fig.add_trace(go.Scatter(
            x=[r.artifact_bytes / 1024 for r in recs if r.artifact_bytes],
            y=[r.latency_ms for r in recs],
            mode="markers", name=style.label(fw),
            marker={"color": style.colour(fw), "size": 9,
                    "symbol": ["circle" if r.size == "tiny" else "diamond" for r in recs]},
            text=[escape_label(f"{r.path} {r.model} {r.size}") for r in recs],
            error_y={"type": "data", "symmetric": False,
                     "array": [(r.latency_p90_ms or r.latency_ms or 0) - (r.latency_ms or 0)
                               for r in recs],
                     "arrayminus": [(r.latency_ms or 0) - (r.latency_p10_ms or r.latency_ms or 0)
                                    for r in recs], "thickness": 1},
            hovertemplate="%{text}: %{y:.3g} ms, %{x:.0f} KiB<extra></extra>"))
    if bad:
        floor = min((r.latency_ms for r in ok if r.latency_ms), default=0.01) / 2
        fallback = min((r.artifact_bytes for r in ok if r.artifact_bytes), default=1024) / 1024
        fig.add_trace(go.Scatter(
            x=[(r.artifact_bytes / 1024) if r.artifact_bytes else fallback for r in bad],
            y=[floor] * len(bad), mode="markers", name="failed / unsupported",
            marker={"symbol": "x", "size": 10, "color": "#7F8C8D"},
            text=[escape_label(f"{r.path} {r.model} {r.size}: {r.phrase()}") for r in bad],
            hovertemplate="%{text}<extra></extra>"))
    style.apply(fig, style.layout(
        "Latency against artifact size, per path (measured)", height=420,
        x_title="artifact size (KiB, sidecars included)", y_title="latency (ms, median)",
        xaxis={"type": "log", "title": {"text": "artifact size (KiB, sidecars included)"}},
        yaxis={"type": "log", "title": {"text": "latency (ms, median, p10–p90 bars)"}}))
    rows = tuple({**r.as_dict(), "framework": _framework(r.path)} for r in results.records)
    caption = (f"Circles: tiny models; diamonds: medium. Crosses on the bottom row: probes that "
               f"failed or that the framework refuses by design (hover for the stage and error). "
               f"{results.caption()}.")
    return Figure("deployment-measured", "Deployment paths, measured", fig, rows, caption)


def measured_table(results: ProbeResults) -> Table:
    rows = []
    for r in results.records:
        result = (Badge("works", "yes") if r.ok else
                  Badge("unsupported", "unsupported") if not r.supported else
                  Badge(f"fails at {r.stage}", "no"))
        rows.append((r.path, r.model, r.size, result,
                     r.error or "",
                     "–" if r.latency_ms is None else f"{r.latency_ms:.3g}",
                     "–" if r.latency_p10_ms is None or r.latency_p90_ms is None
                     else f"{r.latency_p10_ms:.3g}–{r.latency_p90_ms:.3g}",
                     "–" if r.artifact_bytes is None else human_bytes(r.artifact_bytes),
                     "–" if r.max_abs_diff is None else f"{r.max_abs_diff:.1g}",
                     "–" if r.source_latency_ms is None else f"{r.source_latency_ms:.3g}"))
    return Table("deployment-measured-table", "Deployment paths, measured (fwatlas probe)",
                 ("path", "model", "size", "result", "error", "latency ms", "p10–p90 ms",
                  "artifact", "max |Δ|", "source eager ms"), tuple(rows))


def measured_reading(results: ProbeResults) -> list[str]:
    """One sentence per framework: how many of its measured paths work, per target kind."""
    parts: dict[str, list[str]] = {}
    for s in shares_by_target(results):
        parts.setdefault(s.framework, []).append(
            f"{s.working} of {s.paths} {s.target} paths"
            + (f" ({s.unsupported} refused by design)" if s.unsupported else ""))
    if not parts:
        return []
    return ["Measured (" + results.snapshot.id + "): " + "; ".join(
        f"{style.label(fw)} {', '.join(v)} work" for fw, v in parts.items()) + "."]


def measured_parts(results: ProbeResults | None) -> tuple[tuple[Figure, ...],
                                                          tuple[Table, ...], list[str],
                                                          list[dict[str, Any]]]:
    """(figures, tables, reading lines, sources) for the deployment section; empty when no
    probe results exist at all."""
    if results is None or not results.records:
        return (), (), [], []
    return ((measured_chart(results),), (measured_table(results),), measured_reading(results),
            [results.source()])
