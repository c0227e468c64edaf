"""fwatlas – Framework Atlas.

Answers "PyTorch, TensorFlow, JAX or Keras – which should I use?" from dated, sourced evidence.
The public API is re-exported here lazily so that ``import fwatlas`` stays cheap; see the
README's "Python API" section.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name -> module that defines it; resolved on first attribute access (PEP 562).
_LAZY = {
    "Atlas": "fwatlas.store.atlas",
    "open_atlas": "fwatlas.store.atlas",
    "Fact": "fwatlas.facts",
    "list_facts": "fwatlas.facts",
    "ingest": "fwatlas.ingestion",
    "availability": "fwatlas.analyses.availability",
    "top_models": "fwatlas.analyses.top_models",
    "model_lookup": "fwatlas.analyses.model_lookup",
    "Framework": "fwatlas.vocabulary",
    "load_kb": "fwatlas.kb",
    "KnowledgeBase": "fwatlas.kb",
    "advise": "fwatlas.advisor",
    "situation": "fwatlas.advisor",
    "deploy_matrix": "fwatlas.kb.matrix",
    "research": "fwatlas.analyses.research",
    "migration": "fwatlas.analyses.migration",
    "pwc_trends": "fwatlas.analyses.pwc_trends",
    "scan_text": "fwatlas.textscan",
    "signals": "fwatlas.analyses.signals",
    "vitality": "fwatlas.analyses.vitality",
    "support": "fwatlas.analyses.support",
    "repo_trends": "fwatlas.analyses.repo_trends",
    "scan_tasks": "fwatlas.scan.run",
    "collect_tasks": "fwatlas.scan.run",
    "ScanRequest": "fwatlas.scan.run",
    "verdicts": "fwatlas.verdict.verdicts",
    "load_method": "fwatlas.verdict.method",
    "source_status": "fwatlas.verdict.status",
    "compare": "fwatlas.verdict.compare",
    "scorecard": "fwatlas.verdict.scorecard",
    "build_report": "fwatlas.report",
    "write_report": "fwatlas.report",
    "build_sections": "fwatlas.figures",
    "create_app": "fwatlas.web.app",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'fwatlas' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = ["__version__", *_LAZY]
