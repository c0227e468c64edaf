"""Rule conditions: a small declarative language over the situation, the knowledge base and facts.

Three-valued on purpose: a leaf whose evidence is unknown (a fact nobody has published, an entry
whose status is null) is ``None``, ``not`` keeps it ``None``, ``all``/``any`` follow Kleene
logic, and a rule fires only when its condition is ``True``. So an unknown never fires a rule
that needs ``False``. ``all``/``any`` stop at the first deciding child, so a fact that needs the
store is looked up only when the cheaper leaves before it hold.

Leaves: ``persona``, ``target``, ``need``, ``focus``, ``experience``, ``accelerator``,
``workload``, ``existing``, ``cloud``, ``keras_backend`` (a value or a list: any of them);
``tpu: true`` (``--need tpu`` or ``--accelerator tpu``, which mean the same);
``kb_recent: {entry, in, months}`` (the entry's status is one of ``in`` and its status date –
the latest release for an active entry – is within ``months`` of --as-of);
``kb_active: ENTRY``; ``kb_status: {entry, in}``; ``kb_supports: {entry, framework}``;
``path_active: {framework, targets?, default?}`` (every target – the asked ones, else
``default`` – has an active deploy path); ``measured_works: {framework, default?, unmeasured?}``
(for every asked target the deployment probe measures, at least one of the framework's paths
of that kind passed every probe – read from the ``probe.*`` facts; unknown without probe data,
or true with ``unmeasured: pass``); ``fact: {name, equals|in|gt|ge|lt|le}``;
``compare: {left, op, right, factor?}``; ``installable: FW`` (not known to be uninstallable on
the user's --python/--os/--arch) and ``not_installable: FW`` (known to be); ``always: true``.
Fact names may use ``{python}``, ``{os}``, ``{arch}``; a name the situation cannot fill is an
unknown fact.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fwatlas.advisor.situation import Situation
    from fwatlas.facts import Fact
    from fwatlas.kb.base import KnowledgeBase

INSTALLABLE_FACT = "registry.installable.{framework}.py{python}.{os}.{arch}"
#: The facts ``measured_works`` reads, per target kind (and ``probe.works.<path>`` per path).
MEASURED_FACTS = ("probe.share_working.{framework}.{kind}",
                  "probe.paths_measured.{framework}.{kind}")
_SITUATION_LEAVES = {"persona": "--persona", "target": "--target", "need": "--need",
                     "focus": "--focus", "experience": "--experience",
                     "accelerator": "--accelerator", "workload": "--workload",
                     "existing": "--existing", "cloud": "--cloud",
                     "keras_backend": "--keras-backend"}
#: Targets an option implies for deploy paths: an NPU is an edge accelerator, a cloud a
#: managed cloud service.
IMPLIED_TARGETS: dict[str, dict[str, tuple[str, ...]]] = {
    "--accelerator": {"npu": ("edge-accelerator",)},
    "--cloud": {"aws": ("cloud",), "gcp": ("cloud",), "azure": ("cloud",)},
}
#: The probe's target kind (``fwatlas.probe.spec.TARGET_KINDS``) that measures a deploy target:
#: servers load a server artifact (SavedModel, ONNX, AOTInductor), phones and embedded Linux
#: run a LiteRT or ExecuTorch program. Microcontrollers, browsers, edge accelerators, desktops
#: and managed clouds have none: no probe path runs there, so they are never judged by it.
MEASURED_KIND: dict[str, str] = {"server-rest": "server", "server-grpc": "server",
                                 "android": "mobile-edge", "ios": "mobile-edge",
                                 "embedded-linux": "mobile-edge"}
_OPS: dict[str, Callable[[Any, Any], bool]] = {"gt": operator.gt, "ge": operator.ge,
                                               "lt": operator.lt, "le": operator.le}
_LEAVES = {*_SITUATION_LEAVES, "tpu", "kb_active", "kb_status", "kb_recent", "kb_supports",
           "path_active", "measured_works", "fact", "compare", "installable", "not_installable",
           "always"}


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence a check read: a knowledge-base entry or a fact."""

    kind: str  # "kb" | "fact"
    name: str
    status: Any
    data_date: str | None
    source: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "status": self.status,
                "data_date": self.data_date, "source": self.source}


@dataclass
class Check:
    """One leaf as evaluated: what it asked, the answer, the options and evidence it used."""

    text: str
    value: bool | None
    options: frozenset[str] = frozenset()
    evidence: list[Evidence] = field(default_factory=list)
    followed: list[str] = field(default_factory=list)  # "tensorflow-lite → litert" notes
    #: Options whose absence also mattered (path_active reads --accelerator/--cloud even when
    #: they are left out); ``options`` are those that actually shaped the answer.
    reads: frozenset[str] = frozenset()


# --- validation ---------------------------------------------------------------------------------


def validate_condition(cond: Any, where: str = "when") -> None:
    """Raise ValueError when ``cond`` is not a condition of this language."""
    if not isinstance(cond, dict) or len(cond) != 1:
        raise ValueError(f"{where}: a condition is a mapping with exactly one key")
    (key, arg), = cond.items()
    if key in ("all", "any"):
        if not isinstance(arg, list) or not arg:
            raise ValueError(f"{where}.{key}: needs a non-empty list")
        for i, c in enumerate(arg):
            validate_condition(c, f"{where}.{key}[{i}]")
    elif key == "not":
        validate_condition(arg, f"{where}.not")
    elif key not in _LEAVES:
        raise ValueError(f"{where}: unknown condition {key!r} (valid: all, any, not, "
                         f"{', '.join(sorted(_LEAVES))})")
    elif key in ("kb_status", "kb_recent", "kb_supports", "path_active", "measured_works",
                 "fact", "compare") and not isinstance(arg, dict):
        raise ValueError(f"{where}.{key}: needs a mapping")
    elif key == "measured_works" and (not isinstance(arg.get("framework"), str)
                                      or arg.get("unmeasured", "unknown") not in
                                      ("unknown", "pass")):
        raise ValueError(f"{where}.measured_works: needs a framework; unmeasured is unknown "
                         "or pass")
    elif key == "fact" and not (set(arg) & {"equals", "in", *_OPS}):
        raise ValueError(f"{where}.fact: needs one of equals, in, gt, ge, lt, le")
    elif key == "compare" and arg.get("op") not in _OPS:
        raise ValueError(f"{where}.compare: op must be one of {', '.join(_OPS)}")


def referenced(cond: Any) -> tuple[set[str], set[str]]:
    """(knowledge-base entries, fact names) a condition names, for checks and docs."""
    entries: set[str] = set()
    facts: set[str] = set()
    (key, arg), = cond.items()
    if key in ("all", "any"):
        for c in arg:
            e, f = referenced(c)
            entries |= e
            facts |= f
    elif key == "not":
        return referenced(arg)
    elif key == "kb_active":
        entries.add(arg)
    elif key in ("kb_status", "kb_recent", "kb_supports"):
        entries.add(arg["entry"])
    elif key == "fact":
        facts.add(arg["name"])
    elif key == "compare":
        facts.add(arg["left"])
        facts.update([arg["right"]] if isinstance(arg["right"], str) else arg["right"])
    elif key in ("installable", "not_installable"):
        facts.add(INSTALLABLE_FACT.replace("{framework}", arg))
    elif key == "measured_works":
        for template in MEASURED_FACTS:
            facts.add(template.replace("{framework}", arg["framework"]))
    return entries, facts


def read_options(cond: Any) -> set[str]:
    """The command-line options a condition can read (for "which options it ignores")."""
    (key, arg), = cond.items()
    if key in ("all", "any"):
        return set().union(*(read_options(c) for c in arg))
    if key == "not":
        return read_options(arg)
    if key in _SITUATION_LEAVES:
        return {_SITUATION_LEAVES[key]}
    if key == "tpu":
        return {"--need", "--accelerator"}
    if key in ("path_active", "measured_works"):
        return {"--target", *IMPLIED_TARGETS}
    if key in ("installable", "not_installable"):
        return {"--python", "--os", "--arch"}
    if key == "fact":
        return set(_fact_options(arg["name"]))
    return set()


# --- evaluation ---------------------------------------------------------------------------------


@dataclass
class Context:
    """What conditions read: the situation, the knowledge base, and a fact lookup."""

    situation: Situation
    kb: KnowledgeBase
    fact: Callable[[str], Fact | None]
    as_of: dt.date | None = None


def implied_targets(s: Situation) -> tuple[tuple[str, ...], frozenset[str]]:
    """The asked targets plus those --accelerator/--cloud imply, and the options involved."""
    from fwatlas.kb.schema import TARGETS

    wanted = set(s.targets)
    opts = {"--target"} if s.targets else set()
    for option, value in (("--accelerator", s.accelerator), ("--cloud", s.cloud)):
        extra = IMPLIED_TARGETS[option].get(value or "", ())
        if extra:
            wanted.update(extra)
            opts.add(option)
    return tuple(t for t in TARGETS if t in wanted), frozenset(opts)


def months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def _as_list(v: Any) -> list[Any]:
    return list(v) if isinstance(v, list | tuple) else [v]


def kb_evidence(ctx: Context, name: str) -> tuple[list[Evidence], list[str], Any]:
    """Evidence for an entry, following ``replaced_by`` of renamed entries (and saying so)."""
    if name not in ctx.kb.entries:
        return [Evidence("kb", name, None, None, None)], [], None
    hops = ctx.kb.follow(name)
    ev = []
    for h in hops:
        e = ctx.kb.entries[h.name]
        ev.append(Evidence("kb", e.name, e.status, e.status_date, e.primary_source().url))
    notes = [f"{hops[i].name} was renamed; the premise follows replaced_by to {hops[i + 1].name}"
             for i in range(len(hops) - 1)]
    return ev, notes, ctx.kb.entries[hops[-1].name]


def fact_name(template: str, s: Situation) -> str | None:
    """Fill ``{python}``/``{os}``/``{arch}``; None when the situation lacks one of them."""
    values = {"python": s.python, "os": s.os, "arch": s.arch}
    name = template
    for k, v in values.items():
        if "{" + k + "}" in name:
            if v is None:
                return None
            name = name.replace("{" + k + "}", v)
    return name


def _fact_evidence(f: Fact | None, name: str) -> Evidence:
    if f is None:
        return Evidence("fact", name, None, None, None)
    src = ", ".join(str(s.get("snapshot_id")) for s in f.sources) or None
    return Evidence("fact", name, f.value, f.data_date.isoformat() if f.data_date else None, src)


def _fact_options(template: str) -> frozenset[str]:
    return frozenset(f"--{k}" for k in ("python", "os", "arch") if "{" + k + "}" in template)


def evaluate(cond: dict[str, Any], ctx: Context, checks: list[Check]) -> bool | None:
    """Evaluate ``cond``, appending a :class:`Check` per leaf evaluated."""
    (key, arg), = cond.items()
    if key == "all":
        result: bool | None = True
        for c in arg:
            v = evaluate(c, ctx, checks)
            if v is False:
                return False
            if v is None:
                result = None
        return result
    if key == "any":
        result = False
        for c in arg:
            v = evaluate(c, ctx, checks)
            if v is True:
                return True
            if v is None:
                result = None
        return result
    if key == "not":
        inner: list[Check] = []
        v = evaluate(arg, ctx, inner)
        negated = None if v is None else not v
        if len(inner) == 1:  # show the leaf as negated, with the negated answer
            inner[0].text = f"not ({inner[0].text})"
            inner[0].value = negated
        else:
            for c in inner:
                c.text = f"(inside not) {c.text}"
        checks.extend(inner)
        return negated
    check = _leaf(key, arg, ctx)
    checks.append(check)
    return check.value


def _leaf(key: str, arg: Any, ctx: Context) -> Check:
    s = ctx.situation
    if key == "always":
        return Check("always (fallback)", bool(arg))
    if key in _SITUATION_LEAVES:
        wanted = _as_list(arg)
        option = _SITUATION_LEAVES[key]
        value: bool | None
        if key == "target":
            from fwatlas.kb.schema import expand_targets

            value = bool(set(expand_targets(wanted)) & set(s.targets))
        elif key == "need":
            value = bool(set(wanted) & set(s.needs))
        elif key == "workload":
            value = bool(set(wanted) & set(s.workloads))
        else:
            value = getattr(s, key) in wanted
        return Check(f"{option} {' or '.join(wanted)}", value, frozenset({option}))
    if key == "tpu":
        return Check("--need tpu or --accelerator tpu", s.wants_tpu is bool(arg),
                     frozenset({"--need", "--accelerator"}))
    if key == "kb_recent":
        return _kb_recent(arg, ctx)
    if key == "kb_active":
        ev, notes, entry = kb_evidence(ctx, arg)
        act: bool | None = None if entry is None or entry.status is None else \
            entry.status == "active"
        return Check(f"{arg} is active", act, evidence=ev, followed=notes)
    if key == "kb_status":
        ev, notes, entry = kb_evidence(ctx, arg["entry"])
        st: bool | None = None if entry is None or entry.status is None else \
            entry.status in arg["in"]
        return Check(f"{arg['entry']} is {' or '.join(arg['in'])}", st, evidence=ev,
                     followed=notes)
    if key == "kb_supports":
        ev, notes, entry = kb_evidence(ctx, arg["entry"])
        sup: bool | None = None if entry is None else arg["framework"] in entry.frameworks
        return Check(f"{arg['entry']} supports {arg['framework']}", sup, evidence=ev,
                     followed=notes)
    if key == "path_active":
        return _path_active(arg, ctx)
    if key == "measured_works":
        return _measured_works(arg, ctx)
    if key == "fact":
        return _fact(arg, ctx)
    if key == "compare":
        return _compare(arg, ctx)
    # installable / not_installable
    template = INSTALLABLE_FACT.replace("{framework}", arg)
    name = fact_name(template, s)
    f = ctx.fact(name) if name else None
    known = f.value if f is not None and isinstance(f.value, bool) else None
    # without --python/--os/--arch there is no platform to judge: no fact to show as evidence
    ev = [_fact_evidence(f, name)] if name else []
    opts = _fact_options(template)
    if key == "installable":
        where = "here" if name else "(no --python/--os/--arch given)"
        return Check(f"{arg} is not known to be uninstallable {where}", known is not False,
                     opts, ev)
    return Check(f"{arg} is known to be uninstallable here", known is False, opts, ev)


def _kb_recent(arg: dict[str, Any], ctx: Context) -> Check:
    from fwatlas.kb.schema import earliest_day

    months = int(arg.get("months", 12))
    statuses = _as_list(arg.get("in", ["active", "maintenance"]))
    ev, notes, entry = kb_evidence(ctx, arg["entry"])
    text = (f"{arg['entry']} is {' or '.join(statuses)} with a dated release or status in the "
            f"last {months} months")
    if entry is None or entry.status is None or entry.status_date is None:
        return Check(text, None, evidence=ev, followed=notes)
    day = ctx.as_of or dt.date.today()
    recent = months_between(earliest_day(entry.status_date), day) <= months
    return Check(text, entry.status in statuses and recent, evidence=ev, followed=notes)


def _path_active(arg: dict[str, Any], ctx: Context) -> Check:
    from fwatlas.kb.matrix import best_path, titles
    from fwatlas.kb.schema import expand_targets

    s = ctx.situation
    fw = arg["framework"]
    asked, opts = implied_targets(s)
    targets = asked or expand_targets(_as_list(arg.get("default", [])))
    ev: list[Evidence] = []
    notes: list[str] = []
    ok = True
    names = titles(ctx.kb)
    parts = []
    for t in targets:
        p = best_path(ctx.kb, fw, t)
        if p is None:
            ok = False
            parts.append(f"{t}: none")
            continue
        parts.append(f"{t}: {p.display(names)}")
        for step in p.steps:
            if step.followed_from:
                notes.append(f"{step.followed_from} was renamed; the path follows replaced_by "
                             f"to {step.name}")
            e = ctx.kb.entries[step.name]
            item = Evidence("kb", e.name, e.status, e.status_date, e.primary_source().url)
            if item not in ev:
                ev.append(item)
    which = "the asked targets" if asked else "default targets " + ", ".join(targets)
    return Check(f"{fw} has an active deploy path to {which} ({'; '.join(parts)})",
                 ok if targets else True, opts, ev, notes,
                 reads=frozenset({"--target", *IMPLIED_TARGETS}))


def _measured_works(arg: dict[str, Any], ctx: Context) -> Check:
    """Per probe target kind of the asked (else default) targets: how many of the framework's
    measured paths work, which failed, and the probe snapshot and date they come from."""
    from fwatlas.kb.schema import expand_targets
    from fwatlas.probe.spec import load_spec

    fw = arg["framework"]
    lenient = arg.get("unmeasured") == "pass"
    asked, opts = implied_targets(ctx.situation)
    targets = asked or expand_targets(_as_list(arg.get("default", [])))
    kinds: dict[str, list[str]] = {}
    for t in targets:
        if t in MEASURED_KIND:
            kinds.setdefault(MEASURED_KIND[t], []).append(t)
    unmeasured_targets = [t for t in targets if t not in MEASURED_KIND]
    ev: list[Evidence] = []
    parts: list[str] = []
    values: list[bool | None] = []
    cited: list[str] = []
    spec = load_spec()
    for kind, ts in kinds.items():
        where = f"{kind} ({', '.join(ts)})"
        share_name = f"probe.share_working.{fw}.{kind}"
        n_name = f"probe.paths_measured.{fw}.{kind}"
        share, count = ctx.fact(share_name), ctx.fact(n_name)
        ev += [_fact_evidence(share, share_name), _fact_evidence(count, n_name)]
        if share is None or count is None or not isinstance(count.value, int) \
                or not isinstance(share.value, int | float):
            from fwatlas.kinds import ingest_hint

            parts.append(f"{where}: no probe data (fwatlas probe run, or "
                         f"{ingest_hint('probe')})")
            values.append(None)
            continue
        for src in share.sources:
            snap = f"probe snapshot {src.get('snapshot_id')}, measured {share.data_date}"
            if snap not in cited:
                cited.append(snap)
        worked: list[str] = []
        failed: list[str] = []
        for p in spec.paths:
            if p.framework == fw and p.target == kind:
                f = ctx.fact(f"probe.works.{p.id}")
                if f is not None:
                    ev.append(_fact_evidence(f, f"probe.works.{p.id}"))
                    (worked if f.value is True else failed).append(p.id)
        n = count.value
        working = round(float(share.value) * n)
        text = f"{where}: {working} of {n} measured paths work"
        text += f" ({', '.join(worked)})" if worked else ""
        text += f"; failed: {', '.join(failed)}" if failed else ""
        parts.append(text)
        values.append(working >= 1 if n >= 1 else None)
    if unmeasured_targets:
        parts.append(f"{', '.join(unmeasured_targets)}: no probe path measures this kind of "
                     "target")
    value: bool | None
    if False in values:
        value = False
    elif values and all(v is True for v in values):
        value = True
    else:
        value = None
    which = "the asked targets" if asked else "default targets " + ", ".join(targets)
    head = (f"{fw} is not measured to fail on {which}" if lenient else
            f"{fw} has a deploy path measured to work to {which}")
    detail = "; ".join(parts + cited) or "no targets"
    return Check(f"{head} ({detail})", True if lenient and value is None else value, opts, ev,
                 reads=frozenset({"--target", *IMPLIED_TARGETS}))


def _fact(arg: dict[str, Any], ctx: Context) -> Check:
    template = arg["name"]
    name = fact_name(template, ctx.situation)
    f = ctx.fact(name) if name else None
    ev = [_fact_evidence(f, name or template)]
    opts = _fact_options(template)
    value = f.value if f is not None else None
    if "in" in arg:
        return Check(f"{name or template} in {arg['in']}", value in arg["in"], opts, ev)
    if "equals" in arg:
        want = arg["equals"]
        result = None if value is None and want is not None else value == want
        return Check(f"{name or template} = {want}", result, opts, ev)
    op = next(k for k in _OPS if k in arg)
    result = None if value is None else _OPS[op](value, arg[op])
    return Check(f"{name or template} {op} {arg[op]}", result, opts, ev)


def _compare(arg: dict[str, Any], ctx: Context) -> Check:
    right_names = _as_list(arg["right"])
    left = ctx.fact(arg["left"])
    rights = [ctx.fact(n) for n in right_names]
    ev = [_fact_evidence(left, arg["left"]),
          *(_fact_evidence(f, n) for f, n in zip(rights, right_names, strict=True))]
    factor = float(arg.get("factor", 1.0))
    text = f"{arg['left']} {arg['op']} {factor:g} × ({' + '.join(right_names)})"
    values = [left.value if left else None, *(r.value if r else None for r in rights)]
    if any(not isinstance(v, int | float) or isinstance(v, bool) for v in values):
        return Check(text, None, evidence=ev)
    lv, *rv = (float(v) for v in values if isinstance(v, int | float))
    return Check(text, _OPS[arg["op"]](lv, factor * sum(rv)), evidence=ev)
