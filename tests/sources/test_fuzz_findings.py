"""Values the fuzzing of the six last readers found to crash them (issue 15), each a regression
test that writes its own file: a year in superscript digits ('²⁰¹⁹' passes ``str.isdigit``,
fails ``int``), a year of 5,000 digits (past Python's integer-digit limit), a year past the
int32 column, and probe numbers past int64 and the float range. Each is a skipped, listed item
when other records survive, and a one-line reject (exit 2, store unchanged) when none would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.research.conftest import store_state

BAD_YEARS = ["²⁰¹⁹", "9" * 5000, "99999999999", "0"]


def _ingest(kind: str, path: Path, db: Path, *extra: str) -> dict[str, Any]:
    run = run_cli("ingest", kind, str(path), "--db", str(db), "--json", *extra)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    result: dict[str, Any] = run.json()
    return result


def _ingest_papers(tmp_path: Path, db: Path, first_row: str) -> dict[str, Any]:
    """``papers --metadata`` on two papers: p1 described by ``first_row``, p2 a good ICML 2019
    row."""
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "meta.csv").write_text(f"id,title,authors,venue,year\n{first_row}\n"
                                     "p2,Graphs,E. F,ICML,2019\n", encoding="utf-8")
    (folder / "p1.txt").write_text("We implement our model in PyTorch (import torch).\n")
    (folder / "p2.txt").write_text("Experiments use TensorFlow 2 and Keras.\n")
    return _ingest("papers", folder, db, "--metadata", str(folder / "meta.csv"))


@pytest.mark.parametrize("year", BAD_YEARS, ids=["superscript", "5000-digits", "int32", "0"])
def test_a_paper_code_year_that_is_no_year_is_a_listed_item(tmp_path: Path, db: Path,
                                                             year: str) -> None:
    f = tmp_path / "links.csv"
    f.write_text(f"venue,year,title,repo_url\ncvpr,{year},Bad,org/bad\n"
                 "cvpr,2020,Good,org/good\n", encoding="utf-8")
    result = _ingest("paper-code", f, db)
    assert result["skipped_items"] == ["line 2 (Bad): no venue or year"]
    assert [c["rows"] for c in result["created"]] == [1]


@pytest.mark.parametrize("year", BAD_YEARS, ids=["superscript", "5000-digits", "int32", "0"])
def test_a_papers_metadata_year_that_is_no_year_is_a_listed_item(tmp_path: Path, db: Path,
                                                                  year: str) -> None:
    result = _ingest_papers(tmp_path, db, f"p1,Deep Nets,A. B,ICML,{year}")
    assert result["skipped_items"] == ["meta.csv row 1 (p1): no year"]
    assert sum(c["rows"] for c in result["created"]) == 1


def _probe_line(**change: Any) -> str:
    record = {"path": "torch-onnx", "model": "cnn", "size": "tiny", "ok": True,
              "supported": True, "stage": None, "error": None, "export_s": 1.25,
              "artifact_bytes": 158_720, "latency_ms": 1.6, "latency_p10_ms": 1.5,
              "latency_p90_ms": 1.9, "source_latency_ms": 0.3, "max_abs_diff": 2e-7,
              "versions": {"python": "3.11.7", "torch": "2.13.0+cpu"},
              "machine": {"cpu": "Test CPU", "cores": 2, "load_avg": [1.5, 1.0, 0.5],
                          "measured_at": "2026-12-03T08:00:00+00:00"}}
    record.update(change)
    return json.dumps(record)


PROBE_CASES = [({"artifact_bytes": 10**30}, "artifact_bytes is not a non-negative 64-bit integer"),
               ({"export_s": 10**400}, "export_s is too large to be a number of seconds")]


@pytest.mark.parametrize(("change", "reason"), PROBE_CASES, ids=["int64", "float-range"])
def test_a_probe_number_out_of_range_is_a_listed_item(tmp_path: Path, db: Path,
                                                      change: dict[str, Any],
                                                      reason: str) -> None:
    f = tmp_path / "probe-results.jsonl"
    f.write_text(_probe_line() + "\n" + _probe_line(model="block", **change) + "\n")
    result = _ingest("probe", f, db)
    assert result["skipped_items"] == [f"line 2: {reason}"]
    assert [c["rows"] for c in result["created"]] == [1]


@pytest.mark.parametrize(("change", "reason"), PROBE_CASES, ids=["int64", "float-range"])
def test_a_probe_file_whose_first_record_is_out_of_range_is_rejected_whole(
        tmp_path: Path, db: Path, change: dict[str, Any], reason: str) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(_probe_line(model="earlier") + "\n")
    _ingest("probe", good, db)
    before = store_state(db)
    f = tmp_path / "probe-results.jsonl"
    f.write_text(_probe_line(**change) + "\n" + _probe_line(model="block") + "\n")
    run = run_cli("ingest", "probe", str(f), "--db", str(db))
    assert run.code == 2
    message = run.err.strip()
    assert "\n" not in message and "Traceback" not in message
    assert reason in message
    assert store_state(db) == before


def test_a_papers_metadata_authors_cell_nested_too_deeply_is_a_listed_item(
        tmp_path: Path, db: Path) -> None:
    """The 1,000-input fuzz run found it: '[' * 1985 in the authors cell was a RecursionError
    traceback out of ``json.loads``."""
    result = _ingest_papers(tmp_path, db, f'p1,Deep Nets,"{"[" * 5000}",ICML,2019')
    assert result["skipped_items"] == ["p1: authors cannot be read"]
    assert sum(c["rows"] for c in result["created"]) == 1


def test_a_service_answering_json_nested_too_deeply_is_one_line_and_the_store_unchanged(
        tmp_path: Path, db: Path) -> None:
    """A fetcher's body is external data: deep nesting must be a one-line error like any other
    malformed answer, not a RecursionError traceback (every fetcher parses through
    ``limits.parse_json``)."""
    from tests.signals.live_apis import serve

    body = b"[" * 100_000 + b"]" * 100_000
    good = tmp_path / "series.csv"
    good.write_text("last_update,window,project,download_count,rank\n"
                    "2024-01-01,30d,torch,500,1\n", encoding="utf-8")
    _ingest("pypi-downloads", good, db)
    before = store_state(db)
    with serve(lambda hit: (200, body, {})) as server:
        env = {"FWATLAS_CACHE": str(tmp_path / "cache"), "FWATLAS_HTTP_RETRIES": "0",
               "FWATLAS_TOP_PYPI_URL": f"{server.url}/top-pypi-packages.min.json"}
        run = run_cli("refresh", "pypi-downloads", "--db", str(db), env=env)
    message = run.err.strip()
    assert run.code == 2, message
    assert "\n" not in message and "Traceback" not in message
    assert "nested too deeply" in message
    assert store_state(db) == before
