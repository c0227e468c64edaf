"""External strings are data: a hostile model id or paper title is text in the report."""

from __future__ import annotations

import json

from tests.conftest import run_cli
from tests.report.helpers import HOSTILE, IMG, SCRIPT
from tests.report.pageparse import parse


def _report(tmp_path, db) -> str:
    out = tmp_path / "r.html"
    r = run_cli("report", "-o", str(out), "--db", str(db), "--as-of", "2026-11-01")
    assert r.code == 0, r.err
    return out.read_text(encoding="utf-8")


def test_hostile_strings_never_appear_as_markup(tmp_path, hostile_store):
    html = _report(tmp_path, hostile_store)
    for s in HOSTILE:
        assert s not in html
    assert "<img" not in html
    assert html.count("<script") == html.count("</script>")
    page = parse(html)
    # the ids are shown – as text – in the top-models table
    text = "".join(page.text)
    assert f"evil/{SCRIPT}" in text and f"evil/x{IMG}" in text
    # and only the page's own two inline scripts exist (Plotly, the renderer)
    assert page.inline_scripts == 2


def test_figure_json_cannot_close_its_script_element(tmp_path, hostile_store):
    html = _report(tmp_path, hostile_store)
    page = parse(html)
    raw_blocks = html.split('type="application/json"')[1:]
    for block in raw_blocks:
        body = block[block.index(">") + 1:block.index("</script>")]
        assert "<" not in body and ">" not in body
    # the task figure carries the hostile task name, entity-escaped for Plotly's labels
    labels = json.dumps(page.figures["availability-by-task"]["data"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in labels


def test_csv_download_keeps_the_exact_string(tmp_path, hostile_store):
    html = _report(tmp_path, hostile_store)
    csv_text = parse(html).csv["availability-by-task.csv"]
    assert SCRIPT in csv_text  # the data itself is unchanged; only its rendering is escaped
