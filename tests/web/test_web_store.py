"""The app holds the store read-only and briefly; results are memoised per snapshot set."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from tests.conftest import run_cli
from tests.report.helpers import hub_records, write_hub_dump


def _app(db, idle: float):
    from fwatlas.web.app import create_app

    return create_app(db, idle_close_s=idle)


def test_memoised_answers_do_not_reopen_the_store(tmp_path):
    db = tmp_path / "a.duckdb"
    assert run_cli("ingest", "hub", str(write_hub_dump(tmp_path / "m.jsonl")),
                   "--db", str(db)).code == 0
    app = _app(db, idle=0.05)
    with TestClient(app) as c:
        first = c.get("/api/availability").json()
        time.sleep(0.3)  # the gate closed the file meanwhile
        assert c.get("/api/availability").json() == first
        assert app.state.gate.opens == 1


def test_ingest_while_idle_succeeds_and_new_snapshots_give_new_answers(tmp_path):
    db = tmp_path / "a.duckdb"
    assert run_cli("ingest", "hub", str(write_hub_dump(tmp_path / "m.jsonl")),
                   "--db", str(db)).code == 0
    app = _app(db, idle=0.05)
    with TestClient(app) as c:
        before = c.get("/api/availability").json()
        time.sleep(0.3)
        records = hub_records() + [{"modelId": "late/pt", "tags": ["pytorch"], "downloads": 1,
                                    "lastModified": "2024-06-01T00:00:00.000Z"}]
        r = run_cli("ingest", "hub", str(write_hub_dump(tmp_path / "m2.jsonl", records)),
                    "--db", str(db), subprocess_=True)  # another process, as in real use
        assert r.code == 0, r.err  # the server was idle: it did not hold the file
        after = c.get("/api/availability").json()
        assert after["snapshot_id"] != before["snapshot_id"]
        assert after["total"] == before["total"] + 1
        assert app.state.gate.opens == 2


def test_ingest_while_the_app_holds_the_store_fails_clearly(tmp_path):
    db = tmp_path / "a.duckdb"
    assert run_cli("ingest", "hub", str(write_hub_dump(tmp_path / "m.jsonl")),
                   "--db", str(db)).code == 0
    app = _app(db, idle=60)
    with TestClient(app) as c:
        assert c.get("/api/snapshots").status_code == 200  # the file is open now
        r = run_cli("ingest", "hub", str(write_hub_dump(tmp_path / "m2.jsonl",
                                                         hub_records()[:3])), "--db", str(db),
                    subprocess_=True)
        assert r.code == 3, r.err
        assert "in use" in r.err and len(r.err.strip().splitlines()) == 1
        app.state.gate.close()
    snaps = run_cli("snapshots", "--db", str(db), "--json").json()["rows"]
    assert [s["snapshot_id"] for s in snaps if not s["reference"]] == ["s1"]


def test_serve_warns_on_a_non_loopback_host(monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from fwatlas.cli import build_app

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    result = CliRunner().invoke(build_app(), ["serve", "--host", "0.0.0.0", "--port", "9"])
    assert result.exit_code == 0
    assert "not loopback" in result.stderr
    assert calls == [{"host": "0.0.0.0", "port": 9, "workers": 1, "log_level": "warning"}]
    result = CliRunner().invoke(build_app(), ["serve"])
    assert "not loopback" not in result.stderr
    assert calls[-1]["host"] == "127.0.0.1"


def test_a_store_from_an_older_fwatlas_is_a_503_naming_the_fix(tmp_path):
    import duckdb

    db = tmp_path / "a.duckdb"
    assert run_cli("ingest", "hub", str(write_hub_dump(tmp_path / "m.jsonl")),
                   "--db", str(db)).code == 0
    con = duckdb.connect(str(db))
    con.execute("UPDATE schema_version SET version = 1 WHERE component = 'core'")
    con.close()
    with TestClient(_app(db, idle=0.05), raise_server_exceptions=False) as c:
        r = c.get("/api/availability")
    assert r.status_code == 503
    error = r.json()["error"]
    assert error["code"] == "store_outdated" and "fwatlas migrate" in error["message"]
    assert "parameter" not in error
