"""The probe worker: runs a list of probes of one path inside the probe environment.

Started by ``fwatlas.probe.orchestrate`` as ``<env python> worker.py JOBFILE``. It speaks JSON
lines on its own copy of stdout (frameworks' chatter is sent to stderr), one event per step, so
the orchestrator knows which probe and stage were running when a process crashed or hung:

- ``{"event": "ready"}`` once the worker itself is up (numpy imported),
- ``{"event": "start", "index": i}``, ``{"event": "stage", "index": i, "stage": S}``,
- ``{"event": "imported", "index": i, "seconds": t}`` (the framework import of the first probe),
- ``{"event": "result", "index": i, "record": {...}}``.

Only the standard library and numpy are imported at the top; the path's ``impl`` module
(``module:name``) imports its framework. Every runtime is pinned to one thread by the
environment variables set here before any framework loads, and by each impl module.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
import time
import traceback
from pathlib import Path
from typing import Any

THREAD_ENV = {
    "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
    "TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0",
}

_PROTO: Any = None


def emit(**event: Any) -> None:
    _PROTO.write(json.dumps(event) + "\n")
    _PROTO.flush()


def key_line(exc: BaseException) -> str:
    """The error's type and its first meaningful line (what a reader needs to recognise it)."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text[:300]


def tree_bytes(path: Path) -> int:
    """Bytes of an artifact folder: every file, sidecars (``.onnx.data``) included."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def timed(fn: Any, x: Any, warmup: int, runs: int) -> tuple[float, float, float]:
    """Median, p10 and p90 of ``runs`` batch-1 calls after ``warmup`` calls, in ms."""
    import numpy as np

    for _ in range(warmup):
        fn(x)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn(x)
        times.append((time.perf_counter() - t0) * 1000.0)
    p10, med, p90 = np.percentile(times, [10, 50, 90])
    return float(med), float(p10), float(p90)


def run_probe(index: int, job: dict[str, Any], settings: dict[str, Any],
              workdir: Path) -> dict[str, Any]:
    import numpy as np
    from refmodels import example_input

    path = job["path"]
    rec: dict[str, Any] = {"ok": False, "supported": True, "stage": None, "error": None,
                           "export_s": None, "artifact_bytes": None, "latency_ms": None,
                           "latency_p10_ms": None, "latency_p90_ms": None,
                           "source_latency_ms": None, "max_abs_diff": None}
    stage = "export"
    try:
        emit(event="stage", index=index, stage=stage)
        module_name, name = path["impl"].split(":")
        t0 = time.perf_counter()
        module = importlib.import_module(module_name)
        impl = module.PATHS[name]
        if impl.prepare is not None:
            impl.prepare()
        emit(event="imported", index=index, seconds=time.perf_counter() - t0)
        seed = int(settings["seed"])
        x = example_input(job["model"], job["size"], seed)
        source = module.build(job["model"], job["size"], seed)
        expected = np.asarray(source(x))
        rec["source_latency_ms"] = timed(source, x, settings["warmup"], settings["runs"])[0]
        out = workdir / f"probe-{index}"
        out.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        artifact = impl.export(source, x, out)
        rec["export_s"] = time.perf_counter() - t0
        rec["artifact_bytes"] = tree_bytes(out)
        stage = "load"
        emit(event="stage", index=index, stage=stage)
        runner = impl.load(Path(artifact), x)
        stage = "run"
        emit(event="stage", index=index, stage=stage)
        got = np.asarray(runner(x))
        med, p10, p90 = timed(runner, x, settings["warmup"], settings["runs"])
        rec.update(latency_ms=med, latency_p10_ms=p10, latency_p90_ms=p90)
        stage = "parity"
        emit(event="stage", index=index, stage=stage)
        if got.shape != expected.shape:
            raise ValueError(f"output shape {list(got.shape)} != source {list(expected.shape)}")
        diff = float(np.max(np.abs(got.astype(np.float64) - expected.astype(np.float64))))
        rec["max_abs_diff"] = diff
        tol = float(settings["parity_tolerance"])
        if not diff <= tol:  # NaN fails too
            raise ValueError(f"max |Δ| {diff:.3g} exceeds the tolerance {tol:g}")
        rec["ok"] = True
    except Exception as exc:  # noqa: BLE001 - any failure is this probe's record
        traceback.print_exc(file=sys.stderr)
        rec["stage"] = stage
        rec["error"] = key_line(exc).replace(str(workdir), "<workdir>")
        pattern = path.get("unsupported_when")
        if stage == "export" and pattern and re.search(pattern, f"{exc}\n{rec['error']}"):
            rec["supported"] = False
    return rec


def main(jobfile: str) -> int:
    global _PROTO
    _PROTO = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything a framework prints goes to stderr, never into the protocol
    spec = json.loads(Path(jobfile).read_text("utf-8"))
    for key, value in {**THREAD_ENV, **spec.get("env", {})}.items():
        os.environ[key] = value
    sys.path.insert(0, str(Path(__file__).parent))
    import numpy  # noqa: F401 - part of the worker's own start-up, not the framework's

    emit(event="ready")
    workdir = Path(spec["workdir"])
    for job in spec["jobs"]:
        emit(event="start", index=job["index"])
        record = run_probe(job["index"], job, spec["settings"], workdir)
        emit(event="result", index=job["index"], record=record)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
