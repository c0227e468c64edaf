"""``fwatlas refresh paper-code --venue V --year Y``: fetch one Paper Copilot list, ingest it.

The lists live in the public repository papercopilot/paperlists as ``<venue>/<venue><year>.json``;
the raw-file base URL is the setting ``FWATLAS_PAPERLISTS_URL`` (tests point it at 127.0.0.1).
The list is saved under ``<cache>/paper-code/`` and ingested like ``fwatlas ingest paper-code``.
A list that does not exist is exit 1; offline, exit 3.
"""

from __future__ import annotations

import re
from typing import Any

from fwatlas import settings
from fwatlas.errors import InputError, NotFound, SourceUnavailable, opt
from fwatlas.kinds import ingest_hint
from fwatlas.sources.http_fetch import Request, fetch_all
from fwatlas.sources.live_ingest import Fetched


def list_url(venue: str, year: int) -> str:
    base = settings.url("FWATLAS_PAPERLISTS_URL").rstrip("/")
    return f"{base}/{venue}/{venue}{year}.json"


def gather(limit: int | None = None, **kw: Any) -> Fetched:
    """Download ``<venue><year>.json`` (``--limit`` does not apply: a list is one file)."""
    from fwatlas.sources.registry_fetch import http_policy

    venue = str(kw.get("venue") or "").strip().lower()
    year = kw.get("year")
    if not venue or year is None:
        raise InputError(f"refresh paper-code needs {opt('venue')} and {opt('year')} (e.g. "
                         f"{opt('venue')} cvpr {opt('year')} 2024)")
    if not re.fullmatch(r"[a-z][a-z0-9]*", venue) or not 1900 < int(year) < 2100:
        raise InputError(f"not a venue edition: {venue!r} {year!r}")
    url = list_url(venue, int(year))
    [res], _ = fetch_all([Request("list", url)], concurrency=1, progress=False,
                         **http_policy())
    if res.status is None:
        raise SourceUnavailable(f"{url.split('/')[2]} unreachable ({res.error})",
                                hint=f"offline? {ingest_hint('paper-code')}")
    if res.status == 404:
        raise NotFound("Paper Copilot list", f"{venue}{year}")
    if res.status != 200:
        raise SourceUnavailable(f"{url}: HTTP {res.status}")
    folder = settings.cache_dir() / "paper-code"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{venue}{year}.json"
    path.write_bytes(res.body)
    return Fetched(path=path)
