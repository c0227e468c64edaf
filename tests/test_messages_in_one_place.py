"""Hints and error wording each have one home (ast over src/fwatlas, like test_layering).

- "Run ``fwatlas ingest …``" hints are built by ``fwatlas.kinds.ingest_hint`` /
  ``fill_hint`` from the kind's registration; no other module or template spells one out.
- A library error names a parameter with ``errors.opt()`` (or ``param=``), never as a CLI
  flag, so the web can word it as its query parameter. A command line to type
  (``fwatlas report --format html``) stays a command line.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1] / "src" / "fwatlas"
BUILDER = ROOT / "kinds.py"
HINT = re.compile(r"fwatlas ingest\b")
FLAG = re.compile(r"(?<![\w-])--[a-z]")
COMMAND_LINE = re.compile(r"fwatlas [a-z][^`;()]*")
ERRORS = {"FwatlasError", "InputError", "NotFound", "SourceUnavailable", "StoreBusy",
          "StoreOutdated", "StoreCorrupt", "KbInvalid", "UsageError"}


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the module, class and function docstring nodes (prose, not output)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip]


def _hints_spelled_out(path: Path) -> list[str]:
    if path.suffix == ".py":
        return [f"{path.name}:{line}: {text!r}" for line, text in _strings(path)
                if HINT.search(text)]
    return [f"{path.name}: {line.strip()}" for line in path.read_text(encoding="utf-8")
            .splitlines() if HINT.search(line)]


def test_the_scan_sees_a_spelled_out_hint() -> None:
    """Guard against a test that cannot fail: the builder's own text is found, and a module
    that says ``fwatlas ingest`` only in its docstring is not."""
    assert _hints_spelled_out(BUILDER)
    assert "fwatlas ingest" in (ROOT / "ingestion.py").read_text(encoding="utf-8")
    assert not _hints_spelled_out(ROOT / "ingestion.py")


def test_no_module_outside_the_builder_spells_out_an_ingest_hint() -> None:
    found = [hit for path in sorted(ROOT.rglob("*.py")) if path != BUILDER
             for hit in _hints_spelled_out(path)]
    found += [hit for path in sorted(ROOT.rglob("*.j2")) for hit in _hints_spelled_out(path)]
    assert not found, "build these with fwatlas.kinds.ingest_hint: " + repr(found)


def _flag_mentions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        name = getattr(call.func, "id", None) or getattr(call.func, "attr", "")
        if name not in ERRORS:
            continue
        for n in ast.walk(call):
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and \
                    FLAG.search(COMMAND_LINE.sub("", n.value)):
                out.append(f"{path.name}:{n.lineno}: {n.value!r}")
    return out


def test_the_flag_scan_sees_a_flag(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('raise InputError(f"--top must be at least 1, not {n}")\n'
                      'raise InputError("see `fwatlas report --format html`")\n')
    assert len(_flag_mentions(sample)) == 1


def test_no_error_message_spells_a_cli_flag() -> None:
    found = [hit for path in sorted(ROOT.rglob("*.py")) for hit in _flag_mentions(path)]
    assert not found, "name the parameter with errors.opt(name) or param=: " + repr(found)


def test_every_kinds_hint_is_a_command_the_cli_takes(tmp_path: Path) -> None:
    """The hint's words reach ``fwatlas ingest KIND``: an absent path is refused as a path
    (exit 2 naming it), not as an unknown kind or a usage error."""
    from fwatlas.kinds import KINDS, fill_hint, ingest_hint

    for kind, source in KINDS.items():
        words = ingest_hint(kind).split()
        assert words[:3] == ["fwatlas", "ingest", kind], words
        missing = tmp_path / "absent"
        run = run_cli(*words[1:3], str(missing), "--db", str(tmp_path / "atlas.duckdb"))
        assert run.code == 2 and "unknown source kind" not in run.err, (kind, run.err)
        assert str(missing) in run.err, (kind, run.err)
        fill = fill_hint(kind)
        if source.refresh_module:
            assert fill == f"fwatlas refresh {kind} (or {ingest_hint(kind)})"
        else:
            assert fill == ingest_hint(kind)


@pytest.mark.parametrize("metric, text", [
    ("jobs", "fwatlas refresh jobs (or fwatlas ingest jobs <hn-terms.csv | sites.csv>)"),
    ("dependents", "fwatlas ingest github <best-of folder>"),
])
def test_an_empty_store_says_which_command_fills_it(tmp_path: Path, metric: str, text: str
                                                    ) -> None:
    """The texts of `signals --json` stay what they were before the builder (written out)."""
    run = run_cli("signals", "--metric", metric, "--json", "--db", str(tmp_path / "a.duckdb"))
    assert run.code == 0, run.err
    assert text in run.json()["missing"]
