"""The web app's model table: every lookup answered from one scan equals its own query; the
table is bounded by the answer cache's bytes and follows a new snapshot; concurrent misses of
one key are computed once."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import run_cli
from tests.report.helpers import write_hub_dump

LIBRARIES = [None, "transformers", "diffusers", "keras", "timm", "tf-keras", "flax", "other"]
TAGS = [[], ["pytorch"], ["tf"], ["jax"], ["pytorch", "tf", "safetensors"], ["onnx", "gguf"],
        ["keras", "tflite"], ["flax", "mlx", "coreml"]]
FILES = [["README.md"], ["pytorch_model.bin"], ["tf_model.h5", "x/saved_model.pb"],
         ["flax_model.msgpack"], ["model.safetensors"], ["a/model.onnx", "m.gguf", "m.tflite"],
         ["w.keras", "sub/pytorch_model-00001.bin"], ["model.pt.txt", "notpytorch_model.bin"]]


def _records(n: int = 64, tag_offset: int = 0) -> list[dict[str, Any]]:
    """Models crossing library names, tags and file names (every method's branches)."""
    return [{"modelId": f"org/m{i}", "library_name": LIBRARIES[i % len(LIBRARIES)],
             "tags": TAGS[(i // len(LIBRARIES) + tag_offset) % len(TAGS)],
             "siblings": [{"rfilename": f} for f in FILES[(i * 3) % len(FILES)]],
             "downloads": i * 7, "likes": i, "pipeline_tag": ["fill-mask", None][i % 2],
             "lastModified": f"202{i % 4 + 1}-0{i % 9 + 1}-15T10:00:00.000Z"}
            for i in range(n)]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("table")
    db = tmp / "a.duckdb"
    for name, offset in (("one", 0), ("two", 3)):  # two snapshots: s1, then s2 (newest)
        r = run_cli("ingest", "hub", str(write_hub_dump(tmp / f"{name}.jsonl",
                                                        _records(tag_offset=offset))),
                    "--db", str(db))
        assert r.code == 0, r.err
    return db


def test_the_table_answers_every_model_as_its_own_query(db: Path) -> None:
    from fwatlas.analyses.model_lookup import model_lookup, model_table
    from fwatlas.errors import NotFound
    from fwatlas.store.atlas import open_atlas

    atlas = open_atlas(db, ())
    try:
        for snapshot in (None, "s1"):
            table = model_table(atlas, snapshot, max_bytes=1 << 24)
            assert table is not None and len(table.rows) == 64
            for i in range(64):
                alone = model_lookup(atlas, f"org/m{i}", snapshot_id=snapshot)
                assert model_lookup(atlas, f"org/m{i}", snapshot_id=snapshot,
                                    table=table) == alone
            with pytest.raises(NotFound) as alone_error:
                model_lookup(atlas, "org/m1x", snapshot_id=snapshot)
            with pytest.raises(NotFound) as table_error:
                model_lookup(atlas, "org/m1x", snapshot_id=snapshot, table=table)
            assert table_error.value.close_matches == alone_error.value.close_matches != []
        # the snapshots differ (tags shifted), and a table of one is not used for the other
        s1 = model_table(atlas, "s1", max_bytes=1 << 24)
        newest = model_lookup(atlas, "org/m9")
        assert s1 is not None and model_lookup(atlas, "org/m9", table=s1) == newest
        assert newest != model_lookup(atlas, "org/m9", snapshot_id="s1")
    finally:
        atlas.close()


def test_a_table_over_its_bound_is_not_built(db: Path) -> None:
    from fwatlas.analyses.model_lookup import ROW_BYTES, model_table
    from fwatlas.store.atlas import open_atlas

    atlas = open_atlas(db, ())
    try:
        table = model_table(atlas, max_bytes=1 << 24)
        assert table is not None and table.nbytes > 64 * 100  # ids, tuples, counts, dates
        assert table.nbytes <= 64 * ROW_BYTES  # the estimate holds the rows it admits
        assert model_table(atlas, max_bytes=64 * ROW_BYTES - 1) is None  # refused unread
    finally:
        atlas.close()


def test_the_gate_keeps_the_table_in_the_cache_bounded_by_bytes(db: Path) -> None:
    import datetime as dt

    from fwatlas.commands import Ctx
    from fwatlas.commands.builders import model
    from fwatlas.web.store import StoreGate

    big, small = StoreGate(db, memo_bytes=1 << 24), StoreGate(db, memo_bytes=4096)
    try:
        table = big.model_table(None)
        assert table is not None and big.memo_size >= table.nbytes
        assert small.model_table(None) is None  # over half the cache: each lookup queries
        assert small.memo_size <= 4096
        ctx = Ctx(None, dt.date.today())
        for i in (0, 5, 63):
            mid = f"org/m{i}"
            assert big.run(("m", mid), lambda a, mid=mid: model(
                a, ctx, {"model_id": mid, "snapshot": None,
                         "table": big.model_table(None)})) == small.run(
                ("m", mid), lambda a, mid=mid: model(a, ctx, {"model_id": mid,
                                                              "snapshot": None}))
        assert big.model_table("nosuch") is None  # the lookup says why, not the table
    finally:
        big.close()
        small.close()


def test_the_api_follows_a_new_snapshot(tmp_path: Path) -> None:
    from fwatlas.web.app import create_app

    db = tmp_path / "a.duckdb"
    assert run_cli("ingest", "hub", str(write_hub_dump(tmp_path / "a.jsonl", _records(16))),
                   "--db", str(db)).code == 0
    app = create_app(db, idle_close_s=0.05)
    with TestClient(app) as c:
        before = c.get("/api/model/org/m9").json()
        time.sleep(0.3)  # idle: the gate closed the file
        r = run_cli("ingest", "hub", str(write_hub_dump(
            tmp_path / "b.jsonl", _records(16, tag_offset=3))), "--db", str(db),
            subprocess_=True)
        assert r.code == 0, r.err
        after = c.get("/api/model/org/m9").json()
    assert (before["snapshot_id"], after["snapshot_id"]) == ("s1", "s2")
    assert before["frameworks"]["tags"] == ["pytorch"]  # TAGS[1]
    assert after["frameworks"]["tags"] == ["pytorch", "tensorflow"]  # TAGS[4]: pytorch, tf


def test_concurrent_misses_of_one_key_compute_once(db: Path) -> None:
    from fwatlas.web.store import StoreGate

    gate = StoreGate(db)
    n = 8
    arrived = threading.Barrier(n + 1)
    calls: list[int] = []
    answers: list[Any] = []

    def compute(_: Any) -> dict[str, int]:
        calls.append(1)
        time.sleep(0.3)  # the other threads ask meanwhile
        return {"answer": 42}

    def ask() -> None:
        arrived.wait()
        answers.append(gate.run("k", compute))

    threads = [threading.Thread(target=ask) for _ in range(n)]
    for t in threads:
        t.start()
    arrived.wait()
    for t in threads:
        t.join()
    gate.close()
    assert answers == [{"answer": 42}] * n
    assert len(calls) == 1


def test_pages_are_kept_per_query_and_follow_a_new_snapshot(tmp_path: Path) -> None:
    from fwatlas.web.app import create_app

    db = tmp_path / "a.duckdb"
    assert run_cli("ingest", "hub", str(write_hub_dump(tmp_path / "a.jsonl", _records(16))),
                   "--db", str(db)).code == 0
    app = create_app(db, idle_close_s=0.05)
    with TestClient(app) as c:
        first = c.get("/availability?by=task")
        assert c.get("/availability?by=task").content == first.content
        other = c.get("/availability?by=year")
        assert other.content != first.content  # the query is part of the key
        # a bad value is the same 422 page every time
        bad = [c.get("/availability?by=nosuch") for _ in range(2)]
        assert [b.status_code for b in bad] == [422, 422] and bad[0].content == bad[1].content
        cached = app.state.gate.memo_size
        assert cached > len(first.content) + len(other.content)  # both pages are kept
        time.sleep(0.3)  # idle: the gate closed the file
        r = run_cli("ingest", "hub", str(write_hub_dump(
            tmp_path / "b.jsonl", _records(24))), "--db", str(db), subprocess_=True)
        assert r.code == 0, r.err
        after = c.get("/availability?by=task")
    assert after.status_code == 200 and after.content != first.content
    assert b"s2" in after.content and b"s2" not in first.content


def test_api_replies_are_replayed_whole_and_follow_a_new_snapshot(tmp_path: Path) -> None:
    from fwatlas.web.app import create_app

    db = tmp_path / "a.duckdb"
    assert run_cli("ingest", "hub", str(write_hub_dump(tmp_path / "a.jsonl", _records(16))),
                   "--db", str(db)).code == 0
    app = create_app(db, idle_close_s=0.05)
    gate = app.state.gate
    with TestClient(app) as c:
        c.get("/api/snapshots")  # opens the store: a reply is kept under a known snapshot set
        first = c.get("/api/availability?by=task")
        kept = gate.memo_size
        again = c.get("/api/availability?by=task")
        assert (again.status_code, again.content) == (200, first.content)
        assert {k: v for k, v in again.headers.items() if k != "date"} == \
            {k: v for k, v in first.headers.items() if k != "date"}
        assert gate.memo_size == kept  # replayed: nothing new computed or kept
        # another query string is another answer; an error is not kept (built each time)
        assert c.get("/api/availability?by=year").content != first.content
        errors = [c.get("/api/availability?by=nosuch") for _ in range(2)]
        assert [e.status_code for e in errors] == [422, 422]
        assert not any(k[0] == "reply" and k[2] == b"by=nosuch" for k in gate._memo
                       if isinstance(k, tuple))
        time.sleep(0.3)  # idle: the gate closed the file
        r = run_cli("ingest", "hub", str(write_hub_dump(tmp_path / "b.jsonl", _records(24))),
                    "--db", str(db), subprocess_=True)
        assert r.code == 0, r.err
        after = c.get("/api/availability?by=task").json()
    assert after["snapshot_id"] == "s2" and first.json()["snapshot_id"] == "s1"
    assert after["total"] == first.json()["total"] + 8
