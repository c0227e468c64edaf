"""The current ruleset: scenarios, premises that follow the knowledge base, and platform facts."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from fwatlas import facts as facts_module
from fwatlas.advisor import advise, situation
from fwatlas.kb import load_kb

TABLE = [
    ("industry", {}, "pytorch", "industry-pytorch"),
    ("industry", {"needs": ["end-to-end-platform"]}, "tensorflow",
     "industry-end-to-end-platform"),
    ("industry", {"targets": ["mobile"], "needs": ["audio-video"]}, "pytorch", "industry-pytorch"),
    ("industry", {"targets": ["microcontroller"]}, "pytorch", "industry-pytorch"),
    ("researcher", {}, "pytorch", "researcher-pytorch"),
    ("researcher", {"needs": ["tpu"]}, "jax", "tpu-jax"),
    ("researcher", {"needs": ["reinforcement-learning"]}, "pytorch", "researcher-rl-pytorch"),
    ("professor", {"focus": "industry"}, "pytorch", "professor-industry-pytorch"),
    ("professor", {"focus": "theory"}, "pytorch", "professor-theory"),
    ("career-changer", {}, "pytorch", "career-changer-pytorch"),
    ("career-changer", {"experience": "tensorflow"}, "tensorflow",
     "career-changer-known-tensorflow"),
    ("career-changer", {"experience": "keras"}, "keras", "career-changer-known-keras"),
    ("hobbyist", {"focus": "learning", "experience": "none"}, "keras",
     "hobbyist-learning-beginner"),
    ("hobbyist", {"focus": "learning"}, "pytorch", "hobbyist-learning"),
    ("hobbyist", {"focus": "project", "targets": ["embedded"]}, "pytorch",
     "hobbyist-project-pytorch"),
    ("beginner", {}, "keras", "beginner-keras"),
    ("beginner", {"experience": "keras", "needs": ["no-new-install"]}, "keras",
     "beginner-deeper-no-new-install"),
    ("beginner", {"experience": "keras", "needs": ["pythonic"]}, "pytorch",
     "beginner-deeper-pythonic"),
]


@pytest.mark.parametrize(("persona", "options", "expected", "rule"), TABLE)
def test_current_scenario(persona: str, options: dict, expected: str, rule: str) -> None:
    a = advise(situation(persona, **options), kb=load_kb(None))
    assert (a.recommendation, a.rule) == (expected, rule)


def overlay(tmp_path: Path, name: str, status: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(f"""\
        entries:
          - name: {name}
            status: {status}
            status_date: 2027-01-15
            sources: [{{url: "https://example.org/{name}-{status}", date: 2027-01-15}}]
            checked_on: 2027-01-20
        """), encoding="utf-8")
    return path


def test_flipping_executorch_changes_the_answer_with_no_ruleset_edit(tmp_path: Path) -> None:
    s = situation("industry", targets=["microcontroller"])
    before = advise(s, kb=load_kb(None))
    flipped = load_kb(overlay(tmp_path, "executorch", "archived"))
    after = advise(s, kb=flipped)
    assert before.recommendation == "pytorch"
    assert after.recommendation == "tensorflow" and after.rule == "industry-tensorflow"
    assert after.deploy_via[0]["chain"][-1] == "litert-micro"
    # on Android PyTorch still has a path, but the reasons now rest on another chain
    a1 = advise(situation("industry", targets=["android"]), kb=load_kb(None))
    a2 = advise(situation("industry", targets=["android"]), kb=flipped)
    assert a1.recommendation == a2.recommendation == "pytorch"
    names1 = {e.name for e in a1.reasons[0].evidence}
    names2 = {e.name for e in a2.reasons[0].evidence}
    assert "executorch" in names1 and "executorch" not in names2
    assert names2 - names1  # the new chain's tools are now the evidence
    assert a2.deploy_via[0]["chain"][-1] != "executorch"


def test_renamed_premise_is_followed_and_said(tmp_path: Path) -> None:
    s = situation("beginner", experience="keras", needs=["pythonic"])
    a = advise(s, kb=load_kb(None))
    texts = [r.text for r in a.reasons]
    assert any("pytorch-lightning was renamed" in t and "lightning" in t for t in texts)
    # the successor's status is what counts: archive Lightning and the branch no longer fires
    b = advise(s, kb=load_kb(overlay(tmp_path, "lightning", "archived")))
    assert (b.recommendation, b.rule) == ("keras", "beginner-keras")


def test_stale_evidence_is_listed_against_as_of() -> None:
    import datetime as dt

    s = situation("industry")
    assert advise(s, as_of=dt.date(2026, 11, 26)).stale == ()
    late = advise(s, as_of=dt.date(2028, 1, 1))
    assert "pytorch" in late.stale and "dynamo-triton" in late.stale


@pytest.fixture
def fake_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A registry fact provider as the registry engineer's will publish them."""
    (tmp_path / "fake_registry_facts.py").write_text(textwrap.dedent("""\
        import datetime as dt
        from fwatlas.facts import Fact
        SRC = ({"snapshot_id": "s99", "kind": "pypi", "origin": "test", "data_date": "2026-11-20",
                "basis": "computed"},)
        def facts(atlas):
            out = []
            for fw, ok in (("pytorch", False), ("tensorflow", True), ("jax", True)):
                out.append(Fact(f"registry.installable.{fw}.py3.13.windows.arm64", ok, "bool",
                                "computed", SRC, dt.date(2026, 11, 20)))
            return out
        """), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    providers = [p for p in facts_module.PROVIDERS if p.prefix == "kb"]
    providers.append(facts_module.Provider("registry", "fake_registry_facts:facts"))
    monkeypatch.setattr(facts_module, "PROVIDERS", providers)
    yield
    sys.modules.pop("fake_registry_facts", None)


def test_registry_fact_false_moves_the_answer_unknown_does_not(fake_registry, db: Path) -> None:
    from fwatlas.store.atlas import open_writer

    with open_writer(db):  # store facts are read only where a store exists
        pass
    win = situation("industry", python="3.13", os="windows", arch="aarch64")
    a = advise(win, db=db)
    assert (a.recommendation, a.rule) == ("tensorflow", "industry-tensorflow")
    assert "s99" in {s["snapshot_id"] for s in a.sources}
    assert any("--python" in r.text and "--os" in r.text for r in a.reasons)
    # no fact for this platform: unknown must not fire the rule that needs False
    other = advise(situation("industry", python="3.12", os="windows", arch="arm64"), db=db)
    assert other.recommendation == "pytorch"


def test_plain_advise_does_not_open_the_store(tmp_path: Path) -> None:
    from fwatlas.advisor.engine import FactSource

    opened = []
    real_call = FactSource.__call__

    def spy(self, name):
        result = real_call(self, name)
        opened.append(self.opened_store)
        return result

    FactSource.__call__ = spy  # type: ignore[method-assign]
    try:
        for persona, kw in (("industry", {}), ("researcher", {}), ("beginner", {})):
            advise(situation(persona, **kw), db=tmp_path / "absent.duckdb")
    finally:
        FactSource.__call__ = real_call  # type: ignore[method-assign]
    assert not any(opened)


def test_reasons_never_state_a_status_the_evidence_contradicts(tmp_path: Path) -> None:
    """Statuses in an answer come from the knowledge base: flip TorchServe and TensorFlow to
    active and the reason text asserts nothing else, while the evidence shows them active."""
    both = tmp_path / "both.yaml"
    both.write_text(overlay(tmp_path, "torchserve", "active").read_text()
                    + overlay(tmp_path, "tensorflow", "active").read_text()
                    .replace("entries:\n", ""))
    a = advise(situation("industry"), kb=load_kb(both))
    text = " ".join(r.text for r in a.reasons)
    assert "archived" not in text and "maintenance" not in text
    evidence = {e.name: e.status for r in a.reasons for e in r.evidence if e.kind == "kb"}
    assert evidence.get("torchserve") == "active"
