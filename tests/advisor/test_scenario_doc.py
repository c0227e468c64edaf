"""The scenario table in docs/advisor.md is what the code answers, and as expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from fwatlas.advisor.scenarios import BEGIN, END, SCENARIOS, render, run
from fwatlas.advisor.situation import PERSONAS

DOC = Path(__file__).resolve().parents[2] / "docs" / "advisor.md"


def test_the_documented_table_is_the_generated_one() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index(BEGIN):text.index(END) + len(END)]
    assert section == render(), "docs/advisor.md is stale: run scripts/advisor_scenarios.py"


def test_enough_situations_over_every_persona_and_new_option() -> None:
    assert len(SCENARIOS) >= 25
    assert {s.args["persona"] for s in SCENARIOS} == set(PERSONAS)
    used = {k for s in SCENARIOS for k in s.args}
    assert {"accelerator", "workloads", "existing", "cloud", "keras_backend", "python"} <= used


@pytest.mark.parametrize("sc", SCENARIOS, ids=[s.who for s in SCENARIOS])
def test_each_documented_answer_is_the_expected_one(sc) -> None:
    assert run(sc).recommendation == sc.expect
