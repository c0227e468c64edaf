"""`fwatlas refresh hub` runs the real huggingface_hub client against servers on 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import run_cli

COMMIT = "a" * 40


def _tiny_parquet(path: Path) -> bytes:
    pq.write_table(pa.table({
        "id": ["org/pt-model", "org/tf-model", "org/both"],
        "tags": [["pytorch", "safetensors"], ["tf"], ["pytorch", "tf"]],
        "downloads": [10, 5, 7],
        "createdAt": ["2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z", "2026-10-03T00:00:00Z"],
    }), path)
    return path.read_bytes()


@pytest.fixture
def hub_server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A tiny Hub that serves one dataset file, logging the paths it was asked for."""
    body = _tiny_parquet(tmp_path / "models.parquet")
    etag = hashlib.sha256(body).hexdigest()
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _headers(self) -> bool:
            seen.append(f"{self.command} {self.path}")
            if not self.path.split("?")[0].endswith("/resolve/main/models.parquet"):
                self.send_response(404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                return False
            self.send_response(200)
            self.send_header("X-Repo-Commit", COMMIT)
            self.send_header("ETag", f'"{etag}"')
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            return True

        def do_HEAD(self) -> None:  # noqa: N802
            self._headers()

        def do_GET(self) -> None:  # noqa: N802
            if self.path.startswith("/api/models"):
                seen.append(f"GET {self.path}")
                listing = json.dumps([
                    {"id": "org/jax-model", "modelId": "org/jax-model", "tags": ["jax"],
                     "siblings": [{"rfilename": "flax_model.msgpack"}], "downloads": 3,
                     "createdAt": "2026-11-01T00:00:00.000Z"},
                    {"id": "org/pt", "modelId": "org/pt", "tags": ["pytorch"],
                     "siblings": [{"rfilename": "pytorch_model.bin"}], "downloads": 9,
                     "createdAt": "2026-11-02T00:00:00.000Z"},
                ]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(listing)))
                self.end_headers()
                self.wfile.write(listing)
                return
            if self._headers():
                self.wfile.write(body)
            else:
                self.wfile.write(json.dumps({"error": "not found"}).encode())

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()


def _env(endpoint: str, tmp_path: Path) -> dict[str, str]:
    return {"HF_ENDPOINT": endpoint, "HF_HUB_OFFLINE": "0", "FWATLAS_CACHE": str(tmp_path / "c"),
            "HF_HOME": str(tmp_path / "hf")}


def test_refresh_downloads_hub_stats_and_ingests_it(hub_server, tmp_path: Path, db: Path) -> None:
    endpoint, seen = hub_server
    run = run_cli("refresh", "hub", "--db", str(db), "--json", env=_env(endpoint, tmp_path))
    assert run.code == 0, run.err
    created = run.json()["created"]
    assert [c["rows"] for c in created] == [3]
    assert any("cfahlgren1/hub-stats/resolve/main/models.parquet" in s for s in seen)
    avail = run_cli("availability", "--db", str(db), "--json").json()
    assert avail["available"]["pytorch"] == 2 and avail["exclusive"]["tensorflow"] == 1


def test_refresh_with_limit_pages_list_models(hub_server, tmp_path: Path, db: Path) -> None:
    endpoint, seen = hub_server
    run = run_cli("refresh", "hub", "--limit", "2", "--db", str(db), "--json",
                  env=_env(endpoint, tmp_path))
    assert run.code == 0, run.err
    assert run.json()["created"][0]["rows"] == 2
    assert any(s.startswith("GET /api/models") and "full=" in s for s in seen)
    files = run_cli("availability", "--db", str(db), "--method", "files", "--json").json()
    assert files["exclusive"] == {"pytorch": 1.0, "tensorflow": 0.0, "jax": 1.0}


def test_refresh_against_a_closed_port_says_unreachable_and_exits_3(tmp_path: Path,
                                                                    db: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the with-block ends
    run = run_cli("refresh", "hub", "--db", str(db), env=_env(f"http://127.0.0.1:{port}", tmp_path))
    assert run.code == 3
    assert "unreachable" in run.err and "fwatlas ingest hub FILE" in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert not db.exists()


def test_refresh_offline_exits_3_without_touching_the_network(tmp_path: Path, db: Path) -> None:
    run = run_cli("refresh", "hub", "--db", str(db), env={"HF_HUB_OFFLINE": "1"})
    assert run.code == 3 and "HF_HUB_OFFLINE" in run.err


def test_a_cache_that_cannot_be_written_is_a_local_error_not_an_offline_hub(
        hub_server, tmp_path: Path, db: Path) -> None:
    endpoint, _ = hub_server
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")  # the cache would have to live inside a file
    env = {**_env(endpoint, tmp_path), "FWATLAS_CACHE": str(blocker)}
    run = run_cli("refresh", "hub", "--db", str(db), env=env)
    assert run.code == 2, run.err
    assert "cache" in run.err and "unreachable" not in run.err
