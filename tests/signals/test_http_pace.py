"""The HTTP layer's ``pace`` hook: one request after the other, waits between them, and a stop
(Stack Exchange's ``backoff`` and quota), against httpx's mock transport."""

from __future__ import annotations

import time

import httpx

from fwatlas.sources.http_fetch import Request, fetch_all


def test_pace_sends_in_order_waits_and_stops():
    seen: list[tuple[str, float]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, time.monotonic()))
        return httpx.Response(200, json={"n": len(seen)})

    waits = {"/a": 0.3, "/b": 0.0, "/c": None}
    reqs = [Request(p, f"http://api.invalid{p}") for p in ("/a", "/b", "/c", "/d", "/e")]
    results, stats = fetch_all(reqs, concurrency=4, progress=False, retries=0,
                               pace=lambda res: waits[httpx.URL(res.url).path],
                               transport=httpx.MockTransport(handler))
    assert [p for p, _ in seen] == ["/a", "/b", "/c"]
    assert seen[1][1] - seen[0][1] >= 0.28
    assert [r.status for r in results] == [200, 200, 200, None, None]
    assert all(r.attempts == 0 and (r.error or "").startswith("not sent") for r in results[3:])
    assert stats.requests == 3


def test_without_pace_requests_run_concurrently():
    in_flight, peak = [0], [0]

    async def handler(request: httpx.Request) -> httpx.Response:
        import asyncio

        in_flight[0] += 1
        peak[0] = max(peak[0], in_flight[0])
        await asyncio.sleep(0.05)
        in_flight[0] -= 1
        return httpx.Response(200)

    reqs = [Request(str(i), f"http://api.invalid/{i}") for i in range(6)]
    fetch_all(reqs, concurrency=3, progress=False, transport=httpx.MockTransport(handler))
    assert peak[0] == 3
