"""Which snapshot is read: a user's complete snapshot outranks the bundled reference whatever the
dates; pins (``snapshots use/unpin``), ``snapshots redate`` and ``--snapshot`` choose otherwise.

Built from the real Feb-2022 Hub sample: its newest ``lastModified`` (2022-02-15) is older than
the bundled reference's date (2022-02-21), which is the case that used to hide a user's dump.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, shared_path

SAMPLE = ("data", "hf_models_2022_sample", "hf_models_2022-02-21.sample.jsonl.gz")


def _lines() -> list[str]:
    with gzip.open(shared_path(*SAMPLE), "rt", encoding="utf-8") as f:
        return [line for line in f if line.strip()]


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return _lines()


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _pytorch_tagged(lines: list[str]) -> int:
    return sum(1 for line in lines if "pytorch" in (json.loads(line).get("tags") or []))


def _rows(db: Path) -> dict[str, dict]:
    rows = run_cli("snapshots", "--kind", "hub", "--db", str(db), "--json").json()["rows"]
    return {r["snapshot_id"]: r for r in rows}


def _ref_id(db: Path) -> str:
    return next(i for i, r in _rows(db).items() if r["reference"] and r["dataset"] == "hub/models")


def test_a_real_dump_older_than_the_reference_is_the_one_read(db: Path, tmp_path: Path,
                                                               lines: list[str]) -> None:
    part = lines[:3000]
    newest = max(json.loads(x)["lastModified"] for x in part)[:10]
    ingest = run_cli("ingest", "hub", str(_write(tmp_path / "dump.jsonl", part)),
                     "--db", str(db), "--json").json()
    (created,) = ingest["created"]
    assert created["data_date"] == newest and newest < "2022-02-21"
    assert ingest["notes"] == []  # nothing shadows it, so nothing to warn about

    av = run_cli("availability", "--db", str(db), "--json").json()
    assert av["snapshot_id"] == "s1" and av["total"] == 3000
    assert av["available"]["pytorch"] == _pytorch_tagged(part)

    rows = _rows(db)
    ref = _ref_id(db)
    assert rows["s1"]["read"] == "read" and "outranks the bundled reference" in rows["s1"]["why"]
    assert rows[ref]["read"] == "shadowed" and "s1" in rows[ref]["why"]

    status = run_cli("status", "--db", str(db), "--json").json()
    (hub,) = [r for r in status["rows"] if r["dataset"] == "hub/models"]
    assert hub["snapshot_id"] == "s1" and hub["rows"] == 3000
    assert [s["snapshot_id"] for s in hub["shadowed"]] == [ref]

    verdict = run_cli("verdict", "--round", "availability", "--db", str(db), "--json").json()
    ids = {s["snapshot_id"] for s in verdict["sources"]}
    assert "s1" in ids and ref not in ids


def test_pins_choose_the_snapshot_read_until_unpinned(db: Path, tmp_path: Path,
                                                      lines: list[str]) -> None:
    run_cli("ingest", "hub", str(_write(tmp_path / "a.jsonl", lines[:2000])), "--db", str(db),
            "--data-date", "2022-01-01")
    run_cli("ingest", "hub", str(_write(tmp_path / "b.jsonl", lines[2000:2500])), "--db",
            str(db), "--data-date", "2022-02-01")
    assert run_cli("availability", "--db", str(db), "--json").json()["total"] == 500

    pinned = run_cli("snapshots", "use", "s1", "--db", str(db), "--json")
    assert pinned.code == 0 and pinned.json()["pinned"] == {"hub/models": "s1"}
    assert run_cli("availability", "--db", str(db), "--json").json()["total"] == 2000
    rows = _rows(db)
    assert rows["s1"]["read"] == "read" and "pinned" in rows["s1"]["why"]
    assert rows["s2"]["read"] == "shadowed"
    status = run_cli("status", "--db", str(db)).out
    assert "hub/models: reads s1, pinned" in status and "shadowed: s2" in status

    # the reference itself can be pinned: the offline figures, on purpose
    ref = _ref_id(db)
    assert run_cli("snapshots", "use", ref, "--db", str(db)).code == 0
    assert run_cli("availability", "--db", str(db), "--json").json()["snapshot_id"] == ref

    assert run_cli("snapshots", "unpin", "hub/models", "--db", str(db)).code == 0
    assert run_cli("availability", "--db", str(db), "--json").json()["snapshot_id"] == "s2"
    again = run_cli("snapshots", "unpin", "hub/models", "--db", str(db))
    assert again.code == 1 and "unknown pinned dataset" in again.err
    unknown = run_cli("snapshots", "use", "s99", "--db", str(db))
    assert unknown.code == 1 and "s99" in unknown.err


def test_redate_corrects_a_data_date_and_so_what_is_read(db: Path, tmp_path: Path,
                                                         lines: list[str]) -> None:
    run_cli("ingest", "hub", str(_write(tmp_path / "a.jsonl", lines[:100])), "--db", str(db),
            "--data-date", "2022-01-01")
    run_cli("ingest", "hub", str(_write(tmp_path / "b.jsonl", lines[100:150])), "--db", str(db),
            "--data-date", "2022-02-01")
    note = run_cli("ingest", "hub", str(_write(tmp_path / "c.jsonl", lines[150:160])), "--db",
                   str(db), "--data-date", "2021-06-01", "--json").json()["notes"]
    assert len(note) == 1 and "redate s3" in note[0]
    done = run_cli("snapshots", "redate", "s1", "2022-03-01", "--db", str(db), "--json").json()
    assert done["data_date"] == "2022-03-01" and "was 2022-01-01" in done["data_date_source"]
    assert run_cli("availability", "--db", str(db), "--json").json()["snapshot_id"] == "s1"
    bad = run_cli("snapshots", "redate", "s1", "March", "--db", str(db))
    assert bad.code == 2
    ref = run_cli("snapshots", "redate", _ref_id(db), "2022-03-01", "--db", str(db))
    assert ref.code == 2 and "bundled reference" in ref.err


def test_snapshot_option_on_verdict_and_report(db: Path, tmp_path: Path,
                                               lines: list[str]) -> None:
    run_cli("ingest", "hub", str(_write(tmp_path / "a.jsonl", lines[:1000])), "--db", str(db),
            "--data-date", "2022-01-01")
    run_cli("ingest", "hub", str(_write(tmp_path / "b.jsonl", lines[1000:1400])), "--db",
            str(db), "--data-date", "2022-02-01")

    def verdict_ids(*extra: str) -> set[str]:
        out = run_cli("verdict", "--round", "availability", "--db", str(db), "--json", *extra)
        assert out.code == 0, out.err
        return {s["snapshot_id"] for s in out.json()["sources"]}

    assert "s2" in verdict_ids() and "s1" not in verdict_ids()
    assert "s1" in verdict_ids("--snapshot", "s1") and "s2" not in verdict_ids("--snapshot", "s1")
    two = run_cli("verdict", "--db", str(db), "--snapshot", "s1", "--snapshot", "s2")
    assert two.code == 2 and "one snapshot per dataset" in two.err
    missing = run_cli("verdict", "--db", str(db), "--snapshot", "s7")
    assert missing.code == 1

    facts = run_cli("facts", "--prefix", "hub.total.tags.count", "--db", str(db),
                    "--snapshot", "s1", "--json").json()["rows"]
    assert [f["value"] for f in facts] == [1000]

    out = tmp_path / "r.html"
    assert run_cli("report", "-o", str(out), "--db", str(db), "--snapshot", "s1",
                   "--as-of", "2026-11-01").code == 0
    html = out.read_text(encoding="utf-8")
    assert "1,000" in html and "s1" in html
