"""Git checkouts with dated commits: the first commit dates a repository (and its Keras), the
remote gives its URL, `trends repos` draws quarterly shares, and repositories join Papers with
Code records through the normalised URL."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli


def _repos(make_git_repo) -> list[Path]:
    return [
        make_git_repo("old-keras", [
            ("2019-05-01T12:00:00+00:00", {"model.py": "import keras\n"}),
            ("2024-06-01T12:00:00+00:00", {"more.py": "import keras\n"}),
        ]),
        make_git_repo("new-keras", [("2024-02-10T09:00:00+00:00",
                                     {"model.py": "import keras\n"})]),
        make_git_repo("torch-repo", [("2024-03-05T23:30:00-02:00",
                                      {"net.py": "import torch\n"})],
                      remote="git@github.com:Owner/RepoC.git"),
        make_git_repo("jax-repo", [("2024-05-20T08:00:00+00:00", {"f.py": "import jax\n"})]),
    ]


def test_git_dates_urls_and_dated_keras(make_git_repo, db: Path):
    repos = _repos(make_git_repo)
    res = run_cli("scan", *map(str, repos), "--db", str(db), "--workers", "1", "--json")
    assert res.code == 0, res.err
    rows = {Path(r["path"]).name: r for r in res.json()["rows"]}
    assert rows["old-keras"]["date"] == "2019-05-01"
    assert rows["old-keras"]["date_source"].startswith("git: first commit")
    assert rows["old-keras"]["primary"] == "tensorflow"  # keras before Keras 3
    assert rows["new-keras"]["primary"] == "keras"
    assert rows["torch-repo"]["date"] == "2024-03-06"  # 23:30 at -02:00 is the 6th in UTC
    assert rows["torch-repo"]["url"] == "github.com/owner/repoc"
    assert rows["torch-repo"]["url_source"] == "git remote"
    assert rows["jax-repo"]["url"] is None
    assert {r["source_type"] for r in rows.values()} == {"git"}


def test_trends_repos_quarterly_shares_and_paper_join(make_git_repo, db: Path,
                                                      tmp_path: Path):
    repos = _repos(make_git_repo)
    assert run_cli("scan", *map(str, repos), "--db", str(db), "--workers", "1",
                   "--data-date", "2026-11-01").code == 0
    links = [
        {"paper_url": "https://paperswithcode.com/paper/a", "paper_title": "A",
         "paper_arxiv_id": "2403.00001", "repo_url": "https://github.com/owner/repoc",
         "is_official": True, "mentioned_in_paper": True, "mentioned_in_github": True,
         "framework": "pytorch"},
        {"paper_url": "https://paperswithcode.com/paper/b", "paper_title": "B",
         "paper_arxiv_id": "2404.00002", "repo_url": "https://www.github.com/Owner/RepoC.git",
         "is_official": False, "mentioned_in_paper": False, "mentioned_in_github": True,
         "framework": "pytorch"},
        {"paper_url": "https://paperswithcode.com/paper/c", "paper_title": "C",
         "paper_arxiv_id": "2404.00003", "repo_url": "https://github.com/other/thing",
         "is_official": True, "mentioned_in_paper": True, "mentioned_in_github": True,
         "framework": "tf"},
    ]
    dump = tmp_path / "links-between-papers-and-code.json"
    dump.write_text(json.dumps(links), encoding="utf-8")
    ing = run_cli("ingest", "pwc", str(dump), "--db", str(db), "--data-date", "2025-07-01")
    assert ing.code == 0, ing.err

    res = run_cli("trends", "repos", "--db", str(db), "--json")
    assert res.code == 0, res.err
    out = res.json()
    by_quarter = {r["quarter"]: r for r in out["rows"]}
    assert list(by_quarter) == ["2019-Q2", "2024-Q1", "2024-Q2"]
    assert by_quarter["2019-Q2"]["tensorflow_share"] == 1.0
    assert by_quarter["2024-Q1"]["repositories"] == 2
    assert by_quarter["2024-Q1"]["keras_share"] == 0.5
    assert by_quarter["2024-Q1"]["pytorch_share"] == 0.5
    assert by_quarter["2024-Q1"]["tensorflow_share"] == 0.0
    assert by_quarter["2024-Q2"]["jax"] == 1
    assert by_quarter["2024-Q1"]["mxnet"] is None  # shown as other
    assert out["undated"] == 0
    per_repo = {Path(r["path"]).name: r for r in out["repositories"]}
    assert per_repo["torch-repo"]["papers"] == 2
    assert per_repo["torch-repo"]["pwc_framework"] == "pytorch"
    assert per_repo["jax-repo"]["papers"] is None
    assert {r["date_source"].split(":")[0] for r in per_repo.values()} == {"git"}
    assert out["papers_join"]["repositories_with_papers"] == 1
    assert out["papers_join"]["same_framework_as_pwc"] == 1
    kinds = {s["kind"] for s in out["sources"]}
    assert kinds == {"repos", "pwc"}
    assert all(s["data_date"] for s in out["sources"])

    ranged = run_cli("trends", "repos", "--db", str(db), "--from", "2024", "--json").json()
    assert [r["quarter"] for r in ranged["rows"]] == ["2024-Q1", "2024-Q2"]

    facts = run_cli("facts", "--prefix", "repos", "--db", str(db), "--json")
    assert facts.code == 0, facts.err
    values = {f["name"]: f for f in facts.json()["rows"]}
    assert values["repos.scanned"]["value"] == 4
    assert values["repos.share.pytorch"]["value"] == 0.25
    assert values["repos.latest_quarter"]["value"] == "2024-Q2"
    assert values["repos.share.jax.latest_quarter"]["value"] == 1.0
    assert values["repos.scanned"]["data_date"] == "2026-11-01"
    assert {s["kind"] for s in values["repos.scanned"]["sources"]} >= {"repos"}


def test_trends_repos_without_scans_says_how_to_get_them(db: Path):
    res = run_cli("trends", "repos", "--db", str(db), "--json")
    assert res.code == 0
    assert "fwatlas scan" in res.json()["hint"]
    assert res.json()["rows"] == []


def test_url_normalisation_agrees_between_python_and_sql():
    import duckdb

    from fwatlas.analyses.repo_trends import sql_normalized_url
    from fwatlas.scan.urls import normalize_repo_url

    spellings = {
        "https://github.com/Owner/Repo": "github.com/owner/repo",
        "git@github.com:Owner/Repo.git": "github.com/owner/repo",
        "https://www.github.com/owner/repo/": "github.com/owner/repo",
        "git+https://github.com/owner/repo.git@v1.0": "github.com/owner/repo",
        "https://github.com/owner/repo/tree/main/src": "github.com/owner/repo",
        "ssh://git@gitlab.com/group/proj.git": "gitlab.com/group/proj",
        "https://example.org/x/y.git": "example.org/x/y",
        "HTTPS://GitHub.com/A/B#readme": "github.com/a/b",
        "https://host.example.com:8443/x/y": "host.example.com/x/y",
    }
    con = duckdb.connect()
    con.execute("CREATE TABLE t (repo_url VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [[u] for u in spellings])
    sql = dict(con.execute(f"SELECT repo_url, {sql_normalized_url('repo_url')} FROM t")
               .fetchall())
    for url, want in spellings.items():
        assert normalize_repo_url(url) == want, url
        assert sql[url] == want, url
