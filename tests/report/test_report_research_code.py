"""The report's research section draws paper text to 2022 and linked code from 2022 in one chart
with interval bands; the availability section shows the Transformers coverage series."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

from fwatlas.figures.context import ReportContext
from fwatlas.store.atlas import open_atlas
from tests.conftest import ROOT, shared_path

PAPER_CODE = ROOT / "src" / "fwatlas" / "data" / "reference" / "paper_code_sample.csv"


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
    # a cross-venue line only for years at least two venues have: counted here from the files
    text_venues: dict[int, set[str]] = defaultdict(set)
    with shared_path("data", "conference_papers", "published_counts.csv").open() as f:
        for venue, month_year, *_ in csv.reader(f):
            text_venues[2000 + int(month_year[-2:])].add(venue)
    code_venues: dict[int, set[str]] = defaultdict(set)
    with PAPER_CODE.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            venue, year, _ = r["key"].split(".", 2)
            code_venues[int(year)].add(venue)
    assert max(y for y, v in text_venues.items() if len(v) >= 2) == 2021
    assert len(text_venues[2022]) == 1 and len(code_venues[2022]) == 1
    assert text and max(r["year"] for r in text) == 2021
    assert code and min(r["year"] for r in code) == min(
        y for y, v in code_venues.items() if len(v) >= 2) == 2023
    reading = " ".join(research.reading)
    assert "2022 (published) has one venue only, ICLR" in reading
    assert "Linked code, 2022, one venue only (CVPR)" in reading
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


def test_the_latest_cross_venue_research_fact_is_the_last_year_two_venues_have(db):
    """The verdict reads `research.published_pytorch_share.all.latest`: a cross-venue year (2021:
    ICLR and ICML), not ICLR's 2022 alone; n and the Wilson interval computed here by formula."""
    import math

    from fwatlas.analyses.research import research_facts

    per_year: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    with shared_path("data", "conference_papers", "published_counts.csv").open() as f:
        for venue, month_year, pt, tf, _ in csv.reader(f):
            per_year[2000 + int(month_year[-2:])][venue] = (int(pt), int(tf))
    year = max(y for y, v in per_year.items() if len(v) >= 2)
    pt = sum(p for p, _ in per_year[year].values())
    n = pt + sum(t for _, t in per_year[year].values())
    p, z = pt / n, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    facts = {f.name: f for f in research_facts(open_atlas(db))}
    latest = facts["research.published_pytorch_share.all.latest"]
    assert facts["research.published_pytorch_share.all.latest_year"].value == year == 2021
    assert latest.value == pt / n and latest.n == n == 1233
    assert latest.ci95 is not None
    assert math.isclose(latest.ci95[0], centre - half, abs_tol=1e-9)
    assert math.isclose(latest.ci95[1], centre + half, abs_tol=1e-9)
    assert "research.published_pytorch_share.all.2022" not in facts
    assert facts["research.published_pytorch_share.iclr.2022"].value == 1091 / (1091 + 208)
