"""The signals chart: a yearly and a monthly series never share an axis; many source breaks
do not cover the lines."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

from fwatlas.figures.ecosystem import MAX_BREAK_LABELS, signal_figure


def _point(series: str, day: dt.date, fw: str, value: float) -> NS:
    return NS(series=series, date=day, framework=fw, package=None, value=value, share=None,
              partial=False, snapshot_id="s1")


def _result(points: list[NS], breaks: list[NS]) -> NS:
    return NS(metric="questions", unit="questions", points=points, breaks=breaks, leads=[])


def test_yearly_and_monthly_series_get_separate_axes():
    yearly = [_point("so-survey", dt.date(y, 12, 31), "pytorch", 1e5) for y in (2021, 2022, 2023)]
    monthly = [_point("so-monthly", dt.date(2023, m, 1), "pytorch", 300.0) for m in range(1, 13)]
    fig = signal_figure(_result(yearly + monthly, [])).figure.to_plotly_json()
    axes = {t["name"]: t.get("yaxis", "y") for t in fig["data"]}
    assert axes["PyTorch · so-survey"] != axes["PyTorch · so-monthly"]
    lay = fig["layout"]
    titles = {lay[k]["title"]["text"] for k in ("yaxis", "yaxis2")}
    assert titles == {"questions (yearly)", "questions (monthly)"}
    lo1, hi1 = lay["yaxis"]["domain"]
    lo2, hi2 = lay["yaxis2"]["domain"]
    assert hi2 <= lo1 or hi1 <= lo2  # stacked panels, not overlaid


def test_one_cadence_is_one_axis():
    monthly = [_point("pypi", dt.date(2023, m, 1), fw, 10.0 * m)
               for m in range(1, 7) for fw in ("pytorch", "tensorflow")]
    fig = signal_figure(_result(monthly, [])).figure.to_plotly_json()
    assert {t.get("yaxis", "y") for t in fig["data"]} == {"y"}
    assert fig["layout"]["yaxis"]["title"]["text"] == "questions (monthly)"  # with its unit


def test_many_breaks_are_ticks_not_lines_across_the_chart():
    pts = [_point("deps", dt.date(2020, 1, 1) + dt.timedelta(days=7 * i), "pytorch", 1.0 * i)
           for i in range(120)]
    breaks = [NS(date=p.date, what="column changed", series="deps") for p in pts[:106]]
    fig = signal_figure(_result(pts, breaks)).figure.to_plotly_json()
    shapes = fig["layout"]["shapes"]
    assert len(shapes) == 106
    assert max(s["y1"] for s in shapes) <= 0.05  # short ticks at the axis
    few = signal_figure(_result(pts, breaks[:MAX_BREAK_LABELS])).figure.to_plotly_json()
    assert {s["y1"] for s in few["layout"]["shapes"]} == {1}
    ys = [a["y"] for a in few["layout"]["annotations"] if a["text"] == "source break"]
    assert len(set(ys)) == 2  # neighbours' labels alternate height


def test_dead_tools_check_column_names_where_to_check():
    from fwatlas.figures.deployment import _changes_table
    from fwatlas.kb import load_kb
    from fwatlas.kb.changes import kb_changes

    table = _changes_table(kb_changes(load_kb(None), dt.date(2026, 11, 1)))
    assert table.rows and table.columns[-1].startswith("check")
    for row in table.rows:
        assert "http" in row[-1], row  # a URL to check, never an empty cell
    stale = _changes_table(kb_changes(load_kb(None), dt.date(2031, 1, 1)))
    assert all(r[-1].startswith("stale – recheck http") for r in stale.rows)
