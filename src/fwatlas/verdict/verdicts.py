"""Round verdicts: who leads each round today, on which facts, how sure, and the 2022 verdict.

``verdicts(atlas, ...)`` reads facts only through :class:`fwatlas.facts.FactBook`, scores every
round with :mod:`fwatlas.verdict.engine`, finds what would flip it with
:mod:`fwatlas.verdict.sensitivity`, and puts the article's verdict (bundled reference, figure
``verdict``) beside it. Every fact carries its source, data date and age as of ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.store import reference
from fwatlas.verdict import freshness as fresh
from fwatlas.verdict.engine import (
    NOT_ENOUGH,
    Outcome,
    evaluate,
    not_counted,
    ref_interval,
    ref_value,
    relative_scores,
    round_intervals,
    round_values,
)
from fwatlas.verdict.factsource import fact_book
from fwatlas.verdict.method import FactRef, Method, Round, load_method
from fwatlas.verdict.sensitivity import Flip, flips

if TYPE_CHECKING:
    from fwatlas.facts import Fact, FactBook
    from fwatlas.store.atlas import Atlas

ARTICLE_DATASET = "article"


@dataclass(frozen=True)
class FactUse:
    """One fact a criterion read for one framework (``value`` None: missing evidence)."""

    criterion: str
    framework: str
    name: str
    value: Any
    unit: str | None
    basis: str | None
    sources: tuple[dict[str, Any], ...]
    data_date: dt.date | None
    age_days: int | None
    stale: bool | None
    n: int | None = None
    ci95: tuple[float, float] | None = None
    #: None when the fact counts; else why it is shown but not scored (below min_n)
    why_not_counted: str | None = None

    @property
    def counted(self) -> bool:
        return self.value is not None and self.why_not_counted is None

    def as_dict(self) -> dict[str, Any]:
        out = {"criterion": self.criterion, "framework": self.framework, "fact": self.name,
               "value": self.value, "unit": self.unit, "basis": self.basis,
               "sources": [s.get("snapshot_id") for s in self.sources],
               "data_date": self.data_date.isoformat() if self.data_date else None,
               "age_days": self.age_days, "stale": self.stale, "n": self.n,
               "ci95": list(self.ci95) if self.ci95 else None, "counted": self.counted}
        if not self.counted:
            out["why_not_counted"] = self.why_not_counted or "no evidence: the fact is missing"
        return out


@dataclass(frozen=True)
class CriterionScore:
    """One criterion of a round: its weight, raw values and relative scores per framework."""

    name: str
    label: str
    weight: float
    read: str
    values: dict[str, float | None]
    scores: dict[str, float | None]
    evidence: bool

    def as_dict(self) -> dict[str, Any]:
        return {"criterion": self.name, "label": self.label, "weight": self.weight,
                "read": self.read, "values": self.values,
                "scores": {k: None if v is None else round(v, 4) for k, v in self.scores.items()},
                "evidence": self.evidence}


@dataclass(frozen=True)
class ArticleVerdict:
    """The 2022 article's verdict for a round, as the bundled reference states it."""

    leader: str
    note: str
    source_url: str
    data_date: dt.date


@dataclass(frozen=True)
class RoundVerdict:
    round: str
    title: str
    anchor: str
    question: str
    outcome: Outcome
    article: ArticleVerdict | None
    facts: tuple[FactUse, ...]
    flips: tuple[Flip, ...]
    missing: tuple[dict[str, str], ...]
    criteria: tuple[CriterionScore, ...] = ()
    #: the method's margins.tie and margins.clear, which decide tie / narrow / clear
    tie: float = 0.05
    clear: float = 0.15
    #: the method's evidence.min_round (the share of weight that needs evidence)
    min_round: float = 0.3

    @property
    def leader(self) -> str | None:
        return self.outcome.leader

    @property
    def evidence_dates(self) -> list[dt.date]:
        return [f.data_date for f in self.facts if f.value is not None and f.data_date]

    def evidence_age_days(self, as_of: dt.date) -> int | None:
        """Age of the oldest fact the verdict rests on (the evidence is at least this old)."""
        dates = self.evidence_dates
        return (as_of - min(dates)).days if dates else None

    def headline(self) -> str:
        """``pytorch (clear)``, ``tie: pytorch, keras`` or ``not enough evidence``."""
        o = self.outcome
        if o.confidence == NOT_ENOUGH:
            return NOT_ENOUGH
        if o.leader is None:
            return "tie: " + ", ".join(o.tied)
        return f"{o.leader} ({o.confidence})"

    def confidence_rule(self) -> str:
        """Why the confidence is what it is, with the method's thresholds.

        ``tie: margin 0.0476 (pytorch 1.000 - tensorflow 0.952) is below the tie margin 0.05
        (a lead is narrow from 0.05, clear from 0.15)``.
        """
        o = self.outcome
        bands = f"a lead is narrow from {self.tie:g}, clear from {self.clear:g}"
        if o.confidence == NOT_ENOUGH or o.margin is None:
            if o.evidence_share + 1e-12 < self.min_round:
                return (f"{NOT_ENOUGH}: criteria with evidence carry {o.evidence_share:.0%} "
                        f"of the weight, below evidence.min_round {self.min_round:.0%}")
            return f"{NOT_ENOUGH}: fewer than two frameworks have enough evidence to rank"
        top = sorted(o.scores, key=lambda fw: -o.scores[fw])[:2]
        gap = (f"margin {o.margin:.3g} ({top[0]} {o.scores[top[0]]:.3f} - {top[1]} "
               f"{o.scores[top[1]]:.3f})")
        if o.confidence == "tie":
            return f"tie: {gap} is below the tie margin {self.tie:g} ({bands})"
        if o.confidence == "clear":
            return (f"clear: {gap} is at or above the clear margin {self.clear:g} "
                    f"(below {self.tie:g} is a tie)")
        if o.overlapping and o.margin >= self.clear:
            return (f"narrow: {gap} is at or above the clear margin {self.clear:g}, but the "
                    f"95 % intervals of {o.leader} and {o.runner_up} overlap in "
                    f"{', '.join(o.overlapping)}")
        return (f"narrow: {gap} is at or above the tie margin {self.tie:g} and below the "
                f"clear margin {self.clear:g}")

    def as_row(self, as_of: dt.date) -> dict[str, Any]:
        o = self.outcome
        dates = self.evidence_dates
        return {
            "round": self.round, "leader": o.leader, "runner_up": o.runner_up,
            "margin": None if o.margin is None else round(o.margin, 4),
            "confidence": o.confidence,
            "margins": {"tie": self.tie, "clear": self.clear},
            "confidence_rule": self.confidence_rule(),
            "article_2022": self.article.leader if self.article else None,
            "facts": [f.as_dict() for f in self.facts],
            "flips_if": self.flips[0].as_dict() if self.flips else None,
            "title": self.title, "tied": list(o.tied),
            "scores": {k: round(v, 4) for k, v in o.scores.items()},
            "coverage": {k: round(v, 4) for k, v in o.coverage.items()},
            "unranked": list(o.unranked),
            "overlapping_intervals": list(o.overlapping),
            "evidence_share": round(o.evidence_share, 4),
            "evidence_from": min(dates).isoformat() if dates else None,
            "evidence_to": max(dates).isoformat() if dates else None,
            "evidence_age_days": self.evidence_age_days(as_of),
            "stale_facts": sorted({f.name for f in self.facts if f.stale}),
            "missing": list(self.missing),
            "other_flips": [f.as_dict() for f in self.flips[1:]],
            "criteria": [c.as_dict() for c in self.criteria],
            "article_2022_note": self.article.note if self.article else None,
            "anchor": self.anchor,
        }


@dataclass(frozen=True)
class VerdictReport:
    """Every round asked for, the method used, and the sources every number came from."""

    method: Method
    as_of: dt.date
    rounds: tuple[RoundVerdict, ...]
    sources: tuple[dict[str, Any], ...]

    def as_dict(self) -> dict[str, Any]:
        return {"sources": list(self.sources), "as_of": self.as_of.isoformat(),
                "method": self.method.origin,
                "margins": {"tie": self.method.tie, "clear": self.method.clear},
                "rows": [r.as_row(self.as_of) for r in self.rounds]}


def article_verdicts() -> dict[str, ArticleVerdict]:
    """Round -> the article's verdict, from reference rows ``verdict.<round>.<framework>``."""
    out: dict[str, ArticleVerdict] = {}
    for key, f in reference.lookup(ARTICLE_DATASET, "verdict").items():
        _, rnd, leader = key.split(".", 2)
        out[rnd] = ArticleVerdict(leader, f.note, f.source_url, f.data_date)
    return out


def _evidence_date(fact: Fact) -> dt.date | None:
    """When the evidence was gathered: the newest of its sources' data dates, else the fact's.

    A knowledge-base status fact is dated by when the status took effect; its source's date is
    when it was checked, which is what "how old is this evidence" means.
    """
    days = [d for d in (fresh.parse_day(s.get("data_date")) for s in fact.sources) if d]
    return max(days) if days else fact.data_date


def _kind(fact: Fact) -> str | None:
    kinds = [str(s.get("kind")) for s in fact.sources if s.get("kind")]
    return kinds[0] if kinds else None


def _shown_value(ref: FactRef, fact: Fact, status_scores: Mapping[str, float]) -> Any:
    """The value a criterion read: for ``{complement: NAME}`` that is 1 - the fact's value.

    The row is labelled ``1 - NAME``, so its value is the complement too (what the criterion
    scored, via the same ``ref_value``), never the named fact's own value – which would show
    PyTorch's share of papers as TensorFlow's.
    """
    if not ref.complement:
        return fact.value
    return ref_value(ref, lambda _name: fact, status_scores)


def _uses(rnd: Round, book: FactBook, as_of: dt.date, status_scores: Mapping[str, float]
          ) -> list[FactUse]:
    out: list[FactUse] = []
    for c in rnd.criteria:
        for fw, refs in c.facts.items():
            for ref in refs:
                fact = book.get(ref.name)
                if fact is None:
                    out.append(FactUse(c.name, fw, ref.label(), None, None, None, (), None,
                                       None, None))
                    continue
                day = _evidence_date(fact)
                kind = _kind(fact)
                out.append(FactUse(
                    c.name, fw, ref.label(), _shown_value(ref, fact, status_scores),
                    fact.unit, fact.basis, fact.sources,
                    day, fresh.age_days(day, as_of),
                    fresh.is_stale(kind, day, as_of) if kind else None,
                    fact.n, ref_interval(ref, book.get), not_counted(fact, c.min_n)))
    return out


def evaluate_round(rnd: Round, book: FactBook, method: Method, as_of: dt.date,
                   article: ArticleVerdict | None = None) -> RoundVerdict:
    """One round's verdict, its facts, what would flip it and what to ingest if too thin."""
    values = round_values(rnd, book.get, method)
    outcome = evaluate(rnd, values, method, round_intervals(rnd, book.get))
    uses = tuple(_uses(rnd, book, as_of, method.status_scores))

    def enough(c: Any) -> str:
        small = [u for u in uses if u.criterion == c.name and u.why_not_counted]
        if small:
            return (f"{c.min_n} or more items per framework (it has "
                    + ", ".join(f"{u.framework} n = {u.n}" for u in small)
                    + f"); more evidence: {c.ingest}")
        return f"evidence for at least two frameworks: {c.ingest}"

    missing = tuple({"criterion": c.name, "label": c.label, "ingest": c.ingest,
                     "would_be_enough": enough(c)}
                    for c in rnd.criteria if c.name in outcome.lacking)
    criteria = tuple(CriterionScore(c.name, c.label, c.weight, c.read, values[c.name],
                                    relative_scores(values[c.name], c.direction),
                                    c.name not in outcome.lacking) for c in rnd.criteria)
    return RoundVerdict(rnd.name, rnd.title, rnd.anchor, rnd.question, outcome, article,
                        uses,
                        tuple(flips(rnd, values, method, outcome)), missing, criteria,
                        method.tie, method.clear, method.min_round)


def verdicts(atlas: Atlas, *, round_name: str | None = None, method: Method | None = None,
             method_path: Path | None = None, as_of: dt.date | None = None,
             kb: Path | None = None) -> VerdictReport:
    """Every round's verdict (or one round's) under the bundled or a given method."""
    method = method or load_method(method_path)
    as_of = as_of or dt.date.today()
    rounds = (method.round(round_name),) if round_name else method.rounds
    book = fact_book(atlas, kb)
    article = article_verdicts()
    results = tuple(evaluate_round(r, book, method, as_of, article.get(r.name)) for r in rounds)
    sources: dict[str, dict[str, Any]] = {}
    for r in results:
        for f in r.facts:
            if f.value is not None:
                for s in f.sources:
                    sources.setdefault(str(s.get("snapshot_id")), dict(s))
    snap = atlas.newest(ARTICLE_DATASET)
    if snap is not None:
        sources.setdefault(snap.id, snap.source())
    return VerdictReport(method, as_of, results, tuple(sources.values()))
