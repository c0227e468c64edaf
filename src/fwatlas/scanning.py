"""The front door for scanning code: ``fwatlas scan PATH…`` as a library call.

``scan_paths`` checks the options, collects the repositories, runs them on an engine and
streams the results into one resumable ``repos`` snapshot (``fwatlas.scan_store.ScanStore``),
then answers a :class:`ScanReport` whose ``as_dict`` is the command's JSON. The CLI only draws
it; a notebook or a service gets the same scan by calling this function.

A path that yields no scannable file (no Python, notebook or dependency file: say a folder of
wheels, whose archives are not opened inside a folder) stores nothing: it is a listed skip, and
when no path gave anything the scan is refused whole (exit 2, store unchanged) – an empty
"repository" would otherwise count in the shares.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from fwatlas.errors import InputError, opt
from fwatlas.scan.detect import RepoTask
from fwatlas.scan.run import ScanOutcome
from fwatlas.store.atlas import Snapshot

Engine = Literal["local", "ray"]
#: the engines a scan runs on (``--engine``)
ENGINES: tuple[str, ...] = get_args(Engine)


class ScanInterrupted(KeyboardInterrupt):
    """Ctrl-C during a scan: what was committed stays, in an open snapshot the next scan
    resumes (``written`` repositories in snapshot ``s{num}``)."""

    def __init__(self, written: int, num: int | None) -> None:
        super().__init__(written, num)
        self.written = written
        self.num = num


@dataclass
class ScanReport:
    """What one scan did: the stored rows (new and already stored), skips and engine facts."""

    tasks: list[RepoTask]
    problems: list[tuple[str, str]]
    outcome: ScanOutcome
    snapshot: Snapshot | None
    resumed: int | None
    rows: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)

    @property
    def skipped(self) -> list[str]:
        return ([f"{i}: {r}" for i, r in self.problems]
                + [f"{f.path}: {f.reason}" for f in self.outcome.failed])

    def as_dict(self) -> dict[str, Any]:
        """The JSON of ``fwatlas scan`` (sources first, as every command's)."""
        outcome = self.outcome
        files = outcome.files
        return {
            "sources": list(self.sources),
            "scanner": outcome.scanner,
            "engine": {"name": outcome.engine, "workers": outcome.workers,
                       "driver_process": outcome.driver_id,
                       "worker_processes": sorted(outcome.worker_ids)},
            "summary": {"repositories": len(self.tasks), "scanned": len(outcome.results),
                        "already_scanned": len(outcome.already),
                        "skipped": len(self.problems) + len(outcome.failed),
                        "files_scanned": files, "bytes_read": outcome.bytes_read,
                        "seconds": round(outcome.seconds, 3),
                        "files_per_second": round(files / outcome.seconds, 1)
                        if outcome.seconds else None,
                        "resumed": f"s{self.resumed}" if self.resumed else None,
                        "snapshot_id": self.snapshot.id if self.snapshot else None},
            "skipped": self.skipped,
            "rows": self.rows,
        }


def check_options(*, engine: str, workers: int | None, batch_size: int, max_file_size: int,
                  ray_address: str | None) -> None:
    """Refuse bad scan options before anything is read or opened (exit 2)."""
    if engine not in ENGINES:
        raise InputError(f"{opt('engine')} must be local or ray, not {engine!r}")
    if workers is not None and workers < 1:
        raise InputError(f"{opt('workers')} must be at least 1, not {workers}")
    if batch_size < 1 or max_file_size < 1:
        raise InputError(f"{opt('batch_size')} and {opt('max_file_size')} must be positive")
    if ray_address and engine != "ray":
        raise InputError(f"{opt('ray_address')} needs {opt('engine')} ray")


def scan_paths(paths: Sequence[str], *, engine: str = "local", workers: int | None = None,
               ray_address: str | None = None, urls: Path | None = None,
               full_parse: bool = False, max_file_size: int = 1 << 20, batch_size: int = 100,
               data_date: dt.date | None = None, db: Path | str | None = None,
               progress: Callable[[int, int], None] | None = None) -> ScanReport:
    """Scan ``paths`` and store the results; raises :class:`InputError` (store unchanged) when
    no path could be read, :class:`ScanInterrupted` on Ctrl-C (what was committed stays)."""
    from fwatlas import settings
    from fwatlas.scan.engines import check_ray_address, import_ray
    from fwatlas.scan.run import collect_tasks

    check_options(engine=engine, workers=workers, batch_size=batch_size,
                  max_file_size=max_file_size, ray_address=ray_address)
    tasks, problems = collect_tasks(list(paths), urls=urls)
    if engine == "ray":
        import_ray()
        if ray_address:
            check_ray_address(ray_address)
    # the repos tables are created with the first stored batch (StreamedSnapshot), so a scan
    # that stores nothing leaves the store file as it was
    store_path = Path(db) if db else settings.default_db_path()
    new_store = not store_path.exists()
    try:
        return _scan_into(store_path, paths, tasks, problems, engine=engine, workers=workers,
                          ray_address=ray_address, full_parse=full_parse,
                          max_file_size=max_file_size, batch_size=batch_size,
                          data_date=data_date, progress=progress)
    except InputError:
        if new_store:  # a failed first scan leaves no store behind, not an empty one
            for leftover in (store_path, Path(f"{store_path}.wal")):
                leftover.unlink(missing_ok=True)
        raise


def _scan_into(db: Path, paths: Sequence[str], tasks: Any, problems: Any, *, engine: str,
               workers: int | None, ray_address: str | None, full_parse: bool,
               max_file_size: int, batch_size: int, data_date: dt.date | None,
               progress: Callable[[int, int], None] | None) -> ScanReport:
    from fwatlas.scan import rules
    from fwatlas.scan.detect import ScanOptions
    from fwatlas.scan.run import ScanRequest, default_workers, scan_tasks
    from fwatlas.scan_store import ScanStore
    from fwatlas.sources.repos import stored_row
    from fwatlas.store.atlas import open_writer

    with open_writer(db) as atlas:
        store = ScanStore(atlas, origin=" ".join(paths)[:500], scanner=rules.signature(),
                          data_date=data_date or dt.datetime.now(dt.UTC).date(),
                          data_date_source="--data-date" if data_date else "scan date")
        request = ScanRequest(tasks=tasks, engine=engine, workers=workers or default_workers(),
                              ray_address=ray_address,
                              options=ScanOptions(full_parse=full_parse,
                                                  max_bytes=max_file_size),
                              known=frozenset(store.known_hashes()), batch_size=batch_size)
        try:
            outcome = scan_tasks(request, sink=store.write, progress=progress)
        except KeyboardInterrupt:
            raise ScanInterrupted(store.written, store.num) from None
        if not outcome.results and not outcome.already and store.num is None \
                and (problems or outcome.failed):
            first = problems[0] if problems else (outcome.failed[0].path,
                                                  outcome.failed[0].reason)
            n = len(problems) + len(outcome.failed)
            raise InputError(f"no repository could be read ({n} skipped; first: "
                             f"{first[0]}: {first[1]})")
        for item, reason in problems:
            store.skip(item, reason)
        for failed in outcome.failed:
            store.skip(failed.path, failed.reason)
        snapshot = store.finish()
        stored = store.stored(a.content_hash for a in outcome.already)
        report = ScanReport(tasks, problems, outcome, snapshot, store.resumed)
        sources: dict[str, dict[str, Any]] = {}
        if snapshot is not None and outcome.results:
            sources[snapshot.id] = snapshot.source()
        for r in outcome.results:
            report.rows.append({**r.as_row(), "snapshot_id": snapshot.id if snapshot else None,
                                "already_scanned": False})
        for a in outcome.already:
            found = stored.get(a.content_hash)
            if found is None:
                continue
            row, snap = found
            sources[snap.id] = snap.source()
            report.rows.append({**stored_row(row), "path": a.path, "snapshot_id": snap.id,
                                "already_scanned": True})
    order = {t.given: i for i, t in enumerate(tasks)}
    report.rows.sort(key=lambda r: order.get(r["path"], len(order)))
    report.sources = list(sources.values())
    return report
