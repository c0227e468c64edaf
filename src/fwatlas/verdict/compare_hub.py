"""What changed between two Hub snapshots: availability shares with deltas, models in and out.

Shares come from :func:`fwatlas.analyses.availability.availability` for each snapshot (the same
numbers ``fwatlas availability --snapshot ID`` prints). Models added and removed need per-model
rows, which the bundled reference does not hold (it stores counts): there they are null.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fwatlas import vocabulary as vocab
from fwatlas.store.rows import first_row

if TYPE_CHECKING:
    from fwatlas.store.atlas import Atlas, Snapshot

SAMPLE = 20


@dataclass(frozen=True)
class ShareDelta:
    """One framework's availability in both snapshots."""

    framework: str
    available_old: float | None
    available_new: float | None
    share_available_old: float | None
    share_available_new: float | None
    share_exclusive_old: float | None
    share_exclusive_new: float | None

    @staticmethod
    def _delta(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else b - a

    def as_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "available_old": self.available_old, "available_new": self.available_new,
            "available_delta": self._delta(self.available_old, self.available_new),
            "share_available_old": self.share_available_old,
            "share_available_new": self.share_available_new,
            "share_available_delta": self._delta(self.share_available_old,
                                                 self.share_available_new),
            "share_exclusive_old": self.share_exclusive_old,
            "share_exclusive_new": self.share_exclusive_new,
            "share_exclusive_delta": self._delta(self.share_exclusive_old,
                                                 self.share_exclusive_new),
        }


@dataclass(frozen=True)
class ModelChanges:
    """Models only in the new snapshot (added) or only in the old one (removed)."""

    added: int
    removed: int
    added_sample: tuple[str, ...]
    removed_sample: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "removed": self.removed,
                "added_sample": list(self.added_sample),
                "removed_sample": list(self.removed_sample)}


def _only_in(atlas: Atlas, a: Snapshot, b: Snapshot) -> tuple[int, tuple[str, ...]]:
    """Model ids in ``a`` and not in ``b``: the count and the first few by id."""
    row = first_row(atlas.con.execute(
        "SELECT count(*) FROM (SELECT id FROM hub_models WHERE snapshot_id = ? "
        "EXCEPT SELECT id FROM hub_models WHERE snapshot_id = ?)", [a.num, b.num]))
    sample = atlas.con.execute(
        "SELECT id FROM (SELECT id FROM hub_models WHERE snapshot_id = ? "
        "EXCEPT SELECT id FROM hub_models WHERE snapshot_id = ?) ORDER BY id LIMIT ?",
        [a.num, b.num, SAMPLE]).fetchall()
    return int(row[0]) if row else 0, tuple(str(r[0]) for r in sample)


def model_changes(atlas: Atlas, old: Snapshot, new: Snapshot) -> ModelChanges | None:
    """Added/removed models between two ingested snapshots; None when either is the reference."""
    if old.num is None or new.num is None or not atlas.has_table("hub_models"):
        return None
    added, added_sample = _only_in(atlas, new, old)
    removed, removed_sample = _only_in(atlas, old, new)
    return ModelChanges(added, removed, added_sample, removed_sample)


def share_deltas(atlas: Atlas, old: Snapshot, new: Snapshot, method: str = "tags"
                 ) -> list[ShareDelta]:
    """Per framework: models available, share available and share exclusive, old and new."""
    from fwatlas.analyses.availability import availability

    a = availability(atlas, method=method, snapshot_id=old.id).overall
    b = availability(atlas, method=method, snapshot_id=new.id).overall
    return [ShareDelta(fw, a.available[fw], b.available[fw], a.share_available[fw],
                       b.share_available[fw], a.share_exclusive[fw], b.share_exclusive[fw])
            for fw in vocab.HUB_FRAMEWORKS]
