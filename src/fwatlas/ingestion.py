"""The front door for ingesting evidence: ``fwatlas ingest KIND PATH``.

Resolves the source kind, checks the path, opens the store for writing and runs the source's
``ingest`` inside one transaction (``fwatlas.store.session``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fwatlas import kinds, settings
from fwatlas.errors import InputError
from fwatlas.store.atlas import open_writer
from fwatlas.store.session import IngestResult, run_session


def read_and_derive(source: kinds.SourceKind, session: Any, path: Path,
                    data_date: dt.date | None, options: dict[str, Any]) -> None:
    """One ingest's work inside its transaction: the kind's reader writes its snapshots, then
    the kind's ``derive`` (if any) builds the derived tables of each."""
    source.load().ingest(session, path, data_date=data_date, options=options)
    if source.derive is None:
        return
    derive = kinds.resolve(source.derive)
    for builder in session.builders:
        derive(session.atlas.con, builder)


def ingest(kind: str, path: Path | str, *, db: Path | str | None = None,
           data_date: dt.date | None = None, **options: Any) -> IngestResult:
    """Ingest one file or directory of evidence of ``kind`` into the store at ``db``.

    Returns what was created, what was already there (same content: a no-op), what was
    ignored and which items were skipped. Raises :class:`InputError` (nothing written) when the
    input as a whole is unusable.
    """
    source = kinds.get(kind)
    if not Path(path).exists():
        raise InputError("no such file or directory", path=str(path))
    path = Path(path).absolute()  # the origin says where the data came from (links kept)
    source.load()  # an uninstalled reader fails here, before the store is opened
    return write_session(
        db, str(path), lambda session: read_and_derive(source, session, path, data_date, options),
        source.component)


def write_session(db: Path | str | None, origin: str, work: Any, component: str
                  ) -> IngestResult:
    """Run ``work(session)`` as one ingest transaction on the store at ``db`` (``fwatlas
    ingest`` and a refresh's computed parts both write through here)."""
    store = Path(db) if db else settings.default_db_path()
    new_store = not store.exists()
    try:
        # the kind's tables are created inside the ingest's own transaction, so a rejected
        # first ingest of a kind leaves the store file exactly as it was
        with open_writer(store) as atlas:
            return run_session(atlas, origin, work, components=[component])
    except BaseException:
        if new_store:  # a failed first ingest leaves no store behind, not an empty one
            for leftover in (store, Path(f"{store}.wal")):
                leftover.unlink(missing_ok=True)
        raise
