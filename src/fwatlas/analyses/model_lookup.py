"""One model: its frameworks under every method, formats, task and downloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fwatlas import vocabulary as vocab
from fwatlas.analyses import hub_methods
from fwatlas.analyses.availability import MODELS_DATASET, supported
from fwatlas.errors import InputError, NotFound
from fwatlas.sources.base import ingest_hint
from fwatlas.store.atlas import Atlas, Snapshot
from fwatlas.store.rows import first_row


@dataclass(frozen=True)
class ModelInfo:
    id: str
    snapshot: Snapshot
    frameworks: dict[str, list[str] | None]  # method -> frameworks (None: method cannot say)
    formats: list[str]
    task: str | None
    library_name: str | None
    downloads: int | None
    downloads_all_time: int | None
    likes: int | None
    created_at: Any
    last_modified: Any

    def as_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "snapshot"}
        d["snapshot_id"] = self.snapshot.id
        d["data_date"] = self.snapshot.data_date
        return d


def _hub_snapshots(atlas: Atlas, snapshot_id: str | None) -> Snapshot:
    if snapshot_id:
        snap = atlas.snapshot_of(snapshot_id, MODELS_DATASET, "model lookup")
        if snap.is_reference:
            raise InputError(f"{snapshot_id} holds published figures, not models: model "
                             "lookup needs an ingested Hub snapshot")
        return snap
    newest = atlas.newest_ingested(MODELS_DATASET)
    if newest is None:
        raise InputError("model lookup needs an ingested Hub snapshot (the bundled reference "
                         f"holds figures, not models): run `{ingest_hint('hub')}`")
    return newest


def close_matches(atlas: Atlas, snap: Snapshot, model_id: str, n: int = 5) -> list[str]:
    """Nearest ids by Jaro-Winkler similarity, computed inside DuckDB (no Python scan)."""
    rows = atlas.con.execute(
        "SELECT id FROM hub_models WHERE snapshot_id = ? "
        "ORDER BY jaro_winkler_similarity(lower(id), lower(?)) DESC, id LIMIT ?",
        [snap.num, model_id, n]).fetchall()
    return [r[0] for r in rows]


@dataclass(frozen=True)
class _LookupQuery:
    """The generated SQL of a lookup and how to read its flag columns back."""

    sql: str
    labels: tuple[tuple[str, str], ...]
    formats: tuple[str, ...]


def _lookup_query(atlas: Atlas, snap: Snapshot) -> _LookupQuery:
    cols = supported(atlas, snap)
    exprs: list[str] = []
    labels: list[tuple[str, str]] = []
    for method in vocab.HUB_METHODS:
        if (method == "files" and not cols["siblings"]) or (
                method == "library" and not cols["library_name"]):
            continue
        for fw in vocab.HUB_FRAMEWORKS:
            exprs.append(hub_methods.framework_expr(method, fw, snap.data_date, cols["siblings"]))
            labels.append((method, fw))
    fmt_exprs = [hub_methods.format_tag_expr(f) for f in vocab.hub_format_tags()]
    if cols["siblings"]:
        fmt_exprs += [hub_methods.format_file_expr(f) for f in vocab.hub_format_files()]
    fmt_names = vocab.hub_format_tags() + (list(vocab.hub_format_files()) if cols["siblings"]
                                           else [])
    columns = ", ".join(exprs + fmt_exprs)  # from the vocabulary, not from the user
    sql = ("SELECT pipeline_tag, library_name, downloads, downloads_all_time, likes, "  # noqa: S608
           f"created_at, last_modified, {columns} FROM hub_models "
           "WHERE snapshot_id = ? AND id = ? LIMIT 1")
    return _LookupQuery(sql, tuple(labels), tuple(fmt_names))


def model_lookup(atlas: Atlas, model_id: str, *, snapshot_id: str | None = None) -> ModelInfo:
    """A model's frameworks under each method; unknown ids raise NotFound with close matches."""
    snap: Snapshot = atlas.memo(("hub_lookup_snapshot", snapshot_id),
                                lambda: _hub_snapshots(atlas, snapshot_id))
    query: _LookupQuery = atlas.memo(("hub_lookup_sql", snap.id),
                                     lambda: _lookup_query(atlas, snap))
    labels, fmt_names = query.labels, query.formats
    row = first_row(atlas.con.execute(query.sql, [snap.num, model_id]))
    if row is None:
        raise NotFound("model", model_id, close_matches(atlas, snap, model_id))
    task, lib, dl, dl_all, likes, created, modified, *flags = row
    frameworks: dict[str, list[str] | None] = {m: None for m in vocab.HUB_METHODS}
    for (method, fw), on in zip(labels, flags[:len(labels)], strict=True):
        frameworks[method] = (frameworks[method] or [])
        if on:
            frameworks[method].append(fw)  # type: ignore[union-attr]
    formats = sorted({name for name, on in zip(fmt_names, flags[len(labels):], strict=True)
                      if on})
    return ModelInfo(model_id, snap, frameworks, formats, task, lib, dl, dl_all, likes,
                     created, modified)
