"""`fwatlas migration` takes two years in order; reversed or equal years are usage errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize("first, second", [("2019", "2018"), ("2019", "2019")])
def test_years_out_of_order_exit_2(tmp_path: Path, first: str, second: str) -> None:
    run = run_cli("migration", "--from", first, "--to", second, "--db", str(tmp_path / "a.db"))
    assert run.code == 2 and "--from must be the earlier year" in run.err


@pytest.mark.parametrize("args", [["research"], ["migration", "--from", "2018", "--to", "2019"],
                                  ["trends", "pwc"]])
def test_the_articles_figures_come_with_the_article_as_a_source(tmp_path: Path,
                                                                args: list[str]) -> None:
    payload = run_cli(*args, "--db", str(tmp_path / "a.db"), "--json").json()
    assert payload["article_2022"], "the article's figures are shown beside today's"
    assert any(s["snapshot_id"].startswith("ref:article@") for s in payload["sources"])
