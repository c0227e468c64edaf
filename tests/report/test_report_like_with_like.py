"""The report's ecosystem readings read the period the verdict reads: the stars line ends where
``signals.stars.share`` ends (the newest series, not the longest), and job posts are read as the
trailing-12-month sums the verdict counts, never one month's handful. Real data from ../shared;
expected values are read from the files here."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from fwatlas.analyses.signals import signals_facts
from fwatlas.figures.context import ReportContext
from fwatlas.figures.ecosystem import ecosystem_section
from fwatlas.store.atlas import open_atlas
from tests.conftest import run_cli, shared_path

STARS_REPOS = {"pytorch/pytorch": "PyTorch", "tensorflow/tensorflow": "TensorFlow",
               "google/jax": "JAX", "keras-team/keras": "Keras"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("like") / "atlas.duckdb"
    for kind, path in (("github", shared_path("data", "github_stars_dl_frameworks_daily")),
                       ("github", shared_path("data", "best_of_ml_python_weekly")),
                       ("jobs", shared_path("data", "hn_whoishiring_terms",
                                            "hn_whoishiring_terms_monthly_2011-04_to_2024-05.csv"))):
        r = run_cli("ingest", kind, str(path), "--db", str(db))
        assert r.code == 0, r.err
    return db


def _reading(db: Path) -> dict[str, str]:
    section = ecosystem_section(open_atlas(db), ReportContext(as_of=dt.date(2026, 12, 1)))
    return {line.split(" (", 1)[0]: line for line in section.reading}


def test_the_stars_reading_ends_where_the_verdict_reads(store: Path) -> None:
    newest = shared_path("data", "best_of_ml_python_weekly", "2025-06-26_projects.csv")
    with newest.open(encoding="utf-8") as f:
        stars = {STARS_REPOS[r["github_id"]]: float(r["star_count"]) for r in csv.DictReader(f)
                 if r["github_id"] in STARS_REPOS}
    total = sum(stars.values())
    facts = {f.name: f for f in signals_facts(open_atlas(store))}
    pt = facts["signals.stars.share.pytorch"]
    assert pt.data_date == dt.date(2025, 6, 26) and pt.value == stars["PyTorch"] / total
    line = _reading(store)["Stars"]
    # the daily series (2021-09 to 2023-09) has more dates, but the verdict reads the newest
    assert "github/best-of-ml-python, 2025-06-26" in line and "2023-09-18" not in line
    assert f"PyTorch {stars['PyTorch']:,.0f} ({100 * stars['PyTorch'] / total:.1f}%)" in line


def test_job_posts_are_read_as_the_trailing_twelve_months_the_verdict_counts(store: Path) -> None:
    path = shared_path("data", "hn_whoishiring_terms",
                       "hn_whoishiring_terms_monthly_2011-04_to_2024-05.csv")
    window = {f"2023-{m:02d}" for m in range(6, 13)} | {f"2024-{m:02d}" for m in range(1, 6)}
    counts = {"PyTorch": 0, "TensorFlow": 0}
    last_month = {"PyTorch": 0, "TensorFlow": 0}
    # docs/vocabulary.md: `keras` before Keras 3 (2023-11-28) counts for TensorFlow
    keras3 = "2023-11-28"
    with path.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            term = "TensorFlow" if r["term"] == "Keras" and f"{r['month']}-01" < keras3 \
                else r["term"]
            if term in counts and r["month"] in window:
                counts[term] += int(r["count"])
                if r["month"] == "2024-05":
                    last_month[term] += int(r["count"])
    n = sum(counts.values())
    assert sum(last_month.values()) < 10 < n  # one month is a handful; the year is not
    facts = {f.name: f for f in signals_facts(open_atlas(store))}
    assert facts["signals.jobs.share.pytorch"].n == n
    line = _reading(store)["Jobs"]
    assert "the 12 months to 2024-05" in line
    assert f"PyTorch {counts['PyTorch']:,} ({100 * counts['PyTorch'] / n:.1f}%)" in line
    assert f"n = {n:,} job posts, a small sample" in line
