"""The user's say over which snapshot is read: pins and corrected data dates.

``fwatlas snapshots use ID`` pins a snapshot as the one read for its dataset (kept in the
store's ``snapshot_pins`` table, so it outlives the command), ``snapshots unpin DATASET`` undoes
it, and ``snapshots redate ID DATE`` corrects a data date read wrongly from the data. Each is
one small transaction on the writer; a failure leaves the store unchanged.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fwatlas.errors import InputError, NotFound
from fwatlas.store.atlas import Snapshot, open_writer


def pin(snapshot_id: str, db: Path | str | None = None) -> Snapshot:
    """Pin a complete snapshot (the reference's included) as the one read for its dataset."""
    with open_writer(db) as atlas:
        snap = atlas.snapshot(snapshot_id)
        if snap.state != "complete":
            raise InputError(f"snapshot {snapshot_id} is {snap.state}, not complete: only a "
                             "complete snapshot can be read")
        atlas.con.execute("INSERT OR REPLACE INTO snapshot_pins VALUES (?, ?, ?)",
                          [snap.dataset, snap.id, dt.datetime.now()])
        return snap


def unpin(dataset: str, db: Path | str | None = None) -> str:
    """Remove the pin of a dataset; returns the id that was pinned (exit 1 if none was)."""
    with open_writer(db) as atlas:
        pins = atlas.pins()
        if dataset not in pins:
            import difflib

            raise NotFound("pinned dataset", dataset,
                           difflib.get_close_matches(dataset, list(pins), n=5, cutoff=0.3))
        atlas.con.execute("DELETE FROM snapshot_pins WHERE dataset = ?", [dataset])
        return pins[dataset]


def redate(snapshot_id: str, day: dt.date, db: Path | str | None = None) -> Snapshot:
    """Correct the data date of one of the user's snapshots (the reference's are fixed)."""
    with open_writer(db) as atlas:
        snap = atlas.snapshot(snapshot_id)
        if snap.is_reference or snap.num is None:
            raise InputError(f"{snapshot_id} is the bundled reference: its dates are its rows'; "
                             "only your own snapshots can be redated")
        was = snap.data_date.isoformat() if snap.data_date else "none"
        atlas.con.execute(
            "UPDATE snapshots SET data_date = ?, data_date_source = ? WHERE num = ?",
            [day, f"set with fwatlas snapshots redate (was {was}: {snap.data_date_source})",
             snap.num])
        return atlas.snapshot(snapshot_id)
