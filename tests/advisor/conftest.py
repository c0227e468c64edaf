"""A fake registry: installability facts as `fwatlas support` publishes them, for any table."""

from __future__ import annotations

import datetime as dt
import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from fwatlas import facts as facts_module

SRC = ({"snapshot_id": "s77", "kind": "pypi", "origin": "test", "data_date": "2026-11-20",
        "basis": "computed"},)


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
             ) -> Callable[[dict[str, bool | None]], Path]:
    """``registry({"pytorch.py3.13.windows.arm64": False, ...})`` → a store path whose
    registry facts are exactly that table (every other platform: no evidence)."""

    def install(table: dict[str, bool | None]) -> Path:
        from fwatlas.facts import Fact
        from fwatlas.store.atlas import open_writer

        def provide(atlas: object) -> list[Fact]:
            return [Fact(f"registry.installable.{key}", ok, "bool", "computed", SRC,
                         dt.date(2026, 11, 20)) for key, ok in table.items()]

        module = types.ModuleType("fake_registry_table")
        module.facts = provide  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "fake_registry_table", module)
        providers = [p for p in facts_module.PROVIDERS if p.prefix not in ("registry",)]
        providers.append(facts_module.Provider("registry", "fake_registry_table:facts"))
        monkeypatch.setattr(facts_module, "PROVIDERS", providers)
        db = tmp_path / f"registry-{len(table)}-{abs(hash(tuple(table.items())))}.duckdb"
        with open_writer(db):
            pass
        return db

    return install


@pytest.fixture
def signals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[dict], Path]:
    """``signals({"jobs.value.pytorch": 120, ...})`` → a store whose ``signals.*`` facts are
    exactly that table, dated 2026-10-01."""

    def install(table: dict[str, float]) -> Path:
        from fwatlas.facts import Fact
        from fwatlas.store.atlas import open_writer

        src = ({"snapshot_id": "s88", "kind": "hn-jobs", "origin": "test",
                "data_date": "2026-10-01", "basis": "counted"},)

        def provide(atlas: object) -> list[Fact]:
            return [Fact(f"signals.{k}", v, "count", "computed", src, dt.date(2026, 10, 1))
                    for k, v in table.items()]

        module = types.ModuleType("fake_signals_table")
        module.facts = provide  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "fake_signals_table", module)
        providers = [p for p in facts_module.PROVIDERS if p.prefix != "signals"]
        providers.append(facts_module.Provider("signals", "fake_signals_table:facts"))
        monkeypatch.setattr(facts_module, "PROVIDERS", providers)
        db = tmp_path / "signals.duckdb"
        with open_writer(db):
            pass
        return db

    return install
