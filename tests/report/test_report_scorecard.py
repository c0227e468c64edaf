"""The report opens with the scorecard and the status box, and both link to real sections."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import run_cli


def test_scorecard_opens_the_report_and_links_resolve(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    run = run_cli("report", "-o", str(out), "--db", str(tmp_path / "none.duckdb"),
                  "--as-of", "2026-11-26")
    assert run.code == 0, run.err
    html = out.read_text(encoding="utf-8")
    card = html.index('id="scorecard"')
    assert card < html.index('id="availability"')
    section = html[card:html.index("</section>", card)]
    links = set(re.findall(r'href="#([a-z-]+)"', section))
    assert {"availability", "research", "deployment", "ecosystem", "sources"} <= links
    for anchor in links:
        assert f'id="{anchor}"' in html, anchor
    verdict = run_cli("verdict", "--as-of", "2026-11-26", "--db", str(tmp_path / "none.duckdb"),
                      "--json").json()
    table = section[:section.index("What the answers rest on")]
    # one row per round (cells carry data-label, so a phone shows them as cards)
    assert len(re.findall(r"<tr><td[^>]*><a href=", table)) == len(verdict["rows"])
    for row in verdict["rows"]:
        if row["leader"] and row["confidence"] == "clear":
            assert f"{row['leader']} (clear)" in table, row["round"]
