"""Run every benchmark (``benchmarks/bench_*.py``) in turn; pass ``--quick`` for small sizes.

Each benchmark prints its own figures and ratios against a baseline measured in the same run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    failed = []
    for bench in sorted(here.glob("bench_*.py")):
        print(f"\n=== {bench.name} ===", flush=True)
        code = subprocess.call([sys.executable, str(bench), *sys.argv[1:]])
        if code != 0:
            failed.append(bench.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
