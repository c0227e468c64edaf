"""Read commands on a full store against the cold `fwatlas --help` of the same run.

Builds (untimed, cached under bench-data/) a store holding all of ../shared/data that the
readers accept, then times each read command in a fresh process, median of 5, and prints one
line per command: ``NAME: T s = R x --help``. Targets: each <= 5x --help, report <= 10x.
Those runs find the facts and the command's result stored beside the store by the warm-up run
(``fwatlas.store.fact_cache``, ``result_cache``), as a user's second run does; the lines
``NAME, uncached: T s = R x --help`` are the first run after an ingest, both removed first.
Run: .venv/bin/python benchmarks/bench_cli.py [--quick]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench-data"
SHARED = ROOT.parent / "shared" / "data"
FWATLAS = [sys.executable, "-m", "fwatlas"]
INPUTS = [
    ("hub", "hf_models_2022_sample/hf_models_2022-02-21.sample.jsonl.gz"),
    ("papers", "conference_papers"),
    ("papers", "conference_papers/published_counts.csv"),
    ("pypi-downloads", "pypi_downloads_monthly/pypi_framework_downloads_2018-2026.csv"),
    ("pypi-downloads", "pypi_downloads_monthly/top-pypi-packages_2026-04-01.min.json"),
    ("github", "best_of_ml_python_weekly"),
    ("github", "github_stars_dl_frameworks_daily"),
    ("jobs", "hn_whoishiring_terms/hn_whoishiring_terms_monthly_2011-04_to_2024-05.csv"),
    ("qa", "stackoverflow_ai_index_2020"),
    ("qa", "dsse_questions/all_questions_2014-05_to_2024-08.csv"),
    ("paper-code", "paper_code_2022_2025/code_links.csv"),
    ("coverage", "transformers_framework_coverage/transformers_arch_framework_coverage.csv"),
]
COMMANDS = ["facts", "verdict", "status", "availability", "research", "signals", "vitality",
            "deploy-matrix", "report"]


def full_store() -> Path:
    db = DATA / "bench_cli_full.duckdb"
    if db.exists():
        return db
    DATA.mkdir(exist_ok=True)
    for kind, rel in INPUTS:
        subprocess.run([*FWATLAS, "ingest", kind, str(SHARED / rel), "--db", str(db)],
                       check=True, capture_output=True)
    # scan takes the corpus's archives as paths (a folder's archives are not opened)
    archives = sorted(str(a) for a in (SHARED / "code_corpus").iterdir()
                      if a.suffix in (".whl", ".zip", ".gz"))
    subprocess.run([*FWATLAS, "scan", *archives, "--db", str(db)], check=True,
                   capture_output=True)
    registry = ROOT / "tests/signals/fixtures/registry"
    if registry.is_dir():
        subprocess.run([*FWATLAS, "ingest", "registry", str(registry), "--db", str(db)],
                       check=True, capture_output=True)
    return db


def forget(db: Path) -> None:
    """What an ingest removes: the cached facts and command results of the store."""
    import shutil

    db.with_name(db.name + ".facts.json").unlink(missing_ok=True)
    shutil.rmtree(db.with_name(db.name + ".results"), ignore_errors=True)


def cold(args: list[str], runs: int, db: Path, uncached: bool = False) -> float:
    # bytecode is written and used, as on a user's machine (an inherited
    # PYTHONDONTWRITEBYTECODE=1 would recompile every module in every run: ~0.15 s a command)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(HF_HUB_OFFLINE="1", FWATLAS_DB=str(db))
    subprocess.run([*FWATLAS, *args], check=True, env=env,  # warm-up: bytecode, OS caches
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    for _ in range(runs):
        if uncached:
            forget(db)
        t = time.perf_counter()
        subprocess.run([*FWATLAS, *args], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} is absent: the shared data are needed")
    runs = 3 if "--quick" in sys.argv else 5
    db = full_store()
    print(f"store: {db} ({db.stat().st_size / 2**20:.1f} MiB), median of {runs}")
    base = cold(["--help"], runs, db)
    print(f"--help: {base:.3f} s")
    for name in COMMANDS:
        extra = ["-o", str(DATA / "bench_cli_report.html")] if name == "report" else []
        t = cold([name, *extra], runs, db)
        print(f"{name}: {t:.3f} s = {t / base:.1f} x --help")
    for name in COMMANDS:
        extra = ["-o", str(DATA / "bench_cli_report.html")] if name == "report" else []
        t = cold([name, *extra], runs, db, uncached=True)
        print(f"{name}, uncached: {t:.3f} s = {t / base:.1f} x --help")


if __name__ == "__main__":
    main()
