"""The report's research section draws paper text to 2022 and linked code from 2022 in one chart
with interval bands; the availability section shows the Transformers coverage series."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fwatlas.figures.context import ReportContext
from fwatlas.store.atlas import open_atlas


def _sections(db: Path) -> dict[str, object]:
    from fwatlas.figures.availability import availability_section
    from fwatlas.figures.research import research_section

    atlas = open_atlas(db)
    ctx = ReportContext(as_of=dt.date(2026, 12, 1))
    return {"research": research_section(atlas, ctx), "availability":
            availability_section(atlas, ctx)}


def test_one_chart_holds_the_text_series_to_2022_and_the_code_series_with_bands(db):
    research = _sections(db)["research"]
    fig = next(f for f in research.figures if f.id == "research-text-code")
    text = [r for r in fig.rows if r["series"] == "text"]
    code = [r for r in fig.rows if r["series"] == "code"]
    assert text and max(r["year"] for r in text) == 2022
    assert code and min(r["year"] for r in code) == 2022
    for r in code:
        assert r["ci95_low"] <= r["share"] <= r["ci95_high"] and r["n"] > 0
    fills = [t for t in fig.figure.data if getattr(t, "fill", None) == "tonexty"]
    assert len(fills) == 3  # a band per framework drawn for code
    reading = " ".join(research.reading)
    assert "what papers mention" in reading and "what papers published" in reading
    assert any(s["snapshot_id"].startswith("ref:paper-code/sample@") for s in research.sources)


def test_the_availability_section_shows_transformers_coverage(db):
    section = _sections(db)["availability"]
    fig = next(f for f in section.figures if f.id == "availability-transformers-coverage")
    assert len(fig.rows) == 17 and fig.rows[-1]["tensorflow"] == 0
    assert any("Library-level availability" in r for r in section.reading)
