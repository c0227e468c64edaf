"""Hostile input is data: links leaving the repository, archive members escaping it, huge and
binary files, special files – skipped and counted, never followed, extracted or run."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from fwatlas.scan.detect import RepoTask, ScanOptions, scan_repository
from fwatlas.scan.model import RepoFailed, RepoResult
from tests.conftest import run_cli
from tests.scan.conftest import write_tree

TORCH = "import torch\n"


def scan(path: Path, **options: object) -> RepoResult:
    result = scan_repository(RepoTask(str(path), str(path)), frozenset(),
                             ScanOptions(**options))  # type: ignore[arg-type]
    assert isinstance(result, RepoResult), result
    return result


def test_symlinks_leaving_the_repository_are_not_followed(tmp_path: Path):
    outside = write_tree(tmp_path / "outside", {"secret.py": "import tensorflow\n",
                                                "pkg/mod.py": "import jax\n"})
    repo = write_tree(tmp_path / "repo", {"main.py": TORCH, "inner.py": "import flax\n"})
    os.symlink(outside / "secret.py", repo / "leak.py")
    os.symlink(outside / "pkg", repo / "linked_dir")
    os.symlink(repo / "inner.py", repo / "alias.py")  # stays inside: read
    r = scan(repo)
    assert set(r.frameworks) == {"pytorch", "jax"}  # flax via main and alias; no tensorflow
    assert r.files_skipped == 1
    assert r.skipped_files == ("leak.py: symlink leaves the repository",)
    assert r.files_scanned == 3


def test_big_binary_and_special_files_are_skipped_and_counted(tmp_path: Path):
    repo = write_tree(tmp_path / "repo", {
        "main.py": TORCH,
        "huge.py": "import tensorflow\n" + "x = 1\n" * 400,
        "blob.py": b"import jax\n\x00\x01\x02",
    })
    os.mkfifo(repo / "pipe.py")  # opening it for reading would block: never opened
    r = scan(repo, max_bytes=1000)
    assert r.frameworks == {"pytorch": 1.0}
    reasons = dict(s.split(": ", 1) for s in r.skipped_files)
    assert reasons["huge.py"].startswith("over the size limit")
    assert reasons["blob.py"] == "binary file"
    assert reasons["pipe.py"] == "not a regular file"
    assert r.files_skipped == 3 and r.files_scanned == 1


def _zip_with_hostile_members(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("pkg/__init__.py", "")
        z.writestr("pkg/model.py", TORCH)
        z.writestr("../escape.py", "import tensorflow\n")
        z.writestr("/abs/path.py", "import tensorflow\n")
        z.writestr("pkg/../../up.py", "import tensorflow\n")
        link = zipfile.ZipInfo("pkg/link.py")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(link, "/etc/passwd")


def test_zip_members_escaping_the_archive_are_ignored_and_nothing_is_extracted(
        tmp_path: Path):
    archive = tmp_path / "hostile.zip"
    _zip_with_hostile_members(archive)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        r = scan(archive)
    finally:
        os.chdir(cwd)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert r.frameworks == {"pytorch": 0.5}  # 1 of 2 code files (pkg/__init__.py, model.py)
    reasons = {s.split(": ", 1)[0]: s.split(": ", 1)[1] for s in r.skipped_files}
    assert reasons == {"../escape.py": "'..' in archive path",
                       "/abs/path.py": "absolute path in archive",
                       "pkg/../../up.py": "'..' in archive path",
                       "pkg/link.py": "symlink in archive"}
    assert r.files_skipped == 4


def test_tar_members_escaping_the_archive_are_ignored(tmp_path: Path):
    archive = tmp_path / "hostile.tar.gz"
    with tarfile.open(archive, "w:gz") as t:
        def add(name: str, data: bytes = b"", **kw: object) -> None:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1_600_000_000
            for k, v in kw.items():
                setattr(info, k, v)
            t.addfile(info, io.BytesIO(data) if data else None)
        add("demo-1.0/demo/__init__.py")
        add("demo-1.0/demo/core.py", b"import jax\n")
        add("demo-1.0/../evil.py", b"import torch\n")
        add("/etc/evil.py", b"import torch\n")
        add("demo-1.0/sym.py", type=tarfile.SYMTYPE, linkname="/etc/passwd")
        add("demo-1.0/hard.py", type=tarfile.LNKTYPE, linkname="demo-1.0/demo/core.py")
    r = scan(archive)
    assert r.frameworks == {"jax": 0.5}  # 1 of 2 code files
    assert r.primary == "jax"
    reasons = {s.split(": ", 1)[0]: s.split(": ", 1)[1] for s in r.skipped_files}
    assert reasons == {"demo-1.0/../evil.py": "'..' in archive path",
                       "/etc/evil.py": "absolute path in archive",
                       "demo-1.0/sym.py": "link in archive",
                       "demo-1.0/hard.py": "link in archive"}
    assert r.date is not None and r.date.isoformat() == "2020-09-13"
    assert r.date_source.startswith("archive")


def test_a_truncated_archive_is_one_failed_repository(tmp_path: Path):
    archive = tmp_path / "cut.zip"
    _zip_with_hostile_members(archive)
    archive.write_bytes(archive.read_bytes()[:40])
    result = scan_repository(RepoTask("cut.zip", str(archive)))
    assert isinstance(result, RepoFailed)
    assert "not a readable zip archive" in result.reason


def test_nothing_from_the_repository_is_imported_or_run(tmp_path: Path):
    marker = tmp_path / "ran"
    code = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\nimport torch\n"
    repo = write_tree(tmp_path / "repo", {"setup.py": code, "pkg/__init__.py": code,
                                          "conftest.py": code})
    r = scan(repo)
    assert r.primary == "pytorch"
    assert not marker.exists()


# --- issue 15: unreadable folders, decompression bombs, nothing readable -----------------------


def test_a_folder_that_cannot_be_listed_is_unreadable(tmp_path, monkeypatch):
    import os as _os

    from fwatlas.scan.readers import DirectoryReader, UnreadableRepository

    real = _os.scandir

    def refuse(path="."):
        if str(path) == str(tmp_path):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(_os, "scandir", refuse)
    with pytest.raises(UnreadableRepository, match="cannot list the folder"):
        DirectoryReader(tmp_path)


def test_a_small_tar_bz2_bomb_is_refused_quickly(tmp_path):
    import bz2
    import io
    import tarfile
    import time

    from fwatlas.scan.readers import TarReader, UnreadableRepository

    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        info = tarfile.TarInfo("pkg/zeros.py")
        info.size = 80 << 20
        tar.addfile(info, io.BytesIO(bytes(info.size)))
    bomb = tmp_path / "bomb.tar.bz2"
    bomb.write_bytes(bz2.compress(raw.getvalue(), 9))
    assert bomb.stat().st_size < 4096
    start = time.monotonic()
    with pytest.raises(UnreadableRepository, match="decompresses to more than"):
        TarReader(bomb)
    assert time.monotonic() - start < 8


def test_a_scan_where_nothing_can_be_read_exits_2(tmp_path):
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    worse = tmp_path / "broken.tar.gz"
    worse.write_bytes(b"\x1f\x8b not really a tar")
    db = tmp_path / "a.duckdb"
    run = run_cli("scan", str(bad), str(worse), "--db", str(db), "--workers", "1")
    assert run.code == 2, (run.code, run.err)
    assert run.err.strip().startswith("fwatlas: error: no repository could be read (2 skipped")
