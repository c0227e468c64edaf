"""The documented rule (docs/scan.md) on small repositories: weights by hand, primary, multi,
none, own packages, Keras backends. Expected weights are worked out here from the rule's
numbers: import 1.0/0.5, path 1.0/0.25, w = code_share + 0.5 × declared."""

from __future__ import annotations

from pathlib import Path

from fwatlas.scan.detect import RepoTask, ScanOptions, scan_repository
from fwatlas.scan.model import RepoResult
from tests.scan.conftest import write_tree


def scan(path: Path) -> RepoResult:
    r = scan_repository(RepoTask(path.name, str(path)), frozenset(), ScanOptions())
    assert isinstance(r, RepoResult), r
    return r


def test_weights_follow_the_written_rule(tmp_path: Path):
    repo = write_tree(tmp_path / "r", {
        "pkg/__init__.py": "",
        "pkg/model.py": "import torch\n",
        "pkg/util.py": "import os\n",
        "tests/test_model.py": "import tensorflow as tf\n",
        "requirements.txt": "torch>=2\n",
    })
    r = scan(repo)
    mass = 1 + 1 + 1 + 0.25
    assert r.frameworks == {"pytorch": round(1 / mass + 0.5 * 1.0, 4),
                            "tensorflow": round(0.25 / mass, 4)}
    assert r.primary == "pytorch"
    assert r.files_scanned == 5
    what = {(e.file, e.line, e.what, e.kind) for e in r.evidence}
    assert ("pkg/model.py", 1, "import torch", "import") in what
    assert ("requirements.txt", 1, "requires torch>=2", "requires") in what


def test_runner_up_at_least_half_of_the_top_is_multi(tmp_path: Path):
    r = scan(write_tree(tmp_path / "m", {"a.py": "import torch\n", "b.py": "import jax\n",
                                         "c.py": "import numpy\n"}))
    assert r.frameworks == {"jax": round(1 / 3, 4), "pytorch": round(1 / 3, 4)}
    assert r.primary == "multi"


def test_runner_up_below_half_leaves_the_top_framework(tmp_path: Path):
    files = {f"m{i}.py": "import torch\n" for i in range(4)}
    files |= {"j.py": "import jax\n", "plain.py": "x = 1\n"}
    r = scan(write_tree(tmp_path / "t", files))
    assert r.frameworks == {"pytorch": round(4 / 6, 4), "jax": round(1 / 6, 4)}
    assert r.primary == "pytorch"


def test_optional_support_alone_is_none(tmp_path: Path):
    r = scan(write_tree(tmp_path / "o", {
        "x.py": "try:\n    import torch\nexcept ImportError:\n    torch = None\n",
        "y.py": "import numpy\n",
        "setup.py": "from setuptools import setup\n"
                    "setup(extras_require={'tf': ['tensorflow']})\n",
    }))
    # torch guarded 0.5 of 3 code files; tensorflow optional 0.25 × 0.5
    assert r.frameworks == {"pytorch": round(0.5 / 3, 4), "tensorflow": round(0.125, 4)}
    assert r.primary == "none"


def test_a_trace_of_a_framework_in_a_big_repository_is_none(tmp_path: Path):
    files = {f"m{i}.py": "import os\n" for i in range(30)} | {"conv.py": "import torch\n"}
    r = scan(write_tree(tmp_path / "big", files))
    assert r.frameworks == {"pytorch": round(1 / 31, 4)}  # below 0.05
    assert r.primary == "none"


def test_mxnet_and_paddle_are_other(tmp_path: Path):
    r = scan(write_tree(tmp_path / "mx", {"a.py": "import mxnet as mx\n"}))
    assert r.frameworks == {"mxnet": 1.0}
    assert r.primary == "other"


def test_imports_of_the_repository_own_packages_are_not_evidence(tmp_path: Path):
    r = scan(write_tree(tmp_path / "own", {
        "trax/__init__.py": "from trax import layers\n",
        "trax/layers.py": "import tensorflow as tf\nimport trax.fastmath\n",
    }))
    assert r.frameworks == {"tensorflow": 0.5}
    assert r.primary == "tensorflow"


def test_keras_backend_set_by_the_code_is_reported(tmp_path: Path):
    r = scan(write_tree(tmp_path / "k", {
        "train.py": 'import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\n',
    }))
    assert r.primary == "keras"  # no date: keras means Keras
    assert r.keras_backend == "jax"
    assert any(e.kind == "keras backend" and e.line == 2 for e in r.evidence)


def test_notebooks_count_as_code(tmp_path: Path):
    import json

    nb = {"cells": [{"cell_type": "code", "source": ["import tensorflow as tf\n"]}],
          "nbformat": 4}
    r = scan(write_tree(tmp_path / "nb", {"demo.ipynb": json.dumps(nb),
                                          "broken.ipynb": "{not json"}))
    assert r.frameworks == {"tensorflow": 1.0}
    assert r.files_skipped == 1
    assert r.skipped_files[0].startswith("broken.ipynb: not a notebook")
