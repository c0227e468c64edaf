"""The scan's weights and limits in one place; docs/scan.md states the same rule in prose.

Changing a number here changes what a scan concludes, so the rules signature (which the store
keeps beside every result) changes with it and a resumed scan re-reads repositories scanned
under the old rule.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache

#: Bump when the detection logic changes in a way the constants below do not show.
RULES_VERSION = 1

IMPORT_UNCONDITIONAL = 1.0
IMPORT_GUARDED = 0.5
DEPENDENCY_REQUIRED = 1.0
DEPENDENCY_OPTIONAL = 0.25
PATH_MAIN = 1.0
PATH_LOW = 0.25
DECLARED_FACTOR = 0.5
MIN_WEIGHT = 0.05
MULTI_RATIO = 0.5

#: Directory names whose files are test-only, vendored or illustrative (path weight 0.25).
LOW_WEIGHT_DIRS = frozenset({
    "tests", "test", "testing", "examples", "example", "docs", "doc", "third_party",
    "thirdparty", "vendor", "vendored", "_vendor", "external", "externals",
})
_LOW_WEIGHT_FILE = re.compile(r"^(?:test_.*\.py|.*_test\.py|conftest\.py)$")

#: Directories never walked: version control, installed environments, caches.
SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "site-packages", "node_modules",
    ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ipynb_checkpoints",
})

#: Files bigger than this are skipped and counted (generated code, data dumped as .py).
MAX_FILE_BYTES = 1 << 20
#: A repository with more scannable files than this is split across several tasks.
SPLIT_FILES = 1500
#: Evidence items kept per repository (the strongest first); the weights use all of them.
MAX_EVIDENCE = 200

CATEGORY_OTHER = {"mxnet": "other", "paddle": "other"}


def path_weight(relpath: str) -> float:
    """0.25 for test-only, vendored, docs and example code; 1.0 for everything else."""
    parts = relpath.replace("\\", "/").split("/")
    if any(p.lower() in LOW_WEIGHT_DIRS for p in parts[:-1]):
        return PATH_LOW
    if _LOW_WEIGHT_FILE.match(parts[-1]):
        return PATH_LOW
    return PATH_MAIN


_REQ_FILE = re.compile(r"^requirements[\w.\-]*\.(?:txt|in)$", re.IGNORECASE)
_OPTIONAL_REQ_FILE = re.compile(r"dev|test|doc|lint|example|bench|extra|optional", re.I)
DEPENDENCY_FILES = frozenset({
    "pyproject.toml", "setup.cfg", "setup.py", "environment.yml", "environment.yaml",
    "pipfile", "metadata", "pkg-info", "requires.txt",
})


def dependency_file_kind(relpath: str) -> str | None:
    """Which dependency format a file is in (by name), or None."""
    parts = relpath.replace("\\", "/").split("/")
    name = parts[-1]
    low = name.lower()
    if _REQ_FILE.match(name) or (len(parts) > 1 and parts[-2].lower() == "requirements"
                                 and low.endswith(".txt")):
        return "requirements"
    if low == "metadata":
        return "metadata" if len(parts) > 1 and parts[-2].endswith(".dist-info") else None
    if low == "pkg-info":
        return "metadata"
    if low == "requires.txt":
        return "requires" if len(parts) > 1 and parts[-2].endswith(".egg-info") else None
    if low in DEPENDENCY_FILES:
        return {"environment.yaml": "environment.yml"}.get(low, low)
    return None


def requirements_file_is_optional(relpath: str) -> bool:
    """requirements-dev.txt, requirements/test.txt … declare optional dependencies."""
    parts = relpath.replace("\\", "/").split("/")
    name = parts[-1]
    stem = name.split(".", 1)[0]
    if stem.lower() == "requirements":
        return False
    return bool(_OPTIONAL_REQ_FILE.search(stem))


@cache
def signature() -> str:
    """The rules in force: rule constants plus the vocabulary sections the scan reads."""
    from fwatlas import vocabulary

    data = vocabulary.raw()
    payload = {
        "version": RULES_VERSION,
        "weights": [IMPORT_UNCONDITIONAL, IMPORT_GUARDED, DEPENDENCY_REQUIRED,
                    DEPENDENCY_OPTIONAL, PATH_MAIN, PATH_LOW, DECLARED_FACTOR, MIN_WEIGHT,
                    MULTI_RATIO, MAX_FILE_BYTES],
        "dirs": sorted(LOW_WEIGHT_DIRS), "skip": sorted(SKIP_DIRS),
        "modules": data.get("modules"), "distributions": data.get("distributions"),
        "keras3": data.get("keras3_date"),
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]
    return f"scan-v{RULES_VERSION}-{digest}"
