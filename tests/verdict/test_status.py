"""fwatlas status: every source kind, the newest evidence's age by --as-of, stale flags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from tests.conftest import ROOT, run_cli
from tests.verdict.conftest import ingest, write_jobs


def _status(db: Path, as_of: str, *extra: str) -> dict:
    run = run_cli("status", "--db", str(db), "--as-of", as_of, "--json", *extra)
    assert run.code == 0, run.err
    return run.json()


def _thresholds() -> dict[str, int | None]:
    doc = yaml.safe_load((ROOT / "src/fwatlas/data/freshness.yaml").read_text())
    return {k: v["stale_days"] for k, v in doc["kinds"].items()}


def test_a_source_older_than_its_threshold_is_stale_as_of_a_later_day(db, tmp_path):
    ingest(db, "jobs", write_jobs(tmp_path / "sites.csv", {"pytorch": 3, "tensorflow": 2},
                                  day="2025-01-01"))
    limit = _thresholds()["jobs"]
    assert isinstance(limit, int)
    fresh_day = dt.date(2025, 1, 1) + dt.timedelta(days=limit)
    stale_day = fresh_day + dt.timedelta(days=1)
    rows = {r["dataset"]: r for r in _status(db, fresh_day.isoformat())["rows"]}
    jobs = rows["jobs/sites"]
    assert jobs["state"] == "fresh" and jobs["age_days"] == limit
    snap = next(s for s in run_cli("snapshots", "--db", str(db), "--json").json()["rows"]
                if s["snapshot_id"] == "s1")
    assert jobs["snapshot_id"] == "s1" and jobs["rows"] == snap["rows"] and jobs["skipped"] == 0
    assert jobs["reference"] is False
    assert jobs["refresh"].startswith("fwatlas refresh jobs (or fwatlas ingest jobs")
    payload = _status(db, stale_day.isoformat())
    jobs = {r["dataset"]: r for r in payload["rows"]}["jobs/sites"]
    assert jobs["state"] == "stale" and jobs["age_days"] == limit + 1
    assert "jobs:jobs/sites" in payload["stale"]
    table = run_cli("status", "--db", str(db), "--as-of", stale_day.isoformat())
    assert table.code == 0 and "stale" in table.out and "jobs/sites" in table.out


def test_every_registered_kind_the_reference_and_the_kb_are_listed(db):
    from fwatlas.kinds import KINDS

    payload = _status(db, "2026-12-01")
    kinds = {r["kind"] for r in payload["rows"]}
    assert set(KINDS) | {"article", "kb"} <= kinds
    by_kind = {r["kind"]: r for r in payload["rows"]}
    # nothing ingested: kinds without a bundled dataset are missing, with the command to fill
    assert by_kind["registry"]["state"] == "missing"
    assert by_kind["registry"]["refresh"] == "fwatlas refresh registry"
    assert by_kind["article"]["state"] == "historical" and by_kind["article"]["reference"]
    hub = [r for r in payload["rows"] if r["dataset"] == "hub/models"]
    assert hub[0]["reference"] is True and hub[0]["data_date"] == "2022-02-21"
    assert hub[0]["age_days"] == (dt.date(2026, 12, 1) - dt.date(2022, 2, 21)).days
    assert hub[0]["state"] == "stale" and hub[0]["refresh"] == "fwatlas refresh hub"
    kb = by_kind["kb"]
    assert kb["snapshot_id"].startswith("kb:tools.yaml@") and kb["rows"] > 100


def test_an_ingested_snapshot_outranks_the_reference_of_its_dataset(db, tmp_path):
    from tests.verdict.conftest import write_hub

    ingest(db, "hub", write_hub(tmp_path / "m.jsonl", {"a/x": ["pytorch"]}),
           "--data-date", "2026-11-01")
    rows = [r for r in _status(db, "2026-12-01")["rows"] if r["dataset"] == "hub/models"]
    assert len(rows) == 1 and rows[0]["snapshot_id"] == "s1" and rows[0]["snapshots"] == 2
    assert rows[0]["state"] == "fresh" and rows[0]["age_days"] == 30


def test_status_leaves_the_store_unchanged_and_works_without_one(tmp_path):
    db = tmp_path / "none.duckdb"
    payload = _status(db, "2026-12-01")
    assert payload["rows"] and not db.exists()


def test_evidence_dated_after_as_of_is_not_called_fresh(tmp_path):
    from tests.conftest import run_cli

    out = run_cli("status", "--as-of", "2020-01-01", "--db", str(tmp_path / "a.duckdb"),
                  "--json").json()
    kb = next(r for r in out["rows"] if r["kind"] == "kb")
    assert kb["state"] == "dated after --as-of" and kb["age_days"] < 0
