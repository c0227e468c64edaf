"""`coverage`, `refresh coverage` and `refresh paper-code` against a PyPI / Paper Copilot stand-in
on 127.0.0.1 serving wheels and lists built here; the bundled releases checked against the shared
CSV read here with the standard library; one live test counts a real wheel from PyPI."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import run_cli, shared_path


def build_wheel(files: list[str], stamp: tuple[int, ...] = (2026, 1, 26, 10, 0, 0)) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in files:
            zf.writestr(zipfile.ZipInfo(name, stamp), "# model code\n")
        zf.writestr(zipfile.ZipInfo("transformers-x.dist-info/METADATA", stamp), "Name: t\n")
    return buf.getvalue()


V4 = build_wheel([
    "transformers/__init__.py",
    "transformers/modeling_tf_pytorch_utils.py",
    "transformers/models/auto/modeling_auto.py", "transformers/models/auto/modeling_tf_auto.py",
    "transformers/models/bert/modeling_bert.py", "transformers/models/bert/modeling_tf_bert.py",
    "transformers/models/bert/modeling_flax_bert.py",
    "transformers/models/gpt2/modeling_gpt2.py", "transformers/models/gpt2/modeling_tf_gpt2.py",
    "transformers/models/llama/modeling_llama.py",
    "transformers/models/llama/tokenization_llama.py",
    "transformers/models/deprecated/old/modeling_old.py",
    "transformers/models/deprecated/old/modeling_tf_old.py",
], stamp=(2025, 3, 4, 10, 0, 0))
V5 = build_wheel([
    "transformers/models/bert/modeling_bert.py", "transformers/models/gpt2/modeling_gpt2.py",
    "transformers/models/llama/modeling_llama.py", "transformers/models/qwen3/modeling_qwen3.py",
])
V3 = build_wheel([
    "transformers/modeling_utils.py", "transformers/modeling_tf_utils.py",
    "transformers/modeling_auto.py", "transformers/modeling_tf_auto.py",
    "transformers/modeling_bert.py", "transformers/modeling_tf_bert.py",
    "transformers/modeling_gpt2.py",
], stamp=(2020, 6, 29, 1, 0, 0))


@dataclass
class Service:
    url: str
    wheels: dict[str, bytes] = field(default_factory=dict)
    lists: dict[str, bytes] = field(default_factory=dict)
    bad_digest: set[str] = field(default_factory=set)
    log: list[str] = field(default_factory=list)


@pytest.fixture
def service() -> Iterator[Service]:
    state = Service(url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            state.log.append(self.path)
            parts = self.path.strip("/").split("/")
            if parts == ["pypi", "transformers", "json"]:
                releases = {}
                for version, wheel in state.wheels.items():
                    name = f"transformers-{version}-py3-none-any.whl"
                    digest = hashlib.sha256(wheel).hexdigest()
                    if version in state.bad_digest:
                        digest = "0" * 64
                    releases[version] = [
                        {"filename": f"transformers-{version}.tar.gz", "packagetype": "sdist",
                         "url": f"{state.url}/files/nothing", "digests": {}},
                        {"filename": name, "packagetype": "bdist_wheel",
                         "url": f"{state.url}/files/{name}", "digests": {"sha256": digest}}]
                releases["0.9.0"] = []  # a release without files
                return self._send(200, json.dumps({"info": {}, "releases": releases}).encode())
            if parts[0] == "files" and len(parts) == 2:
                version = parts[1].split("-")[1]
                if version in state.wheels:
                    return self._send(200, state.wheels[version])
            if len(parts) == 2 and "/".join(parts) in state.lists:
                return self._send(200, state.lists["/".join(parts)])
            return self._send(404, b"404: Not Found")

        def _send(self, code: int, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _env(service: Service, tmp_path: Path) -> dict[str, str]:
    return {"FWATLAS_PYPI_URL": service.url, "FWATLAS_PAPERLISTS_URL": service.url,
            "FWATLAS_CACHE": str(tmp_path / "cache"), "FWATLAS_HTTP_BACKOFF": "0.01"}


def test_count_wheel_follows_the_data_sets_method() -> None:
    from fwatlas.sources.coverage import count_wheel

    v4 = count_wheel(V4, version="4.50.0")
    # by hand: bert (pt, tf, flax), gpt2 (pt, tf), llama (pt); auto is a helper, old deprecated
    assert (v4.architectures, v4.pytorch, v4.tensorflow, v4.jax, v4.deprecated) == (3, 3, 2, 1, 1)
    assert v4.release_date.isoformat() == "2025-03-04"
    v3 = count_wheel(V3, version="3.0.0")  # flat layout: bert (pt, tf), gpt2 (pt)
    assert (v3.architectures, v3.pytorch, v3.tensorflow, v3.jax) == (2, 2, 1, 0)


def test_refresh_coverage_counts_the_wheels_and_coverage_reads_them(service, tmp_path, db):
    service.wheels.update({"4.50.0": V4, "5.0.0": V5})
    env = _env(service, tmp_path)
    run = run_cli("refresh", "coverage", "--versions", "4.50.0", "--versions", "5.0.0",
                  "--versions", "9.9.9", "--db", str(db), "--json", env=env)
    assert run.code == 0, run.err
    assert any("9.9.9" in n and "no such release" in n for n in run.json()["notes"])
    cov = run_cli("coverage", "--json", "--db", str(db)).json()
    assert cov["sources"][0]["dataset"] == "coverage/transformers"
    assert not cov["sources"][0]["snapshot_id"].startswith("ref:")
    rows = {r["version"]: r for r in cov["rows"]}
    assert list(rows) == ["4.50.0", "5.0.0"]
    assert (rows["5.0.0"]["architectures"], rows["5.0.0"]["tensorflow"]) == (4, 0)
    assert rows["4.50.0"]["tensorflow_share"] == pytest.approx(2 / 3)
    assert rows["4.50.0"]["n"] == 3 and rows["4.50.0"]["tensorflow_share_ci95"][0] > 0.2
    assert rows["5.0.0"]["date"] == "2026-01-26"


def test_a_wheel_whose_digest_differs_is_skipped_and_none_known_is_exit_1(service, tmp_path,
                                                                           db):
    service.wheels.update({"4.50.0": V4, "5.0.0": V5})
    service.bad_digest.add("5.0.0")
    env = _env(service, tmp_path)
    run = run_cli("refresh", "coverage", "--versions", "4.50.0", "--versions", "5.0.0",
                  "--db", str(db), "--json", env=env)
    assert run.code == 0 and any("sha256" in n for n in run.json()["notes"])
    missing = run_cli("refresh", "coverage", "--versions", "0.0.1", "--db", str(db), env=env)
    assert missing.code == 1, missing.err


def test_the_bundled_releases_are_the_shared_data_sets_17(db):
    path = shared_path("data", "transformers_framework_coverage",
                       "transformers_arch_framework_coverage.csv")
    with path.open(encoding="utf-8") as f:
        oracle = {r["version"]: r for r in csv.DictReader(f)}
    cov = run_cli("coverage", "--json", "--db", str(db)).json()
    assert cov["sources"][0]["snapshot_id"].startswith("ref:coverage/transformers@")
    assert [r["version"] for r in cov["rows"]] == list(oracle)
    assert len(oracle) == 17
    for r in cov["rows"]:
        o = oracle[r["version"]]
        assert (r["architectures"], r["pytorch"], r["tensorflow"], r["jax"]) == (
            int(o["n_arch_any"]), int(o["n_pytorch"]), int(o["n_tensorflow"]), int(o["n_flax"]))
        assert r["tensorflow_share"] == pytest.approx(float(o["share_tf"]), abs=5e-5)
        assert r["date"] == o["wheel_build_date"]


def test_refresh_paper_code_fetches_the_list_and_ingests_it(service, tmp_path, db):
    service.lists["cvpr/cvpr2024.json"] = json.dumps([
        {"title": "A", "status": "Poster", "github": "https://github.com/a/a"},
        {"title": "B", "status": "Poster", "github": ""},
    ]).encode()
    env = _env(service, tmp_path)
    run = run_cli("refresh", "paper-code", "--venue", "cvpr", "--year", "2024", "--db", str(db),
                  "--json", env=env)
    assert run.code == 0, run.err
    [made] = run.json()["created"]
    assert made["dataset"] == "paper-code/cvpr_2024" and made["rows"] == 1
    assert "/cvpr/cvpr2024.json" in service.log
    unknown = run_cli("refresh", "paper-code", "--venue", "neurips", "--year", "2024",
                      "--db", str(db), env=env)
    assert unknown.code == 1
    usage = run_cli("refresh", "paper-code", "--db", str(db), env=env)
    assert usage.code == 2 and "--venue" in usage.err


def test_offline_refreshes_exit_3(tmp_path, db):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"FWATLAS_PYPI_URL": f"http://127.0.0.1:{port}",
           "FWATLAS_PAPERLISTS_URL": f"http://127.0.0.1:{port}",
           "FWATLAS_CACHE": str(tmp_path / "cache"), "FWATLAS_HTTP_BACKOFF": "0.01"}
    assert run_cli("refresh", "coverage", "--versions", "5.0.0", "--db", str(db),
                   env=env).code == 3
    assert run_cli("refresh", "paper-code", "--venue", "cvpr", "--year", "2024", "--db",
                   str(db), env=env).code == 3
    assert not db.exists()


@pytest.mark.live
def test_live_pypi_wheel_of_3_0_0_counts_as_the_data_set_says(tmp_path):  # pragma: no cover
    from fwatlas.sources.coverage_fetch import fetch_releases

    [release], skipped = fetch_releases(["3.0.0"])
    assert not skipped
    assert (release.architectures, release.pytorch, release.tensorflow, release.jax) == (
        25, 25, 17, 0)
