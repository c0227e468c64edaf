"""The Hub availability cube: per-snapshot aggregates that make every F1 view instant.

At ingest, one scan of the snapshot's models computes, for every (creation year, task,
framework set under each method) combination, the number of models and their download sums.
Every availability figure – any method, weight, grouping or framework list – is a small
aggregation of this cube. The cube records the hash of the vocabulary rules it was built with;
after a vocabulary change the analyses fall back to the per-model rows, so results never go
stale (read commands cannot rebuild it: they never write).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING

import duckdb

from fwatlas import vocabulary as vocab
from fwatlas.analyses import hub_methods
from fwatlas.store.rows import first_row

if TYPE_CHECKING:
    from fwatlas.store.session import SnapshotBuilder

Cells = dict[str, float]
_METHOD_COLUMN = {"tags": "tags_mask", "files": "files_mask", "library": "library_mask"}
_WEIGHT_COLUMN = {"count": "models", "downloads": "downloads",
                  "downloads_all_time": "downloads_all_time"}


def vocabulary_hash() -> str:
    """Hash of every vocabulary rule the cube depends on."""
    rules = {"hub": vocab.raw()["hub"], "keras3": vocab.raw()["keras3_date"]}
    return hashlib.sha256(json.dumps(rules, sort_keys=True).encode()).hexdigest()[:16]


def _mask(method: str, data_date: dt.date | None, has_siblings: bool) -> str:
    bits = [f"(CASE WHEN {hub_methods.framework_expr(method, fw, data_date, has_siblings)} "
            f"THEN {1 << i} ELSE 0 END)" for i, fw in enumerate(vocab.HUB_FRAMEWORKS)]
    return "(" + " + ".join(bits) + ")::UTINYINT"


def derive(con: duckdb.DuckDBPyConnection, snapshot: SnapshotBuilder) -> None:
    """The Hub kind's post-ingest steps, run by the store after the reader in the same
    transaction (``snapshot``: the builder of the snapshot just read): one row per model id,
    the columns the data holds, the data date when none was given, then the cube."""
    _drop_duplicate_ids(con, snapshot)
    # a column "exists" when the data holds any value in it, whatever the layout declared
    con.execute(
        "INSERT INTO hub_snapshot_columns SELECT ?, count(siblings) > 0, count(created_at) > 0, "
        "count(downloads) > 0, count(downloads_all_time) > 0, count(likes) > 0, "
        "count(library_name) > 0 FROM hub_models WHERE snapshot_id = ?",
        [snapshot.num, snapshot.num])
    if snapshot.data_date is None:
        row = first_row(con.execute(
            "SELECT max(greatest(coalesce(created_at, last_modified), "
            "coalesce(last_modified, created_at)))::DATE FROM hub_models WHERE snapshot_id = ?",
            [snapshot.num]))
        snapshot.data_date = row[0] if row else None
        snapshot.data_date_source = "the data: latest lastModified/createdAt"
    cols = first_row(con.execute(
        "SELECT has_siblings, has_created_at, has_library_name FROM hub_snapshot_columns "
        "WHERE snapshot_id = ?", [snapshot.num]))
    assert cols is not None
    materialise(con, snapshot.num, snapshot.data_date, *cols)


def _drop_duplicate_ids(con: duckdb.DuckDBPyConnection, builder: SnapshotBuilder) -> None:
    """One row per model: a repeated id keeps its first record; the others are skipped items."""
    # distinct 64-bit hashes as many as rows prove every id distinct, at a fraction of the
    # cost of grouping the strings; only a dump with repeats (or a collision) looks further
    row = first_row(con.execute(
        "SELECT count(*) - count(DISTINCT hash(id)) FROM hub_models WHERE snapshot_id = ?",
        [builder.num]))
    if row is not None and row[0] == 0:
        return
    duplicates = con.execute(
        "SELECT id, count(*) - 1 FROM hub_models WHERE snapshot_id = ? GROUP BY id "
        "HAVING count(*) > 1 ORDER BY id", [builder.num]).fetchall()
    if not duplicates:
        return
    con.execute(
        "DELETE FROM hub_models WHERE snapshot_id = ? AND rowid IN (SELECT rowid FROM ("
        "SELECT rowid, row_number() OVER (PARTITION BY id ORDER BY rowid) AS n FROM hub_models "
        "WHERE snapshot_id = ?) WHERE n > 1)", [builder.num, builder.num])
    for model_id, extra in duplicates:
        builder.skip(f"model {model_id}", f"{extra} repeated record(s); kept the first")
        builder.rows -= int(extra)


def materialise(con: duckdb.DuckDBPyConnection, snapshot: int, data_date: dt.date | None,
                has_siblings: bool, has_created_at: bool, has_library: bool) -> None:
    """Build the cube of one snapshot (inside the ingest's transaction)."""
    year_of = "created_at" if has_created_at else "last_modified"
    files = _mask("files", data_date, True) if has_siblings else "NULL"
    library = _mask("library", data_date, has_siblings) if has_library else "NULL"
    con.execute(
        "INSERT INTO hub_cube SELECT ?, ?, "  # noqa: S608 - vocabulary SQL, bound values
        f"coalesce(CAST(year({year_of}) AS VARCHAR), 'unknown'), "
        f"coalesce(pipeline_tag, '(none)'), {_mask('tags', data_date, has_siblings)}, "
        f"{files}, {library}, count(*), sum(coalesce(downloads, 0))::DOUBLE, "
        "sum(coalesce(downloads_all_time, 0))::DOUBLE "
        "FROM hub_models WHERE snapshot_id = ? GROUP BY ALL",
        [snapshot, vocabulary_hash(), snapshot])


def is_current(con: duckdb.DuckDBPyConnection, snapshot: int) -> bool:
    row = first_row(con.execute(
        "SELECT count(*) FILTER (WHERE vocabulary = ?), count(*) FROM hub_cube "
        "WHERE snapshot_id = ?", [vocabulary_hash(), snapshot]))
    return bool(row and row[1] and row[0] == row[1])


def cells(con: duckdb.DuckDBPyConnection, snapshot: int, method: str, weight: str,
          by: str | None) -> dict[str, Cells]:
    """Venn cells per group, aggregated from the cube."""
    group = {None: "'all'", "year": "year", "task": "task"}[by]
    mask = _METHOD_COLUMN[method]
    measure = _WEIGHT_COLUMN[weight]
    rows = con.execute(
        f"SELECT {group}, {mask}, sum({measure})::DOUBLE FROM hub_cube "  # noqa: S608
        "WHERE snapshot_id = ? GROUP BY ALL", [snapshot]).fetchall()
    out: dict[str, Cells] = {}
    for grp, bits, value in rows:
        present = tuple(fw for i, fw in enumerate(vocab.HUB_FRAMEWORKS) if int(bits) & (1 << i))
        combo = "+".join(present) if present else "none"
        out.setdefault(str(grp), {})[combo] = out.get(str(grp), {}).get(combo, 0.0) + value
    return out
