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

from fwatlas.advisor.conditions import (
    INSTALLABLE_FACT,
    Check,
    Context,
    Evidence,
    _fact_evidence,
    evaluate,
    fact_name,
    implied_targets,
    kb_evidence,
)
from fwatlas.advisor.ruleset import Rule, Ruleset, load_ruleset
from fwatlas.advisor.situation import (
    ACCELERATORS,
    BACKEND_FRAMEWORK,
    CLOUDS,
    EXISTING,
    EXPERIENCE,
    FOCUS,
    KERAS_BACKENDS,
    NEEDS,
    TARGET_CHOICES,
    WORKLOADS,
    Situation,
)
from fwatlas.kb.schema import expand_targets

if TYPE_CHECKING:
    from fwatlas.facts import Fact
    from fwatlas.kb.base import KnowledgeBase
    from fwatlas.store.atlas import Atlas


class FactSource:
    """Fact lookups for one advice: ``kb.*`` from the given knowledge base, everything else
    through :class:`fwatlas.facts.FactBook` on a store opened on first need. With no store
    file, ``probe.*`` facts come from the bundled probe run (what the store would read
    offline) and every other store fact is unknown."""

    def __init__(self, kb: KnowledgeBase, atlas: Atlas | None = None,
                 db: Path | None = None) -> None:
        self.kb = kb
        self._atlas = atlas
        self._db = db
        self._kb_facts: dict[str, Fact] | None = None
        self._memo: dict[str, Fact | None] = {}
        self._probe: dict[str, Fact] | None = None
        self.opened_store = False

    def __call__(self, name: str) -> Fact | None:
        if name.startswith("kb."):
            if self._kb_facts is None:
                from fwatlas.kb.facts import facts_of

                self._kb_facts = {f.name: f for f in facts_of(self.kb)}
            return self._kb_facts.get(name)
        if name not in self._memo:
            if self._atlas is None:
                from fwatlas import settings

                path = self._db or settings.default_db_path()
                if not Path(path).exists():  # no store: every store fact is unknown, for free
                    # ... except the probe's: the bundled run, as the store would read it
                    # offline, read without opening DuckDB
                    self._memo[name] = self._bundled_probe(name)
                    return self._memo[name]
                from fwatlas.store.atlas import open_atlas

                self._atlas = open_atlas(path)
                self.opened_store = True
            from fwatlas.facts import FactBook

            self._memo[name] = FactBook(self._atlas).get(name)
        return self._memo[name]

    def _bundled_probe(self, name: str) -> Fact | None:
        if not name.startswith("probe."):
            return None
        if self._probe is None:
            from fwatlas.probe.measured import bundled_facts

            self._probe = {f.name: f for f in bundled_facts()}
        return self._probe.get(name)

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
    #: Every option any evaluated check read, the deciding rule's and those tried before it:
    #: an option outside this set cannot change the decision.
    read: frozenset[str] = frozenset()
    #: True when no framework the rules name installs on the user's platform (the answer is
    #: then the unguarded one, and says so).
    none_installs: bool = False


PLATFORM_OPTIONS = frozenset({"--python", "--os", "--arch"})


def platform_label(s: Situation) -> str | None:
    return f"py{s.python}.{s.os}.{s.arch}" if s.python and s.os and s.arch else None


def install_check(fw: str, ctx: Context) -> Check | None:
    """Does ``fw`` install on the user's platform, per the registry facts? None without a
    full --python/--os/--arch. Keras with --keras-backend needs its backend to install too."""
    s = ctx.situation
    label = platform_label(s)
    if label is None:
        return None
    needed = [fw]
    opts = set(PLATFORM_OPTIONS)
    if fw == "keras" and s.keras_backend:
        needed.append(BACKEND_FRAMEWORK[s.keras_backend])
        opts.add("--keras-backend")
    values: list[bool | None] = []
    ev: list[Evidence] = []
    for f in needed:
        name = fact_name(INSTALLABLE_FACT.replace("{framework}", f), s) or ""
        fact = ctx.fact(name)
        values.append(fact.value if fact is not None and isinstance(fact.value, bool) else None)
        ev.append(_fact_evidence(fact, name))
    value = False if False in values else (True if all(values) else None)
    what = " + ".join(needed) if len(needed) > 1 else fw
    return Check(f"{what} installs on {label} (registry evidence)", value, frozenset(opts), ev)


def decide(rs: Ruleset, ctx: Context, guard: bool | None = None) -> Decision:
    """The first rule whose condition is True (a ruleset must end with a fallback).

    With the ruleset's ``guard_installable``, a rule whose framework the registry evidence says
    will not install on the user's platform is skipped (and listed as tried); when every rule
    is skipped that way, the unguarded answer is returned marked ``none_installs``.
    """
    use_guard = rs.guard_installable if guard is None else guard
    tried: list[tuple[str, str]] = []
    read: set[str] = set()
    for rule in rs.rules:
        checks: list[Check] = []
        holds = evaluate(rule.when, ctx, checks)
        read |= {o for c in checks for o in c.options | c.reads}
        if holds is True and use_guard:
            read |= PLATFORM_OPTIONS | ({"--keras-backend"} if rule.recommend == "keras"
                                        else set())
            g = install_check(rule.recommend, ctx)
            if g is not None and g.value is False:
                tried.append((rule.id, f"{g.text}: no"))
                continue
            if g is not None:
                checks.append(g)
        if holds is True:
            return Decision(rule, tuple(checks), tuple(tried), frozenset(read))
        failed = next((c for c in checks if c.value is not True), None)
        tried.append((rule.id, f"{failed.text}: {'unknown' if failed.value is None else 'no'}"
                      if failed else "no"))
    if use_guard:  # nothing installs: the answer for this situation on any platform
        elsewhere = Context(ctx.situation.replace(python=None, os=None, arch=None), ctx.kb,
                            ctx.fact, ctx.as_of)
        d = decide(rs, elsewhere, guard=False)
        return Decision(d.rule, d.checks, d.tried, d.read | PLATFORM_OPTIONS, none_installs=True)
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
    options_ignored: tuple[str, ...] = ()
    platform: dict[str, Any] | None = None
    migration: dict[str, Any] | None = None
    read: frozenset[str] = field(default=frozenset(), compare=False)

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
            "options": {"used": list(self.options_used), "unused": list(self.options_unused),
                        "ignored_by_ruleset": list(self.options_ignored)},
            "platform": self.platform, "migration": self.migration,
        }


def _given_options(s: Situation) -> list[str]:
    given = [("--target", s.target_args), ("--need", s.needs), ("--focus", s.focus),
             ("--experience", s.experience), ("--python", s.python), ("--os", s.os),
             ("--arch", s.arch), ("--accelerator", s.accelerator),
             ("--workload", s.workloads), ("--existing", s.existing), ("--cloud", s.cloud),
             ("--keras-backend", s.keras_backend)]
    return [opt for opt, v in given if v]


def _deploy_via(rule: Rule, rec: str, ctx: Context) -> tuple[dict[str, Any], ...] | None:
    from fwatlas.kb.matrix import best_path, titles

    if rule.deploy_via is None:
        return None
    names = titles(ctx.kb)
    if rule.deploy_via == "matrix":
        targets = implied_targets(ctx.situation)[0] or expand_targets(list(rule.default_targets))
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


def status_words(ctx: Context, name: str) -> str:
    """An entry's status exactly as the knowledge base has it, with its date."""
    if name not in ctx.kb.entries:
        return "not in the knowledge base"
    e = ctx.kb.effective(name)
    if e.status is None:
        when = f"; latest dated evidence {e.status_date}" if e.status_date else ""
        return f"status unknown – no source confirms one{when}"
    return e.status + (f", {e.status_date}" if e.status_date else "")


def _fill(text: str, rs: Ruleset, ctx: Context) -> str:
    """``{status:ENTRY}`` → the entry's status and date; ``{tools:WORKLOAD}`` → the entries the
    ruleset lists for a workload, each with its status: reasons never type a status."""
    import re

    def one(m: re.Match[str]) -> str:
        kind, name = m.group(1), m.group(2)
        if kind == "status":
            return status_words(ctx, name)
        names = rs.workloads.get(name, ())
        return ", ".join(f"{ctx.kb.effective(n).display} ({status_words(ctx, n)})"
                         for n in names if n in ctx.kb.entries) or "none listed"

    return re.sub(r"\{(status|tools):([a-z0-9.+-]+)\}", one, text)


def placeholder_entries(text: str, rs: Ruleset) -> list[str]:
    """The knowledge-base entries a text's ``{status:…}``/``{tools:…}`` placeholders name."""
    import re

    out: list[str] = []
    for kind, name in re.findall(r"\{(status|tools):([a-z0-9.+-]+)\}", text):
        for n in ([name] if kind == "status" else list(rs.workloads.get(name, ()))):
            if n not in out:
                out.append(n)
    return out


def _alternatives(rs: Ruleset, d: Decision, rec: str, ctx: Context
                  ) -> tuple[list[dict[str, Any]], set[str]]:
    """Alternatives and tips: the rule's own, the deploy matrix's paths for the other
    frameworks to the asked targets, and the entries the ruleset lists for the asked
    workloads, accelerator and cloud – each with its knowledge-base status. Also returns the
    options that fed them."""
    from fwatlas.kb.matrix import MATRIX_FRAMEWORKS, cell, paths, titles

    s = ctx.situation
    out: list[dict[str, Any]] = []
    used: set[str] = set()

    def add(fw: str, text: str, origin: str, entry: str | None = None) -> None:
        item: dict[str, Any] = {"framework": fw, "text": text, "from": origin, "entry": None,
                                "status": None, "status_date": None}
        if entry is not None and entry in ctx.kb.entries:
            e = ctx.kb.effective(entry)
            item.update(entry=e.name, status=e.status, status_date=e.status_date)
        if all(o["text"] != text for o in out):
            out.append(item)

    for a in d.rule.alternatives:
        text = _fill(a.text, rs, ctx)
        if a.entry:
            text += f" ({ctx.kb.effective(a.entry).display}: {status_words(ctx, a.entry)})"
        add(a.framework, text, "rule", a.entry)
    if not rs.guard_installable:  # article-2022: its own alternatives only
        return out, used
    targets, opts = implied_targets(s)
    if not targets and d.rule.deploy_via == "matrix":
        targets = expand_targets(list(d.rule.default_targets))
    used |= opts
    names = titles(ctx.kb)
    for t in targets:  # the recommended framework's other active paths, as tips
        others = [p.display(names) for p in cell(ctx.kb, rec, t).alternatives[:3]]
        if others:
            add(rec, f"other active paths to {t}: " + "; ".join(others) + " (deploy matrix)",
                "deploy-matrix")
    for fw in MATRIX_FRAMEWORKS:
        if fw == rec or not targets:
            continue
        parts = []
        for t in targets:
            found = paths(ctx.kb, fw, t)
            if not found:
                parts.append(f"{t}: no path in the knowledge base")
            elif found[0].active:
                parts.append(f"{t}: {found[0].display(names)}")
            else:
                stuck = [f"{st.title} is {status_words(ctx, st.name)}"
                         for st in found[0].steps if st.status != "active"]
                parts.append(f"{t}: {found[0].display(names)} – not active "
                             f"({'; '.join(stuck)})")
        if any("no path" not in p for p in parts):
            add(fw, f"{names[fw]} deploys to " + "; ".join(parts) + " (deploy matrix)",
                "deploy-matrix")
    sections = [("--workload", w, rs.workloads.get(w, ())) for w in s.workloads]
    if s.accelerator:
        sections.append(("--accelerator", s.accelerator, rs.accelerators.get(s.accelerator, ())))
    if s.cloud:
        sections.append(("--cloud", s.cloud, rs.clouds.get(s.cloud, ())))
    for option, value, entries in sections:
        used.add(option)
        known = [n for n in entries if n in ctx.kb.entries]
        if not known and value != "none":
            add(rec, f"{option} {value}: the knowledge base lists no tool specific to it",
                option.removeprefix("--"))
        for n in known:
            e = ctx.kb.effective(n)
            fws = e.frameworks or (rec,)
            fw = rec if rec in fws else fws[0]
            made_for = ", ".join(names.get(f, f) for f in e.frameworks) or "any framework"
            add(fw, f"{option} {value}: {e.display} ({status_words(ctx, n)}) – for {made_for}",
                option.removeprefix("--"), n)
    return out, used


def _migration(rs: Ruleset, rec: str, ctx: Context) -> dict[str, Any] | None:
    """For --existing: the production stack's tools and statuses, what leaving would touch and
    what would make it worth it."""
    s = ctx.situation
    if not s.existing or s.existing not in rs.stacks:
        return None
    stack = rs.stacks[s.existing]
    tools = []
    for n in stack.tools:
        if n in ctx.kb.entries:
            e = ctx.kb.effective(n)
            tools.append({"name": e.name, "title": e.display, "status": e.status,
                          "status_date": e.status_date,
                          "source": e.primary_source().url})
    return {"from": s.existing, "to": rec, "stay": rec == s.existing, "tools": tools,
            "touches": [_fill(t, rs, ctx) for t in stack.touches],
            "worth_it_if": [_fill(t, rs, ctx) for t in stack.worth_it_if]}


def _nearest_platforms(fw: str, s: Situation, facts: FactSource) -> list[str]:
    """Platforms next to the user's where ``fw`` does install, per the registry facts:
    x86_64 emulation on an arm64 machine, WSL (Linux) on Windows, another Python."""
    if not (s.python and s.os and s.arch):
        return []
    cands: list[tuple[str, str, str, str]] = []
    if s.arch == "arm64" and s.os in ("windows", "macos"):
        cands.append((s.python, s.os, "x86_64", "x86_64 emulation"))
    if s.os == "windows":
        cands.append((s.python, "linux", s.arch, "WSL (Linux)"))
    minor = int(s.python.split(".")[1])
    for d in (1, -1, 2, -2, 3, -3, 4, -4):
        cands.append((f"3.{minor + d}", s.os, s.arch, f"Python 3.{minor + d}"))
    out = []
    for py, os_name, arch, label in cands:
        f = facts(f"registry.installable.{fw}.py{py}.{os_name}.{arch}")
        if f is not None and f.value is True:
            out.append(f"{label}: py{py}.{os_name}.{arch}")
    return out


def _reasons(d: Decision, ctx: Context, facts: FactSource, rs: Ruleset | None = None,
             extra_used: set[str] | None = None) -> tuple[Reason, ...]:
    evidence: list[Evidence] = []
    notes: list[str] = []
    for c in d.checks:
        evidence += [e for e in c.evidence if e not in evidence]
        notes += [n for n in c.followed if n not in notes]
    named = list(d.rule.rests_on.kb)
    if rs is not None:  # every status a reason states is shown as evidence with its date
        named += [n for n in placeholder_entries(d.rule.reason, rs) if n not in named]
    for name in named:
        ev, more, _ = kb_evidence(ctx, name)
        evidence += [e for e in ev if e not in evidence]
        notes += [n for n in more if n not in notes]
    for name in d.rule.rests_on.facts:
        f = facts(name)
        from fwatlas.advisor.conditions import _fact_evidence

        item = _fact_evidence(f, name)
        if item not in evidence:
            evidence.append(item)
    text = _fill(d.rule.reason.strip(), rs, ctx) if rs is not None else d.rule.reason.strip()
    out = [Reason(d.rule.id, text, tuple(evidence))]
    for n in notes:
        hop = n.split(" ")[0]
        out.append(Reason(d.rule.id, n + ".", tuple(e for e in evidence if e.name == hop)))
    s = ctx.situation
    if d.rule.recommend == "keras" and s.keras_backend and rs is not None \
            and rs.guard_installable:
        fw = BACKEND_FRAMEWORK[s.keras_backend]
        ev, _, _ = kb_evidence(ctx, fw)
        out.append(Reason(d.rule.id, f"Keras 3 on the {s.keras_backend} backend: "
                          f"{ctx.kb.effective(fw).display} is {status_words(ctx, fw)}.",
                          tuple(ev)))
    given = _given_options(s)
    used = sorted(({o for c in d.checks for o in c.options} | (extra_used or set()))
                  & set(given))
    unused = [o for o in given if o not in used]
    out.append(Reason(d.rule.id, "Options this rule used: " + (", ".join(used) or "none")
                      + "; given but not used: " + (", ".join(unused) or "none") + "."))
    if rs is not None:
        ignored = [o for o in given if o not in rs.reads()]
        if ignored:
            out.append(Reason(d.rule.id, f"The {rs.name} ruleset does not read "
                              f"{', '.join(ignored)}: no rule in it has a premise about "
                              "them, so they cannot change its answer."))
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
    for w in WORKLOADS:
        if w in s.workloads:
            out.append((s.with_changes(workloads=[x for x in s.workloads if x != w]),
                        "--workload", "remove", w))
        else:
            out.append((s.with_changes(workloads=[*s.workloads, w]), "--workload", "add", w))
    singles = (("accelerator", "--accelerator", ACCELERATORS), ("existing", "--existing", EXISTING),
               ("cloud", "--cloud", CLOUDS), ("keras_backend", "--keras-backend", KERAS_BACKENDS))
    for attr, option, values in singles:
        current = getattr(s, attr)
        for v in (*values, None):
            if v != current:
                out.append((s.with_changes(**{attr: v}), option, "set" if v else "unset", v))
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
    day = as_of or dt.date.today()
    ctx = Context(situation, kb, facts, day)
    d = decide(rs, ctx)
    rec = d.rule.recommend
    changes: list[Change] = []
    if with_changes:
        for variant, option, change, value in _variants(situation):
            vd = decide(rs, Context(variant, kb, facts, day))
            if vd.rule.recommend != rec:
                changes.append(Change(option, change, value, vd.rule.recommend, vd.rule.id))
    alternatives, extra_used = _alternatives(rs, d, rec, ctx)
    migration = _migration(rs, rec, ctx)
    if migration is not None:
        extra_used.add("--existing")
    reasons = _reasons(d, ctx, facts, rs, extra_used)
    platform = None
    label = platform_label(situation)
    if label is not None and rs.guard_installable:
        g = install_check(rec, ctx)
        installs = None if g is None else g.value
        note = None
        nearest: list[str] = []
        if d.none_installs:
            nearest = _nearest_platforms(rec, situation, facts)
            note = (f"No framework these rules name installs natively on {label} (registry "
                    f"evidence). {rec} is the answer for your situation elsewhere; nearest "
                    "platforms where it installs: " + ("; ".join(nearest) or
                                                       "none in the registry evidence") + ".")
            reasons = (reasons[0], Reason(d.rule.id, note, tuple(g.evidence) if g else ()),
                       *reasons[1:])
        platform = {"label": label, "recommended_installs": installs,
                    "none_installs": d.none_installs, "note": note, "nearest": nearest}
    kb_names = {e.name for r in reasons for e in r.evidence if e.kind == "kb"}
    deploy = _deploy_via(d.rule, rec, ctx)
    for item in deploy or ():
        kb_names.update(s["name"] for s in item["steps"])
    stale = tuple(sorted(n for n in kb_names if n in kb.entries and kb.entries[n].is_stale(day)))
    sources = [*kb.sources(), *facts.used_sources()]
    used = ({o for c in d.checks for o in c.options} | extra_used) \
        & set(_given_options(situation))
    return Advice(
        sources=tuple(sources), ruleset=rs.name, situation=situation, recommendation=rec,
        deploy_via=deploy,
        alternatives=tuple(alternatives),
        reasons=reasons, changes_if=tuple(changes), stale=stale, rule=d.rule.id,
        checks=d.checks, tried=d.tried,
        options_used=tuple(sorted(used)),
        options_unused=tuple(o for o in _given_options(situation) if o not in used),
        options_ignored=tuple(o for o in _given_options(situation) if o not in rs.reads()),
        platform=platform, migration=migration, read=d.read,
    )
