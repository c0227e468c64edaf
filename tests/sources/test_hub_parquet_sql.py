"""The Parquet ingest (DuckDB reads the file) stores exactly what the Arrow reader yields."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from fwatlas.ingestion import ingest
from fwatlas.sources.hub import HubDump, _parquet_sql


def _stored(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT id, author, library_name, tags, pipeline_tag, downloads, "
                           "downloads_all_time, likes, created_at, last_modified, siblings "
                           "FROM hub_models ORDER BY rowid").fetchall()
    finally:
        con.close()


def test_parquet_sql_path_matches_the_arrow_reader(tmp_path: Path) -> None:
    path = tmp_path / "m.parquet"
    sib = pa.list_(pa.struct([("rfilename", pa.string()), ("size", pa.int64())]))
    pq.write_table(pa.table({
        "modelId": ["a/x", None, "", "b/y", "a/x", "c/z"],
        "author": ["a", None, "e", "b", "a", "c"],
        "tags": [["pytorch"], ["tf"], ["jax"], [], ["tf"], None],
        "downloads": pa.array([5, 1, 1, -5, 2, None], pa.int32()),
        "likes": pa.array([0, 0, 0, 0, 0, 3], pa.int64()),
        "createdAt": pa.array([1_700_000_000_000, 0, 0, 0, 1_600_000_000_000, None],
                              pa.timestamp("ms", "Europe/Berlin")),
        "lastModified": pa.array([1_700_000_000_000_000] * 6, pa.timestamp("us")),
        "siblings": pa.array([[{"rfilename": "pytorch_model.bin", "size": 1}], [], None,
                              [{"rfilename": None, "size": 2}], [], []], sib),
    }), path)
    assert _parquet_sql(HubDump(path)) is not None  # the fast path is the one taken
    arrow = HubDump(path).stream().read_all().to_pylist()
    expected = [tuple(r[k] for k in ("id", "author", "library_name", "tags", "pipeline_tag",
                                      "downloads", "downloads_all_time", "likes", "created_at",
                                      "last_modified", "siblings"))
                for r in arrow if r["id"] != "a/x" or r["tags"] == ["pytorch"]]
    result = ingest("hub", path, db=tmp_path / "s.duckdb")
    assert _stored(tmp_path / "s.duckdb") == expected
    assert [r[0] for r in expected] == ["a/x", "c/z"]  # the first a/x; b/y had -5 downloads
    (snap,) = result.created
    assert snap.rows == 2
    items = result.skipped_items
    assert any(i.startswith("2 record(s): no id") for i in items)
    assert any(i.startswith("1 record(s): a negative") for i in items)
    assert any(i.startswith("model a/x") for i in items)


def test_other_column_types_take_the_arrow_path(tmp_path: Path) -> None:
    path = tmp_path / "m.parquet"
    pq.write_table(pa.table({"id": ["a"], "tags": [["pytorch"]], "downloads": [1.0]}), path)
    assert _parquet_sql(HubDump(path)) is None
