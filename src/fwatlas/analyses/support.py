"""What installs where: the newest release's files against a target Python, OS and CPU.

The decision is pip's: a wheel installs when one of its tags is among the target's supported
tags, built with ``packaging.tags`` (``cpython_tags`` + ``compatible_tags``: abi3 wheels for
older CPython minors, ``py3-none-any``, and for each platform the manylinux glibc levels and
macOS versions up to the target's – see ``support.glibc`` / ``support.macos`` in
``data/signals.yaml``). A release whose ``requires_python`` excludes the version is not
installable; a release with no matching wheel but an sdist is unknown (``None``: it may build
from source), and with neither it is not installable. GPU variants are claimed only where the
metadata says so: ``requires_dist`` entries naming CUDA packages (``nvidia-*`` …) whose markers
hold on the target, by default or through an extra.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.tags import Tag, compatible_tags, cpython_tags, mac_platforms
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from fwatlas.errors import InputError, opt
from fwatlas.facts import Fact
from fwatlas.kinds import fill_hint
from fwatlas.platforms import ARCH_ALIASES, ARCHES, OSES
from fwatlas.sources.signal_rows import signals_config
from fwatlas.store.atlas import Atlas, Snapshot

GPU_PATTERNS = ("nvidia-*", "cuda-toolkit", "jax-cuda*")
DATASET = "registry/packages"


@dataclass(frozen=True)
class Target:
    """A Python version on a platform, as pip on that machine would see it."""

    python: str
    os: str
    arch: str

    @property
    def version(self) -> tuple[int, int]:
        major, minor = self.python.split(".")
        return int(major), int(minor)

    def label(self) -> str:
        return f"py{self.python}.{self.os}.{self.arch}"


def parse_target(python: str, os: str, arch: str) -> Target:
    """Validate the user's options (``aarch64`` is ``arm64``); bad values exit 2."""
    if not re.fullmatch(r"3\.\d{1,2}", python.strip()):
        raise InputError(f"{opt('python')} must look like 3.13, not {python!r}")
    if os not in OSES:
        raise InputError(f"{opt('os')} must be one of {', '.join(OSES)}, not {os!r}")
    a = ARCH_ALIASES.get(arch.lower(), arch.lower())
    if a not in ARCHES:
        raise InputError(f"{opt('arch')} must be x86_64 or arm64 (aarch64), not {arch!r}")
    return Target(python.strip(), os, a)


def _linux_platforms(arch: str) -> list[str]:
    machine = "aarch64" if arch == "arm64" else "x86_64"
    glibc_minor = int(str(signals_config()["support"]["glibc"]).split(".")[1])
    out = []
    for minor in range(glibc_minor, 4, -1):
        out.append(f"manylinux_2_{minor}_{machine}")
        legacy = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}.get(minor)
        if legacy and (machine == "x86_64" or minor == 17):
            out.append(f"{legacy}_{machine}")
    return out


def platforms(target: Target) -> list[str]:
    """The platform tags a machine of this OS/arch accepts, most specific first."""
    if target.os == "linux":
        return _linux_platforms(target.arch)
    if target.os == "windows":
        return ["win_arm64" if target.arch == "arm64" else "win_amd64"]
    major, minor = (int(x) for x in str(signals_config()["support"]["macos"]).split("."))
    return list(mac_platforms((major, minor), target.arch))


@cache
def supported_tags(target: Target) -> frozenset[Tag]:
    plats = platforms(target)
    return frozenset([*cpython_tags(target.version, platforms=plats),
                      *compatible_tags(target.version, f"cp{target.version[0]}"
                                       f"{target.version[1]}", plats)])


@lru_cache(maxsize=8192)
def _wheel_tags(filename: str) -> frozenset[Tag]:
    """A wheel's tags from its file name (empty: not a wheel name); parsed once per name, not
    once per target the support facts ask about (30 targets)."""
    try:
        return parse_wheel_filename(filename)[3]
    except InvalidWheelFilename:
        return frozenset()


def wheel_installs(filename: str, target: Target) -> bool:
    """Whether pip on ``target`` would accept this wheel file name."""
    return bool(_wheel_tags(filename) & supported_tags(target))


def python_allowed(requires_python: str | None, target: Target) -> bool:
    if not requires_python:
        return True
    try:
        return SpecifierSet(requires_python).contains(f"{target.python}.0", prereleases=True)
    except InvalidSpecifier:
        return True


def _environment(target: Target, extra: str) -> dict[str, str]:
    system, sys_platform, os_name = {"linux": ("Linux", "linux", "posix"),
                                     "macos": ("Darwin", "darwin", "posix"),
                                     "windows": ("Windows", "win32", "nt")}[target.os]
    machine = {("linux", "arm64"): "aarch64", ("windows", "x86_64"): "AMD64",
               ("windows", "arm64"): "ARM64"}.get((target.os, target.arch), target.arch)
    return {"platform_system": system, "sys_platform": sys_platform, "os_name": os_name,
            "platform_machine": machine, "python_version": target.python,
            "python_full_version": f"{target.python}.0", "implementation_name": "cpython",
            "platform_python_implementation": "CPython", "extra": extra}


@lru_cache(maxsize=1024)
def _gpu_requirements(requires_dist: tuple[str, ...]
                      ) -> tuple[tuple[Requirement, ...], tuple[str, ...]]:
    """The requirements naming a GPU package, and the extras that pull them in: parsed once per
    package version, not once per target."""
    extras: set[str] = set()
    hits: list[Requirement] = []
    for text in requires_dist:
        try:
            req = Requirement(text)
        except InvalidRequirement:
            continue
        if any(fnmatch.fnmatch(req.name.lower(), p) for p in GPU_PATTERNS):
            hits.append(req)
            extras |= set(re.findall(r"""extra\s*==\s*['"]([^'"]+)['"]""", str(req.marker)))
    return tuple(hits), tuple(sorted(extras))


def gpu_variant(requires_dist: list[str], target: Target) -> str | None:
    """``cuda`` (default dependencies), ``cuda via [extra]``, or None (metadata says nothing)."""
    hits, extras = _gpu_requirements(tuple(requires_dist))
    for req in hits:
        if req.marker is None or req.marker.evaluate(_environment(target, "")):
            return "cuda"
    for extra in extras:
        if any(req.marker is not None and req.marker.evaluate(_environment(target, extra))
               for req in hits):
            return f"cuda via [{extra}]"
    return None


@dataclass(frozen=True)
class SupportRow:
    framework: str
    package: str
    version: str | None
    python: str
    os: str
    arch: str
    installable: bool | None
    wheel: str | None
    gpu: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SupportResult:
    target: Target
    snapshot: Snapshot | None
    rows: tuple[SupportRow, ...]
    frameworks: dict[str, bool | None]
    missing: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"python": self.target.python, "os": self.target.os, "arch": self.target.arch,
                "glibc": signals_config()["support"]["glibc"],
                "macos": signals_config()["support"]["macos"],
                "frameworks": self.frameworks, "missing": self.missing,
                "rows": [r.as_dict() for r in self.rows]}


@dataclass(frozen=True)
class PackageFiles:
    version: str
    requires_python: str | None
    requires_dist: list[str]
    files: list[tuple[str, str | None, str | None]]  # filename, packagetype, requires_python


def decide(package: str, framework: str, meta: PackageFiles | None, target: Target
           ) -> SupportRow:
    """One package on one target, with the wheel that decides it (or why none does)."""
    base = dict(framework=framework, package=package, python=target.python, os=target.os,
                arch=target.arch)
    if meta is None:
        return SupportRow(**base, version=None, installable=None, wheel=None, gpu=None,
                          reason="not in the registry snapshot")
    gpu = gpu_variant(meta.requires_dist, target)
    if not python_allowed(meta.requires_python, target):
        return SupportRow(**base, version=meta.version, installable=False, wheel=None, gpu=None,
                          reason=f"requires_python {meta.requires_python}")
    wheels = [f for f in meta.files if f[0].endswith(".whl")]
    for name, _kind, req_py in wheels:
        if wheel_installs(name, target) and python_allowed(req_py, target):
            return SupportRow(**base, version=meta.version, installable=True, wheel=name,
                              gpu=gpu, reason="compatible wheel")
    sdists = [f for f in meta.files if not f[0].endswith(".whl")]
    if sdists:
        return SupportRow(**base, version=meta.version, installable=None, wheel=None, gpu=None,
                          reason=f"no wheel for this target; only an sdist ({sdists[0][0]}) "
                                 "that may build from source")
    return SupportRow(**base, version=meta.version, installable=False, wheel=None, gpu=None,
                      reason=f"no wheel for this target among {len(wheels)} wheels")


def registry_snapshot(atlas: Atlas, snapshot_id: str | None = None) -> Snapshot | None:
    if snapshot_id is not None:
        snap = atlas.snapshot(snapshot_id)
        if snap.kind != "registry":
            raise InputError(f"snapshot {snapshot_id} is {snap.kind} evidence, not registry")
        return snap
    if not atlas.has_table("registry_packages"):
        return None
    return atlas.newest(DATASET)


def package_files(atlas: Atlas, snap: Snapshot) -> dict[str, PackageFiles]:
    """Newest-release metadata of every PyPI package in the snapshot (by normalised name)."""
    from fwatlas.vocabulary import normalize_distribution

    def load() -> dict[str, PackageFiles]:
        out: dict[str, PackageFiles] = {}
        for package, version, req_py, req_dist in atlas.con.execute(
                "SELECT package, latest_version, requires_python, requires_dist "
                "FROM registry_packages WHERE snapshot_id = ? AND registry = 'pypi'",
                [snap.num]).fetchall():
            out[normalize_distribution(package)] = PackageFiles(version, req_py,
                                                                list(req_dist or []), [])
        for package, filename, kind, req_py in atlas.con.execute(
                "SELECT package, filename, packagetype, requires_python FROM registry_files "
                "WHERE snapshot_id = ? AND registry = 'pypi' ORDER BY filename",
                [snap.num]).fetchall():
            meta = out.get(normalize_distribution(package))
            if meta is not None:
                meta.files.append((filename, kind, req_py))
        return out

    result: dict[str, PackageFiles] = atlas.memo(("support.files", snap.id), load)
    return result


def framework_installable(rows: dict[str, SupportRow], fw: str,
                          decided: dict[str, bool | None]) -> bool | None:
    """All of a framework's packages install (and, for Keras 3, at least one backend does)."""
    spec = signals_config()["support"]["frameworks"][fw]
    values = [rows[p].installable for p in spec["all"]]
    if any(v is False for v in values):
        return False
    backends = spec.get("any_framework")
    if backends:
        found = [decided.get(b) for b in backends]
        if all(v is False for v in found):
            return False
        if not any(v is True for v in found):
            return None
    return None if any(v is None for v in values) else True


def support(atlas: Atlas, *, python: str = "3.13", os: str = "linux", arch: str = "x86_64",
            snapshot_id: str | None = None) -> SupportResult:
    """Rows per framework package (and the extra packages listed in signals.yaml)."""
    from fwatlas.vocabulary import normalize_distribution

    target = parse_target(python, os, arch)
    snap = registry_snapshot(atlas, snapshot_id)
    if snap is None:
        return SupportResult(target, None, (), {}, missing="no registry evidence yet: "
                             f"{fill_hint('registry')}")
    files = package_files(atlas, snap)
    spec = signals_config()["support"]
    rows: dict[str, SupportRow] = {}
    for fw, need in spec["frameworks"].items():
        for p in need["all"]:
            rows[p] = decide(p, fw, files.get(normalize_distribution(p)), target)
    from fwatlas.sources.registry import framework_of

    for p in spec["also"]:
        rows.setdefault(p, decide(p, framework_of("pypi", p) or "other",
                                  files.get(normalize_distribution(p)), target))
    decided: dict[str, bool | None] = {}
    for fw in spec["frameworks"]:
        if not spec["frameworks"][fw].get("any_framework"):
            decided[fw] = framework_installable(rows, fw, decided)
    for fw in spec["frameworks"]:
        if spec["frameworks"][fw].get("any_framework"):
            decided[fw] = framework_installable(rows, fw, decided)
    return SupportResult(target, snap, tuple(rows.values()), decided)


def registry_facts(atlas: Atlas) -> list[Fact]:
    """``registry.installable.<fw>.py<X.Y>.<os>.<arch>`` over the documented grid,
    ``registry.gpu.<fw>.py<X.Y>.<os>.<arch>`` and ``registry.latest_version.<reg>.<pkg>``."""
    snap = registry_snapshot(atlas)
    if snap is None:
        return []
    src = (snap.source(),)
    facts: list[Fact] = []
    grid = signals_config()["support"]["grid"]
    for py in grid["python"]:
        for os_name, arch in grid["platforms"]:
            result = support(atlas, python=py, os=os_name, arch=arch)
            for fw, ok in result.frameworks.items():
                facts.append(Fact(f"registry.installable.{fw}.py{py}.{os_name}.{arch}", ok,
                                  "bool", "computed", src, snap.data_date))
            mains = {fw: need["all"][0]
                     for fw, need in signals_config()["support"]["frameworks"].items()}
            for row in result.rows:
                if mains.get(row.framework) == row.package:
                    facts.append(Fact(f"registry.gpu.{row.framework}.py{py}.{os_name}.{arch}",
                                      row.gpu, "variant", "computed", src, snap.data_date))
    for registry, package, version in atlas.con.execute(
            "SELECT registry, package, latest_version FROM registry_packages "
            "WHERE snapshot_id = ? ORDER BY registry, package", [snap.num]).fetchall():
        facts.append(Fact(f"registry.latest_version.{registry}.{package}", version, "version",
                          "computed", src, snap.data_date))
    return facts

