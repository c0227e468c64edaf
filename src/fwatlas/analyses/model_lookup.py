"""One model: its frameworks under every method, formats, task and downloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fwatlas import vocabulary as vocab
from fwatlas.analyses import hub_methods
from fwatlas.analyses.availability import MODELS_DATASET, supported
from fwatlas.errors import InputError, NotFound
from fwatlas.kinds import ingest_hint
from fwatlas.store.atlas import Atlas, Snapshot
from fwatlas.store.rows import first_row


@dataclass(frozen=True)
class ModelInfo:
    id: str
    snapshot: Snapshot
    frameworks: dict[str, list[str] | None]  # method -> frameworks (None: method cannot say)
    formats: list[str]
    task: str | None
    library_name: str | None
    downloads: int | None
    downloads_all_time: int | None
    likes: int | None
    created_at: Any
    last_modified: Any

    def as_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "snapshot"}
        d["snapshot_id"] = self.snapshot.id
        d["data_date"] = self.snapshot.data_date
        return d


def _hub_snapshots(atlas: Atlas, snapshot_id: str | None) -> Snapshot:
    if snapshot_id:
        snap = atlas.snapshot_of(snapshot_id, MODELS_DATASET, "model lookup")
        if snap.is_reference:
            raise InputError(f"{snapshot_id} holds published figures, not models: model "
                             "lookup needs an ingested Hub snapshot")
        return snap
    newest = atlas.newest_ingested(MODELS_DATASET)
    if newest is None:
        raise InputError("model lookup needs an ingested Hub snapshot (the bundled reference "
                         f"holds figures, not models): run `{ingest_hint('hub')}`")
    return newest


def close_matches(atlas: Atlas, snap: Snapshot, model_id: str, n: int = 5) -> list[str]:
    """Nearest ids by Jaro-Winkler similarity, computed inside DuckDB (no Python scan)."""
    rows = atlas.con.execute(
        "SELECT id FROM hub_models WHERE snapshot_id = ? "
        "ORDER BY jaro_winkler_similarity(lower(id), lower(?)) DESC, id LIMIT ?",
        [snap.num, model_id, n]).fetchall()
    return [r[0] for r in rows]


@dataclass(frozen=True)
class _LookupQuery:
    """The generated SQL of a lookup and how to read its flag columns back."""

    columns: str  # the flag expressions, after the row's plain columns
    labels: tuple[tuple[str, str], ...]
    formats: tuple[str, ...]

    @property
    def sql(self) -> str:
        """One model's row: parameters snapshot number and id."""
        return ("SELECT pipeline_tag, library_name, downloads, downloads_all_time, "  # noqa: S608
                f"likes, created_at, last_modified, {self.columns} FROM hub_models "
                "WHERE snapshot_id = ? AND id = ? LIMIT 1")

    @property
    def table_sql(self) -> str:
        """Every model's id and row: parameter the snapshot number."""
        return ("SELECT id, pipeline_tag, library_name, downloads, "  # noqa: S608
                "downloads_all_time, likes, created_at, last_modified, "
                f"{self.columns} FROM hub_models WHERE snapshot_id = ?")


def _lookup_query(atlas: Atlas, snap: Snapshot) -> _LookupQuery:
    cols = supported(atlas, snap)
    exprs: list[str] = []
    labels: list[tuple[str, str]] = []
    for method in vocab.HUB_METHODS:
        if (method == "files" and not cols["siblings"]) or (
                method == "library" and not cols["library_name"]):
            continue
        for fw in vocab.HUB_FRAMEWORKS:
            exprs.append(hub_methods.framework_expr(method, fw, snap.data_date, cols["siblings"]))
            labels.append((method, fw))
    fmt_exprs = [hub_methods.format_tag_expr(f) for f in vocab.hub_format_tags()]
    if cols["siblings"]:
        fmt_exprs += [hub_methods.format_file_expr(f) for f in vocab.hub_format_files()]
    fmt_names = vocab.hub_format_tags() + (list(vocab.hub_format_files()) if cols["siblings"]
                                           else [])
    columns = ", ".join(exprs + fmt_exprs)  # from the vocabulary, not from the user
    return _LookupQuery(columns, tuple(labels), tuple(fmt_names))


#: bytes one model's row takes in a :class:`ModelTable` (measured ~410-500 on the 2022
#: sample: the tuple, its id, dates and counts): a snapshot whose rows times this exceed the
#: caller's bound is not tabled at all, so no scan is wasted on a table that would be dropped
ROW_BYTES = 640


@dataclass(frozen=True)
class ModelTable:
    """Every model of one snapshot as its lookup row, keyed by id: one scan instead of a query
    per model. A lookup query costs ~8 ms whatever the row (DuckDB binds its ~20 generated
    expressions and compiles their regular expressions each time); the scan evaluates them
    once for all rows (~0.1 s for 10,000 models), so a server answering many lookups pays
    the planning once per snapshot set."""

    snapshot: Snapshot
    query: _LookupQuery
    rows: dict[str, tuple[Any, ...]]
    nbytes: int  # what the rows hold, for a cache bounded by bytes


def model_table(atlas: Atlas, snapshot_id: str | None = None, *,
                max_bytes: int) -> ModelTable | None:
    """The lookup rows of the snapshot a lookup of ``snapshot_id`` reads, or None when they
    would take more than ``max_bytes`` (then look models up one by one). Errors are the
    lookup's (an unknown or non-Hub snapshot, no Hub snapshot at all)."""
    import sys

    snap, query = _snapshot_and_query(atlas, snapshot_id)
    if snap.rows * ROW_BYTES > max_bytes:
        return None
    rows: dict[str, tuple[Any, ...]] = {}
    shared: dict[Any, Any] = {}  # one object per distinct task and library name
    nbytes = sys.getsizeof(rows)
    for mid, task, lib, *rest in atlas.con.execute(query.table_sql, [snap.num]).fetchall():
        row = (shared.setdefault(task, task), shared.setdefault(lib, lib), *rest)
        rows[mid] = row
        nbytes += sys.getsizeof(mid) + sys.getsizeof(row) + sum(
            sys.getsizeof(v) for v in rest[:5])  # counts and dates; flags are shared bools
        if nbytes > max_bytes:
            return None
    nbytes = nbytes - sys.getsizeof({}) + sys.getsizeof(rows) + sum(
        sys.getsizeof(v) for v in shared)
    return ModelTable(snap, query, rows, nbytes)


def _snapshot_and_query(atlas: Atlas, snapshot_id: str | None) -> tuple[Snapshot, _LookupQuery]:
    snap: Snapshot = atlas.memo(("hub_lookup_snapshot", snapshot_id),
                                lambda: _hub_snapshots(atlas, snapshot_id))
    query: _LookupQuery = atlas.memo(("hub_lookup_sql", snap.id),
                                     lambda: _lookup_query(atlas, snap))
    return snap, query


def model_lookup(atlas: Atlas, model_id: str, *, snapshot_id: str | None = None,
                 table: ModelTable | None = None) -> ModelInfo:
    """A model's frameworks under each method; unknown ids raise NotFound with close matches.

    ``table`` (from :func:`model_table` of the same store and ``snapshot_id``) answers
    without a query; one of another snapshot is ignored."""
    snap, query = _snapshot_and_query(atlas, snapshot_id)
    row: tuple[Any, ...] | None
    if table is not None and table.snapshot == snap:
        row = table.rows.get(model_id)
        query = table.query
    else:
        row = first_row(atlas.con.execute(query.sql, [snap.num, model_id]))
    if row is None:
        raise NotFound("model", model_id, close_matches(atlas, snap, model_id))
    labels, fmt_names = query.labels, query.formats
    task, lib, dl, dl_all, likes, created, modified, *flags = row
    frameworks: dict[str, list[str] | None] = {m: None for m in vocab.HUB_METHODS}
    for (method, fw), on in zip(labels, flags[:len(labels)], strict=True):
        frameworks[method] = (frameworks[method] or [])
        if on:
            frameworks[method].append(fw)  # type: ignore[union-attr]
    formats = sorted({name for name, on in zip(fmt_names, flags[len(labels):], strict=True)
                      if on})
    return ModelInfo(model_id, snap, frameworks, formats, task, lib, dl, dl_all, likes,
                     created, modified)
