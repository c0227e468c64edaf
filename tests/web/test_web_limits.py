"""The web server's bounds (issue 15): a byte-bounded answer cache, 503 for a store it cannot
read, and a validated --port."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fwatlas.web.store import StoreGate
from tests.conftest import run_cli


def test_the_answer_cache_is_bounded_by_bytes(tmp_path: Path) -> None:
    gate = StoreGate(tmp_path / "none.duckdb", memo_bytes=1 << 20, idle_close_s=0.05)
    try:
        for i in range(400):  # 400 distinct answers of 64 KiB: 25 MiB unbounded
            gate.run(("json", i), lambda _atlas, i=i: bytes([i % 256]) * (64 << 10))
        assert gate.memo_size <= 1 << 20
        assert 0 < len(gate._memo) <= 16
        assert ("json", 399) in gate._memo and ("json", 0) not in gate._memo
        huge = gate.run("huge", lambda _atlas: b"x" * (2 << 20))  # answered, not kept
        assert len(huge) == 2 << 20 and "huge" not in gate._memo
    finally:
        gate.close()


def test_the_cache_bound_is_a_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FWATLAS_WEB_CACHE_MB", "3")
    assert StoreGate(tmp_path / "x.duckdb").memo_bytes == 3 << 20
    monkeypatch.setenv("FWATLAS_WEB_CACHE_MB", "lots")
    from fwatlas.errors import InputError

    with pytest.raises(InputError, match="FWATLAS_WEB_CACHE_MB"):
        StoreGate(tmp_path / "x.duckdb")


@pytest.mark.parametrize("content", [b"not a database at all" * 100, b""])
def test_a_corrupt_store_is_a_503_in_the_one_error_shape(content: bytes, tmp_path: Path) -> None:
    from fwatlas.web.app import create_app

    db = tmp_path / "atlas.duckdb"
    db.write_bytes(content)
    with TestClient(create_app(db, idle_close_s=0.05), raise_server_exceptions=False) as c:
        r = c.get("/api/availability")
        page = c.get("/")
    assert r.status_code == 503, r.text
    assert set(r.json()) == {"error"} and r.json()["error"]["code"] == "store_corrupt"
    assert "parameter" not in r.json()["error"]
    assert page.status_code == 503


def test_a_duckdb_file_that_is_not_a_fwatlas_store_is_a_503(tmp_path: Path) -> None:
    import duckdb

    from fwatlas.web.app import create_app

    db = tmp_path / "other.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE t (x INT)")
    con.close()
    with TestClient(create_app(db, idle_close_s=0.05), raise_server_exceptions=False) as c:
        r = c.get("/api/availability")
    assert r.status_code == 503 and r.json()["error"]["code"] == "store_corrupt", r.text


@pytest.mark.parametrize("port", ["99999", "-1", "0", "65536"])
def test_serve_refuses_a_port_outside_1_to_65535(port: str) -> None:
    run = run_cli("serve", "--port", port)
    assert run.code == 2
    assert "Traceback" not in run.err and "--port" in run.err and "65535" in run.err
