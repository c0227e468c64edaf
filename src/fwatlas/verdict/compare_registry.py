"""What changed between two registry snapshots: new releases and status changes.

A *new release* is a (registry, package, version) the new snapshot lists and the old one does
not. *Status changes* are what a user acts on: a package's latest version, its deprecation
notice, a release becoming (un)yanked or deprecated, a package appearing or disappearing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fwatlas.store.atlas import Atlas, Snapshot


@dataclass(frozen=True)
class RegistryChange:
    change: str  # new release | latest version | deprecated | yanked | package added | removed
    registry: str
    package: str
    version: str | None
    old: str | None
    new: str | None
    date: dt.datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {"change": self.change, "registry": self.registry, "package": self.package,
                "version": self.version, "old": self.old, "new": self.new,
                "date": self.date.isoformat() if self.date else None}


def _packages(atlas: Atlas, snap: Snapshot) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    rows = atlas.con.execute(
        "SELECT registry, package, latest_version, deprecated FROM registry_packages "
        "WHERE snapshot_id = ?", [snap.num]).fetchall()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def _releases(atlas: Atlas, snap: Snapshot
              ) -> dict[tuple[str, str, str], tuple[dt.datetime | None, bool, str | None]]:
    rows = atlas.con.execute(
        "SELECT registry, package, version, uploaded_at, yanked, deprecated "
        "FROM registry_releases WHERE snapshot_id = ?", [snap.num]).fetchall()
    return {(r[0], r[1], r[2]): (r[3], bool(r[4]), r[5]) for r in rows}


def _text(flag: bool) -> str:
    return "yes" if flag else "no"


def registry_changes(atlas: Atlas, old: Snapshot, new: Snapshot) -> list[RegistryChange]:
    """Every new release and status change from ``old`` to ``new``, by package then version."""
    out: list[RegistryChange] = []
    po, pn = _packages(atlas, old), _packages(atlas, new)
    for key in sorted(pn.keys() - po.keys()):
        out.append(RegistryChange("package added", *key, pn[key][0], None, pn[key][0], None))
    for key in sorted(po.keys() - pn.keys()):
        out.append(RegistryChange("package removed", *key, po[key][0], po[key][0], None, None))
    for key in sorted(po.keys() & pn.keys()):
        (lv_o, dep_o), (lv_n, dep_n) = po[key], pn[key]
        if lv_o != lv_n:
            out.append(RegistryChange("latest version", *key, lv_n, lv_o, lv_n, None))
        if dep_o != dep_n:
            out.append(RegistryChange("deprecated", *key, None, dep_o, dep_n, None))
    ro, rn = _releases(atlas, old), _releases(atlas, new)
    known = {(k[0], k[1]) for k in po}
    for reg, pkg, ver in sorted(rn.keys() - ro.keys()):
        if (reg, pkg) in known:  # a whole new package's history is not "new releases"
            out.append(RegistryChange("new release", reg, pkg, ver, None, ver,
                                      rn[(reg, pkg, ver)][0]))
    for reg, pkg, ver in sorted(ro.keys() & rn.keys()):
        (_, y_o, d_o), (when, y_n, d_n) = ro[(reg, pkg, ver)], rn[(reg, pkg, ver)]
        if y_o != y_n:
            out.append(RegistryChange("yanked", reg, pkg, ver, _text(y_o), _text(y_n), when))
        if d_o != d_n:
            out.append(RegistryChange("deprecated", reg, pkg, ver, d_o, d_n, when))
    order = {"package added": 0, "package removed": 1, "new release": 2, "latest version": 3,
             "deprecated": 4, "yanked": 5}
    return sorted(out, key=lambda c: (c.registry, c.package, order[c.change], c.version or ""))
