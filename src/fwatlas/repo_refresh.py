"""``fwatlas refresh repos``: download and scan every linked repository not scanned yet.

The archives are fetched and scanned in memory by ``sources.repo_archive_fetch``; each batch of
results lands in the scan's resumable snapshot (``fwatlas.scan_store``) as it comes, so an
interrupted refresh resumes where it stopped (``refreshing.WRITES_ITSELF``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fwatlas import settings
from fwatlas.errors import InputError, opt
from fwatlas.sources.repo_archive_fetch import RepoRefresh, fetch_and_scan, linked_repos


def refresh(db: Path | str | None = None, limit: int | None = None, **kw: Any) -> RepoRefresh:
    """Download and scan every linked repository not yet scanned (``--venue``/``--year``
    narrow the links, ``--limit`` takes the first N in name order)."""
    from fwatlas.scan import rules
    from fwatlas.scan_store import ScanStore, scanned_urls
    from fwatlas.store.atlas import open_writer

    concurrency = int(kw.get("concurrency") or settings.repos_concurrency())
    if concurrency < 1:
        raise InputError(f"{opt('concurrency')} must be at least 1, not {concurrency}")
    if limit is not None and limit < 1:
        raise InputError(f"{opt('limit')} must be at least 1, not {limit}")
    with open_writer(db, components=["repos", "paper_code"]) as atlas:
        wanted = linked_repos(atlas, kw.get("venue"), kw.get("year"))
        done = scanned_urls(atlas)
        from fwatlas.sources.paper_code import repo_key

        todo = [r for r in wanted if repo_key(r) not in done]
        if limit is not None:
            todo = todo[:limit]
        store = ScanStore(atlas, origin=settings.url("FWATLAS_GITHUB_ARCHIVE_URL"),
                          scanner=rules.signature(), data_date=dt.datetime.now(dt.UTC).date(),
                          data_date_source="download date")
        result = fetch_and_scan(store, todo, concurrency=concurrency,
                                batch_size=int(kw.get("batch_size") or 50),
                                workers=int(kw.get("workers") or 1),
                                progress=bool(kw.get("progress", True)))
    result.already = len(wanted) - len([r for r in wanted if repo_key(r) not in done])
    return result
