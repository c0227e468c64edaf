"""Benchmark: ``refresh repos`` end to end – 1,000 repository archives served from 127.0.0.1,
downloaded, scanned in memory and stored – against the plain scan of the same archives from disk
(``fwatlas scan``'s local engine, also storing), in the same run.

The archives are synthetic GitHub-style tar.gz files (one top folder, git's pax header; 4–6
files: Python with PyTorch / TensorFlow / JAX / Keras / no framework imports, a requirements
file, a README, sometimes a notebook), written once under a temporary folder (not timed). A
server in a separate process (so it does not share the client's interpreter lock) answers
``/{owner}/{name}/tar.gz/HEAD``. Reported: repositories per second and the ratio to the plain
scan, per concurrency and scan-worker setting.

Run: ``.venv/bin/python benchmarks/bench_repo_archives.py`` (``--quick``: 200 archives).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import multiprocessing
import os
import random
import sys
import tarfile
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

IMPORTS = {"pytorch": "import torch\nimport torch.nn as nn\nfrom torch.utils.data import "
                      "DataLoader\n",
           "tensorflow": "import tensorflow as tf\nfrom tensorflow import keras\n",
           "jax": "import jax\nimport jax.numpy as jnp\nimport optax\n",
           "keras": "import keras\nfrom keras import layers\n",
           "none": "import numpy as np\nimport json\n"}
REQUIRES = {"pytorch": "torch>=2.0\ntorchvision\n", "tensorflow": "tensorflow>=2.12\n",
            "jax": "jax[cuda12]\nflax\n", "keras": "keras>=3\n", "none": "numpy\n"}
BODY = "".join(f"def step_{i}(x):\n    y = x * {i}\n    return y + {i}\n\n" for i in range(40))


def make_archive(i: int, rng: random.Random) -> bytes:
    fw = rng.choices(list(IMPORTS), weights=[70, 8, 6, 4, 12])[0]
    sha = hashlib.sha1(str(i).encode()).hexdigest()
    top = f"repo{i}-{sha[:7]}"
    files = {"train.py": IMPORTS[fw] + BODY, "model.py": IMPORTS[fw] + BODY,
             "utils/helpers.py": "import os\n" + BODY, "requirements.txt": REQUIRES[fw],
             "README.md": f"# repository {i}\n"}
    if rng.random() < 0.3:
        files["demo.ipynb"] = json.dumps({"cells": [{"cell_type": "code", "source":
                                                     [IMPORTS[fw]]}], "nbformat": 4})
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.PAX_FORMAT,
                      pax_headers={"comment": sha}) as tar:
        for rel, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"{top}/{rel}")
            info.size, info.mtime = len(data), 1_717_243_200 + i
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def serve(folder: str, port_queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            parts = self.path.strip("/").split("/")
            path = Path(folder) / f"{parts[1]}.tar.gz" if len(parts) == 4 else None
            if path is None or not path.is_file():
                body, code = b"not found", 404
            else:
                body, code = path.read_bytes(), 200
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Type", "application/x-gzip")
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_queue.put(server.server_address[1])
    server.serve_forever()


def fresh_store(tmp: Path, name: str, n: int) -> Path:
    from fwatlas.ingestion import ingest

    db = tmp / f"{name}.duckdb"
    links = tmp / "links.csv"
    if not links.exists():
        with links.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["venue", "year", "title", "repo_url"])
            w.writerows(["benchconf", 2025, f"Paper {i}", f"lab/repo{i}"] for i in range(n))
    ingest("paper-code", links, db=db, data_date=dt.date(2026, 12, 1))
    return db


def run_refresh(tmp: Path, n: int, concurrency: int, workers: int, label: str) -> float:
    from fwatlas.scan import rules
    from fwatlas.scan_store import ScanStore
    from fwatlas.sources.repo_archive_fetch import fetch_and_scan, linked_repos
    from fwatlas.store.atlas import open_writer

    db = fresh_store(tmp, label, n)
    with open_writer(db, components=["repos", "paper_code"]) as atlas:
        repos = linked_repos(atlas, None, None)
        start = time.perf_counter()
        store = ScanStore(atlas, origin="bench", scanner=rules.signature(),
                          data_date=dt.date.today(), data_date_source="download date")
        result = fetch_and_scan(store, repos, concurrency=concurrency, workers=workers,
                                progress=False, batch_size=100)
        seconds = time.perf_counter() - start
    assert result.scanned == n, (result.scanned, result.skipped[:3])
    return seconds


def run_plain(tmp: Path, folder: Path, n: int, workers: int, label: str) -> float:
    from fwatlas.scan import rules
    from fwatlas.scan.run import ScanRequest, collect_tasks, scan_tasks
    from fwatlas.scan_store import ScanStore
    from fwatlas.store.atlas import open_writer

    db = fresh_store(tmp, label, n)
    paths = [str(folder / f"repo{i}.tar.gz") for i in range(n)]
    with open_writer(db, components=["repos"]) as atlas:
        start = time.perf_counter()
        tasks, problems = collect_tasks(paths)
        store = ScanStore(atlas, origin="bench", scanner=rules.signature(),
                          data_date=dt.date(2026, 12, 1), data_date_source="bench")
        outcome = scan_tasks(ScanRequest(tasks=tasks, workers=workers, batch_size=100),
                             sink=store.write)
        store.finish()
        seconds = time.perf_counter() - start
    assert len(outcome.results) == n and not problems
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("-n", type=int, default=None)
    args = parser.parse_args()
    n = args.n or (200 if args.quick else 1000)
    rng = random.Random(13)
    with tempfile.TemporaryDirectory(prefix="fwatlas-bench-archives-") as tmp_text:
        tmp = Path(tmp_text)
        folder = tmp / "archives"
        folder.mkdir()
        size = 0
        for i in range(n):
            data = make_archive(i, rng)
            size += len(data)
            (folder / f"repo{i}.tar.gz").write_bytes(data)
        ctx = multiprocessing.get_context("spawn")
        ports: multiprocessing.Queue = ctx.Queue()  # type: ignore[type-arg]
        server = ctx.Process(target=serve, args=(str(folder), ports), daemon=True)
        server.start()
        try:
            port = ports.get(timeout=30)
            os.environ["FWATLAS_GITHUB_ARCHIVE_URL"] = f"http://127.0.0.1:{port}"
            print(f"{n:,} archives, {size / 1e6:.1f} MB compressed, served from 127.0.0.1:"
                  f"{port} (a separate process); {os.cpu_count()} CPUs")
            plain = {w: run_plain(tmp, folder, n, w, f"plain{w}") for w in (1, 2)}
            for w, s in plain.items():
                print(f"plain scan from disk (fwatlas scan, local engine, {w} worker"
                      f"{'s' if w > 1 else ''}, stored): {s:.2f} s, {n / s:,.0f} repos/s")
            base = plain[1]
            for concurrency, workers in ((8, 1), (16, 1), (8, 2)):
                s = run_refresh(tmp, n, concurrency, workers, f"refresh{concurrency}_{workers}")
                scan_kind = "scan in 1 thread" if workers == 1 else f"scan in {workers} processes"
                print(f"refresh repos (download + in-memory scan + store; concurrency "
                      f"{concurrency}, {scan_kind}): {s:.2f} s, {n / s:,.0f} repos/s, "
                      f"{base / s:.2f}x the 1-worker plain scan, "
                      f"{plain[2] / s:.2f}x the 2-worker one")
        finally:
            server.terminate()
            server.join(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
