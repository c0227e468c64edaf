"""`fwatlas report --json`: the report's sections as data, the command table's ``report``
builder – the same JSON the web's /api/report returns (test_cli_api_parity), with the
envelope's sources first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

ORDER = ["availability", "research", "deployment", "ecosystem", "advice"]


@pytest.fixture(scope="module")
def report_json(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("reportjson")
    db = tmp / "none.duckdb"
    r = run_cli("report", "--json", "--as-of", "2026-11-01", "--db", str(db))
    assert r.code == 0, r.err
    return db, r.out


def test_the_data_is_the_sections_in_the_articles_order_sources_first(report_json) -> None:
    _, out = report_json
    data = json.loads(out)
    assert list(data)[:2] == ["sources", "as_of"] and data["as_of"] == "2026-11-01"
    assert [s["key"] for s in data["sections"]] == ORDER
    # every source a section names is in the envelope once, and each has its credit
    named = [s["snapshot_id"] for sec in data["sections"] for s in sec["sources"]]
    ids = [s["snapshot_id"] for s in data["sources"]]
    assert len(ids) == len(set(ids)) and set(named) <= set(ids)
    assert set(ids) == {c["snapshot_id"] for c in data["credits"]}


def test_with_an_output_path_the_data_goes_there(report_json, tmp_path: Path) -> None:
    db, out = report_json
    target = tmp_path / "report.json"
    r = run_cli("report", "--json", "-o", str(target), "--as-of", "2026-11-01", "--db", str(db))
    assert r.code == 0, r.err
    assert json.loads(target.read_text()) == json.loads(out)


def test_without_an_output_path_nor_json_it_says_what_is_needed(tmp_path: Path) -> None:
    r = run_cli("report", "--db", str(tmp_path / "none.duckdb"))
    assert r.code == 2
    assert r.err.strip().splitlines() == [
        "fwatlas: error: --output PATH is needed: where to write the report (or --json for "
        "its data)"]
