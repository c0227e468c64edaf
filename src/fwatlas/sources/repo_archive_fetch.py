"""``fwatlas refresh repos``: download every linked repository's archive and scan it in memory.

For each paper-code link whose repository is not scanned yet, GET
``{FWATLAS_GITHUB_ARCHIVE_URL}/{owner}/{name}/tar.gz/HEAD`` (GitHub's archive endpoint; an
optional ``GITHUB_TOKEN`` is sent), read the tar.gz from memory with the existing detector – the
archive is never unpacked to disk and nothing in it is run – and store the result in the
``repos`` scan snapshot, batch by batch (``fwatlas.sources.repos.ScanStore``), so a crash loses
at most one batch and the next run resumes: repositories already stored (complete or open
snapshots) are not downloaded again.

- At most ``--concurrency`` downloads in flight (``FWATLAS_REPOS_CONCURRENCY``); scans run in a
  worker thread (or a process pool, ``workers > 1``) while the next archives download.
- 429 and 5xx are retried with exponential backoff, honouring ``Retry-After``
  (``FWATLAS_HTTP_RETRIES``, ``FWATLAS_HTTP_BACKOFF``); so are broken transfers.
- A 404, an archive over ``FWATLAS_ARCHIVE_MAX_BYTES`` (checked on ``Content-Length`` and while
  streaming) or an unreadable (truncated) archive is a skipped, listed item.
- No host reachable at all: :class:`SourceUnavailable` (exit 3), nothing written.
- Each result keeps the archive's newest member date and, where the archive or the server says
  it (git's pax header, a commit-like ETag), the commit, in its notes.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import hashlib
import io
import re
import tarfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx

from fwatlas import settings
from fwatlas.errors import InputError, SourceUnavailable
from fwatlas.kinds import ingest_hint
from fwatlas.scan.detect import ScanOptions, _scan_members, worker_id
from fwatlas.scan.model import RepoFailed, RepoMeta, RepoResult
from fwatlas.scan.readers import RepoReader, TarReader, UnreadableRepository, own_packages
from fwatlas.sources.http_fetch import RETRY_STATUSES, USER_AGENT, _retry_after

URL_SOURCE = "paper-code link"
_COMMIT = re.compile(r"^[0-9a-f]{40}$")


class MemoryTarReader(TarReader):
    """A tar(.gz) archive held in memory: the same member rules as a file on disk."""

    source_type = "tar"

    def __init__(self, data: bytes, name: str, max_bytes: int) -> None:
        RepoReader.__init__(self, Path(name), max_bytes)
        self.data = data
        try:
            self.tar = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
            self.infos = {m.name: m for m in self.tar.getmembers()}
        except (tarfile.TarError, OSError, EOFError, ValueError, zlib.error) as exc:
            raise UnreadableRepository(f"not a readable tar archive ({exc or 'truncated'})"
                                       ) from exc

    def content_hash(self, members: Any, refused: Any) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def commit(self) -> str | None:
        """The commit git wrote into the archive's global pax header (``git archive``)."""
        value = str(self.tar.pax_headers.get("comment", "")).strip()
        return value if _COMMIT.match(value) else None


def scan_archive(given: str, data: bytes, url: str | None, *, etag: str | None = None,
                 options: ScanOptions = ScanOptions()) -> RepoResult | RepoFailed:
    """Scan one downloaded archive in memory (never raises for the archive's own problems)."""
    from fwatlas.scan.score import build_result

    try:
        reader = MemoryTarReader(data, given, options.max_bytes)
    except UnreadableRepository as exc:
        return RepoFailed(given, str(exc))
    try:
        members, refused = reader.members()
        date, date_source = reader.date()
        names = [m.relpath for m in members]
        meta = RepoMeta(given, "tar", reader.content_hash(members, refused), date, date_source,
                        url, URL_SOURCE if url else None, own_packages(names))
        files, total = _scan_members(reader, names, options)
        commit = reader.commit()
    except (OSError, tarfile.TarError, EOFError, zlib.error) as exc:
        return RepoFailed(given, f"unreadable archive ({exc})")
    finally:
        reader.close()
    result = build_result(meta, files, refused, worker=worker_id(), bytes_read=total)
    tag = (etag or "").strip('W/"')
    if commit is None and _COMMIT.match(tag):
        commit, where = tag, "ETag"
    else:
        where = "archive header"
    if commit:
        result = dataclasses.replace(result, notes=(*result.notes, f"commit {commit} ({where})"))
    return result


#: why an archive without one readable Python, notebook or dependency file is skipped: stored,
#: it would count as a repository of no framework in every share (issue 11)
NOTHING_SCANNABLE = "no Python, notebook or dependency file in the archive"


def archive_url(repo: str, base: str | None = None) -> str:
    return f"{(base or settings.url('FWATLAS_GITHUB_ARCHIVE_URL')).rstrip('/')}/{repo}/tar.gz/HEAD"


@dataclass
class Download:
    repo: str
    url: str
    status: int | None = None
    body: bytes | None = None
    etag: str | None = None
    attempts: int = 0
    problem: str | None = None
    answered: bool = False  # the host sent any HTTP response


@dataclass
class FetchStats:
    requests: int = 0
    bytes: int = 0
    retries: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


async def _download(client: httpx.AsyncClient, d: Download, sem: asyncio.Semaphore, *,
                    cap: int, retries: int, backoff: float, stats: FetchStats,
                    down: dict[str, str], answered: set[str]) -> Download:
    host = httpx.URL(d.url).host
    while True:
        d.attempts += 1
        delay: float | None = None
        async with sem:
            if host in down and host not in answered:
                d.problem = f"not tried: {host} could not be reached ({down[host]})"
                return d
            try:
                async with client.stream("GET", d.url) as resp:
                    answered.add(host)
                    d.answered = True
                    stats.requests += 1
                    stats.statuses[resp.status_code] = stats.statuses.get(resp.status_code,
                                                                          0) + 1
                    d.status = resp.status_code
                    if resp.status_code in RETRY_STATUSES and d.attempts <= retries:
                        delay = _retry_after(resp, backoff * 2 ** (d.attempts - 1))
                    elif resp.status_code == 404:
                        d.problem = "no such repository or no public archive (HTTP 404)"
                        return d
                    elif resp.status_code != 200:
                        d.problem = f"HTTP {resp.status_code} after {d.attempts} attempt(s)"
                        return d
                    else:
                        length = resp.headers.get("content-length", "")
                        if length.isdigit() and int(length) > cap:
                            d.problem = (f"archive too large ({int(length):,} bytes; the cap "
                                         f"is {cap:,}, FWATLAS_ARCHIVE_MAX_BYTES)")
                            return d
                        chunks, size = [], 0
                        async for chunk in resp.aiter_raw():
                            size += len(chunk)
                            if size > cap:
                                d.problem = (f"archive too large (over {cap:,} bytes, "
                                             "FWATLAS_ARCHIVE_MAX_BYTES)")
                                return d
                            chunks.append(chunk)
                        stats.bytes += size
                        d.body = b"".join(chunks)
                        d.etag = resp.headers.get("etag")
                        return d
            except httpx.TransportError as exc:
                stats.requests += 1
                why = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
                if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout) \
                        and host not in answered:
                    down.setdefault(host, why)
                    d.problem = f"{host} could not be reached ({why})"
                    return d
                if d.attempts > retries:
                    d.problem = f"download failed after {d.attempts} attempts ({why})"
                    return d
                delay = backoff * 2 ** (d.attempts - 1)
        stats.retries += 1
        await asyncio.sleep(delay or 0)


class ScanWriter(Protocol):
    """Where the scanned results go: the scan's resumable snapshot (the store's side,
    ``fwatlas.scan_store.ScanStore``)."""

    @property
    def resumed(self) -> int | None: ...

    def write(self, results: list[RepoResult]) -> None: ...

    def skip(self, item: str, reason: str) -> None: ...

    def finish(self) -> Any: ...


@dataclass
class RepoRefresh:
    """What one ``refresh repos`` did."""

    snapshot: Any
    requested: int
    scanned: int
    already: int
    skipped: list[str]
    stats: FetchStats
    seconds: float
    concurrency: int
    resumed: str | None = None

    def as_dict(self) -> dict[str, Any]:
        snap = self.snapshot
        return {
            "sources": [snap.source()] if snap else [],
            "created": [snap.created()] if snap else [],
            "already_ingested": [], "ignored": [],
            "skipped": len(self.skipped), "skipped_items": list(self.skipped),
            "notes": [f"{self.scanned:,} of {self.requested:,} repositories downloaded and "
                      f"scanned ({self.already:,} scanned before) in {self.seconds:.1f} s, "
                      f"concurrency {self.concurrency}"],
            "summary": {"requested": self.requested, "scanned": self.scanned,
                        "already_scanned": self.already, "skipped": len(self.skipped),
                        "requests": self.stats.requests, "retries": self.stats.retries,
                        "bytes": self.stats.bytes, "statuses": self.stats.statuses,
                        "seconds": round(self.seconds, 3), "concurrency": self.concurrency,
                        "repos_per_second": round(self.scanned / self.seconds, 2)
                        if self.seconds else None,
                        "resumed": self.resumed},
        }


def linked_repos(atlas: Any, venue: str | None, year: int | None) -> list[str]:
    """Distinct linked repositories (``owner/name``) of the newest paper-code snapshots."""
    from fwatlas.sources.paper_code import iter_edition_rows, repo_key

    wanted = venue.strip().lower() if venue else None
    seen: dict[str, str] = {}
    editions = set()
    for _snap, v, y, repo in iter_edition_rows(atlas):
        editions.add((v, y))
        if (wanted is None or v == wanted) and (year is None or y == year):
            seen.setdefault(repo_key(repo), repo)
    if not editions:
        raise InputError(f"no paper-code links in the store: {ingest_hint('paper-code')} or "
                         "fwatlas refresh paper-code --venue V --year Y first")
    if not seen:
        known = ", ".join(f"{v} {y}" for v, y in sorted(editions))
        raise InputError(f"no paper-code links for {venue or 'any venue'} {year or ''}".strip()
                         + f"; the store has: {known}")
    return [seen[k] for k in sorted(seen)]


def fetch_and_scan(store: ScanWriter, repos: list[str], *, concurrency: int,
                   batch_size: int = 50, workers: int = 1, progress: bool = True,
                   transport: httpx.AsyncBaseTransport | None = None,
                   on_result: Callable[[RepoResult], None] | None = None) -> RepoRefresh:
    """Download and scan ``repos``, handing each batch of results to ``store`` (the scan's
    resumable snapshot, ``fwatlas.scan_store.ScanStore``: this module only fetches and
    scans)."""
    from fwatlas.sources.paper_code import repo_key

    _fast_failing_sniffio()
    started = time.perf_counter()
    cap = settings.archive_max_bytes()
    retries, backoff = settings.http_retries(), settings.http_backoff()
    stats = FetchStats()
    batch: list[RepoResult] = []
    skipped: list[str] = []
    scanned = 0
    headers = {"User-Agent": USER_AGENT}
    token = settings.github_token()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    pool: concurrent.futures.Executor = (
        concurrent.futures.ProcessPoolExecutor(max_workers=workers) if workers > 1
        else concurrent.futures.ThreadPoolExecutor(max_workers=1))
    bar = _progress(progress, len(repos))
    answered_any = False

    async def run() -> None:
        nonlocal scanned, answered_any
        sem = asyncio.Semaphore(max(1, concurrency))
        memory = asyncio.Semaphore(max(2, concurrency * 2))  # bodies held, downloaded or queued
        down: dict[str, str] = {}
        answered: set[str] = set()
        loop = asyncio.get_running_loop()
        limits = httpx.Limits(max_connections=max(1, concurrency),
                              max_keepalive_connections=max(1, concurrency))
        async with httpx.AsyncClient(timeout=httpx.Timeout(60.0), limits=limits,
                                     headers=headers, follow_redirects=True,
                                     transport=transport) as client:

            async def one(repo: str) -> None:
                nonlocal scanned, answered_any
                async with memory:
                    d = await _download(client, Download(repo, archive_url(repo)), sem,
                                        cap=cap, retries=retries, backoff=backoff, stats=stats,
                                        down=down, answered=answered)
                    answered_any = answered_any or d.answered
                    if d.body is None:
                        skipped.append(f"{repo}: {d.problem}")
                    else:
                        result = await loop.run_in_executor(
                            pool, _scan_job, f"github:{repo}", d.body, repo_key(repo), d.etag)
                        if isinstance(result, RepoFailed):
                            skipped.append(f"{repo}: {result.reason}")
                        elif not result.files_scanned:  # stored, it would count as 'none'
                            skipped.append(f"{repo}: {NOTHING_SCANNABLE}")
                        else:
                            batch.append(result)
                            scanned += 1
                            if on_result is not None:
                                on_result(result)
                            if len(batch) >= batch_size:
                                store.write(list(batch))
                                batch.clear()
                if bar is not None:
                    bar[0].advance(bar[1])

            await asyncio.gather(*(one(r) for r in repos))

    try:
        if bar is not None:
            bar[0].start()
        from fwatlas.sources.http_fetch import run_coroutine

        run_coroutine(run())
        if batch:
            store.write(list(batch))
            batch.clear()
    finally:
        if bar is not None:
            bar[0].stop()
        pool.shutdown(wait=True, cancel_futures=True)
    if repos and not answered_any:
        raise SourceUnavailable(
            f"{httpx.URL(archive_url('x/y')).host} unreachable "
            f"({skipped[0].split(': ', 1)[1] if skipped else 'no response'})",
            hint="offline? fwatlas scan PATH reads archives you downloaded")
    for item in skipped:
        store.skip(*item.split(": ", 1))
    snapshot = store.finish()
    return RepoRefresh(snapshot, len(repos), scanned, 0, skipped, stats,
                       time.perf_counter() - started, concurrency,
                       f"s{store.resumed}" if store.resumed else None)


def _fast_failing_sniffio() -> None:
    """httpcore tries ``import sniffio`` on every request; where it is not installed, each
    failed import walks the whole ``sys.path`` (a fifth of the client's time at 1,000
    archives). Marking it absent makes the same import fail at once, with the same outcome."""
    import importlib.util
    import sys

    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def _scan_job(given: str, data: bytes, url: str, etag: str | None) -> RepoResult | RepoFailed:
    try:
        return scan_archive(given, data, url, etag=etag)
    except Exception as exc:  # noqa: BLE001 - a scanner failure is one repository's problem
        return RepoFailed(given, f"scanner error: {exc!r}")


def _progress(enabled: bool, total: int) -> tuple[Any, Any] | None:
    if not enabled or total < 2:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        return None
    bar = Progress("[progress.description]{task.description}", BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True)
    return bar, bar.add_task("downloading and scanning", total=total)
