"""``fwatlas refresh hub``: fetch the Hub's model metadata online, then ingest it.

Two real paths through ``huggingface_hub``: download the daily ``models.parquet`` of the public
``cfahlgren1/hub-stats`` dataset (the practical way to get the whole Hub), or, with ``limit``,
page ``list_models(full=True)`` into a JSON Lines file. The endpoint follows ``HF_ENDPOINT``, so
tests point the real client at a server on 127.0.0.1. Any failure to reach the Hub is
:class:`SourceUnavailable` (exit 3) with the offline alternative.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from fwatlas import settings
from fwatlas.errors import InputError, SourceUnavailable
from fwatlas.kinds import ingest_hint
from fwatlas.sources.live_ingest import Fetched

HUB_STATS_REPO = "cfahlgren1/hub-stats"
HUB_STATS_FILE = "models.parquet"
OFFLINE_HINT = f"`{ingest_hint('hub')}` works with a dump you already have"


def _network_errors() -> tuple[type[BaseException], ...]:
    import httpx
    from huggingface_hub import errors

    return (httpx.HTTPError, errors.HfHubHTTPError, errors.LocalEntryNotFoundError,
            errors.OfflineModeIsEnabled, ConnectionError, TimeoutError)


def _unreachable(exc: BaseException | None = None) -> SourceUnavailable:
    why = f" ({type(exc).__name__})" if exc is not None else ""
    return SourceUnavailable(f"the Hugging Face Hub is unreachable{why}", hint=OFFLINE_HINT)


def _ensure_reachable() -> None:
    """Fail fast (one line, exit 3) when offline or when the endpoint refuses connections.

    huggingface_hub itself retries refused connections for about half a minute and logs every
    retry; one quick probe of the same endpoint gives the user the answer at once.
    """
    if settings.hf_offline():
        raise SourceUnavailable("HF_HUB_OFFLINE is set, so the Hugging Face Hub is not contacted",
                                hint=OFFLINE_HINT)
    import httpx
    from huggingface_hub import constants
    from huggingface_hub.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    try:
        httpx.head(constants.ENDPOINT, timeout=10.0)
    except httpx.HTTPError as exc:
        raise _unreachable(exc) from exc


def download_hub_stats(cache: Path) -> Path:
    """Download (or reuse the cached) ``models.parquet`` of ``cfahlgren1/hub-stats``."""
    _ensure_reachable()
    from huggingface_hub import hf_hub_download

    network = _network_errors()
    try:
        return Path(hf_hub_download(HUB_STATS_REPO, HUB_STATS_FILE, repo_type="dataset",
                                    cache_dir=str(cache)))
    except network as exc:
        raise _unreachable(exc) from exc
    except OSError as exc:  # the local cache, not the Hub
        raise InputError(f"cannot write the download cache: {exc.strerror or exc}",
                         path=str(cache)) from exc


def page_list_models(cache: Path, limit: int) -> Path:
    """Page ``list_models(full=True)`` into a JSON Lines file (with a progress bar)."""
    _ensure_reachable()
    from huggingface_hub import HfApi
    from rich.progress import Progress

    network = _network_errors()
    out = cache / f"list_models-{dt.date.today().isoformat()}-{limit}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".part")
    try:
        with tmp.open("w", encoding="utf-8") as f, Progress(transient=True) as progress:
            task = progress.add_task("listing Hub models", total=limit)
            for model in HfApi().list_models(full=True, limit=limit):
                f.write(json.dumps({
                    "id": model.id, "author": model.author, "library_name": model.library_name,
                    "tags": model.tags or [], "pipeline_tag": model.pipeline_tag,
                    "downloads": model.downloads, "likes": model.likes,
                    "createdAt": model.created_at.isoformat() if model.created_at else None,
                    "lastModified": (model.last_modified.isoformat()
                                     if model.last_modified else None),
                    "siblings": [s.rfilename for s in (model.siblings or [])],
                }) + "\n")
                progress.advance(task)
    except network as exc:
        tmp.unlink(missing_ok=True)
        raise _unreachable(exc) from exc
    tmp.replace(out)
    return out


def gather(limit: int | None = None, **kw: Any) -> Fetched:
    """Fetch the current Hub metadata, to ingest as a ``hub/models`` snapshot."""
    cache = settings.cache_dir() / "hub"
    return Fetched(path=page_list_models(cache, limit) if limit else download_hub_stats(cache))
