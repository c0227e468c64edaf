"""Sensitivity: the smallest single weight change that flips a verdict, found by re-evaluating.

For each criterion the round is re-scored with that one weight multiplied by factors on a
geometric grid (x2^(1/8) steps, up to the method's ``max_factor`` and down to its inverse), then
with the criterion dropped (x0). The first factor that changes the outcome – another leader, a
lead becoming a tie or a tie getting a leader – is refined by bisection to the boundary. No
formula is inverted, so whatever the scoring rules are, the answer is what they would do.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fwatlas.verdict.engine import Outcome, Relatives, Values, evaluate, round_relatives
from fwatlas.verdict.method import Criterion, Method, Round

_STEPS_PER_DOUBLING = 8
_BISECT = 30


@dataclass(frozen=True)
class Flip:
    """One weight change that flips a round's verdict."""

    criterion: str
    label: str
    factor: float
    weight_from: float
    weight_to: float
    outcome: str  # the new leader, or "tie"
    text: str
    confidence: str = ""  # the outcome's confidence: tie, narrow or clear
    margin: float | None = None  # the outcome's margin at the flip

    @property
    def size(self) -> float:
        """How big the change is: |log factor| (dropping a criterion counts as infinite)."""
        return math.inf if self.factor == 0 else abs(math.log(self.factor))

    def as_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "label": self.label,
                "factor": round(self.factor, 4), "weight_from": self.weight_from,
                "weight_to": round(self.weight_to, 3), "outcome": self.outcome,
                "confidence": self.confidence,
                "margin": None if self.margin is None else round(self.margin, 4),
                "text": self.text}


def _describe(rnd: Round, c: Criterion, factor: float, outcome: Outcome, tie: float) -> str:
    if factor == 0:
        change = f"dropping {c.label}"
    elif abs(factor - 2) < 0.02:
        change = f"doubling the weight of {c.label}"
    elif abs(factor - 0.5) < 0.005:
        change = f"halving the weight of {c.label}"
    else:
        change = (f"weighting {c.label} x{factor:.2f} ({c.weight:g} -> {c.weight * factor:.2f})")
    if outcome.leader is None:
        result = f"{rnd.name} a tie ({', '.join(outcome.tied)}; margin below {tie:g})"
        return f"{change} makes {result}"
    margin = f", margin {outcome.margin:.3g}" if outcome.margin is not None else ""
    return f"{change} makes {outcome.leader} lead {rnd.name} ({outcome.confidence}{margin})"


def _grid(max_factor: float) -> list[float]:
    """Factors ordered by the size of the change: 2^(±k/8), nearest first."""
    n = int(math.floor(math.log2(max_factor) * _STEPS_PER_DOUBLING + 1e-9))
    out: list[float] = []
    for k in range(1, n + 1):
        out += [2 ** (k / _STEPS_PER_DOUBLING), 2 ** (-k / _STEPS_PER_DOUBLING)]
    return out


def _flip_for(rnd: Round, c: Criterion, values: Mapping[str, Values], method: Method,
              base: str, relatives: Relatives) -> Flip | None:
    def outcome(factor: float) -> Outcome:
        return evaluate(rnd.with_weight(c.name, c.weight * factor), values, method,
                        relatives=relatives)

    def flips(o: Outcome) -> bool:
        return o.signature is not None and o.signature != base

    best: tuple[float, Outcome] | None = None
    for direction in (1, -1):
        last_ok = 1.0
        for f in [g for g in _grid(method.max_factor) if (g > 1) == (direction > 0)]:
            o = outcome(f)
            if flips(o):
                lo, hi = math.log(last_ok), math.log(f)
                for _ in range(_BISECT):
                    mid = (lo + hi) / 2
                    if flips(outcome(math.exp(mid))):
                        hi = mid
                    else:
                        lo = mid
                found = math.exp(hi)
                if best is None or abs(math.log(found)) < abs(math.log(best[0])):
                    best = (found, outcome(found))
                break
            last_ok = f
    if best is None:
        dropped = outcome(0.0)
        if flips(dropped):
            best = (0.0, dropped)
    if best is None:
        return None
    factor, o = best
    return Flip(c.name, c.label, factor, c.weight, c.weight * factor, o.signature or "",
                _describe(rnd, c, factor, o, method.tie), o.confidence, o.margin)


def flips(rnd: Round, values: Mapping[str, Values], method: Method, base: Outcome
          ) -> list[Flip]:
    """Each criterion's smallest flipping change, smallest first (empty: nothing flips it)."""
    if base.signature is None:
        return []
    relatives = round_relatives(rnd, values)
    found = [f for c in rnd.criteria if c.weight > 0
             if (f := _flip_for(rnd, c, values, method, base.signature, relatives)) is not None]
    return sorted(found, key=lambda f: (f.size, f.criterion))
