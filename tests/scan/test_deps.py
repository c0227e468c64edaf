"""Declared dependencies: every packaging format, names normalised, extras and markers read,
and setup.py read as text – never run."""

from __future__ import annotations

from pathlib import Path

from fwatlas.scan.deps import declared
from fwatlas.scan.detect import scan_file
from fwatlas.scan.rules import dependency_file_kind


def names(relpath: str, text: str) -> set[tuple[str, bool]]:
    kind = dependency_file_kind(relpath)
    assert kind is not None, relpath
    return {(d.name, d.optional) for d in declared(relpath, text, kind).declarations}


def test_requirements_txt_normalises_names_and_reads_options_extras_and_markers():
    text = """# comment
Torch>=2.0  # pinned
tensorflow_cpu==2.15; platform_system != "Darwin"
jax[cuda12]>=0.4 ; extra == "gpu"
-r other.txt
--index-url https://example.org/simple
-e git+https://github.com/keras-team/keras.git#egg=keras
numpy \\
    --hash=sha256:abc
"""
    assert names("requirements.txt", text) == {
        ("torch", False), ("tensorflow-cpu", False), ("jax", True), ("keras", False),
        ("numpy", False)}


def test_requirement_files_named_for_dev_or_tests_are_optional():
    assert names("requirements-dev.txt", "torch\n") == {("torch", True)}
    assert names("requirements/test.txt", "torch\n") == {("torch", True)}
    assert names("requirements/base.txt", "torch\n") == {("torch", False)}


def test_pyproject_project_poetry_and_dependency_groups():
    text = """
[build-system]
requires = ["setuptools", "torch"]

[project]
name = "demo"
dependencies = ["Flax>=0.8", "numpy"]
[project.optional-dependencies]
tf = ["tensorflow>=2"]
[project.urls]
Source = "https://github.com/Owner/Demo"

[dependency-groups]
dev = ["pytest", "keras"]

[tool.poetry.dependencies]
python = "^3.10"
jax = {version = "^0.4", optional = true}
optax = "^0.2"
[tool.poetry.group.docs.dependencies]
dm-haiku = "*"
"""
    assert names("pyproject.toml", text) == {
        ("torch", False), ("setuptools", False), ("flax", False), ("numpy", False),
        ("tensorflow", True), ("pytest", True), ("keras", True), ("jax", True),
        ("optax", False), ("dm-haiku", True)}
    found = declared("pyproject.toml", text, "pyproject.toml")
    assert ("Source", "https://github.com/Owner/Demo") in found.urls


def test_setup_cfg_install_and_extras():
    text = """[metadata]
name = demo
url = https://github.com/o/demo

[options]
install_requires =
    torch>=1.8
    numpy
[options.extras_require]
tf = tensorflow
"""
    assert names("setup.cfg", text) == {("torch", False), ("numpy", False),
                                        ("tensorflow", True)}


def test_setup_py_is_read_as_text_and_never_run(tmp_path: Path):
    marker = tmp_path / "ran"
    text = f"""
import pathlib
pathlib.Path({str(marker)!r}).write_text("setup.py was executed")
from setuptools import setup
REQS = ["torch>=2", "numpy"]
setup(name="demo", install_requires=REQS,
      extras_require={{"jax": ["jax", "flax"]}}, url="https://github.com/o/demo")
"""
    assert names("setup.py", text) == {("torch", False), ("numpy", False), ("jax", True),
                                       ("flax", True)}
    evidence = scan_file("setup.py", text.encode())
    assert {(e.framework, e.kind) for e in evidence.evidence} >= {("pytorch", "requires"),
                                                                   ("jax", "optional requires")}
    assert not marker.exists()


def test_environment_yml_conda_and_pip():
    text = """name: demo
channels: [pytorch, conda-forge]
dependencies:
  - python=3.10
  - pytorch::pytorch=2.1
  - tensorflow=2.4
  - pip:
    - jax[cpu]==0.4.20
"""
    assert names("environment.yml", text) == {("python", False), ("pytorch", False),
                                              ("tensorflow", False), ("jax", False)}
    evidence = scan_file("environment.yml", text.encode()).evidence
    assert {(e.name, e.framework, e.kind) for e in evidence} == {
        ("pytorch", "pytorch", "requires"), ("tensorflow", "tensorflow", "requires"),
        ("jax", "jax", "requires")}


def test_pipfile_packages_and_dev_packages():
    text = '[packages]\ntorch = "*"\n\n[dev-packages]\nKeras = ">=3"\n'
    assert names("Pipfile", text) == {("torch", False), ("keras", True)}


def test_wheel_metadata_and_egg_info_requires():
    meta = """Metadata-Version: 2.1
Name: demo
Requires-Dist: torch>=2
Requires-Dist: tensorflow; extra == "tf"
Requires-Dist: numpy; python_version < "3.12"
Project-URL: Source, https://github.com/o/demo

Long description mentioning Requires-Dist: jax
"""
    assert names("demo-1.0.dist-info/METADATA", meta) == {
        ("torch", False), ("tensorflow", True), ("numpy", False)}
    egg = "torch\n\n[:python_version < '3.8']\nnumpy\n\n[tf]\ntensorflow\n"
    assert names("demo.egg-info/requires.txt", egg) == {
        ("torch", False), ("numpy", False), ("tensorflow", True)}


def test_notebook_pip_installs_are_declared_dependencies():
    import json

    nb = {"cells": [
        {"cell_type": "markdown", "source": ["import tensorflow"]},
        {"cell_type": "code", "source": ["!pip install -q torch torchvision\n",
                                         "%matplotlib inline\n", "import torch\n"]},
        {"cell_type": "code", "source": "%%bash\npip list\n"},
    ], "nbformat": 4}
    ev = scan_file("nb/demo.ipynb", json.dumps(nb).encode())
    kinds = {(e.framework, e.kind, e.name) for e in ev.evidence}
    assert kinds == {("pytorch", "requires", "torch"), ("pytorch", "requires", "torchvision"),
                     ("pytorch", "import", "torch")}
    assert ev.is_code


def test_ingest_repos_is_the_one_transaction_form(tmp_path: Path):
    from tests.conftest import run_cli
    from tests.scan.conftest import write_tree

    repo = write_tree(tmp_path / "r", {"m.py": "import torch\n"})
    db = tmp_path / "s.duckdb"
    res = run_cli("ingest", "repos", str(repo), "--db", str(db), "--json",
                  "--data-date", "2026-10-01")
    assert res.code == 0, res.err
    (created,) = res.json()["created"]
    assert (created["dataset"], created["rows"], created["data_date"]) == \
        ("repos/scan", 1, "2026-10-01")
    again = run_cli("ingest", "repos", str(repo), "--db", str(db), "--json").json()
    assert again["created"] == [] and len(again["already_ingested"]) == 1
    trend = run_cli("trends", "repos", "--db", str(db), "--json").json()
    assert trend["repositories_total"] == 1 and trend["undated"] == 1
