"""`fwatlas migration` takes two years in order; reversed or equal years are usage errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize("first, second", [("2019", "2018"), ("2019", "2019")])
def test_years_out_of_order_exit_2(tmp_path: Path, first: str, second: str) -> None:
    run = run_cli("migration", "--from", first, "--to", second, "--db", str(tmp_path / "a.db"))
    assert run.code == 2 and "--from must be the earlier year" in run.err
