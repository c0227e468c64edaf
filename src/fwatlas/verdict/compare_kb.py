"""What changed between two knowledge bases: entries whose status changed, added or removed.

A side is either a snapshot id – ``kb:<file>@<sha12>`` of the bundled file, or of the ``--kb``
file (then the knowledge base fwatlas uses with it: the bundled one with the file merged over)
– or a path to a knowledge-base YAML file. A file is read the way ``--kb`` reads it – merged
over the bundled knowledge base, entry by entry – unless it is a complete knowledge base (a
version of ``tools.yaml``), which is read on its own. ``auto`` takes a file as complete when it
names at least half of the bundled entries (:data:`COMPLETE_SHARE`); every side says how it
was read (``read_as``). Only name, status and status date are compared, so an older file's
schema need not match today's; an entry without a name or with an unknown status is skipped
and listed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from fwatlas.errors import InputError, NotFound, opt
from fwatlas.kb.schema import STATUSES
from fwatlas.yamlio import load_yaml

if TYPE_CHECKING:
    from fwatlas.kb.base import KnowledgeBase

#: how a knowledge-base file given to compare is read (``auto`` decides per file)
FILE_AS: tuple[str, ...] = ("auto", "merged", "complete")
#: ``auto``: a file naming at least this share of the bundled entries is a complete base
COMPLETE_SHARE = 0.5


@dataclass(frozen=True)
class KbSide:
    """One knowledge base as compared: entry -> (status, status date), and where it came from."""

    snapshot_id: str
    origin: str
    entries: dict[str, tuple[str | None, str | None]]
    data_date: str | None
    skipped: tuple[str, ...] = field(default=())
    #: ``bundled`` (the bundled file alone), ``merged`` (a file merged over the bundled base,
    #: as --kb reads it) or ``complete`` (a file read on its own)
    read_as: str = "complete"
    #: one line saying how this side was read
    how: str = ""
    #: the other files this side rests on (the bundled file under a merged one)
    base_sources: tuple[dict[str, Any], ...] = field(default=())

    def source(self) -> dict[str, Any]:
        return {"snapshot_id": self.snapshot_id, "kind": "kb", "dataset": "kb",
                "origin": self.origin, "data_date": self.data_date, "basis": "curated"}


@dataclass(frozen=True)
class KbChange:
    entry: str
    change: str  # status | added | removed
    old_status: str | None
    new_status: str | None
    old_status_date: str | None
    new_status_date: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def side_from_file(path: Path, file_as: str = "auto") -> KbSide:
    """A knowledge-base YAML file, merged over the bundled base or on its own (``file_as``).

    A file that is not a knowledge base exits 2 naming it.
    """
    if file_as not in FILE_AS:
        raise InputError(f"{opt('file_as')} {file_as!r} is not one of: {', '.join(FILE_AS)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    try:
        doc = load_yaml(data.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"not a YAML file: {first}", path=str(path)) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise InputError("not a knowledge-base file: expected a list under 'entries:'",
                         path=str(path))
    items: dict[str, dict[str, Any]] = {}
    skipped: list[str] = []
    checked: list[str] = []
    for i, item in enumerate(doc["entries"]):
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name:
            skipped.append(f"entry #{i + 1}: no name")
            continue
        status = item.get("status")
        if status is not None and status not in STATUSES:
            skipped.append(f"{name}: unknown status {status!r}")
            continue
        items[name] = item
        if item.get("checked_on") is not None:
            checked.append(str(item["checked_on"]))
    if not items:
        raise InputError("the knowledge-base file has no usable entries", path=str(path))
    sha = hashlib.sha256(data).hexdigest()
    snapshot_id = f"kb:{path.name}@{sha[:12]}"
    data_date = max(checked) if checked else None
    base = _bundled_only()
    known = len(items.keys() & base.entries.keys())
    total = len(base.entries)
    if file_as == "auto":
        file_as = "complete" if known >= COMPLETE_SHARE * total else "merged"
    if file_as == "complete":
        entries = {n: _status_of(item) for n, item in items.items()}
        how = (f"{path}: read on its own as a complete knowledge base "
               f"({_n(len(items), 'entry', 'entries')}, {known} of the bundled {total} names)")
        return KbSide(snapshot_id, str(path), entries, data_date, tuple(skipped), "complete",
                      how)
    merged: dict[str, tuple[str | None, str | None]] = {
        n: (e.status, e.status_date) for n, e in base.entries.items()}
    for name, item in items.items():
        status, date = merged.get(name, (None, None))
        if "status" in item:
            status = item["status"]
        if "status_date" in item:
            date = None if item["status_date"] is None else str(item["status_date"])
        merged[name] = (status, date)
    how = (f"{path}: read as --kb reads it, merged over the bundled knowledge base "
           f"({_n(len(items), 'entry', 'entries')} over the bundled {total}: {known} "
           f"overlaid, {len(items) - known} new; {len(merged)} in all)")
    return KbSide(snapshot_id, str(path), merged, data_date, tuple(skipped), "merged", how,
                  tuple(base.sources()))


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _status_of(item: dict[str, Any]) -> tuple[str | None, str | None]:
    date = item.get("status_date")
    return item.get("status"), None if date is None else str(date)


def side_from_id(snapshot_id: str, extra: Path | None) -> KbSide:
    """The bundled knowledge base, or it merged with ``extra``, named by its snapshot id."""
    from fwatlas.kb.loader import load_kb

    kb = load_kb(extra) if extra is not None else _bundled_only()
    ids = [f.snapshot_id for f in kb.files]
    if snapshot_id not in ids:
        raise NotFound("knowledge-base snapshot", snapshot_id, ids)
    merged = snapshot_id != ids[0]
    if not merged and extra is not None:
        kb = _bundled_only()  # the bundled file's id means the bundled file alone
    entries: dict[str, tuple[str | None, str | None]] = {
        n: (e.status, e.status_date) for n, e in kb.entries.items()}
    sources = kb.sources()
    src = next(s for s in sources if s["snapshot_id"] == snapshot_id)
    if merged:
        how = (f"{snapshot_id}: the --kb file merged over the bundled knowledge base "
               f"({len(entries)} entries in all)")
        base = tuple(s for s in sources if s["snapshot_id"] != snapshot_id)
        return KbSide(snapshot_id, str(src["origin"]), entries, src.get("data_date"),
                      read_as="merged", how=how, base_sources=base)
    how = f"{snapshot_id}: the bundled knowledge base alone ({len(entries)} entries)"
    return KbSide(snapshot_id, str(src["origin"]), entries, src.get("data_date"),
                  read_as="bundled", how=how)


def _bundled_only() -> KnowledgeBase:
    """The bundled knowledge base alone (``load_kb(None)`` would also read $FWATLAS_KB)."""
    from fwatlas.kb.loader import build

    kb, problems = build(None)
    if kb is None:  # the bundled file is validated by its own tests
        raise InputError(str(problems[0]))
    return kb


def kb_changes(old: KbSide, new: KbSide) -> list[KbChange]:
    """Entries whose status changed, then entries added and removed, each by name."""
    out: list[KbChange] = []
    for name in sorted(old.entries.keys() & new.entries.keys()):
        (so, do), (sn, dn) = old.entries[name], new.entries[name]
        if so != sn:
            out.append(KbChange(name, "status", so, sn, do, dn))
    for name in sorted(new.entries.keys() - old.entries.keys()):
        sn, dn = new.entries[name]
        out.append(KbChange(name, "added", None, sn, None, dn))
    for name in sorted(old.entries.keys() - new.entries.keys()):
        so, do = old.entries[name]
        out.append(KbChange(name, "removed", so, None, do, None))
    return out
