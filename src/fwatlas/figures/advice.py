"""Section 5 of the report: advice per persona, the article's 2022 answer beside today's."""

from __future__ import annotations

from fwatlas.figures.context import ReportContext
from fwatlas.figures.missing import missing_section, optional_module
from fwatlas.figures.model import Section
from fwatlas.store.atlas import Atlas

KEY = "advice"
TITLE = "Advice"
QUESTION = "So which should you use – then and now?"
FILL = ("the bundled rulesets and knowledge base (fwatlas advise --help)",)


def advice_section(atlas: Atlas, ctx: ReportContext, number: int = 5) -> Section:
    """For each persona: the article-2022 answer and the current one with its deciding reason."""
    if optional_module("fwatlas.advisor") is None:
        return missing_section(KEY, number, TITLE, QUESTION, FILL,
                               "this build has no advisor yet")
    return missing_section(KEY, number, TITLE, QUESTION, FILL, "no advice to draw")
