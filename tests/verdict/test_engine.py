"""The scoring rules the method file documents, on facts made here (no store)."""

from __future__ import annotations

import pytest

from fwatlas.facts import Fact
from fwatlas.verdict.engine import criterion_values, evaluate, relative_scores, round_values
from fwatlas.verdict.method import parse_method

METHOD = """
frameworks: [pytorch, tensorflow, jax, keras]
status_scores: {active: 1.0, maintenance: 0.5, archived: 0.0}
margins: {tie: 0.05, clear: 0.15}
evidence: {min_round: 0.5, min_framework: 0.5}
rounds:
  - name: r
    criteria:
      - {name: papers, weight: 1, facts: {pytorch: p.share, tensorflow: {complement: p.share}}}
      - name: tools
        weight: 1
        read: count
        facts: {pytorch: [kb.a, kb.b], tensorflow: [kb.c], jax: [], keras: [kb.gone]}
      - name: serving
        weight: 1
        read: best
        facts: {pytorch: [kb.a, kb.b], tensorflow: [kb.c], jax: []}
      - {name: age, weight: 1, direction: lower, fact: "days.{framework}",
         frameworks: [pytorch, tensorflow]}
"""


def _facts(values: dict[str, object]) -> dict[str, Fact]:
    return {n: Fact(n, v, "", "computed", (), None) for n, v in values.items()}  # type: ignore


def test_complement_statuses_empty_lists_and_missing_facts() -> None:
    m = parse_method(METHOD, "m.yaml")
    facts = _facts({"p.share": 0.8, "kb.a": "active", "kb.b": "maintenance", "kb.c": "archived",
                    "days.pytorch": 10, "days.tensorflow": 40})
    rnd = m.round("r")
    values = round_values(rnd, facts.get, m)
    assert values["papers"] == {"pytorch": 0.8, "tensorflow": pytest.approx(0.2)}
    # count sums status scores; an empty list is 0 (no tool known); all facts missing is None
    assert values["tools"] == {"pytorch": 1.5, "tensorflow": 0.0, "jax": 0.0, "keras": None}
    assert values["serving"] == {"pytorch": 1.0, "tensorflow": 0.0, "jax": 0.0}
    assert relative_scores(values["age"], "lower") == {"pytorch": 1.0, "tensorflow": 0.25}


def test_a_framework_missing_a_criterion_is_scored_on_the_others_not_as_zero() -> None:
    m = parse_method(METHOD, "m.yaml")
    facts = _facts({"p.share": 0.5, "kb.a": "active", "kb.c": "active", "kb.gone": "active",
                    "days.pytorch": 5, "days.tensorflow": 5})
    rnd = m.round("r")
    out = evaluate(rnd, round_values(rnd, facts.get, m), m)
    # keras has a value only in `tools` (1 of 4 evidenced weights < min_framework 0.5)
    assert "keras" in out.unranked and "keras" not in out.scores
    # jax: tools 0 and serving 0 -> 2 of 4 weights, ranked, score 0 – not helped by absences
    assert out.scores["jax"] == 0.0
    assert out.confidence == "tie" and set(out.tied) == {"pytorch", "tensorflow"}


def test_a_criterion_with_one_framework_is_not_evidence() -> None:
    m = parse_method(METHOD, "m.yaml")
    crit = m.round("r").criteria[3]
    values = criterion_values(crit, _facts({"days.pytorch": 3}).get, m.status_scores)
    assert values == {"pytorch": 3.0, "tensorflow": None}
    rnd = m.round("r")
    out = evaluate(rnd, {"papers": {"pytorch": None, "tensorflow": None},
                         "tools": {"pytorch": 1.0, "tensorflow": None, "jax": None,
                                   "keras": None},
                         "serving": {"pytorch": 1.0, "tensorflow": None, "jax": None},
                         "age": values}, m)
    assert out.confidence == "not enough evidence" and out.evidence_share == 0.0
    assert set(out.lacking) == {"papers", "tools", "serving", "age"}
