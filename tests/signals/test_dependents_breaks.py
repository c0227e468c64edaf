"""best-of-ml-python dependents: source breaks found in the data's own columns, and no lead
claimed across them (real data, checked against the csv module)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.conftest import shared_path

FOLDER = ("data", "best_of_ml_python_weekly")
EXTRACT = "framework_projects_weekly_2020-11_to_2025-06.csv"
REPOS = {"pytorch/pytorch": "pytorch", "tensorflow/tensorflow": "tensorflow",
         "google/jax": "jax", "jax-ml/jax": "jax", "keras-team/keras": "keras"}


def _observed(folder: Path) -> dict[str, list[tuple[str, float, str]]]:
    """repo -> [(date, dependents, which part columns are non-empty)] where there is a value."""
    out: dict[str, list[tuple[str, float, str]]] = {}
    for r in csv.DictReader((folder / EXTRACT).open(encoding="utf-8")):
        if r["github_id"] in REPOS and r["dependent_project_count"]:
            parts = "+".join(p for p in ("github", "pypi") if r[f"{p}_dependent_project_count"])
            out.setdefault(r["github_id"], []).append(
                (r["snapshot_date"], float(r["dependent_project_count"]), parts))
    return {k: sorted(v) for k, v in out.items()}


def _column_changes(folder: Path) -> set[tuple[str, str, str, str]]:
    """(repo, date, parts before, parts after) for each change between consecutive values."""
    out = set()
    for repo, rows in _observed(folder).items():
        for (_, _, before), (day, _, after) in zip(rows, rows[1:], strict=False):
            if before != after:
                out.add((repo, day, before, after))
    return out


def test_breaks_name_the_columns_that_supplied_the_value(cli, db):
    folder = shared_path(*FOLDER)
    changes = _column_changes(folder)
    # the report: pytorch 94,090 → 6,682 when github_dependent_project_count went empty
    assert ("pytorch/pytorch", "2021-07-29", "github+pypi", "pypi") in changes
    assert cli("ingest", "github", str(folder), "--db", str(db)).code == 0
    out = cli("signals", "--metric", "dependents", "--db", str(db), "--json").json()
    got = {(b["package"], b["date"]) for b in out["breaks"] if b["cause"] == "columns"}
    assert got == {(repo, day) for repo, day, _, _ in changes}
    [torch] = [b for b in out["breaks"]
               if b["package"] == "pytorch/pytorch" and b["date"] == "2021-07-29"]
    assert torch["framework"] == "pytorch" and torch["series"] == "github/best-of-ml-python"
    assert "94,090 on 2021-07-22 → 6,682" in torch["what"]
    assert "pypi_dependent_project_count only" in torch["what"]
    assert any("dependent_project_count is github_ + pypi_dependent_project_count" in n
               for n in out["notes"])


def test_a_tenfold_jump_on_the_same_columns_is_a_break(cli, db):
    folder = shared_path(*FOLDER)
    rows = {d: (v, parts) for d, v, parts in _observed(folder)["keras-team/keras"]}
    # keras-team/keras: 640 → 181,204 in a week, both github_ + pypi_ parts present
    assert rows["2023-09-07"] == (640.0, "github+pypi")
    assert rows["2023-09-14"] == (181_204.0, "github+pypi")
    assert cli("ingest", "github", str(folder), "--db", str(db)).code == 0
    out = cli("signals", "--metric", "dependents", "--db", str(db), "--json").json()
    jumps = {(b["package"], b["date"]) for b in out["breaks"] if b["cause"] == "jump"}
    assert ("keras-team/keras", "2023-09-14") in jumps
    assert ("keras-team/keras", "2023-09-21") in jumps  # and back down
    # stars in the same files move smoothly: no break there
    stars = cli("signals", "--metric", "stars", "--db", str(db), "--json").json()
    assert stars["breaks"] == []


def test_no_lead_across_a_change_of_columns(cli, db):
    folder = shared_path(*FOLDER)
    obs = {repo: {d: (v, parts) for d, v, parts in rows}
           for repo, rows in _observed(folder).items()}
    # the misleading line: jax's github_ + pypi_ count passes pytorch's pypi_-only count
    jax, torch = obs["google/jax"]["2023-02-16"], obs["pytorch/pytorch"]["2023-02-16"]
    assert jax[0] > torch[0] and (jax[1], torch[1]) == ("github+pypi", "pypi")
    assert cli("ingest", "github", str(folder), "--db", str(db)).code == 0
    out = cli("signals", "--metric", "dependents", "--db", str(db), "--json").json()
    assert not [x for x in out["leads"] if x["kind"] == "crossover"]
    # every "above throughout" compares values counted from the same columns
    for lead in out["leads"]:
        a = [r for r, fw in REPOS.items() if fw == lead["leader"] and r in obs]
        b = [r for r, fw in REPOS.items() if fw == lead["other"] and r in obs]
        assert obs[a[0]][lead["date"]][1] == obs[b[0]][lead["date"]][1]
    table = cli("signals", "--metric", "dependents", "--db", str(db))
    text = " ".join(table.out.split())
    assert "jax first above pytorch" not in text
    assert "pytorch first above tensorflow" not in text
    assert "break github/best-of-ml-python pytorch/pytorch:" in text
    assert "first 2021-07-29: pytorch/pytorch dependents counted from" in text


def test_a_store_without_the_columns_record_says_breaks_cannot_be_found(cli, db):
    import duckdb

    folder = shared_path(*FOLDER)
    assert cli("ingest", "github", str(folder), "--db", str(db)).code == 0
    con = duckdb.connect(str(db))
    con.execute("UPDATE github_repos SET dependents_basis = NULL")
    con.close()
    out = cli("signals", "--metric", "dependents", "--db", str(db), "--json").json()
    assert not [b for b in out["breaks"] if b["cause"] == "columns"]
    assert any("s1: stored before fwatlas recorded which columns supply dependents" in n
               for n in out["notes"])
