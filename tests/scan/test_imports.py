"""The import finder: every import form, guarded vs unconditional, and the cheap first pass
giving exactly what a full ``ast`` walk gives on every Python file of the real corpus."""

from __future__ import annotations

import ast
import tarfile
import warnings
import zipfile

import pytest

from fwatlas.scan.imports import fast_imports, find_imports
from tests.conftest import shared_path

# A literal set (not read from fwatlas): the roots the test's oracle looks for.
ROOTS = frozenset({
    "torch", "torchvision", "lightning", "timm", "tensorflow", "tf_keras", "tensorflow_hub",
    "tensorflow_probability", "jax", "jaxlib", "flax", "optax", "haiku", "equinox", "chex",
    "keras", "sonnet", "trax", "distrax", "paddle", "mxnet",
})


def oracle(text: str) -> set[tuple[int, str, bool]]:
    """(line, module, guarded) by walking the syntax tree: guarded below anything but the
    module and class bodies."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(text)
    out = set()
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, guarded = stack.pop()
        if isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mods = [node.module] if node.module and node.level == 0 else []
        else:
            inner = guarded or not isinstance(node, ast.Module | ast.ClassDef)
            stack += [(c, inner) for c in ast.iter_child_nodes(node)
                      if not isinstance(c, ast.expr)]
            continue
        out |= {(node.lineno, m, guarded) for m in mods if m.split(".")[0] in ROOTS}
    return out


def found(text: str, full_parse: bool = False) -> set[tuple[int, str, bool]]:
    return {(h.line, h.module, h.guarded)
            for h in find_imports(text, ROOTS, full_parse=full_parse).hits}


def test_every_import_form_is_found_with_its_context():
    text = '''"""Module docstring mentioning
import tensorflow
which is not an import."""
import torch
import torch.nn as nn, numpy as np
from jax import numpy as jnp
from flax.linen import Dense
from . import keras
from .torch import thing
# import paddle
x = "import mxnet"

class Model:
    import optax

def f():
    import haiku
    try:
        import equinox
    except ImportError:
        pass

try:
    import chex
except ImportError:
    chex = None

if True:
    from tensorflow_hub import load
'''
    expected = {
        (4, "torch", False), (5, "torch.nn", False), (6, "jax", False),
        (7, "flax.linen", False), (14, "optax", False), (17, "haiku", True),
        (19, "equinox", True), (24, "chex", True), (29, "tensorflow_hub", True),
    }
    assert found(text) == expected
    assert found(text, full_parse=True) == expected
    assert oracle(text) == expected


def test_one_line_compound_statements_go_to_ast_and_keep_their_context():
    text = "import os; import torch\ntry: import jax\nexcept ImportError: pass\n" \
           "class A: import keras\n"
    assert fast_imports(text, ROOTS) is None  # the cheap pass hands the file over
    scan = find_imports(text, ROOTS)
    assert scan.parsed
    assert {(h.line, h.module, h.guarded) for h in scan.hits} == {
        (1, "torch", False), (2, "jax", True), (4, "keras", False)}


def test_backslash_continuations_are_not_read_by_the_cheap_pass():
    text = "import os, \\\n    torch\n"
    assert fast_imports(text, ROOTS) is None
    assert found(text) == {(1, "torch", False)}


def test_a_file_that_does_not_parse_is_scanned_line_by_line_and_says_so():
    text = "import torch\nprint 'python 2'\ndef f(:\n    import jax\n"
    scan = find_imports(text, ROOTS, full_parse=True)
    assert scan.note is not None and "does not parse" in scan.note
    assert "line-based" in scan.note
    assert {(h.line, h.module, h.guarded) for h in scan.hits} == {
        (1, "torch", False), (4, "jax", True)}


def test_a_file_without_framework_imports_yields_nothing():
    assert found("import os\nimport numpy as np\nfrom torchy import x\n") == set()


def _corpus_python_files():
    folder = shared_path("data", "code_corpus")
    for archive in sorted(folder.iterdir()):
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as z:
                for name in z.namelist():
                    if name.endswith(".py"):
                        yield archive.name, name, z.read(name)
        elif archive.name.endswith(".tar.gz"):
            with tarfile.open(archive) as t:
                for m in t.getmembers():
                    if m.isfile() and m.name.endswith(".py"):
                        f = t.extractfile(m)
                        assert f is not None
                        yield archive.name, m.name, f.read()


@pytest.mark.slow
def test_cheap_pass_equals_ast_on_every_python_file_of_the_real_corpus():
    files = 0
    handed_to_ast = 0
    mismatches = []
    for archive, name, data in _corpus_python_files():
        text = data.decode("utf-8", "replace")
        try:
            want = oracle(text)
        except SyntaxError:
            continue
        files += 1
        fast = fast_imports(text, ROOTS)
        if fast is None:
            handed_to_ast += 1
            fast_set = found(text)
        else:
            fast_set = {(h.line, h.module, h.guarded) for h in fast}
        if fast_set != want:
            mismatches.append((archive, name, sorted(fast_set ^ want)[:3]))
    assert files > 5000
    assert mismatches == []
    # the point of the cheap pass: ast is needed for only a few files
    assert handed_to_ast < files * 0.05
