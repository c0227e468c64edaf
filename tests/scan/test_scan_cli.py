"""`fwatlas scan` as a user meets it: the JSON rows, bad input rejected whole (exit 2, store
unchanged), bad items skipped and counted (exit 0), resuming, engines."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_cli, shared_path
from tests.scan.conftest import write_tree


def _state(db: Path) -> tuple[list[tuple], int]:
    """(snapshot rows, repo_frameworks row count) read straight from the DuckDB file."""
    if not db.exists():
        return [], -1
    con = duckdb.connect(str(db), read_only=True)
    try:
        snaps = con.execute("SELECT num, kind, state, row_count, content_hash FROM snapshots "
                            "ORDER BY num").fetchall()
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables")
                  .fetchall()}
        rows = con.execute("SELECT count(*) FROM repo_frameworks").fetchall()[0][0] \
            if "repo_frameworks" in tables else -1
        return snaps, int(rows)
    finally:
        con.close()


def _small_repos(tmp_path: Path) -> list[Path]:
    return [
        write_tree(tmp_path / "a", {"m.py": "import torch\n", "requirements.txt": "torch\n"}),
        write_tree(tmp_path / "b", {"m.py": "import tensorflow as tf\n"}),
        write_tree(tmp_path / "c", {"m.py": "import jax\n"}),
    ]


def test_json_rows_carry_the_contract_fields(tmp_path: Path, db: Path):
    repo = write_tree(tmp_path / "repo", {
        "src/pkg/__init__.py": "", "src/pkg/net.py": "import torch.nn as nn\n",
        "nb/explore.ipynb": json.dumps({"cells": [{"cell_type": "code",
                                                    "source": ["import torch\n"]}]}),
        "big.py": "x = 1\n" * 100,
    })
    res = run_cli("scan", str(repo), "--db", str(db), "--json", "--max-file-size", "200")
    assert res.code == 0, res.err
    out = res.json()
    assert [s["kind"] for s in out["sources"]] == ["repos"]
    assert out["sources"][0]["data_date"] == dt.datetime.now(dt.UTC).date().isoformat()
    (row,) = out["rows"]
    assert row["path"] == str(repo)
    assert row["primary"] == "pytorch"
    assert row["keras_backend"] is None
    assert row["files_scanned"] == 3 and row["files_skipped"] == 1
    assert row["skipped_files"][0].startswith("big.py: over the size limit")
    assert {(e["file"], e["line"], e["what"]) for e in row["evidence"]} == {
        ("src/pkg/net.py", 1, "import torch.nn as nn"),
        ("nb/explore.ipynb", 1, "import torch (cell 1)")}
    # the directory's content hash: sorted (relative path, sha256) pairs of the files read,
    # plus the refused ones with their reason
    entries = sorted(
        [f"{rel}\0{hashlib.sha256((repo / rel).read_bytes()).hexdigest()}\n"
         for rel in ("src/pkg/__init__.py", "src/pkg/net.py", "nb/explore.ipynb")]
        + [f"{row['skipped_files'][0]}\n"])
    assert row["content_hash"] == hashlib.sha256("".join(entries).encode()).hexdigest()


def test_an_archive_row_hash_is_the_file_sha256(db: Path):
    wheel = shared_path("data", "code_corpus", "lpips-0.1.4-py3-none-any.whl")
    res = run_cli("scan", str(wheel), "--db", str(db), "--json")
    assert res.code == 0, res.err
    (row,) = res.json()["rows"]
    assert row["content_hash"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert row["primary"] == "pytorch"
    assert row["url"] == "github.com/richzhang/perceptualsimilarity"
    assert row["date"] == "2021-08-25"


@pytest.mark.parametrize("make_bad", ["missing", "truncated_wheel", "binary_list", "empty_list",
                                      "bad_urls"])
def test_bad_whole_input_exits_2_and_leaves_the_store_unchanged(make_bad: str, tmp_path: Path,
                                                                db: Path):
    good = _small_repos(tmp_path)
    assert run_cli("scan", str(good[0]), "--db", str(db)).code == 0
    before = _state(db)
    extra: list[str] = []
    if make_bad == "missing":
        bad = tmp_path / "does-not-exist"
    elif make_bad == "truncated_wheel":
        wheel = shared_path("data", "code_corpus", "einops-0.8.2-py3-none-any.whl")
        bad = tmp_path / "einops-cut.whl"
        bad.write_bytes(wheel.read_bytes()[: wheel.stat().st_size // 2])
    elif make_bad == "binary_list":
        bad = tmp_path / "repos.txt"
        bad.write_bytes(shared_path("data", "code_corpus", "tflearn-0.5.0.tar.gz")
                        .read_bytes()[:4096])
    elif make_bad == "empty_list":
        bad = tmp_path / "repos.txt"
        bad.write_text("# nothing listed\n\n", encoding="utf-8")
    else:
        bad = good[1]
        urls = tmp_path / "urls.csv"
        urls.write_text("repository,link\nx,y\n", encoding="utf-8")
        extra = ["--urls", str(urls)]
        res = run_cli("scan", str(bad), *extra, "--db", str(db))
        assert res.code == 2
        assert str(urls) in res.err
        assert _state(db) == before
        return
    # an unreadable archive is a whole-input failure when it is the only input (beside good
    # paths it is an item-level problem: tests/scan/test_inputs_item_level.py)
    others = [] if make_bad == "truncated_wheel" else [str(good[1])]
    res = run_cli("scan", *others, str(bad), "--db", str(db), "--json")
    assert res.code == 2, res.out
    assert res.err.strip().count("\n") == 0
    assert str(bad) in res.err
    assert res.out == ""
    assert _state(db) == before


def test_bad_items_are_skipped_listed_counted_and_warned(tmp_path: Path, db: Path):
    good = _small_repos(tmp_path)
    wheel = shared_path("data", "code_corpus", "einops-0.8.2-py3-none-any.whl")
    cut = tmp_path / "cut.whl"
    cut.write_bytes(wheel.read_bytes()[:5000])
    listing = tmp_path / "list.txt"
    listing.write_text(f"{good[0]}\nb\nnot-there\ncut.whl\nlist.txt\n", encoding="utf-8")
    res = run_cli("scan", str(listing), "--db", str(db), "--json", "--workers", "1")
    assert res.code == 0, res.err
    out = res.json()
    assert {r["path"] for r in out["rows"]} == {str(good[0]), "b"}
    skipped = out["skipped"]
    assert len(skipped) == 3
    assert any(s.startswith("not-there: listed in") for s in skipped)
    assert any(s.startswith("cut.whl: not a readable zip archive") for s in skipped)
    assert any(s.startswith("list.txt: listed in") and "not a directory" in s for s in skipped)
    assert "warning: skipped 3" in res.err
    snaps = run_cli("snapshots", "--kind", "repos", "--db", str(db), "--json").json()["rows"]
    assert snaps[0]["skipped"] == 3 and snaps[0]["rows"] == 2


def test_an_interrupted_scan_resumes_and_an_identical_scan_is_a_no_op(tmp_path: Path,
                                                                      db: Path):
    from fwatlas.scan import rules
    from fwatlas.scan.run import ScanRequest, collect_tasks, scan_tasks
    from fwatlas.scan_store import ScanStore
    from fwatlas.store.atlas import open_writer

    repos = _small_repos(tmp_path)
    tasks, _ = collect_tasks([str(p) for p in repos])
    with open_writer(db, components=["repos"]) as atlas:
        store = ScanStore(atlas, origin="first", scanner=rules.signature(),
                          data_date=dt.date(2026, 11, 1), data_date_source="--data-date")

        def sink(batch):
            store.write(batch)
            raise KeyboardInterrupt  # the user presses Ctrl-C after the first batch

        with pytest.raises(KeyboardInterrupt):
            scan_tasks(ScanRequest(tasks=tasks, batch_size=1), sink=sink)
    snaps, rows = _state(db)
    assert [(s[1], s[2], s[3]) for s in snaps] == [("repos", "open", 1)] and rows == 1

    res = run_cli("scan", *map(str, repos), "--db", str(db), "--json", "--workers", "1")
    assert res.code == 0, res.err
    out = res.json()
    assert out["summary"]["resumed"] == "s1"
    assert out["summary"]["scanned"] == 2 and out["summary"]["already_scanned"] == 1
    assert len(out["rows"]) == 3
    snaps, rows = _state(db)
    assert [(s[2], s[3]) for s in snaps] == [("complete", 3)] and rows == 3

    again = run_cli("scan", *map(str, repos), "--db", str(db), "--json").json()
    assert again["summary"]["scanned"] == 0 and again["summary"]["already_scanned"] == 3
    assert again["summary"]["snapshot_id"] is None
    assert all(r["already_scanned"] for r in again["rows"])
    assert [r["primary"] for r in again["rows"]] == ["pytorch", "tensorflow", "jax"]
    assert _state(db) == (snaps, rows)


def test_local_engine_gives_the_same_rows_with_one_or_two_workers(tmp_path: Path):
    repos = _small_repos(tmp_path)
    one = run_cli("scan", *map(str, repos), "--db", str(tmp_path / "1.duckdb"), "--json",
                  "--workers", "1").json()
    two = run_cli("scan", *map(str, repos), "--db", str(tmp_path / "2.duckdb"), "--json",
                  "--workers", "2").json()
    strip = [{k: v for k, v in r.items() if k != "snapshot_id"} for r in one["rows"]]
    assert strip == [{k: v for k, v in r.items() if k != "snapshot_id"} for r in two["rows"]]
    assert two["engine"]["driver_process"] not in two["engine"]["worker_processes"]
    assert len(two["engine"]["worker_processes"]) >= 1


def test_a_large_repository_is_split_across_tasks_with_the_same_result(tmp_path: Path):
    from fwatlas.scan.detect import ScanOptions
    from fwatlas.scan.run import ScanRequest, collect_tasks, scan_tasks

    files = {f"pkg/m{i}.py": ("import torch\n" if i % 3 else "import jax\n") for i in range(40)}
    files |= {"tests/test_x.py": "import tensorflow\n", "requirements.txt": "torch\n"}
    repo = write_tree(tmp_path / "big", files)
    tasks, _ = collect_tasks([str(repo)])
    whole = scan_tasks(ScanRequest(tasks=tasks, workers=1)).results[0]
    split = scan_tasks(ScanRequest(tasks=tasks, workers=2,
                                   options=ScanOptions(split_files=5))).results[0]
    assert split.frameworks == whole.frameworks
    assert split.primary == whole.primary
    assert split.files_scanned == whole.files_scanned == 42
    assert set(split.evidence) == set(whole.evidence)
    assert "," in split.worker or len(split.worker.split(",")) >= 1


def test_engine_and_option_values_are_checked(tmp_path: Path):
    repo = _small_repos(tmp_path)[0]
    res = run_cli("scan", str(repo), "--engine", "spark", "--db", str(tmp_path / "x.duckdb"))
    assert res.code == 2 and "--engine" in res.err
    res = run_cli("scan", str(repo), "--ray-address", "127.0.0.1:1",
                  "--db", str(tmp_path / "x.duckdb"))
    assert res.code == 2 and "--engine ray" in res.err
    assert not (tmp_path / "x.duckdb").exists()


def test_ray_engine_without_ray_exits_3_with_the_install_hint(tmp_path: Path):
    fake = write_tree(tmp_path / "noray", {
        "ray/__init__.py": "raise ImportError(\"No module named 'ray'\")\n"})
    repo = _small_repos(tmp_path)[0]
    import os

    env = {"PYTHONPATH": os.pathsep.join([str(fake), os.environ.get("PYTHONPATH", "")])}
    # a real subprocess: the environment must hide Ray from the interpreter at start-up
    res = run_cli("scan", str(repo), "--engine", "ray", "--db", str(tmp_path / "r.duckdb"),
                  env=env, subprocess_=True)
    assert res.code == 3, res.err
    assert 'pip install "fwatlas[ray]"' in res.err
    assert not (tmp_path / "r.duckdb").exists()


def test_an_unreachable_ray_cluster_exits_3_at_once_and_writes_nothing(tmp_path: Path):
    import socket
    import time

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    repo = _small_repos(tmp_path)[0]
    started = time.monotonic()
    res = run_cli("scan", str(repo), "--engine", "ray", "--ray-address", f"127.0.0.1:{port}",
                  "--db", str(tmp_path / "r.duckdb"))
    assert res.code == 3
    assert f"127.0.0.1:{port}" in res.err
    assert time.monotonic() - started < 30
    assert not (tmp_path / "r.duckdb").exists()


def _wheel_folder(tmp_path: Path) -> Path:
    """A real folder of non-scannable files: two wheels (not opened inside a folder) and a
    README – no Python, notebook or dependency file of its own."""
    folder = tmp_path / "wheels"
    folder.mkdir()
    for name in ("einops-0.8.2-py3-none-any.whl", "lpips-0.1.4-py3-none-any.whl"):
        (folder / name).write_bytes(shared_path("data", "code_corpus", name).read_bytes())
    (folder / "README.md").write_text("# just wheels\n", encoding="utf-8")
    return folder


def test_a_path_with_no_scannable_file_stores_nothing(tmp_path: Path, db: Path):
    """Issue 11: a folder of wheels once stored an empty 'repository' that counted in the
    shares; alone it is refused whole (one line, exit 2, store unchanged), beside a good path
    it is a listed skip and only the good path is stored."""
    good = _small_repos(tmp_path)
    assert run_cli("scan", str(good[0]), "--db", str(db)).code == 0
    before = _state(db)
    folder = _wheel_folder(tmp_path)
    res = run_cli("scan", str(folder), "--db", str(db), "--json")
    assert res.code == 2, res.out
    assert res.out == "" and res.err.strip().count("\n") == 0
    assert str(folder) in res.err and "no Python, notebook or dependency file" in res.err
    assert _state(db) == before
    res = run_cli("ingest", "repos", str(folder), "--db", str(db))
    assert res.code == 2 and res.err.strip().count("\n") == 0
    assert _state(db) == before

    mixed = run_cli("scan", str(good[1]), str(folder), "--db", str(db), "--json")
    assert mixed.code == 0, mixed.err
    out = mixed.json()
    assert [r["path"] for r in out["rows"]] == [str(good[1])]
    assert len(out["skipped"]) == 1 and out["skipped"][0].startswith(
        f"{folder}: no Python, notebook or dependency file found")
    assert out["summary"]["skipped"] == 1 and out["summary"]["scanned"] == 1
    snaps, rows = _state(db)
    assert rows == before[1] + 1  # the folder of wheels is not a stored row
    con = duckdb.connect(str(db), read_only=True)
    try:
        paths = {r[0] for r in con.execute("SELECT path FROM repo_frameworks").fetchall()}
    finally:
        con.close()
    assert str(folder) not in paths
