"""The front door for ingesting evidence: ``fwatlas ingest KIND PATH``.

Resolves the source kind, checks the path, opens the store for writing and runs the source's
``ingest`` inside one transaction (``fwatlas.store.session``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fwatlas.errors import InputError
from fwatlas.sources import base
from fwatlas.store.atlas import open_writer
from fwatlas.store.session import IngestResult, run_session


def ingest(kind: str, path: Path | str, *, db: Path | str | None = None,
           data_date: dt.date | None = None, **options: Any) -> IngestResult:
    """Ingest one file or directory of evidence of ``kind`` into the store at ``db``.

    Returns what was created, what was already there (same content: a no-op), what was
    ignored and which items were skipped. Raises :class:`InputError` (nothing written) when the
    input as a whole is unusable.
    """
    source = base.get(kind)
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or directory", path=str(path))
    module = source.load()
    with open_writer(db, components=[source.component]) as atlas:
        return run_session(
            atlas, str(path),
            lambda session: module.ingest(session, path, data_date=data_date, options=options),
        )
