"""Every name the benchmarks and scripts import from fwatlas exists.

They run only under ``make bench`` (or by hand), outside the suite: a module moved or renamed
in the library broke three benchmarks unnoticed until the next sitting. This reads their
imports (ast, anywhere in the file, function-level included) and resolves each one.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted([*ROOT.glob("benchmarks/*.py"), *ROOT.glob("scripts/*.py")])


def _imports(path: Path) -> list[tuple[str, str | None]]:
    """(module, name) of each fwatlas import; name None for ``import fwatlas.x``."""
    out: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level \
                and node.module.split(".")[0] == "fwatlas":
            out += [(node.module, a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            out += [(a.name, None) for a in node.names if a.name.split(".")[0] == "fwatlas"]
    return out


def test_the_files_are_found_and_import_fwatlas() -> None:
    """Guard against a test that cannot fail: the benchmarks are read, with their imports."""
    assert any(p.name == "bench_web.py" for p in FILES)
    assert ("fwatlas.commands", "command") in _imports(ROOT / "benchmarks" / "bench_web.py")


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_fwatlas_import_resolves(path: Path) -> None:
    missing = []
    for module, name in _imports(path):
        try:
            imported = importlib.import_module(module)
        except ImportError:
            missing.append(module)
            continue
        if name is not None and not hasattr(imported, name):
            try:  # a submodule named in the from-import (from fwatlas import scan_store)
                importlib.import_module(f"{module}.{name}")
            except ImportError:
                missing.append(f"{module}.{name}")
    assert not missing, f"{path.name} imports what fwatlas no longer has: {missing}"
