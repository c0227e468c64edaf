"""The driver: schedule repositories on an engine, fan out large ones, stream results out.

Results reach the caller's ``sink`` in batches as they finish (the CLI commits each batch to the
store), so an interrupted scan keeps what it finished. A large repository comes back from its
first task as a list of files; the driver splits it into chunks, and combines the chunks'
evidence with the same pure function a small repository uses.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from fwatlas.scan import rules
from fwatlas.scan.detect import RepoTask, ScanOptions, worker_id
from fwatlas.scan.engines import make_engine
from fwatlas.scan.model import (
    AlreadyScanned,
    FileEvidence,
    LargeRepo,
    RepoFailed,
    RepoResult,
)
from fwatlas.scan.score import build_result
from fwatlas.scan.tasks import collect_tasks

__all__ = ["ScanOutcome", "ScanRequest", "collect_tasks", "nothing_scannable", "scan_tasks"]


@dataclass(frozen=True)
class ScanRequest:
    tasks: list[RepoTask]
    engine: str = "local"
    workers: int = 1
    ray_address: str | None = None
    options: ScanOptions = ScanOptions()
    known: Collection[str] = frozenset()
    batch_size: int = 100


@dataclass
class ScanOutcome:
    """Everything a scan did, in the order of the tasks."""

    engine: str
    workers: int
    scanner: str
    results: list[RepoResult] = field(default_factory=list)
    already: list[AlreadyScanned] = field(default_factory=list)
    failed: list[RepoFailed] = field(default_factory=list)
    worker_ids: set[str] = field(default_factory=set)
    driver_id: str = ""
    seconds: float = 0.0

    @property
    def files(self) -> int:
        return sum(r.files_scanned for r in self.results)

    @property
    def bytes_read(self) -> int:
        return sum(r.bytes_read for r in self.results)


@dataclass
class _Large:
    large: LargeRepo
    task: RepoTask
    remaining: int
    files: list[FileEvidence] = field(default_factory=list)
    bytes_read: int = 0
    workers: set[str] = field(default_factory=set)


def _size(task: RepoTask) -> int:
    """An archive's size (a directory's is unknown until it is walked: 0)."""
    try:
        return os.stat(task.path).st_size if not os.path.isdir(task.path) else 0
    except OSError:
        return 0


def _chunks(names: tuple[str, ...], size: int) -> list[tuple[str, ...]]:
    return [names[i:i + size] for i in range(0, len(names), size)]


def scan_tasks(request: ScanRequest, *,
               sink: Callable[[list[RepoResult]], None] | None = None,
               progress: Callable[[int, int], None] | None = None) -> ScanOutcome:
    """Scan every task on the requested engine; ``sink`` receives results batch by batch."""
    started = time.perf_counter()
    outcome = ScanOutcome(request.engine, request.workers, rules.signature(),
                          driver_id=worker_id())
    workers = max(1, min(request.workers, len(request.tasks)))
    engine = make_engine(request.engine, workers=workers, known=request.known,
                         ray_address=request.ray_address)
    outcome.workers = engine.slots
    order = {t.given: i for i, t in enumerate(request.tasks)}
    # biggest archives first (longest-processing-time first keeps the workers evenly busy);
    # several small repositories per task when there are many (one task's fixed cost for all)
    per_task = max(1, min(64, len(request.tasks) // (engine.slots * 16)))
    ordered = sorted(request.tasks, key=_size, reverse=True)
    queue = [ordered[i:i + per_task] for i in range(0, len(ordered), per_task)][::-1]
    pending: dict[Any, tuple[str, Any]] = {}
    large: dict[str, _Large] = {}
    batch: list[RepoResult] = []
    done = 0
    in_flight = max(2, engine.slots * 3)
    chunk = max(50, request.options.split_files // 4)

    def finished(result: RepoResult) -> None:
        nonlocal done
        if not result.files_scanned:  # nothing to judge by: a listed skip, never a stored row
            outcome.failed.append(RepoFailed(result.path, nothing_scannable(result)))
            done += 1
            return
        outcome.results.append(result)
        outcome.worker_ids.add(result.worker)
        batch.append(result)
        done += 1
        if sink is not None and len(batch) >= request.batch_size:
            sink(list(batch))
            batch.clear()

    try:
        while queue or pending:
            while queue and len(pending) < in_flight:
                group = queue.pop()
                pending[engine.scan_repositories(group, request.options)] = ("repos", group)
            for handle, value in engine.wait(list(pending)):
                what, ref = pending.pop(handle)
                if what == "chunk":
                    entry = large[ref]
                    entry.remaining -= 1
                    if isinstance(value, BaseException):
                        entry.files.append(FileEvidence(
                            "(chunk)", False, 1.0, skipped=f"scanner error: {value!r}"))
                    else:
                        files, nbytes, worker = value
                        entry.files += files
                        entry.bytes_read += nbytes
                        entry.workers.add(worker)
                    if entry.remaining == 0:
                        del large[ref]
                        result = build_result(entry.large.meta, entry.files,
                                              list(entry.large.pre_skipped),
                                              worker=",".join(sorted(entry.workers)),
                                              bytes_read=entry.bytes_read)
                        outcome.worker_ids |= entry.workers
                        finished(result)
                    continue
                values = ([RepoFailed(t.given, f"scanner error: {value!r}") for t in ref]
                          if isinstance(value, BaseException) else value)
                for task, item in zip(ref, values, strict=True):
                    if isinstance(item, LargeRepo):
                        parts = _chunks(item.members, chunk)
                        large[task.given] = _Large(item, task, len(parts))
                        for names in parts:
                            pending[engine.scan_chunk(task, names, request.options)] = \
                                ("chunk", task.given)
                    elif isinstance(item, RepoResult):
                        finished(item)
                    elif isinstance(item, AlreadyScanned):
                        outcome.already.append(item)
                        done += 1
                    elif isinstance(item, RepoFailed):
                        outcome.failed.append(item)
                        done += 1
                if progress is not None:
                    progress(done, len(request.tasks))
        if sink is not None and batch:
            sink(list(batch))
            batch.clear()
    finally:
        engine.close()
    outcome.results.sort(key=lambda r: order.get(r.path, 0))
    outcome.seconds = time.perf_counter() - started
    outcome.worker_ids.discard("")
    return outcome


def nothing_scannable(result: RepoResult) -> str:
    """Why a repository without one readable Python, notebook or dependency file is skipped:
    stored, it would count as a repository of no framework in every share (issue 11)."""
    refused = (f"; {result.files_skipped} file(s) refused, first: {result.skipped_files[0]}"
               if result.skipped_files else "")
    return ("no Python, notebook or dependency file found (archives inside a folder are not "
            f"opened: pass them as paths, e.g. FOLDER/*.whl){refused}")


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)
