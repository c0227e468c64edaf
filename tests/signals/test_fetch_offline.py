"""Offline, the online fetchers fail fast with one line and exit 3; retries stay for 429/5xx
and for a host that has answered before (no network: a closed port on 127.0.0.1 and
httpx's mock transport)."""

from __future__ import annotations

import socket
import time

import httpx

from fwatlas.sources.http_fetch import Request, fetch_all


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: connection refused
    return int(port)


def _offline_env(tmp_path, port: int) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}"
    # 4 retries of 30 s doubling: one retry alone would take 30 s, so a bound of 25 s tells
    # "did not retry" from "retried" however slowly a loaded machine starts the CLI
    return {"FWATLAS_PYPI_URL": url, "FWATLAS_NPM_URL": url, "FWATLAS_CACHE": str(tmp_path),
            "FWATLAS_TOP_PYPI_URL": f"{url}/top-pypi-packages.min.json",
            "FWATLAS_HTTP_RETRIES": "4", "FWATLAS_HTTP_BACKOFF": "30"}


def test_refresh_registry_offline_fails_fast_with_exactly_one_line(cli, db, tmp_path):
    env = _offline_env(tmp_path, _closed_port())
    for args in (["registry", "--limit", "2"], ["registry"]):
        start = time.perf_counter()
        run = cli("refresh", *args, "--db", str(db), env=env)
        took = time.perf_counter() - start
        assert run.code == 3
        assert run.err.splitlines() == [run.err.strip()]  # no empty line before it
        assert "unreachable" in run.err and "ConnectError" in run.err
        assert took < 25.0, f"{took:.1f} s offline"
        assert not db.exists()


def test_refresh_pypi_downloads_offline_fails_fast_with_exactly_one_line(cli, db, tmp_path):
    env = _offline_env(tmp_path, _closed_port())
    start = time.perf_counter()
    run = cli("refresh", "pypi-downloads", "--db", str(db), env=env)
    took = time.perf_counter() - start
    assert run.code == 3
    assert run.err.splitlines() == [run.err.strip()]
    assert "127.0.0.1" in run.err and "unreachable" in run.err
    assert took < 25.0, f"{took:.1f} s offline"


def test_a_host_that_never_answered_is_tried_once_per_fetch():
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    reqs = [Request(str(i), f"http://pypi.invalid/pypi/p{i}/json") for i in range(5)]
    start = time.perf_counter()
    results, stats = fetch_all(reqs, concurrency=1, retries=4, backoff=5.0, progress=False,
                               transport=httpx.MockTransport(handler))
    assert time.perf_counter() - start < 2.0
    assert len(seen) == 1 and stats.retries == 0 and stats.requests == 1
    assert [r.status for r in results] == [None] * 5
    assert results[0].attempts == 1 and "Connection refused" in (results[0].error or "")
    assert all(r.attempts == 0 and "not tried" in (r.error or "") for r in results[1:])
    assert stats.unreachable_hosts == ["pypi.invalid"]


def test_connection_errors_after_the_host_answered_are_still_retried():
    failures = {"http://pypi.invalid/pypi/b/json": 2}

    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if failures.get(url, 0) > 0:
            failures[url] -= 1
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return httpx.Response(200, json={"url": url})

    reqs = [Request("a", "http://pypi.invalid/pypi/a/json"),
            Request("b", "http://pypi.invalid/pypi/b/json")]
    results, stats = fetch_all(reqs, concurrency=1, retries=4, backoff=0.01, progress=False,
                               transport=httpx.MockTransport(handler))
    assert [(r.status, r.attempts) for r in results] == [(200, 1), (200, 3)]
    assert stats.retries == 2 and stats.unreachable_hosts == []


def test_5xx_from_a_fresh_host_is_retried_with_backoff():
    answers = [503, 429, 200]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(answers.pop(0), headers={"Retry-After": "0"})

    [res], stats = fetch_all([Request("x", "http://pypi.invalid/x")], retries=4,
                             backoff=0.01, progress=False,
                             transport=httpx.MockTransport(handler))
    assert (res.status, res.attempts, stats.retries) == (200, 3, 2)
