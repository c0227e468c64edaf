"""The report as data: every section, the date it is "as of", and every source's credit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fwatlas import __version__
from fwatlas.figures import ReportContext, Section, build_sections
from fwatlas.figures.model import dedupe_sources
from fwatlas.report.credits import Credit, credits
from fwatlas.store.atlas import Atlas
from fwatlas.verdict.scorecard import Scorecard, scorecard


@dataclass(frozen=True)
class Report:
    """What every report format renders; ``credits`` covers every section's sources."""

    sections: tuple[Section, ...]
    as_of: dt.date
    version: str
    credits: tuple[Credit, ...]
    store: str | None
    scorecard: Scorecard | None = None

    @property
    def figures(self) -> list[Any]:
        return [f for s in self.sections for f in s.figures]

    def sources(self) -> list[dict[str, Any]]:
        """Every source the sections and the scorecard read, once per snapshot id: the
        envelope's ``sources`` (``credits`` says how to attribute each)."""
        every = [s for sec in self.sections for s in sec.sources]
        if self.scorecard is not None:
            every += list(self.scorecard.sources)
        return list(dedupe_sources(every))

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "version": self.version, "store": self.store,
                "scorecard": self.scorecard.as_dict() if self.scorecard else None,
                "sections": [s.as_dict() for s in self.sections],
                "credits": [c.as_dict() for c in self.credits]}


def build_report(atlas: Atlas, ctx: ReportContext) -> Report:
    """Build every section from the store (read-only) and collect the sources' credits."""
    sections = tuple(build_sections(atlas, ctx))
    card = scorecard(atlas, as_of=ctx.as_of,
                     kb=Path(ctx.kb_path) if ctx.kb_path else None)
    return report_from_sections(sections, ctx, atlas, card)


def report_from_sections(sections: tuple[Section, ...], ctx: ReportContext,
                         atlas: Atlas, card: Scorecard | None = None) -> Report:
    every = [s for sec in sections for s in sec.sources]
    if card is not None:
        every += list(card.sources)
    return Report(sections, ctx.as_of, __version__, tuple(credits(every)),
                  str(atlas.path) if atlas.path else None, card)
