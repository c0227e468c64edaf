"""The report's scorecard and status box: one line per round, every dataset's age, anchors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.verdict.conftest import ingest, write_jobs, write_method, write_questions


def test_scorecard_rows_follow_the_verdicts_and_link_to_sections(tmp_path: Path) -> None:
    from fwatlas.store.atlas import open_atlas
    from fwatlas.verdict.scorecard import scorecard

    db = tmp_path / "atlas.duckdb"
    ingest(db, "jobs", write_jobs(tmp_path / "sites.csv", {"pytorch": 9, "tensorflow": 1}))
    ingest(db, "qa", write_questions(tmp_path / "dump.csv", {"pytorch": 8, "tensorflow": 2}))
    method = write_method(tmp_path / "method.yaml")
    as_of = dt.date(2026, 12, 1)
    card = scorecard(open_atlas(db), as_of=as_of, method_path=method)
    (row,) = card.rows
    assert (row.round, row.leader_today, row.article_2022) == ("adoption", "pytorch",
                                                               "tensorflow")
    assert row.changed_since_2022 is True and row.anchor == "ecosystem"
    # the oldest evidence: job posts of 2026-10-01 (the questions' month starts the same day)
    assert row.evidence_from == dt.date(2026, 10, 1)
    assert row.evidence_age_days == (as_of - dt.date(2026, 10, 1)).days
    box = {(s.kind, s.dataset): s for s in card.status}
    assert box[("jobs", "jobs/sites")].state == "fresh"
    assert box[("hub", "hub/models")].state == "stale" and box[("hub", "hub/models")].reference
    assert all(s.anchor == "sources" for s in card.status)
    assert not any(s.state == "missing" for s in card.status)  # only sources with evidence
    assert {s["snapshot_id"] for s in card.as_dict()["sources"]} >= {"s1", "s2"}


def test_bundled_scorecard_has_the_five_rounds_with_the_article_beside_them(db: Path) -> None:
    from fwatlas.store.atlas import open_atlas
    from fwatlas.verdict.scorecard import scorecard

    card = scorecard(open_atlas(db), as_of=dt.date(2026, 12, 1), include_missing=True)
    assert [r.round for r in card.rows] == ["availability", "research", "deployment",
                                            "ecosystem", "adoption"]
    assert [r.anchor for r in card.rows] == ["availability", "research", "deployment",
                                             "ecosystem", "ecosystem"]
    adoption = card.rows[-1]
    assert adoption.headline == "not enough evidence" and adoption.changed_since_2022 is None
    assert any(s.state == "missing" for s in card.status)
