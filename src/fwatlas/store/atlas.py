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
from typing import Any, Literal

import duckdb

from fwatlas import settings
from fwatlas.errors import InputError, NotFound, StoreBusy, StoreCorrupt, StoreOutdated, opt
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

    def created(self) -> dict[str, Any]:
        """The entry of an ingest's (or a refresh's) ``created`` list."""
        return {
            "snapshot_id": self.id, "kind": self.kind, "dataset": self.dataset,
            "origin": self.origin,
            "data_date": self.data_date.isoformat() if self.data_date else None,
            "data_date_source": self.data_date_source, "rows": self.rows,
            "skipped": self.skipped,
        }

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

    def rank(self) -> tuple[int, dt.date, dt.datetime]:
        """Read first = a user's snapshot over the bundled reference whatever the dates (the
        reference is the offline fallback), then the greatest data date, then the latest
        ingest."""
        return (
            0 if self.is_reference else 1,
            self.data_date or dt.date.min,
            self.ingested_at or dt.datetime.min,
        )


#: why a snapshot is the one read for its dataset, in the order they win
ReadReason = Literal["--snapshot", "pinned", "newest of yours", "bundled reference"]


@dataclass(frozen=True)
class Selection:
    """Which snapshot of one dataset analyses read, why, and which ones it shadows."""

    dataset: str
    read: Snapshot
    reason: ReadReason
    shadowed: tuple[Snapshot, ...]

    def why(self) -> str:
        """One line a user can act on."""
        if self.reason == "--snapshot":
            return f"chosen with --snapshot {self.read.id}"
        if self.reason == "pinned":
            return (f"pinned with `fwatlas snapshots use {self.read.id}` "
                    f"(undo: fwatlas snapshots unpin {self.dataset})")
        if self.reason == "newest of yours":
            return "your newest complete snapshot by data date (it outranks the bundled reference)"
        return "the bundled reference: you have no complete snapshot of this dataset"

    def why_shadowed(self, snap: Snapshot) -> str:
        """Why one snapshot of the dataset is not read."""
        if self.reason in ("--snapshot", "pinned"):
            return f"{self.read.id} is {self.reason if self.reason == 'pinned' else 'chosen'}"
        if snap.is_reference:
            return f"your snapshot {self.read.id} outranks the bundled reference"
        return (f"{self.read.id} is newer (data of {self.read.data_date}); read this one with "
                f"--snapshot {snap.id} or pin it with fwatlas snapshots use {snap.id}")


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
    #: dataset -> snapshot id chosen with ``--snapshot`` for this one command
    overrides: dict[str, str] = field(default_factory=dict)

    # --- tables ---
    def has_table(self, name: str) -> bool:
        return bool(self._stable(("has_table", name), lambda: first_row(self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?"
            " AND table_schema = 'main' AND table_catalog = current_database()", [name]
        )) or (0,))[0])

    def _stable(self, key: Any, compute: Any) -> Any:
        """Memoise what only a write can change: a read-only Atlas cannot write, and DuckDB's
        lock keeps other processes from writing while it is open, so its answers hold for its
        life (a command asked for the snapshot list ~60 times). A writer asks every time."""
        if not self.read_only:
            return compute()
        return self.memo(("stable", key), compute)

    # --- snapshots ---
    def snapshots(self, *, kind: str | None = None, dataset_prefix: str | None = None,
                  include_reference: bool = True, states: Sequence[str] = ("complete",),
                  ) -> list[Snapshot]:
        """Snapshots (the store's, then the reference's), optionally filtered."""
        out: list[Snapshot] = list(self._stable(("snapshots", tuple(states)),
                                                lambda: self._stored_snapshots(states)))
        if include_reference:
            out += reference.snapshots()
        if kind is not None:
            out = [s for s in out if s.kind == kind]
        if dataset_prefix is not None:
            out = [s for s in out if s.dataset == dataset_prefix
                   or s.dataset.startswith(dataset_prefix.rstrip("/") + "/")]
        return out

    def _stored_snapshots(self, states: Sequence[str]) -> tuple[Snapshot, ...]:
        if not self.has_table("snapshots"):
            return ()
        rows = self.con.execute(
            f"SELECT {_SNAPSHOT_COLUMNS} FROM snapshots WHERE state IN "  # noqa: S608
            f"({','.join('?' * len(states))}) ORDER BY num", list(states)
        ).fetchall()
        return tuple(_snapshot_from_row(r) for r in rows)

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

    def pins(self) -> dict[str, str]:
        """dataset -> snapshot id pinned with ``fwatlas snapshots use``."""
        def read() -> tuple[tuple[str, str], ...]:
            if not self.has_table("snapshot_pins"):
                return ()
            rows = self.con.execute("SELECT dataset, snapshot_id FROM snapshot_pins").fetchall()
            return tuple((str(d), str(i)) for d, i in rows)

        return dict(self._stable("pins", read))

    def use_snapshots(self, snapshot_ids: Sequence[str]) -> None:
        """``--snapshot ID`` (repeatable): read these for this command, at most one per
        dataset; unknown ids exit 1, incomplete ones and two of one dataset exit 2."""
        chosen: dict[str, str] = {}
        for sid in snapshot_ids:
            snap = self.snapshot(sid)
            if snap.state != "complete":
                raise InputError(f"snapshot {sid} is {snap.state}, not complete: it cannot be read")
            if snap.dataset in chosen and chosen[snap.dataset] != sid:
                raise InputError(f"{opt('snapshot')} {chosen[snap.dataset]} and {opt('snapshot')} "
                                 f"{sid} are both {snap.dataset}: give one snapshot per dataset")
            chosen[snap.dataset] = sid
        self.overrides = chosen
        self._memo.clear()

    def selection(self, dataset: str) -> Selection | None:
        """The snapshot read for one dataset: ``--snapshot``, else the pin, else the user's
        newest complete snapshot, else the bundled reference (None: nothing at all)."""
        key = ("selection", dataset, tuple(sorted(self.overrides.items())))
        if key in self._memo:
            cached: Selection | None = self._memo[key]
            return cached
        candidates = [s for s in self.snapshots() if s.dataset == dataset]
        result: Selection | None = None
        if candidates:
            by_id = {s.id: s for s in candidates}
            read: Snapshot | None = None
            reason: ReadReason
            if dataset in self.overrides and self.overrides[dataset] in by_id:
                read, reason = by_id[self.overrides[dataset]], "--snapshot"
            elif self.pins().get(dataset) in by_id:
                read, reason = by_id[self.pins()[dataset]], "pinned"
            if read is None:
                read = max(candidates, key=Snapshot.rank)
                reason = "bundled reference" if read.is_reference else "newest of yours"
            shadowed = tuple(sorted((s for s in candidates if s.id != read.id),
                                    key=Snapshot.rank, reverse=True))
            result = Selection(dataset, read, reason, shadowed)
        self._memo[key] = result
        return result

    def newest(self, dataset: str) -> Snapshot | None:
        """The snapshot analyses read for one dataset (see ``selection``): despite the name, a
        user's snapshot outranks the reference and a pin or ``--snapshot`` outranks both."""
        sel = self.selection(dataset)
        return sel.read if sel else None

    def newest_ingested(self, dataset: str) -> Snapshot | None:
        """The snapshot read for a dataset when per-row data is needed (the reference holds
        figures only): the selection if it is the user's, else the user's newest."""
        sel = self.newest(dataset)
        if sel is not None and not sel.is_reference:
            return sel
        ingested = [s for s in self.snapshots(include_reference=False) if s.dataset == dataset]
        return max(ingested, key=Snapshot.rank) if ingested else None

    def newest_per_dataset(self, dataset_prefix: str) -> list[Snapshot]:
        """The snapshot read for every dataset under a prefix (e.g. ``papers``)."""
        datasets = {s.dataset for s in self.snapshots(dataset_prefix=dataset_prefix)}
        out = [self.newest(d) for d in datasets]
        return sorted((s for s in out if s is not None), key=lambda s: s.dataset)

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
    if not versions and not con.execute("SELECT 1 FROM information_schema.tables").fetchall():
        return  # an empty DuckDB file: a first ingest killed before its schema was committed
    if "core" not in versions:
        con.close()
        raise StoreCorrupt("not a fwatlas store (no schema_version of its core tables)",
                           path=str(path))
    for component, have in versions.items():
        if component not in schema.components():
            continue
        want = schema.migration_count(component)
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
    known = schema.components()
    with open_writer(path, components=[c for c in before if c in known]) as atlas:
        after = schema.current_versions(atlas.con)
    return {c: (before.get(c, 0), v) for c, v in after.items()}


def open_atlas(db: Path | str | None = None, snapshots: Sequence[str] = ()) -> Atlas:
    """Open the store read-only (or an empty in-memory one) with the reference attached;
    ``snapshots`` are the ``--snapshot`` ids this command reads (see ``Atlas.use_snapshots``)."""
    path = Path(db) if db else settings.default_db_path()
    if path.exists():
        con = _connect(path, read_only=True)
        _check_schema(con, path)
    else:
        con = duckdb.connect(":memory:")
    _configure(con)
    reference.attach(con)
    atlas = Atlas(con=con, path=path if path.exists() else None, read_only=True)
    if snapshots:
        atlas.use_snapshots(snapshots)
    return atlas


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
