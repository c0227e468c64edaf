"""Section 4 of the report: the ecosystem – tools per framework and adoption signals."""

from __future__ import annotations

from fwatlas.figures.context import ReportContext
from fwatlas.figures.missing import missing_section, optional_module
from fwatlas.figures.model import Section
from fwatlas.store.atlas import Atlas

KEY = "ecosystem"
TITLE = "Ecosystem"
QUESTION = "What surrounds each framework, and is its use growing or shrinking?"
FILL = ("fwatlas ingest pypi-downloads PATH", "fwatlas ingest github PATH",
        "fwatlas ingest jobs PATH", "fwatlas ingest qa PATH", "fwatlas refresh registry")


def ecosystem_section(atlas: Atlas, ctx: ReportContext, number: int = 4) -> Section:
    """Tools by kind per framework; signals over time with source breaks marked."""
    if optional_module("fwatlas.analyses.signals") is None:
        return missing_section(KEY, number, TITLE, QUESTION, FILL,
                               "this build has no signals analysis yet")
    return missing_section(KEY, number, TITLE, QUESTION, FILL, "no signal evidence to draw")
