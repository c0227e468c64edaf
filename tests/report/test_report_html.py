"""`fwatlas report`: one self-contained, dated, sourced HTML file in the article's order."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.report.helpers import expected_tags_cells, hub_records
from tests.report.pageparse import parse, section_order

REFERENCE_CSV = ROOT / "src" / "fwatlas" / "data" / "reference" / "hub_sample_2022.csv"
ORDER = ["availability", "research", "deployment", "ecosystem", "advice"]


@pytest.fixture(scope="module")
def fresh_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("fresh")
    out = tmp / "out" / "report.html"
    r = run_cli("report", "-o", str(out), "--db", str(tmp / "none.duckdb"),
                "--as-of", "2026-11-01")
    assert r.code == 0, r.err
    assert r.out.strip() == str(out.resolve())
    return out, out.read_text(encoding="utf-8")


def _reference_cells(prefix: str) -> dict[str, float]:
    """The reference's Venn cells read with the csv module (the oracle's input)."""
    cells: dict[str, float] = {}
    with REFERENCE_CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["figure"] == "hub.cells" and row["key"].startswith(prefix):
                cells[row["key"][len(prefix):]] = float(row["value"])
    return cells


def test_report_is_self_contained_with_plotly_embedded_once(fresh_report):
    _, html = fresh_report
    page = parse(html)
    assert page.script_srcs == []  # nothing loaded from anywhere: no CDN, no file beside it
    assert html.count("plotly.js v") == 1  # the library's banner: embedded exactly once
    links = [a.get("href") or "" for tag, a in page.tags if tag == "link"]
    assert all(h.startswith("data:") for h in links)  # no stylesheet from elsewhere either
    assert '<meta name="viewport"' in html and "prefers-color-scheme: dark" in html


def test_sections_follow_the_article_and_carry_the_as_of_date(fresh_report):
    _, html = fresh_report
    assert section_order(html) == ORDER
    assert "as of 2026-11-01" in html


def test_f1_figure_matches_the_reference_cells(fresh_report):
    if not _reference_cells("tags.count.all.all."):
        pytest.skip("the bundled reference has no Hub cells in this build")
    _, html = fresh_report
    cells = _reference_cells("tags.count.all.all.")
    in_any = sum(v for k, v in cells.items() if k != "none")
    expected_pt_only = cells.get("pytorch", 0) / in_any
    expected_tf_only = cells.get("tensorflow", 0) / in_any
    fig = parse(html).figures["availability-f1"]
    tags = next(t for t in fig["data"] if t["name"] == "method: tags")
    assert tags["x"][:2] == ["PyTorch", "TensorFlow"]
    assert tags["y"][0] == pytest.approx(expected_pt_only)
    assert tags["y"][1] == pytest.approx(expected_tf_only)


def test_each_figure_has_a_csv_download_of_its_rows(fresh_report):
    _, html = fresh_report
    page = parse(html)
    assert page.figures, "no figures"
    for fig_id in page.figures:
        assert f"{fig_id}.csv" in page.csv, fig_id
    rows = list(csv.DictReader(io.StringIO(page.csv["availability-f1.csv"])))
    tags = {r["category"]: float(r["share"]) for r in rows if r["method"] == "tags"}
    fig = page.figures["availability-f1"]
    y = next(t for t in fig["data"] if t["name"] == "method: tags")["y"]
    assert [tags["pytorch"], tags["tensorflow"], tags["jax"]] == pytest.approx(y[:3])
    assert all(r["data_date"] for r in rows)


def test_article_2022_numbers_stand_beside_todays(fresh_report):
    _, html = fresh_report
    assert 'id="compare-availability"' in html
    # the article's published 85% and 8%, as the reference states them
    assert "85.0%" in html and "8.0%" in html


def test_footer_lists_every_source_with_licence(fresh_report):
    _, html = fresh_report
    footer = html[html.index('id="sources"'):]
    for sid in ("ref:hub/models@", "ref:article@", "ref:papers/published@", "kb:"):
        assert sid in footer, sid
    assert footer.count("<tr>") >= 5
    assert "no licence stated" in footer and "AssemblyAI" in footer


def test_a_section_without_evidence_says_which_ingest_fills_it(fresh_report):
    _, html = fresh_report
    start = html.index('<section class="section" id="ecosystem"')
    eco = html[start:html.index("</section>", start)]
    for command in ("fwatlas ingest pypi-downloads", "fwatlas ingest jobs", "fwatlas ingest qa"):
        assert command in eco


def test_same_as_of_gives_the_same_report(fresh_report, tmp_path):
    path, html = fresh_report
    again = tmp_path / "again.html"
    r = run_cli("report", "-o", str(again), "--db", str(tmp_path / "none.duckdb"),
                "--as-of", "2026-11-01")
    assert r.code == 0, r.err
    assert again.read_text(encoding="utf-8") == html


def test_ingested_hub_snapshot_drives_f1_and_top_models(tmp_path, hostile_store):
    out = tmp_path / "r.html"
    r = run_cli("report", "-o", str(out), "--db", str(hostile_store), "--as-of", "2026-11-01")
    assert r.code == 0, r.err
    cells = expected_tags_cells(hub_records())
    in_any = sum(v for k, v in cells.items() if k != "none")
    page = parse(out.read_text(encoding="utf-8"))
    y = next(t for t in page.figures["availability-f1"]["data"]
             if t["name"] == "method: tags")["y"]
    assert y[:3] == pytest.approx([cells.get("pytorch", 0) / in_any,
                                   cells.get("tensorflow", 0) / in_any,
                                   cells.get("jax", 0) / in_any])
    # top models by downloads: the table lists all 12 models, most downloaded first
    ranked = sorted(hub_records(), key=lambda m: (-m["downloads"], m["modelId"]))
    text = "".join(page.text)
    positions = [text.index(m["modelId"]) for m in ranked[:3]]
    assert positions == sorted(positions)


def test_report_never_writes_the_store(tmp_path, hostile_store):
    before = hashlib.sha256(hostile_store.read_bytes()).hexdigest()
    r = run_cli("report", "-o", str(tmp_path / "r.html"), "--db", str(hostile_store))
    assert r.code == 0, r.err
    assert hashlib.sha256(hostile_store.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("args, needle", [
    (["--as-of", "2026-13-01"], "--as-of"),
    (["--format", "pdf"], "--format"),
])
def test_bad_options_exit_2_with_one_line(tmp_path, args, needle):
    r = run_cli("report", "-o", str(tmp_path / "r.html"), "--db", str(tmp_path / "x.duckdb"),
                *args)
    assert r.code == 2
    assert needle in r.err and len(r.err.strip().splitlines()) == 1
    assert not (tmp_path / "r.html").exists()


def test_advice_section_puts_each_persona_to_both_rulesets(fresh_report):
    _, html = fresh_report
    rows = list(csv.DictReader(io.StringIO(parse(html).csv["advice-personas.csv"])))
    # professor and hobbyist once per --focus value: 4 plain personas + 2 + 2
    assert [(r["persona"], r["focus"]) for r in rows] == [
        ("industry", ""), ("researcher", ""), ("professor", "industry"), ("professor", "theory"),
        ("career-changer", ""), ("hobbyist", "project"), ("hobbyist", "learning"),
        ("beginner", "")]
    for r in rows:
        cli = run_cli("advise", "--persona", r["persona"], *(["--focus", r["focus"]]
                      if r["focus"] else []), "--ruleset", "article-2022", "--json",
                      "--as-of", "2026-11-01")
        assert cli.code == 0, cli.err
        assert cli.json()["recommendation"] == r["article_2022"]
    # the article's own flowcharts: industry → TensorFlow, researcher → PyTorch, beginner → Keras
    by = {(r["persona"], r["focus"]): r["article_2022"] for r in rows}
    assert by[("industry", "")] == "tensorflow" and by[("researcher", "")] == "pytorch"
    assert by[("beginner", "")] == "keras"
