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


#: fixed queries per metric ({marks}: the snapshot-id placeholders)
_SQL = {
    "stars": "SELECT snapshot_id, observed_on, repo, stars FROM github_repos "
             "WHERE snapshot_id IN ({marks})",
    "dependents": "SELECT snapshot_id, observed_on, repo, dependents, {basis} FROM github_repos "
                  "WHERE snapshot_id IN ({marks})",
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


def _read(atlas: Atlas, metric: str, table: str, window: str, snaps: list[Snapshot]
          ) -> tuple[tuple[Observation, ...], tuple[Snapshot, ...]]:
    by_num = {s.num: s for s in snaps}
    out: list[Observation] = []
    if metric == "downloads":
        rows = _rows(atlas, 'SELECT snapshot_id, observed_at, "window", project, download_count,'
                            " n_packages, upstream FROM pypi_downloads WHERE snapshot_id IN "
                            '({marks}) AND "window" = ?', snaps, (window,))
        for num, at, win, project, count, n, upstream in rows:
            out.append(Observation(f"pypi-downloads/{win}", at.date(), project, None,
                                   None if count is None else float(count), by_num[num],
                                   upstream, n, at=at))
    elif metric == "stars":
        for num, day, repo, value in _rows(atlas, _SQL[metric], snaps):
            out.append(Observation(by_num[num].dataset, day, repo, None,
                                   None if value is None else float(value), by_num[num]))
    elif metric == "dependents":
        # stores written before fwatlas recorded the supplying columns have no such column
        basis = "dependents_basis" if _has_column(atlas, table, "dependents_basis") \
            else "NULL"
        for num, day, repo, value, how in _rows(atlas, _SQL[metric].replace("{basis}", basis),
                                                snaps):
            out.append(Observation(by_num[num].dataset, day, repo, None,
                                   None if value is None else float(value), by_num[num],
                                   basis=how))
    else:
        rows = _rows(atlas, _SQL[metric], snaps)
        for num, start, per, site, skind, subject, fw, value in rows:
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
    # (each snapshot's rank and each subject's normal form computed once: ~26,000 rows a metric)
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
