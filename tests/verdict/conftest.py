"""Small evidence files written by the tests, and a verdict method that reads what they fill.

The jobs and Q&A files are in the real formats their readers take (the documented job-site CSV
and a Stack Exchange question dump), so the facts come through the real ingest and FactBook.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

#: a two-criterion adoption round over job posts and questions (shares of the newest period)
ADOPTION_METHOD = """
frameworks: [pytorch, tensorflow, jax, keras]
margins: {{tie: 0.05, clear: 0.15}}
# min_n 1: these files hold a handful of items on purpose (scoring mechanics, not sample size;
# test_min_n.py tests the bundled default of 30)
evidence: {{min_round: 0.5, min_framework: 0.5, min_n: 1}}
rounds:
  - name: adoption
    title: Adoption
    anchor: ecosystem
    criteria:
      - name: job_posts
        label: share of job posts
        weight: {jobs_weight}
        read: value
        fact: signals.jobs.share.{{framework}}
        ingest: fwatlas ingest jobs <sites.csv>
      - name: questions
        label: share of questions
        weight: {questions_weight}
        read: value
        fact: signals.questions.share.{{framework}}
        ingest: fwatlas ingest qa <dump.csv>
"""


def write_method(path: Path, jobs_weight: float = 1, questions_weight: float = 1) -> Path:
    path.write_text(ADOPTION_METHOD.format(jobs_weight=jobs_weight,
                                           questions_weight=questions_weight), encoding="utf-8")
    return path


def write_jobs(path: Path, counts: dict[str, int], day: str = "2026-10-01") -> Path:
    lines = ["date,site,framework,postings"]
    lines += [f"{day},example-jobs,{fw},{n}" for fw, n in counts.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_questions(path: Path, counts: dict[str, int], month: str = "2026-10") -> Path:
    """A Stack Exchange dump: one question per row, tagged with one framework."""
    lines = ["Id,PostTypeId,CreationDate,Score,ViewCount,Tags,AnswerCount,FavoriteCount"]
    i = 0
    for tag, n in counts.items():
        for k in range(n):
            i += 1
            lines.append(f'"{i}","1","{month}-{1 + k % 28:02d} 10:00:00","1","10","<{tag}>",'
                         f'"0",""')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_hub(path: Path, models: dict[str, list[str]]) -> Path:
    """A list_models JSON Lines dump: id -> tags."""
    with path.open("w", encoding="utf-8") as f:
        for mid, tags in models.items():
            f.write(json.dumps({"id": mid, "tags": tags, "downloads": 1,
                                "createdAt": "2026-01-01T00:00:00.000Z"}) + "\n")
    return path


def ingest(db: Path, kind: str, path: Path, *extra: str) -> None:
    run = run_cli("ingest", kind, str(path), "--db", str(db), *extra)
    assert run.code == 0, run.err


@pytest.fixture
def adoption_store(tmp_path: Path):
    """Build a store from job and question counts; returns (db, method path)."""
    def build(jobs: dict[str, int], questions: dict[str, int], jobs_weight: float = 1,
              questions_weight: float = 1) -> tuple[Path, Path]:
        db = tmp_path / "atlas.duckdb"
        if jobs:
            ingest(db, "jobs", write_jobs(tmp_path / "sites.csv", jobs))
        if questions:
            # the dump covers October whole (a partial month is never the latest one read)
            ingest(db, "qa", write_questions(tmp_path / "dump.csv", questions),
                   "--data-date", "2026-10-31")
        method = write_method(tmp_path / "method.yaml", jobs_weight, questions_weight)
        return db, method
    return build
