"""The results reader and `fwatlas ingest probe`: a malformed file is rejected whole (exit 2,
store unchanged), a bad line is skipped as an item; `probe results` reads the snapshot back."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from fwatlas.probe.records import FIELDS


def record(path: str = "torch-onnx", model: str = "cnn", size: str = "tiny", *, ok: bool = True,
           stage: str | None = None, error: str | None = None, supported: bool = True,
           latency: float | None = 1.6, size_bytes: int | None = 158_720,
           when: str = "2026-12-03T08:00:00+00:00") -> dict:
    return {"path": path, "model": model, "size": size, "ok": ok, "supported": supported,
            "stage": stage, "error": error, "export_s": 1.25 if ok else None,
            "artifact_bytes": size_bytes if ok else None,
            "latency_ms": latency if ok else None, "latency_p10_ms": 1.5 if ok else None,
            "latency_p90_ms": 1.9 if ok else None, "source_latency_ms": 0.3,
            "max_abs_diff": 2e-7 if ok else None,
            "versions": {"python": "3.11.7", "torch": "2.13.0+cpu", "onnxruntime": "1.32.0"},
            "machine": {"cpu": "Test CPU", "cores": 2, "load_avg": [1.5, 1.0, 0.5],
                        "measured_at": when}}


def write(path: Path, lines: list) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n"
                            for x in lines), "utf-8")
    return path


def test_a_results_file_is_one_snapshot_with_its_measured_date(cli, db, tmp_path) -> None:
    f = write(tmp_path / "r.jsonl", [record(), record(model="block", ok=False, stage="load",
                                                      error="InvalidGraph: Erfc")])
    r = cli("ingest", "probe", str(f), "--db", str(db), "--json")
    assert r.code == 0, r.err
    (snap,) = r.json()["created"]
    assert (snap["dataset"], snap["rows"], snap["data_date"]) == ("probe/results", 2,
                                                                  "2026-12-03")
    res = cli("probe", "results", "--db", str(db), "--json").json()
    assert [s["snapshot_id"] for s in res["sources"]] == [snap["snapshot_id"]]
    assert [list(row) for row in res["rows"]] == [list(FIELDS)] * 2
    assert res["rows"][0] == record()
    assert res["rows"][1]["stage"] == "load" and res["rows"][1]["error"] == "InvalidGraph: Erfc"
    assert "Test CPU, 2 cores" in res["caption"] and "torch 2.13.0+cpu" in res["caption"]


@pytest.mark.parametrize("content, why", [
    ("", "empty"),
    ("path,model,size\ntorch-onnx,cnn,tiny\n", "not a probe results file: line 1: not valid JSON"),
    ('{"path": "x"}\n', "not a probe results file: line 1: missing field(s) model"),
    ('[1, 2]\n', "not a probe results file: line 1: not a JSON object"),
])
def test_a_malformed_file_is_rejected_whole(cli, db, tmp_path, content, why) -> None:
    good = write(tmp_path / "good.jsonl", [record()])
    assert cli("ingest", "probe", str(good), "--db", str(db)).code == 0
    before = duckdb.connect(str(db), read_only=True).execute(
        "SELECT count(*) FROM snapshots").fetchone()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, "utf-8")
    r = cli("ingest", "probe", str(bad), "--db", str(db))
    assert r.code == 2
    assert why in r.err and str(bad) in r.err
    assert len(r.err.strip().splitlines()) == 1
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM snapshots").fetchone() == before
    assert con.execute("SELECT count(*) FROM probe_records").fetchone() == (1,)


def test_a_bad_line_is_skipped_as_an_item(cli, db, tmp_path) -> None:
    truncated = json.dumps(record(model="block"))[:40]
    wrong_stage = record(path="jax-onnx", ok=False, stage="compile", error="x")
    f = write(tmp_path / "r.jsonl", [record(), truncated, wrong_stage,
                                     record(size="medium", latency=-1.0), record()])
    r = cli("ingest", "probe", str(f), "--db", str(db), "--json")
    assert r.code == 0, r.err
    out = r.json()
    assert out["created"][0]["rows"] == 1
    assert out["skipped"] == 4
    items = out["skipped_items"]
    assert items[0].startswith("line 2: not valid JSON")
    assert items[1] == "line 3: stage 'compile' is not one of export, load, run, parity"
    assert items[2] == "line 4: latency_ms is -1.0, not a finite non-negative number"
    assert items[3] == "torch-onnx/cnn/tiny: a second record of the same path, model, size"


def test_the_same_file_again_is_a_no_op(cli, db, tmp_path) -> None:
    f = write(tmp_path / "r.jsonl", [record()])
    first = cli("ingest", "probe", str(f), "--db", str(db), "--json").json()
    again = cli("ingest", "probe", str(f), "--db", str(db), "--json").json()
    assert again["created"] == []
    assert again["already_ingested"][0]["snapshot_id"] == first["created"][0]["snapshot_id"]


def test_without_a_store_the_bundled_run_answers(cli, db) -> None:
    res = cli("probe", "results", "--db", str(db), "--json").json()
    (src,) = res["sources"]
    assert src["snapshot_id"].startswith("ref:probe/results@")
    sizes = {r["size"] for r in res["rows"]}
    assert sizes == {"tiny", "medium"}
    assert all(r["versions"].get("python") for r in res["rows"])
