"""Section 3 of the report: deployment (framework × target matrix from the knowledge base)."""

from __future__ import annotations

from fwatlas.figures.context import ReportContext
from fwatlas.figures.missing import missing_section, optional_module
from fwatlas.figures.model import Section
from fwatlas.store.atlas import Atlas

KEY = "deployment"
TITLE = "Deployment"
QUESTION = "How easily does a trained model get into production, per target?"
FILL = ("the bundled knowledge base (fwatlas kb validate), or --kb FILE with your own entries",)


def deployment_section(atlas: Atlas, ctx: ReportContext, number: int = 3) -> Section:
    """The framework × target matrix with status badges and what changed since the article."""
    if optional_module("fwatlas.kb") is None:
        return missing_section(KEY, number, TITLE, QUESTION, FILL,
                               "this build has no knowledge base yet")
    return missing_section(KEY, number, TITLE, QUESTION, FILL, "no deployment matrix to draw")
