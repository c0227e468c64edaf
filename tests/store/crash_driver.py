"""Run ``fwatlas ARGS`` and kill this very process with SIGKILL at one named point.

Usage: ``python crash_driver.py POINT COUNT fwatlas-args...`` (the crash test runs it as a real
subprocess). The points are places in an ingest or a scan, hooked from outside by wrapping the
functions that mark them – fwatlas itself carries no test hook – so each kill lands exactly where
it says, run after run:

- ``connect``: the store file is open (created, for a first ingest), nothing migrated yet
- ``schema``: the schema's tables are created, their ``COMMIT`` not yet run
- ``migrated``: the schema is committed, the ingest's transaction not begun
- ``rows``: the guarded readers have yielded COUNT rows – DuckDB is mid-``INSERT``
- ``snapshot``: the COUNT-th snapshot row is inserted (state ``open``, transaction open)
- ``insert``: the COUNT-th insert of rows has returned (transaction open)
- ``complete``: every snapshot is marked complete, ``COMMIT`` not yet run
- ``commit``: ``COMMIT`` has returned (the data is in the WAL, not checkpointed)
- ``batch``: a scan is about to write its COUNT-th batch
- ``batch_mid``: the COUNT-th batch's rows are inserted, its ``COMMIT`` not yet run
- ``batch_done``: the COUNT-th batch is committed
- ``finish``: the scan's snapshot is marked complete, before the command's output

SIGKILL cannot be caught: no ``finally``, no ``atexit``, no DuckDB destructor runs.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable
from typing import Any


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _after(owner: Any, name: str, count: int) -> None:
    """Kill right after the COUNT-th call of ``owner.name`` returns."""
    original: Callable[..., Any] = getattr(owner, name)
    calls = [0]

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        calls[0] += 1
        if calls[0] == count:
            _die()
        return result

    setattr(owner, name, wrapper)


def _before(owner: Any, name: str, count: int) -> None:
    """Kill right before the COUNT-th call of ``owner.name`` runs."""
    original: Callable[..., Any] = getattr(owner, name)
    calls = [0]

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == count:
            _die()
        return original(*args, **kwargs)

    setattr(owner, name, wrapper)


def install(point: str, count: int) -> None:
    from fwatlas import scan_store, streams
    from fwatlas.store import atlas, reference, schema, session

    if point == "connect":
        _after(atlas, "_connect", count)
    elif point == "schema":
        _after(schema, "migrate", count)
    elif point == "migrated":
        _after(reference, "attach", count)  # open_writer attaches it right after the COMMIT
    elif point == "rows":
        seen = [0]

        def on_batch(_path: str, rows: int) -> None:
            seen[0] += rows
            if seen[0] >= count:
                _die()

        streams._PROGRESS.append(on_batch)
    elif point == "snapshot":
        _after(session.IngestSession, "new_snapshot", count)
    elif point == "insert":
        _after(session.SnapshotBuilder, "insert", count)
    elif point == "complete":
        _after(session.IngestSession, "_complete", count)
    elif point == "commit":
        _before(session, "_shadowed", count)  # run_session calls it right after COMMIT
    elif point == "batch":
        _before(scan_store.ScanStore, "write", count)
    elif point == "batch_mid":
        _after(session, "_append", count)
    elif point == "batch_done":
        _after(scan_store.ScanStore, "write", count)
    elif point == "finish":
        _after(scan_store.ScanStore, "finish", count)
    else:
        raise SystemExit(f"crash_driver: unknown point {point!r}")


if __name__ == "__main__":
    install(sys.argv[1], int(sys.argv[2]))
    from fwatlas.cli import main

    main(sys.argv[3:])
    sys.exit(0)
