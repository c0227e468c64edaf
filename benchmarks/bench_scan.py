"""Benchmark: repository scanning – files/s and MB/s on the real code corpus, and the
per-repository overhead on a synthetic corpus of small repositories.

1. The real corpus (``../shared/data/code_corpus``: 38 wheels/sdists, ~5,000 Python files,
   ~52 MB of source once decompressed), scanned in one run by
   - the baseline the issue names: ``ast.parse`` of every Python file, one process (reading the
     archives included, scoring not);
   - ``fwatlas scan --full-parse`` logic (ast for every file), 1 worker;
   - the local engine (cheap first pass, ast where needed) with 1 and with 2 workers;
   - the Ray engine on a local instance (``ray.init(num_cpus=2)``; its start-up timed apart).
   Reported: seconds, Python files/s, files/s, MB/s (decompressed bytes read), and each
   figure's ratio to the baseline. The target: ≥ 2,000 Python files/s with 2 workers.
2. A synthetic corpus of 10,000 small repositories (3 files each; written once under
   ``bench-data/scan``; generation not timed), scanned by the local engine at 1 and 2 workers
   (also with the store's batched writes) and by Ray: repositories/s and milliseconds per
   repository – the fixed cost of a task, which dominates at this size.

Run: ``.venv/bin/python benchmarks/bench_scan.py`` (``--quick``: 1,000 repositories; ``--no-ray``).
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import os
import shutil
import sys
import tarfile
import tempfile
import time
import warnings
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "code_corpus"
DATA = ROOT / "bench-data" / "scan"

FRAMEWORK_LINES = ("import torch\nimport torch.nn as nn\n", "import tensorflow as tf\n",
                   "import jax\nimport jax.numpy as jnp\n", "import keras\n", "import numpy\n")


def archives() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix == ".whl" or p.name.endswith(".gz"))


def baseline_ast(paths: list[Path]) -> tuple[float, int, int]:
    """(seconds, Python files, bytes): read every .py member and ast.parse it, one process."""
    started = time.perf_counter()
    files = size = 0
    for path in paths:
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as z:
                members = [(n, z.read(n)) for n in z.namelist() if n.endswith(".py")]
        else:
            with tarfile.open(path) as t:
                members = []
                for m in t.getmembers():
                    f = t.extractfile(m) if m.isfile() and m.name.endswith(".py") else None
                    if f is not None:
                        members.append((m.name, f.read()))
        for _, data in members:
            files += 1
            size += len(data)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    ast.parse(data)
                except (SyntaxError, ValueError):
                    pass
    return time.perf_counter() - started, files, size


def run(tasks: list, engine: str, workers: int, options: object = None) -> tuple[float, Any]:
    from fwatlas.scan.detect import ScanOptions
    from fwatlas.scan.run import ScanRequest, scan_tasks

    request = ScanRequest(tasks=tasks, engine=engine, workers=workers,
                          options=options if isinstance(options, ScanOptions) else ScanOptions())
    started = time.perf_counter()
    outcome = scan_tasks(request)
    return time.perf_counter() - started, outcome


def synthetic(n: int) -> Path:
    """n small repositories (a model file, a helper, a requirements file) under bench-data."""
    folder = DATA / f"synthetic-{n}"
    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    for i in range(n):
        repo = folder / f"repo{i:05d}"
        (repo / "pkg").mkdir(parents=True)
        fw = FRAMEWORK_LINES[i % len(FRAMEWORK_LINES)]
        (repo / "pkg" / "model.py").write_text(f'"""Model {i}."""\n{fw}\n\ndef f(x):\n'
                                               "    return x\n")
        (repo / "pkg" / "util.py").write_text("import os\n\nPATH = os.getcwd()\n")
        (repo / "requirements.txt").write_text("numpy\n" + ("torch\n" if i % 2 else ""))
    (folder / "done").write_text("")
    return folder


def line(name: str, seconds: float, py_files: int, files: int, size: int,
         base_rate: float) -> None:
    rate = py_files / seconds
    print(f"{name:<34} {seconds:7.2f} s {rate:9,.0f} py files/s {files / seconds:9,.0f} files/s "
          f"{size / seconds / 1e6:7.1f} MB/s  ×{rate / base_rate:5.2f} vs baseline", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 synthetic repositories")
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray runs")
    parser.add_argument("--repos", type=int, default=None, help="synthetic repositories")
    args = parser.parse_args()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")  # a throwaway local instance
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent")
        return 0
    from fwatlas.scan.detect import ScanOptions
    from fwatlas.scan.run import collect_tasks

    paths = archives()
    tasks, _ = collect_tasks([str(p) for p in paths])
    print(f"machine: {os.cpu_count()} CPUs; corpus: {len(paths)} archives, {CORPUS}")
    print("\n1. Real corpus")
    base_s, py_files, py_bytes = baseline_ast(paths)
    base_rate = py_files / base_s
    print(f"{'baseline: ast.parse every file':<34} {base_s:7.2f} s {base_rate:9,.0f} py files/s"
          f" {'':>19} {py_bytes / base_s / 1e6:7.1f} MB/s  (×1.00)")
    results = {}
    for name, engine, workers, options in (
            ("fwatlas --full-parse, 1 worker", "local", 1, ScanOptions(full_parse=True)),
            ("local engine, 1 worker", "local", 1, ScanOptions()),
            ("local engine, 2 workers", "local", 2, ScanOptions())):
        seconds, outcome = run(tasks, engine, workers, options=options)
        results[name] = outcome
        line(name, seconds, py_files, outcome.files, outcome.bytes_read, base_rate)
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("a", "b"):
            (Path(tmp) / name).mkdir()
            (Path(tmp) / name / "m.py").write_text("import torch\n")
        two, _ = collect_tasks([str(Path(tmp) / "a"), str(Path(tmp) / "b")])
        seconds, _ = run(two, "local", 2)
    print(f"{'local pool start-up (2 workers)':<34} {seconds:7.2f} s  (two tiny repositories: "
          "the fixed cost inside each pool figure)")
    ray = None
    if not args.no_ray:
        try:
            import ray
        except ImportError:
            print("Ray runs skipped: the `ray` extra is not installed")
    if ray is not None:
        started = time.perf_counter()
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                 logging_level="ERROR")
        print(f"{'Ray local instance start-up':<34} {time.perf_counter() - started:7.2f} s")
        seconds, outcome = run(tasks, "ray", 2)
        line("Ray engine, 2 CPUs (warm-up)", seconds, py_files, outcome.files,
             outcome.bytes_read, base_rate)
        seconds, outcome = run(tasks, "ray", 2)
        line("Ray engine, 2 CPUs", seconds, py_files, outcome.files, outcome.bytes_read,
             base_rate)
        same = [(r.primary, r.frameworks) for r in outcome.results] == \
            [(r.primary, r.frameworks) for r in results["local engine, 1 worker"].results]
        print(f"   Ray rows equal the local engine's: {same}")
    local = results["local engine, 1 worker"].results
    full = results["fwatlas --full-parse, 1 worker"].results
    print("   cheap pass vs full parse, same primary and weights on every package: "
          f"{[(r.primary, r.frameworks) for r in local] == [(r.primary, r.frameworks) for r in full]}")

    n = args.repos or (1_000 if args.quick else 10_000)
    print(f"\n2. Synthetic corpus: {n:,} small repositories (3 files each; generation not timed)")
    folder = synthetic(n)
    syn_tasks, _ = collect_tasks([str(p) for p in sorted(folder.iterdir()) if p.is_dir()])
    runs = [("local engine, 1 worker", "local", 1), ("local engine, 2 workers", "local", 2)]
    if ray is not None:
        runs.append(("Ray engine, 2 CPUs", "ray", 2))
    first = None
    for name, engine, workers in runs:
        seconds, outcome = run(syn_tasks, engine, workers)
        first = first or seconds
        print(f"{name:<34} {seconds:7.2f} s {n / seconds:9,.0f} repos/s "
              f"{1000 * seconds / n:7.2f} ms/repo  ×{first / seconds:5.2f} vs 1 worker",
              flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        from fwatlas.scan import rules
        from fwatlas.scan.run import ScanRequest, scan_tasks
        from fwatlas.scan_store import ScanStore
        from fwatlas.store.atlas import open_writer

        with open_writer(Path(tmp) / "bench.duckdb", components=["repos"]) as atlas:
            store = ScanStore(atlas, origin="bench", scanner=rules.signature(),
                              data_date=dt.date.today(), data_date_source="scan date")
            started = time.perf_counter()
            scan_tasks(ScanRequest(tasks=syn_tasks, workers=2), sink=store.write)
            store.finish()
            seconds = time.perf_counter() - started
        print(f"{'local, 2 workers + store batches':<34} {seconds:7.2f} s {n / seconds:9,.0f} "
              f"repos/s {1000 * seconds / n:7.2f} ms/repo")
    if ray is not None:
        ray.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
