"""What changed between two knowledge bases: entries whose status changed, added or removed.

A side is either a snapshot id – ``kb:<file>@<sha12>`` of the bundled file, or of the ``--kb``
file (then the knowledge base fwatlas uses with it: the bundled one with the file merged over)
– or a path to a knowledge-base YAML file read on its own (two versions of ``tools.yaml``).
Only name, status and status date are compared, so an older file's schema need not match
today's; an entry without a name or with an unknown status is skipped and listed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from fwatlas.errors import InputError, NotFound
from fwatlas.kb.schema import STATUSES

if TYPE_CHECKING:
    from fwatlas.kb.base import KnowledgeBase


@dataclass(frozen=True)
class KbSide:
    """One knowledge base as compared: entry -> (status, status date), and where it came from."""

    snapshot_id: str
    origin: str
    entries: dict[str, tuple[str | None, str | None]]
    data_date: str | None
    skipped: tuple[str, ...] = field(default=())

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


def side_from_file(path: Path) -> KbSide:
    """A knowledge-base YAML file on its own; a file that is not one exits 2 naming it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    try:
        doc = yaml.safe_load(data.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"not a YAML file: {first}", path=str(path)) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise InputError("not a knowledge-base file: expected a list under 'entries:'",
                         path=str(path))
    entries: dict[str, tuple[str | None, str | None]] = {}
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
        date = item.get("status_date")
        entries[name] = (status, None if date is None else str(date))
        if item.get("checked_on") is not None:
            checked.append(str(item["checked_on"]))
    if not entries:
        raise InputError("the knowledge-base file has no usable entries", path=str(path))
    sha = hashlib.sha256(data).hexdigest()
    return KbSide(f"kb:{path.name}@{sha[:12]}", str(path), entries,
                  max(checked) if checked else None, tuple(skipped))


def side_from_id(snapshot_id: str, extra: Path | None) -> KbSide:
    """The bundled knowledge base, or it merged with ``extra``, named by its snapshot id."""
    from fwatlas.kb.loader import load_kb

    kb = load_kb(extra) if extra is not None else _bundled_only()
    ids = [f.snapshot_id for f in kb.files]
    if snapshot_id not in ids:
        raise NotFound("knowledge-base snapshot", snapshot_id, ids)
    if snapshot_id == ids[0] and extra is not None:
        kb = _bundled_only()  # the bundled file's id means the bundled file alone
    entries: dict[str, tuple[str | None, str | None]] = {
        n: (e.status, e.status_date) for n, e in kb.entries.items()}
    src = next(s for s in kb.sources() if s["snapshot_id"] == snapshot_id)
    return KbSide(snapshot_id, str(src["origin"]), entries, src.get("data_date"))


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
