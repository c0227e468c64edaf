"""Is a package alive? Release cadence from the registry plus the knowledge base's status.

For every package of the newest registry snapshot:

- ``latest_version``: what the registry itself calls latest – npm's ``dist-tags.latest``,
  PyPI's ``info.version`` – when that release was uploaded on or before ``as_of``; otherwise
  (it came later, or is withdrawn) the highest final version released on or before ``as_of``
  in the registry's own order (SemVer for npm, PEP 440 for PyPI), so a stray high number such
  as a deprecated ``20230920.0.0`` never outranks the real line.
- ``latest_release`` / ``days_since``: the newest *new* release on or before ``as_of``. A
  release is new when its version is above every live final version released before it
  (pre-releases of a coming version count: a project shipping them is active). A release
  whose number is at or below one already out – an old version number republished later, or
  a back-ported patch on an older line (npm time maps hold both, e.g. a 2.0.0-rc.4 stamped
  17 months after 4.22.0) – is not a new release: it moves neither the date nor the count,
  and is counted apart in ``older_line_12m`` so it is shown, not dropped. Versions the
  registry marks withdrawn (PyPI yanked, npm deprecated) never set that bar; yanked releases
  are not releases at all. A version string neither order can read counts as new.
- ``releases_12m`` / ``yanked``: new releases and yanked releases in the 365 days before
  ``as_of``; and the knowledge base's status for the package (``fwatlas.kb``).

A package is flagged when it had no new release for ``vitality.stale_months`` (18) months
before ``as_of``, or when the knowledge base says archived or deprecated. ``as_of`` makes the
verdict reproducible: releases after it are ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fwatlas.analyses.support import registry_snapshot
from fwatlas.facts import Fact
from fwatlas.kb.schema import earliest_day
from fwatlas.kinds import fill_hint
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
    older_line_12m: int
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


@dataclass(frozen=True)
class Release:
    version: str
    at: dt.datetime
    yanked: bool
    withdrawn: bool  # yanked (PyPI) or deprecated/unpublished (npm): sets no bar


def _releases(atlas: Atlas, snap: Snapshot, as_of: dt.date
              ) -> dict[tuple[str, str], list[Release]]:
    cutoff = dt.datetime.combine(as_of, dt.time.max)
    out: dict[tuple[str, str], list[Release]] = {}
    for registry, package, version, at, yanked, deprecated in atlas.con.execute(
            "SELECT registry, package, version, uploaded_at, yanked, deprecated "
            "FROM registry_releases WHERE snapshot_id = ? AND uploaded_at IS NOT NULL "
            "AND uploaded_at <= ? ORDER BY uploaded_at, version", [snap.num, cutoff]).fetchall():
        out.setdefault((registry, package), []).append(
            Release(version, at, bool(yanked), bool(yanked) or bool(deprecated)))
    return out


_SEMVER = re.compile(r"v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?")


def version_order(registry: str, version: str) -> tuple[Any, bool] | None:
    """``(sort key, is pre-release)`` of a version in its registry's order – SemVer 2 for npm
    (``1.0.0-rc.1`` < ``1.0.0``; numeric identifiers below alphanumeric ones), PEP 440 for
    PyPI – or None when that order cannot read it. Keys of one registry compare."""
    if registry == "npm":
        m = _SEMVER.fullmatch(version.strip())
        if m is None:
            return None
        pre = m.group(4)
        ids = tuple((0, int(x), "") if x.isdigit() else (1, 0, x)
                    for x in (pre.split(".") if pre else ()))
        return (int(m.group(1)), int(m.group(2)), int(m.group(3)), 0 if pre else 1, ids), \
            pre is not None
    from packaging.version import InvalidVersion, Version

    try:
        v = Version(version)
    except InvalidVersion:
        return None
    return v, v.is_prerelease


def new_releases(registry: str, releases: list[Release]) -> tuple[list[Release], list[Release]]:
    """Split live releases (upload order) into new ones and older-line ones: a release is new
    when its version is above every live, not-withdrawn final version released before it."""
    new: list[Release] = []
    older: list[Release] = []
    bar: Any = None
    for r in releases:
        if r.yanked:
            continue
        order = version_order(registry, r.version)
        if order is not None and bar is not None and not order[0] > bar:
            older.append(r)
            continue
        new.append(r)
        if order is not None and not order[1] and not r.withdrawn:
            bar = order[0] if bar is None or order[0] > bar else bar
    return new, older


def highest_version(versions: list[str], registry: str = "pypi") -> str | None:
    """The highest final release (else the highest pre-release) in the registry's order;
    version strings that order cannot read rank lowest."""
    parsed = []
    for v in versions:
        order = version_order(registry, v)
        if order is not None:
            parsed.append((order[0], order[1], v))
    finals = [p for p in parsed if not p[1]]
    pool = finals or parsed
    if pool:
        return max(pool, key=lambda p: p[0])[2]
    return versions[-1] if versions else None


def latest_version(registry: str, tagged: str | None, releases: list[Release]) -> str | None:
    """What the registry calls latest (npm ``dist-tags.latest``, PyPI ``info.version``) when
    it was out, live, by ``as_of`` (``releases`` end there); else the highest final version of
    the live, not-withdrawn releases (else of the live ones)."""
    live = [r for r in releases if not r.yanked]
    if tagged is not None and any(r.version == tagged and not r.withdrawn for r in live):
        return tagged
    kept = [r.version for r in live if not r.withdrawn]
    return highest_version(kept or [r.version for r in live], registry)


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
                              missing=f"no registry evidence yet: {fill_hint('registry')}")
    releases = _releases(atlas, snap, as_of)
    stale_before = months_before(as_of, stale_months)
    year_ago = dt.datetime.combine(as_of - dt.timedelta(days=365), dt.time.max)
    rows = []
    notes_after: list[str] = []
    for registry, package, framework, tagged in atlas.con.execute(
            "SELECT registry, package, framework, latest_version FROM registry_packages "
            "WHERE snapshot_id = ? ORDER BY registry, package", [snap.num]).fetchall():
        rel = releases.get((registry, package), [])
        new, older = new_releases(registry, rel)
        newest = new[-1] if new else None
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
        elif newest.at.date() < stale_before:
            reasons.append(f"no release for {stale_months} months before {as_of} "
                           f"(last {newest.at.date()})")
        if status in bad_statuses and entry is not None:
            reasons.append(f"knowledge base: {status} ({entry.name})")
        rows.append(VitalityRow(
            package=package, registry=registry, framework=framework,
            latest_version=latest_version(registry, tagged, rel),
            latest_release=newest.at.date() if newest else None,
            days_since=(as_of - newest.at.date()).days if newest else None,
            releases_12m=sum(1 for r in new if r.at > year_ago),
            older_line_12m=sum(1 for r in older if r.at > year_ago),
            yanked=sum(1 for r in rel if r.yanked and r.at > year_ago),
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
