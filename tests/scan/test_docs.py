"""docs/scan.md documents every option of `scan` and `trends repos`, and states the rule."""

from __future__ import annotations

from pathlib import Path

import typer

from fwatlas.cli import build_app

DOC = Path(__file__).resolve().parents[2] / "docs" / "scan.md"


def _options(*path: str) -> set[str]:
    command = typer.main.get_command(build_app())
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return {opt for p in command.params for opt in p.opts if opt.startswith("--")}


def test_every_option_is_documented():
    text = DOC.read_text(encoding="utf-8")
    missing = {o for o in _options("scan") | _options("trends", "repos") if f"`{o}" not in text
               and f"{o} " not in text}
    assert missing == set()


def test_the_rule_numbers_in_the_docs_are_the_code_s():
    from fwatlas.scan import rules

    text = DOC.read_text(encoding="utf-8")
    assert "`w[f]` = `code_share[f]` + 0.5 × `declared[f]`" in text
    assert rules.DECLARED_FACTOR == 0.5 and rules.MULTI_RATIO == 0.5
    assert rules.MIN_WEIGHT == 0.05 and "`w[f] ≥ 0.05`" in text
    assert (rules.IMPORT_UNCONDITIONAL, rules.IMPORT_GUARDED) == (1.0, 0.5)
    assert (rules.DEPENDENCY_REQUIRED, rules.DEPENDENCY_OPTIONAL) == (1.0, 0.25)
    assert (rules.PATH_MAIN, rules.PATH_LOW) == (1.0, 0.25)
    for d in rules.LOW_WEIGHT_DIRS:
        assert f"`{d}`" in text, d
