"""GitHub, job-post and Q&A readers on the real files, against standard-library oracles."""

from __future__ import annotations

import csv
import shutil
from collections import Counter, defaultdict

import pytest

from fwatlas.analyses.signals import signals
from fwatlas.errors import InputError
from fwatlas.ingestion import ingest
from fwatlas.store.atlas import open_atlas
from tests.conftest import shared_path
from tests.signals.conftest import store_counts

KERAS3 = "2023-11-28"


def _rows(db, **kw):
    return signals(open_atlas(db), **kw).as_dict()["rows"]


# --- GitHub ------------------------------------------------------------------------------------


def test_best_of_yearly_files_map_their_differing_columns(db):
    folder = shared_path("data", "best_of_ml_python_weekly")
    want: dict[tuple[str, str], float] = {}
    for path in sorted(folder.glob("*_projects.csv")):
        day = path.name[:10]
        for r in csv.DictReader(path.open(encoding="utf-8")):
            if r["github_id"] in ("pytorch/pytorch", "google/jax"):
                want[(day, r["github_id"])] = float(r["star_count"])
    result = ingest("github", folder, db=db)
    assert {s.dataset for s in result.created} == {"github/best-of-ml-python"}
    assert "label_aggregates_weekly_2020-11_to_2025-06.csv" in result.ignored
    rows = {(r["date"].isoformat(), r["framework"]): r["value"]
            for r in _rows(db, metric="stars")}
    for (day, repo), stars in want.items():
        fw = "pytorch" if repo == "pytorch/pytorch" else "jax"
        assert rows[(day, fw)] == stars, (day, repo)
    assert rows[("2025-06-26", "pytorch")] == 91_042


def test_daily_stars_leave_jax_null_not_zero(db):
    path = shared_path("data", "github_stars_dl_frameworks_daily",
                       "repositories_2021-09-30_to_2023-09-18.tsv",
                       sample="github_stars_dl_frameworks_daily/"
                              "repositories_2021-09-30_to_2023-09-18.every10thday.tsv")
    last: dict[str, int] = {}
    for r in csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"):
        if r["timestamp"].startswith("2023-09-18") and r["name"] in ("pytorch", "tensorflow",
                                                                     "keras"):
            last[r["name"]] = int(r["stargazers"])
    ingest("github", path.parent, db=db)
    rows = [r for r in _rows(db, metric="stars") if r["date"].isoformat() == "2023-09-18"]
    got = {r["framework"]: (r["value"], r["share"]) for r in rows}
    total = sum(last.values())
    assert got["jax"] == (None, None)
    assert got["pytorch"] == (last["pytorch"], last["pytorch"] / total)
    assert got["keras"][0] == last["keras"]


def test_best_of_file_with_renamed_stars_column_is_rejected(db, tmp_path):
    src = shared_path("data", "best_of_ml_python_weekly", "2025-06-26_projects.csv")
    ingest("github", shared_path("data", "github_stars_dl_frameworks_daily"), db=db)
    before = store_counts(db)
    broken = tmp_path / "2025-06-26_projects.csv"
    text = src.read_text(encoding="utf-8")
    broken.write_text(text.replace("star_count", "stargazer_total", 1), encoding="utf-8")
    with pytest.raises(InputError, match="star_count") as err:
        ingest("github", broken, db=db)
    assert str(broken) in str(err.value)
    assert store_counts(db) == before


# --- jobs --------------------------------------------------------------------------------------


def test_hn_hiring_counts_follow_the_keras_rule_and_leave_jax_null(db):
    path = shared_path("data", "hn_whoishiring_terms",
                       "hn_whoishiring_terms_monthly_2011-04_to_2024-05.csv")
    terms: dict[str, dict[str, int]] = defaultdict(dict)
    for r in csv.DictReader(path.open(encoding="utf-8")):
        terms[r["month"]][r["term"]] = int(r["count"])
    ingest("jobs", path, db=db)
    rows = {(r["date"].isoformat()[:7], r["framework"]): r["value"] for r in _rows(db,
                                                                                  metric="jobs")}
    for month, t in terms.items():
        keras_is_tf = month + "-01" < KERAS3
        assert rows[(month, "pytorch")] == t["PyTorch"]
        assert rows[(month, "tensorflow")] == t["TensorFlow"] + (t["Keras"] if keras_is_tf
                                                                 else 0)
        assert rows[(month, "jax")] is None
        assert rows[(month, "keras")] == (None if keras_is_tf else t["Keras"])
    assert rows[("2024-05", "pytorch")] == 4 and rows[("2024-05", "tensorflow")] == 3


def test_user_job_site_counts_skip_unknown_frameworks(db, tmp_path):
    path = tmp_path / "jobs.csv"
    path.write_text("date,site,framework,postings\n"
                    "2026-03-01,linkedin,PyTorch,5200\n"
                    "2026-03-01,linkedin,TensorFlow,3100\n"
                    "2026-03-01,linkedin,Caffe2Go,12\n"
                    "2026-03-01,indeed,JAX,400\n", encoding="utf-8")
    result = ingest("jobs", path, db=db)
    assert result.skipped_items == ["line 4: unknown framework 'Caffe2Go'"]
    rows = _rows(db, metric="jobs")
    got = {(r["series"], r["framework"]): r["value"] for r in rows}
    assert got[("jobs/sites:linkedin", "pytorch")] == 5200
    assert got[("jobs/sites:linkedin", "jax")] is None       # not collected there
    assert got[("jobs/sites:indeed", "jax")] == 400


# --- Q&A ---------------------------------------------------------------------------------------


def test_stackoverflow_years_and_dsse_months_are_separate_datasets(db):
    so = shared_path("data", "stackoverflow_ai_index_2020")
    dsse = shared_path("data", "dsse_questions", "all_questions_2014-05_to_2024-08.csv")
    years: dict[str, dict[str, int]] = {}
    for r in csv.DictReader((so / "frameworks_questions_count.csv").open(encoding="utf-8")):
        years[r["Date"]] = {k: int(float(r[k])) for k in r if k.endswith("_Question_Count")}
    months: Counter[tuple[str, str]] = Counter()
    for r in csv.DictReader(dsse.open(encoding="utf-8")):
        tags = set(r["Tags"].strip("<>").split("><"))
        month, day = r["CreationDate"][:7], r["CreationDate"][:10]
        fws = set()
        # the vocabulary's `words`; `torch` before PyTorch's first release (2017-01-18) is Lua
        # Torch, not PyTorch
        if tags & {"pytorch", "allennlp"} or ("torch" in tags and day >= "2017-01-18"):
            fws.add("pytorch")
        if "tensorflow" in tags:
            fws.add("tensorflow")
        if "keras" in tags:
            fws.add("tensorflow" if day < KERAS3 else "keras")
        for fw in fws:
            months[(month, fw)] += 1
    ingest("qa", so, db=db)
    ingest("qa", dsse, db=db)
    atlas = open_atlas(db)
    assert {s.dataset for s in atlas.snapshots(kind="qa")} == {"qa/stackoverflow", "qa/dsse"}
    rows = _rows(db, metric="questions")
    got = {(r["series"], r["date"].isoformat(), r["framework"]): r for r in rows}
    y = years["2019"]
    assert got[("qa/stackoverflow", "2019-01-01", "pytorch")]["value"] == y[
        "Pytorch_Question_Count"]
    assert got[("qa/stackoverflow", "2019-01-01", "tensorflow")]["value"] == \
        y["Tensorflow_Question_Count"] + y["Keras_Question_Count"]
    assert got[("qa/stackoverflow", "2019-01-01", "jax")]["value"] is None
    assert got[("qa/stackoverflow", "2020-01-01", "pytorch")]["partial"] is True
    assert got[("qa/stackoverflow", "2019-01-01", "pytorch")]["partial"] is False
    for (month, fw), n in months.items():
        assert got[("qa/dsse", month + "-01", fw)]["value"] == n, (month, fw)
    assert got[("qa/dsse", "2024-08-01", "pytorch")]["partial"] is True


def test_question_dump_with_renamed_tags_column_is_rejected(db, tmp_path):
    src = shared_path("data", "dsse_questions", "all_questions_2014-05_to_2024-08.csv",
                      sample="dsse_questions/all_questions_2014-05_to_2024-08.every10th.csv")
    broken = tmp_path / "questions.csv"
    lines = src.read_text(encoding="utf-8").splitlines()
    broken.write_text("\n".join([lines[0].replace("Tags", "Labels")] + lines[1:100]),
                      encoding="utf-8")
    shutil.copy(src, tmp_path / "ok.csv")
    ingest("qa", tmp_path / "ok.csv", db=db)
    before = store_counts(db)
    with pytest.raises(InputError, match="Tags"):
        ingest("qa", broken, db=db)
    assert store_counts(db) == before


def test_a_folder_of_job_post_csvs_ingests_each_and_lists_the_rest(db):
    """The shared folder as it is: its one CSV becomes a snapshot, PROVENANCE.md is ignored."""
    folder = shared_path("data", "hn_whoishiring_terms", sample="hn_whoishiring_terms")
    result = ingest("jobs", folder, db=db)
    assert [s.dataset for s in result.created] == ["jobs/hn-whoishiring"]
    assert "PROVENANCE.md" in result.ignored
