"""The article's F2: are the most popular Hub models available in each framework?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fwatlas import vocabulary as vocab
from fwatlas.analyses import hub_methods
from fwatlas.analyses.availability import _check, _models_snapshot, supported
from fwatlas.errors import InputError, opt
from fwatlas.kinds import ingest_hint
from fwatlas.store import reference
from fwatlas.store.atlas import Atlas, Snapshot

RANKS = ("downloads", "likes", "downloads_all_time")


@dataclass(frozen=True)
class TopModels:
    """Rows of the top N models with yes/no per framework, and the summary of F2."""

    n: int
    rank: str
    method: str
    snapshot: Snapshot
    basis: str
    rows: tuple[dict[str, Any], ...]
    summary: dict[str, Any]
    notes: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n, "rank": self.rank, "method": self.method, "basis": self.basis,
                "snapshot_id": self.snapshot.id, "data_date": self.snapshot.data_date,
                "summary": self.summary, "notes": list(self.notes), "rows": list(self.rows)}


def _published(snap: Snapshot, n: int, rank: str, method: str) -> TopModels:
    """On the reference: the article's published summary of its top 30, never invented rows."""
    rows = reference.lookup("article", "F2")
    summary = {k: f.value for k, f in rows.items()}
    notes = tuple(f"{k}: {f.note}" for k, f in rows.items())
    if n != 30:
        notes += (f"the article published figures for its top 30 only; --top {n} needs an "
                  f"ingested Hub snapshot ({ingest_hint('hub')})",)
    return TopModels(n=30, rank=rank, method=method, snapshot=snap, basis="published", rows=(),
                     summary=summary, notes=notes)


def top_models(atlas: Atlas, *, n: int = 30, rank: str = "downloads", method: str = "tags",
               snapshot_id: str | None = None) -> TopModels:
    """The top ``n`` models by ``rank`` with their frameworks under ``method`` (F2)."""
    if n < 1:
        raise InputError(f"{opt('top')} must be at least 1")
    if rank not in RANKS:
        raise InputError(f"unknown {opt('rank')} {rank!r}; valid: {', '.join(RANKS)}")
    snap = _models_snapshot(atlas, snapshot_id)
    notes: tuple[str, ...] = ()
    if snap.is_reference and snapshot_id is None:
        # the reference holds figures, not models: per-model data answers, however old
        ingested = atlas.newest_ingested(snap.dataset)
        if ingested is not None:
            chosen = snap
            snap = ingested
            notes = (f"{chosen.id} (the one read: pinned or chosen) holds no per-model rows; "
                     f"ranked your newest ingested snapshot, {snap.id}",)
    if snap.is_reference:
        return _published(atlas.newest("article") or snap, n, rank, method)
    cols = supported(atlas, snap)
    _check(method, "count", cols, snap)
    if not cols[rank]:
        raise InputError(f"snapshot {snap.id} has no {rank} column to rank by")
    flags = [hub_methods.framework_expr(method, f, snap.data_date, cols["siblings"])
             for f in vocab.HUB_FRAMEWORKS]
    sql = (f"SELECT id, {rank}, pipeline_tag, {', '.join(flags)} FROM hub_models "  # noqa: S608
           f"WHERE snapshot_id = ? ORDER BY {rank} DESC NULLS LAST, id LIMIT ?")
    rows: list[dict[str, Any]] = []
    for model_id, score, task, *on in atlas.con.execute(sql, [snap.num, n]).fetchall():
        rows.append({"rank": len(rows) + 1, "id": model_id, rank: score, "task": task,
                     **{f: bool(v) for f, v in zip(vocab.HUB_FRAMEWORKS, on, strict=True)}})
    count = len(rows)
    summary: dict[str, Any] = {"models": count}
    for fw in vocab.HUB_FRAMEWORKS:
        others = [o for o in vocab.HUB_FRAMEWORKS if o != fw]
        summary[f"available.{fw}"] = sum(r[fw] for r in rows)
        summary[f"not_in.{fw}"] = sum(not r[fw] for r in rows)
        summary[f"exclusive.{fw}"] = sum(r[fw] and not any(r[o] for o in others) for r in rows)
    summary["exclusive_of_pair.tensorflow"] = sum(r["tensorflow"] and not r["pytorch"]
                                                  for r in rows)
    return TopModels(n=n, rank=rank, method=method, snapshot=snap, basis="computed",
                     rows=tuple(rows), summary=summary,
                     notes=(hub_methods.method_note(method, snap.data_date), *notes))
