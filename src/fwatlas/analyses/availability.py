"""Model availability on the Hugging Face Hub: the article's figures F1 and F2.

The core quantity is the Venn partition of models by the frameworks they are available in
("cells": ``pytorch``, ``pytorch+tensorflow``, …, ``none``), weighted by a count or by downloads.
Cells come from DuckDB over an ingested snapshot, or from the bundled reference (computed from
the real 2022 sample); every figure – available, exclusive, overlaps, shares – is derived from
them by one function, for any list of frameworks.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from fwatlas import vocabulary as vocab
from fwatlas.analyses import hub_cube, hub_methods
from fwatlas.errors import InputError, opt
from fwatlas.facts import Fact
from fwatlas.kinds import ingest_hint
from fwatlas.stats import wilson_interval
from fwatlas.store import reference
from fwatlas.store.atlas import Atlas, Snapshot
from fwatlas.store.rows import first_row

Weight = Literal["count", "downloads", "downloads_all_time"]
WEIGHTS: tuple[str, ...] = get_args(Weight)
By = Literal["year", "task"]
Rank = Literal["downloads", "likes", "downloads_all_time"]

MODELS_DATASET = "hub/models"
FILTER_DATASET = "hub/filter-counts"
Cells = dict[str, float]  # combo ("pytorch+jax", "none") -> weight


def combo_name(frameworks: tuple[str, ...]) -> str:
    return "+".join(frameworks) if frameworks else "none"


def all_combos() -> list[str]:
    fws = vocab.HUB_FRAMEWORKS
    out = ["none"]
    for k in range(1, len(fws) + 1):
        out += [combo_name(c) for c in itertools.combinations(fws, k)]
    return out


def overlap_names(frameworks: tuple[str, ...] = vocab.HUB_FRAMEWORKS) -> list[str]:
    """Overlap keys, always in the contract's order (pytorch, tensorflow, jax)."""
    return [combo_name(c) for k in (2, 3) for c in itertools.combinations(frameworks, k)]


@dataclass(frozen=True)
class Availability:
    """Availability of one group of models (all, a year, or a task) under one method."""

    group: str
    total: float | None
    with_framework: float | None
    available: dict[str, float | None]
    exclusive: dict[str, float | None]
    overlaps: dict[str, float | None]
    none: float | None
    share_available: dict[str, float | None]
    share_exclusive: dict[str, float | None]

    def as_dict(self) -> dict[str, Any]:
        """Counts and download sums are whole numbers: shown as ints, shares as floats."""
        return {k: _whole(v) if not k.startswith("share") else v
                for k, v in self.__dict__.items()}

    def intervals(self, counted: bool) -> dict[str, Any]:
        """``n`` and the 95 % Wilson intervals of both shares. Only shares of counted models
        have them: a download-weighted share, or published marginals, give ``n: None``."""
        n = self.with_framework if counted else None
        if n is None or not n:
            none: dict[str, list[float] | None] = {f: None for f in vocab.HUB_FRAMEWORKS}
            return {"n": None if n is None else 0, "share_available_ci95": none,
                    "share_exclusive_ci95": dict(none)}

        def ci(count: float | None) -> list[float] | None:
            if count is None:
                return None
            interval = wilson_interval(round(count), round(n))
            return list(interval) if interval else None

        return {"n": round(n),
                "share_available_ci95": {f: ci(self.available[f]) if self.share_available[f]
                                         is not None else None for f in vocab.HUB_FRAMEWORKS},
                "share_exclusive_ci95": {f: ci(self.exclusive[f]) for f in vocab.HUB_FRAMEWORKS}}


def _whole(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _whole(v) for k, v in value.items()}
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def derive(group: str, cells: Cells | None, frameworks: tuple[str, ...],
           marginals: dict[str, float] | None = None) -> Availability:
    """Every figure of F1 from the Venn cells, relative to the listed frameworks.

    A model is exclusive to a framework when it is available in it and in none of the other
    listed frameworks; overlap ``a+b`` counts models available in exactly those listed
    frameworks. Shares are of models available in at least one listed framework (the
    article's basis). With only published marginals (no cells), exclusives, overlaps and shares
    are unknown (None), never 0.
    """
    order = [f for f in vocab.HUB_FRAMEWORKS if f in frameworks]
    nulls: dict[str, float | None] = {f: None for f in vocab.HUB_FRAMEWORKS}
    if cells is None:
        available = {f: (marginals or {}).get(f) for f in vocab.HUB_FRAMEWORKS}
        return Availability(group, None, None, available, dict(nulls),
                            {o: None for o in overlap_names()}, None, dict(nulls), dict(nulls))
    def in_listed(combo: str) -> tuple[str, ...]:
        members = () if combo == "none" else tuple(combo.split("+"))
        return tuple(f for f in order if f in members)

    total = float(sum(cells.values()))
    available = {f: float(sum(v for c, v in cells.items() if f in c.split("+")))
                 for f in vocab.HUB_FRAMEWORKS}
    exclusive: dict[str, float | None] = dict(nulls)
    overlaps: dict[str, float | None] = {o: None for o in overlap_names()}
    by_listed: dict[tuple[str, ...], float] = {}
    for combo, v in cells.items():
        key = in_listed(combo)
        by_listed[key] = by_listed.get(key, 0.0) + v
    for f in order:
        exclusive[f] = by_listed.get((f,), 0.0)
    for name in overlap_names(tuple(order)):
        overlaps[name] = by_listed.get(tuple(name.split("+")), 0.0)
    none = by_listed.get((), 0.0)
    with_fw = total - none

    def share(x: float | None) -> float | None:
        return None if x is None or not with_fw else x / with_fw

    return Availability(
        group, total, with_fw, available, exclusive, overlaps, none,
        {f: share(available[f]) if f in order else None for f in vocab.HUB_FRAMEWORKS},
        {f: share(exclusive[f]) for f in vocab.HUB_FRAMEWORKS},
    )


@dataclass(frozen=True)
class AvailabilityResult:
    """F1 for one snapshot: the headline group plus optional per-year/per-task groups."""

    method: str
    weight: str
    frameworks: tuple[str, ...]
    by: str | None
    snapshot: Snapshot
    basis: str
    overall: Availability
    groups: tuple[Availability, ...]
    notes: tuple[str, ...]
    article: dict[str, Any]
    also: tuple[dict[str, Any], ...] = field(default=())
    #: this snapshot in the article's two-framework view (PyTorch vs TensorFlow), beside it
    article_like_for_like: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        o = self.overall
        whole = o.as_dict()
        out: dict[str, Any] = {
            "method": self.method, "weight": self.weight, "frameworks": list(self.frameworks),
            "basis": self.basis, "snapshot_id": self.snapshot.id,
            "data_date": self.snapshot.data_date,
            "total": whole["total"], "with_framework": whole["with_framework"],
            "available": whole["available"], "exclusive": whole["exclusive"],
            "overlaps": whole["overlaps"], "none": whole["none"],
            "share_available": o.share_available,
            "share_exclusive": o.share_exclusive,
            **o.intervals(self.weight == "count"),
            "share_basis": "models available in at least one listed framework",
            "notes": list(self.notes), "article_2022": self.article,
            "article_2022_like_for_like": self.article_like_for_like, "also": list(self.also),
        }
        out["by"] = self.by
        out["rows"] = tidy_rows(self.groups if self.by else (self.overall,),
                                counted=self.weight == "count")
        return out


def tidy_rows(groups: tuple[Availability, ...], counted: bool = True) -> list[dict[str, Any]]:
    """One row per (group, framework): what ``--format csv|parquet`` writes; ``n`` and the
    intervals only where the shares are of counted models."""
    out = []
    for g in groups:
        ci = g.intervals(counted)
        for fw in vocab.HUB_FRAMEWORKS:
            low_a, high_a = ci["share_available_ci95"][fw] or (None, None)
            low_e, high_e = ci["share_exclusive_ci95"][fw] or (None, None)
            out.append({
                "group": g.group, "framework": fw, "total": _whole(g.total),
                "with_framework": _whole(g.with_framework), "n": ci["n"],
                "available": _whole(g.available[fw]), "share_available": g.share_available[fw],
                "share_available_ci95_low": low_a, "share_available_ci95_high": high_a,
                "exclusive": _whole(g.exclusive[fw]), "share_exclusive": g.share_exclusive[fw],
                "share_exclusive_ci95_low": low_e, "share_exclusive_ci95_high": high_e})
    return out


# --- where the cells come from -----------------------------------------------------------------


def _store_num(snap: Snapshot) -> int:
    if snap.num is None:
        raise InputError(f"{snap.id} is a reference dataset, not an ingested snapshot")
    return snap.num


def _snapshot_columns(atlas: Atlas, snap: Snapshot) -> dict[str, bool]:
    """Which optional columns an ingested snapshot holds values in (memoised per snapshot)."""
    def read() -> dict[str, bool]:
        row = first_row(atlas.con.execute(
            "SELECT has_siblings, has_created_at, has_downloads, has_downloads_all_time, "
            "has_likes, has_library_name FROM hub_snapshot_columns WHERE snapshot_id = ?",
            [snap.num]))
        keys = ("siblings", "created_at", "downloads", "downloads_all_time", "likes",
                "library_name")
        return dict(zip(keys, row, strict=True)) if row else {k: False for k in keys}

    columns: dict[str, bool] = atlas.memo(("hub_columns", snap.id), read)
    return columns


def _reference_meta(snap: Snapshot) -> dict[str, bool]:
    keys = {f.key.split(".")[0] + "." + f.key.split(".")[1]
            for f in reference.figures(snap.dataset) if f.figure == "hub.cells"}
    methods = {k.split(".")[0] for k in keys}
    weights = {k.split(".")[1] for k in keys}
    return {"siblings": "files" in methods, "created_at": False,
            "downloads": "downloads" in weights,
            "downloads_all_time": "downloads_all_time" in weights, "likes": False,
            "library_name": "library" in methods}


def supported(atlas: Atlas, snap: Snapshot) -> dict[str, bool]:
    """Which columns (and so methods and weights) a snapshot can answer."""
    if snap.is_reference:
        return _reference_meta(snap)
    return _snapshot_columns(atlas, snap)


def _check(method: str, weight: str, cols: dict[str, bool], snap: Snapshot) -> None:
    if method not in vocab.HUB_METHODS:
        raise InputError(f"unknown method {method!r}; valid: {', '.join(vocab.HUB_METHODS)}",
                         param="method")
    if weight not in WEIGHTS:
        raise InputError(f"unknown weight {weight!r}; valid: {', '.join(WEIGHTS)}", param="weight")
    methods = ["tags"] + (["files"] if cols["siblings"] else []) + (
        ["library"] if cols["library_name"] else [])
    if method not in methods:
        lacks = "sibling file lists" if method == "files" else "library_name"
        raise InputError(f"snapshot {snap.id} cannot answer the `{method}` method "
                         f"(it has no {lacks}); "
                         f"supported methods: {', '.join(methods)}")
    if weight != "count" and not cols[weight]:
        weights = ["count"] + [w for w in WEIGHTS[1:] if cols[w]]
        raise InputError(f"snapshot {snap.id} has no {weight} column; supported weights: "
                         f"{', '.join(weights)}")


def _group_expr(by: str | None, cols: dict[str, bool]) -> tuple[str, str | None]:
    if by is None:
        return "'all'", None
    if by == "year":
        if cols["created_at"]:
            return "coalesce(CAST(year(created_at) AS VARCHAR), 'unknown')", None
        return ("coalesce(CAST(year(last_modified) AS VARCHAR), 'unknown')",
                "this dump has no createdAt: years are of lastModified (the last commit)")
    if by == "task":
        return "coalesce(pipeline_tag, '(none)')", None
    raise InputError(f"unknown {opt('by')} {by!r}; valid: year, task")


def store_cells(atlas: Atlas, snap: Snapshot, method: str, weight: str, by: str | None,
                *, use_cube: bool = True) -> tuple[dict[str, Cells], list[str]]:
    """Venn cells per group of one ingested snapshot: from its cube when the cube was built
    with the current vocabulary, else computed from the per-model rows."""
    num = _store_num(snap)
    cols = _snapshot_columns(atlas, snap)
    group, note = _group_expr(by, cols)
    if use_cube and hub_cube.is_current(atlas.con, num):
        return hub_cube.cells(atlas.con, num, method, weight, by), [note] if note else []
    flags = [hub_methods.framework_expr(method, f, snap.data_date, cols["siblings"])
             for f in vocab.HUB_FRAMEWORKS]
    w = "1" if weight == "count" else f"coalesce({weight}, 0)"
    # expressions come from the vocabulary (package data); the snapshot is a bound parameter
    columns = ", ".join(f"{e} AS f{i}" for i, e in enumerate(flags))
    sql = (f"SELECT {group} AS grp, {columns}, sum({w})::DOUBLE AS w "  # noqa: S608
           "FROM hub_models WHERE snapshot_id = ? GROUP BY ALL")
    out: dict[str, Cells] = {}
    for grp, *rest in atlas.con.execute(sql, [snap.num]).fetchall():
        present = tuple(f for f, on in zip(vocab.HUB_FRAMEWORKS, rest[:-1], strict=True) if on)
        out.setdefault(str(grp), {})[combo_name(present)] = float(rest[-1])
    return out, [note] if note else []


def reference_cells(snap: Snapshot, method: str, weight: str, by: str | None
                    ) -> tuple[dict[str, Cells], list[str]]:
    """Venn cells per group from the bundled reference (``hub.cells`` rows)."""
    prefix = f"{method}.{weight}.{by or 'all'}."
    out: dict[str, Cells] = {}
    notes: set[str] = set()
    for f in reference.figures(snap.dataset):
        if f.figure == "hub.cells" and f.key.startswith(prefix) and f.value is not None:
            grp, combo = f.key[len(prefix):].rsplit(".", 1)
            out.setdefault(grp, {})[combo] = f.value
            if by == "year" and "lastModified" in f.note:
                notes.add("this dump has no createdAt: years are of lastModified (the last commit)")
    if not out:
        raise InputError(f"the reference {snap.id} holds no {method}/{weight} figures"
                         + (f" by {by}" if by else ""))
    return out, sorted(notes)


def cells_for(atlas: Atlas, snap: Snapshot, method: str, weight: str, by: str | None
              ) -> tuple[dict[str, Cells], list[str]]:
    _check(method, weight, supported(atlas, snap), snap)
    if snap.is_reference:
        return reference_cells(snap, method, weight, by)
    return store_cells(atlas, snap, method, weight, by)


# --- the analysis --------------------------------------------------------------------------------


def parse_frameworks(text: str | None) -> tuple[str, ...]:
    """``pytorch,tensorflow`` -> ordered tuple; unknown names (or none) are a usage error."""
    if text is None:
        return vocab.HUB_FRAMEWORKS
    names = [t.strip().lower() for t in text.split(",") if t.strip()]
    bad = [n for n in names if n not in vocab.HUB_FRAMEWORKS]
    if bad or not names:
        raise InputError(f"{opt('frameworks')} takes names from {', '.join(vocab.HUB_FRAMEWORKS)}; "
                         f"got {text!r}")
    return tuple(f for f in vocab.HUB_FRAMEWORKS if f in names)


def article_f1() -> dict[str, Any]:
    """The article's published F1 shares, with their source, for display beside today's."""
    rows = reference.lookup("article", "F1")
    return {k: {"value": f.value, "note": f.note, "source_url": f.source_url,
                "data_date": f.data_date} for k, f in rows.items()}


def _models_snapshot(atlas: Atlas, snapshot_id: str | None) -> Snapshot:
    if snapshot_id:
        return atlas.snapshot_of(snapshot_id, MODELS_DATASET, "availability")
    newest = atlas.newest(MODELS_DATASET)
    if newest is None:  # the bundled reference always has one
        raise InputError(f"no Hub snapshot; run `{ingest_hint('hub')}`")
    return newest


#: the frameworks the Hub's filter counts may list, in display order: Keras is a Hub library
#: filter, not one of the tags F1 partitions by, so it is shown beside them, never dropped
FILTER_FRAMEWORKS: tuple[str, ...] = (*vocab.HUB_FRAMEWORKS, "keras")


def filter_count_rows(snap: Snapshot) -> list[dict[str, Any]]:
    """One row per framework the filter counts list (Keras included): the published count of
    models, which is also its ``n`` (a count, not a share: no interval), with its source and
    date."""
    rows = reference.lookup(snap.dataset, "hub.filter_count")
    out = []
    for fw in (*FILTER_FRAMEWORKS, *sorted(set(rows) - set(FILTER_FRAMEWORKS))):
        f = rows.get(fw)
        if f is None or f.value is None:
            continue
        out.append({"framework": fw, "models": _whole(f.value), "n": _whole(f.value),
                    "basis": f.basis, "snapshot_id": snap.id, "origin": snap.origin,
                    "source_url": f.source_url, "data_date": f.data_date, "note": f.note})
    return out


def _filter_counts(atlas: Atlas) -> tuple[Snapshot, dict[str, float]] | None:
    snap = atlas.newest(FILTER_DATASET)
    if snap is None or not snap.is_reference:
        return None
    rows = reference.lookup(FILTER_DATASET, "hub.filter_count")
    return snap, {k: f.value for k, f in rows.items() if f.value is not None}


def availability(atlas: Atlas, *, method: str = "tags", weight: str = "count",
                 frameworks: tuple[str, ...] = vocab.HUB_FRAMEWORKS, by: str | None = None,
                 snapshot_id: str | None = None) -> AvailabilityResult:
    """F1: how many models (or downloads) are available in each framework, exclusively or not.

    Reads the newest ``hub/models`` snapshot (an ingested dump, else the reference computed
    from the real 2022 sample) unless ``snapshot_id`` names another. Newer published figures
    that only give per-framework totals (the Hub's filter counts) are listed under ``also``.
    """
    if by not in (None, "year", "task"):
        raise InputError(f"unknown {opt('by')} {by!r}; valid: year, task")
    snap = _models_snapshot(atlas, snapshot_id)
    key = ("availability", snap.id, method, weight, frameworks, by)

    def compute() -> AvailabilityResult:
        cells, notes = cells_for(atlas, snap, method, weight, by)
        groups: tuple[Availability, ...] = ()
        if by is None:
            overall = derive("all", cells.get("all", {}), frameworks)
        else:
            merged: Cells = {}
            for c in cells.values():
                for combo, v in c.items():
                    merged[combo] = merged.get(combo, 0.0) + v
            overall = derive("all", merged, frameworks)
            groups = tuple(derive(g, cells[g], frameworks) for g in sorted(cells))
        # the article compared PyTorch with TensorFlow only: its figures sit beside the same
        # two-framework view of this snapshot, never beside a three-framework share
        two = ("pytorch", "tensorflow")
        merged_all: Cells = {}
        for c in cells.values():
            for combo, v in c.items():
                merged_all[combo] = merged_all.get(combo, 0.0) + v
        like = derive("all", merged_all, two)
        like_for_like = {"frameworks": list(two), "share_exclusive": {
            f: like.share_exclusive[f] for f in two}, "share_available": {
            f: like.share_available[f] for f in two}, **{
            k: ({f: v[f] for f in two} if isinstance(v, dict) else v)
            for k, v in like.intervals(weight == "count").items()}}
        also: list[dict[str, Any]] = []
        fc = _filter_counts(atlas)
        # the filter counts are their own dataset: listed whichever hub/models snapshot is read
        # (not only without --snapshot, which also kept the memo's answer order-dependent)
        if fc is not None and method == "tags" and weight == "count":
            fsnap, marg = fc
            a = derive("all", None, frameworks, marg)
            libs = {k: f.value for k, f in
                    reference.lookup(FILTER_DATASET, "hub.library_count").items()
                    if f.value is not None}
            also.append({"snapshot_id": fsnap.id, "data_date": fsnap.data_date,
                         "basis": fsnap.basis, "what": "Hub framework filter counts",
                         "available": a.available, "exclusive": a.exclusive, "total": None,
                         "rows": filter_count_rows(fsnap),
                         "library_name_counts": libs})
        return AvailabilityResult(
            method=method, weight=weight, frameworks=frameworks, by=by, snapshot=snap,
            basis="computed", overall=overall, groups=groups,
            notes=(hub_methods.method_note(method, snap.data_date), *notes),
            article=article_f1(), also=tuple(also), article_like_for_like=like_for_like)

    result: AvailabilityResult = atlas.memo(key, compute)
    return result


def sources_of(result: AvailabilityResult, atlas: Atlas) -> list[dict[str, Any]]:
    srcs = [result.snapshot.source()]
    for a in result.also:
        srcs.append(atlas.snapshot(a["snapshot_id"]).source())
    article = atlas.newest("article")
    if article is not None:
        srcs.append(article.source())
    return srcs


# --- facts ---------------------------------------------------------------------------------------


def hub_facts(atlas: Atlas) -> list[Fact]:
    """``hub.<metric>.<framework>.<method>.<weight>`` for every method and weight available."""
    snap = _models_snapshot(atlas, None)
    cols = supported(atlas, snap)
    facts: list[Fact] = []
    src = (snap.source(),)
    for method in vocab.HUB_METHODS:
        for weight in WEIGHTS:
            try:
                _check(method, weight, cols, snap)
            except InputError:
                continue
            r = availability(atlas, method=method, weight=weight).overall
            unit = "models" if weight == "count" else weight.replace("_", " ")
            ci = r.intervals(weight == "count")
            for fw in vocab.HUB_FRAMEWORKS:
                q = f"{fw}.{method}.{weight}"
                ca, ce = ci["share_available_ci95"][fw], ci["share_exclusive_ci95"][fw]
                facts += [
                    Fact(f"hub.available.{q}", r.available[fw], unit, "computed", src,
                         snap.data_date),
                    Fact(f"hub.exclusive.{q}", r.exclusive[fw], unit, "computed", src,
                         snap.data_date),
                    Fact(f"hub.share_available.{q}", r.share_available[fw], "share", "computed",
                         src, snap.data_date, n=ci["n"], ci95=(ca[0], ca[1]) if ca else None),
                    Fact(f"hub.share_exclusive.{q}", r.share_exclusive[fw], "share", "computed",
                         src, snap.data_date, n=ci["n"], ci95=(ce[0], ce[1]) if ce else None),
                ]
            facts.append(Fact(f"hub.total.{method}.{weight}", r.total, unit, "computed", src,
                              snap.data_date))
    fc = _filter_counts(atlas)
    if fc is not None:
        fsnap, marg = fc
        for fw, v in marg.items():
            facts.append(Fact(f"hub.filter_count.{fw}", v, "models", "published",
                              (fsnap.source(),), fsnap.data_date))
        for lib, f in reference.lookup(FILTER_DATASET, "hub.library_count").items():
            facts.append(Fact(f"hub.library_count.{lib}", f.value, "models", "published",
                              (fsnap.source(),), fsnap.data_date))
    return facts


