"""Read commands' results memoised across processes, beside the facts (``fact_cache``).

A read command's envelope is a pure function of what the facts are computed from (the store's
snapshots, pins and ``--snapshot`` choices, this fwatlas, the extra knowledge base of
``$FWATLAS_KB``: :func:`fwatlas.store.fact_cache.key`), plus the store's path, the command,
its options (and the content of any file they name), the ``--kb`` file it was given and
'today'. An entry is keyed by a digest of all of them, so it is reused only where building
the envelope again would give the same JSON: a second ``fwatlas signals`` on an unchanged
store draws the stored envelope instead of reading the signals again, and any ingest, pin,
redate, edited knowledge base, other fwatlas, new day or copied store is a miss.

Entries are files in ``<store>.results/``, one per digest (an envelope's JSON, a report's
HTML), written atomically; every ingest removes the folder, and it keeps at most
:data:`MAX_ENTRIES` entries and :data:`MAX_BYTES` (the oldest go first). A cache that cannot
be read or written is simply not used.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.store import fact_cache

if TYPE_CHECKING:
    from fwatlas.store.atlas import Atlas

#: bumped when an entry's layout changes
FORMAT = 1
MAX_ENTRIES = 64
MAX_BYTES = 32 * 2**20


def folder_for(store: Path) -> Path:
    """The folder of one store's cached results."""
    return store.with_name(store.name + ".results")


def clear(store: Path | None) -> None:
    """Forget every cached result of a store (an ingest changed it)."""
    if store is not None:
        shutil.rmtree(folder_for(store), ignore_errors=True)


def _entry(atlas: Atlas, command: str, args: dict[str, Any], kb: str | None,
           today: dt.date, suffix: str) -> Path | None:
    """The file of one result (None: this Atlas's results are not cached)."""
    store_key = fact_cache.key(atlas)
    if store_key is None or atlas.path is None:
        return None
    # a file an option names (verdict --method, compare --old FILE) is part of the input
    files = sorted((k, fact_cache.file_identity(str(v))) for k, v in args.items()
                   if isinstance(v, str | Path) and os.path.isfile(v))
    # the store's own path too: an envelope may name it (the report's "store"), and a copied
    # store with its folder must not answer for the original
    material = json.dumps([FORMAT, store_key, str(atlas.path.resolve()), command, args, files,
                           fact_cache.file_identity(kb), today.isoformat()],
                          sort_keys=True, default=str)
    return folder_for(atlas.path) / f"{hashlib.sha256(material.encode()).hexdigest()}{suffix}"


def load_text(atlas: Atlas, command: str, args: dict[str, Any], kb: str | None,
              today: dt.date, suffix: str = ".html") -> str | None:
    """The stored text of ``command`` with ``args`` (a report's HTML), or None (make it)."""
    path = _entry(atlas, command, args, kb, today, suffix)
    if path is None:
        return None
    try:
        return path.read_text("utf-8")
    except (OSError, ValueError):
        return None


def save_text(atlas: Atlas, command: str, args: dict[str, Any], kb: str | None,
              today: dt.date, text: str, suffix: str = ".html") -> None:
    """Remember the text of one result, atomically."""
    path = _entry(atlas, command, args, kb, today, suffix)
    if path is None or len(text) > MAX_BYTES:
        return
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        tmp.write_text(text, "utf-8")
        os.replace(tmp, path)
        _bound(path.parent)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            tmp.unlink()


def load(atlas: Atlas, command: str, args: dict[str, Any], kb: str | None,
         today: dt.date) -> dict[str, Any] | None:
    """The cached envelope of ``command`` with ``args``, or None (build it)."""
    text = load_text(atlas, command, args, kb, today, ".json")
    try:
        data = json.loads(text) if text is not None else None
    except ValueError:
        return None
    payload = data.get("payload") if isinstance(data, dict) else None
    return payload if isinstance(payload, dict) else None


def save(atlas: Atlas, command: str, args: dict[str, Any], kb: str | None, today: dt.date,
         payload: dict[str, Any]) -> None:
    """Remember one envelope (plain JSON values, as builders return them)."""
    try:
        text = json.dumps({"command": command, "payload": payload})
    except (TypeError, ValueError):
        return
    save_text(atlas, command, args, kb, today, text, ".json")


def _bound(folder: Path) -> None:
    """Keep the newest entries within MAX_ENTRIES and MAX_BYTES."""
    entries = []
    for p in folder.iterdir():
        if p.suffix == ".tmp":  # another process's write in flight
            continue
        with contextlib.suppress(OSError):
            st = p.stat()
            entries.append((st.st_mtime_ns, st.st_size, p))
    entries.sort(reverse=True)
    total = 0
    for i, (_, size, p) in enumerate(entries):
        total += size
        if i >= MAX_ENTRIES or total > MAX_BYTES:
            with contextlib.suppress(OSError):
                p.unlink()
