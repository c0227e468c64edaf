"""article-2022 reproduces every branch ARTICLE.md states, with its --experience notes."""

from __future__ import annotations

import pytest

from fwatlas.advisor import advise, situation

# (persona, options, expected recommendation) – straight from ARTICLE.md's recommendations.
TABLE = [
    ("industry", {}, "tensorflow"),
    ("industry", {"needs": ["pytorch-only-models"]}, "pytorch"),
    ("industry", {"targets": ["mobile"]}, "pytorch"),
    ("industry", {"targets": ["ios"]}, "pytorch"),
    ("industry", {"targets": ["mobile"], "needs": ["audio-video"]}, "tensorflow"),
    ("industry", {"needs": ["audio-video"]}, "tensorflow"),
    ("industry", {"targets": ["embedded"]}, "tensorflow"),
    ("industry", {"targets": ["microcontroller"]}, "tensorflow"),
    ("industry", {"targets": ["mobile", "embedded"]}, "tensorflow"),
    ("industry", {"targets": ["server"]}, "tensorflow"),
    ("industry", {"experience": "pytorch"}, "tensorflow"),
    ("researcher", {}, "pytorch"),
    ("researcher", {"needs": ["reinforcement-learning"]}, "tensorflow"),
    ("researcher", {"needs": ["tpu"]}, "jax"),
    ("researcher", {"needs": ["tpu", "reinforcement-learning"]}, "tensorflow"),
    ("researcher", {"targets": ["mobile"]}, "pytorch"),
    ("professor", {"focus": "industry"}, "tensorflow"),
    ("professor", {"focus": "theory"}, "pytorch"),
    ("career-changer", {}, "tensorflow"),
    ("career-changer", {"experience": "pytorch"}, "pytorch"),
    ("career-changer", {"experience": "none"}, "tensorflow"),
    ("career-changer", {"experience": "keras"}, "tensorflow"),
    ("career-changer", {"experience": "tensorflow"}, "tensorflow"),
    ("hobbyist", {"focus": "project"}, "tensorflow"),
    ("hobbyist", {"focus": "project", "targets": ["mobile"]}, "tensorflow"),
    ("hobbyist", {"focus": "project", "targets": ["embedded"]}, "tensorflow"),
    ("hobbyist", {"focus": "learning"}, "pytorch"),
    ("hobbyist", {"focus": "learning", "experience": "none"}, "keras"),
    ("hobbyist", {"focus": "learning", "experience": "pytorch"}, "pytorch"),
    ("beginner", {}, "keras"),
    ("beginner", {"experience": "none"}, "keras"),
    ("beginner", {"needs": ["pythonic"]}, "keras"),  # deeper branches need --experience keras
    ("beginner", {"needs": ["no-new-install"]}, "keras"),
    ("beginner", {"experience": "keras"}, "keras"),
    ("beginner", {"experience": "keras", "needs": ["no-new-install"]}, "tensorflow"),
    ("beginner", {"experience": "keras", "needs": ["pythonic"]}, "pytorch"),
]


@pytest.mark.parametrize(("persona", "options", "expected"), TABLE)
def test_article_branch(persona: str, options: dict, expected: str) -> None:
    a = advise(situation(persona, **options), "article-2022")
    assert a.recommendation == expected
    assert a.ruleset == "article-2022"
    assert a.reasons and a.reasons[0].text


def test_article_deploy_via_shows_status_today() -> None:
    a = advise(situation("industry", targets=["mobile"]), "article-2022")
    (via,) = a.deploy_via
    assert via["chain"] == ["pytorch", "pytorch-live"]
    assert via["steps"][0]["status"] == "archived"
    e = advise(situation("industry", targets=["embedded"]), "article-2022").deploy_via[0]
    assert e["steps"][0]["name"] == "tensorflow-lite" and e["steps"][0]["now"] == "litert"


def test_changes_if_found_by_re_evaluation() -> None:
    a = advise(situation("industry", targets=["mobile"]), "article-2022")
    texts = [c.text for c in a.changes_if]
    assert "adding --need audio-video gives tensorflow" in texts
    assert "removing --target mobile gives tensorflow" in texts
    # every listed change really gives that answer when applied
    for c in a.changes_if:
        assert c.recommendation != a.recommendation
    b = advise(situation("industry", targets=["mobile"], needs=["audio-video"]), "article-2022")
    assert [c.text for c in b.changes_if] == ["removing --need audio-video gives pytorch"]
