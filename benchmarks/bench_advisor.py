"""Cold-start speed of `fwatlas --help` and `fwatlas advise` (targets: 250 ms and 500 ms).

Each figure is the median wall time of several fresh interpreter runs; the baseline is a bare
`python -c pass` measured in the same run, so the ratio says what fwatlas adds. Also times the
library call `advise()` (warm, in process) and a full `changes_if` re-evaluation.
Run: .venv/bin/python benchmarks/bench_advisor.py [--quick]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time


def cold(args: list[str], runs: int) -> float:
    """Median wall seconds of ``python ARGS`` in a fresh process."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "FWATLAS_DB": "/nonexistent/fwatlas.duckdb"}
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    quick = "--quick" in sys.argv
    runs = 3 if quick else 9
    base = cold(["-c", "pass"], runs)
    print(f"baseline python -c pass: {base * 1000:.0f} ms (median of {runs})")
    cases = [
        ("fwatlas --help", ["-m", "fwatlas", "--help"], 0.250),
        ("fwatlas advise --persona industry", ["-m", "fwatlas", "advise", "--persona",
                                               "industry"], 0.500),
        ("fwatlas advise --persona industry --json", ["-m", "fwatlas", "advise", "--persona",
                                                      "industry", "--json"], 0.500),
        ("fwatlas advise --persona beginner --experience keras --need pythonic",
         ["-m", "fwatlas", "advise", "--persona", "beginner", "--experience", "keras",
          "--need", "pythonic"], 0.500),
    ]
    for label, args, target in cases:
        t = cold(args, runs)
        verdict = "ok" if t < target else "OVER TARGET"
        print(f"{label}: {t * 1000:.0f} ms (target {target * 1000:.0f} ms, {verdict}); "
              f"{t / base:.1f}x baseline")

    from fwatlas.advisor import advise, situation
    from fwatlas.kb import load_kb

    t = time.perf_counter()
    kb = load_kb(None)
    load_ms = (time.perf_counter() - t) * 1000
    s = situation("industry", targets=["mobile"], needs=["audio-video"])
    n = 5 if quick else 30
    t = time.perf_counter()
    for _ in range(n):
        advise(s, kb=kb, with_changes=False)
    one = (time.perf_counter() - t) / n * 1000
    t = time.perf_counter()
    for _ in range(n):
        advise(s, kb=kb)
    full = (time.perf_counter() - t) / n * 1000
    print(f"load_kb (first, validated): {load_ms:.1f} ms; advise() warm: {one:.2f} ms; "
          f"with changes_if ({len(advise(s, kb=kb).changes_if)} changes found): {full:.1f} ms "
          f"({full / one:.0f}x one evaluation)")


if __name__ == "__main__":
    main()
