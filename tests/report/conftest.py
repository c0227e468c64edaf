"""Fixtures for the report tests: a store with a small, hostile Hub dump and paper file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.helpers import build_store


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("hostile"), papers=True)
