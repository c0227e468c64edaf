"""The verdict counts only what is enough: min_n per criterion, counted / why_not_counted, "not
enough evidence" that names what would be enough, and overlapping intervals are never "clear".

The evidence goes through the real ingest (documented job-site CSV, a Stack Exchange dump);
expected intervals are computed here from the Wilson score formula, not by fwatlas.stats.
"""

from __future__ import annotations

import math
from pathlib import Path

from tests.conftest import run_cli
from tests.verdict.conftest import ingest, write_jobs, write_questions

Z = 1.959963984540054

METHOD = """
frameworks: [pytorch, tensorflow, jax, keras]
margins: {{tie: 0.05, clear: 0.15}}
evidence: {{min_round: {min_round}, min_framework: 0.5}}
rounds:
  - name: adoption
    title: Adoption
    anchor: ecosystem
    criteria:
      - name: job_posts
        label: share of job posts
        weight: 1
        read: value
        fact: signals.jobs.share.{{framework}}
        ingest: fwatlas ingest jobs <sites.csv>
      - name: questions
        label: share of questions
        weight: 1
        read: value
        fact: signals.questions.share.{{framework}}
        ingest: fwatlas ingest qa <dump.csv>
"""


def _wilson(k: int, n: int) -> tuple[float, float]:
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


def _store(tmp_path: Path, questions: dict[str, int]) -> Path:
    db = tmp_path / "atlas.duckdb"
    ingest(db, "jobs", write_jobs(tmp_path / "sites.csv", {"pytorch": 4, "tensorflow": 3}))
    # September is complete (a question on 1 October closes it); October is partial, not read
    dump = write_questions(tmp_path / "dump.csv", questions, month="2026-09")
    with dump.open("a", encoding="utf-8") as f:
        f.write('"9999","1","2026-10-01 10:00:00","1","10","<keras>","0",""\n')
    ingest(db, "qa", dump)
    return db


def _verdict(db: Path, tmp_path: Path, min_round: float = 0.5) -> dict:
    method = tmp_path / "method.yaml"
    method.write_text(METHOD.format(min_round=min_round), encoding="utf-8")
    run = run_cli("verdict", "--method", str(method), "--db", str(db), "--as-of", "2026-12-01",
                  "--json")
    assert run.code == 0, run.err
    (row,) = run.json()["rows"]
    return row


def test_a_seven_item_criterion_is_shown_but_not_counted(tmp_path: Path) -> None:
    db = _store(tmp_path, {"pytorch": 40, "tensorflow": 20})
    row = _verdict(db, tmp_path)
    jobs = {f["framework"]: f for f in row["facts"] if f["criterion"] == "job_posts"}
    assert jobs["pytorch"]["value"] == 4 / 7 and jobs["pytorch"]["n"] == 7
    assert jobs["pytorch"]["counted"] is False
    why = jobs["pytorch"]["why_not_counted"]
    assert "n = 7" in why and "min_n 30" in why
    for got, want in zip(jobs["pytorch"]["ci95"], _wilson(4, 7), strict=True):
        assert abs(got - want) < 1e-12

    questions = {f["framework"]: f for f in row["facts"] if f["criterion"] == "questions"}
    assert questions["pytorch"]["counted"] is True and questions["pytorch"]["n"] == 60
    assert "why_not_counted" not in questions["pytorch"]
    assert abs(questions["pytorch"]["value"] - 40 / 60) < 1e-12
    for got, want in zip(questions["pytorch"]["ci95"], _wilson(40, 60), strict=True):
        assert abs(got - want) < 1e-12
    # only the questions count: PyTorch leads on them, the job posts play no part
    assert row["leader"] == "pytorch" and row["evidence_share"] == 0.5
    assert [m["criterion"] for m in row["missing"]] == ["job_posts"]


def test_a_round_below_min_round_says_what_would_be_enough(tmp_path: Path) -> None:
    db = _store(tmp_path, {"pytorch": 40, "tensorflow": 20})
    row = _verdict(db, tmp_path, min_round=0.6)
    assert row["confidence"] == "not enough evidence" and row["leader"] is None
    (jobs,) = [m for m in row["missing"] if m["criterion"] == "job_posts"]
    assert "30 or more items" in jobs["would_be_enough"] and "pytorch n = 7" in \
        jobs["would_be_enough"]


def test_a_lead_whose_intervals_overlap_is_not_clear(tmp_path: Path) -> None:
    # 18 vs 14 of 32: margin 1 - 14/18 = 0.22 is past the clear margin, but the intervals overlap
    db = _store(tmp_path, {"pytorch": 18, "tensorflow": 14})
    lo_pt, hi_pt = _wilson(18, 32)
    lo_tf, hi_tf = _wilson(14, 32)
    assert lo_pt <= hi_tf  # they overlap, by the formula
    row = _verdict(db, tmp_path)
    assert row["leader"] == "pytorch" and row["margin"] >= 0.15
    assert row["confidence"] == "narrow" and row["overlapping_intervals"] == ["questions"]
    assert "overlap" in row["confidence_rule"]


def test_the_bundled_method_declares_min_n() -> None:
    from fwatlas.verdict.method import load_method

    method = load_method()
    assert method.min_n == 30
    assert all(c.min_n >= 1 for r in method.rounds for c in r.criteria)
