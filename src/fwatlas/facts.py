"""Facts: the named, sourced, dated numbers and statuses that rulesets and verdicts may read.

Analyses publish facts through providers registered here (built-ins exactly as plugins would).
A provider is a function ``(atlas) -> list[Fact]`` responsible for every fact name under its
prefix; facts are computed lazily – only providers whose prefix overlaps the request run – and
memoised on the Atlas and, across processes, beside the store, keyed by the set of snapshots
and this fwatlas (``fwatlas.store.fact_cache``).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fwatlas.store.atlas import Atlas

FactValue = float | int | str | bool | None


@dataclass(frozen=True)
class Fact:
    """``<area>.<metric>[.<qualifier>...]`` = value, with where it came from and how old it is."""

    name: str
    value: FactValue
    unit: str
    basis: str
    sources: tuple[dict[str, Any], ...]
    data_date: dt.date | None
    #: the count behind a share computed from counted items (None: published, or not a share)
    #: (keyword-only, so subclasses keep their positional fields)
    n: int | None = field(default=None, kw_only=True)
    #: its 95 % Wilson score interval (fwatlas.stats), where ``n`` is known
    ci95: tuple[float, float] | None = field(default=None, kw_only=True)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "value": self.value, "unit": self.unit, "basis": self.basis,
            "sources": list(self.sources),
            "data_date": self.data_date.isoformat() if self.data_date else None,
            "n": self.n, "ci95": list(self.ci95) if self.ci95 else None,
        }


@dataclass(frozen=True)
class Provider:
    prefix: str
    target: str  # "module:function"
    summary: str = ""

    def load(self) -> Callable[[Atlas], list[Fact]]:
        module, func = self.target.split(":")
        fn: Callable[[Atlas], list[Fact]] = getattr(importlib.import_module(module), func)
        return fn


PROVIDERS: list[Provider] = []


def register(prefix: str, target: str, summary: str = "") -> None:
    """Register a fact provider for every name under ``prefix`` (e.g. ``hub``)."""
    PROVIDERS.append(Provider(prefix, target, summary))


register("hub", "fwatlas.analyses.availability:hub_facts", "Hugging Face Hub availability")
register("research", "fwatlas.analyses.research:research_facts", "framework mentions in papers")
register("migration", "fwatlas.analyses.migration:migration_facts", "authors' framework moves")
register("pwc", "fwatlas.analyses.pwc_trends:pwc_facts", "Papers with Code repositories")
register("kb", "fwatlas.kb.facts:kb_facts", "Knowledge-base statuses (kb.status.<entry>)")
register("signals", "fwatlas.analyses.signals:signals_facts",
         "adoption signals: downloads, stars, dependents, jobs, questions")
register("registry", "fwatlas.analyses.support:registry_facts",
         "registry: installable per Python/OS/arch, GPU variants, latest versions")
register("vitality", "fwatlas.analyses.vitality:vitality_facts",
         "release cadence and knowledge-base flags per package")
register("repos", "fwatlas.analyses.repo_trends:repo_facts", "scanned code repositories")
register("research.code", "fwatlas.analyses.research_code:research_code_facts",
         "the framework of papers' linked code repositories")
register("coverage", "fwatlas.analyses.coverage:coverage_facts",
         "Transformers architectures each framework can load, per release")
register("probe", "fwatlas.probe.measured:probe_facts",
         "deployment paths measured by fwatlas probe (share working per target kind)")


def _overlaps(provider_prefix: str, wanted: str | None) -> bool:
    if not wanted:
        return True
    return wanted.startswith(provider_prefix) or provider_prefix.startswith(wanted)


@dataclass
class FactBook:
    """The facts of one Atlas, computed on demand."""

    atlas: Atlas
    providers: Sequence[Provider] = field(default_factory=lambda: list(PROVIDERS))

    def _from(self, provider: Provider) -> list[Fact]:
        facts: list[Fact] = self.atlas.memo(("facts", provider.target),
                                            lambda: _cached(self.atlas, provider))
        return facts

    def list(self, prefix: str | None = None) -> list[Fact]:
        out = []
        for p in self.providers:
            if _overlaps(p.prefix, prefix):
                out += [f for f in self._from(p) if not prefix or f.name.startswith(prefix)]
        return sorted(out, key=lambda f: f.name)

    def get(self, name: str) -> Fact | None:
        for p in self.providers:
            if name.startswith(p.prefix):
                for f in self._from(p):
                    if f.name == name:
                        return f
        return None

    def value(self, name: str) -> FactValue:
        fact = self.get(name)
        return None if fact is None else fact.value


def _cached(atlas: Atlas, provider: Provider) -> list[Fact]:
    """One provider's facts, from the cross-process cache where it holds them for exactly this
    set of snapshots (``fwatlas.store.fact_cache``; fwatlas's own providers only), else
    computed and remembered there – only when they come back from JSON equal (a value JSON
    cannot carry exactly is never cached)."""
    import json

    from fwatlas.store import fact_cache

    if not provider.target.startswith("fwatlas."):
        # the cache's key fingerprints fwatlas's own files only: a plugin's code is not in it
        return provider.load()(atlas)
    rows = fact_cache.load(atlas, provider.target)
    if rows is not None:
        try:
            return [_decode(r) for r in rows]
        except (TypeError, ValueError, AttributeError, ImportError, KeyError):
            pass  # a cache written by something else: compute
    facts = provider.load()(atlas)
    try:
        rows = json.loads(json.dumps([_encode(f) for f in facts]))
        if [_decode(dict(r)) for r in rows] == facts:
            fact_cache.save(atlas, provider.target, rows)
    except (TypeError, ValueError, AttributeError, ImportError, KeyError):
        pass
    return facts


def _encode(fact: Fact) -> dict[str, Any]:
    import dataclasses

    cls = type(fact)
    out: dict[str, Any] = {"class": f"{cls.__module__}:{cls.__qualname__}"}
    for f in dataclasses.fields(fact):
        value = getattr(fact, f.name)
        if isinstance(value, dt.date):
            value = {"date": value.isoformat()}
        elif isinstance(value, tuple):
            value = {"tuple": list(value)}
        out[f.name] = value
    return out


def _decode(row: dict[str, Any]) -> Fact:
    module, _, name = str(row.pop("class")).partition(":")
    if not module.startswith("fwatlas."):
        raise TypeError(f"{module}:{name} is not a fact class of fwatlas")
    cls = getattr(importlib.import_module(module), name)
    if not (isinstance(cls, type) and issubclass(cls, Fact)):
        raise TypeError(f"{module}:{name} is not a Fact")
    values = {}
    for k, v in row.items():
        if isinstance(v, dict) and set(v) == {"date"}:
            v = dt.date.fromisoformat(v["date"])
        elif isinstance(v, dict) and set(v) == {"tuple"}:
            v = tuple(v["tuple"])
        values[k] = v
    fact: Fact = cls(**values)
    return fact


def list_facts(atlas: Atlas, prefix: str | None = None) -> list[Fact]:
    """Every fact (or those under ``prefix``) with its value, sources and date."""
    return FactBook(atlas).list(prefix)
