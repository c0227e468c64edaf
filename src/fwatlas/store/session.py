"""Writing snapshots: an ingest lands whole or not at all.

A source's ``ingest`` function receives an :class:`IngestSession`, asks it for one or more
:class:`SnapshotBuilder` objects and streams Arrow data into them. Everything happens in one
DuckDB transaction: any exception rolls it back, so a failed ingest leaves the snapshot list and
every table exactly as they were (DESIGN's failure policy).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from fwatlas.errors import FwatlasError, InputError, opt
from fwatlas.store.atlas import Atlas, Snapshot
from fwatlas.store.rows import first_row

if TYPE_CHECKING:
    from fwatlas.streams import GuardedReader, SqlRows


def open_snapshot(atlas: Atlas, *, kind: str, dataset: str, origin: str, content_hash: str,
                  data_date: dt.date | None, data_date_source: str | None) -> int:
    """Add one ``open`` snapshot row (inside the caller's transaction); returns its number.
    Both writers below open snapshots only through here."""
    row = first_row(atlas.con.execute(
        "INSERT INTO snapshots (kind, dataset, origin, content_hash, data_date, "
        "data_date_source, ingested_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, 'open') "
        "RETURNING num",
        [kind, dataset, origin, content_hash, data_date, data_date_source,
         dt.datetime.now(dt.UTC).replace(tzinfo=None)],
    ))
    assert row is not None
    return int(row[0])


@dataclass
class SnapshotBuilder:
    """One snapshot being written; rows go in through :meth:`insert`."""

    session: IngestSession
    num: int
    kind: str
    dataset: str
    data_date: dt.date | None
    data_date_source: str | None
    skipped_items: list[str] = field(default_factory=list)
    rows: int = 0
    note: str | None = None
    basis: str = "computed"  # "published" when the rows are figures a source states

    @property
    def id(self) -> str:
        return f"s{self.num}"

    def insert(self, table: str, data: pa.RecordBatchReader | pa.Table | GuardedReader,
               *, count_rows: bool = True) -> int:
        """Append Arrow data to ``table``, adding this snapshot's id; returns rows inserted."""
        from fwatlas.streams import GuardedReader

        con = self.session.atlas.con
        guard = data if isinstance(data, GuardedReader) else None
        source = data.reader() if isinstance(data, GuardedReader) else data
        cols = [f'"{n}"' for n in source.schema.names]
        before = self._count(table)
        con.register("_fwatlas_incoming", source)
        try:
            con.execute(
                f'INSERT INTO "{table}" (snapshot_id, {", ".join(cols)}) '  # noqa: S608
                f"SELECT ?, {', '.join(cols)} FROM _fwatlas_incoming", [self.num]
            )
        except Exception as exc:
            import duckdb

            if guard is not None and guard.interrupted or isinstance(
                    exc, duckdb.InterruptException):
                raise KeyboardInterrupt from None  # Ctrl-C, not bad data
            if guard is not None and guard.error is not None:
                raise guard.error from exc
            if isinstance(exc, FwatlasError):
                raise
            raise InputError(f"cannot store the data: {exc}".splitlines()[0]) from exc
        finally:
            import contextlib

            import duckdb

            with contextlib.suppress(duckdb.Error):  # an aborted transaction refuses it too
                con.unregister("_fwatlas_incoming")
        if guard is not None and guard.error is not None:
            raise guard.error
        if guard is not None:
            self.skipped_items.extend(guard.skipped)
        added = self._count(table) - before
        if count_rows:
            self.rows += added
        return added

    def insert_sql(self, table: str, rows: SqlRows) -> dict[str, int]:
        """Insert the rows a reader's SQL selects from its file (DuckDB reading it, in file
        order: a later duplicate is the one dropped); returns the count of rows left out per
        reason of ``rows.skipped``."""
        import contextlib

        import duckdb

        con = self.session.atlas.con
        names = ", ".join(rows.columns)
        left_out = dict.fromkeys(rows.skipped, 0)
        try:
            con.execute("SET preserve_insertion_order = true")
            row = first_row(con.execute(
                f"INSERT INTO {table} (snapshot_id, {names}) SELECT ?, {names} "  # noqa: S608
                f"FROM ({rows.select}) WHERE {rows.keep}", [self.num, *rows.params]))
            added = int(row[0]) if row else 0
            if added < rows.total and rows.skipped:
                counts = ", ".join(f"count(*) FILTER (WHERE {c})" for c in rows.skipped.values())
                found = first_row(con.execute(
                    f"SELECT {counts} FROM ({rows.select})", list(rows.params)))  # noqa: S608
                if found:
                    left_out = {k: int(n) for k, n in zip(rows.skipped, found, strict=True)}
        except duckdb.InterruptException:
            raise KeyboardInterrupt from None
        except duckdb.Error as exc:
            raise InputError(f"unreadable {rows.what}: {exc}".splitlines()[0],
                             path=rows.path) from exc
        finally:
            with contextlib.suppress(duckdb.Error):  # an aborted transaction refuses it too
                con.execute("SET preserve_insertion_order = false")
        self.rows += added
        return left_out

    def _count(self, table: str) -> int:
        row = first_row(self.session.atlas.con.execute(
            f'SELECT count(*) FROM "{table}" WHERE snapshot_id = ?', [self.num]  # noqa: S608
        ))
        return int(row[0]) if row else 0

    def skip(self, item: str, reason: str) -> None:
        """Record one item-level problem (DESIGN: skipped, listed, counted)."""
        self.skipped_items.append(f"{item}: {reason}")

    def date_from_data(self, table: str, column: str, source: str) -> None:
        """Date the snapshot by the newest ``column`` of its own rows in ``table``, when it has
        no date yet (``--data-date`` or a dated name set one first); ``source`` says so in the
        snapshot's ``data_date_source``. The store runs the query, so a reader names only
        its table and column."""
        if self.data_date is not None:
            return
        row = first_row(self.session.atlas.con.execute(
            f'SELECT max("{column}")::DATE FROM "{table}" WHERE snapshot_id = ?',  # noqa: S608
            [self.num]))
        self.data_date = row[0] if row and row[0] else None
        self.data_date_source = source


@dataclass
class IngestSession:
    """One transaction over the store that may create several snapshots."""

    atlas: Atlas
    origin: str
    builders: list[SnapshotBuilder] = field(default_factory=list)
    duplicates: list[Snapshot] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def existing(self, kind: str, dataset: str, content_hash: str) -> Snapshot | None:
        """A complete snapshot of the same dataset with the same content, if any."""
        for s in self.atlas.snapshots(kind=kind, include_reference=False):
            if s.dataset == dataset and s.content_hash == content_hash:
                return s
        return None

    def new_snapshot(self, *, kind: str, dataset: str, content_hash: str,
                     data_date: dt.date | None, data_date_source: str | None,
                     origin: str | None = None) -> SnapshotBuilder | None:
        """Open a snapshot, or return None (and remember it) when the content is known."""
        dup = self.existing(kind, dataset, content_hash)
        if dup is not None:
            self.duplicates.append(dup)
            return None
        num = open_snapshot(self.atlas, kind=kind, dataset=dataset,
                            origin=origin or self.origin, content_hash=content_hash,
                            data_date=data_date, data_date_source=data_date_source)
        builder = SnapshotBuilder(self, num, kind, dataset, data_date, data_date_source)
        self.builders.append(builder)
        return builder

    def _complete(self) -> None:
        for b in self.builders:
            if b.rows == 0:
                # an empty snapshot would become the newest one and hide the evidence before
                # it, so the ingest is rejected whole (issue 15) – whether every item was
                # skipped or a reader kept nothing without saying why
                raise InputError((
                    f"every item of {b.dataset} was skipped ({len(b.skipped_items)}; first: "
                    f"{b.skipped_items[0]})" if b.skipped_items else
                    f"nothing of {b.dataset} could be stored (no record the reader keeps)"
                ).replace("\n", " "), path=self.origin)
            if b.data_date is None:
                raise InputError(
                    f"the data carries no date; pass {opt('data_date')} YYYY-MM-DD",
                    path=self.origin
                )
            self.atlas.con.execute(
                "UPDATE snapshots SET state = 'complete', row_count = ?, skipped_count = ?, "
                "skipped_items = ?, data_date = ?, data_date_source = ?, note = ?, basis = ? "
                "WHERE num = ?",
                [b.rows, len(b.skipped_items), b.skipped_items, b.data_date, b.data_date_source,
                 b.note, b.basis, b.num],
            )


@dataclass(frozen=True)
class IngestResult:
    """What an ingest did: snapshots created, duplicates seen, items skipped, files ignored."""

    created: tuple[Snapshot, ...]
    duplicates: tuple[Snapshot, ...]
    ignored: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def skipped_items(self) -> list[str]:
        return [i for s in self.created for i in s.skipped_items]

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": [s.source() for s in self.created + self.duplicates],
            "created": [_snapshot_dict(s) for s in self.created],
            "already_ingested": [_snapshot_dict(s) for s in self.duplicates],
            "ignored": list(self.ignored),
            "skipped": len(self.skipped_items),
            "skipped_items": self.skipped_items,
            "notes": list(self.notes),
        }


def _snapshot_dict(s: Snapshot) -> dict[str, Any]:
    return s.created()


#: ingests committed in this process (the CLI tells a Ctrl-C before a commit from one after)
COMMITS = [0]


def run_session(atlas: Atlas, origin: str, work: Any,
                components: Sequence[str] = ()) -> IngestResult:
    """Run ``work(session)`` in one transaction; commit only if it and every check succeed.

    ``components`` are migrated inside that transaction: the first ingest of a kind creates
    its tables, and a rejected one must not leave them behind – a rejected ingest leaves the
    store file byte for byte as it was (issue 15).
    """
    session = IngestSession(atlas=atlas, origin=origin)
    con = atlas.con
    con.execute("BEGIN TRANSACTION")
    try:
        if components:
            from fwatlas.store import schema

            schema.migrate(con, components)
        work(session)
        session._complete()
        con.execute("COMMIT")
        COMMITS[0] += 1
        from fwatlas.store import fact_cache

        fact_cache.invalidate(atlas.path)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    nums = [b.num for b in session.builders]
    created = tuple(s for s in atlas.snapshots(include_reference=False) if s.num in nums)
    return IngestResult(created, tuple(session.duplicates), tuple(session.ignored),
                        tuple(_shadowed(atlas, created)))


def _shadowed(atlas: Atlas, created: tuple[Snapshot, ...]) -> list[str]:
    """Say so when a new snapshot is not the one analyses will read: an older data date than
    another of the user's snapshots, or a pin (the bundled reference never shadows it)."""
    notes = []
    for s in created:
        sel = atlas.selection(s.dataset)
        if sel is not None and sel.read.id != s.id:
            notes.append(
                f"{s.id} (data of {s.data_date}) is not the snapshot read for {s.dataset}: "
                f"{sel.read.id} (data of {sel.read.data_date}) is – {sel.why()}; pass "
                f"--snapshot {s.id}, pin it with `fwatlas snapshots use {s.id}`, or correct its "
                f"date with `fwatlas snapshots redate {s.id} YYYY-MM-DD`")
    return notes


def _append(atlas: Atlas, table: str, num: int, data: pa.Table) -> None:
    """Insert one Arrow batch into ``table`` as snapshot ``num``'s rows (no transaction)."""
    cols = ", ".join(f'"{n}"' for n in data.schema.names)
    atlas.con.register("_fwatlas_batch", data)
    try:
        atlas.con.execute(
            f'INSERT INTO "{table}" (snapshot_id, {cols}) '  # noqa: S608 - names from a schema
            "SELECT ?, " + cols + " FROM _fwatlas_batch", [num])
    finally:
        atlas.con.unregister("_fwatlas_batch")


class StreamedSnapshot:
    """One snapshot written batch by batch, each batch its own transaction – the form of
    :func:`run_session` for work that runs for hours (a scan of many repositories).

    The snapshot stays ``open`` until :meth:`finish`; analyses read only ``complete`` ones, so a
    half-written run is never evidence. An interrupted run leaves it open, and the next writer
    of the same kind resumes it (``resumed``) instead of starting another.
    """

    def __init__(self, atlas: Atlas, *, kind: str, dataset: str, table: str, origin: str,
                 data_date: dt.date, data_date_source: str,
                 components: Sequence[str] = ()) -> None:
        self.atlas = atlas
        #: migrated in the first batch's transaction: a run that stores nothing leaves the
        #: store file as it was, not with the kind's empty tables (issue 15)
        self.components = tuple(components)
        self.kind = kind
        self.dataset = dataset
        self.table = table
        self.origin = origin
        self.data_date = data_date
        self.data_date_source = data_date_source
        self.num: int | None = None
        self.resumed: int | None = None
        self.skipped: list[str] = []
        self.written = 0
        row = first_row(atlas.con.execute(
            "SELECT max(num) FROM snapshots WHERE kind = ? AND state = 'open'", [kind]))
        if row and row[0] is not None:
            self.num = self.resumed = int(row[0])

    def append(self, data: pa.Table) -> None:
        """Commit one batch: the snapshot (opened on the first batch) and its rows."""
        if not data.num_rows:
            return
        con = self.atlas.con
        con.execute("BEGIN TRANSACTION")
        try:
            if self.num is None:
                if self.components:
                    from fwatlas.store import schema

                    schema.migrate(con, self.components)
                self.num = open_snapshot(self.atlas, kind=self.kind, dataset=self.dataset,
                                         origin=self.origin, content_hash="pending",
                                         data_date=self.data_date,
                                         data_date_source=self.data_date_source)
            _append(self.atlas, self.table, self.num, data)
            con.execute("UPDATE snapshots SET row_count = row_count + ? WHERE num = ?",
                        [data.num_rows, self.num])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        COMMITS[0] += 1
        self.written += data.num_rows

    def skip(self, item: str, reason: str) -> None:
        """Record one item-level problem; stored with the snapshot when it is finished."""
        self.skipped.append(f"{item}: {reason}")

    def finish(self, *, content_hash: str, note: str) -> Snapshot | None:
        """Mark the snapshot complete with its content hash, row count and skipped items
        (those of a resumed run kept); None when no batch was ever written."""
        if self.num is None:
            return None
        con = self.atlas.con
        count = first_row(con.execute(
            f'SELECT count(*) FROM "{self.table}" WHERE snapshot_id = ?',  # noqa: S608
            [self.num]))
        row = first_row(con.execute("SELECT skipped_items FROM snapshots WHERE num = ?",
                                    [self.num]))
        items = list(row[0] or []) if row else []
        items += [s for s in self.skipped if s not in items]
        con.execute(
            "UPDATE snapshots SET state = 'complete', content_hash = ?, row_count = ?, "
            "skipped_count = ?, skipped_items = ?, note = ? WHERE num = ?",
            [content_hash, int(count[0]) if count else 0, len(items), items, note, self.num])
        COMMITS[0] += 1
        from fwatlas.store import fact_cache

        fact_cache.invalidate(self.atlas.path)
        return self.atlas.snapshot(f"s{self.num}")
