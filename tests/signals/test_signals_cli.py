"""The signals command: envelope, csv rows with sources, options and usage errors."""

from __future__ import annotations

import csv
import json

from tests.conftest import shared_path


def test_envelope_csv_and_usage_errors(cli, db, tmp_path):
    path = shared_path("data", "hn_whoishiring_terms",
                       "hn_whoishiring_terms_monthly_2011-04_to_2024-05.csv")
    empty = cli("signals", "--metric", "jobs", "--db", str(db), "--json").json()
    assert empty["rows"] == [] and "fwatlas ingest jobs" in empty["missing"]
    assert cli("ingest", "jobs", str(path), "--db", str(db)).code == 0
    out = cli("signals", "--metric", "jobs", "--from", "2024-01-01", "--to", "2024-03-31",
              "--db", str(db), "--json").json()
    assert out["sources"][0]["dataset"] == "jobs/hn-whoishiring"
    assert out["sources"][0]["data_date"] == "2024-05-01"
    assert {r["date"] for r in out["rows"]} == {"2024-01-01", "2024-02-01", "2024-03-01"}
    assert out["coverage"]["jobs/hn-whoishiring"]["jax"] is False
    target = tmp_path / "jobs.csv"
    run = cli("signals", "--metric", "jobs", "--by", "package", "--db", str(db),
              "--format", "csv", "-o", str(target))
    assert run.code == 0, run.err
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert {r["package"] for r in rows} == {"PyTorch", "TensorFlow", "Keras"}
    sources = json.loads((tmp_path / "jobs.csv.sources.json").read_text())["sources"]
    assert sources[0]["kind"] == "jobs"
    table = cli("signals", "--metric", "jobs", "--share", "--db", str(db))
    assert table.code == 0 and "Source: s1" in table.out.replace("\n", " ")
    assert cli("signals", "--metric", "likes", "--db", str(db)).code == 2
    assert cli("signals", "--from", "2024-13-01", "--db", str(db)).code == 2
