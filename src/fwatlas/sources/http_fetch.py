"""A polite concurrent HTTP GET for the online fetchers (``fwatlas refresh registry`` …).

What every fetch here needs, in one place: a limit on concurrent requests, timeouts, retries
with exponential backoff on 429 and 5xx (honouring ``Retry-After``) and on transport errors,
conditional requests (``If-None-Match`` / ``If-Modified-Since``) when an earlier response sent
validators, a Rich progress bar on stderr (when stderr is a terminal), and counts of what the
servers actually served (requests, bytes, statuses, whether validators were sent) for the
benchmark and the report.

Failing fast offline: a host that cannot be connected to (DNS failure, connection refused,
connect timeout) before it has answered anything in this fetch is not retried, and the
requests still queued for it fail at once – so with no network a refresh ends in well under a
second instead of waiting out the backoff. Once a host has answered, its connection errors are
retried like any other transport error.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 4
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "fwatlas (https://github.com/fwatlas; registry metadata for framework signals)"


@dataclass(frozen=True)
class Request:
    """One GET: a key the caller knows it by, the URL, and validators from an earlier 200."""

    key: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Response:
    """The final outcome of one request after retries (``error`` set when none arrived)."""

    key: str
    url: str
    status: int | None
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 0
    error: str | None = None


@dataclass
class Stats:
    """What the servers served: counted per attempt, bytes as received on the wire."""

    requests: int = 0
    bytes: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    with_validators: int = 0
    not_modified: int = 0
    retries: int = 0
    transport_errors: int = 0
    wall_s: float = 0.0
    unreachable_hosts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _retry_after(resp: httpx.Response, fallback: float) -> float:
    value = resp.headers.get("retry-after")
    if value and value.strip().isdigit():
        return min(float(value), 30.0)
    return fallback


#: errors that mean "no connection to this host at all" (not a reset mid-transfer)
_CONNECT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout)


@dataclass
class _Hosts:
    """Per host: has it answered anything in this fetch, and why it could not be reached."""

    answered: set[str] = field(default_factory=set)
    down: dict[str, str] = field(default_factory=dict)


def _host(url: str) -> str:
    return httpx.URL(url).netloc.decode("ascii", "replace")


async def _one(client: httpx.AsyncClient, req: Request, sem: asyncio.Semaphore, stats: Stats,
               retries: int, backoff: float, hosts: _Hosts | None = None) -> Response:
    headers = dict(req.headers)
    if req.etag:
        headers["If-None-Match"] = req.etag
    if req.last_modified:
        headers["If-Modified-Since"] = req.last_modified
    hosts = hosts if hosts is not None else _Hosts()
    host = _host(req.url)
    attempt = 0
    last_error = None
    while True:
        attempt += 1
        async with sem:
            if host in hosts.down and host not in hosts.answered:
                return Response(req.key, req.url, None, attempts=0,
                                error=f"not tried: {host} could not be reached "
                                      f"({hosts.down[host]})")
            try:
                resp = await client.get(req.url, headers=headers)
                body = resp.content
            except httpx.TransportError as exc:
                stats.requests += 1
                stats.transport_errors += 1
                last_error = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
                resp = None
                if isinstance(exc, _CONNECT_ERRORS) and host not in hosts.answered:
                    # nothing from this host yet: offline or wrong address, not a hiccup
                    hosts.down.setdefault(host, last_error)
                    if host not in stats.unreachable_hosts:
                        stats.unreachable_hosts.append(host)
                    return Response(req.key, req.url, None, attempts=attempt,
                                    error=last_error)
            else:
                hosts.answered.add(host)
        if resp is not None:
            stats.requests += 1
            stats.bytes += resp.num_bytes_downloaded  # on the wire, before decompression
            stats.statuses[resp.status_code] = stats.statuses.get(resp.status_code, 0) + 1
            if resp.headers.get("etag") or resp.headers.get("last-modified"):
                stats.with_validators += 1
            if resp.status_code not in RETRY_STATUSES or attempt > retries:
                if resp.status_code == 304:
                    stats.not_modified += 1
                return Response(req.key, req.url, resp.status_code, body,
                                resp.headers.get("etag"), resp.headers.get("last-modified"),
                                attempt, None if resp.status_code < 400 or resp.status_code
                                == 404 else f"HTTP {resp.status_code}")
            delay = _retry_after(resp, backoff * 2 ** (attempt - 1))
        else:
            if attempt > retries:
                return Response(req.key, req.url, None, attempts=attempt, error=last_error)
            delay = backoff * 2 ** (attempt - 1)
        stats.retries += 1
        await asyncio.sleep(delay)


def fetch_all(requests: Sequence[Request], *, concurrency: int = 8,
              timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES,
              backoff: float = 0.5, progress: bool = True,
              on_done: Callable[[Response], None] | None = None,
              transport: httpx.AsyncBaseTransport | None = None,
              pace: Callable[[Response], float | None] | None = None,
              ) -> tuple[list[Response], Stats]:
    """GET every request with at most ``concurrency`` in flight; results in request order.

    ``pace`` (for APIs that say how fast to go, such as Stack Exchange's ``backoff``): the
    requests are sent one after the other, and after each response ``pace(response)`` gives
    the seconds to wait before the next one – or None to send no more (those come back with
    ``error`` "not sent" and no attempts)."""
    stats = Stats()
    start = time.perf_counter()

    async def run() -> list[Response]:
        sem = asyncio.Semaphore(max(1, concurrency))
        hosts = _Hosts()
        gate = asyncio.Lock()
        stopped: list[str] = []

        async def one(req: Request) -> Response:
            if pace is None:
                return await _one(client, req, sem, stats, retries, backoff, hosts)
            async with gate:
                if stopped:
                    return Response(req.key, req.url, None, attempts=0,
                                    error=f"not sent: {stopped[0]}")
                res = await _one(client, req, sem, stats, retries, backoff, hosts)
                wait = pace(res)
                if wait is None:
                    stopped.append("the server asked for no more requests")
                elif wait > 0:
                    await asyncio.sleep(wait)
                return res

        limits = httpx.Limits(max_connections=max(1, concurrency),
                              max_keepalive_connections=max(1, concurrency))
        async with httpx.AsyncClient(timeout=httpx.Timeout(timeout), limits=limits,
                                     headers={"User-Agent": USER_AGENT},
                                     follow_redirects=True, transport=transport) as client:
            bar = _progress(progress, len(requests))
            task_id = bar.add_task("fetching", total=len(requests)) if bar else None

            async def tracked(req: Request) -> Response:
                res = await one(req)
                if on_done is not None:
                    on_done(res)
                if bar is not None and task_id is not None:
                    bar.advance(task_id)
                return res

            if bar is not None:
                bar.start()
            try:
                return list(await asyncio.gather(*(tracked(r) for r in requests)))
            finally:
                if bar is not None:
                    bar.stop()

    results = run_coroutine(run())
    stats.wall_s = time.perf_counter() - start
    return results, stats


def _progress(enabled: bool, total: int) -> Any:
    if not enabled or total < 2:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        return None  # a bar in a log or a pipe is noise (and leaves an empty line behind)
    return Progress("[progress.description]{task.description}", BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True)


def run_coroutine(coro: Any) -> Any:
    """``asyncio.run`` that also works where an event loop is already running (Jupyter, a
    web server's thread, Playwright's sync API): then it runs the loop in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()

