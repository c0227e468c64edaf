"""``fwatlas refresh coverage [--versions V...]``: count the Transformers wheels from PyPI.

PyPI's JSON API (``{FWATLAS_PYPI_URL}/pypi/transformers/json``) names every release's
files; the pure-Python wheel is downloaded with httpx, checked against the sha256 PyPI
states, and counted in memory (``fwatlas.sources.coverage.count_wheel``: a zip read in place,
nothing unpacked or imported). The counts are written to ``<cache>/coverage/transformers.csv``
and ingested as a snapshot of ``coverage/transformers``. Without ``--versions``: the releases
of the bundled reference. A release PyPI does not know is a skipped item; none known, exit 1;
offline, exit 3.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urljoin

from fwatlas import settings
from fwatlas.errors import InputError, NotFound, SourceUnavailable, opt
from fwatlas.sources.coverage import LIBRARY, Release, count_wheel, write_csv
from fwatlas.sources.http_fetch import Request, fetch_all
from fwatlas.sources.limits import parse_json
from fwatlas.sources.live_ingest import Fetched

BATCH = 4  # wheels held in memory at once (a v5 wheel is ~12 MB)


def _wheel_url(files: Any) -> tuple[str, str, str | None] | None:
    """(url, file name, sha256) of a release's pure-Python wheel, or None."""
    for f in files if isinstance(files, list) else []:
        name = str(f.get("filename", "")) if isinstance(f, dict) else ""
        if f.get("packagetype") == "bdist_wheel" and name.endswith("-none-any.whl"):
            return str(f["url"]), name, (f.get("digests") or {}).get("sha256")
    return None


def fetch_releases(versions: list[str]) -> tuple[list[Release], list[str]]:
    """Count each version's wheel; (releases, skipped items).

    One request for the project's JSON document (every release's files; the per-version
    endpoint is not served by every mirror), then the wheels, a few at a time.
    """
    from fwatlas.sources.registry_fetch import http_policy

    base = settings.url("FWATLAS_PYPI_URL").rstrip("/")
    [doc_res], _ = fetch_all([Request(LIBRARY, f"{base}/pypi/{LIBRARY}/json",
                                      headers=(("Accept", "application/json"),))],
                             concurrency=1, progress=False, **http_policy())
    if doc_res.status is None:
        raise SourceUnavailable(f"{base.split('/')[2]} unreachable ({doc_res.error})",
                                hint="offline? fwatlas coverage shows the bundled releases")
    if doc_res.status != 200:
        raise SourceUnavailable(f"{base}/pypi/{LIBRARY}/json: HTTP {doc_res.status}")
    try:
        known = parse_json(doc_res.body)["releases"]
        if not isinstance(known, dict):
            raise TypeError("releases is not an object")
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not a PyPI project document ({exc})", path=doc_res.url) from exc
    skipped: list[str] = []
    wanted: list[tuple[str, str, str, str | None]] = []
    for version in versions:
        if version not in known:
            skipped.append(f"{LIBRARY} {version}: no such release on PyPI")
            continue
        found = _wheel_url(known[version])
        if found is None:
            skipped.append(f"{LIBRARY} {version}: no pure-Python wheel in the release")
            continue
        url, name, sha = found
        # a mirror may give file URLs relative to the document
        wanted.append((version, urljoin(doc_res.url, url), name, sha))
    releases: list[Release] = []
    for i in range(0, len(wanted), BATCH):
        chunk = wanted[i:i + BATCH]
        got, _ = fetch_all([Request(v, url) for v, url, _, _ in chunk], concurrency=BATCH,
                           progress=False, **http_policy())
        for (version, _url, name, sha), res in zip(chunk, got, strict=True):
            if res.status != 200:
                skipped.append(f"{name}: {res.error or f'HTTP {res.status}'}")
            elif sha and hashlib.sha256(res.body).hexdigest() != sha:
                skipped.append(f"{name}: sha256 differs from the one PyPI states")
            else:
                try:
                    releases.append(count_wheel(res.body, version=version, wheel=name))
                except InputError as exc:
                    skipped.append(f"{name}: {exc}")
    return releases, skipped


def gather(limit: int | None = None, **kw: Any) -> Fetched:
    """Count the given (default: the bundled) releases, to ingest as one CSV."""
    # no --versions: the bundled releases, which ``fwatlas.refreshing`` passes in
    versions = [v.strip() for v in (kw.get("versions") or ()) if v.strip()]
    if not versions:
        raise InputError(f"refresh coverage needs {opt('versions')}: the releases to count")
    if limit is not None:
        versions = versions[:max(0, limit)]
    releases, skipped = fetch_releases(versions)
    if not releases:
        if skipped and all("no such release" in s for s in skipped):
            raise NotFound(f"{LIBRARY} release", ", ".join(versions))
        raise SourceUnavailable(f"no {LIBRARY} wheel could be counted "
                                f"({skipped[0] if skipped else 'nothing asked'})")
    folder = settings.cache_dir() / "coverage"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{LIBRARY}.csv"
    write_csv(releases, path)
    return Fetched(path=path, notes=tuple(f"skipped: {s}" for s in skipped))
