"""Fixtures for the scan tests: small repositories built on disk, git history with dates."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write files (text or bytes) under root; parent folders are created."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo.parent)}
    if date:
        env["GIT_AUTHOR_DATE"] = date
        env["GIT_COMMITTER_DATE"] = date
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True,
                          text=True).stdout


def git_repo(root: Path, commits: list[tuple[str, dict[str, str | bytes]]],
             remote: str | None = None) -> Path:
    """A git repository whose commits (date, files written before it) are made in order."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "fwatlas test")
    git(root, "config", "user.email", "test@example.org")
    git(root, "config", "commit.gpgsign", "false")
    for date, files in commits:
        write_tree(root, files)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"commit of {date}", date=date)
    if remote:
        git(root, "remote", "add", "origin", remote)
    return root


@pytest.fixture
def make_git_repo(tmp_path: Path) -> Callable[..., Path]:
    def make(name: str, commits: list[tuple[str, dict[str, str | bytes]]],
             remote: str | None = None) -> Path:
        return git_repo(tmp_path / name, commits, remote)
    return make
