"""`fwatlas refresh github` against a GitHub REST API stand-in on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from fwatlas.refreshing import refresh
from fwatlas.sources import github_fetch
from fwatlas.store.atlas import open_atlas
from tests.signals.conftest import store_counts
from tests.signals.live_apis import NOT_FOUND, Hit, github_repo, serve, stargazers
from tests.signals.test_fetch_offline import _closed_port

REPOS = {
    "pytorch/pytorch": github_repo("pytorch/pytorch", 65600975, 95123, 25876, 1789, 17012),
    "tensorflow/tensorflow": github_repo("tensorflow/tensorflow", 45717250, 192345, 74567,
                                         7654, 2345),
    "jax-ml/jax": github_repo("jax-ml/jax", 154739597, 250, 3012, 321, 1543),
    "keras-team/keras": github_repo("keras-team/keras", 33015583, 63456, 19654, 1876, 254),
}
JAX_STARS = stargazers(250, dt.date(2024, 6, 1))  # the last on 2026-05-27


class GitHub:
    def __init__(self) -> None:
        self.keras_429 = 0  # answers 429 with Retry-After this many times first

    def route(self, hit: Hit) -> tuple[int, object, dict[str, str]]:
        path = hit.path
        if path == "/repos/google/jax":  # renamed: the API redirects to the repository's id
            return 301, {"message": "Moved Permanently",
                         "url": "/repositories/154739597"}, {
                "Location": "/repositories/154739597"}
        if path == "/repositories/154739597":
            return 200, REPOS["jax-ml/jax"], {}
        if path == "/repos/keras-team/keras" and self.keras_429 > 0:
            self.keras_429 -= 1
            return 429, {"message": "API rate limit exceeded"}, {"Retry-After": "1"}
        if path == "/repos/jax-ml/jax/stargazers":
            page, per = int(hit.query["page"]), int(hit.query["per_page"])
            return 200, JAX_STARS[(page - 1) * per:page * per], {}
        if path.startswith("/repos/"):
            name = path[len("/repos/"):]
            if name in REPOS:
                return 200, REPOS[name], {"X-RateLimit-Remaining": "4999"}
        return 404, NOT_FOUND, {}


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[tuple[GitHub, object]]:
    api = GitHub()
    with serve(api.route) as server:
        monkeypatch.setenv("FWATLAS_GITHUB_API_URL", server.url)
        monkeypatch.setenv("FWATLAS_CACHE", str(tmp_path / "cache"))
        monkeypatch.setenv("FWATLAS_HTTP_BACKOFF", "0.01")
        monkeypatch.delenv("GITHUB_TOKEN", raising=False)
        yield api, server


def _rows(db, dataset: str) -> dict[tuple[str, dt.date], tuple]:
    con = open_atlas(db).con
    got = con.execute(
        "SELECT r.repo, r.observed_on, r.stars, r.forks, r.watchers, r.open_issues "
        "FROM github_repos r JOIN snapshots s ON s.num = r.snapshot_id WHERE s.dataset = ?",
        [dataset]).fetchall()
    return {(r[0], r[1]): r[2:] for r in got}


def test_one_dated_point_per_configured_repository(github, db):
    api, server = github
    api.keras_429 = 1
    result = refresh("github", db=db, progress=False)
    [snap] = result.created
    assert snap.dataset == "github/stars-api" and snap.data_date == dt.datetime.now(dt.UTC).date()
    today = snap.data_date
    want = {(name, today): (d["stargazers_count"], d["forks_count"], d["subscribers_count"],
                            d["open_issues_count"]) for name, d in REPOS.items()}
    assert _rows(db, "github/stars-api") == want
    # google/jax and jax-ml/jax are one repository: counted once, and said so
    assert snap.rows == 4 and snap.skipped == 0
    assert any("google/jax" in n and "counted once" in n for n in result.notes)
    # the 429 was retried after the Retry-After it named
    keras = [h for h in server.log if h.path == "/repos/keras-team/keras"]
    assert [h.status for h in keras] == [429, 200]
    assert keras[1].at - keras[0].at >= 0.95
    assert all(h.headers["accept"] == "application/vnd.github+json" for h in server.log)
    assert not any("authorization" in h.headers for h in server.log)


def test_token_is_sent_when_set(github, db, monkeypatch):
    _, server = github
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_test123")
    refresh("github", db=db, progress=False, limit=1)
    assert [h.headers.get("authorization") for h in server.log] == ["Bearer ghp_test123"]


def test_a_missing_repository_is_listed_and_the_rest_stored(github, db, cli, tmp_path):
    listing = tmp_path / "repos.txt"
    listing.write_text("# mine\npytorch/pytorch\nnobody/missing-repo\n", encoding="utf-8")
    run = cli("refresh", "github", "--repos", str(listing), "--db", str(db), "--json")
    assert run.code == 0, run.err
    out = run.json()
    assert out["created"][0]["rows"] == 1
    assert out["skipped_items"] == ["nobody/missing-repo: repository not found (HTTP 404)"]
    assert list(_rows(db, "github/stars-api")) == [
        ("pytorch/pytorch", dt.datetime.now(dt.UTC).date())]


def test_a_bad_repository_list_is_exit_2_and_writes_nothing(github, db, cli, tmp_path):
    listing = tmp_path / "repos.txt"
    listing.write_text("pytorch/pytorch\njust-a-name\n", encoding="utf-8")
    run = cli("refresh", "github", "--repos", str(listing), "--db", str(db))
    assert run.code == 2 and "line 2" in run.err and "owner/name" in run.err
    assert not db.exists()


def test_history_builds_up_one_point_per_refresh(github, db, monkeypatch, cli):
    monkeypatch.setattr(github_fetch, "today", lambda: dt.date(2026, 11, 1))
    refresh("github", db=db, progress=False)
    REPOS["pytorch/pytorch"] = {**REPOS["pytorch/pytorch"], "stargazers_count": 95500}
    try:
        monkeypatch.setattr(github_fetch, "today", lambda: dt.date(2026, 11, 8))
        refresh("github", db=db, progress=False)
    finally:
        REPOS["pytorch/pytorch"] = {**REPOS["pytorch/pytorch"], "stargazers_count": 95123}
    rows = _rows(db, "github/stars-api")
    assert rows[("pytorch/pytorch", dt.date(2026, 11, 1))][0] == 95123
    assert rows[("pytorch/pytorch", dt.date(2026, 11, 8))][0] == 95500
    run = cli("signals", "--metric", "stars", "--db", str(db), "--json")
    assert run.code == 0, run.err
    points = [r for r in run.json()["rows"] if r["series"] == "github/stars-api"
              and r["framework"] == "pytorch"]
    assert [(p["date"], p["value"]) for p in points] == [("2026-11-01", 95123.0),
                                                         ("2026-11-08", 95500.0)]
    nov8 = {r["framework"]: r["share"] for r in run.json()["rows"]
            if r["series"] == "github/stars-api" and r["date"] == "2026-11-08"}
    total = 95500 + 192345 + 250 + 63456
    assert nov8["pytorch"] == pytest.approx(95500 / total)


def test_star_history_from_starred_at_pages_under_the_page_limit(github, db):
    _, server = github
    result = refresh("github", db=db, progress=False, history=True)
    api, hist = sorted(result.created, key=lambda s: s.dataset)
    assert (api.dataset, hist.dataset) == ("github/stars-api", "github/stars-history")
    # only jax is under 40,000 stars: three pages of 100 for 250 stargazers
    pages = sorted(int(h.query["page"]) for h in server.log if h.path.endswith("/stargazers"))
    assert pages == [1, 2, 3]
    over = [i for i in hist.skipped_items if "page limit" in i]
    assert sorted(i.split(":")[0] for i in over) == ["keras-team/keras", "pytorch/pytorch",
                                                     "tensorflow/tensorflow"]
    # expected: cumulative stargazers at each month's end, counted here with Counter
    per_month = Counter(s["starred_at"][:7] for s in JAX_STARS)
    running, want = 0, {}
    for month in sorted(per_month):
        running += per_month[month]
        want[month] = running
    got = {d.strftime("%Y-%m"): v[0] for (repo, d), v in _rows(db, "github/stars-history")
           .items() if repo == "jax-ml/jax"}
    assert got == want and got[max(got)] == 250
    assert "lower bounds" in (hist.note or "")


def test_refresh_github_offline_is_exit_3_without_waiting_to_retry(cli, db, tmp_path):
    env = {"FWATLAS_GITHUB_API_URL": f"http://127.0.0.1:{_closed_port()}",
           "FWATLAS_HTTP_RETRIES": "4", "FWATLAS_HTTP_BACKOFF": "60"}
    start = time.perf_counter()
    run = cli("refresh", "github", "--db", str(db), env=env)
    took = time.perf_counter() - start
    assert run.code == 3 and "unreachable" in run.err
    assert run.err.splitlines() == [run.err.strip()]
    assert took < 30, f"{took:.2f} s offline: it waited to retry (one backoff is 60 s)"
    assert store_counts(db) == ([], {})


def test_github_refresh_json_names_its_source(github, db, cli):
    run = cli("refresh", "github", "--db", str(db), "--json")
    assert run.code == 0, run.err
    [src] = json.loads(run.out)["sources"]
    assert src["dataset"] == "github/stars-api" and src["kind"] == "github"


def test_live_and_file_series_are_read_apart_and_the_newest_feeds_the_verdict(github, db, cli):
    from tests.conftest import shared_path

    assert cli("ingest", "github", str(shared_path("data", "github_stars_dl_frameworks_daily")),
               "--db", str(db)).code == 0
    run = cli("refresh", "github", "--db", str(db), "--json")
    assert run.code == 0, run.err
    live = run.json()["created"][0]["snapshot_id"]
    out = cli("signals", "--metric", "stars", "--db", str(db), "--json").json()
    assert {"github/stars-daily", "github/stars-api"} <= {r["series"] for r in out["rows"]}
    # no lead is claimed across the two instruments: each lead names one series
    assert all(x["series"] in {"github/stars-daily", "github/stars-api"} for x in out["leads"])
    facts = {f["name"]: f for f in cli("facts", "--prefix", "signals.stars.share", "--db",
                                       str(db), "--json").json()["rows"]}
    share = facts["signals.stars.share.pytorch"]
    assert [s["snapshot_id"] for s in share["sources"]] == [live]
    total = sum(d["stargazers_count"] for d in REPOS.values())
    assert share["value"] == pytest.approx(REPOS["pytorch/pytorch"]["stargazers_count"] / total)
    verdict = cli("verdict", "--round", "adoption", "--db", str(db), "--json")
    assert verdict.code == 0, verdict.err
    assert live in {s["snapshot_id"] for s in verdict.json()["sources"]}
