"""What fwatlas reads from a results file written by the test: the deploy matrix's measured
chains, the probe facts, the verdict's measured deployment criteria and the report section."""

from __future__ import annotations

import pytest

from tests.probe.test_results_file import record, write

#: (path, framework, target kind, ok) – the expected shares below are counted from this table
RESULTS = [
    ("torch-onnx", True), ("torch-aoti", True), ("torch-executorch", True),
    ("torch-litert", False),
    ("tf-savedmodel", True), ("tf-onnx", False), ("tf-litert", True),
    ("keras-tf-onnx", False), ("keras-tf-litert", True),
]


@pytest.fixture
def store(cli, db, tmp_path):
    lines = []
    for path, ok in RESULTS:
        for model in ("cnn", "block"):
            failed = not ok and model == "block"
            lines.append(record(path, model, ok=not failed,
                                stage="load" if failed else None,
                                error="InvalidGraph: Erfc" if failed else None))
    f = write(tmp_path / "r.jsonl", lines)
    r = cli("ingest", "probe", str(f), "--db", str(db), "--json")
    assert r.code == 0, r.err
    return db, r.json()["created"][0]["snapshot_id"]


def _chains(rows):
    for row in rows:
        for chain in ([row["best"]] if row["best"] else []) + row["alternatives"]:
            yield row, chain


def test_deploy_matrix_shows_what_was_measured_per_chain(cli, store) -> None:
    db, snap = store
    out = cli("deploy-matrix", "--db", str(db), "--json").json()
    assert snap in [s["snapshot_id"] for s in out["sources"]]
    seen = {}
    for _row, chain in _chains(out["rows"]):
        seen[tuple(chain["chain"])] = chain
        assert "measured" in chain
    works = seen[("pytorch", "torch-export", "torch-onnx-exporter", "onnx-runtime")]
    assert [(m["path"], m["model"]) for m in works["measured"]] == [
        ("torch-onnx", "cnn"), ("torch-onnx", "block")]
    assert works["measured_reading"] == (
        "measured: works, 1.6 ms, 155 KiB, |Δ| 2e-07 (torch-onnx, block tiny)")
    broken = seen[("keras", "keras-export", "onnx-runtime")]
    assert broken["active"] is True
    assert broken["measured_reading"].startswith(
        "measured: fails at load: InvalidGraph: Erfc (keras-tf-onnx, block tiny; "
        "1 of 2 probes failed)")
    assert broken["measured_reading"].endswith(
        "the knowledge base calls this chain active, but it failed when measured")
    unmeasured = seen[("pytorch", "vllm")]  # no probe path measures a serving tool itself
    assert unmeasured["measured"] is None and unmeasured["measured_reading"] is None
    table = cli("deploy-matrix", "--db", str(db), "--target", "desktop")
    assert table.code == 0 and "fails at load" in table.out


def test_probe_facts_count_each_path_once(cli, store) -> None:
    db, snap = store
    facts = {f["name"]: f for f in cli("facts", "--prefix", "probe", "--db", str(db),
                                       "--json").json()["rows"]}
    # pytorch server: torch-onnx, torch-aoti both work; mobile-edge: executorch works, litert not
    assert facts["probe.share_working.pytorch.server"]["value"] == 1.0
    assert facts["probe.paths_measured.pytorch.server"]["value"] == 2
    assert facts["probe.share_working.pytorch.mobile-edge"]["value"] == 0.5
    assert facts["probe.share_working.tensorflow.server"]["value"] == 0.5
    assert facts["probe.share_working.keras.server"]["value"] == 0.0
    assert facts["probe.works.torch-litert"]["value"] is False
    assert facts["probe.works.tf-litert"]["value"] is True
    assert "probe.works.jax-onnx" not in facts  # not measured: no fact, not a made-up false
    assert facts["probe.works.tf-litert"]["sources"][0]["snapshot_id"] == snap


def test_the_verdict_reads_the_measured_criteria(cli, store) -> None:
    db, _ = store
    out = cli("verdict", "--round", "deployment", "--as-of", "2026-12-03", "--db", str(db),
              "--json").json()
    crit = {c["criterion"]: c for c in out["rows"][0]["criteria"]}
    assert crit["measured_server"]["values"] == {"pytorch": 1.0, "tensorflow": 0.5,
                                                 "jax": None, "keras": 0.0}
    assert crit["measured_mobile_edge"]["values"] == {"pytorch": 0.5, "tensorflow": 1.0,
                                                      "jax": None, "keras": 1.0}
    assert crit["measured_server"]["evidence"] is True


def test_the_report_section_has_the_measured_table_and_chart(store) -> None:
    from fwatlas.figures.context import ReportContext
    from fwatlas.figures.deployment import deployment_section
    from fwatlas.store.atlas import open_atlas

    db, snap = store
    import datetime as dt

    section = deployment_section(open_atlas(db), ReportContext(as_of=dt.date(2026, 12, 3)))
    figs = {f.id: f for f in section.figures}
    chart = figs["deployment-measured"]
    assert "Test CPU, 2 cores" in chart.caption and "torch 2.13.0+cpu" in chart.caption
    assert snap in chart.caption
    names = [t.name for t in chart.figure.data]
    assert names[-1] == "failed / unsupported"
    assert len(chart.figure.data[-1].x) == 3  # the three failed block probes
    tables = {t.id: t for t in section.tables}
    measured = tables["deployment-measured-table"]
    assert len(measured.rows) == 2 * len(RESULTS)
    assert any(str(r[3]) == "fails at load" for r in measured.rows)
    assert snap in [s["snapshot_id"] for s in section.sources]
