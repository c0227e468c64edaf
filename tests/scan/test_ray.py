"""The Ray engine against a real Ray cluster started here (`ray start --head`): the same rows
as the local engine, computed in Ray worker processes, within 120 seconds in all."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli, shared_path
from tests.scan.conftest import write_tree

BUDGET_S = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the head we started – its own process group only, never `ray stop` (which would
    stop every Ray process of this user on the machine)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


@pytest.mark.slow
def test_ray_cluster_scan_equals_the_local_engine(tmp_path: Path):
    pytest.importorskip("ray", reason="the `ray` extra is not installed")
    started = time.monotonic()
    corpus = shared_path("data", "code_corpus")
    inputs = [str(corpus / "einops-0.8.2-py3-none-any.whl"),
              str(corpus / "lpips-0.1.4-py3-none-any.whl"),
              str(write_tree(tmp_path / "tf", {"m.py": "import tensorflow as tf\n"})),
              str(write_tree(tmp_path / "jx", {"m.py": "import jax\n", "n.py": "import os\n"}))]
    local = run_cli("scan", *inputs, "--db", str(tmp_path / "local.duckdb"), "--json",
                    "--workers", "1")
    assert local.code == 0, local.err

    port = _free_port()
    temp = tempfile.mkdtemp(prefix="fwr", dir="/tmp")  # Ray's socket paths must stay short
    # a throwaway loopback cluster: no usage stats, no token (nothing written to ~/.ray)
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
    ray_exe = str(Path(sys.executable).with_name("ray"))
    log = tmp_path / "ray-head.log"
    with log.open("wb") as out:
        head = subprocess.Popen(
            [ray_exe, "start", "--head", "--block", "--num-cpus", "2",
             "--include-dashboard=false", "--disable-usage-stats", "--port", str(port),
             "--temp-dir", temp],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        while b"Ray runtime started" not in log.read_bytes():
            assert head.poll() is None, log.read_text(errors="replace")[-2000:]
            assert time.monotonic() - started < 60, "the Ray head did not start in 60 s"
            time.sleep(0.5)
        # the head's own address (its node IP: the loopback where no other interface exists)
        found = re.search(rb"ray start --address='([^']+)'", log.read_bytes())
        address = found.group(1).decode() if found else f"127.0.0.1:{port}"
        left = BUDGET_S - (time.monotonic() - started) - 20
        proc = subprocess.run(
            [sys.executable, "-m", "fwatlas", "scan", *inputs, "--engine", "ray",
             "--ray-address", address, "--db", str(tmp_path / "ray.duckdb"),
             "--json"], capture_output=True, text=True, env=env, timeout=max(10, left))
        assert proc.returncode == 0, proc.stderr[-3000:]
    finally:
        _stop(head)
        shutil.rmtree(temp, ignore_errors=True)
    assert time.monotonic() - started < BUDGET_S

    import json

    ray_out = json.loads(proc.stdout)
    assert ray_out["engine"]["name"] == "ray"
    workers = ray_out["engine"]["worker_processes"]
    assert workers and ray_out["engine"]["driver_process"] not in workers

    def strip(rows: list[dict]) -> list[dict]:
        return [{k: v for k, v in r.items() if k != "snapshot_id"} for r in rows]

    assert strip(ray_out["rows"]) == strip(local.json()["rows"])
    assert [r["primary"] for r in ray_out["rows"]] == ["multi", "pytorch", "tensorflow", "jax"]
