"""kill -9 an ingest and a scan at named points; the store stays consistent (issue 15).

Each case runs the real command on real files (``tests/data``) in a subprocess that
``crash_driver.py`` kills with SIGKILL at one point: mid-``INSERT``, with a snapshot open in the
transaction, after every snapshot is marked complete but before ``COMMIT``, right after
``COMMIT``, between and inside a scan's batches. Then the store must open, list exactly the
snapshots it listed before (plus the new ones, complete, when the kill came after ``COMMIT``;
plus the scan's ``open`` snapshot, never shown as complete, for a scan), and a re-run must
succeed and leave the same snapshots and row counts as a run that was never killed.

The default run takes six of the points (about 1.5 s each: one Python start per kill, ~12 s in
all); ``make fuzz`` runs all 33 (``FWATLAS_CRASH_POINTS=all``, about a minute).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import ROOT, run_cli

DATA = ROOT / "tests" / "data"
PAPERS = DATA / "conference_papers"
HUB = DATA / "hf_models_2022_sample" / "hf_models_2022-02-21.sample.jsonl.gz"
CORPUS = DATA / "code_corpus"
ARCHIVES = sorted(str(p) for p in CORPUS.iterdir() if p.suffix in (".whl", ".gz"))
DRIVER = Path(__file__).with_name("crash_driver.py")
ALL = os.environ.get("FWATLAS_CRASH_POINTS") == "all"

#: three real editions (ingested as one folder, sorted): aistats_2018 (216 papers), colt_2017
#: (76), colt_2018 (94); counted here with json, not by fwatlas
EDITIONS = ("aistats_2018", "colt_2017", "colt_2018")
PAPER_COUNTS = {e: len(json.loads((PAPERS / f"{e}.json").read_text(encoding="utf-8")))
                for e in EDITIONS}


def _points(default: list[Any], extra: list[Any]) -> list[Any]:
    """The default run's points, or every point (not skipped ones: they are not collected)."""
    return default + extra if ALL else default


def _state(db: Path) -> tuple[list[tuple[Any, ...]], dict[str, int]] | None:
    """The snapshots (without their numbers and times) and every table's row count."""
    if not db.exists():
        return None
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = sorted(r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall())
        if "snapshots" not in tables:
            return [], {}
        snaps = sorted(con.execute(
            "SELECT kind, dataset, content_hash, state, row_count, skipped_count, data_date "
            "FROM snapshots").fetchall(), key=repr)
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0]
                  for t in tables if t != "schema_version"}
        # a component's empty tables, committed before the ingest's own transaction, hold no
        # evidence: only tables with rows are compared
        counts = {t: n for t, n in counts.items() if n}
    finally:
        con.close()
    return snaps, counts


def _empty(state: tuple[list[tuple[Any, ...]], dict[str, int]] | None) -> bool:
    """No snapshot and no evidence row (a first ingest killed before its COMMIT)."""
    return state is None or state == ([], {})


def _kill(point: str, count: int, *args: str) -> None:
    proc = subprocess.run([sys.executable, str(DRIVER), point, str(count), *args],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "200"})
    # the point must be reached: a run that ends on its own is a broken case, not a pass
    assert proc.returncode == -signal.SIGKILL, (point, count, proc.returncode, proc.stderr)


def _opens(db: Path) -> list[dict[str, Any]]:
    """The store opens for reading and lists its snapshots; the user's ones."""
    run = run_cli("snapshots", "--json", "--db", str(db))
    assert run.code == 0, run.err
    return [r for r in run.json()["rows"] if not r["reference"]]


def _seed(db: Path, tmp: Path) -> None:
    """A store that already holds a snapshot (the one a kill must not touch)."""
    lines = "".join(json.dumps({"modelId": f"org/m{i}", "tags": ["pytorch"],
                                "lastModified": "2022-01-01T00:00:00.000Z"}) + "\n"
                    for i in range(50))
    dump = tmp / "seed.jsonl.gz"
    dump.write_bytes(gzip.compress(lines.encode(), mtime=0))
    assert run_cli("ingest", "hub", str(dump), "--db", str(db)).code == 0


def _ingest(kind: str, db: Path) -> list[str]:
    """papers: one transaction of three snapshots, read in memory; hub: one streamed file."""
    if kind == "hub":
        return ["ingest", kind, str(HUB), "--db", str(db)]
    folder = db.parent / "papers"
    folder.mkdir(exist_ok=True)
    for e in EDITIONS:
        shutil.copyfile(PAPERS / f"{e}.json", folder / f"{e}.json")
    return ["ingest", kind, str(folder), "--db", str(db)]


class Clean:
    """The states never-killed runs leave (on a seeded or a fresh store), each made once."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.made: dict[Any, Any] = {}

    def __getitem__(self, key: Any) -> Any:
        if key not in self.made:
            db = self.tmp / f"{len(self.made)}.duckdb"
            if key == "scan":
                run = run_cli(*_scan(db), "--json")
                assert run.code == 0, run.err
                self.made[key] = _scan_rows(db)
            else:
                kind, seeded = key
                if seeded:
                    _seed(db, self.tmp)
                run = run_cli(*_ingest(kind, db))
                assert run.code == 0, run.err
                self.made[key] = _state(db)
        return self.made[key]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Clean:
    return Clean(tmp_path_factory.mktemp("clean"))


def test_the_clean_runs_hold_what_the_files_hold(clean: Clean) -> None:
    snaps, counts = clean["papers", False]
    assert {(s[1], s[3], s[4]) for s in snaps} == {
        (f"papers/{stem}", "complete", n) for stem, n in PAPER_COUNTS.items()}
    assert counts["papers"] == sum(PAPER_COUNTS.values()) == 216 + 76 + 94
    with gzip.open(HUB, "rt", encoding="utf-8") as f:
        models = sum(1 for line in f if line.strip())
    snaps, counts = clean["hub", True]
    assert sorted((s[1], s[4]) for s in snaps) == [("hub/models", 50), ("hub/models", models)]
    assert counts["hub_models"] == 50 + models == 50 + 9979
    assert len(clean["scan"]) == len(ARCHIVES) == 6


@pytest.mark.parametrize(("kind", "point", "count", "seeded"), _points(
    [("hub", "rows", 1, True), ("papers", "complete", 1, True), ("papers", "commit", 1, True),
     ("papers", "connect", 1, False)],
    [("papers", "connect", 1, True), ("papers", "snapshot", 3, True), ("papers", "schema", 1, True),
     ("papers", "migrated", 1, True), ("papers", "schema", 1, False),
     ("papers", "snapshot", 1, True), ("papers", "insert", 1, True),
     ("papers", "insert", 2, True), ("papers", "migrated", 1, False),
     ("papers", "commit", 1, False), ("hub", "snapshot", 1, True), ("hub", "insert", 1, True),
     ("hub", "complete", 1, True), ("hub", "commit", 1, True), ("hub", "rows", 1, False)]))
def test_an_ingest_killed_anywhere_leaves_the_store_consistent(
        kind: str, point: str, count: int, seeded: bool, db: Path, tmp_path: Path,
        clean: Clean) -> None:
    if seeded:
        _seed(db, tmp_path)
    before = _state(db)
    _kill(point, count, *_ingest(kind, db))
    after = _state(db)
    expected = clean[kind, seeded]
    if point == "commit":  # committed before the kill: the WAL brings it back whole
        assert after == expected
    elif before is None:
        assert _empty(after)
    else:
        assert after == before
    listed = _opens(db) if after is not None else []
    assert all(r["state"] == "complete" for r in listed)  # an ingest never leaves one open
    assert {r["dataset"] for r in listed} == {s[1] for s in (after or ([], {}))[0]}
    run = run_cli(*_ingest(kind, db), "--json")
    assert run.code == 0, run.err
    new = {f"papers/{stem}" for stem in PAPER_COUNTS} if kind == "papers" else {"hub/models"}
    if point == "commit":
        assert run.json()["created"] == []
        assert {a["dataset"] for a in run.json()["already_ingested"]} == new
    else:
        assert {c["dataset"] for c in run.json()["created"]} == new
    assert _state(db) == expected


def _scan(db: Path) -> list[str]:
    return ["scan", *ARCHIVES, "--db", str(db), "--workers", "1", "--batch-size", "1",
            "--data-date", "2026-12-01"]


def _scan_rows(db: Path) -> list[tuple[Any, ...]]:
    """Every stored scan result with its snapshot's state (content hash, primary framework)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(con.execute(
            "SELECT s.state, r.path, r.content_hash, r.primary_framework FROM repo_frameworks r "
            "JOIN snapshots s ON s.num = r.snapshot_id").fetchall())
    finally:
        con.close()


@pytest.mark.parametrize(("kills", "stored"), _points(
    [([("batch_mid", 3)], 2), ([("batch_done", 2), ("batch_done", 2)], 4)],
    [([("batch_done", 3)], 3), ([("finish", 1)], 6), ([("connect", 1)], 0),
     ([("schema", 1)], 0), ([("migrated", 1)], 0), ([("batch", 1)], 0), ([("batch_mid", 1)], 0),
     ([("batch_done", 1)], 1), ([("batch", 3)], 2),
     ([("batch_mid", 6)], 5), ([("batch_done", 6)], 6)]))
def test_a_scan_killed_anywhere_resumes_to_the_same_results(
        kills: list[tuple[str, int]], stored: int, db: Path, clean: Clean) -> None:
    for point, count in kills:
        _kill(point, count, *_scan(db))
    finished = kills[-1][0] == "finish"
    if stored == 0:
        assert _empty(_state(db))
    else:
        rows = _scan_rows(db)
        assert len(rows) == stored  # exactly the committed batches, none half
        assert {r[0] for r in rows} == {"complete" if finished else "open"}
        listed = _opens(db)
        assert len(listed) == 1
        if not finished:  # an open scan is listed, never as complete nor as the one read
            assert listed[0]["state"] == "open" and listed[0]["read"] == "not readable"
    run = run_cli(*_scan(db), "--json")
    assert run.code == 0, run.err
    summary = run.json()["summary"]
    assert summary["scanned"] + summary["already_scanned"] == len(ARCHIVES)
    assert summary["scanned"] == (0 if finished else len(ARCHIVES) - stored)
    if 0 < stored and not finished:
        assert summary["resumed"] is not None
    assert _scan_rows(db) == clean["scan"]
    listed = _opens(db)
    assert [r["state"] for r in listed] == ["complete"] and listed[0]["rows"] == len(ARCHIVES)
