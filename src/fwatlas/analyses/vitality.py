"""Is a package alive? Release cadence from the registry plus the knowledge base's status.

For every package of the newest registry snapshot: the highest final version released on or
before ``as_of``; the date of the newest non-yanked upload (pre-releases and back-ported patches
count – a project shipping them is active) and days since it; releases and yanked releases in
the 12 months before ``as_of``; and the knowledge base's status for the package
(``fwatlas.kb``). A package is flagged when it had no release for ``vitality.stale_months``
(18) months before ``as_of``, or when the knowledge base says archived or deprecated.
``as_of`` makes the verdict reproducible: releases after it are ignored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fwatlas.analyses.support import registry_snapshot
from fwatlas.facts import Fact
from fwatlas.kb.schema import earliest_day
from fwatlas.sources.signal_rows import signals_config
from fwatlas.store.atlas import Atlas, Snapshot


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to the month's length)."""
    import calendar

    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


@dataclass(frozen=True)
class VitalityRow:
    package: str
    registry: str
    framework: str | None
    latest_version: str | None
    latest_release: dt.date | None
    days_since: int | None
    releases_12m: int
    yanked: int
    kb_status: str | None
    kb_entry: str | None
    flagged: bool
    flag_reason: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class VitalityResult:
    as_of: dt.date
    stale_months: int
    snapshot: Snapshot | None
    kb_sources: tuple[dict[str, Any], ...]
    rows: tuple[VitalityRow, ...]
    missing: str | None = None
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of, "stale_months": self.stale_months,
                "flagged": sum(r.flagged for r in self.rows), "missing": self.missing,
                "notes": list(self.notes), "rows": [r.as_dict() for r in self.rows]}

    def sources(self) -> list[dict[str, Any]]:
        return ([self.snapshot.source()] if self.snapshot else []) + list(self.kb_sources)


def _releases(atlas: Atlas, snap: Snapshot, as_of: dt.date
              ) -> dict[tuple[str, str], list[tuple[str, dt.datetime, bool]]]:
    cutoff = dt.datetime.combine(as_of, dt.time.max)
    out: dict[tuple[str, str], list[tuple[str, dt.datetime, bool]]] = {}
    for registry, package, version, at, yanked in atlas.con.execute(
            "SELECT registry, package, version, uploaded_at, yanked FROM registry_releases "
            "WHERE snapshot_id = ? AND uploaded_at IS NOT NULL AND uploaded_at <= ? "
            "ORDER BY uploaded_at", [snap.num, cutoff]).fetchall():
        out.setdefault((registry, package), []).append((version, at, bool(yanked)))
    return out


def highest_version(versions: list[str]) -> str | None:
    """The highest final release (else the highest pre-release) by PEP 440 ordering; version
    strings PEP 440 cannot read (some npm tags) rank lowest."""
    from packaging.version import InvalidVersion, Version

    parsed = []
    for v in versions:
        try:
            parsed.append((Version(v), v))
        except InvalidVersion:
            continue
    finals = [p for p in parsed if not p[0].is_prerelease]
    pool = finals or parsed
    if pool:
        return max(pool)[1]
    return versions[-1] if versions else None


def vitality(atlas: Atlas, *, as_of: dt.date | None = None, snapshot_id: str | None = None,
             kb_path: Path | None = None) -> VitalityResult:
    """One row per registry package, flagged by staleness or knowledge-base status."""
    from fwatlas.kb import load_kb

    as_of = as_of or dt.date.today()
    cfg = signals_config()["vitality"]
    stale_months = int(cfg["stale_months"])
    bad_statuses = set(cfg["flag_kb_statuses"])
    kb = load_kb(kb_path)
    snap = registry_snapshot(atlas, snapshot_id)
    if snap is None:
        return VitalityResult(as_of, stale_months, None, tuple(kb.sources()), (),
                              missing="no registry evidence yet: fwatlas refresh registry "
                                      "(or fwatlas ingest registry <folder>)")
    releases = _releases(atlas, snap, as_of)
    stale_before = months_before(as_of, stale_months)
    year_ago = dt.datetime.combine(as_of - dt.timedelta(days=365), dt.time.max)
    rows = []
    notes_after: list[str] = []
    for registry, package, framework in atlas.con.execute(
            "SELECT registry, package, framework FROM registry_packages WHERE snapshot_id = ? "
            "ORDER BY registry, package", [snap.num]).fetchall():
        rel = releases.get((registry, package), [])
        live = [r for r in rel if not r[2]]
        newest = live[-1] if live else None
        entry = kb.by_package(registry, package)
        status = entry.status if entry is not None else None
        reasons = []
        if (entry is not None and entry.status_date is not None
                and earliest_day(entry.status_date) > as_of):
            # the knowledge base keeps no history: a status dated after --as-of was not yet known
            notes_after.append(f"{package}: knowledge-base status {status} dates from "
                               f"{entry.status_date}, after {as_of}; not used")
            status = None
        if newest is None:
            reasons.append(f"no release on or before {as_of}")
        elif newest[1].date() < stale_before:
            reasons.append(f"no release for {stale_months} months before {as_of} "
                           f"(last {newest[1].date()})")
        if status in bad_statuses and entry is not None:
            reasons.append(f"knowledge base: {status} ({entry.name})")
        rows.append(VitalityRow(
            package=package, registry=registry, framework=framework,
            latest_version=highest_version([r[0] for r in live]),
            latest_release=newest[1].date() if newest else None,
            days_since=(as_of - newest[1].date()).days if newest else None,
            releases_12m=sum(1 for r in live if r[1] > year_ago),
            yanked=sum(1 for r in rel if r[2] and r[1] > year_ago),
            kb_status=status, kb_entry=entry.name if entry is not None else None,
            flagged=bool(reasons), flag_reason="; ".join(reasons) or None))
    return VitalityResult(as_of, stale_months, snap, tuple(kb.sources()), tuple(rows),
                          notes=tuple(notes_after))


def vitality_facts(atlas: Atlas) -> list[Fact]:
    """``vitality.flagged|days_since|releases_12m.<registry>.<package>``, judged as of the
    registry snapshot's data date (so the facts do not change with the calendar)."""
    snap = registry_snapshot(atlas)
    if snap is None or snap.data_date is None:
        return []
    result = vitality(atlas, as_of=snap.data_date)
    src = tuple(result.sources())
    facts = []
    for r in result.rows:
        q = f"{r.registry}.{r.package}"
        facts += [
            Fact(f"vitality.flagged.{q}", r.flagged, "bool", "computed", src, snap.data_date),
            Fact(f"vitality.days_since.{q}", r.days_since, "days", "computed", src,
                 snap.data_date),
            Fact(f"vitality.releases_12m.{q}", r.releases_12m, "releases", "computed", src,
                 snap.data_date),
        ]
    return facts
