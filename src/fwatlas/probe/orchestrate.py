"""Running probes: one worker process per path, a timeout per probe, a cache by versions.

A worker that crashes, hangs or is killed for memory takes only the probe it was running: that
probe becomes a failed record at the stage the worker last announced, and the path's remaining
probes go to a fresh process. Results are cached per probe under a key made of the path's
declaration, the model and size, the measurement settings, the worker's own code and the exact
versions installed of the path's packages, so a re-run with nothing changed measures nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import queue
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from fwatlas import settings
from fwatlas.probe.environment import Installed, env_python, installed
from fwatlas.probe.records import ProbeRecord, from_dict
from fwatlas.probe.spec import PathSpec, ProbeSpec

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, eq=False)  # one object per probe of a run (keyed by identity)
class Job:
    path: PathSpec
    model: str
    size: str


@dataclass
class RunSummary:
    """What a run did and where its time went (the benchmark reads the shares)."""

    records: list[ProbeRecord] = field(default_factory=list)
    measured: int = 0
    cached: int = 0
    processes: int = 0
    wall_s: float = 0.0
    startup_s: float = 0.0   # process spawn until the worker said "ready"
    import_s: float = 0.0    # the frameworks' and exporters' imports inside the workers

    def as_dict(self) -> dict[str, Any]:
        return {"records": len(self.records), "measured": self.measured, "cached": self.cached,
                "processes": self.processes, "wall_s": self.wall_s, "startup_s": self.startup_s,
                "import_s": self.import_s,
                "ok": sum(r.ok for r in self.records),
                "failed": sum(not r.ok and r.supported for r in self.records),
                "unsupported": sum(not r.supported for r in self.records)}


def runtime_dir() -> Path:
    return Path(str(resources.files("fwatlas.probe").joinpath("runtime")))


#: Worker-side modules every probe runs (a path's own impl module is added per path).
_SHARED_CODE = ("worker.py", "refmodels.py", "runtimes.py")


@dataclass(frozen=True)
class _Fingerprint:
    """Hashes of the worker-side sources: a probe's key holds the shared modules and its own
    impl module, so a fix to one framework's code re-measures only that framework's paths."""

    files: dict[str, str]

    @staticmethod
    def of(dirs: list[Path]) -> _Fingerprint:
        files: dict[str, str] = {}
        for d in dirs:
            for f in sorted(d.glob("*.py")):
                files.setdefault(f.stem, hashlib.sha256(f.read_bytes()).hexdigest())
        return _Fingerprint(files)

    def code(self, path: PathSpec) -> list[str | None]:
        module = path.impl.split(":")[0]
        return [self.files.get(Path(n).stem) for n in _SHARED_CODE] + [self.files.get(module)]


def machine() -> dict[str, Any]:
    """The CPU, its cores and the load average now (latency on a shared box needs them)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {"cpu": cpu, "cores": os.cpu_count(), "load_avg": load,
            "os": f"{platform.system()} {platform.release()}",
            "measured_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()}


def cache_key(job: Job, spec: ProbeSpec, have: Installed, fp: _Fingerprint) -> str:
    data = {"path": job.path.as_dict(), "model": job.model, "size": job.size,
            "settings": spec.settings(), "versions": have.versions_of(job.path.packages),
            "code": fp.code(job.path)}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def default_cache() -> Path:
    return settings.cache_dir() / "probe" / "records"


def run_probes(spec: ProbeSpec, env: Path, *, paths: tuple[PathSpec, ...] | None = None,
               models: tuple[str, ...] = ("cnn", "block"),
               sizes: tuple[str, ...] = ("tiny", "medium"), force: bool = False,
               timeout_s: float | None = None, cache: Path | None = None,
               python: Path | None = None, extra_pythonpath: tuple[Path, ...] = (),
               progress: Progress | None = None) -> RunSummary:
    """Run every (path, model, size) probe; return records in path, model, size order.

    ``python`` and ``extra_pythonpath`` let tests run the real worker with a stand-in
    framework; everything else is the same code path as a real run.
    """
    t_start = time.perf_counter()
    chosen = paths if paths is not None else spec.paths
    have = installed(env, python, extra_pythonpath)
    exe = python or env_python(env)
    fp = _Fingerprint.of([runtime_dir(), *extra_pythonpath])
    cache = cache or default_cache()
    jobs = [Job(p, m, s) for p in chosen for m in models for s in sizes]
    summary = RunSummary()
    results: dict[Job, ProbeRecord] = {}
    todo: list[Job] = []
    for job in jobs:
        hit = None if force else _cached(cache, cache_key(job, spec, have, fp))
        if hit is not None:
            results[job] = hit
            summary.cached += 1
        else:
            todo.append(job)
    done = len(results)
    if progress:
        progress(done, len(jobs), "cached" if done else "starting")
    limit = float(timeout_s or spec.timeout_s)
    with tempfile.TemporaryDirectory(prefix="fwatlas-probe-") as tmp:
        for path in chosen:
            group = [j for j in todo if j.path == path]
            for job, record in _run_group(group, spec, exe, have, Path(tmp), limit,
                                          extra_pythonpath, summary):
                results[job] = record
                _store(cache, cache_key(job, spec, have, fp), record)
                summary.measured += 1
                done += 1
                if progress:
                    progress(done, len(jobs), f"{job.path.id} {job.model} {job.size}")
    summary.records = [results[j] for j in jobs]
    summary.wall_s = time.perf_counter() - t_start
    return summary


def _cached(cache: Path, key: str) -> ProbeRecord | None:
    file = cache / f"{key}.json"
    try:
        return from_dict(json.loads(file.read_text("utf-8")))
    except (OSError, ValueError):
        return None


def _store(cache: Path, key: str, record: ProbeRecord) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    (cache / f"{key}.json").write_text(json.dumps(record.as_dict()), "utf-8")


def _failed(job: Job, have: Installed, stage: str, error: str) -> ProbeRecord:
    return ProbeRecord(path=job.path.id, model=job.model, size=job.size, ok=False,
                       supported=True, stage=stage, error=error, export_s=None,
                       artifact_bytes=None, latency_ms=None, latency_p10_ms=None,
                       latency_p90_ms=None, source_latency_ms=None, max_abs_diff=None,
                       versions=have.versions_of(job.path.packages), machine=machine())


def _run_group(group: list[Job], spec: ProbeSpec, exe: Path, have: Installed, tmp: Path,
               limit: float, extra: tuple[Path, ...], summary: RunSummary,
               ) -> Iterator[tuple[Job, ProbeRecord]]:
    """Run one path's probes, restarting the worker after a probe that killed it."""
    pending = list(group)
    while pending:
        finished = yield from _one_process(pending, spec, exe, have, tmp, limit, extra, summary)
        pending = pending[finished:]


def _one_process(pending: list[Job], spec: ProbeSpec, exe: Path, have: Installed, tmp: Path,
                 limit: float, extra: tuple[Path, ...], summary: RunSummary,
                 ) -> Generator[tuple[Job, ProbeRecord], None, int]:
    """Start a worker for ``pending``; yield records; return how many jobs it settled."""
    summary.processes += 1
    n = summary.processes
    work = tmp / f"w{n}"
    work.mkdir()
    jobfile = work / "jobs.json"
    path = pending[0].path
    jobfile.write_text(json.dumps({
        "jobs": [{"index": i, "path": j.path.as_dict(), "model": j.model, "size": j.size}
                 for i, j in enumerate(pending)],
        "settings": spec.settings(), "workdir": str(work / "artifacts"), "env": path.env,
    }), "utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (runtime_dir(), *extra))
    env.pop("PYTHONHOME", None)
    stderr_file = work / "stderr.txt"
    t0 = time.perf_counter()
    with stderr_file.open("wb") as err:
        proc = subprocess.Popen([str(exe), str(runtime_dir() / "worker.py"), str(jobfile)],
                                stdout=subprocess.PIPE, stderr=err, env=env,
                                start_new_session=True)
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_pump, args=(proc, lines), daemon=True).start()
        settled = 0
        current: int | None = None
        stage = "export"
        deadline = time.monotonic() + limit
        outcome: str | None = None
        while settled < len(pending):
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                outcome = f"timed out after {limit:g} s (killed)"
                _kill(proc)
                break
            if line is None:
                outcome = _death(proc, stderr_file)
                break
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            kind = event.get("event")
            if kind == "ready":
                summary.startup_s += time.perf_counter() - t0
            elif kind == "imported":
                summary.import_s += float(event.get("seconds", 0.0))
            elif kind == "start":
                current, stage = int(event["index"]), "export"
                deadline = time.monotonic() + limit
            elif kind == "stage":
                stage = str(event["stage"])
            elif kind == "result":
                job = pending[int(event["index"])]
                raw = dict(event["record"])
                raw.update(path=job.path.id, model=job.model, size=job.size,
                           versions=have.versions_of(job.path.packages), machine=machine())
                try:
                    record = from_dict(raw)
                except ValueError as exc:
                    record = _failed(job, have, stage, f"the worker sent a bad record: {exc}")
                settled += 1
                current = None
                yield job, record
        if outcome is not None:
            # the probe in flight failed; a worker dead before starting one takes all
            if current is None:
                for job in pending[settled:]:
                    yield job, _failed(job, have, "export", outcome)
                settled = len(pending)
            else:
                yield pending[current], _failed(pending[current], have, stage, outcome)
                settled = current + 1
        _kill(proc)
        proc.wait()
    return settled


def _pump(proc: subprocess.Popen[bytes], lines: queue.Queue[str | None]) -> None:
    assert proc.stdout is not None
    for raw in proc.stdout:
        lines.put(raw.decode("utf-8", "replace"))
    lines.put(None)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()


def _death(proc: subprocess.Popen[bytes], stderr_file: Path) -> str:
    code = proc.wait()
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        why = f"the worker died of {name}"
        if -code == signal.SIGKILL:
            why += " (out of memory?)"
    else:
        why = f"the worker exited with code {code}"
    try:
        tail = [ln for ln in stderr_file.read_text("utf-8", "replace").splitlines() if ln.strip()]
    except OSError:
        tail = []
    return f"{why}: {tail[-1].strip()[:200]}" if tail else why
