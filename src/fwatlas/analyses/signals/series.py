"""Series arithmetic: values and shares per framework, trailing-12-month sums, source breaks
and leads (first above), and the rows a "latest" reading uses. Pure: observations in, points
out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from fwatlas.analyses.signals.model import (
    COUNTED,
    T12M_MONTHS,
    Break,
    Lead,
    Observation,
    Point,
    SignalsResult,
    _norm,
    frameworks,
    primaries,
)


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


def owned_observations(metric: str, obs: list[Observation]) -> list[Observation]:
    """The observations with a value of a subject a framework's series is made of: the only
    ones the break and basis passes look at (for stars, about 3,500 of 26,000 – the best-of
    list tracks hundreds of other repositories)."""
    owner = _owners(metric)
    return [o for o in obs if o.value is not None and _norm(metric, o.subject) in owner]


def _breaks(metric: str, obs: list[Observation],
            owned: list[Observation] | None = None) -> list[Break]:
    """Upstream and dump-size changes between consecutive dates of each series, and changes in
    which columns supplied a framework's subject's value (best-of-ml-python's dependents), and
    tenfold jumps between consecutive GitHub values of one subject (``owned``: the subset
    :func:`owned_observations` gives, when the caller has it)."""
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
    for o in obs if owned is None else owned:
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
