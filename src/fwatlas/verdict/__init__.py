"""Round verdicts, the scorecard, evidence freshness (status) and snapshot comparison.

``verdicts`` scores each of the article's rounds from facts under a declared method;
``status`` says how old every source's newest evidence is; ``compare`` says what changed
between two snapshots of one dataset; ``scorecard`` gives the report its opening rows.
Modules are imported lazily by the names below.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "verdicts": "fwatlas.verdict.verdicts",
    "VerdictReport": "fwatlas.verdict.verdicts",
    "load_method": "fwatlas.verdict.method",
    "Method": "fwatlas.verdict.method",
    "source_status": "fwatlas.verdict.status",
    "compare": "fwatlas.verdict.compare",
    "scorecard": "fwatlas.verdict.scorecard",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'fwatlas.verdict' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = list(_LAZY)
