"""`fwatlas probe run` end to end on the stand-in environment: progress, results file, ingest
as a `probe` snapshot, `probe results`, the cache on a second run, and bad options."""

from __future__ import annotations

import json

import pytest

from fwatlas.probe import spec as spec_module
from fwatlas.probe.records import FIELDS
from tests.probe.standin import standin_spec, write_standin


@pytest.fixture
def standin_cli(tmp_path, monkeypatch):
    _lib, env = write_standin(tmp_path)
    monkeypatch.setattr(spec_module, "load_spec", lambda: standin_spec(timeout_s=20))
    return env, {"FWATLAS_CACHE": str(tmp_path / "cache")}


def test_probe_run_writes_ingests_and_caches(cli, db, tmp_path, standin_cli) -> None:
    env, settings = standin_cli
    results = tmp_path / "results.jsonl"
    args = ("probe", "run", "--env", str(env), "--paths", "fake-ok,fake-fail-load",
            "--models", "cnn", "--size", "tiny", "--results", str(results), "--db", str(db))
    r = cli(*args, "--json", env=settings)
    assert r.code == 0, r.err
    out = r.json()
    assert out["run"]["records"] == 2 and out["run"]["measured"] == 2
    assert out["run"]["ok"] == 1 and out["run"]["failed"] == 1
    lines = [json.loads(x) for x in results.read_text("utf-8").splitlines()]
    assert [list(x) for x in lines] == [list(FIELDS)] * 2
    assert [(x["path"], x["ok"], x["stage"]) for x in lines] == [
        ("fake-ok", True, None), ("fake-fail-load", False, "load")]
    (snap,) = out["ingest"]["created"]
    assert snap["kind"] == "probe" and snap["rows"] == 2
    shown = cli("probe", "results", "--db", str(db), "--json").json()
    assert shown["sources"][0]["snapshot_id"] == snap["snapshot_id"]
    table = cli(*args, env=settings)  # nothing changed: cached, same file content
    assert table.code == 0, table.err
    assert "2 from the cache" in table.out and "already ingested" in table.out


@pytest.mark.parametrize("extra, why", [
    (["--paths", "nosuch"], "--paths: unknown path nosuch"),
    (["--models", "resnet"], "--models: unknown resnet"),
    (["--size", "huge"], "--size 'huge' is not one of: tiny, medium"),
    (["--timeout", "0"], "--timeout must be a positive number"),
])
def test_bad_options_exit_2(cli, db, standin_cli, extra, why) -> None:
    env, settings = standin_cli
    r = cli("probe", "run", "--env", str(env), "--db", str(db), *extra, env=settings)
    assert r.code == 2 and why in r.err


def test_no_environment_says_how_to_make_one(cli, db, tmp_path) -> None:
    r = cli("probe", "run", "--env", str(tmp_path / "none"), "--db", str(db),
            env={"FWATLAS_CACHE": str(tmp_path / "c")})
    assert r.code == 2 and "fwatlas probe setup" in r.err
