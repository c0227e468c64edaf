"""Scoring one round: raw values per criterion and framework, scores, leader, margin.

Pure functions over a fact lookup, so the same code answers the CLI, the report and the
sensitivity search (which re-evaluates a round with one weight changed, never by formula).
The rules are the ones ``data/verdict_method.yaml`` documents in its header.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fwatlas.stats import intervals_overlap
from fwatlas.verdict.method import Criterion, FactRef, Method, Round

if TYPE_CHECKING:
    from fwatlas.facts import Fact

#: a criterion's raw value per framework (None: the evidence cannot say)
Values = dict[str, float | None]
Lookup = Callable[[str], "Fact | None"]

NOT_ENOUGH = "not enough evidence"


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    return None


def not_counted(fact: Fact | None, min_n: int) -> str | None:
    """Why a fact does not count for its criterion (None: it counts). Only a fact computed from
    counted items has an ``n``; published figures and statuses always count."""
    if fact is None or fact.n is None or fact.n >= min_n:
        return None
    return f"n = {fact.n} is below the criterion's min_n {min_n}"


def counted_lookup(lookup: Lookup, min_n: int) -> Lookup:
    """The lookup a criterion scores with: facts below its ``min_n`` read as missing."""
    def get(name: str) -> Fact | None:
        fact = lookup(name)
        return None if not_counted(fact, min_n) else fact
    return get


def ref_interval(ref: FactRef, lookup: Lookup) -> tuple[float, float] | None:
    """The 95 % interval of the value one reference contributes (1 - it for a complement)."""
    fact = lookup(ref.name)
    if fact is None or fact.ci95 is None:
        return None
    low, high = fact.ci95
    return (1.0 - high, 1.0 - low) if ref.complement else (low, high)


def ref_value(ref: FactRef, lookup: Lookup, status_scores: Mapping[str, float]) -> float | None:
    """One fact's contribution: a number, a status's score, or None when missing."""
    fact = lookup(ref.name)
    if fact is None or fact.value is None:
        return None
    if isinstance(fact.value, str):
        number = status_scores.get(fact.value)
    else:
        number = _number(fact.value)
    if number is None:
        return None
    return 1.0 - number if ref.complement else number


def criterion_values(criterion: Criterion, lookup: Lookup, status_scores: Mapping[str, float]
                     ) -> Values:
    """Raw values of one criterion per framework it names (frameworks it omits are absent).

    ``best`` and ``count`` over an empty list are 0 – the knowledge base knows no such tool –
    while a list whose facts are all missing is None.
    """
    out: Values = {}
    for fw, refs in criterion.facts.items():
        if criterion.read == "value":
            out[fw] = ref_value(refs[0], lookup, status_scores)
            continue
        if not refs:
            out[fw] = 0.0
            continue
        got = [v for v in (ref_value(r, lookup, status_scores) for r in refs) if v is not None]
        if not got:
            out[fw] = None
        else:
            out[fw] = max(got) if criterion.read == "best" else float(sum(got))
    return out


def relative_scores(values: Values, direction: str = "higher") -> dict[str, float | None]:
    """Each value relative to the criterion's best: the best scores 1.0, the others a fraction."""
    present = {fw: v for fw, v in values.items() if v is not None}
    out: dict[str, float | None] = {fw: None for fw in values}
    if not present:
        return out
    if direction == "lower":
        low = min(present.values())
        for fw, v in present.items():
            out[fw] = 1.0 if v <= 0 else (max(low, 0.0) / v)
        return out
    high = max(present.values())
    for fw, v in present.items():
        out[fw] = (max(v, 0.0) / high) if high > 0 else 0.0
    return out


@dataclass(frozen=True)
class Outcome:
    """Who leads one round under one set of weights."""

    confidence: str  # clear | narrow | tie | not enough evidence
    leader: str | None
    runner_up: str | None
    margin: float | None
    scores: dict[str, float]
    coverage: dict[str, float]
    evidence_share: float
    tied: tuple[str, ...] = ()
    unranked: tuple[str, ...] = ()
    lacking: tuple[str, ...] = field(default=())  # criteria without evidence
    #: counted criteria where the leader's and runner-up's 95 % intervals overlap
    overlapping: tuple[str, ...] = field(default=())

    @property
    def signature(self) -> str | None:
        """What a flip changes: the leader, or ``tie``; None when evidence is too thin."""
        if self.confidence == NOT_ENOUGH:
            return None
        return "tie" if self.leader is None else self.leader


Intervals = dict[str, dict[str, "tuple[float, float] | None"]]


Relatives = Mapping[str, Mapping[str, "float | None"]]


def round_relatives(rnd: Round, values: Mapping[str, Values]) -> dict[str, dict[str, float | None]]:
    """Each criterion's :func:`relative_scores`: weights play no part in them, so the
    sensitivity pass, which re-evaluates a round ~400 times with one weight changed, computes
    them once."""
    return {c.name: relative_scores(values[c.name], c.direction) for c in rnd.criteria}


def evaluate(rnd: Round, values: Mapping[str, Values], method: Method,
             intervals: Intervals | None = None, relatives: Relatives | None = None
             ) -> Outcome:
    """Score a round from its criteria's raw values (see the method file's header, 1-5).

    With ``intervals`` (criterion -> framework -> 95 % interval), a lead whose leader and
    runner-up intervals overlap in any counted criterion is at most narrow, never clear.
    ``relatives``: :func:`round_relatives` of the same values, when already computed."""
    total = rnd.total_weight
    evidenced = [c for c in rnd.criteria
                 if sum(v is not None for v in values[c.name].values()) >= 2]
    counted = {c.name for c in evidenced}
    lacking = tuple(c.name for c in rnd.criteria if c.name not in counted)
    ev_weight = sum(c.weight for c in evidenced)
    share = ev_weight / total if total > 0 else 0.0
    if ev_weight <= 0 or share + 1e-12 < method.min_round:
        return Outcome(NOT_ENOUGH, None, None, None, {}, {}, share, lacking=lacking)
    covered: dict[str, float] = {}
    weighted: dict[str, float] = {}
    for c in evidenced:
        relative = (relatives[c.name] if relatives is not None
                    else relative_scores(values[c.name], c.direction))
        for fw, s in relative.items():
            if s is None:
                continue
            covered[fw] = covered.get(fw, 0.0) + c.weight
            weighted[fw] = weighted.get(fw, 0.0) + c.weight * s
    coverage = {fw: covered[fw] / ev_weight for fw in covered}
    ranked = [fw for fw in method.frameworks
              if covered.get(fw, 0.0) > 0 and coverage[fw] + 1e-12 >= method.min_framework]
    unranked = tuple(fw for fw in method.frameworks if fw in covered and fw not in ranked)
    scores = {fw: weighted[fw] / covered[fw] for fw in ranked}
    if len(ranked) < 2:
        return Outcome(NOT_ENOUGH, None, None, None, scores, coverage, share,
                       unranked=unranked, lacking=lacking)
    order = sorted(ranked, key=lambda fw: (-scores[fw], method.frameworks.index(fw)))
    margin = round(scores[order[0]] - scores[order[1]], 9)
    if margin < method.tie:
        tied = tuple(fw for fw in order if round(scores[order[0]] - scores[fw], 9) < method.tie)
        return Outcome("tie", None, None, margin, scores, coverage, share, tied=tied,
                       unranked=unranked, lacking=lacking)
    confidence = "clear" if margin >= method.clear else "narrow"
    overlapping: tuple[str, ...] = ()
    if intervals:
        overlapping = tuple(
            c.name for c in evidenced
            if (a := intervals.get(c.name, {}).get(order[0])) is not None
            and (b := intervals.get(c.name, {}).get(order[1])) is not None
            and intervals_overlap(a, b))
        if overlapping and confidence == "clear":
            confidence = "narrow"
    return Outcome(confidence, order[0], order[1], margin, scores, coverage, share,
                   unranked=unranked, lacking=lacking, overlapping=overlapping)


def round_values(rnd: Round, lookup: Lookup, method: Method) -> dict[str, Values]:
    """Raw values of every criterion of a round (weights play no part: computed once)."""
    return {c.name: criterion_values(c, counted_lookup(lookup, c.min_n), method.status_scores)
            for c in rnd.criteria}


def round_intervals(rnd: Round, lookup: Lookup) -> Intervals:
    """95 % intervals of the single-fact (``read: value``) criteria, counted facts only."""
    out: Intervals = {}
    for c in rnd.criteria:
        if c.read != "value":
            continue
        get = counted_lookup(lookup, c.min_n)
        out[c.name] = {fw: ref_interval(refs[0], get) for fw, refs in c.facts.items()}
    return out
