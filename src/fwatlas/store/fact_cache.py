"""Facts memoised across processes: computed once per set of snapshots, read back after.

A fact is a pure function of what it is computed from: the store's snapshots (and the pins and
``--snapshot`` choices that pick among them), the bundled code and data of this fwatlas, and a
user's extra knowledge-base file. The cache keys every entry by exactly those, so an answer is
reused only where recomputing it would give the same facts; an ingest, a pin, a redate, another
fwatlas (or an edited source tree) or an edited knowledge-base file is a miss.

Read commands open the store read-only (a running ``fwatlas serve`` may hold it too), so the
cache is a file beside the store, ``<store>.facts.json``, written atomically; every ingest
removes it. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas import __version__
from fwatlas.hashing import file_sha256

if TYPE_CHECKING:
    from fwatlas.store.atlas import Atlas

#: bumped when the file's layout changes
FORMAT = 1


def path_for(store: Path) -> Path:
    """The cache file of one store."""
    return store.with_name(store.name + ".facts.json")


def invalidate(store: Path | None) -> None:
    """Forget every cached fact and command result of a store (an ingest changed it)."""
    if store is not None:
        with contextlib.suppress(OSError):
            path_for(store).unlink()
        from fwatlas.store import result_cache

        result_cache.clear(store)


@cache
def _code_fingerprint() -> str:
    """This fwatlas: its version and the size and time of every file of the package (code,
    bundled reference, knowledge base), so an edited checkout is another fwatlas."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(__version__.encode())
    for folder, dirs, files in sorted(os.walk(root)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            st = os.stat(os.path.join(folder, name))
            h.update(f"{os.path.relpath(folder, root)}/{name}:{st.st_size}:{st.st_mtime_ns}\n"
                     .encode())
    return h.hexdigest()


def file_identity(path: Path | str | None) -> str:
    """A file as a key's part: where it is and what it holds ("-": no file)."""
    if not path:
        return "-"
    try:
        return f"{Path(path).resolve()}:{file_sha256(Path(path))}"
    except OSError:
        return f"{path}:unreadable"


def _extra_kb() -> str:
    from fwatlas.settings import extra_kb_path

    return file_identity(extra_kb_path())


def key(atlas: Atlas) -> str | None:
    """What every fact of this Atlas is computed from, as one digest (None: not cached – no
    store file, or a writer, whose snapshots may change under it)."""
    if atlas.path is None or not atlas.read_only:
        return None
    digest: str = atlas.memo(("fact_cache", "key"), lambda: _digest(atlas))
    return digest


def _digest(atlas: Atlas) -> str:
    snaps = [(s.id, s.state, s.content_hash, s.data_date, s.ingested_at, s.rows, s.skipped,
              s.basis) for s in atlas.snapshots(include_reference=False,
                                                 states=("open", "complete", "failed"))]
    material = repr((FORMAT, _code_fingerprint(), _extra_kb(), snaps,
                     sorted(atlas.pins().items()), sorted(atlas.overrides.items())))
    return hashlib.sha256(material.encode()).hexdigest()


def _entries(atlas: Atlas, store: Path, digest: str) -> dict[str, Any]:
    """The file's providers for this key, read once per Atlas."""
    def read() -> dict[str, Any]:
        try:
            data = json.loads(path_for(store).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("key") != digest:
            return {}
        providers = data.get("providers")
        return providers if isinstance(providers, dict) else {}

    entries: dict[str, Any] = atlas.memo(("fact_cache", "entries", digest), read)
    return entries


def load(atlas: Atlas, provider: str) -> list[dict[str, Any]] | None:
    """The cached rows of one provider's facts for this Atlas, or None (compute them)."""
    digest = key(atlas)
    if digest is None or atlas.path is None:
        return None
    rows = _entries(atlas, atlas.path, digest).get(provider)
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        return None
    return [dict(r) for r in rows]


def save(atlas: Atlas, provider: str, rows: list[dict[str, Any]]) -> None:
    """Remember one provider's facts (JSON-ready rows) for this Atlas."""
    digest = key(atlas)
    if digest is None or atlas.path is None:
        return
    entries = _entries(atlas, atlas.path, digest)
    entries[provider] = rows
    target = path_for(atlas.path)
    # another process may have cached other providers meanwhile: keep theirs too
    try:
        on_disk = json.loads(target.read_text("utf-8"))
        if isinstance(on_disk, dict) and on_disk.get("key") == digest \
                and isinstance(on_disk.get("providers"), dict):
            entries = {**on_disk["providers"], **entries}
    except (OSError, ValueError):
        pass
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"key": digest, "fwatlas": __version__,
                                   "providers": entries}), "utf-8")
        os.replace(tmp, target)
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError):
            tmp.unlink()
