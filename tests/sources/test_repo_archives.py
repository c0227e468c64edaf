"""`refresh repos` against a GitHub archive stand-in on 127.0.0.1: archives built here (a PyTorch
repository, a JAX one, a README-only one), a 404, a truncated archive, a 429 then 200, one over
the size cap; resume, offline, and the code rows that result, counted here by hand."""

from __future__ import annotations

import csv
import hashlib
import io
import tarfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import run_cli

TORCH = "import torch\nfrom torch import nn\n\n\nclass Net(nn.Module):\n    pass\n"
JAX = "import jax\nimport jax.numpy as jnp\n\nprint(jnp.zeros(2))\n"
MTIME = 1_717_243_200  # 2024-06-01 12:00 UTC


def build_archive(name: str, files: dict[str, str], *, commit: str | None = None,
                  mtime: int = MTIME) -> bytes:
    """A tar.gz laid out like GitHub's (one top folder ``<name>-<sha>``; git's pax comment)."""
    sha = commit or hashlib.sha1(name.encode()).hexdigest()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.PAX_FORMAT,
                      pax_headers={"comment": sha}) as tar:
        for rel, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"{name}-{sha[:7]}/{rel}")
            info.size, info.mtime = len(data), mtime
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


@dataclass
class Forge:
    url: str
    archives: dict[str, bytes] = field(default_factory=dict)
    too_many: dict[str, int] = field(default_factory=dict)  # answer 429 this many times first
    lie_length: set[str] = field(default_factory=set)  # Content-Length bigger than the cap
    log: list[tuple[str, int, str]] = field(default_factory=list)

    def hits(self, repo: str, status: int | None = None) -> int:
        return sum(1 for p, code, _ in self.log if p.startswith(f"/{repo}/")
                   and status in (None, code))


@pytest.fixture
def forge() -> Iterator[Forge]:
    state = Forge(url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            parts = self.path.strip("/").split("/")
            repo = "/".join(parts[:2])
            auth = self.headers.get("Authorization", "")
            if len(parts) != 4 or parts[2:] != ["tar.gz", "HEAD"] or repo not in state.archives:
                state.log.append((self.path, 404, auth))
                self._send(404, b"404: Not Found")
                return
            if state.too_many.get(repo, 0) > 0:
                state.too_many[repo] -= 1
                state.log.append((self.path, 429, auth))
                self._send(429, b"slow down", {"Retry-After": "0"})
                return
            state.log.append((self.path, 200, auth))
            self._send(200, state.archives[repo], {"Content-Type": "application/x-gzip",
                                                   "ETag": '"deadbeef"'})

        def _send(self, code: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(code)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _links(path: Path, venue: str, year: int, repos: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["venue", "year", "title", "repo_url"])
        for i, r in enumerate(repos):
            w.writerow([venue, year, f"Paper {i}", f"https://github.com/{r}"])
    return path


def _env(forge: Forge, **extra: str) -> dict[str, str]:
    return {"FWATLAS_GITHUB_ARCHIVE_URL": forge.url, "FWATLAS_HTTP_BACKOFF": "0.01",
            "FWATLAS_HTTP_RETRIES": "3", **extra}


@pytest.fixture
def linked(forge: Forge, tmp_path: Path, db: Path) -> Path:
    torch_repo = build_archive("torchrepo", {"train.py": TORCH, "requirements.txt": "torch\n"},
                               commit="a" * 40)
    forge.archives.update({
        "lab/torchrepo": torch_repo,
        "lab/jaxrepo": build_archive("jaxrepo", {"model.py": JAX, "setup.py":
                                                 "from setuptools import setup\nsetup()\n"}),
        "lab/readme": build_archive("readme", {"README.md": "# project page\n"}),
        "lab/truncated": torch_repo[: len(torch_repo) // 2],
        "lab/flaky": build_archive("flaky", {"main.py": TORCH}),
        "lab/huge": build_archive("huge", {"big.py": TORCH + "#" * 20_000}),
    })
    forge.too_many["lab/flaky"] = 1
    repos = ["lab/torchrepo", "lab/jaxrepo", "lab/readme", "lab/missing", "lab/truncated",
             "lab/flaky", "lab/huge"]
    path = _links(tmp_path / "links.csv", "toyconf", 2025, repos)
    assert run_cli("ingest", "paper-code", str(path), "--db", str(db), "--data-date",
                   "2026-12-01").code == 0
    return db


def test_refresh_repos_scans_in_memory_and_lists_what_it_skipped(forge, linked, tmp_path):
    cap = str(len(forge.archives["lab/huge"]) - 1)  # only the huge one is over the cap
    run = run_cli("refresh", "repos", "--db", str(linked), "--json", "--concurrency", "3",
                  env=_env(forge, FWATLAS_ARCHIVE_MAX_BYTES=cap, GITHUB_TOKEN="t0ken"))
    assert run.code == 0, run.err
    payload = run.json()
    summary = payload["summary"]
    assert (summary["requested"], summary["scanned"], summary["skipped"]) == (7, 3, 4)
    skipped = dict(item.split(": ", 1) for item in payload["skipped_items"])
    assert set(skipped) == {"lab/missing", "lab/truncated", "lab/huge", "lab/readme"}
    assert "no Python, notebook or dependency file" in skipped["lab/readme"]
    assert "404" in skipped["lab/missing"]
    assert "not a readable tar archive" in skipped["lab/truncated"]
    assert "too large" in skipped["lab/huge"]
    assert forge.hits("lab/flaky") == 2  # a 429, then the archive
    assert summary["retries"] >= 1
    assert all(auth == "Bearer t0ken" for _, _, auth in forge.log)
    # nothing was unpacked: the only files are the store and the links list
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("atlas")) \
        == ["links.csv"]
    scan = run_cli("research", "--evidence", "code", "--venue", "toyconf", "--json",
                   "--db", str(linked)).json()
    [row] = scan["rows"]
    # by hand: torchrepo, flaky = pytorch; jaxrepo = jax; readme (no code) is not stored
    assert (row["repositories"], row["pytorch"], row["jax"], row["none"], row["n"]) \
        == (3, 2, 1, 0, 3)
    assert row["pytorch_share"] == pytest.approx(2 / 3)
    assert row["links"] == 7
    assert "4 linked repositories are not scanned" in scan["code_hint"]


def test_each_result_keeps_the_archive_date_and_commit(forge, linked):
    import duckdb

    run = run_cli("refresh", "repos", "--db", str(linked), "--json", env=_env(forge))
    assert run.code == 0, run.err
    con = duckdb.connect(str(linked), read_only=True)
    try:
        rows = {r[0]: r[1:] for r in con.execute(
            "SELECT url, repo_date, date_source, notes, primary_framework, source_type "
            "FROM repo_frameworks").fetchall()}
    finally:
        con.close()
    date, source, notes, primary, kind = rows["github.com/lab/torchrepo"]
    assert date.isoformat() == "2024-06-01" and "newest member" in source
    assert f"commit {'a' * 40} (archive header)" in notes
    assert primary == "pytorch" and kind == "tar"
    assert "github.com/lab/readme" not in rows  # no code in it: a listed skip, not a 'none' row


def test_an_interrupted_or_partial_run_resumes_without_downloading_again(forge, linked):
    first = run_cli("refresh", "repos", "--db", str(linked), "--json", "--limit", "2",
                    env=_env(forge))
    assert first.code == 0, first.err
    assert first.json()["summary"]["scanned"] == 2
    done = {p.split("/")[1] + "/" + p.split("/")[2] for p, code, _ in forge.log if code == 200}
    second = run_cli("refresh", "repos", "--db", str(linked), "--json", env=_env(forge))
    assert second.code == 0, second.err
    assert second.json()["summary"]["already_scanned"] == 2
    for repo in done:
        assert forge.hits(repo, 200) == 1, repo
    third = run_cli("refresh", "repos", "--db", str(linked), "--json", env=_env(forge))
    # the three skipped (404, truncated, the README-only archive with no code; no cap here)
    # are tried again, nothing else
    assert third.json()["summary"]["requested"] == 3
    assert third.json()["summary"]["already_scanned"] == 4


def test_offline_exits_3_and_writes_nothing(linked, tmp_path):
    import socket

    from tests.research.conftest import store_state

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: connection refused
    before = store_state(linked)
    started = time.perf_counter()
    run = run_cli("refresh", "repos", "--db", str(linked),
                  env={"FWATLAS_GITHUB_ARCHIVE_URL": f"http://127.0.0.1:{port}",
                       "FWATLAS_HTTP_BACKOFF": "0.01"})
    assert run.code == 3, (run.out, run.err)
    assert "unreachable" in run.err
    assert time.perf_counter() - started < 10
    after = store_state(linked)
    assert after[0] == before[0]  # no snapshot (the empty scan table may now exist)
    assert after[1].get("repo_frameworks", 0) == 0


def test_without_links_it_says_what_to_run_first(db, forge):
    run = run_cli("refresh", "repos", "--db", str(db), env=_env(forge))
    assert run.code == 2 and "ingest paper-code" in run.err
