"""``fwatlas refresh registry``: fetch the configured package set, cache it, ingest it.

Reads the PyPI JSON API (``/pypi/<name>/json``: every release with its upload times and yanked
state, the newest release's files and ``requires_dist`` in one request – the PEP 691 simple API
is lighter but lacks ``requires_dist``, which GPU claims need) and the npm registry's full
documents (the abbreviated install metadata has no ``time``). Responses are trimmed to the
fields used and cached under ``<cache>/registry`` with a ``manifest.json`` (status, fetch time,
validators); the folder is then ingested like ``fwatlas ingest registry <folder>``.

Options: ``--max-age`` (``90s``, ``30m``, ``6h``, ``2d``: skip packages fetched more recently)
and ``--concurrency`` on the command line, else ``FWATLAS_REGISTRY_MAX_AGE`` and
``FWATLAS_REGISTRY_CONCURRENCY``; the base URLs (tests point them at 127.0.0.1), retries and
backoff are settings too (``fwatlas.settings``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fwatlas import settings
from fwatlas.errors import InputError, SourceUnavailable, opt
from fwatlas.kinds import ingest_hint
from fwatlas.sources import registry as reg
from fwatlas.sources.http_fetch import Request, Response, Stats, fetch_all
from fwatlas.sources.limits import parse_json
from fwatlas.sources.live_ingest import Fetched

DEFAULT_CONCURRENCY = 8  # as FWATLAS_REGISTRY_CONCURRENCY's default in fwatlas.settings


def parse_age(text: str | None) -> dt.timedelta | None:
    """``90s`` / ``30m`` / ``6h`` / ``2d`` / plain seconds -> a timedelta; bad text exits 2."""
    if text is None or not text.strip():
        return None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not m:
        raise InputError(f"{opt('max_age')} must look like 90s, 30m, 6h or 2d, not {text!r}")
    unit = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    return dt.timedelta(seconds=float(m.group(1)) * unit)


def package_url(registry: str, package: str) -> str:
    if registry == "pypi":
        base = settings.url("FWATLAS_PYPI_URL")
        return f"{base.rstrip('/')}/pypi/{quote(package, safe='')}/json"
    base = settings.url("FWATLAS_NPM_URL")
    return f"{base.rstrip('/')}/{quote(package, safe='@')}"


def cache_folder() -> Path:
    return settings.cache_dir() / "registry"


def _old_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    try:
        data = parse_json((folder / reg.MANIFEST).read_text(encoding="utf-8"))
        return {f"{p['registry']}:{p['package']}": p for p in data["packages"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


@dataclass(frozen=True)
class FetchReport:
    """What one fetch did: the folder written, HTTP counts, and which packages were reused."""

    folder: Path
    stats: Stats
    requested: int
    reused_fresh: int
    not_modified: int
    problems: tuple[str, ...]


def http_policy() -> dict[str, Any]:
    """Retries and backoff (settings FWATLAS_HTTP_RETRIES and FWATLAS_HTTP_BACKOFF)."""
    return {"retries": settings.http_retries(), "backoff": settings.http_backoff()}


def fetch(packages: list[tuple[str, str, str]] | None = None, *, folder: Path | None = None,
          max_age: dt.timedelta | None = None, concurrency: int = DEFAULT_CONCURRENCY,
          progress: bool = True, now: dt.datetime | None = None) -> FetchReport:
    """Fetch (or reuse) every package's document into ``folder`` and write its manifest."""
    packages = reg.package_set() if packages is None else packages
    folder = folder or cache_folder()
    folder.mkdir(parents=True, exist_ok=True)
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    old = _old_manifest(folder)
    entries: dict[str, dict[str, Any]] = {}
    requests: list[Request] = []
    reused = 0
    for registry, package, _fw in packages:
        key = f"{registry}:{package}"
        prev = old.get(key)
        file = reg.cache_name(registry, package)
        cached = prev is not None and prev.get("status") == 200 and (folder / file).exists()
        if cached and max_age is not None and prev is not None and prev.get("fetched_at"):
            fetched = dt.datetime.fromisoformat(prev["fetched_at"])
            if now - fetched < max_age:
                entries[key] = dict(prev)
                reused += 1
                continue
        requests.append(Request(
            key, package_url(registry, package),
            etag=prev.get("etag") if cached and prev else None,
            last_modified=prev.get("last_modified") if cached and prev else None,
            headers=(("Accept", "application/json"),)))
        entries[key] = {"registry": registry, "package": package, "file": file}

    results, stats = fetch_all(requests, concurrency=concurrency, progress=progress,
                               **http_policy())
    problems = []
    unreachable = 0
    for res in results:
        e = entries[res.key]
        problem = _store(folder, e, res, old.get(res.key), now)
        if problem:
            problems.append(f"{res.key}: {problem}")
        if res.status is None:
            unreachable += 1
    if requests and unreachable == len(requests) and reused == 0:
        hosts = sorted({r.url.split("/")[2] for r in requests})
        tried = [r.error for r in results if r.attempts] or [results[0].error]
        raise SourceUnavailable(
            f"{', '.join(hosts)} unreachable ({tried[0]})",
            hint=f"offline? {ingest_hint('registry')} reads saved documents")
    manifest = {"written_at": now.isoformat(), "packages": [
        entries[f"{r}:{p}"] for r, p, _ in packages]}
    tmp = folder / (reg.MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    tmp.replace(folder / reg.MANIFEST)
    return FetchReport(folder, stats, len(requests), reused, stats.not_modified,
                       tuple(problems))


def _store(folder: Path, e: dict[str, Any], res: Response, prev: dict[str, Any] | None,
           now: dt.datetime) -> str | None:
    """Record one response in the manifest entry ``e`` (and the cache); return its problem."""
    e.update({"url": res.url, "status": res.status, "attempts": res.attempts,
              "fetched_at": now.isoformat(), "bytes": len(res.body)})
    if res.status == 304 and prev is not None:
        e.update({"etag": prev.get("etag"), "last_modified": prev.get("last_modified"),
                  "status": 200, "not_modified": True})
        return None
    if res.status == 200:
        try:
            doc = parse_json(res.body)
            trimmed = reg.trim_pypi(doc) if e["registry"] == "pypi" else reg.trim_npm(doc)
        except (ValueError, AttributeError, TypeError) as exc:
            e["problem"] = f"response is not a registry JSON document ({exc})"
            return str(e["problem"])
        path = folder / e["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(trimmed, sort_keys=True), encoding="utf-8")
        e.update({"etag": res.etag, "last_modified": res.last_modified})
        return None
    if res.status == 404:
        e["problem"] = "package does not exist (HTTP 404)"
    elif res.status is None and not res.attempts:
        e["problem"] = res.error or "not tried"
    elif res.status is None:
        e["problem"] = (f"no response after {res.attempts} attempt"
                        f"{'s' if res.attempts != 1 else ''} ({res.error})")
    else:
        e["problem"] = f"HTTP {res.status} after {res.attempts} attempts"
    return str(e["problem"])


def gather(limit: int | None = None, **kw: Any) -> Fetched:
    """Fetch the configured package set (``limit``: only the first N), to ingest."""
    packages = reg.package_set()
    if limit is not None:
        packages = packages[:max(0, limit)]
    max_age = kw.get("max_age")
    if max_age is None:
        max_age = parse_age(settings.registry_max_age())
    elif isinstance(max_age, str):
        max_age = parse_age(max_age)
    concurrency = int(kw.get("concurrency") or settings.registry_concurrency())
    report = fetch(packages, folder=kw.get("folder"), max_age=max_age, concurrency=concurrency,
                   progress=bool(kw.get("progress", True)))
    return Fetched(path=report.folder)
