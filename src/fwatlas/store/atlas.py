"""Opening the store, listing snapshots, and choosing the newest one per dataset.

Read commands open the DuckDB file read-only (or an in-memory database when no store exists
yet) and attach the bundled reference as views, so they never write and work on a fresh
install. Only ``open_writer`` opens the file for writing; DuckDB allows one writing process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from fwatlas import settings
from fwatlas.errors import InputError, NotFound, StoreBusy, StoreCorrupt, StoreOutdated
from fwatlas.store import reference, schema
from fwatlas.store.rows import first_row


@dataclass(frozen=True)
class Snapshot:
    """One ingest (or one bundled reference dataset), as DESIGN defines it."""

    id: str
    kind: str
    dataset: str
    origin: str
    content_hash: str
    data_date: dt.date | None
    data_date_source: str | None
    ingested_at: dt.datetime | None
    state: str
    rows: int
    skipped: int
    skipped_items: tuple[str, ...] = ()
    basis: str = "computed"
    is_reference: bool = False
    note: str | None = None

    @property
    def num(self) -> int | None:
        """The store's integer key (None for the reference)."""
        return int(self.id[1:]) if self.id.startswith("s") and self.id[1:].isdigit() else None

    def source(self) -> dict[str, Any]:
        """The entry of the ``--json`` envelope's ``sources`` list."""
        return {
            "snapshot_id": self.id,
            "kind": self.kind,
            "dataset": self.dataset,
            "origin": self.origin,
            "data_date": self.data_date.isoformat() if self.data_date else None,
            "basis": self.basis,
        }

    def rank(self) -> tuple[dt.date, int, dt.datetime]:
        """Newest = greatest data date, ties to the ingested one, then the latest ingest."""
        return (
            self.data_date or dt.date.min,
            0 if self.is_reference else 1,
            self.ingested_at or dt.datetime.min,
        )


_SNAPSHOT_COLUMNS = (
    "num, kind, dataset, origin, content_hash, data_date, data_date_source, ingested_at, state, "
    "row_count, skipped_count, skipped_items, note, basis"
)


def _snapshot_from_row(row: Sequence[Any]) -> Snapshot:
    (num, kind, dataset, origin, chash, ddate, dsrc, at, state, rows, skipped, items, note,
     basis) = row
    return Snapshot(
        id=f"s{num}", kind=kind, dataset=dataset, origin=origin, content_hash=chash,
        data_date=ddate, data_date_source=dsrc, ingested_at=at, state=state, rows=int(rows),
        skipped=int(skipped), skipped_items=tuple(items or ()), note=note, basis=basis,
    )


@dataclass
class Atlas:
    """A connection to the store plus the bundled reference; the thing analyses read from."""

    con: duckdb.DuckDBPyConnection
    path: Path | None
    read_only: bool
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    # --- tables ---
    def has_table(self, name: str) -> bool:
        row = first_row(self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?"
            " AND table_schema = 'main' AND table_catalog = current_database()", [name]
        ))
        return bool(row and row[0])

    # --- snapshots ---
    def snapshots(self, *, kind: str | None = None, dataset_prefix: str | None = None,
                  include_reference: bool = True, states: Sequence[str] = ("complete",),
                  ) -> list[Snapshot]:
        """Snapshots (the store's, then the reference's), optionally filtered."""
        out: list[Snapshot] = []
        if self.has_table("snapshots"):
            rows = self.con.execute(
                f"SELECT {_SNAPSHOT_COLUMNS} FROM snapshots WHERE state IN "  # noqa: S608
                f"({','.join('?' * len(states))}) ORDER BY num", list(states)
            ).fetchall()
            out = [_snapshot_from_row(r) for r in rows]
        if include_reference:
            out += reference.snapshots()
        if kind is not None:
            out = [s for s in out if s.kind == kind]
        if dataset_prefix is not None:
            out = [s for s in out if s.dataset == dataset_prefix
                   or s.dataset.startswith(dataset_prefix.rstrip("/") + "/")]
        return out

    def snapshot(self, snapshot_id: str) -> Snapshot:
        """One snapshot by its stable id; unknown ids exit 1 with close matches."""
        known = self.snapshots(states=("open", "complete", "failed"))
        for s in known:
            if s.id == snapshot_id:
                return s
        import difflib

        close = difflib.get_close_matches(snapshot_id, [s.id for s in known], n=5, cutoff=0.3)
        raise NotFound("snapshot", snapshot_id, close)

    def snapshot_of(self, snapshot_id: str, dataset: str, what: str) -> Snapshot:
        """``--snapshot ID`` for an analysis of one dataset: another dataset's id is a usage
        error (exit 2) that names what the analysis needs."""
        snap = self.snapshot(snapshot_id)
        if snap.dataset != dataset:
            raise InputError(f"snapshot {snapshot_id} is {snap.dataset}, not {dataset}: "
                             f"{what} needs a {dataset} snapshot (see fwatlas snapshots)")
        return snap

    def newest(self, dataset: str) -> Snapshot | None:
        """The newest complete snapshot of one dataset, the reference included."""
        candidates = [s for s in self.snapshots() if s.dataset == dataset]
        return max(candidates, key=Snapshot.rank) if candidates else None

    def newest_per_dataset(self, dataset_prefix: str) -> list[Snapshot]:
        """The newest snapshot of every dataset under a prefix (e.g. ``papers``)."""
        best: dict[str, Snapshot] = {}
        for s in self.snapshots(dataset_prefix=dataset_prefix):
            if s.dataset not in best or s.rank() > best[s.dataset].rank():
                best[s.dataset] = s
        return sorted(best.values(), key=lambda s: s.dataset)

    def memo(self, key: Any, compute: Any) -> Any:
        """Memoise a computation per key (callers include the snapshot ids in the key)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def close(self) -> None:
        self.con.close()


def _configure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("SET preserve_insertion_order = false")


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except (duckdb.IOException, duckdb.ConnectionException) as exc:
        text = str(exc).lower()
        if "lock" in text or "different configuration" in text:
            raise StoreBusy(
                f"{path}: the store is in use by another process",
                hint="DuckDB allows one writer; stop `fwatlas serve` or the other ingest first",
            ) from exc
        raise StoreCorrupt(f"cannot open the store: {exc}".splitlines()[0],
                           path=str(path)) from exc
    except duckdb.Error as exc:
        raise StoreCorrupt(f"not a fwatlas store: {exc}".splitlines()[0],
                           path=str(path)) from exc


def _check_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A store written by an older fwatlas is refused with the fix (read-only: no migration)."""
    try:
        versions = schema.current_versions(con)
    except duckdb.Error as exc:  # a DuckDB file, but not a fwatlas store (or a damaged one)
        con.close()
        raise StoreCorrupt(f"not a fwatlas store: {exc}".splitlines()[0], path=str(path)) \
            from exc
    if "core" not in versions:
        con.close()
        raise StoreCorrupt("not a fwatlas store (no schema_version of its core tables)",
                           path=str(path))
    for component, have in versions.items():
        if component not in schema.COMPONENTS:
            continue
        want = len(schema.migrations_of(component))
        if have < want:
            con.close()
            raise StoreOutdated(f"the store's schema is older than this fwatlas ({component} "
                             f"v{have} < v{want})", path=str(path),
                             hint="run `fwatlas migrate` once to upgrade it")


def migrate(db: Path | str | None = None) -> dict[str, tuple[int, int]]:
    """Upgrade a store's tables to this fwatlas; returns component -> (before, after)."""
    path = Path(db) if db else settings.default_db_path()
    if not path.exists():
        raise InputError("no store here yet (an ingest creates it)", path=str(path))
    con = _connect(path, read_only=True)
    before = schema.current_versions(con)
    con.close()
    with open_writer(path, components=[c for c in before if c in schema.COMPONENTS]) as atlas:
        after = schema.current_versions(atlas.con)
    return {c: (before.get(c, 0), v) for c, v in after.items()}


def open_atlas(db: Path | str | None = None) -> Atlas:
    """Open the store read-only (or an empty in-memory one) with the reference attached."""
    path = Path(db) if db else settings.default_db_path()
    if path.exists():
        con = _connect(path, read_only=True)
        _check_schema(con, path)
    else:
        con = duckdb.connect(":memory:")
    _configure(con)
    reference.attach(con)
    return Atlas(con=con, path=path if path.exists() else None, read_only=True)


@contextmanager
def open_writer(db: Path | str | None = None, components: Sequence[str] = ()) -> Iterator[Atlas]:
    """Open the store for writing, creating and migrating it as needed."""
    path = Path(db) if db else settings.default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(path, read_only=False)
    _configure(con)
    try:
        con.execute("BEGIN")
        schema.migrate(con, components)
        con.execute("COMMIT")
        reference.attach(con)
        yield Atlas(con=con, path=path, read_only=False)
    finally:
        con.close()
