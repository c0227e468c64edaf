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

The package: ``model`` (valid values, result types), ``read`` (observations from the store),
``series`` (shares, breaks, leads); ``signals()`` and the facts are here.
"""

from __future__ import annotations

import datetime as dt

from fwatlas.analyses.signals.model import (
    COUNTED,
    FILLED_BY,
    METRICS,
    T12M_MONTHS,
    UNITS,
    WINDOWS,
    Break,
    By,
    Lead,
    Metric,
    Observation,
    Point,
    SignalsResult,
    frameworks,
    primaries,
)
from fwatlas.analyses.signals.read import observations
from fwatlas.analyses.signals.series import (
    JUMP_FACTOR,
    JUMP_MIN,
    Bases,
    _bases,
    _basis_notes,
    _breaks,
    _ci,
    _count_n,
    _framework_values,
    _package_points,
    _shares,
    first_leads,
    is_monthly,
    latest_rows,
    owned_observations,
    trailing_points,
    trailing_sums,
)
from fwatlas.errors import InputError, opt
from fwatlas.facts import Fact
from fwatlas.store.atlas import Atlas

#: the names ``fwatlas.analyses.signals`` has always offered (the split kept the import path)
__all__ = [
    "Bases",
    "Break",
    "By",
    "COUNTED",
    "FILLED_BY",
    "first_leads",
    "frameworks",
    "is_monthly",
    "JUMP_FACTOR",
    "JUMP_MIN",
    "latest_rows",
    "Lead",
    "Metric",
    "METRICS",
    "Observation",
    "observations",
    "Point",
    "primaries",
    "signals",
    "signals_facts",
    "SignalsResult",
    "T12M_MONTHS",
    "trailing_points",
    "trailing_sums",
    "UNITS",
    "WINDOWS",
]


def signals(atlas: Atlas, *, metric: str = "downloads", date_from: dt.date | None = None,
            date_to: dt.date | None = None, by: str = "framework", window: str = "30d",
            snapshot_id: str | None = None) -> SignalsResult:
    """One series per framework (or per primary package with ``by="package"``) per source."""
    if metric not in METRICS:
        raise InputError(f"unknown metric {metric!r}; valid: {', '.join(METRICS)}", param="metric")
    if by not in ("framework", "package"):
        raise InputError(f"{opt('by')} must be framework or package, not {by!r}")
    if window not in WINDOWS:
        raise InputError(f"{opt('window')} must be 30d or 365d, not {window!r}")
    if date_from and date_to and date_from > date_to:
        raise InputError(f"{opt('from')} is after {opt('to')}")
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
    owned = owned_observations(metric, obs)
    all_breaks = _breaks(metric, obs, owned)
    breaks = [b for b in all_breaks if (date_from is None or b.date >= date_from)
              and (date_to is None or b.date <= date_to)]
    notes.extend(_basis_notes(metric, obs, all_breaks))
    # a sparse monthly count (job posts, questions) is read as trailing-12-month sums: a lead
    # is claimed on those, never on one month's handful
    lead_points = in_range
    if metric in COUNTED and by == "framework":
        lead_points = [p for p in trailing_points(in_range) if not p.partial] or in_range
    leads = first_leads(lead_points, names, bases=_bases(metric, owned, by), breaks=all_breaks,
                        by=by)
    return SignalsResult(metric, by, UNITS[metric], date_from, date_to, window, definitions,
                         coverage, tuple(in_range), tuple(breaks), tuple(leads), tuple(used),
                         tuple(notes))


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
