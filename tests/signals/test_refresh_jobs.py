"""`fwatlas refresh jobs` against a Hacker News Algolia API stand-in on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator

import pytest

from fwatlas.refreshing import refresh
from fwatlas.store.atlas import open_atlas
from tests.signals.conftest import store_counts
from tests.signals.live_apis import Hit, hn_item, hn_search, hn_story, serve
from tests.signals.test_fetch_offline import _closed_port

NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"]
POSTS = [
    "Acme AI | ML Engineer | Remote<p>We train everything in <b>PyTorch</b>, serve with ONNX.",
    "Beta Labs | Berlin | TensorFlow &amp; Keras for on-device models (TFLite)",
    "Gamma | Research Engineer | JAX/Flax on TPUs; some pytorch-lightning too",
    "Delta | Backend | Go, Postgres, Kubernetes. No ML here.",
    None,  # a deleted post
    "Epsilon | Data | keras, pytorch and jax all welcome",
    "Zeta | Jacksonville, FL | flaxseed bakery, no frameworks here",
    "Eta | Python | tensorflow.js, TensorFlowLite",
]
# the expected count, by hand-free literal matching: which posts name each framework
WORDS = {"pytorch": [r"pytorch"], "tensorflow": [r"tensorflow", r"\btflite\b", r"\btf\.keras\b"],
         "jax": [r"\bjax\b", r"\bflax\b"], "keras": [r"\bkeras\b"]}


def expected(posts: list[str | None], keras3: bool) -> tuple[int, dict[str, int]]:
    """(posts, posts per framework) with the standard library, Keras dated by hand."""
    live = [p for p in posts if p is not None]
    counts = {fw: 0 for fw in WORDS}
    for text in live:
        text = re.sub(r"<[^>]+>", " ", text).replace("&amp;", "&").lower()
        named = {fw for fw, pats in WORDS.items() if any(re.search(p, text) for p in pats)}
        if not keras3 and "keras" in named:
            named = (named - {"keras"}) | {"tensorflow"}
        for fw in named:
            counts[fw] += 1
    if not keras3:
        del counts["keras"]
    return len(live), counts


def _months_back(n: int) -> dt.date:
    day = dt.datetime.now(dt.UTC).date().replace(day=1)
    for _ in range(n):
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return day


class HN:
    def __init__(self) -> None:
        self.threads: dict[int, tuple[dt.date, list[str | None]]] = {}
        self.broken: set[int] = set()
        self.others: list[dict] = []

    def add(self, thread_id: int, month: dt.date, posts: list[str | None]) -> None:
        self.threads[thread_id] = (month, posts)

    def _when(self, month: dt.date) -> dt.datetime:
        return dt.datetime(month.year, month.month, 1, 16, 0, 5)

    def route(self, hit: Hit) -> tuple[int, object, dict[str, str]]:
        if hit.path == "/search_by_date":
            assert hit.query["tags"] == "story,author_whoishiring"
            hits = [hn_story(i, f"Ask HN: Who is hiring? ({NAMES[m.month - 1]} {m.year})",
                             self._when(m), len(p)) for i, (m, p) in self.threads.items()]
            return 200, hn_search(sorted(hits, key=lambda h: -h["created_at_i"])
                                  + self.others), {}
        if hit.path.startswith("/items/"):
            tid = int(hit.path.rsplit("/", 1)[1])
            if tid in self.broken:
                return 503, b"<html>Service Unavailable</html>", {"Retry-After": "0"}
            if tid not in self.threads:
                return 404, {"status": 404, "error": "Not Found"}, {}
            month, posts = self.threads[tid]
            title = f"Ask HN: Who is hiring? ({NAMES[month.month - 1]} {month.year})"
            return 200, hn_item(tid, title, self._when(month), posts), {}
        return 404, {"status": 404, "error": "Not Found"}, {}


@pytest.fixture
def hn(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[tuple[HN, object]]:
    api = HN()
    with serve(api.route) as server:
        monkeypatch.setenv("FWATLAS_HN_API_URL", server.url)
        monkeypatch.setenv("FWATLAS_HTTP_BACKOFF", "0.01")
        monkeypatch.setenv("FWATLAS_HTTP_RETRIES", "1")
        yield api, server


def _framework_rows(db) -> dict[tuple[dt.date, str], tuple[int, int]]:
    con = open_atlas(db).con
    rows = con.execute(
        "SELECT period_start, subject, postings, total_posts FROM job_postings j JOIN snapshots "
        "s ON s.num = j.snapshot_id WHERE s.dataset = 'jobs/hn-algolia' AND subject_kind = "
        "'framework'").fetchall()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def test_posts_are_counted_per_framework_with_n(hn, db):
    api, server = hn
    old, m3, m2, m1 = dt.date(2023, 6, 1), _months_back(3), _months_back(2), _months_back(1)
    api.add(36152014, old, POSTS)          # before Keras 3: Keras posts are TensorFlow's
    api.add(900003, m3, POSTS[:4])
    api.add(900002, m2, [])                # a thread with 0 comments
    api.add(900001, m1, POSTS)
    api.broken.add(900003)                 # unreadable: 503 after retries
    api.others.append(hn_story(900009, "Ask HN: Who wants to be hired? (May 2026)",
                               dt.datetime(2026, 5, 1, 16), 300))
    result = refresh("jobs", db=db, date_from="2023-01", progress=False)
    [snap] = result.created
    assert snap.dataset == "jobs/hn-algolia"
    got = _framework_rows(db)
    n_old, c_old = expected(POSTS, keras3=False)
    n_new, c_new = expected(POSTS, keras3=True)
    assert {fw: v for (m, fw), v in got.items() if m == old} == {
        fw: (c, n_old) for fw, c in c_old.items()}
    assert {fw: v for (m, fw), v in got.items() if m == m1} == {
        fw: (c, n_new) for fw, c in c_new.items()}
    assert n_new == 7 and c_new == {"pytorch": 3, "tensorflow": 2, "jax": 2, "keras": 2}
    # the unreadable thread and the empty one are listed, nothing of theirs stored
    assert sorted(snap.skipped_items) == sorted([
        f"{m2:%Y-%m} (thread 900002): no posts yet (fetched again next time)",
        f"{m3:%Y-%m} (thread 900003): unreadable (HTTP 503)"])
    assert {m for m, _ in got} == {old, m1}
    # the other whoishiring posts are not fetched
    assert "/items/900009" not in server.paths()


def test_a_second_refresh_fetches_only_new_months(hn, db, cli):
    api, server = hn
    m3, m2, m1, m0 = (_months_back(i) for i in (3, 2, 1, 0))
    api.add(800003, m3, POSTS)
    api.add(800002, m2, [])
    run = cli("refresh", "jobs", "--from", f"{m3:%Y-%m}", "--db", str(db), "--json")
    assert run.code == 0, run.err
    assert sorted(server.paths("/items/")) == ["/items/800002", "/items/800003"]
    server.log.clear()
    api.threads[800002] = (m2, POSTS[:3])  # its posts have arrived
    api.add(800001, m1, POSTS[3:])
    api.add(800000, m0, POSTS[:2])
    run = cli("refresh", "jobs", "--from", f"{m3:%Y-%m}", "--db", str(db), "--json")
    assert run.code == 0, run.err
    assert sorted(server.paths("/items/")) == ["/items/800000", "/items/800001",
                                               "/items/800002"]
    out = run.json()
    assert out["created"][0]["skipped"] == 0
    assert any("1 month(s) already stored" in n for n in out["notes"])
    # the current month (fetched while it runs) is fetched again by a third refresh
    server.log.clear()
    run = cli("refresh", "jobs", "--from", f"{m3:%Y-%m}", "--db", str(db), "--json")
    assert run.code == 0, run.err
    assert server.paths("/items/") == ["/items/800000"]
    got = _framework_rows(db)
    assert got[(m2, "pytorch")] == (2, 3)


def test_jobs_signals_read_the_live_series_apart_from_the_extract(hn, db, cli):
    api, _ = hn
    api.add(700001, _months_back(1), POSTS)
    assert cli("refresh", "jobs", "--from", f"{_months_back(1):%Y-%m}", "--db",
               str(db)).code == 0
    run = cli("signals", "--metric", "jobs", "--db", str(db), "--json")
    assert run.code == 0, run.err
    series = {r["series"] for r in run.json()["rows"]}
    assert series == {"jobs/hn-algolia"}
    shares = {r["framework"]: r["share"] for r in run.json()["rows"]}
    _, counts = expected(POSTS, keras3=True)
    assert shares["pytorch"] == pytest.approx(counts["pytorch"] / sum(counts.values()))


def test_bad_from_is_exit_2(hn, db, cli):
    run = cli("refresh", "jobs", "--from", "last-year", "--db", str(db))
    assert run.code == 2 and "--from must be YYYY-MM" in run.err


def test_refresh_jobs_offline_is_exit_3_without_waiting_to_retry(cli, db):
    env = {"FWATLAS_HN_API_URL": f"http://127.0.0.1:{_closed_port()}",
           "FWATLAS_HTTP_RETRIES": "4", "FWATLAS_HTTP_BACKOFF": "60"}
    start = time.perf_counter()
    run = cli("refresh", "jobs", "--db", str(db), env=env)
    took = time.perf_counter() - start
    assert run.code == 3 and "unreachable" in run.err
    assert run.err.splitlines() == [run.err.strip()]
    assert took < 30, f"{took:.2f} s offline: it waited to retry (one backoff is 60 s)"
    assert store_counts(db) == ([], {})
