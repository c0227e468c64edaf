"""Rulesets are well-formed data: each persona ends in a fallback, names exist, facts are listed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import fwatlas
from fwatlas.advisor.conditions import referenced
from fwatlas.advisor.ruleset import load_ruleset
from fwatlas.advisor.situation import PERSONAS
from fwatlas.analyses.signals import METRICS
from fwatlas.errors import InputError
from fwatlas.facts import PROVIDERS, list_facts
from fwatlas.kb import load_kb

RULESET_DIR = Path(fwatlas.__file__).parent / "data" / "rulesets"


@pytest.mark.parametrize("name", ["article-2022", "current"])
def test_names_in_rulesets_exist(name: str, db: Path) -> None:
    rs = load_ruleset(name)
    kb = load_kb(None)
    from fwatlas.store.atlas import open_atlas

    listed = {f.name for f in list_facts(open_atlas(db))}
    prefixes = {p.prefix for p in PROVIDERS}
    for rule in rs.rules:
        entries, facts = referenced(rule.when)
        entries |= set(rule.rests_on.kb)
        if isinstance(rule.deploy_via, tuple):
            entries |= set(rule.deploy_via)
        assert entries <= set(kb.entries), (rule.id, entries - set(kb.entries))
        for f in facts | set(rule.rests_on.facts):
            if "{" in f:  # a platform template: checked when its provider exists
                if f.split(".")[0] not in prefixes:
                    continue
            elif f.startswith("signals."):  # adoption facts: only a store with signals has them
                metric, kind, fw = f.split(".")[1:]
                assert metric in METRICS and kind in ("value", "share"), (rule.id, f)
                assert fw in {"pytorch", "tensorflow", "jax", "keras"}, (rule.id, f)
            else:
                assert f in listed, (rule.id, f)
    named = {n for section in (rs.workloads, rs.accelerators, rs.clouds) for v in
             section.values() for n in v}
    named |= {n for st in rs.stacks.values() for n in st.tools}
    assert named <= set(kb.entries), named - set(kb.entries)


@pytest.mark.parametrize("name", ["article-2022", "current"])
def test_every_rule_has_its_reason_and_the_file_says_why(name: str) -> None:
    raw = yaml.safe_load((RULESET_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    ids = [r["id"] for r in raw["rules"]]
    assert len(ids) == len(set(ids))
    assert all(r["reason"].strip() for r in raw["rules"])
    personas_with_fallback = {r["when"]["persona"] for r in raw["rules"]
                              if set(r["when"]) == {"persona"}}
    # professor and hobbyist fall back per focus in `current`; the rest end with persona-only
    assert personas_with_fallback >= set(PERSONAS) - {"professor", "hobbyist"}


def test_a_broken_ruleset_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "r.yaml"
    bad.write_text("name: x\ntitle: x\nrules:\n  - id: a\n    when: {persona: industry, "
                   "need: tpu}\n    recommend: pytorch\n    reason: r\n", encoding="utf-8")
    with pytest.raises(InputError, match="exactly one key"):
        load_ruleset(bad)
    bad.write_text("name: x\ntitle: x\nrules:\n  - id: a\n    when: {vibes: true}\n"
                   "    recommend: theano\n    reason: r\n", encoding="utf-8")
    with pytest.raises(InputError, match=str(bad)):
        load_ruleset(bad)
