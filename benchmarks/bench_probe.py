"""The probe run's wall time and the share of it spent in process start-up and imports.

Runs `fwatlas.probe.orchestrate.run_probes` with `--force` semantics (no cache) in the probe
environment (`FWATLAS_PROBE_ENV`, else ~/.cache/fwatlas/probe-env) and prints the wall time,
the time from spawning each worker until it was ready (Python start-up), the frameworks' and
exporters' imports inside the workers, and what is left (exporting, loading, 50+50 timed runs).
Without a probe environment it says so and exits 0 (`make probe` builds one).
Run: .venv/bin/python benchmarks/bench_probe.py [--quick]   (quick: PyTorch paths, tiny only)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main() -> None:
    from fwatlas.probe.environment import default_env, env_python
    from fwatlas.probe.orchestrate import run_probes
    from fwatlas.probe.spec import load_spec

    env = Path(os.environ.get("FWATLAS_PROBE_ENV") or default_env())
    if not env_python(env).exists():
        print(f"bench_probe: no probe environment at {env} (make probe builds one); skipped")
        return
    quick = "--quick" in sys.argv
    spec = load_spec()
    paths = spec.select(["pytorch"] if quick else None)
    sizes = ("tiny",) if quick else ("tiny", "medium")
    with tempfile.TemporaryDirectory() as cache:
        s = run_probes(spec, env, paths=paths, sizes=sizes, force=True, cache=Path(cache))
    other = s.wall_s - s.startup_s - s.import_s
    print(f"probe run: {len(s.records)} probes ({len(paths)} paths × 2 models × "
          f"{len(sizes)} sizes) in {s.processes} processes: wall {s.wall_s:.1f} s")
    print(f"  process start-up {s.startup_s:.1f} s ({s.startup_s / s.wall_s:.0%}), "
          f"framework/exporter imports {s.import_s:.1f} s ({s.import_s / s.wall_s:.0%}), "
          f"export + load + timed runs {other:.1f} s ({other / s.wall_s:.0%})")
    print(f"  {sum(r.ok for r in s.records)} ok, "
          f"{sum(not r.ok and r.supported for r in s.records)} failed, "
          f"{sum(not r.supported for r in s.records)} unsupported by design")


if __name__ == "__main__":
    main()
