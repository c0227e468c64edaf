"""An unreadable archive among several is an item-level problem; an input with nothing
scannable at all is rejected whole (exit 2, no snapshot)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.conftest import run_cli


def _wheel(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("pkg/__init__.py", "import torch\n")
    return path


def test_one_bad_archive_among_several_is_skipped_and_listed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_text("not a zip")
    good = _wheel(tmp_path / "good-1.0-py3-none-any.whl")
    run = run_cli("scan", str(bad), str(good), "--db", str(tmp_path / "a.duckdb"), "--json")
    assert run.code == 0, run.err
    out = run.json()
    assert [r["primary"] for r in out["rows"]] == ["pytorch"]
    assert any(str(bad) in item for item in out["skipped"])


def test_a_list_where_nothing_can_be_scanned_is_rejected_whole(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_text("not a zip")
    listing = tmp_path / "repos.txt"
    listing.write_text(f"{bad}\n{tmp_path / 'missing'}\n")
    db = tmp_path / "b.duckdb"
    run = run_cli("ingest", "repos", str(listing), "--db", str(db))
    assert run.code == 2 and "no repository could be scanned" in run.err
    assert not db.exists()
