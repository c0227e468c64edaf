"""An ingest lands whole or not at all; the same content twice is a no-op; reads never write."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_cli


def _state(db: Path) -> tuple[list[tuple], dict[str, int]]:
    """The snapshot list and every table's row count."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        snaps = con.execute("SELECT * FROM snapshots ORDER BY num").fetchall()
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()]
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}
    finally:
        con.close()
    return snaps, counts


def _dump(path: Path, n: int, tag: str = "pytorch") -> Path:
    lines = "".join(json.dumps({"modelId": f"org/m{i}", "tags": [tag],
                                "lastModified": "2022-01-01T00:00:00.000Z"}) + "\n"
                    for i in range(n))
    path.write_bytes(gzip.compress(lines.encode(), mtime=0))  # same content, same bytes
    return path


@pytest.fixture
def seeded(db: Path, tmp_path: Path) -> Path:
    run = run_cli("ingest", "hub", str(_dump(tmp_path / "good.jsonl.gz", 5)), "--db", str(db))
    assert run.code == 0, run.err
    return db


def _broken_files(tmp: Path) -> dict[str, Path]:
    truncated = tmp / "truncated.jsonl.gz"
    full = _dump(tmp / "big.jsonl.gz", 30000).read_bytes()
    truncated.write_bytes(full[: len(full) * 2 // 3])
    corrupt_tail = tmp / "corrupt.jsonl"
    corrupt_tail.write_text('{"modelId": "x", "tags": ["tf"]}\n' * 3 + '{"modelId": "y", "ta')
    missing = tmp / "missing.csv"
    missing.write_text("modelId,downloads\na,1\n")
    mistyped = tmp / "mistyped.jsonl"
    mistyped.write_text('{"modelId": "x", "tags": "pytorch"}\n')
    empty = tmp / "empty.parquet"
    empty.write_bytes(b"")
    return {"truncated": truncated, "corrupt": corrupt_tail, "missing": missing,
            "mistyped": mistyped, "empty": empty}


@pytest.mark.parametrize("which", ["truncated", "corrupt", "missing", "mistyped", "empty"])
def test_a_broken_file_leaves_the_store_unchanged(seeded: Path, tmp_path: Path,
                                                  which: str) -> None:
    before = _state(seeded)
    path = _broken_files(tmp_path)[which]
    run = run_cli("ingest", "hub", str(path), "--db", str(seeded))
    assert run.code == 2, (run.out, run.err)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0]
    assert _state(seeded) == before


def test_same_content_again_is_a_no_op_that_says_so(seeded: Path, tmp_path: Path) -> None:
    before = _state(seeded)
    run = run_cli("ingest", "hub", str(_dump(tmp_path / "good.jsonl.gz", 5)), "--db", str(seeded),
                  "--json")
    assert run.code == 0
    assert run.json()["created"] == [] and run.json()["already_ingested"][0]["snapshot_id"] == "s1"
    assert _state(seeded) == before


def test_data_date_option_and_from_the_data(seeded: Path, tmp_path: Path) -> None:
    run = run_cli("ingest", "hub", str(_dump(tmp_path / "two.jsonl.gz", 3, "tf")),
                  "--data-date", "2022-02-21", "--db", str(seeded), "--json")
    assert run.json()["created"][0]["data_date"] == "2022-02-21"
    snaps = run_cli("snapshots", "--db", str(seeded), "--json").json()["rows"]
    first = next(s for s in snaps if s["snapshot_id"] == "s1")
    assert first["data_date"] == "2022-01-01" and "the data" in first["data_date_source"]
    assert any(s["snapshot_id"].startswith("ref:hub/models@") for s in snaps)


def test_newest_snapshot_wins_and_snapshot_option_picks_another(seeded: Path,
                                                                tmp_path: Path) -> None:
    run_cli("ingest", "hub", str(_dump(tmp_path / "newer.jsonl.gz", 4, "tf")),
            "--data-date", "2023-01-01", "--db", str(seeded))
    newest = run_cli("availability", "--db", str(seeded), "--json").json()
    assert newest["snapshot_id"] == "s2" and newest["available"]["tensorflow"] == 4
    old = run_cli("availability", "--db", str(seeded), "--snapshot", "s1", "--json").json()
    assert old["available"]["pytorch"] == 5 and old["sources"][0]["snapshot_id"] == "s1"
    bad = run_cli("availability", "--db", str(seeded), "--snapshot", "s9")
    assert bad.code == 1 and "s1" in bad.err


def test_read_commands_never_write(seeded: Path) -> None:
    mtime = seeded.stat().st_mtime_ns
    before = _state(seeded)
    for args in (["availability"], ["snapshots"], ["facts"], ["model", "org/m1"]):
        assert run_cli(*args, "--db", str(seeded)).code == 0
    assert seeded.stat().st_mtime_ns == mtime and _state(seeded) == before


def test_a_fresh_install_answers_from_the_reference_without_creating_a_store(tmp_path: Path
                                                                             ) -> None:
    db = tmp_path / "never.duckdb"
    run = run_cli("availability", "--db", str(db), "--json")
    assert run.code == 0 and run.json()["basis"] == "computed"
    assert run.json()["snapshot_id"].startswith("ref:") and not db.exists()


def test_a_failed_first_ingest_leaves_no_store_behind(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"modelId": "x"}\n')
    run = run_cli("ingest", "hub", str(bad), "--db", str(db))
    assert run.code == 2 and not db.exists()


def test_refresh_rejects_options_its_kind_does_not_take(db: Path) -> None:
    run = run_cli("refresh", "hub", "--max-age", "6h", "--db", str(db))
    # refresh hub has no --max-age at all (its --help lists only hub's options)
    assert run.code == 2 and "No such option: --max-age" in run.err and not db.exists()


def test_an_older_store_is_refused_with_the_fix_and_migrate_upgrades_it(seeded: Path) -> None:
    con = duckdb.connect(str(seeded))
    con.execute("UPDATE schema_version SET version = 1 WHERE component = 'core'")
    con.execute("ALTER TABLE snapshots DROP COLUMN basis")
    con.execute("DROP TABLE snapshot_pins")
    con.close()
    run = run_cli("snapshots", "--db", str(seeded))
    assert run.code == 2 and "fwatlas migrate" in run.err and "core v1 < v3" in run.err
    assert run_cli("migrate", "--db", str(seeded)).code == 0
    rows = run_cli("snapshots", "--db", str(seeded), "--json").json()["rows"]
    assert rows[0]["snapshot_id"] == "s1" and rows[0]["basis"] == "computed"


def test_an_ingest_older_than_the_reference_is_read_and_an_older_own_one_is_shadowed(
        db: Path, tmp_path: Path) -> None:
    """A user's snapshot dated before the bundled reference's outranks it (the reference is the
    offline fallback); only an older snapshot of the user's own is shadowed, and they are told.
    (Until issue 11 the reference won on date and this test asserted that.)"""
    dump = tmp_path / "old.jsonl"
    dump.write_text("".join(json.dumps({"modelId": f"o/m{i}", "tags": ["pytorch"],
                                        "downloads": i}) + "\n" for i in range(3)))
    run = run_cli("ingest", "hub", str(dump), "--db", str(db), "--data-date", "2020-01-01",
                  "--json")
    assert run.json()["notes"] == []
    top = run_cli("availability", "--top", "2", "--db", str(db), "--json").json()
    assert top["snapshot_id"] == "s1" and [r["id"] for r in top["rows"]] == ["o/m2", "o/m1"]
    av = run_cli("availability", "--db", str(db), "--json").json()
    assert av["snapshot_id"] == "s1" and av["total"] == 3
    older = tmp_path / "older.jsonl"
    older.write_text(json.dumps({"modelId": "x/y", "tags": ["jax"]}) + "\n")
    run = run_cli("ingest", "hub", str(older), "--db", str(db), "--data-date", "2019-01-01",
                  "--json")
    (note,) = run.json()["notes"]
    assert "s2" in note and "s1" in note and "--snapshot s2" in note
