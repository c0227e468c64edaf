"""Sections whose evidence is missing: say what would fill them instead of disappearing."""

from __future__ import annotations

import importlib
from types import ModuleType

from fwatlas.figures.model import Section


def missing_section(key: str, number: int, title: str, question: str, fill: tuple[str, ...],
                    reason: str) -> Section:
    """A section with no figures: why, and the ``fwatlas ingest``/``refresh`` that fills it."""
    return Section(key, number, title, question, missing=fill, notes=(reason,))


def optional_module(name: str) -> ModuleType | None:
    """The analysis module behind a section, or None when this build does not have it yet.

    Only a missing module counts as "not available"; an error inside an existing module is a bug
    and propagates.
    """
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            return None
        raise
