"""Figures, built once from analysis results and rendered by every front end.

``build_sections(atlas, ctx)`` returns the report's sections in the article's order; the HTML
report, the Markdown export and the web app's overview page all draw these same objects.
Section builders register in ``SECTIONS`` (``"module:function"``), as a plugin's would.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from fwatlas.figures.context import ReportContext
from fwatlas.figures.model import Badge, Comparison, Figure, Section, Table

if TYPE_CHECKING:
    from fwatlas.store.atlas import Atlas

#: (key, "module:function") in the article's order; a builder is (atlas, ctx, number) -> Section.
SECTIONS: list[tuple[str, str]] = [
    ("availability", "fwatlas.figures.availability:availability_section"),
    ("research", "fwatlas.figures.research:research_section"),
    ("deployment", "fwatlas.figures.deployment:deployment_section"),
    ("ecosystem", "fwatlas.figures.ecosystem:ecosystem_section"),
    ("advice", "fwatlas.figures.advice:advice_section"),
]


def _builder(target: str) -> Callable[[Atlas, ReportContext, int], Section]:
    module, func = target.split(":")
    fn: Callable[[Atlas, ReportContext, int], Section] = getattr(
        importlib.import_module(module), func)
    return fn


def section_keys() -> list[str]:
    return [k for k, _ in SECTIONS]


def build_section(atlas: Atlas, ctx: ReportContext, key: str) -> Section:
    """One section by key (the web app draws them one at a time)."""
    for number, (k, target) in enumerate(SECTIONS, start=1):
        if k == key:
            return _builder(target)(atlas, ctx, number)
    raise KeyError(key)


def build_sections(atlas: Atlas, ctx: ReportContext) -> list[Section]:
    """Every section, numbered in the article's order."""
    return [_builder(t)(atlas, ctx, n) for n, (_, t) in enumerate(SECTIONS, start=1)]


__all__ = ["Badge", "Comparison", "Figure", "ReportContext", "SECTIONS", "Section", "Table",
           "build_section", "build_sections", "section_keys"]
