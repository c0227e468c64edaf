"""The advisor: rulesets (data) evaluated against a situation, with an explained answer.

``advise(situation(...), ruleset="current")`` is the one entry point the CLI, the report and
the web app share. The names are loaded on first use: the CLI's start reads the option values
of ``fwatlas.advisor.situation`` and must not load the rulesets and the knowledge base for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# light, and imported here so that the function ``situation`` (not the submodule) is the name
from fwatlas.advisor.situation import Situation, situation

if TYPE_CHECKING:
    from fwatlas.advisor.engine import Advice, advise
    from fwatlas.advisor.ruleset import RULESETS, load_ruleset

__all__ = ["RULESETS", "Advice", "Situation", "advise", "load_ruleset", "situation"]

_HOME = {"Advice": "engine", "advise": "engine", "RULESETS": "ruleset",
         "load_ruleset": "ruleset"}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"fwatlas.advisor.{_HOME[name]}"), name)
    raise AttributeError(f"module 'fwatlas.advisor' has no attribute {name!r}")
