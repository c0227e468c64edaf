"""Model availability at the library level: what Transformers can load, release by release.

Per release of ``transformers``: the architectures with a model implementation at all, and those
with one in PyTorch, TensorFlow and JAX (Flax). Shares are of the release's architectures
(``n = architectures``) with 95 % Wilson intervals. The rows come from the user's newest
``coverage/transformers`` snapshot (``fwatlas refresh coverage``), else from the bundled
reference (17 releases counted from their wheels). Hub tags say what checkpoints exist; this says
whether the library can still load an architecture in a framework at all – in v5 (2026-01)
TensorFlow and JAX dropped to zero.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from fwatlas.errors import InputError, opt
from fwatlas.facts import Fact
from fwatlas.sources.coverage import DATASET, LIBRARY, TABLE, version_key
from fwatlas.stats import shares_with_intervals
from fwatlas.store import reference
from fwatlas.store.atlas import Atlas, Snapshot

FRAMEWORKS = ("pytorch", "tensorflow", "jax")
LIBRARIES = (LIBRARY,)


@dataclass(frozen=True)
class CoverageRow:
    version: str
    date: dt.date | None
    architectures: int
    pytorch: int
    tensorflow: int
    jax: int

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {f.name: getattr(self, f.name)
                               for f in dataclasses.fields(self)}
        out["date"] = self.date.isoformat() if self.date else None
        shares, ci95 = shares_with_intervals({f: getattr(self, f) for f in FRAMEWORKS},
                                             n=self.architectures)
        out["n"] = self.architectures
        for f in FRAMEWORKS:
            out[f"{f}_share"] = shares[f]
            out[f"{f}_share_ci95"] = ci95[f]
        return out


@dataclass(frozen=True)
class CoverageResult:
    library: str
    rows: tuple[CoverageRow, ...]
    snapshot: Snapshot

    def sources(self) -> list[dict[str, Any]]:
        return [self.snapshot.source()]

    def as_dict(self) -> dict[str, Any]:
        return {"library": self.library, "rows": [r.as_dict() for r in self.rows],
                "notes": list(NOTES)}


NOTES = (
    "architectures: folders transformers/models/<arch>/ with a modeling file (v3: the flat "
    "modeling_<x>.py files); pytorch / tensorflow / jax: those with modeling_<x>.py / "
    "modeling_tf_<x>.py / modeling_flax_<x>.py; deprecated architectures are not counted.",
    "<framework>_share = count / architectures (n), with a 95 % Wilson interval; this is "
    "library-level availability, not per-checkpoint weights on the Hub.",
)


def bundled_versions() -> list[str]:
    """The releases the bundled reference counts, oldest first: what ``refresh coverage``
    counts when no ``--versions`` are given (``fwatlas.refreshing`` asks for them here)."""
    versions = {f.key.rsplit(".", 1)[0] for f in reference.figures(DATASET)}
    return sorted(versions, key=version_key)


def _reference_rows() -> list[CoverageRow]:
    values: dict[str, dict[str, float]] = {}
    dates: dict[str, dt.date] = {}
    for f in reference.figures(DATASET):
        version, metric = f.key.rsplit(".", 1)
        values.setdefault(version, {})[metric] = f.value or 0
        dates[version] = f.data_date
    return [CoverageRow(v, dates[v], int(m["architectures"]), int(m["pytorch"]),
                        int(m["tensorflow"]), int(m["jax"])) for v, m in values.items()]


def coverage(atlas: Atlas, *, library: str = LIBRARY) -> CoverageResult:
    """Per release: architectures and those each framework can load, with shares."""
    if library not in LIBRARIES:
        raise InputError(f"{opt('library')} must be one of {', '.join(LIBRARIES)}, not {library!r}")
    # the user's own snapshot first, the bundled reference only as the fallback (DESIGN)
    own = [s for s in atlas.snapshots(include_reference=False) if s.dataset == DATASET]
    snap = max(own, key=Snapshot.rank) if own else atlas.newest(DATASET)
    if snap is None:  # the reference always holds the dataset; a broken install says so
        raise InputError(f"no {DATASET} evidence (not even the bundled reference)")
    if snap.is_reference:
        rows = _reference_rows()
    else:
        rows = [CoverageRow(str(v), d, int(a), int(p), int(t), int(j))
                for v, d, a, p, t, j in atlas.con.execute(
                    f"SELECT version, release_date, architectures, pytorch, tensorflow, jax "  # noqa: S608
                    f"FROM {TABLE} WHERE snapshot_id = ? AND library = ?",
                    [snap.num, library]).fetchall()]
    rows.sort(key=lambda r: version_key(r.version))
    return CoverageResult(library, tuple(rows), snap)


def coverage_facts(atlas: Atlas) -> list[Fact]:
    """``coverage.transformers.<framework>_share.latest`` and ``...architectures.latest``."""
    result = coverage(atlas)
    if not result.rows:
        return []
    last = result.rows[-1]
    d = last.as_dict()
    src = (result.snapshot.source(),)
    basis = result.snapshot.basis
    facts = [Fact(f"coverage.transformers.{f}_share.latest", d[f"{f}_share"],
                  "share of architectures", basis, src, last.date) for f in FRAMEWORKS]
    facts.append(Fact("coverage.transformers.architectures.latest", last.architectures,
                      "architectures", basis, src, last.date))
    facts.append(Fact("coverage.transformers.latest_version", last.version, "version", basis,
                      src, last.date))
    return facts
