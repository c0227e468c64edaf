"""The README's Python API examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _examples() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_readme_has_api_examples() -> None:
    assert len(_examples()) >= 2


@pytest.mark.parametrize("index", range(len(_examples())))
def test_api_example_runs(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FWATLAS_DB", str(tmp_path / "atlas.duckdb"))
    exec(compile(_examples()[index], f"README example {index}", "exec"), {})  # noqa: S102
    assert capsys.readouterr().out.strip()


def test_every_public_name_resolves_to_what_its_module_defines() -> None:
    """A lazy name must not be shadowed by a submodule of the same name (``fwatlas.x``)."""
    import importlib

    import fwatlas

    for name, module in fwatlas._LAZY.items():
        importlib.import_module(module)  # importing submodules must not shadow the name
        assert getattr(fwatlas, name) is getattr(importlib.import_module(module), name), name


def test_every_environment_setting_is_in_the_readme() -> None:
    from fwatlas.settings import SETTINGS

    text = README.read_text(encoding="utf-8")
    table = text.split("## Environment settings", 1)[1].split("\n## ", 1)[0]
    missing = [s.name for s in SETTINGS if f"| `{s.name}` | {s.default} |" not in table]
    assert not missing, missing


def test_no_module_reads_fwatlas_settings_from_the_environment_itself() -> None:
    root = README.parent / "src" / "fwatlas"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if p.name != "settings.py" and re.search(r"(os\.environ|getenv)\b[^\n]*FWATLAS_",
                                                           p.read_text(encoding="utf-8"))]
    assert not offenders, offenders
