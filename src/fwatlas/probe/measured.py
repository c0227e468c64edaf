"""Reading probe results back: the snapshot read, per-chain matches and per-target shares.

The snapshot read is the usual one (DESIGN): a pinned ``--snapshot``, else the newest complete
``probe/results`` snapshot in the store, else the run bundled with fwatlas. Pure functions over
the records: the deploy matrix, the verdict, the report and ``probe results`` all read here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from fwatlas.probe import spec as spec_module  # read at call time: a spec patched in stays local
from fwatlas.probe.records import ProbeRecord
from fwatlas.probe.spec import MODELS, SIZES, ProbeSpec
from fwatlas.stats import shares_with_intervals

if TYPE_CHECKING:  # not at run time: the advisor reads the bundled run without DuckDB
    from fwatlas.facts import Fact
    from fwatlas.store.atlas import Atlas, Snapshot

DATASET = "probe/results"


@dataclass(frozen=True)
class ProbeResults:
    """The records of one probe snapshot, with the snapshot they came from."""

    snapshot: Snapshot
    records: tuple[ProbeRecord, ...]

    def source(self) -> dict[str, Any]:
        return self.snapshot.source()

    def for_path(self, path_id: str) -> list[ProbeRecord]:
        return [r for r in self.records if r.path == path_id]

    def for_chain(self, chain: list[str] | tuple[str, ...], spec: ProbeSpec | None = None,
                  ) -> list[ProbeRecord]:
        """Records of every declared path that measures this deploy-matrix chain."""
        spec = spec or spec_module.load_spec()
        ids = {p.id for p in spec.paths if p.chain and list(p.chain) == list(chain)}
        return [r for r in self.records if r.path in ids]

    def machines(self) -> list[str]:
        """The distinct machines, described once each ("CPU, N cores")."""
        seen = Counter(f"{r.machine.get('cpu', '?')}, {r.machine.get('cores', '?')} cores"
                       for r in self.records)
        return list(seen)

    def versions(self) -> dict[str, str]:
        """Every package version the records name (one version each, or "a | b")."""
        out: dict[str, set[str]] = {}
        for r in self.records:
            for name, version in r.versions.items():
                out.setdefault(name, set()).add(version)
        return {n: " | ".join(sorted(v)) for n, v in sorted(out.items())}

    def load_range(self) -> tuple[float, float] | None:
        """The lowest and highest 1-minute load average seen while measuring."""
        loads = [float(r.machine["load_avg"][0]) for r in self.records
                 if isinstance(r.machine.get("load_avg"), list) and r.machine["load_avg"]]
        return (min(loads), max(loads)) if loads else None

    def caption(self) -> str:
        """Versions and machine, for a table or chart caption."""
        keys = ("torch", "tensorflow-cpu", "keras", "jax", "onnxruntime", "executorch",
                "litert-torch", "ai-edge-litert")
        versions = self.versions()
        named = ", ".join(f"{k} {versions[k]}" for k in keys if k in versions)
        load = self.load_range()
        when = self.snapshot.data_date.isoformat() if self.snapshot.data_date else "undated"
        text = (f"measured {when} on {'; '.join(self.machines())}; every runtime on one "
                f"thread, batch 1, median of 50 runs after warm-up")
        if load:
            text += f"; load average {load[0]:g}–{load[1]:g}"
        return f"{text}; {named} ({self.snapshot.id})"


def probe_snapshot(atlas: Atlas, snapshot_id: str | None = None) -> Snapshot | None:
    if snapshot_id is not None:
        return atlas.snapshot_of(snapshot_id, DATASET, "the probe results")
    return atlas.newest(DATASET)


def load_results(atlas: Atlas, snapshot_id: str | None = None) -> ProbeResults | None:
    """The probe results the snapshot read picks, or None when there are none at all."""
    snap = probe_snapshot(atlas, snapshot_id)
    if snap is None:
        return None

    def compute() -> ProbeResults:
        if snap.is_reference:
            from fwatlas.probe.records import bundled_records

            records = list(bundled_records(snap.dataset))
        else:
            from fwatlas.probe.records import stored_records

            assert snap.num is not None
            records = stored_records(atlas, snap.num)
        return ProbeResults(snap, tuple(_ordered(records)))

    result: ProbeResults = atlas.memo(("probe-results", snap.id), compute)
    return result


def _ordered(records: list[ProbeRecord]) -> list[ProbeRecord]:
    order = {p.id: i for i, p in enumerate(spec_module.load_spec().paths)}

    def key(r: ProbeRecord) -> tuple[int, str, int, int]:
        return (order.get(r.path, len(order)), r.path,
                MODELS.index(r.model) if r.model in MODELS else len(MODELS),
                SIZES.index(r.size) if r.size in SIZES else len(SIZES))

    return sorted(records, key=key)


class PathRecords(Protocol):
    """Anything that gives a path's records (a snapshot's results, or bare records)."""

    def for_path(self, path_id: str) -> list[ProbeRecord]: ...


@dataclass(frozen=True)
class PathShare:
    """Of one framework's declared paths to one target kind: how many work (all probes ok)."""

    framework: str
    target: str
    paths: int
    working: int
    unsupported: int
    share: float | None
    ci95: tuple[float, float] | None

    def as_dict(self) -> dict[str, Any]:
        return {"framework": self.framework, "target": self.target, "n": self.paths,
                "working": self.working, "unsupported": self.unsupported,
                "share_working": self.share,
                "share_working_ci95": list(self.ci95) if self.ci95 else None}


def path_works(records: list[ProbeRecord]) -> bool | None:
    """A path works when every probe of it is ok; None when it was not measured."""
    return all(r.ok for r in records) if records else None


def shares_by_target(results: PathRecords, spec: ProbeSpec | None = None) -> list[PathShare]:
    """Per framework × target kind: the share of measured paths that work.

    A path counts once (all its models and sizes must pass); a path the framework refuses by
    design counts as not working, and is counted separately so a reader can tell the two apart.
    """
    spec = spec or spec_module.load_spec()
    cells: dict[tuple[str, str], list[tuple[bool, bool]]] = {}
    for p in spec.paths:
        recs = results.for_path(p.id)
        works = path_works(recs)
        if works is None:
            continue
        unsupported = any(not r.supported for r in recs)
        cells.setdefault((p.framework, p.target), []).append((works, unsupported))
    out = []
    for (fw, target), flags in sorted(cells.items()):
        n = len(flags)
        working = sum(w for w, _ in flags)
        shares, intervals = shares_with_intervals({"working": working}, n)
        ci = intervals["working"]
        out.append(PathShare(fw, target, n, working, sum(u for _, u in flags),
                             shares["working"], (ci[0], ci[1]) if ci else None))
    return out


def chain_reading(records: list[ProbeRecord], kb_active: bool) -> str | None:
    """"measured: works, 1.6 ms, 155 KiB, |Δ| 2e-07" or "measured: fails at load: …"; and a
    chain the knowledge base calls active that failed says so."""
    if not records:
        return None
    failed = [r for r in records if not r.ok]
    if not failed:
        best = min(records, key=lambda r: (r.size != "tiny", r.model, r.latency_ms or 0))
        return f"measured: {best.phrase()} ({best.path}, {best.model} {best.size})"
    first = failed[0]
    text = (f"measured: {first.phrase()} ({first.path}, {first.model} {first.size}; "
            f"{len(failed)} of {len(records)} probes failed)")
    if kb_active and any(r.supported for r in failed):
        text += " – the knowledge base calls this chain active, but it failed when measured"
    return text


def annotate_matrix(rows: list[dict[str, Any]], results: ProbeResults | None) -> None:
    """Add ``measured`` (the matching probe records, or null) and ``measured_reading`` to
    every chain of deploy-matrix rows, in place."""
    spec = spec_module.load_spec()
    for row in rows:
        for chain in ([row["best"]] if row["best"] else []) + list(row["alternatives"]):
            recs = results.for_chain(chain["chain"], spec) if results else []
            chain["measured"] = [r.as_dict() for r in recs] or None
            chain["measured_reading"] = chain_reading(recs, bool(chain["active"]))


def probe_facts(atlas: Atlas) -> list[Any]:
    """``probe.share_working.<framework>.<target>`` (share of the framework's measured paths to
    that target kind that work, with its n and 95 % interval),
    ``probe.paths_measured.<framework>.<target>`` (its n) and ``probe.works.<path>`` – from the
    probe snapshot read (the bundled run offline)."""
    results = load_results(atlas)
    if results is None:
        return []
    return facts_of(results.records, results.source(), results.snapshot.data_date)


def facts_of(records: tuple[ProbeRecord, ...] | list[ProbeRecord], source: dict[str, Any],
             day: dt.date | None) -> list[Fact]:
    """The ``probe.*`` facts of one set of records, each citing ``source``."""
    from fwatlas.facts import Fact

    spec = spec_module.load_spec()
    results = _Records(tuple(records))
    src = (source,)
    out = []
    for s in shares_by_target(results, spec):
        out.append(Fact(f"probe.share_working.{s.framework}.{s.target}", s.share, "share",
                        "computed", src, day, n=s.paths, ci95=s.ci95))
        out.append(Fact(f"probe.paths_measured.{s.framework}.{s.target}", s.paths, "paths",
                        "computed", src, day))
    for p in spec.paths:
        works = path_works(results.for_path(p.id))
        if works is not None:
            out.append(Fact(f"probe.works.{p.id}", works, "bool", "computed", src, day))
    return out


@dataclass(frozen=True)
class _Records:
    """Records without their snapshot: all :func:`shares_by_target` reads."""

    records: tuple[ProbeRecord, ...]

    def for_path(self, path_id: str) -> list[ProbeRecord]:
        return [r for r in self.records if r.path == path_id]


def bundled_facts() -> list[Fact]:
    """The ``probe.*`` facts of the run bundled with fwatlas, read without opening a store.

    Why not through the store: ``fwatlas.store`` imports DuckDB, and the advisor with no store
    must keep its cold-start budget. The source entry is the one the store gives the bundled
    snapshot (``ref:probe/results@<version>``; a test checks the two agree).
    """
    from importlib import resources

    from fwatlas import __version__
    from fwatlas.probe.records import parse_lines
    from fwatlas.yamlio import load_yaml

    root = resources.files("fwatlas").joinpath("data/reference")
    index = load_yaml(root.joinpath("index.yaml").read_text("utf-8"))
    entry = next((d for d in index["datasets"] if d["dataset"] == DATASET), None)
    if entry is None:
        return []
    text = root.joinpath(entry["file"]).read_text("utf-8")
    records, _ = parse_lines(text.splitlines(), f"reference {entry['file']}")
    day = max((d for r in records if (d := r.measured_on)), default=None)
    source = {"snapshot_id": f"ref:{DATASET}@{__version__}", "kind": entry["kind"],
              "dataset": DATASET, "origin": entry["origin"],
              "data_date": day.isoformat() if day else None, "basis": "computed"}
    return facts_of(records, source, day)
