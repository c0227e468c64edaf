"""Adoption signals over time: downloads, stars, dependents, job posts and questions per framework.

Every metric is read as *observations* – (series, date, subject, value) – from the tables its
sources fill, then summed per framework over an explicit list of primary distributions or
repositories (``data/signals.yaml``), or taken from the framework rows that job-post and Q&A
sources write. A *series* is one measuring instrument (``pypi-downloads/30d``,
``github/stars-daily``, ``qa/dsse`` …); series are never mixed, so shares compare like with like.

Time series read every complete snapshot of their datasets (history = trends); where two
snapshots hold the same date and subject, the newest snapshot wins. A framework a series does
not cover is null – in values and in shares – never 0. Source breaks (the PyPI statistics moving
from BigQuery to ClickHouse, a new dump size N, best-of-ml-python's dependents counted from
other columns) are detected from the rows' own columns. A lead ("first above") is a crossover
between two points measured alike: a framework ahead from the first date is "above throughout",
and no crossover is claimed across a break or between values counted from different columns.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from fwatlas import vocabulary as vocab
from fwatlas.errors import InputError
from fwatlas.facts import Fact
from fwatlas.sources.signal_rows import signals_config
from fwatlas.store.atlas import Atlas, Snapshot

Metric = Literal["downloads", "stars", "dependents", "jobs", "questions"]
METRICS: tuple[str, ...] = get_args(Metric)
By = Literal["framework", "package"]
WINDOWS: tuple[str, ...] = ("30d", "365d")
UNITS = {"downloads": "downloads", "stars": "stars", "dependents": "dependent projects",
         "jobs": "job posts", "questions": "questions"}
#: which source kind and table each metric reads, and the `fwatlas ingest` that fills it
FILLED_BY = {
    "downloads": ("pypi-downloads", "pypi_downloads",
                  "fwatlas ingest pypi-downloads <dump.json | series.csv>"),
    "stars": ("github", "github_repos",
              "fwatlas refresh github (or fwatlas ingest github <best-of folder | stars.tsv>)"),
    "dependents": ("github", "github_repos", "fwatlas ingest github <best-of folder>"),
    "jobs": ("jobs", "job_postings",
             "fwatlas refresh jobs (or fwatlas ingest jobs <hn-terms.csv | sites.csv>)"),
    "questions": ("qa", "qa_counts",
                  "fwatlas refresh qa (or fwatlas ingest qa <stackoverflow folder | dump.csv>)"),
}


def frameworks() -> list[str]:
    return list(signals_config()["frameworks"])


def primaries(metric: str) -> dict[str, list[str]]:
    """The documented subjects that make up each framework's series for ``metric``."""
    section = "distributions" if metric == "downloads" else "repositories"
    if metric in ("jobs", "questions"):
        return {fw: [] for fw in frameworks()}
    return {fw: list(v) for fw, v in signals_config()["primary"][section].items()}


def _norm(metric: str, subject: str) -> str:
    return vocab.normalize_distribution(subject) if metric == "downloads" else subject.lower()


@dataclass(frozen=True)
class Observation:
    series: str
    date: dt.date
    subject: str
    framework: str | None
    value: float | None
    snapshot: Snapshot
    upstream: str | None = None
    n_packages: int | None = None
    partial: bool = False
    at: dt.datetime | None = None  # the exact time (several dumps can share a day)
    basis: str | None = None  # which columns supplied the value (dependents), when recorded


@dataclass(frozen=True)
class Point:
    """One row: a framework's (or package's) value in one series at one date."""

    series: str
    date: dt.date
    framework: str
    package: str | None
    value: float | None
    share: float | None
    partial: bool
    snapshot_id: str
    #: counted items behind ``share`` (job posts, questions of the listed frameworks that date);
    #: None where the share is of downloads, stars or dependents
    n: int | None = None
    share_ci95: tuple[float, float] | None = None

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["share_ci95"] = list(self.share_ci95) if self.share_ci95 else None
        return d


#: metrics whose values count items (a post, a question): their shares carry n and an interval,
#: and their sparse monthly series are read as trailing-12-month sums
COUNTED: tuple[str, ...] = ("jobs", "questions")
T12M_MONTHS = 12


def is_monthly(dates: list[dt.date]) -> bool:
    """A series of calendar months (first days), as job-post and Stack Exchange counts are."""
    ordered = sorted(set(dates))
    if len(ordered) < 2 or any(d.day != 1 for d in ordered):
        return False
    gaps = [(b - a).days for a, b in zip(ordered, ordered[1:], strict=False)]
    return sorted(gaps)[len(gaps) // 2] <= 31


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def trailing_sums(values: dict[dt.date, float], months: int = T12M_MONTHS
                  ) -> dict[dt.date, float]:
    """Trailing ``months``-month sums of a monthly series, at each month that closes a full
    window (the first ``months - 1`` months have none). A month with no row counts 0: these
    series count events, and a month without any is a month of none."""
    if not values:
        return {}
    by_index = {_month_index(d): v for d, v in values.items()}
    first = min(by_index)
    out = {}
    for day in sorted(values):
        i = _month_index(day)
        if i - first + 1 < months:
            continue
        out[day] = float(sum(by_index.get(j, 0.0) for j in range(i - months + 1, i + 1)))
    return out


@dataclass(frozen=True)
class Break:
    """A change in how a series was measured, seen in the data's own columns: for the whole
    series (``framework`` None), or for one framework's subject (``package``). ``cause``:
    ``upstream``, ``dump size``, ``columns`` (other columns supplied the value) or ``jump``."""

    series: str
    date: dt.date
    what: str
    framework: str | None = None
    package: str | None = None
    cause: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Lead:
    """``leader`` against ``other`` in one series, over the points where both are measured alike.

    ``kind`` ``crossover``: ``date`` is the first date ``leader`` is above ``other`` right after
    a point where it was not (both points in one measuring regime: no break between them).
    ``kind`` ``above throughout``: ahead at every such point; ``date`` is the first of them (the
    crossover, if any, happened before the data starts)."""

    series: str
    leader: str
    other: str
    date: dt.date
    leader_value: float
    other_value: float
    ahead_at_end: bool
    kind: str = "crossover"

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SignalsResult:
    metric: str
    by: str
    unit: str
    date_from: dt.date | None
    date_to: dt.date | None
    window: str
    definitions: dict[str, list[str]]
    coverage: dict[str, dict[str, bool]]
    points: tuple[Point, ...]
    breaks: tuple[Break, ...]
    leads: tuple[Lead, ...]
    snapshots: tuple[Snapshot, ...]
    notes: tuple[str, ...] = field(default=())
    missing: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric, "by": self.by, "unit": self.unit,
            "from": self.date_from, "to": self.date_to,
            "window": self.window if self.metric == "downloads" else None,
            "definitions": self.definitions, "coverage": self.coverage,
            "breaks": [b.as_dict() for b in self.breaks],
            "leads": [x.as_dict() for x in self.leads],
            "notes": list(self.notes), "missing": self.missing,
            "rows": [p.as_dict() for p in self.points],
        }

    def sources(self) -> list[dict[str, Any]]:
        return [s.source() for s in self.snapshots]


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


def _order(o: Observation) -> tuple[Any, ...]:
    return (o.snapshot.rank(), o.at or dt.datetime.min)


def observations(atlas: Atlas, metric: str, *, window: str = "30d",
                 snapshot_id: str | None = None) -> tuple[list[Observation], list[Snapshot]]:
    """Every observation of ``metric`` (deduplicated: the newest snapshot wins per key)."""
    kind, table, _ = FILLED_BY[metric]
    if not atlas.has_table(table):
        return [], []
    snaps = _snapshots(atlas, kind, snapshot_id)
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
    best: dict[tuple[str, dt.date, str], Observation] = {}
    for o in out:
        key = (o.series, o.date, _norm(metric, o.subject))
        if key not in best or _order(o) > _order(best[key]):
            best[key] = o
    used = sorted({o.snapshot.id: o.snapshot for o in best.values()}.values(),
                  key=lambda s: s.id)
    return sorted(best.values(), key=lambda o: (o.series, o.date, o.subject)), used


# --- series ------------------------------------------------------------------------------------


def _framework_values(metric: str, obs: list[Observation]
                      ) -> tuple[dict[tuple[str, dt.date], dict[str, tuple[float | None, str,
                                                                          bool]]],
                                 dict[str, dict[str, bool]]]:
    """(series, date) -> framework -> (value or None, snapshot id, partial); and coverage."""
    table: dict[tuple[str, dt.date], dict[str, tuple[float | None, str, bool]]] = \
        defaultdict(dict)
    covered: dict[str, set[str]] = defaultdict(set)
    series_names: set[str] = set()
    if metric in ("jobs", "questions"):
        for o in obs:
            series_names.add(o.series)
            if o.subject.startswith("framework:") and o.framework in frameworks():
                table[(o.series, o.date)][o.framework] = (o.value, o.snapshot.id, o.partial)
                covered[o.series].add(o.framework)
    else:
        owner = {_norm(metric, s): fw for fw, subs in primaries(metric).items() for s in subs}
        sums: dict[tuple[str, dt.date, str], list[float]] = defaultdict(list)
        snap_of: dict[tuple[str, dt.date], str] = {}
        for o in obs:
            series_names.add(o.series)
            snap_of[(o.series, o.date)] = o.snapshot.id
            fw = owner.get(_norm(metric, o.subject))
            if fw is None or o.value is None:
                continue
            sums[(o.series, o.date, fw)].append(o.value)
            covered[o.series].add(fw)
        for (series, day), snap_id in snap_of.items():
            row = table[(series, day)]
            for fw in frameworks():
                values = sums.get((series, day, fw))
                row[fw] = (sum(values) if values else None, snap_id, False)
    # a series that covers no framework at all (no dependents in a star series) is dropped
    coverage = {s: {fw: fw in covered[s] for fw in frameworks()} for s in sorted(series_names)
                if covered[s]}
    return {k: v for k, v in table.items() if k[0] in coverage}, coverage


def _shares(values: dict[str, float | None]) -> dict[str, float | None]:
    known = [v for v in values.values() if v is not None]
    total = sum(known)
    return {k: (None if v is None or not total else v / total) for k, v in values.items()}


def _owners(metric: str) -> dict[str, tuple[str, str]]:
    """Normalised subject -> (framework, the subject as the primary list names it)."""
    return {_norm(metric, s): (fw, s) for fw, subs in primaries(metric).items() for s in subs}


#: consecutive GitHub values (stars, dependents) of one subject this far apart are a break
JUMP_FACTOR = 10.0
JUMP_MIN = 100.0
#: how a dependents basis (``github.dependents_basis``) reads in a break
_BASIS_TEXT = {
    "github+pypi": "github_ + pypi_dependent_project_count",
    "github": "github_dependent_project_count only",
    "pypi": "pypi_dependent_project_count only",
    "total": "dependent_project_count without its parts",
}


def _breaks(metric: str, obs: list[Observation]) -> list[Break]:
    """Upstream and dump-size changes between consecutive dates of each series, and changes in
    which columns supplied a framework's subject's value (best-of-ml-python's dependents), and
    tenfold jumps between consecutive GitHub values of one subject."""
    per: dict[str, dict[dt.date, tuple[str | None, int | None]]] = defaultdict(dict)
    for o in obs:
        if o.upstream is not None or o.n_packages is not None:
            per[o.series].setdefault(o.date, (o.upstream, o.n_packages))
    out = []
    for series, points in per.items():
        prev: tuple[str | None, int | None] | None = None
        for day in sorted(points):
            cur = points[day]
            if prev is not None:
                if cur[0] != prev[0]:
                    out.append(Break(series, day, f"upstream {prev[0]} → {cur[0]}",
                                     cause="upstream"))
                if cur[1] != prev[1] and cur[1] is not None and prev[1] is not None:
                    out.append(Break(series, day, f"dump size N {prev[1]:,} → {cur[1]:,}",
                                     cause="dump size"))
            prev = cur
    owner = _owners(metric)
    by_subject: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for o in obs:
        hit = owner.get(_norm(metric, o.subject))
        if hit is not None and o.value is not None and metric in ("stars", "dependents"):
            by_subject[(o.series, hit[1])].append(o)
    for (series, name), items in by_subject.items():
        fw = owner[_norm(metric, name)][0]
        items.sort(key=lambda o: o.date)
        for last, o in zip(items, items[1:], strict=False):
            assert o.value is not None and last.value is not None
            change = f"({last.value:,.0f} on {last.date} → {o.value:,.0f})"
            if last.basis is not None and o.basis is not None and o.basis != last.basis:
                out.append(Break(series, o.date, f"{o.subject} {metric} counted from "
                                 f"{_BASIS_TEXT.get(last.basis, last.basis)} → "
                                 f"{_BASIS_TEXT.get(o.basis, o.basis)} {change}", fw, name,
                                 "columns"))
            elif _jump(last.value, o.value):
                out.append(Break(series, o.date, f"{o.subject} {metric} jumps {change} from "
                                 "the same columns: a change in how the source counts, not "
                                 "adoption", fw, name, "jump"))
    return sorted(out, key=lambda b: (b.series, b.date, b.package or ""))


def _jump(before: float, after: float) -> bool:
    """A step between consecutive observations no real change makes: tenfold or more (and by
    at least ``JUMP_MIN``), up or down – e.g. 13 → 180,565 dependents in a week."""
    low, high = sorted((before, after))
    return high >= JUMP_MIN and high >= JUMP_FACTOR * max(low, 1.0)


Bases = dict[tuple[str, dt.date, str], frozenset[str | None]]


def _bases(metric: str, obs: list[Observation], by: str) -> Bases:
    """(series, date, framework or package) -> which columns supplied its value there."""
    owner = _owners(metric)
    out: dict[tuple[str, dt.date, str], set[str | None]] = defaultdict(set)
    for o in obs:
        hit = owner.get(_norm(metric, o.subject))
        if hit is not None and o.value is not None:
            out[(o.series, o.date, hit[1] if by == "package" else hit[0])].add(o.basis)
    return {k: frozenset(v) for k, v in out.items()}


def first_leads(points: list[Point], names: list[str], *, bases: Bases | None = None,
                breaks: list[Break] | tuple[Break, ...] = (), by: str = "framework"
                ) -> list[Lead]:
    """For each ordered pair, the sustained crossover – or "above throughout" – in each series.

    A crossover is claimed only when it is sustained: the leader stays ahead at every later
    point measured alike (a leader that falls back has no lead). Only points where both are
    measured alike count (the same supplying columns, ``bases``);
    a crossover needs the pair's preceding such point to have the other ahead or equal, with
    no break (``breaks``: of the series, or of either one) between the two points."""
    bases = bases or {}
    grid: dict[str, dict[dt.date, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for p in points:
        key = p.package or p.framework
        if p.value is not None and key in names:
            grid[p.series][p.date][key] = p.value
    out = []
    for series, dates in grid.items():
        ordered = sorted(dates)
        cuts = [b for b in breaks if b.series == series]

        def basis(day: dt.date, name: str, s: str = series) -> frozenset[str | None]:
            return bases.get((s, day, name), frozenset({None}))

        def split(a: str, b: str, start: dt.date, end: dt.date,
                  cuts: list[Break] = cuts) -> bool:
            return any(start < c.date <= end and (
                c.framework is None or (c.package if by == "package" else c.framework) in (a, b))
                for c in cuts)

        for a in names:
            for b in names:
                if a == b:
                    continue
                both = [d for d in ordered if a in dates[d] and b in dates[d]
                        and basis(d, a) == basis(d, b)]
                if not both:
                    continue
                first = None
                for i, (prev, day) in enumerate(zip(both, both[1:], strict=False)):
                    if dates[day][a] > dates[day][b] and dates[prev][a] <= dates[prev][b] \
                            and basis(prev, a) == basis(day, a) and not split(a, b, prev, day) \
                            and all(dates[d][a] > dates[d][b] for d in both[i + 1:]):
                        # sustained: ahead at every later point, so a one-point blip is no lead
                        first = day
                        break
                kind = "crossover"
                if first is None:
                    if not all(dates[d][a] > dates[d][b] for d in both):
                        continue
                    first, kind = both[0], "above throughout"
                last = both[-1]
                out.append(Lead(series, a, b, first, dates[first][a], dates[first][b],
                                dates[last][a] > dates[last][b], kind))
    return sorted(out, key=lambda x: (x.series, x.date, x.leader))


def signals(atlas: Atlas, *, metric: str = "downloads", date_from: dt.date | None = None,
            date_to: dt.date | None = None, by: str = "framework", window: str = "30d",
            snapshot_id: str | None = None) -> SignalsResult:
    """One series per framework (or per primary package with ``by="package"``) per source."""
    if metric not in METRICS:
        raise InputError(f"unknown metric {metric!r}; valid: {', '.join(METRICS)}")
    if by not in ("framework", "package"):
        raise InputError(f"--by must be framework or package, not {by!r}")
    if window not in WINDOWS:
        raise InputError(f"--window must be 30d or 365d, not {window!r}")
    if date_from and date_to and date_from > date_to:
        raise InputError("--from is after --to")
    obs, used = observations(atlas, metric, window=window, snapshot_id=snapshot_id)
    definitions = primaries(metric)
    if metric in ("jobs", "questions"):
        definitions = {fw: ["terms/tags the vocabulary maps to it"] for fw in frameworks()}
    notes = [n for n in {s.note for s in used} if n]
    if not obs:
        return SignalsResult(metric, by, UNITS[metric], date_from, date_to, window, definitions,
                             {}, (), (), (), tuple(used), tuple(notes),
                             missing=f"no {metric} evidence yet: {FILLED_BY[metric][2]}")
    table, coverage = _framework_values(metric, obs)
    points: list[Point] = []
    if by == "framework":
        for (series, day), values in sorted(table.items()):
            shares = _shares({fw: v[0] for fw, v in values.items()})
            n = _count_n(metric, {fw: v[0] for fw, v in values.items()})
            # a period the data covers only in part is partial for every framework in it
            period_partial = any(v[2] for v in values.values())
            for fw in frameworks():
                value, snap_id, partial = values.get(fw, (None, "", period_partial))
                points.append(Point(series, day, fw, None, value, shares.get(fw), partial,
                                    snap_id or next(iter(values.values()))[1], n,
                                    _ci(value, n)))
        names = frameworks()
    else:
        points, names = _package_points(metric, obs)
    in_range = [p for p in points if (date_from is None or p.date >= date_from)
                and (date_to is None or p.date <= date_to)]
    all_breaks = _breaks(metric, obs)
    breaks = [b for b in all_breaks if (date_from is None or b.date >= date_from)
              and (date_to is None or b.date <= date_to)]
    notes.extend(_basis_notes(metric, obs, all_breaks))
    # a sparse monthly count (job posts, questions) is read as trailing-12-month sums: a lead
    # is claimed on those, never on one month's handful
    lead_points = in_range
    if metric in COUNTED and by == "framework":
        lead_points = [p for p in trailing_points(in_range) if not p.partial] or in_range
    leads = first_leads(lead_points, names, bases=_bases(metric, obs, by), breaks=all_breaks,
                        by=by)
    return SignalsResult(metric, by, UNITS[metric], date_from, date_to, window, definitions,
                         coverage, tuple(in_range), tuple(breaks), tuple(leads), tuple(used),
                         tuple(notes))


def _count_n(metric: str, values: dict[str, float | None]) -> int | None:
    """The items behind one date's shares of a counted metric (None for other metrics)."""
    if metric not in COUNTED:
        return None
    return round(sum(v for v in values.values() if v is not None))


def _ci(value: float | None, n: int | None) -> tuple[float, float] | None:
    from fwatlas.stats import wilson_interval

    if value is None or not n:
        return None
    return wilson_interval(min(round(value), n), n)


def trailing_points(points: list[Point] | tuple[Point, ...]) -> list[Point]:
    """Per monthly series, each framework's trailing-12-month sum and share (n = the window's
    items), at months closing a window with no partial month; other series are left out."""
    by_series: dict[str, list[Point]] = defaultdict(list)
    for p in points:
        by_series[p.series].append(p)
    out: list[Point] = []
    for series, pts in sorted(by_series.items()):
        if not is_monthly([p.date for p in pts]):
            continue
        complete = [p for p in pts if not p.partial]
        sums: dict[str, dict[dt.date, float]] = {}
        for fw in {p.framework for p in complete}:
            sums[fw] = trailing_sums({p.date: p.value or 0.0 for p in complete
                                      if p.framework == fw and p.value is not None})
        days = sorted({d for v in sums.values() for d in v})
        snap_of = {p.date: p.snapshot_id for p in complete}
        for day in days:
            values = {fw: v.get(day) for fw, v in sums.items()}
            n = round(sum(v for v in values.values() if v is not None))
            for fw in sorted(values, key=lambda f: frameworks().index(f)
                             if f in frameworks() else 99):
                value = values[fw]
                share = None if value is None or not n else value / n
                out.append(Point(series, day, fw, None, value, share, False, snap_of[day], n,
                                 _ci(value, n)))
    return out


def _basis_notes(metric: str, obs: list[Observation], breaks: list[Break]) -> list[str]:
    """Say how leads treat values counted from different columns, or that it is unknown."""
    if metric != "dependents":
        return []
    owner = _owners(metric)
    unknown = sorted({o.snapshot.id for o in obs if o.value is not None and o.basis is None
                      and _norm(metric, o.subject) in owner})
    notes = []
    if unknown:
        notes.append(f"{', '.join(unknown)}: stored before fwatlas recorded which columns "
                     "supply dependents, so source breaks in them cannot be found; ingest the "
                     "best-of-ml-python files into a new store to check")
    if any(b.cause == "columns" for b in breaks):
        notes.append("best-of-ml-python's dependent_project_count is github_ + "
                     "pypi_dependent_project_count where each is present, and which are present "
                     "changes between snapshots (listed as breaks): leads compare only values "
                     "counted from the same columns, and no crossover is claimed across a break")
    return notes


def _package_points(metric: str, obs: list[Observation]) -> tuple[list[Point], list[str]]:
    """Per-package rows: the primary subjects (downloads, stars) or every mapped term/tag;
    ``share`` is each one's part of the listed packages (terms/tags) with a value that date."""
    found: list[Observation] = []
    names: list[str] = []
    label: dict[int, tuple[str, str]] = {}
    if metric in ("jobs", "questions"):
        for o in obs:
            if o.subject.startswith("framework:") or o.framework is None:
                continue
            found.append(o)
            label[id(o)] = (o.framework, o.subject)
            if o.subject not in names:
                names.append(o.subject)
    else:
        owner = _owners(metric)
        for o in obs:
            hit = owner.get(_norm(metric, o.subject))
            if hit is not None:
                found.append(o)
                label[id(o)] = hit
        names = [s for subs in primaries(metric).values() for s in subs]
    totals: dict[tuple[str, dt.date], float] = defaultdict(float)
    for o in found:
        if o.value is not None:
            totals[(o.series, o.date)] += o.value
    points = []
    for o in found:
        total = totals[(o.series, o.date)]
        share = None if o.value is None or not total else o.value / total
        fw, name = label[id(o)]
        points.append(Point(o.series, o.date, fw, name, o.value, share,
                            o.partial if metric in ("jobs", "questions") else False,
                            o.snapshot.id))
    return points, names


# --- facts -------------------------------------------------------------------------------------


def latest_rows(result: SignalsResult) -> list[Point]:
    """The rows a "latest" reading uses: the newest *complete* period of the newest series (a
    period the data covers only in part is never the latest), and for a sparse monthly count
    the trailing-12-month sums ending there. Empty when there is nothing complete."""
    complete = [p for p in result.points if not p.partial]
    if not complete:
        return []
    if result.metric in COUNTED:
        t12 = trailing_points(complete)
        if t12:
            # the monthly series with the newest window wins
            last = max(t12, key=lambda p: (p.date, p.series))
            return [p for p in t12 if p.series == last.series and p.date == last.date]
    newest = max(complete, key=lambda p: (p.date, p.series))
    return [p for p in complete if p.series == newest.series and p.date == newest.date]


def signals_facts(atlas: Atlas) -> list[Fact]:
    """``signals.<metric>.value|share.<framework>`` at the newest complete period of the newest
    series (trailing-12-month sums for job posts and questions, see ``latest_rows``),
    ``signals.<metric>.first_lead.<a>.<b>`` (the date a first crossed above b there, null when
    no crossover is seen) and ``signals.<metric>.ahead_throughout.<a>.<b>`` (a above b at every
    point where both are measured alike; null when the series does not cover both)."""
    facts: list[Fact] = []
    for metric in METRICS:
        result = signals(atlas, metric=metric)
        rows = latest_rows(result)
        if not rows:
            continue
        newest = rows[0]
        series = newest.series
        snap = {s.id: s for s in result.snapshots}
        for p in rows:
            src = (snap[p.snapshot_id].source(),) if p.snapshot_id in snap else ()
            facts.append(Fact(f"signals.{metric}.value.{p.framework}", p.value, UNITS[metric],
                              "computed", src, p.date))
            facts.append(Fact(f"signals.{metric}.share.{p.framework}", p.share, "share",
                              "computed", src, p.date, n=p.n, ci95=p.share_ci95))
        leads = {(x.leader, x.other): x for x in result.leads if x.series == series}
        covered = result.coverage.get(series, {})
        srcs = tuple(s.source() for s in result.snapshots)
        for a in frameworks():
            for b in frameworks():
                if a != b:
                    lead = leads.get((a, b))
                    crossed = lead is not None and lead.kind == "crossover"
                    facts.append(Fact(f"signals.{metric}.first_lead.{a}.{b}",
                                      lead.date.isoformat() if lead and crossed else None,
                                      "date", "computed", srcs, newest.date))
                    throughout = None if not (covered.get(a) and covered.get(b)) else \
                        lead is not None and lead.kind == "above throughout"
                    facts.append(Fact(f"signals.{metric}.ahead_throughout.{a}.{b}", throughout,
                                      "yes/no", "computed", srcs, newest.date))
    return facts
