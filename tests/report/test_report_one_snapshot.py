"""One report section reads one snapshot per dataset: after a user ingests a Hub dump, F1, F2,
the by-year/by-task figures, every reading and the model lookup name that dump, and the method
note names it by id, file name and data date (never the bundled reference's 9,979 models)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tests.conftest import run_cli, shared_path

SAMPLE = ("data", "hf_models_2022_sample", "hf_models_2022-02-21.sample.jsonl.gz")
N = 800


def test_the_availability_section_reads_the_ingested_dump_throughout(tmp_path: Path) -> None:
    from fwatlas.figures.availability import availability_section
    from fwatlas.store.atlas import open_atlas

    with gzip.open(shared_path(*SAMPLE), "rt", encoding="utf-8") as f:
        lines = [line for line in f if line.strip()][:N]
    models = [json.loads(x) for x in lines]
    dump = tmp_path / "my-hub-dump.jsonl"
    dump.write_text("".join(lines), encoding="utf-8")
    db = tmp_path / "a.duckdb"
    assert run_cli("ingest", "hub", str(dump), "--db", str(db)).code == 0
    date = max(m["lastModified"] for m in models)[:10]

    section = availability_section(open_atlas(db))
    note = section.method[0]
    assert "s1" in note and "my-hub-dump.jsonl" in note and date in note
    assert str(tmp_path) not in note and "ref:hub/models" not in note
    hub_sources = [s for s in section.sources if s["dataset"] == "hub/models"]
    assert [s["snapshot_id"] for s in hub_sources] == ["s1"]
    for fig in section.figures:
        if fig.id.startswith("availability-") and fig.id not in (
                "availability-filter-counts", "availability-transformers-coverage"):
            assert fig.rows and {r["snapshot_id"] for r in fig.rows} == {"s1"}, fig.id
    text = " ".join(section.reading)
    assert "9,979" not in text and "ref:hub/models" not in text
    assert section.reading[0].startswith(f"In the Hub data of {date} (s1: {N:,} models")
    assert any(r.startswith("Of the top 30 models by downloads in s1") for r in section.reading)
    assert {c.today_source for c in section.comparisons} == {"s1"}
    (top,) = [t for t in section.tables if t.id == "availability-top-models"]
    most = max(models, key=lambda m: m.get("downloads") or 0)["modelId"]
    assert top.rows[0][1] == most and {r[1] for r in top.rows} <= {m["modelId"] for m in models}

    lookup = run_cli("model", most, "--db", str(db), "--json").json()
    assert [s["snapshot_id"] for s in lookup["sources"]] == ["s1"]
    out = tmp_path / "r.html"
    assert run_cli("report", "-o", str(out), "--db", str(db), "--as-of", "2026-11-01").code == 0
    html = out.read_text(encoding="utf-8")
    assert "my-hub-dump.jsonl" in html and "drawn from the bundled reference" not in html
