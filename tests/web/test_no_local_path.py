"""No page and no report shows a local directory – in a table cell, a figure's hover text or
its "download the data" CSV – while ``--json`` (and /api/) keeps the whole text.

The probe's error lines are the case found: an export failure names a file in the probe
environment's site-packages (``# /home/…/site-packages/keras/src/ops/nn.py:3154:0``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import run_cli
from tests.probe.test_results_file import record, write
from tests.report.helpers import build_store

#: a machine's directory, as a probe's error line carries it
PRIVATE = "/home/alice/probe-env/lib/python3.11/site-packages/keras/src/ops"
ERROR = f"SymbolicValueError: Failed to export a node # {PRIVATE}/nn.py:3154:0"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("private")
    db = build_store(tmp, papers=True)
    results = write(tmp / "results.jsonl", [
        record("torch-onnx"),
        record("keras-torch-onnx", model="block", ok=False, stage="export", error=ERROR)])
    r = run_cli("ingest", "probe", str(results), "--db", str(db), "--json")
    assert r.code == 0, r.err
    return db


@pytest.fixture(scope="module")
def client(store: Path):
    from fwatlas.web.app import create_app

    with TestClient(create_app(store, as_of=dt.date(2026, 11, 1))) as c:
        yield c


def _pages() -> list[str]:
    from fwatlas.web.views import navigation

    return sorted({p for p, _ in navigation()} | {"/kb/torchserve", "/model/org/pt-jax"})


def test_the_json_keeps_the_whole_error_line(client):
    rows = client.get("/api/probe/results").json()["rows"]
    assert ERROR in [r["error"] for r in rows]


@pytest.mark.parametrize("path", _pages())
def test_no_page_shows_a_local_directory(client, store, path):
    html = client.get(path).text
    assert PRIVATE not in html, path
    assert str(store.parent) not in html, path


def test_the_report_shows_no_local_directory_but_keeps_the_file_name(store, tmp_path):
    out = tmp_path / "report.html"
    r = run_cli("report", "-o", str(out), "--db", str(store), "--as-of", "2026-11-01")
    assert r.code == 0, r.err
    html = out.read_text("utf-8")
    assert PRIVATE not in html and str(store.parent) not in html
    # the error itself is still there, its file named: in the table, the hover and the CSV
    assert "Failed to export a node # nn.py:3154:0" in html
    assert "nn.py%3A3154%3A0" in html  # the CSV download (a data: URI)
