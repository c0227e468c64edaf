"""The advisor: evaluate a ruleset against a situation – first matching rule decides – and explain.

The answer carries the deciding rule's reason and the evidence (knowledge-base statuses and
facts, each with its date and source) its condition read; ``changes_if`` is found by re-running
the same ruleset on every single-option change of the situation, never written by hand. The
store is opened only if a rule actually asks for a fact outside the knowledge base.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.advisor.conditions import Check, Context, Evidence, evaluate, kb_evidence
from fwatlas.advisor.ruleset import Rule, Ruleset, load_ruleset
from fwatlas.advisor.situation import EXPERIENCE, FOCUS, NEEDS, TARGET_CHOICES, Situation
from fwatlas.kb.schema import expand_targets

if TYPE_CHECKING:
    from fwatlas.facts import Fact
    from fwatlas.kb.base import KnowledgeBase
    from fwatlas.store.atlas import Atlas


class FactSource:
    """Fact lookups for one advice: ``kb.*`` from the given knowledge base, everything else
    through :class:`fwatlas.facts.FactBook` on a store opened on first need."""

    def __init__(self, kb: KnowledgeBase, atlas: Atlas | None = None,
                 db: Path | None = None) -> None:
        self.kb = kb
        self._atlas = atlas
        self._db = db
        self._kb_facts: dict[str, Fact] | None = None
        self._memo: dict[str, Fact | None] = {}
        self.opened_store = False

    def __call__(self, name: str) -> Fact | None:
        if name.startswith("kb."):
            if self._kb_facts is None:
                from fwatlas.kb.facts import facts_of

                self._kb_facts = {f.name: f for f in facts_of(self.kb)}
            return self._kb_facts.get(name)
        if name not in self._memo:
            from fwatlas.facts import FactBook

            if self._atlas is None:
                from fwatlas.store.atlas import open_atlas

                self._atlas = open_atlas(self._db)
                self.opened_store = True
            self._memo[name] = FactBook(self._atlas).get(name)
        return self._memo[name]

    def used_sources(self) -> list[dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for f in self._memo.values():
            for s in f.sources if f else ():
                out[str(s.get("snapshot_id"))] = dict(s)
        return list(out.values())


@dataclass(frozen=True)
class Decision:
    rule: Rule
    checks: tuple[Check, ...]
    tried: tuple[tuple[str, str], ...]  # (rule id, the check that failed)


def decide(rs: Ruleset, ctx: Context) -> Decision:
    """The first rule whose condition is True (a ruleset must end with a fallback)."""
    tried: list[tuple[str, str]] = []
    for rule in rs.rules:
        checks: list[Check] = []
        if evaluate(rule.when, ctx, checks) is True:
            return Decision(rule, tuple(checks), tuple(tried))
        failed = next((c for c in checks if c.value is not True), None)
        tried.append((rule.id, f"{failed.text}: {'unknown' if failed.value is None else 'no'}"
                      if failed else "no"))
    from fwatlas.errors import InputError

    raise InputError(f"ruleset {rs.name}: no rule matched persona {ctx.situation.persona}; "
                     "every ruleset must end each persona with a fallback rule")


@dataclass(frozen=True)
class Reason:
    rule: str
    text: str
    evidence: tuple[Evidence, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "text": self.text,
                "evidence": [e.as_dict() for e in self.evidence]}


@dataclass(frozen=True)
class Change:
    option: str
    change: str  # "add" | "remove" | "set" | "unset"
    value: str | None
    recommendation: str
    rule: str

    @property
    def text(self) -> str:
        if self.change == "add":
            head = f"adding {self.option} {self.value}"
        elif self.change == "remove":
            head = f"removing {self.option} {self.value}"
        elif self.change == "unset":
            head = f"leaving out {self.option}"
        else:
            head = f"{self.option} {self.value}"
        return f"{head} gives {self.recommendation}"

    def as_dict(self) -> dict[str, Any]:
        return {"option": self.option, "change": self.change, "value": self.value,
                "recommendation": self.recommendation, "rule": self.rule, "text": self.text}


@dataclass(frozen=True)
class Advice:
    """The answer, its explanation, and what would change it (``as_dict()`` is the JSON)."""

    sources: tuple[dict[str, Any], ...]
    ruleset: str
    situation: Situation
    recommendation: str
    deploy_via: tuple[dict[str, Any], ...] | None
    alternatives: tuple[dict[str, str], ...]
    reasons: tuple[Reason, ...]
    changes_if: tuple[Change, ...]
    stale: tuple[str, ...]
    rule: str = ""
    checks: tuple[Check, ...] = field(default=(), compare=False)
    tried: tuple[tuple[str, str], ...] = ()
    options_used: tuple[str, ...] = ()
    options_unused: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": list(self.sources), "ruleset": self.ruleset,
            "persona": self.situation.persona, "situation": self.situation.as_dict(),
            "recommendation": self.recommendation,
            "deploy_via": list(self.deploy_via) if self.deploy_via is not None else None,
            "alternatives": list(self.alternatives),
            "reasons": [r.as_dict() for r in self.reasons],
            "changes_if": [c.as_dict() for c in self.changes_if],
            "stale": list(self.stale),
        }


def _given_options(s: Situation) -> list[str]:
    given = [("--target", s.target_args), ("--need", s.needs), ("--focus", s.focus),
             ("--experience", s.experience), ("--python", s.python), ("--os", s.os),
             ("--arch", s.arch)]
    return [opt for opt, v in given if v]


def _deploy_via(rule: Rule, rec: str, ctx: Context) -> tuple[dict[str, Any], ...] | None:
    from fwatlas.kb.matrix import best_path, titles

    if rule.deploy_via is None:
        return None
    names = titles(ctx.kb)
    if rule.deploy_via == "matrix":
        targets = ctx.situation.targets or expand_targets(list(rule.default_targets))
        out = []
        for t in targets:
            p = best_path(ctx.kb, rec, t)
            out.append({"target": t, "chain": [rec, *(s.name for s in p.steps)] if p else [],
                        "display": p.display(names) if p else "no active path known",
                        "steps": [s.as_dict() for s in p.steps] if p else []})
        return tuple(out)
    steps = []
    for n in rule.deploy_via:
        e = ctx.kb.entries[n]
        now = ctx.kb.effective(n)
        steps.append({"name": n, "title": e.display, "status": e.status,
                      "status_date": e.status_date,
                      "now": now.name if now.name != n else None,
                      "now_status": now.status if now.name != n else None})
    return ({"target": None, "chain": [rec, *rule.deploy_via],
             "display": " + ".join(names[n] for n in rule.deploy_via), "steps": steps},)


def _reasons(d: Decision, ctx: Context, facts: FactSource) -> tuple[Reason, ...]:
    evidence: list[Evidence] = []
    notes: list[str] = []
    for c in d.checks:
        evidence += [e for e in c.evidence if e not in evidence]
        notes += [n for n in c.followed if n not in notes]
    for name in d.rule.rests_on.kb:
        ev, more, _ = kb_evidence(ctx, name)
        evidence += [e for e in ev if e not in evidence]
        notes += [n for n in more if n not in notes]
    for name in d.rule.rests_on.facts:
        f = facts(name)
        from fwatlas.advisor.conditions import _fact_evidence

        item = _fact_evidence(f, name)
        if item not in evidence:
            evidence.append(item)
    out = [Reason(d.rule.id, d.rule.reason.strip(), tuple(evidence))]
    for n in notes:
        hop = n.split(" ")[0]
        out.append(Reason(d.rule.id, n + ".", tuple(e for e in evidence if e.name == hop)))
    given = _given_options(ctx.situation)
    used = sorted({o for c in d.checks for o in c.options} & set(given))
    unused = [o for o in given if o not in used]
    out.append(Reason(d.rule.id, "Options this rule used: " + (", ".join(used) or "none")
                      + "; given but not used: " + (", ".join(unused) or "none") + "."))
    return tuple(out)


def _variants(s: Situation) -> list[tuple[Situation, str, str, str | None]]:
    """Every single-option change of the situation: (situation, option, change, value)."""
    out: list[tuple[Situation, str, str, str | None]] = []
    for n in NEEDS:
        if n in s.needs:
            out.append((s.with_changes(needs=[x for x in s.needs if x != n]), "--need",
                        "remove", n))
        else:
            out.append((s.with_changes(needs=[*s.needs, n]), "--need", "add", n))
    for t in TARGET_CHOICES:
        if t in s.target_args:
            out.append((s.with_changes(targets=[x for x in s.target_args if x != t]),
                        "--target", "remove", t))
        elif not set(expand_targets([t])) <= set(s.targets):
            out.append((s.with_changes(targets=[*s.target_args, t]), "--target", "add", t))
    for e in (*EXPERIENCE, None):
        if e != s.experience:
            out.append((s.with_changes(experience=e), "--experience",
                        "set" if e else "unset", e))
    for f in FOCUS.get(s.persona, ()):
        if f != s.focus:
            out.append((s.with_changes(focus=f), "--focus", "set", f))
    return out


def advise(situation: Situation, ruleset: str | Path = "current", atlas: Atlas | None = None,
           kb: KnowledgeBase | None = None, *, db: Path | None = None,
           as_of: dt.date | None = None, with_changes: bool = True) -> Advice:
    """Recommend a framework for ``situation`` under ``ruleset`` and explain why.

    ``atlas``/``db``: the store to read facts from (opened only if a rule needs one);
    ``kb``: the knowledge base (default: bundled merged with ``$FWATLAS_KB``);
    ``as_of``: "today" for the stale check.
    """
    if kb is None:
        from fwatlas.kb.loader import load_kb

        kb = load_kb()
    rs = load_ruleset(ruleset)
    facts = FactSource(kb, atlas, db)
    ctx = Context(situation, kb, facts)
    d = decide(rs, ctx)
    rec = d.rule.recommend
    changes: list[Change] = []
    if with_changes:
        for variant, option, change, value in _variants(situation):
            vd = decide(rs, Context(variant, kb, facts))
            if vd.rule.recommend != rec:
                changes.append(Change(option, change, value, vd.rule.recommend, vd.rule.id))
    reasons = _reasons(d, ctx, facts)
    day = as_of or dt.date.today()
    kb_names = {e.name for r in reasons for e in r.evidence if e.kind == "kb"}
    deploy = _deploy_via(d.rule, rec, ctx)
    for item in deploy or ():
        kb_names.update(s["name"] for s in item["steps"])
    stale = tuple(sorted(n for n in kb_names if n in kb.entries and kb.entries[n].is_stale(day)))
    sources = [*kb.sources(), *facts.used_sources()]
    used = {o for c in d.checks for o in c.options} & set(_given_options(situation))
    return Advice(
        sources=tuple(sources), ruleset=rs.name, situation=situation, recommendation=rec,
        deploy_via=deploy,
        alternatives=tuple({"framework": a.framework, "text": a.text}
                           for a in d.rule.alternatives),
        reasons=reasons, changes_if=tuple(changes), stale=stale, rule=d.rule.id,
        checks=d.checks, tried=d.tried,
        options_used=tuple(sorted(used)),
        options_unused=tuple(o for o in _given_options(situation) if o not in used),
    )
