"""The store's side of a streamed scan: the resumable ``repos`` snapshot a scan writes into.

A scan (``fwatlas scan``, ``refresh repos``) can run for hours, so its results are committed
batch by batch into one snapshot that stays ``open`` until the scan ends; the next scan resumes
it, reading again no repository already stored with the same content hash and rules. The
snapshot is written by the store's one streamed writer (``store.session.StreamedSnapshot``);
the scanner and the archive fetcher only hand it batches of results.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from fwatlas.scan.model import RepoResult
from fwatlas.sources.repos import COMPONENT, DATASET, KIND, TABLE, results_table
from fwatlas.store.atlas import Atlas, Snapshot


class ScanStore:
    """The driver's side of a streamed scan: known hashes, batched writes, completion.

    The snapshot itself is written by the store's one streamed writer
    (``fwatlas.store.session.StreamedSnapshot``); this adds what is particular to scans: the
    rows of ``repo_frameworks``, the hashes already stored and the snapshot's content hash.
    """

    def __init__(self, atlas: Atlas, *, origin: str, scanner: str, data_date: dt.date,
                 data_date_source: str) -> None:
        from fwatlas.store.session import StreamedSnapshot

        self.atlas = atlas
        self.scanner = scanner
        self.snapshot = StreamedSnapshot(atlas, kind=KIND, dataset=DATASET, table=TABLE,
                                         origin=origin, data_date=data_date,
                                         data_date_source=data_date_source,
                                         components=[COMPONENT])

    @property
    def num(self) -> int | None:
        return self.snapshot.num

    @property
    def resumed(self) -> int | None:
        return self.snapshot.resumed

    @property
    def written(self) -> int:
        return self.snapshot.written

    @property
    def skipped(self) -> list[str]:
        return self.snapshot.skipped

    def known_hashes(self) -> set[str]:
        """Content hashes already stored under the same rules (complete or resumable scans)."""
        if not self.atlas.has_table(TABLE):  # no scan stored yet: the tables come with one
            return set()
        rows = self.atlas.con.execute(
            f"SELECT DISTINCT r.content_hash FROM {TABLE} r JOIN snapshots s "  # noqa: S608
            "ON s.num = r.snapshot_id WHERE s.state IN ('complete', 'open') AND r.scanner = ?",
            [self.scanner]).fetchall()
        return {str(r[0]) for r in rows}

    def stored(self, hashes: Iterable[str]) -> dict[str, tuple[dict[str, Any], Snapshot]]:
        """The newest stored result (and its snapshot) for each content hash."""
        wanted = sorted(set(hashes))
        if not wanted or not self.atlas.has_table(TABLE):
            return {}
        result = self.atlas.con.execute(
            f"SELECT r.*, s.num FROM {TABLE} r JOIN snapshots s "  # noqa: S608
            "ON s.num = r.snapshot_id WHERE r.scanner = ? AND r.content_hash IN "
            "(SELECT unnest(?::VARCHAR[])) ORDER BY s.num", [self.scanner, wanted])
        names = [d[0] for d in result.description]
        fetched = result.fetchall()
        snaps = {s.num: s for s in self.atlas.snapshots(
            kind=KIND, include_reference=False, states=("open", "complete"))}
        out: dict[str, tuple[dict[str, Any], Snapshot]] = {}
        for values in fetched:
            row = dict(zip(names, values, strict=True))
            snap = snaps.get(int(row["num"]))
            if snap is not None:
                out[str(row["content_hash"])] = (row, snap)
        return out

    def write(self, results: list[RepoResult]) -> None:
        """Commit one batch: the snapshot (opened on the first batch) and its rows."""
        if results:
            self.snapshot.append(results_table(results))

    def skip(self, item: str, reason: str) -> None:
        self.snapshot.skip(item, reason)

    def finish(self) -> Snapshot | None:
        """Mark the snapshot complete (its hash: the sorted content hashes it holds)."""
        num = self.snapshot.num
        if num is None:
            return None
        hashes = sorted(str(r[0]) for r in self.atlas.con.execute(
            f"SELECT content_hash FROM {TABLE} WHERE snapshot_id = ?",  # noqa: S608
            [num]).fetchall())
        digest = hashlib.sha256(("\n".join([self.scanner, *hashes])).encode()).hexdigest()
        resumed = self.snapshot.resumed
        return self.snapshot.finish(
            content_hash=digest,
            note=f"scanner {self.scanner}" + (f"; resumed s{resumed}" if resumed else ""))


def scanned_urls(atlas: Any) -> set[str]:
    """Repository URLs already stored by a complete or an interrupted (open) scan."""
    if not atlas.has_table("repo_frameworks"):
        return set()
    rows = atlas.con.execute(
        "SELECT DISTINCT r.url FROM repo_frameworks r JOIN snapshots s ON s.num = r.snapshot_id "
        "WHERE s.state IN ('complete', 'open') AND r.url IS NOT NULL").fetchall()
    return {str(r[0]) for r in rows}
