"""Section 2 of the report: research adoption (the article's F3, F4, F5)."""

from __future__ import annotations

from fwatlas.figures.context import ReportContext
from fwatlas.figures.missing import missing_section, optional_module
from fwatlas.figures.model import Section
from fwatlas.store.atlas import Atlas

KEY = "research"
TITLE = "Research adoption"
QUESTION = "Which framework do researchers publish with, and where are authors moving?"
FILL = ("fwatlas ingest papers PATH (conference papers: JSON records or PDFs with --metadata)",
        "fwatlas ingest pwc FILE (Papers with Code links-between-papers-and-code dump)")


def research_section(atlas: Atlas, ctx: ReportContext, number: int = 2) -> Section:
    """Per-venue shares (F3), the author-migration Sankey (F4), PwC quarterly shares (F5)."""
    if optional_module("fwatlas.analyses.research") is None:
        return missing_section(KEY, number, TITLE, QUESTION, FILL,
                               "this build has no research analysis yet")
    return missing_section(KEY, number, TITLE, QUESTION, FILL, "no paper evidence to draw")
