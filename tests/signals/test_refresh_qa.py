"""`fwatlas refresh qa` against a Stack Exchange API stand-in on 127.0.0.1.

The stand-in holds a list of questions (creation time, tags) and answers every
``/questions?…&filter=total`` by counting them, with the quota and backoff fields the real API
sends; the test's expected counts are the distinct questions per framework, counted from the
same list with set logic (not inclusion-exclusion, which is what the fetcher does).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from fwatlas.refreshing import refresh
from fwatlas.sources import qa_fetch
from fwatlas.store.atlas import open_atlas
from tests.signals.conftest import store_counts
from tests.signals.live_apis import Hit, se_throttled, se_wrapper, serve
from tests.signals.test_fetch_offline import _closed_port

PATTERN = [["pytorch"], ["pytorch", "python"], ["tensorflow"], ["tensorflow", "keras"],
           ["keras"], ["keras", "pytorch"], ["jax"], ["jax", "tensorflow"], ["python"],
           ["tensorflow", "keras", "python"]]


def _months_back(n: int, start: dt.date | None = None) -> dt.date:
    day = (start or dt.datetime.now(dt.UTC).date()).replace(day=1)
    for _ in range(n):
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return day


def questions_for(months: list[dt.date]) -> list[tuple[int, frozenset[str]]]:
    """(creation timestamp, tags): the pattern repeated 1–3 times a month, mid-month."""
    out = []
    for m in months:
        for rep in range(m.month % 3 + 1):
            for i, tags in enumerate(PATTERN):
                when = dt.datetime(m.year, m.month, 10 + rep, 8, i, tzinfo=dt.UTC)
                out.append((int(when.timestamp()), frozenset(tags)))
    return out


def expected(qs: list[tuple[int, frozenset[str]]], month: dt.date, keras3: bool
             ) -> dict[str, tuple[int, int]]:
    """framework -> (distinct questions, site total) in ``month``, by set logic."""
    start = dt.datetime(month.year, month.month, 1, tzinfo=dt.UTC).timestamp()
    end = (dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=dt.UTC)
           .timestamp())
    inside = [tags for t, tags in qs if start <= t < end]
    groups = {"pytorch": {"pytorch"}, "jax": {"jax"}}
    if keras3:
        groups |= {"tensorflow": {"tensorflow"}, "keras": {"keras"}}
    else:
        groups["tensorflow"] = {"tensorflow", "keras"}
    return {fw: (sum(1 for tags in inside if tags & want), len(inside))
            for fw, want in groups.items()}


class StackExchange:
    def __init__(self, qs: list[tuple[int, frozenset[str]]]) -> None:
        self.questions = qs
        self.remaining = 300
        self.throttle_after: int | None = None  # answer throttle_violation after N requests
        self.backoff_on: set[int] = set()      # request numbers whose answer says backoff 1
        self.count = 0

    def route(self, hit: Hit) -> tuple[int, object, dict[str, str]]:
        assert hit.path == "/questions" and hit.query["filter"] == "total"
        self.count += 1
        if self.throttle_after is not None and self.count > self.throttle_after:
            return 400, se_throttled(), {}
        if self.remaining <= 0:
            return 400, se_throttled(), {}
        lo, hi = int(hit.query["fromdate"]), int(hit.query["todate"])
        want = set(hit.query["tagged"].split(";")) if "tagged" in hit.query else set()
        total = sum(1 for t, tags in self.questions if lo <= t <= hi and want <= tags)
        self.remaining -= 1
        return 200, se_wrapper(total, self.remaining,
                               backoff=1 if self.count in self.backoff_on else None), {}


@pytest.fixture
def se(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[StackExchange, object]]:
    months = [_months_back(i) for i in range(6)] + [dt.date(2023, 10, 1), dt.date(2023, 11, 1)]
    api = StackExchange(questions_for(months))
    with serve(api.route) as server:
        monkeypatch.setenv("FWATLAS_STACKEXCHANGE_API_URL", server.url)
        monkeypatch.setenv("FWATLAS_HTTP_BACKOFF", "0.01")
        monkeypatch.delenv("STACKEXCHANGE_KEY", raising=False)
        yield api, server


def _framework_rows(db, dataset: str = "qa/api-stackoverflow"
                    ) -> dict[tuple[dt.date, str], tuple[int, int]]:
    rows = open_atlas(db).con.execute(
        "SELECT period_start, subject, questions, total_questions FROM qa_counts q JOIN "
        "snapshots s ON s.num = q.snapshot_id WHERE s.dataset = ? AND subject_kind = "
        "'framework'", [dataset]).fetchall()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def test_distinct_questions_per_framework_with_n_and_backoff(se, db):
    api, server = se
    api.backoff_on = {1}
    since = _months_back(2)
    result = refresh("qa", db=db, date_from=f"{since:%Y-%m}", progress=False)
    [snap] = result.created
    assert snap.dataset == "qa/api-stackoverflow"
    got = _framework_rows(db)
    for m in (_months_back(2), _months_back(1), _months_back(0)):
        assert {fw: v for (mm, fw), v in got.items() if mm == m} == expected(
            api.questions, m, keras3=True)
    # one request per month for the total and one per tag: nothing else after Keras 3
    assert len(server.log) == 3 * 5
    assert all(h.query["site"] == "stackoverflow" for h in server.log)
    # the first answer asked for a 1 s backoff: the second request waited it out
    assert server.log[1].at - server.log[0].at >= 0.95
    assert any(n == "Stack Exchange quota left today: 285 of 300 requests"
               for n in result.notes)


def test_before_keras_3_tensorflow_counts_keras_questions_once(se, db, monkeypatch):
    api, server = se
    monkeypatch.setattr(qa_fetch, "today", lambda: dt.date(2023, 11, 20))
    refresh("qa", db=db, date_from="2023-10", progress=False)
    got = _framework_rows(db)
    for m in (dt.date(2023, 10, 1), dt.date(2023, 11, 1)):
        want = expected(api.questions, m, keras3=False)
        assert {fw: v for (mm, fw), v in got.items() if mm == m} == want
        assert (m, "keras") not in got
    # total, 4 tags, and tensorflow;keras for the union
    assert sorted(h.query.get("tagged", "") for h in server.log[:6]) == [
        "", "jax", "keras", "keras;tensorflow", "pytorch", "tensorflow"]


def test_current_month_is_partial_and_the_only_one_fetched_again(se, db, cli):
    api, server = se
    since = f"{_months_back(2):%Y-%m}"
    assert cli("refresh", "qa", "--from", since, "--db", str(db)).code == 0
    run = cli("signals", "--metric", "questions", "--db", str(db), "--json")
    partial = {(r["date"], r["partial"]) for r in run.json()["rows"]
               if r["series"] == "qa/api-stackoverflow"}
    assert partial == {(_months_back(2).isoformat(), False), (_months_back(1).isoformat(), False),
                       (_months_back(0).isoformat(), True)}
    server.log.clear()
    run = cli("refresh", "qa", "--from", since, "--db", str(db), "--json")
    assert run.code == 0, run.err
    start = int(dt.datetime.combine(_months_back(0), dt.time(), dt.UTC).timestamp())
    assert {int(h.query["fromdate"]) for h in server.log} == {start}
    assert any("2 month(s) already stored" in n for n in run.json()["notes"])


def test_quota_running_out_stores_whole_months_and_says_what_is_left(se, db, cli):
    api, server = se
    api.remaining = 7  # one month (5 requests) and two requests of the next
    run = cli("refresh", "qa", "--from", f"{_months_back(3):%Y-%m}", "--db", str(db),
              "--json")
    assert run.code == 0, run.err
    out = run.json()
    [snap] = out["created"]
    got = _framework_rows(db)
    assert {m for m, _ in got} == {_months_back(0)}  # newest first, only whole months
    [item] = out["skipped_items"]
    assert item.startswith("3 month(s) not fetched, quota exhausted")
    assert f"{_months_back(3):%Y-%m} … {_months_back(1):%Y-%m}" in item
    assert "Stack Exchange quota left today: 0 of 300 requests" in out["notes"]
    assert len(server.log) == 7  # nothing asked once the quota said 0


def test_throttle_violation_ends_the_refresh_and_keeps_what_came(se, db):
    api, server = se
    api.throttle_after = 5
    result = refresh("qa", db=db, date_from=f"{_months_back(1):%Y-%m}", progress=False)
    [snap] = result.created
    assert snap.skipped_items[0].startswith("1 month(s) not fetched, quota exhausted (too many "
                                            "requests from this IP")
    assert len(server.log) == 6


def test_quota_spent_before_anything_came_is_exit_3(se, db, cli):
    api, _ = se
    api.remaining = 0
    run = cli("refresh", "qa", "--site", "datascience", "--from",
              f"{_months_back(1):%Y-%m}", "--db", str(db))
    assert run.code == 3 and "quota exhausted" in run.err
    assert store_counts(db) == ([], {})


def test_site_is_checked_and_key_is_sent(se, db, cli, monkeypatch):
    _, server = se
    run = cli("refresh", "qa", "--site", "superuser", "--db", str(db))
    assert run.code == 2 and "--site must be one of stackoverflow, datascience" in run.err
    monkeypatch.setenv("STACKEXCHANGE_KEY", "k3y((")
    result = refresh("qa", db=db, site="datascience", date_from=f"{_months_back(0):%Y-%m}",
                              progress=False)
    assert result.created[0].dataset == "qa/api-datascience"
    assert {h.query.get("key") for h in server.log} == {"k3y(("}
    assert {h.query["site"] for h in server.log} == {"datascience"}


def test_refresh_qa_offline_is_exit_3_without_waiting_to_retry(cli, db):
    env = {"FWATLAS_STACKEXCHANGE_API_URL": f"http://127.0.0.1:{_closed_port()}",
           "FWATLAS_HTTP_RETRIES": "4", "FWATLAS_HTTP_BACKOFF": "60"}
    start = time.perf_counter()
    run = cli("refresh", "qa", "--db", str(db), env=env)
    took = time.perf_counter() - start
    assert run.code == 3 and "unreachable" in run.err
    assert run.err.splitlines() == [run.err.strip()]
    assert took < 30, f"{took:.2f} s offline: it waited to retry (one backoff is 60 s)"
    assert store_counts(db) == ([], {})
