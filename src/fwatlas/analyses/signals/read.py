"""Reading observations: (series, date, subject, value) rows from the tables each metric's
sources fill, every complete snapshot of their datasets (the newest wins a repeated date).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fwatlas.analyses.signals.model import (
    FILLED_BY,
    Observation,
    _norm,
)
from fwatlas.errors import InputError
from fwatlas.store.atlas import Atlas, Snapshot

# --- reading observations ----------------------------------------------------------------------


def _snapshots(atlas: Atlas, kind: str, snapshot_id: str | None) -> list[Snapshot]:
    if snapshot_id is not None:
        snap = atlas.snapshot(snapshot_id)
        if snap.kind != kind:
            raise InputError(f"snapshot {snapshot_id} is {snap.kind} evidence, not {kind}")
        return [snap]
    # a series merges every snapshot of its dataset, unless one was chosen (--snapshot, pin)
    snaps = atlas.snapshots(kind=kind, include_reference=False)
    chosen: dict[str, str] = {}
    for dataset in {s.dataset for s in snaps}:
        sel = atlas.selection(dataset)
        if sel is not None and sel.reason in ("--snapshot", "pinned"):
            chosen[dataset] = sel.read.id
    return [s for s in snaps if chosen.get(s.dataset, s.id) == s.id]


def _rows(atlas: Atlas, sql: str, snaps: list[Snapshot], extra: tuple[Any, ...] = ()
          ) -> list[tuple[Any, ...]]:
    nums = [s.num for s in snaps if s.num is not None]
    if not nums:
        return []
    marks = ", ".join("?" * len(nums))
    return atlas.con.execute(sql.format(marks=marks), [*nums, *extra]).fetchall()


def _period_end(start: dt.date, period: str) -> dt.date:
    if period == "year":
        return dt.date(start.year, 12, 31)
    nxt = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


#: the job-post and question queries ({marks}: the snapshot-id placeholders)
_SQL = {
    "jobs": "SELECT snapshot_id, period_start, 'month', site, subject_kind, subject, framework, "
            "postings FROM job_postings WHERE snapshot_id IN ({marks})",
    "questions": "SELECT snapshot_id, period_start, period, site, subject_kind, subject, "
                 "framework, questions FROM qa_counts WHERE snapshot_id IN ({marks})",
}


def _has_column(atlas: Atlas, table: str, column: str) -> bool:
    row = atlas.con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?"
        " AND table_schema = 'main' AND table_catalog = current_database()", [table, column]
    ).fetchall()
    return bool(row and row[0][0])


def observations(atlas: Atlas, metric: str, *, window: str = "30d",
                 snapshot_id: str | None = None) -> tuple[list[Observation], list[Snapshot]]:
    """Every observation of ``metric`` (deduplicated: the newest snapshot wins per key).

    Memoised per metric, window and the ids of the snapshots read: the report and the facts
    ask for the same series several times (ten ``signals`` calls in one report)."""
    kind, table, _ = FILLED_BY[metric]
    if not atlas.has_table(table):
        return [], []
    snaps = _snapshots(atlas, kind, snapshot_id)
    key = ("signals.observations", metric, window, tuple(s.id for s in snaps))
    obs, used = atlas.memo(key, lambda: _read(atlas, metric, table, window, snaps))
    return list(obs), list(used)


#: the newest row per (series, day, subject) and the rows in (series, day, subject) order, in
#: SQL: a star or download series has ~26,000 rows, and doing both in Python cost ~45 ms a
#: metric. ``_ranked`` joins each snapshot's series and rank; the subject keys are ``_norm``'s
#: (lower case; PEP 503 for a distribution name); of two rows alike the first stored wins
#: (best-of-ml-python lists 188 repositories twice on one date)
_NEWEST_SQL = {
    "downloads": "SELECT t.snapshot_id, t.observed_at, t.project, CAST(t.download_count AS "
                 "DOUBLE), t.n_packages, t.upstream FROM pypi_downloads t JOIN _ranked r ON "
                 't.snapshot_id = r.num WHERE t."window" = ? QUALIFY row_number() OVER ('
                 "PARTITION BY CAST(t.observed_at AS DATE), lower(regexp_replace(t.project, "
                 "'[-_.]+', '-', 'g')) ORDER BY r.rnk DESC, t.observed_at DESC, t.rowid) = 1 "
                 "ORDER BY CAST(t.observed_at AS DATE), t.project",
    "stars": "SELECT t.snapshot_id, t.observed_on, t.repo, CAST(t.stars AS DOUBLE), NULL "
             "FROM github_repos t JOIN _ranked r ON t.snapshot_id = r.num QUALIFY row_number() "
             "OVER (PARTITION BY r.series, t.observed_on, lower(t.repo) "
             "ORDER BY r.rnk DESC, t.rowid) = 1 ORDER BY r.series, t.observed_on, t.repo",
    "dependents": "SELECT t.snapshot_id, t.observed_on, t.repo, CAST(t.dependents AS DOUBLE), "
                  "{basis} FROM github_repos t JOIN _ranked r ON t.snapshot_id = r.num "
                  "QUALIFY row_number() OVER (PARTITION BY r.series, t.observed_on, "
                  "lower(t.repo) ORDER BY r.rnk DESC, t.rowid) = 1 "
                  "ORDER BY r.series, t.observed_on, t.repo",
}


def _newest_rows(atlas: Atlas, sql: str, snaps: list[Snapshot], extra: tuple[Any, ...] = ()
                 ) -> list[tuple[Any, ...]]:
    """Rows of ``_NEWEST_SQL``: each snapshot's series (its dataset) and its rank – the order
    :meth:`Snapshot.rank` gives, as a number – bound as parameters."""
    ranked = [s for s in sorted(snaps, key=Snapshot.rank) if s.num is not None]
    if not ranked:
        return []
    values = ", ".join("(?, ?, ?)" for _ in ranked)
    params: list[Any] = [x for i, s in enumerate(ranked) for x in (s.num, s.dataset, i)]
    return atlas.con.execute(f"WITH _ranked(num, series, rnk) AS (VALUES {values}) {sql}",
                             [*params, *extra]).fetchall()


def _read(atlas: Atlas, metric: str, table: str, window: str, snaps: list[Snapshot]
          ) -> tuple[tuple[Observation, ...], tuple[Snapshot, ...]]:
    by_num = {s.num: s for s in snaps}
    if metric in _NEWEST_SQL:
        sql = _NEWEST_SQL[metric]
        if metric == "dependents":
            # stores written before fwatlas recorded the supplying columns have no such column
            sql = sql.replace("{basis}", "t.dependents_basis" if _has_column(
                atlas, table, "dependents_basis") else "NULL")
        if metric == "downloads":
            series = f"pypi-downloads/{window}"
            kept = [Observation(series, at.date(), project, None, count, by_num[num], upstream,
                                n, at=at)
                    for num, at, project, count, n, upstream in _newest_rows(
                        atlas, sql, snaps, (window,))]
        else:
            kept = [Observation(by_num[num].dataset, day, repo, None, value, by_num[num],
                                basis=how)
                    for num, day, repo, value, how in _newest_rows(atlas, sql, snaps)]
        used = sorted({o.snapshot.id: o.snapshot for o in kept}.values(), key=lambda s: s.id)
        return tuple(kept), tuple(used)
    out: list[Observation] = []  # job posts and questions: ~2,000 rows, ranked here
    for num, start, per, site, skind, subject, fw, value in _rows(atlas, _SQL[metric], snaps):
        snap = by_num[num]
        series = snap.dataset + (f":{site}" if snap.dataset == "jobs/sites" else "")
        # a calendar period the snapshot's data date cuts short (a hiring thread is whole)
        partial = metric == "questions" and snap.data_date is not None \
            and _period_end(start, per) > snap.data_date
        subj = f"framework:{subject}" if skind == "framework" else subject
        out.append(Observation(series, start, subj, fw,
                               None if value is None else float(value), snap,
                               partial=partial))
    # one point per (series, day, subject): the newest snapshot's, then the day's last dump
    # (each snapshot's rank and each subject's normal form computed once)
    rank = {s.id: s.rank() for s in snaps}  # by id: ``Snapshot.num`` parses the id each call
    normal: dict[str, str] = {}
    best: dict[tuple[str, dt.date, str], tuple[tuple[Any, ...], Observation]] = {}
    for o in out:
        subject = normal.get(o.subject)
        if subject is None:
            subject = normal[o.subject] = _norm(metric, o.subject)
        key = (o.series, o.date, subject)
        order = (rank[o.snapshot.id], o.at or dt.datetime.min)
        held = best.get(key)
        if held is None or order > held[0]:
            best[key] = (order, o)
    kept = [o for _, o in best.values()]
    used = sorted({o.snapshot.id: o.snapshot for o in kept}.values(), key=lambda s: s.id)
    return (tuple(sorted(kept, key=lambda o: (o.series, o.date, o.subject))), tuple(used))
