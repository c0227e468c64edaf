"""The probe's declared paths and settings (``paths.yaml``), read once and validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from fwatlas.errors import InputError, opt
from fwatlas.yamlio import load_yaml

Stage = Literal["export", "load", "run", "parity"]
STAGES: tuple[str, ...] = Stage.__args__  # type: ignore[attr-defined]
ModelName = Literal["cnn", "block"]
MODELS: tuple[str, ...] = ModelName.__args__  # type: ignore[attr-defined]
Size = Literal["tiny", "medium"]
SIZES: tuple[str, ...] = Size.__args__  # type: ignore[attr-defined]
TargetKind = Literal["server", "mobile-edge", "compiled"]
TARGET_KINDS: tuple[str, ...] = TargetKind.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PathSpec:
    """One deployment path: source framework, exporter, runtime, and what it exercises."""

    id: str
    framework: str
    exporter: str
    runtime: str
    target: str
    impl: str
    kb: tuple[str, ...]
    chain: tuple[str, ...] | None
    packages: tuple[str, ...]
    backend: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    unsupported_when: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "framework": self.framework, "backend": self.backend,
                "exporter": self.exporter, "runtime": self.runtime, "target": self.target,
                "impl": self.impl, "kb": list(self.kb),
                "chain": list(self.chain) if self.chain else None,
                "packages": list(self.packages), "env": dict(self.env),
                "unsupported_when": self.unsupported_when}


@dataclass(frozen=True)
class ProbeSpec:
    """Every path plus the measurement settings (runs, warm-up, seed, tolerance, timeout)."""

    paths: tuple[PathSpec, ...]
    runs: int
    warmup: int
    seed: int
    parity_tolerance: float
    timeout_s: float

    def settings(self) -> dict[str, Any]:
        return {"runs": self.runs, "warmup": self.warmup, "seed": self.seed,
                "parity_tolerance": self.parity_tolerance}

    def path(self, path_id: str) -> PathSpec:
        for p in self.paths:
            if p.id == path_id:
                return p
        raise KeyError(path_id)

    def select(self, ids: list[str] | None) -> tuple[PathSpec, ...]:
        """The paths ``--paths`` names (a path id, or a framework), in file order."""
        if not ids:
            return self.paths
        known = {p.id for p in self.paths} | {p.framework for p in self.paths}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise InputError(f"{opt('paths')}: unknown path {', '.join(unknown)}; valid: "
                             f"{', '.join(p.id for p in self.paths)} (or a framework)")
        return tuple(p for p in self.paths if p.id in ids or p.framework in ids)


def parse(data: Any, origin: str = "paths.yaml") -> ProbeSpec:
    """A spec from its YAML data; anything malformed is an :class:`InputError`."""
    try:
        paths = []
        seen: set[str] = set()
        for raw in data["paths"]:
            if raw["id"] in seen:
                raise ValueError(f"path {raw['id']} declared twice")
            seen.add(raw["id"])
            if raw["target"] not in TARGET_KINDS:
                raise ValueError(f"path {raw['id']}: target {raw['target']!r} is not one of "
                                 f"{', '.join(TARGET_KINDS)}")
            paths.append(PathSpec(
                id=str(raw["id"]), framework=str(raw["framework"]),
                exporter=str(raw["exporter"]), runtime=str(raw["runtime"]),
                target=str(raw["target"]), impl=str(raw["impl"]),
                kb=tuple(raw.get("kb") or ()),
                chain=tuple(raw["chain"]) if raw.get("chain") else None,
                packages=tuple(raw.get("packages") or ()), backend=raw.get("backend"),
                env={str(k): str(v) for k, v in (raw.get("env") or {}).items()},
                unsupported_when=raw.get("unsupported_when")))
        return ProbeSpec(tuple(paths), runs=int(data["runs"]), warmup=int(data["warmup"]),
                         seed=int(data["seed"]),
                         parity_tolerance=float(data["parity_tolerance"]),
                         timeout_s=float(data["timeout_s"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"not a probe paths file: {exc}", path=origin) from exc


@cache
def load_spec() -> ProbeSpec:
    """The bundled paths (``fwatlas/probe/paths.yaml``)."""
    text = resources.files("fwatlas.probe").joinpath("paths.yaml").read_text("utf-8")
    # the C loader where PyYAML has it: the advisor reads this file on its cold start
    return parse(load_yaml(text))
