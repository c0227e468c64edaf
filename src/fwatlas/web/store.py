"""The web app's access to the store: read-only, short-lived, memoised per snapshot set.

DuckDB lets one process write a file, and a reader holding it open blocks that writer. The app
therefore opens the store read-only only while it answers, and closes it after a short idle
time; an ``fwatlas ingest`` run while requests keep arriving fails with the store's "in use"
message, and one run while the app is idle succeeds. Results are memoised per *snapshot set*
(the ids, states and dates of every snapshot): while the file is unchanged (same size and
modification time) a memoised answer is served without opening it at all, and after an ingest
the new snapshot set gives new answers.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from fwatlas import settings
from fwatlas.errors import FwatlasError
from fwatlas.store.atlas import Atlas, open_atlas

if TYPE_CHECKING:
    from fwatlas.analyses.model_lookup import ModelTable

T = TypeVar("T")
IDLE_CLOSE_S = 2.0
MEMO_ENTRIES = 4096


class StoreGate:
    """One read-only Atlas at a time, opened on demand, closed when idle; a bounded memo."""

    def __init__(self, db: Path | str | None = None, *, idle_close_s: float = IDLE_CLOSE_S,
                 memo_entries: int = MEMO_ENTRIES, memo_bytes: int | None = None,
                 snapshots: tuple[str, ...] = ()) -> None:
        self.path = Path(db) if db else settings.default_db_path()
        self.snapshots = snapshots  # `fwatlas serve --snapshot ID`: read these throughout
        self.idle_close_s = idle_close_s
        self.memo_entries = memo_entries
        #: the memo's size bound: entries alone do not bound memory (one answer can be MBs)
        self.memo_bytes = settings.web_cache_bytes() if memo_bytes is None else memo_bytes
        self.memo_size = 0  # bytes the memo holds now (estimated for non-bytes values)
        self._sizes: dict[Hashable, int] = {}
        self._lock = threading.RLock()
        self._atlas: Atlas | None = None
        self._fingerprint: tuple[Any, ...] | None = None
        self._snapshot_key: tuple[Any, ...] | None = None
        self._memo: OrderedDict[Hashable, Any] = OrderedDict()
        self._timer: threading.Timer | None = None
        self._last_use = 0.0  # time.monotonic() of the last use
        self._local = threading.local()
        self._generation = 0  # bumped on every open: thread-local cursors of older ones are dead
        self._cursors: list[Atlas] = []
        self._active = 0  # computations running outside the lock
        self._pending: dict[Hashable, threading.Event] = {}  # keys being computed now
        self.opens = 0  # how often the file was opened (tests and benchmarks read it)

    def fingerprint(self) -> tuple[Any, ...]:
        """Size and modification time of the store and its WAL: changes when anything writes."""
        out: list[Any] = []
        for p in (self.path, Path(f"{self.path}.wal")):
            try:
                st = p.stat()
                out.append((st.st_ino, st.st_size, st.st_mtime_ns))
            except FileNotFoundError:
                out.append(None)
        return tuple(out)

    @property
    def snapshot_key(self) -> tuple[Any, ...] | None:
        return self._snapshot_key

    def _open(self) -> Atlas:
        if self._atlas is None:
            fp = self.fingerprint()
            atlas = open_atlas(self.path, self.snapshots)
            self.opens += 1
            key = tuple((s.id, s.state, s.data_date, s.ingested_at, s.rows)
                        for s in atlas.snapshots(states=("open", "complete", "failed"))
                        ) + tuple(sorted(atlas.pins().items()))
            if key != self._snapshot_key:
                self._memo.clear()
                self._sizes.clear()
                self.memo_size = 0
            self._atlas, self._fingerprint, self._snapshot_key = atlas, fp, key
            self._generation += 1
        return self._atlas

    def _thread_atlas(self, base: Atlas, generation: int) -> Atlas:
        """This thread's cursor on the open store: DuckDB runs queries of different cursors in
        parallel (it releases the GIL), so requests do not queue behind one connection."""
        local = self._local
        if getattr(local, "generation", None) != generation:
            from fwatlas.store import reference

            con = base.con.cursor()
            con.execute("SET preserve_insertion_order = false")
            reference.attach(con)
            local.atlas = Atlas(con=con, path=base.path, read_only=True,
                                overrides=dict(base.overrides))
            local.generation = generation
            with self._lock:
                self._cursors.append(local.atlas)
        atlas: Atlas = local.atlas
        return atlas

    def _close(self) -> None:
        with self._lock:
            if self._active:  # a request is still reading: try again later
                self._arm(self.idle_close_s)
                return
            for cursor in self._cursors:
                cursor.close()
            self._cursors.clear()
            if self._atlas is not None:
                self._atlas.close()
                self._atlas = None
            self._timer = None

    def _close_when_idle(self) -> None:
        """The timer's callback: close once nothing used the store for ``idle_close_s``."""
        with self._lock:
            idle = time.monotonic() - self._last_use
            if idle < self.idle_close_s:
                self._arm(self.idle_close_s - idle)
            else:
                self._close()

    def _close_later(self) -> None:
        """Called under the lock after each use: one timer re-arms itself until the store has
        been idle long enough (a new timer thread per request cost ~0.1 ms under the lock
        that every memoised answer waits for)."""
        self._last_use = time.monotonic()
        if self._timer is None:
            self._arm(self.idle_close_s)

    def _arm(self, delay: float) -> None:
        self._timer = threading.Timer(delay, self._close_when_idle)
        self._timer.daemon = True
        self._timer.start()

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        self._close()

    def run(self, key: Hashable, compute: Callable[[Atlas], T]) -> T:
        """``compute(atlas)`` memoised per (snapshot set, key); fwatlas errors are memoised too
        (an unknown model stays unknown until the snapshots change). Concurrent misses of one
        key compute it once: the others wait for that answer (32 requests arriving together
        for one advice ran it 32 times over, on two cores)."""
        while True:
            with self._lock:
                if self._atlas is None and self._snapshot_key is not None \
                        and self.fingerprint() == self._fingerprint:
                    hit = self._lookup(key)
                    if hit is not None:
                        return hit
                base = self._open()
                hit = self._lookup(key)
                if hit is not None:
                    self._close_later()
                    return hit
                pending = self._pending.get(key)
                if pending is None:
                    pending = self._pending[key] = threading.Event()
                    self._active += 1
                    generation = self._generation
                    break
            # another thread computes this key: wait for it, then read its answer (or compute
            # it here when it was not kept: too large, another error, or a newer store)
            pending.wait()
        try:
            value: Any = compute(self._thread_atlas(base, generation))
        except FwatlasError as exc:
            value = _Failure(exc)
        except BaseException:
            with self._lock:
                self._active -= 1
                self._pending.pop(key, None)
                self._close_later()
            pending.set()
            raise
        with self._lock:
            self._active -= 1
            self._close_later()
            if generation == self._generation:
                self._remember(key, value)
            self._pending.pop(key, None)
        pending.set()
        return self._unwrap(value)

    def model_table(self, snapshot: str | None) -> ModelTable | None:
        """The lookup rows of ``snapshot`` (None: the lookup's default), read once per snapshot
        set and kept in the memo, or None when they would take over half of it (then each
        lookup queries the store) or the lookup itself fails (it then says why)."""
        from fwatlas.analyses.model_lookup import ModelTable, model_table

        try:
            table: ModelTable | bool = self.run(
                ("model_table", snapshot),
                lambda a: model_table(a, snapshot, max_bytes=self.memo_bytes // 2) or False)
        except FwatlasError:
            return None
        return table if isinstance(table, ModelTable) else None

    def _remember(self, key: Hashable, value: Any) -> None:
        """Keep ``value``; evict the least recently used until both bounds hold."""
        size = _size(value)
        if size > self.memo_bytes:
            return  # larger than the whole cache: computed, answered, not kept
        if key in self._memo:
            self.memo_size -= self._sizes.pop(key, 0)
        self._memo[key] = value
        self._memo.move_to_end(key)
        self._sizes[key] = size
        self.memo_size += size
        while self._memo and (len(self._memo) > self.memo_entries
                              or self.memo_size > self.memo_bytes):
            old, _ = self._memo.popitem(last=False)
            self.memo_size -= self._sizes.pop(old, 0)

    def peek(self, key: Hashable) -> Any:
        """A memoised value of the current snapshot set without opening anything, or None."""
        with self._lock:
            if self._snapshot_key is None:
                return None
            if self._atlas is None and self.fingerprint() != self._fingerprint:
                return None
            return self._lookup(key)

    def keep(self, key: Hashable, value: Any, snapshot_key: tuple[Any, ...] | None) -> None:
        """Memoise ``value``, computed while ``snapshot_key`` (read before) was current, unless
        the snapshot set changed meanwhile (then it may answer for the old one)."""
        with self._lock:
            if snapshot_key is not None and snapshot_key == self._snapshot_key:
                self._remember(key, value)

    def peek_json(self, key: Hashable) -> bytes | None:
        """A memoised JSON answer without opening anything, or None (then call run_json)."""
        hit: bytes | None = self.peek(("json", key))
        return hit

    def run_json(self, key: Hashable, compute: Callable[[Atlas], dict[str, Any]]) -> bytes:
        """Like :meth:`run`, memoising the encoded JSON: a memoised answer costs no encoding."""
        return self.run(("json", key), lambda atlas: encode(compute(atlas)))

    def _lookup(self, key: Hashable) -> Any:
        if key in self._memo:
            self._memo.move_to_end(key)
            return self._unwrap(self._memo[key])
        return None

    @staticmethod
    def _unwrap(value: Any) -> Any:
        if isinstance(value, _Failure):
            raise value.error
        return value


def _size(value: Any, depth: int = 0) -> int:
    """Bytes a memoised value holds: exact for encoded answers (bytes, text), a bounded
    estimate for other values (containers summed two levels deep)."""
    import sys

    if isinstance(value, bytes | bytearray | str):
        return len(value) + 64
    if isinstance(value, _Failure):
        return 512 + len(str(value.error))
    nbytes = getattr(value, "nbytes", None)  # a value that counts its own bytes (ModelTable)
    if isinstance(nbytes, int):
        return nbytes
    size = sys.getsizeof(value, 256)
    if depth < 2 and isinstance(value, dict):
        size += sum(_size(k, depth + 1) + _size(v, depth + 1) for k, v in value.items())
    elif depth < 2 and isinstance(value, list | tuple | set | frozenset):
        size += sum(_size(v, depth + 1) for v in value)
    return size


def encode(payload: dict[str, Any]) -> bytes:
    """JSON exactly as FastAPI's JSONResponse writes it (UTF-8, compact)."""
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, indent=None,
                      separators=(",", ":")).encode("utf-8")


class _Failure:
    __slots__ = ("error",)

    def __init__(self, error: FwatlasError) -> None:
        self.error = error

