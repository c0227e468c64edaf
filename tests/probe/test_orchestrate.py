"""Orchestration with a stand-in environment: the real worker, real subprocesses, a fake
framework whose paths succeed, fail at each stage, hang, crash and refuse by design."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fwatlas.probe.orchestrate import run_probes
from fwatlas.probe.records import FIELDS
from tests.probe.standin import set_version, standin_spec, write_standin


@pytest.fixture
def standin(tmp_path: Path):
    lib, env = write_standin(tmp_path)
    return lib, env, tmp_path / "cache"


def _run(standin, ids, **kw):
    lib, env, cache = standin
    spec = kw.pop("spec", None) or standin_spec(timeout_s=kw.pop("timeout_s", 20.0))
    paths = tuple(p for p in spec.paths if p.id in ids)
    return run_probes(spec, env, paths=paths, models=kw.pop("models", ("cnn",)),
                      sizes=("tiny",), cache=cache, extra_pythonpath=(lib,), **kw)


def test_a_working_path_records_every_figure(standin) -> None:
    s = _run(standin, ["fake-ok"], models=("cnn", "block"))
    assert [(r.path, r.model, r.ok) for r in s.records] == [
        ("fake-ok", "cnn", True), ("fake-ok", "block", True)]
    r = s.records[0]
    assert list(r.as_dict()) == list(FIELDS)
    assert r.stage is None and r.error is None and r.supported
    assert r.artifact_bytes == 1024  # the model file and its sidecar
    assert r.max_abs_diff == 0.0
    for v in (r.export_s, r.latency_ms, r.latency_p10_ms, r.latency_p90_ms, r.source_latency_ms):
        assert v is not None and v >= 0
    assert r.latency_p10_ms <= r.latency_ms <= r.latency_p90_ms
    assert r.versions == {"python": r.versions["python"], "fakefw": "1.0"}
    assert r.machine["cores"] >= 1 and "cpu" in r.machine and "load_avg" in r.machine
    assert s.processes == 1 and s.measured == 2 and s.cached == 0


@pytest.mark.parametrize("path, stage, error", [
    ("fake-fail-export", "export", "RuntimeError: export broke"),
    ("fake-fail-load", "load", "RuntimeError: cannot load: bad op Erfc"),
    ("fake-fail-run", "run", "RuntimeError: run failed"),
    ("fake-fail-parity", "parity", "ValueError: max |Δ| 1 exceeds the tolerance 0.001"),
])
def test_a_failure_names_its_stage_and_key_error_line(standin, path, stage, error) -> None:
    (r,) = _run(standin, [path]).records
    assert (r.ok, r.supported, r.stage, r.error) == (False, True, stage, error)
    if stage == "parity":
        assert r.max_abs_diff == pytest.approx(1.0, abs=1e-5) and r.latency_ms is not None


def test_a_hang_is_killed_at_the_timeout_and_the_path_goes_on(standin) -> None:
    s = _run(standin, ["fake-hang", "fake-ok"], models=("cnn", "block"), timeout_s=2.0)
    by = {(r.path, r.model): r for r in s.records}
    for model in ("cnn", "block"):
        hung = by[("fake-hang", model)]
        assert (hung.ok, hung.stage) == (False, "export")
        assert hung.error == "timed out after 2 s (killed)"
    assert by[("fake-ok", "cnn")].ok and by[("fake-ok", "block")].ok
    assert s.processes == 3  # the hang's process was killed, a fresh one took the next probe


def test_a_crash_is_a_failed_record_not_a_failed_run(standin) -> None:
    s = _run(standin, ["fake-crash", "fake-crash-block"], models=("cnn", "block"))
    by = {(r.path, r.model): r for r in s.records}
    crash = by[("fake-crash", "cnn")]
    assert (crash.ok, crash.stage) == (False, "load")
    assert crash.error.startswith("the worker died of SIGSEGV")
    assert by[("fake-crash-block", "cnn")].ok
    died = by[("fake-crash-block", "block")]
    assert (died.ok, died.stage) == (False, "export")
    assert died.error.startswith("the worker exited with code 7")


def test_a_refusal_by_design_is_unsupported_not_broken(standin) -> None:
    (r,) = _run(standin, ["fake-unsupported"]).records
    assert (r.ok, r.supported, r.stage) == (False, False, "export")
    assert r.error == "ValueError: fake export requires the other backend"
    (f,) = _run(standin, ["fake-fail-export"]).records
    assert f.supported  # an ordinary failure stays supported


def test_cache_hits_by_installed_version(standin) -> None:
    lib = standin[0]
    first = _run(standin, ["fake-ok"])
    again = _run(standin, ["fake-ok"])
    assert (again.measured, again.cached, again.processes) == (0, 1, 0)
    assert again.records == first.records
    forced = _run(standin, ["fake-ok"], force=True)
    assert (forced.measured, forced.processes) == (1, 1)
    set_version(lib, "1.1")
    bumped = _run(standin, ["fake-ok"])
    assert (bumped.measured, bumped.cached) == (1, 0)
    assert bumped.records[0].versions["fakefw"] == "1.1"


def test_the_run_reports_start_up_and_import_time(standin) -> None:
    s = _run(standin, ["fake-ok"], models=("cnn", "block"))
    assert 0 < s.startup_s < s.wall_s and 0 <= s.import_s < s.wall_s
    assert json.dumps(s.as_dict())
