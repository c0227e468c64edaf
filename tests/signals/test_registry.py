"""Registry fetch and ingest against recorded PyPI/npm documents served from 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fwatlas.errors import InputError, SourceUnavailable
from fwatlas.ingestion import ingest
from fwatlas.refreshing import refresh
from fwatlas.sources import registry as reg
from fwatlas.sources.registry_fetch import fetch, parse_age
from fwatlas.store.atlas import open_atlas
from tests.signals.conftest import REGISTRY, recorded, store_counts

SMALL = [("pypi", "torch", "pytorch"), ("pypi", "tflite-runtime", "tensorflow"),
         ("npm", "@tensorflow/tfjs", "tensorflow")]


def _release_count(registry: str, package: str) -> int:
    doc = recorded(registry, package)
    if registry == "pypi":
        return len(doc["releases"])
    return len([k for k in doc["time"] if k not in ("created", "modified")])


def test_refresh_reads_every_configured_package(registry_server, db):
    packages = reg.package_set()
    assert len(packages) >= 30
    assert sum(1 for r, _, _ in packages if r == "npm") >= 4
    result = refresh("registry", db=db, progress=False)
    [snap] = result.created
    assert snap.dataset == "registry/packages" and snap.rows == len(packages)
    assert snap.skipped == 0
    con = open_atlas(db).con
    got = dict(con.execute("SELECT registry || ':' || package, count(*) FROM registry_releases "
                           "GROUP BY 1").fetchall())
    assert got["pypi:torch"] == _release_count("pypi", "torch")
    assert got["npm:@tensorflow/tfjs"] == _release_count("npm", "@tensorflow/tfjs")
    files = [r[0] for r in con.execute(
        "SELECT filename FROM registry_files WHERE package = 'torch' ORDER BY 1").fetchall()]
    assert files == sorted(f["filename"] for f in recorded("pypi", "torch")["urls"])
    # one request per package, nothing more
    assert len(registry_server.log) == len(packages)


def test_missing_package_is_an_item_level_problem(registry_server, db, cli, tmp_path):
    folder = tmp_path / "reg"
    report = fetch([*SMALL, ("pypi", "no-such-framework-xyz", "other")], folder=folder,
                   progress=False)
    assert report.problems == ("pypi:no-such-framework-xyz: package does not exist (HTTP 404)",)
    run = cli("ingest", "registry", str(folder), "--db", str(db), "--json")
    assert run.code == 0, run.err
    out = run.json()
    assert out["skipped"] == 1
    assert out["skipped_items"] == [
        "pypi:no-such-framework-xyz: package does not exist (HTTP 404)"]
    assert out["created"][0]["rows"] == 3


def test_503_is_retried_until_the_document_arrives(registry_server, tmp_path):
    registry_server.flaky["torch"] = 2
    report = fetch(SMALL[:1], folder=tmp_path / "reg", progress=False)
    assert report.problems == ()
    assert [s for _, s, _ in registry_server.requests_for("/pypi/torch/")] == [503, 503, 200]
    assert report.stats.retries == 2
    manifest = json.loads((tmp_path / "reg" / "manifest.json").read_text())
    assert manifest["packages"][0]["attempts"] == 3


def test_persistent_503_gives_up_and_skips(registry_server, tmp_path, monkeypatch):
    monkeypatch.setenv("FWATLAS_HTTP_RETRIES", "2")
    registry_server.flaky["torch"] = 10
    report = fetch(SMALL[:2], folder=tmp_path / "reg", progress=False)
    assert report.problems == ("pypi:torch: HTTP 503 after 3 attempts",)


def test_validators_give_200_then_304_and_reuse_the_cache(registry_server, tmp_path):
    registry_server.validators = True
    folder = tmp_path / "reg"
    first = fetch(SMALL, folder=folder, progress=False)
    assert first.stats.with_validators == 3 and first.stats.not_modified == 0
    cached = (folder / reg.cache_name("pypi", "torch")).read_bytes()
    second = fetch(SMALL, folder=folder, progress=False)
    assert second.stats.not_modified == 3
    sent = registry_server.requests_for("/pypi/torch/")[-1][2]
    assert sent["if-none-match"].startswith('"') and "if-modified-since" in sent
    assert [s for _, s, _ in registry_server.log] == [200, 200, 200, 304, 304, 304]
    assert (folder / reg.cache_name("pypi", "torch")).read_bytes() == cached


def test_servers_without_validators_get_plain_requests(registry_server, tmp_path):
    fetch(SMALL, folder=tmp_path / "reg", progress=False)
    fetch(SMALL, folder=tmp_path / "reg", progress=False)
    assert all("if-none-match" not in h for _, _, h in registry_server.log)
    assert [s for _, s, _ in registry_server.log] == [200] * 6


def test_max_age_skips_recently_fetched_packages(registry_server, tmp_path):
    folder = tmp_path / "reg"
    t0 = dt.datetime(2026, 5, 1, 12, 0)
    fetch(SMALL, folder=folder, progress=False, now=t0)
    later = fetch(SMALL, folder=folder, progress=False, max_age=parse_age("6h"),
                  now=t0 + dt.timedelta(hours=2))
    assert later.requested == 0 and later.reused_fresh == 3
    stale = fetch(SMALL, folder=folder, progress=False, max_age=parse_age("6h"),
                  now=t0 + dt.timedelta(hours=7))
    assert stale.requested == 3
    assert len(registry_server.log) == 6


def test_unreachable_registry_exits_3_with_one_line(cli, db, tmp_path, monkeypatch):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    env = {"FWATLAS_PYPI_URL": f"http://127.0.0.1:{port}",
           "FWATLAS_NPM_URL": f"http://127.0.0.1:{port}", "FWATLAS_CACHE": str(tmp_path),
           "FWATLAS_HTTP_RETRIES": "0"}
    run = cli("refresh", "registry", "--db", str(db), env=env)
    assert run.code == 3
    assert len(run.err.strip().splitlines()) == 1 and "unreachable" in run.err
    assert not db.exists()
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(SourceUnavailable, match=f"127.0.0.1:{port} unreachable"):
        fetch(SMALL, folder=tmp_path / "x", progress=False)


def test_npm_document_without_time_is_rejected_alone_and_skipped_in_a_folder(db, tmp_path):
    doc = recorded("npm", "@tensorflow/tfjs")
    del doc["time"]
    single = tmp_path / "tfjs.json"
    single.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match="no `time`") as err:
        ingest("registry", single, db=db)
    assert str(single) in str(err.value)
    assert store_counts(db)[0] == []  # no snapshot
    folder = tmp_path / "reg"
    (folder / "npm").mkdir(parents=True)
    (folder / "pypi").mkdir()
    (folder / "npm" / "%40tensorflow%2Ftfjs.json").write_text(json.dumps(doc), "utf-8")
    (folder / "pypi" / "torch.json").write_bytes((REGISTRY / "pypi" / "torch.json").read_bytes())
    result = ingest("registry", folder, db=db)
    assert result.skipped_items[0].startswith("npm:@tensorflow/tfjs: the npm document has no")
    assert result.created[0].rows == 1


def test_truncated_document_is_rejected_and_store_unchanged(db, tmp_path):
    ingest("registry", REGISTRY, db=db)
    before = store_counts(db)
    broken = tmp_path / "torch.json"
    data = (REGISTRY / "pypi" / "torch.json").read_bytes()
    broken.write_bytes(data[:len(data) // 3])
    with pytest.raises(InputError, match="not valid JSON"):
        ingest("registry", broken, db=db)
    assert store_counts(db) == before


def test_same_documents_again_are_a_no_op(db):
    first = ingest("registry", REGISTRY, db=db)
    again = ingest("registry", REGISTRY, db=db)
    assert len(first.created) == 1 and again.created == ()
    assert again.duplicates[0].id == first.created[0].id


@pytest.mark.live
def test_live_registry_answers_for_two_packages(tmp_path):
    """Touches pypi.org and registry.npmjs.org (deselected by default)."""
    report = fetch([("pypi", "torch", "pytorch"), ("npm", "@tensorflow/tfjs", "tensorflow")],
                   folder=tmp_path, progress=False)
    assert report.problems == ()
    assert report.stats.statuses.get(200) == 2


def test_fetching_works_inside_a_running_event_loop() -> None:
    """A library call from Jupyter (a running loop) must not hit asyncio.run's refusal."""
    import asyncio

    from fwatlas.sources.http_fetch import run_coroutine

    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    async def caller() -> int:
        return int(run_coroutine(answer()))

    assert run_coroutine(caller()) == 42  # the outer call itself may be inside a loop
