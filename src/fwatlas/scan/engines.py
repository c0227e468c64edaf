"""Where the work runs: in the driver, on a local process pool, or as Ray tasks.

Each engine offers the same two calls – ``submit(fn, *args)`` and ``wait(handles)`` – so one
driver loop (``fwatlas.scan.run``) schedules repositories and file chunks the same way
everywhere. The set of content hashes already in the store travels once per worker process,
not once per task: the pool hands it to each worker at start-up, Ray puts it in the object store
and each worker process fetches it once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Hashable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor
from concurrent.futures import wait as futures_wait
from typing import Any

from fwatlas.errors import SourceUnavailable, opt
from fwatlas.scan import detect

RAY_HINT = 'install the extra: pip install "fwatlas[ray]"'

# --- worker side ---------------------------------------------------------------------------

_KNOWN: Collection[str] = frozenset()
_RAY_KNOWN: dict[str, Collection[str]] = {}


def _init_pool_worker(known: Collection[str]) -> None:
    global _KNOWN
    _KNOWN = frozenset(known)


def pool_scan_repositories(tasks: list[detect.RepoTask], options: detect.ScanOptions) -> Any:
    return detect.scan_repositories(tasks, _KNOWN, options)


def ray_scan_repositories(tasks: list[detect.RepoTask], known_ref: list[Any],
                          options: detect.ScanOptions) -> Any:
    """Ray task body; ``known_ref`` is wrapped in a list so Ray passes the reference itself."""
    import ray

    key = known_ref[0].hex()
    if key not in _RAY_KNOWN:
        _RAY_KNOWN.clear()
        _RAY_KNOWN[key] = frozenset(ray.get(known_ref[0]))
    return detect.scan_repositories(tasks, _RAY_KNOWN[key], options)


# --- driver side -------------------------------------------------------------------------


class Engine:
    """Submit work, wait for some of it; ``name`` and ``slots`` describe the engine."""

    name = "local"
    slots = 1

    def scan_repositories(self, tasks: list[detect.RepoTask], options: detect.ScanOptions
                          ) -> Hashable:
        raise NotImplementedError

    def scan_chunk(self, task: detect.RepoTask, names: tuple[str, ...],
                   options: detect.ScanOptions) -> Hashable:
        raise NotImplementedError

    def wait(self, handles: Iterable[Hashable]) -> list[tuple[Hashable, Any]]:
        """Some finished handles with their values (an exception value for a failed task)."""
        raise NotImplementedError

    def close(self) -> None:
        return None


class InlineEngine(Engine):
    """One worker: run in the driver process itself (no start-up, no pickling)."""

    name = "local"
    slots = 1

    def __init__(self, known: Collection[str]) -> None:
        self.known = known
        self._done: dict[int, Any] = {}
        self._next = 0

    def _run(self, fn: Callable[..., Any], *args: Any) -> int:
        self._next += 1
        try:
            self._done[self._next] = fn(*args)
        except Exception as exc:  # noqa: BLE001 - a scanner failure is one item's problem
            self._done[self._next] = exc
        return self._next

    def scan_repositories(self, tasks: list[detect.RepoTask], options: detect.ScanOptions
                          ) -> Hashable:
        return self._run(detect.scan_repositories, tasks, self.known, options)

    def scan_chunk(self, task: detect.RepoTask, names: tuple[str, ...],
                   options: detect.ScanOptions) -> Hashable:
        return self._run(detect.scan_chunk, task, names, options)

    def wait(self, handles: Iterable[Hashable]) -> list[tuple[Hashable, Any]]:
        return [(h, self._done.pop(h)) for h in list(handles) if h in self._done]


def _pool_context() -> Any:
    """Workers forked from a clean server process with the scanner preloaded (forkserver):
    cheap to start, and nothing inherited from the driver's store connection or threads.
    Where forkserver does not exist (Windows), spawn."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["fwatlas.scan.detect"])
        return ctx
    return multiprocessing.get_context("spawn")


class PoolEngine(Engine):
    """A local process pool."""

    name = "local"

    def __init__(self, workers: int, known: Collection[str]) -> None:
        self.slots = workers
        self.pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=_pool_context(),
            initializer=_init_pool_worker, initargs=(frozenset(known),))

    def scan_repositories(self, tasks: list[detect.RepoTask], options: detect.ScanOptions
                          ) -> Hashable:
        return self.pool.submit(pool_scan_repositories, tasks, options)

    def scan_chunk(self, task: detect.RepoTask, names: tuple[str, ...],
                   options: detect.ScanOptions) -> Hashable:
        return self.pool.submit(detect.scan_chunk, task, names, options)

    def wait(self, handles: Iterable[Hashable]) -> list[tuple[Hashable, Any]]:
        futures: list[Future[Any]] = list(handles)  # type: ignore[arg-type]
        done, _ = futures_wait(futures, return_when=FIRST_COMPLETED)
        out: list[tuple[Hashable, Any]] = []
        for f in done:
            exc = f.exception()
            out.append((f, exc if exc is not None else f.result()))
        return out

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def check_ray_address(address: str, timeout: float = 5.0) -> None:
    """Fail fast (exit 3) when nothing listens at a cluster address: Ray itself retries a dead
    address for minutes before giving up."""
    import socket

    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        from fwatlas.errors import InputError

        raise InputError(f"{opt('ray_address')} must be host:port, not {address!r}")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            pass
    except OSError as exc:
        raise SourceUnavailable(f"cannot reach the Ray cluster at {address} "
                                f"({exc.strerror or exc})",
                                hint=f"check {opt('ray_address')} (host:port of the head node)"
                                ) from exc


def import_ray() -> Any:
    """Ray, or exit 3 with the install hint (DESIGN: an optional extra not installed)."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
    except ImportError as exc:
        raise SourceUnavailable(f"{opt('engine')} ray needs Ray, which is not installed",
                                hint=RAY_HINT) from exc
    return ray


class RayEngine(Engine):
    """Ray tasks on ``ray.init()`` (a local instance) or an existing cluster (``address``)."""

    name = "ray"

    def __init__(self, known: Collection[str], *, address: str | None, workers: int | None
                 ) -> None:
        ray = import_ray()
        self.ray = ray
        self.started_here = not ray.is_initialized()
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                  "logging_level": "ERROR"}
        if address:
            kwargs["address"] = address
        elif workers:
            kwargs["num_cpus"] = workers
        try:
            if self.started_here:
                ray.init(**kwargs)
        except Exception as exc:  # noqa: BLE001 - Ray raises ConnectionError, RuntimeError …
            where = f"the Ray cluster at {address}" if address else "a local Ray instance"
            raise SourceUnavailable(f"cannot start or reach {where}: "
                                    f"{str(exc).splitlines()[0] if str(exc) else exc!r}",
                                    hint=f"check {opt('ray_address')} (host:port of the head node)"
                                    ) from exc
        self.slots = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self.known_ref = [ray.put(frozenset(known))]
        self._repo = ray.remote(ray_scan_repositories).options(max_retries=1)
        self._chunk = ray.remote(detect.scan_chunk).options(max_retries=1)

    def scan_repositories(self, tasks: list[detect.RepoTask], options: detect.ScanOptions
                          ) -> Hashable:
        ref: Hashable = self._repo.remote(tasks, self.known_ref, options)
        return ref

    def scan_chunk(self, task: detect.RepoTask, names: tuple[str, ...],
                   options: detect.ScanOptions) -> Hashable:
        ref: Hashable = self._chunk.remote(task, names, options)
        return ref

    def wait(self, handles: Iterable[Hashable]) -> list[tuple[Hashable, Any]]:
        refs = list(handles)
        ready, _ = self.ray.wait(refs, num_returns=min(len(refs), max(1, self.slots)),
                                 timeout=0.5)
        if not ready:
            ready, _ = self.ray.wait(refs, num_returns=1)
        out: list[tuple[Hashable, Any]] = []
        for ref in ready:
            try:
                out.append((ref, self.ray.get(ref)))
            except Exception as exc:  # noqa: BLE001 - a failed task is one item's problem
                out.append((ref, exc))
        return out

    def close(self) -> None:
        if self.started_here:
            self.ray.shutdown()


def make_engine(name: str, *, workers: int, known: Collection[str],
                ray_address: str | None = None) -> Engine:
    if name == "ray":
        return RayEngine(known, address=ray_address, workers=workers if not ray_address
                         else None)
    if name != "local":
        from fwatlas.errors import InputError

        raise InputError(f"{opt('engine')} must be local or ray, not {name!r}")
    if workers <= 1:
        return InlineEngine(known)
    return PoolEngine(workers, known)
