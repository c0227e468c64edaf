"""The advisor: rulesets (data) evaluated against a situation, with an explained answer.

``advise(situation(...), ruleset="current")`` is the one entry point the CLI, the report and
the web app share.
"""

from __future__ import annotations

from fwatlas.advisor.engine import Advice, advise
from fwatlas.advisor.ruleset import RULESETS, load_ruleset
from fwatlas.advisor.situation import Situation, situation

__all__ = ["RULESETS", "Advice", "Situation", "advise", "load_ruleset", "situation"]
