"""Fixtures for the web tests: an app over a store with hostile Hub and paper evidence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.report.helpers import build_store

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web"), papers=True)


@pytest.fixture(scope="module")
def client(store: Path):
    from fwatlas.web.app import create_app

    with TestClient(create_app(store, as_of=AS_OF), raise_server_exceptions=False) as c:
        yield c
