"""``fwatlas refresh pypi-downloads``: fetch the current top-pypi-packages dump and ingest it.

The dump (the 30-day window, about 15,000 projects) is published by hugovk/top-pypi-packages
at ``FWATLAS_TOP_PYPI_URL`` (default in ``fwatlas.settings``). It is saved under
``<cache>/pypi-downloads`` with its ``last_update`` in the file name, so earlier dumps stay
on disk, then ingested as a snapshot of ``pypi-downloads/top-30d``. Offline: one line, exit 3.
"""

from __future__ import annotations

from typing import Any

from fwatlas import settings
from fwatlas.errors import InputError, SourceUnavailable
from fwatlas.kinds import ingest_hint
from fwatlas.sources.http_fetch import Request, fetch_all
from fwatlas.sources.limits import parse_json
from fwatlas.sources.live_ingest import Fetched


def gather(limit: int | None = None, **kw: Any) -> Fetched:
    """Download the dump (``limit`` does not apply: a dump is one document), to ingest."""
    url = settings.url("FWATLAS_TOP_PYPI_URL")
    from fwatlas.sources.registry_fetch import http_policy

    [res], _stats = fetch_all([Request("dump", url)], concurrency=1, progress=False,
                              **http_policy())
    if res.status is None:
        raise SourceUnavailable(f"{url.split('/')[2]} unreachable ({res.error})",
                                hint=f"offline? {ingest_hint('pypi-downloads')}")
    if res.status != 200:
        raise SourceUnavailable(f"{url}: HTTP {res.status}")
    try:
        doc = parse_json(res.body)
        stamp = str(doc["last_update"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"the server's response is not a top-pypi-packages dump ({exc})",
                         path=url) from exc
    folder = settings.cache_dir() / "pypi-downloads"
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() else "-" for c in stamp)
    path = folder / f"top-pypi-packages-30-days_{safe}.min.json"
    path.write_bytes(res.body)
    return Fetched(path=path)
