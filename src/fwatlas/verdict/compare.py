"""``fwatlas compare --old ID --new ID``: what changed between two snapshots of one dataset.

Hub snapshots: availability shares and their deltas, models added and removed. Registry
snapshots: new releases and status changes. Knowledge bases (``kb:`` ids or two YAML files):
entries whose status changed. Other kinds: the two snapshots' summaries side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.errors import InputError, opt

if TYPE_CHECKING:
    from fwatlas.store.atlas import Atlas, Snapshot
    from fwatlas.verdict.compare_kb import KbSide


@dataclass(frozen=True)
class Comparison:
    """The changes from ``old`` to ``new``; ``rows`` are what csv/parquet export writes."""

    kind: str
    dataset: str
    old: dict[str, Any]
    new: dict[str, Any]
    rows: tuple[dict[str, Any], ...]
    details: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    sources: tuple[dict[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"sources": list(self.sources), "kind": self.kind, "dataset": self.dataset,
                "old": self.old, "new": self.new, **self.details,
                "notes": list(self.notes), "rows": list(self.rows)}


def _summary(s: Snapshot) -> dict[str, Any]:
    return {"snapshot_id": s.id, "data_date": s.data_date.isoformat() if s.data_date else None,
            "rows": s.rows, "skipped": s.skipped, "reference": s.is_reference,
            "origin": s.origin}


def _is_kb(ref: str) -> bool:
    return ref.startswith("kb:") or (ref.endswith((".yaml", ".yml")) and Path(ref).exists())


def _kb_side(ref: str, kb: Path | None, file_as: str) -> KbSide:
    from fwatlas.verdict.compare_kb import side_from_file, side_from_id

    if ref.startswith("kb:"):
        return side_from_id(ref, kb)
    return side_from_file(Path(ref), file_as)


def _compare_kb(old_ref: str, new_ref: str, kb: Path | None, file_as: str) -> Comparison:
    from fwatlas.verdict.compare_kb import kb_changes

    old, new = _kb_side(old_ref, kb, file_as), _kb_side(new_ref, kb, file_as)
    changes = kb_changes(old, new)
    notes = tuple([f"{label}: {side.how}" for label, side in (("old", old), ("new", new))]
                  + [f"skipped in {side.origin}: {item}"
                     for side in (old, new) for item in side.skipped])

    def side(s: KbSide) -> dict[str, Any]:
        return {"snapshot_id": s.snapshot_id, "data_date": s.data_date,
                "entries": len(s.entries), "skipped": len(s.skipped), "origin": s.origin,
                "read_as": s.read_as}
    counts = {k: sum(c.change == k for c in changes) for k in ("status", "added", "removed")}
    sources: dict[str, dict[str, Any]] = {}
    for s in (old.source(), new.source(), *old.base_sources, *new.base_sources):
        sources.setdefault(str(s["snapshot_id"]), s)
    return Comparison("kb", "kb", side(old), side(new), tuple(c.as_dict() for c in changes),
                      {"changes": counts}, notes, tuple(sources.values()))


def compare(atlas: Atlas, old_ref: str, new_ref: str, *, kb: Path | None = None,
            method: str = "tags", file_as: str = "auto") -> Comparison:
    """Compare two snapshots (or knowledge-base files) of the same dataset.

    ``file_as`` says how a knowledge-base YAML file is read: ``merged`` over the bundled base
    (as ``--kb`` reads it), ``complete`` (on its own), or ``auto`` (complete when it names at
    least half of the bundled entries, else merged).
    """
    if _is_kb(old_ref) or _is_kb(new_ref):
        if not (_is_kb(old_ref) and _is_kb(new_ref)):
            raise InputError("compare a knowledge base with a knowledge base: both "
                             f"{opt('old')} and {opt('new')} must be kb: ids or knowledge-base "
                             "files")
        return _compare_kb(old_ref, new_ref, kb, file_as)
    old, new = atlas.snapshot(old_ref), atlas.snapshot(new_ref)
    if old.dataset != new.dataset:
        raise InputError(f"{old.id} is dataset {old.dataset} and {new.id} is {new.dataset}; "
                         "compare needs two snapshots of the same dataset")
    sources = (old.source(), new.source())
    if old.kind == "hub" and old.dataset == "hub/models":
        from fwatlas.verdict.compare_hub import model_changes, share_deltas

        models = model_changes(atlas, old, new)
        notes = () if models is not None else (
            "models added/removed: null – the bundled reference holds counts, not model ids",)
        return Comparison(old.kind, old.dataset, _summary(old), _summary(new),
                          tuple(d.as_dict() for d in share_deltas(atlas, old, new, method)),
                          {"method": method,
                           "models": models.as_dict() if models is not None else None},
                          notes, sources)
    if old.kind == "registry" and old.num is not None and new.num is not None:
        from fwatlas.verdict.compare_registry import registry_changes

        changes = registry_changes(atlas, old, new)
        counts: dict[str, int] = {}
        for c in changes:
            counts[c.change] = counts.get(c.change, 0) + 1
        return Comparison(old.kind, old.dataset, _summary(old), _summary(new),
                          tuple(c.as_dict() for c in changes), {"changes": counts}, (),
                          sources)
    return Comparison(old.kind, old.dataset, _summary(old), _summary(new), (), {},
                      (f"fwatlas compares Hub, registry and knowledge-base snapshots in detail; "
                       f"for {old.kind} it shows the two snapshots' summaries",), sources)
