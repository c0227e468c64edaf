"""The verdict method: a declared scoring config (criteria, facts, weights, margins) as data.

The bundled ``data/verdict_method.yaml`` is the default; ``--method PATH`` replaces it with a
file of the same shape. Loading validates the whole file and fails with one line naming the
file and the problem (exit 2), so a typo never silently turns into "missing evidence".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from fwatlas.errors import InputError
from fwatlas.yamlio import load_yaml

Read = Literal["value", "best", "count"]
READS: tuple[str, ...] = get_args(Read)
BUNDLED = "verdict_method.yaml"


@dataclass(frozen=True)
class FactRef:
    """One fact a criterion reads for a framework; ``complement`` means 1 - its value."""

    name: str
    complement: bool = False

    def label(self) -> str:
        return f"1 - {self.name}" if self.complement else self.name


@dataclass(frozen=True)
class Criterion:
    """One thing a round compares, with the facts it reads per framework and its weight."""

    name: str
    label: str
    weight: float
    read: str
    facts: dict[str, tuple[FactRef, ...]]
    direction: str = "higher"
    ingest: str = ""
    #: a fact computed from fewer counted items than this is shown but does not count
    min_n: int = 30

    def fact_names(self) -> list[str]:
        return sorted({r.name for refs in self.facts.values() for r in refs})


@dataclass(frozen=True)
class Round:
    name: str
    title: str
    anchor: str
    question: str
    criteria: tuple[Criterion, ...]

    @property
    def total_weight(self) -> float:
        return sum(c.weight for c in self.criteria)

    def with_weight(self, criterion: str, weight: float) -> Round:
        """The same round with one criterion's weight changed (sensitivity re-evaluates it)."""
        return replace(self, criteria=tuple(replace(c, weight=weight) if c.name == criterion
                                            else c for c in self.criteria))


@dataclass(frozen=True)
class Method:
    """The whole scoring config; ``origin`` says which file it came from."""

    origin: str
    frameworks: tuple[str, ...]
    status_scores: dict[str, float]
    tie: float
    clear: float
    min_round: float
    min_framework: float
    max_factor: float
    rounds: tuple[Round, ...]
    #: the default ``min_n`` of every criterion (``evidence.min_n``)
    min_n: int = 30

    def round(self, name: str) -> Round:
        for r in self.rounds:
            if r.name == name:
                return r
        raise InputError(f"unknown round {name!r}; valid: "
                         f"{', '.join(r.name for r in self.rounds)}", param="round")

    def fact_names(self) -> list[str]:
        return sorted({n for r in self.rounds for c in r.criteria for n in c.fact_names()})


def _need(cond: bool, where: str, message: str, label: str) -> None:
    if not cond:
        raise InputError(f"{where}: {message}" if where else message, path=label)


def _number(value: Any, where: str, label: str, *, low: float = 0.0) -> float:
    _need(isinstance(value, int | float) and not isinstance(value, bool) and value >= low,
          where, f"must be a number >= {low:g}, not {value!r}", label)
    return float(value)


def _ref(spec: Any, where: str, label: str) -> FactRef:
    if isinstance(spec, str) and spec:
        return FactRef(spec)
    if isinstance(spec, dict) and set(spec) == {"complement"} and isinstance(
            spec["complement"], str):
        return FactRef(spec["complement"], complement=True)
    raise InputError(f"{where}: expected a fact name or {{complement: NAME}}, not {spec!r}",
                     path=label)


def _facts(raw: dict[str, Any], read: str, frameworks: tuple[str, ...], where: str,
           label: str) -> dict[str, tuple[FactRef, ...]]:
    if "fact" in raw:
        _need("facts" not in raw, where, "give either `fact` (a {framework} pattern) or `facts`",
              label)
        pattern = raw["fact"]
        _need(isinstance(pattern, str) and "{framework}" in pattern, where,
              "`fact` must be a name containing {framework}", label)
        chosen = raw.get("frameworks", list(frameworks))
        _need(isinstance(chosen, list) and set(chosen) <= set(frameworks), where,
              f"`frameworks` must list names from {', '.join(frameworks)}", label)
        return {fw: (FactRef(pattern.replace("{framework}", fw)),) for fw in chosen}
    table = raw.get("facts")
    if not isinstance(table, dict) or not table:
        raise InputError(f"{where}: needs `fact` or a `facts` mapping", path=label)
    out: dict[str, tuple[FactRef, ...]] = {}
    for fw, spec in table.items():
        _need(fw in frameworks, f"{where}.facts", f"unknown framework {fw!r}", label)
        if read == "value":
            ref = _ref(spec, f"{where}.facts.{fw}", label)
            out[fw] = (ref,)
        else:
            _need(isinstance(spec, list), f"{where}.facts.{fw}",
                  f"`read: {read}` takes a list of fact names", label)
            refs = tuple(_ref(s, f"{where}.facts.{fw}", label) for s in spec)
            _need(not any(r.complement for r in refs), f"{where}.facts.{fw}",
                  "complement applies to `read: value` only", label)
            out[fw] = refs
    return out


def _criterion(raw: Any, frameworks: tuple[str, ...], where: str, label: str,
               min_n: int = 30) -> Criterion:
    _need(isinstance(raw, dict), where, "expected a mapping", label)
    name = raw.get("name")
    _need(isinstance(name, str) and name != "", where, "every criterion needs a name", label)
    where = f"{where} ({name})"
    read = raw.get("read", "value")
    _need(read in READS, where, f"read must be one of {', '.join(READS)}, not {read!r}", label)
    direction = raw.get("direction", "higher")
    _need(direction in ("higher", "lower"), where, "direction must be higher or lower", label)
    return Criterion(name=name, label=str(raw.get("label", name)),
                     weight=_number(raw.get("weight", 1), f"{where}.weight", label),
                     read=read, facts=_facts(raw, read, frameworks, where, label),
                     direction=direction, ingest=str(raw.get("ingest", "")),
                     min_n=int(_number(raw.get("min_n", min_n), f"{where}.min_n", label)))


def _round(raw: Any, frameworks: tuple[str, ...], where: str, label: str,
           min_n: int = 30) -> Round:
    _need(isinstance(raw, dict) and isinstance(raw.get("name"), str), where,
          "every round needs a name", label)
    name = raw["name"]
    crits = raw.get("criteria")
    _need(isinstance(crits, list) and bool(crits), f"round {name}", "needs a list of criteria",
          label)
    criteria = tuple(_criterion(c, frameworks, f"round {name}: criterion #{i + 1}", label,
                                min_n) for i, c in enumerate(crits))
    names = [c.name for c in criteria]
    _need(len(set(names)) == len(names), f"round {name}", "criterion names must be unique",
          label)
    _need(sum(c.weight for c in criteria) > 0, f"round {name}", "weights must not all be 0",
          label)
    return Round(name=name, title=str(raw.get("title", name)),
                 anchor=str(raw.get("anchor", name)), question=str(raw.get("question", "")),
                 criteria=criteria)


def parse_method(text: str, label: str) -> Method:
    """Validate and build a method from YAML text; ``label`` names the file in errors."""
    try:
        doc = load_yaml(text)
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"not a YAML file: {first}", path=label) from None
    _need(isinstance(doc, dict), "", "expected a mapping with `rounds:`", label)
    fws = doc.get("frameworks")
    _need(isinstance(fws, list) and len(fws) >= 2 and all(isinstance(f, str) for f in fws),
          "frameworks", "needs a list of at least two framework names", label)
    frameworks = tuple(fws)
    scores = doc.get("status_scores", {})
    _need(isinstance(scores, dict), "status_scores", "expected a mapping status: score", label)
    status_scores = {str(k): _number(v, f"status_scores.{k}", label) for k, v in scores.items()}
    margins = doc.get("margins", {})
    evidence = doc.get("evidence", {})
    sens = doc.get("sensitivity", {})
    for key, part in (("margins", margins), ("evidence", evidence), ("sensitivity", sens)):
        _need(isinstance(part, dict), key, "expected a mapping", label)
    tie = _number(margins.get("tie", 0.05), "margins.tie", label)
    clear = _number(margins.get("clear", 0.15), "margins.clear", label)
    _need(clear >= tie, "margins", "clear must be at least tie", label)
    rounds_raw = doc.get("rounds")
    if not isinstance(rounds_raw, list) or not rounds_raw:
        raise InputError("rounds: needs a list of rounds", path=label)
    min_n = int(_number(evidence.get("min_n", 30), "evidence.min_n", label))
    rounds = tuple(_round(r, frameworks, f"round #{i + 1}", label, min_n)
                   for i, r in enumerate(rounds_raw))
    names = [r.name for r in rounds]
    _need(len(set(names)) == len(names), "rounds", "round names must be unique", label)
    return Method(
        origin=label, frameworks=frameworks, status_scores=status_scores, tie=tie, clear=clear,
        min_round=_number(evidence.get("min_round", 0.5), "evidence.min_round", label),
        min_framework=_number(evidence.get("min_framework", 0.5), "evidence.min_framework",
                              label),
        max_factor=_number(sens.get("max_factor", 16), "sensitivity.max_factor", label, low=1),
        rounds=rounds, min_n=min_n)


def load_method(path: Path | None = None) -> Method:
    """The bundled method, or the file at ``path`` (validated; bad files exit 2)."""
    if path is None:
        text = resources.files("fwatlas").joinpath("data", BUNDLED).read_text("utf-8")
        return parse_method(text, f"fwatlas/data/{BUNDLED}")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path=str(path)) from None
    return parse_method(text, str(path))


def round_names() -> tuple[str, ...]:
    """The bundled method's rounds (the values ``--round`` takes)."""
    return tuple(r.name for r in load_method(None).rounds)
