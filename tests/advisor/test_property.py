"""Over the whole option domain: an explained answer or a one-line usage error; installable
whenever the platform is given and registry evidence exists; an option no evaluated rule read
never changes the answer."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fwatlas.advisor import advise, situation
from fwatlas.advisor.engine import FactSource, platform_label
from fwatlas.advisor.situation import (
    ACCELERATORS,
    ARCHES,
    BACKEND_FRAMEWORK,
    CLOUDS,
    EXISTING,
    EXPERIENCE,
    FOCUS,
    KERAS_BACKENDS,
    NEEDS,
    OSES,
    PERSONAS,
    TARGET_CHOICES,
    WORKLOADS,
)
from fwatlas.errors import InputError
from fwatlas.facts import Fact
from fwatlas.kb import load_kb

KB = load_kb(None)
FRAMEWORKS = ("pytorch", "tensorflow", "jax", "keras")
AS_OF = dt.date(2026, 11, 26)


def maybe(values):
    return st.sampled_from((None, *values))


def sparse(values):
    """Mostly left out: so that adding an option is often possible."""
    return st.one_of(st.none(), st.none(), st.none(), st.sampled_from(values))


@st.composite
def situations(draw, platform: bool = False, few: bool = False):
    single = sparse if few else maybe
    size = 1 if few else 3
    persona = draw(st.sampled_from(PERSONAS))
    focus = draw(st.sampled_from(FOCUS[persona])) if persona in FOCUS else None
    plat = {"python": draw(st.sampled_from(("3.12", "3.13"))), "os": draw(st.sampled_from(OSES)),
            "arch": draw(st.sampled_from(ARCHES))} if platform else {}
    return situation(
        persona,
        targets=draw(st.lists(st.sampled_from(TARGET_CHOICES), max_size=size)),
        needs=draw(st.lists(st.sampled_from(NEEDS), max_size=size)),
        focus=focus,
        experience=draw(single(EXPERIENCE)),
        accelerator=draw(single(ACCELERATORS)),
        workloads=draw(st.lists(st.sampled_from(WORKLOADS), max_size=size - 1 if few else 2)),
        existing=draw(single(EXISTING)),
        cloud=draw(single(CLOUDS)),
        keras_backend=draw(single(KERAS_BACKENDS)),
        **plat,
    )


@settings(max_examples=120, deadline=None)
@given(s=situations(), ruleset=st.sampled_from(("article-2022", "current")))
def test_every_valid_situation_gets_one_explained_answer(s, ruleset) -> None:
    a = advise(s, ruleset, kb=KB, as_of=AS_OF)
    assert a.recommendation in FRAMEWORKS
    assert len(a.reasons) >= 1 and a.reasons[0].text
    assert "{status:" not in a.reasons[0].text and "{tools:" not in a.reasons[0].text
    if ruleset == "current":  # each status the reason states is in its evidence, dated
        from fwatlas.advisor.engine import placeholder_entries
        from fwatlas.advisor.ruleset import load_ruleset

        rule = next(r for r in load_ruleset("current").rules if r.id == a.rule)
        shown = {e.name for e in a.reasons[0].evidence}
        for name in placeholder_entries(rule.reason, load_ruleset("current")):
            assert KB.effective(name).name in shown or name in shown, (a.rule, name)
    d = a.as_dict()
    assert d["recommendation"] == a.recommendation and d["persona"] == s.persona
    for c in a.changes_if[:3]:
        assert c.recommendation != a.recommendation


ANY_TEXT = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(
    (*PERSONAS, *ACCELERATORS, *WORKLOADS, *CLOUDS, *KERAS_BACKENDS, "3.13", "linux", "arm64")))


@settings(max_examples=150, deadline=None)
@given(persona=ANY_TEXT, focus=ANY_TEXT, accelerator=ANY_TEXT, existing=ANY_TEXT,
       cloud=ANY_TEXT, backend=ANY_TEXT, python=ANY_TEXT, os=ANY_TEXT, arch=ANY_TEXT,
       workloads=st.lists(ANY_TEXT.filter(lambda v: v is not None), max_size=2))
def test_any_combination_is_an_answer_or_a_one_line_usage_error(
        persona, focus, accelerator, existing, cloud, backend, python, os, arch,
        workloads) -> None:
    try:
        s = situation(persona or "", focus=focus, accelerator=accelerator, existing=existing,
                      cloud=cloud, keras_backend=backend, python=python, os=os, arch=arch,
                      workloads=workloads)
    except InputError as e:
        from fwatlas.cli.options import flag

        msg = e.render(flag)  # as the CLI words it: the option's flag, from the error's param
        assert msg and "\n" not in msg and e.param and flag(e.param) in msg
        return
    assert advise(s, kb=KB, as_of=AS_OF).recommendation in FRAMEWORKS


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=situations(platform=True),
       table=st.fixed_dictionaries({fw: st.sampled_from((True, False, None))
                                    for fw in FRAMEWORKS}))
def test_recommended_framework_installs_wherever_the_evidence_says_anything(s, table) -> None:
    label = platform_label(s)
    src = ({"snapshot_id": "s1", "kind": "pypi"},)
    facts = {f"registry.installable.{fw}.{label}": Fact(
        f"registry.installable.{fw}.{label}", ok, "bool", "computed", src, AS_OF)
        for fw, ok in table.items() if ok is not None}

    class Fake(FactSource):
        def __call__(self, name: str):  # type: ignore[override]
            return super().__call__(name) if name.startswith("kb.") else facts.get(name)

    import fwatlas.advisor.engine as engine

    real = engine.FactSource
    engine.FactSource = Fake  # type: ignore[misc]
    try:
        a = advise(s, kb=KB, as_of=AS_OF)
    finally:
        engine.FactSource = real  # type: ignore[misc]

    def known_false(fw: str) -> bool:
        if table[fw] is False:
            return True
        return fw == "keras" and bool(s.keras_backend) and \
            table[BACKEND_FRAMEWORK[s.keras_backend]] is False

    if a.platform["none_installs"]:
        assert all(known_false(fw) for fw in FRAMEWORKS), (table, a.rule)
    else:
        assert not known_false(a.recommendation), (table, a.recommendation, a.rule)


ADDITIONS = ([("accelerator", v) for v in ACCELERATORS] + [("existing", v) for v in EXISTING]
             + [("cloud", v) for v in CLOUDS] + [("keras_backend", v) for v in KERAS_BACKENDS]
             + [("workloads", [v]) for v in WORKLOADS] + [("experience", v) for v in EXPERIENCE]
             + [("needs", [v]) for v in NEEDS] + [("targets", [v]) for v in TARGET_CHOICES]
             + [("python", "3.13"), ("os", "windows"), ("arch", "arm64")])
OPTION = {"accelerator": "--accelerator", "existing": "--existing", "cloud": "--cloud",
          "keras_backend": "--keras-backend", "workloads": "--workload",
          "experience": "--experience", "needs": "--need", "targets": "--target",
          "python": "--python", "os": "--os", "arch": "--arch"}


@settings(max_examples=150, deadline=None)
@given(s=situations(few=True), add=st.sampled_from(ADDITIONS),
       ruleset=st.sampled_from(("article-2022", "current")))
def test_an_option_no_evaluated_rule_read_never_changes_the_answer(s, add, ruleset) -> None:
    attr, value = add
    current = getattr(s, attr)
    if current:  # only adding an option that was left out
        return
    a = advise(s, ruleset, kb=KB, as_of=AS_OF, with_changes=False)
    if OPTION[attr] in a.read:
        return
    b = advise(s.with_changes(**{attr: value}), ruleset, kb=KB, as_of=AS_OF,
               with_changes=False)
    assert (b.recommendation, b.rule) == (a.recommendation, a.rule), (attr, value)
