"""The Hub reader: every layout it accepts, and the inputs it rejects as a whole."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fwatlas.errors import InputError
from fwatlas.sources.hub import HubDump

MODELS = [
    {"id": "a/pt", "tags": ["pytorch", "safetensors"], "siblings": ["pytorch_model.bin"],
     "downloads": 10, "createdAt": "2024-01-02T03:04:05.000Z", "library_name": "transformers"},
    {"id": "b/tf", "tags": ["tf"], "siblings": ["tf_model.h5"], "downloads": 3,
     "createdAt": "2023-05-01T00:00:00.000Z", "library_name": None},
]


def _rows(path: Path) -> list[dict]:
    return HubDump(path).stream().read_all().to_pylist()


def test_parquet_in_the_hub_stats_layout(tmp_path: Path) -> None:
    path = tmp_path / "models.parquet"
    pq.write_table(pa.table({
        "id": ["a/pt"], "author": ["a"], "tags": [["pytorch"]], "downloads": [5],
        "downloadsAllTime": [50], "likes": [1], "extra_unknown": [{"x": 1}],
        "createdAt": pa.array([1_700_000_000_000], pa.timestamp("ms", "UTC")),
    }), path)
    (row,) = _rows(path)
    assert row["id"] == "a/pt" and row["downloads_all_time"] == 50 and row["tags"] == ["pytorch"]
    assert row["created_at"].year == 2023 and row["siblings"] is None


def test_jsonl_2022_layout_with_rfilename_objects(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl.gz"
    with gzip.open(path, "wt") as f:
        for m in MODELS:
            f.write(json.dumps({"modelId": m["id"], "tags": m["tags"],
                                "siblings": [{"rfilename": s} for s in m["siblings"]],
                                "lastModified": m["createdAt"]}) + "\n")
    rows = _rows(path)
    assert [r["id"] for r in rows] == ["a/pt", "b/tf"]
    assert rows[1]["siblings"] == ["tf_model.h5"]
    assert rows[0]["last_modified"].isoformat() == "2024-01-02T03:04:05"


def test_csv_with_python_literal_and_json_list_strings(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["modelId", "tags", "siblings", "downloads", "unknown"])
        w.writerow(["a/pt", "['pytorch', 'en']", "[{'rfilename': 'pytorch_model.bin'}]", "7", "x"])
        w.writerow(["b/tf", '["tf"]', "[]", "", "y"])
    rows = _rows(path)
    assert rows[0]["tags"] == ["pytorch", "en"] and rows[0]["siblings"] == ["pytorch_model.bin"]
    assert rows[1]["tags"] == ["tf"] and rows[1]["siblings"] == [] and rows[1]["downloads"] is None


@pytest.mark.parametrize("content, problem", [
    ("", "empty"),
    ('{"modelId": "a", "downloads": 1}\n', "tags"),
    ('{"tags": ["pytorch"]}\n', "modelId"),
    ("[1, 2, 3]\n", "not JSON Lines"),
])
def test_bad_jsonl_is_rejected_with_the_reason(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(InputError) as err:
        _rows(path)
    assert problem in str(err.value) and str(path) in str(err.value)


def test_mistyped_tags_column_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "m.parquet"
    pq.write_table(pa.table({"id": ["a"], "tags": [3]}), path)
    with pytest.raises(InputError, match="tags"):
        _rows(path)


def test_truncated_gzip_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl.gz"
    data = gzip.compress(("\n".join(json.dumps({"modelId": f"m{i}", "tags": ["pytorch"]})
                                    for i in range(20000)) + "\n").encode())
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as err:
        _rows(path)
    assert str(path) in str(err.value)


def test_unknown_extension_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "dump.xlsx"
    path.write_text("x")
    with pytest.raises(InputError, match="unknown file type"):
        HubDump(path)


def test_records_without_id_and_repeated_ids_are_skipped_items(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    path = tmp_path / "dups.jsonl"
    lines = [{"modelId": "a/x", "tags": ["pytorch"]}, {"modelId": None, "tags": ["tf"]},
             {"modelId": "a/x", "tags": ["tf"]}, {"modelId": "b/y", "tags": ["jax"]},
             {"tags": ["tf"]}]
    path.write_text("".join(json.dumps(r) + "\n" for r in lines))
    db = tmp_path / "d.duckdb"
    run = run_cli("ingest", "hub", str(path), "--db", str(db), "--data-date", "2024-01-01",
                  "--json")
    assert run.code == 0, run.err
    (created,) = run.json()["created"]
    assert created["rows"] == 2 and created["skipped"] == 2
    items = run.json()["skipped_items"]
    assert any("no id" in i and i.startswith("2 record") for i in items)
    assert any(i.startswith("model a/x") for i in items)
    avail = run_cli("availability", "--db", str(db), "--snapshot", "s1", "--json").json()
    assert avail["total"] == 2 and avail["available"]["pytorch"] == 1  # the first a/x record
    assert avail["available"]["tensorflow"] == 0


def test_dates_keep_their_offsets_and_unreadable_ones_are_listed(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    path = tmp_path / "tz.jsonl"
    rows = [{"id": "a/late", "tags": ["pytorch"], "createdAt": "2021-12-31T23:30:00-05:00"},
            {"id": "b/bad", "tags": ["tf"], "createdAt": "not a date"},
            {"id": "c/ok", "tags": ["jax"], "createdAt": "2021-06-01T00:00:00.000Z"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    db = tmp_path / "tz.duckdb"
    run = run_cli("ingest", "hub", str(path), "--db", str(db), "--data-date", "2024-01-01",
                  "--json")
    assert run.code == 0, run.err
    assert any("createdAt" in i and "not an ISO 8601 date" in i
               for i in run.json()["skipped_items"])
    years = run_cli("availability", "--db", str(db), "--snapshot", "s1", "--by", "year",
                    "--json").json()["rows"]
    by_year = {(r["group"], r["framework"]): r["available"] for r in years}
    assert by_year[("2022", "pytorch")] == 1  # 23:30 at UTC-5 is 2022 in UTC
    assert by_year[("unknown", "tensorflow")] == 1 and by_year[("2021", "jax")] == 1
