"""`fwatlas refresh all`: every fetcher, one line per kind, exit 3 only when all were unreachable;
and `fwatlas status` names the refresh command of every kind that has a fetcher."""

from __future__ import annotations

import contextlib
import datetime as dt
import time

from fwatlas import kinds
from tests.signals.conftest import store_counts
from tests.signals.live_apis import serve
from tests.signals.test_fetch_offline import _closed_port
from tests.signals.test_refresh_github import GitHub
from tests.signals.test_refresh_jobs import HN, POSTS
from tests.signals.test_refresh_jobs import _months_back as months_back
from tests.signals.test_refresh_qa import StackExchange, questions_for


def _offline(tmp_path) -> dict[str, str]:
    url = f"http://127.0.0.1:{_closed_port()}"
    return {"FWATLAS_PYPI_URL": url, "FWATLAS_NPM_URL": url, "FWATLAS_CACHE": str(tmp_path),
            "FWATLAS_TOP_PYPI_URL": f"{url}/top-pypi-packages.min.json",
            "FWATLAS_GITHUB_API_URL": url, "FWATLAS_HN_API_URL": url,
            "FWATLAS_STACKEXCHANGE_API_URL": url,
            # one retry would take 30 s: the bound below holds on a loaded machine too
            "FWATLAS_HTTP_RETRIES": "4", "FWATLAS_HTTP_BACKOFF": "30"}


def test_every_kind_unreachable_is_exit_3_fast(cli, db, tmp_path):
    start = time.perf_counter()
    run = cli("refresh", "all", "--db", str(db), env=_offline(tmp_path))
    took = time.perf_counter() - start
    assert run.code == 3, run.out + run.err
    assert run.err.startswith("fwatlas: error: every source was unreachable")
    for kind in ("hub", "registry", "pypi-downloads", "github", "jobs", "qa"):
        assert f"{kind}: " in run.err
    assert took < 25.0, f"{took:.1f} s offline"
    assert store_counts(db) == ([], {})


def test_one_line_per_kind_and_exit_0_when_some_answer(cli, db, tmp_path):
    env = _offline(tmp_path)
    hn, se = HN(), StackExchange(questions_for([months_back(i) for i in range(3)]))
    hn.add(600002, months_back(2), POSTS)
    hn.add(600001, months_back(1), POSTS[:3])
    se.remaining = 11  # two months of five requests, then the quota is spent
    with contextlib.ExitStack() as stack:
        gh_server = stack.enter_context(serve(GitHub().route))
        hn_server = stack.enter_context(serve(hn.route))
        se_server = stack.enter_context(serve(se.route))
        env |= {"FWATLAS_GITHUB_API_URL": gh_server.url, "FWATLAS_HN_API_URL": hn_server.url,
                "FWATLAS_STACKEXCHANGE_API_URL": se_server.url,
                "FWATLAS_HTTP_BACKOFF": "0.01"}
        run = cli("refresh", "all", "--db", str(db), "--json", env=env)
        assert run.code == 0, run.err
        rows = {r["kind"]: r for r in run.json()["rows"]}
        table = cli("refresh", "all", "--db", str(db), env=env)
    assert set(rows) == {k for k, s in kinds.KINDS.items() if s.refresh_module and s.in_refresh_all}
    assert not {"paper-code", "repos"} & set(rows)  # they need a venue, or follow stored links
    assert {k: r["state"] for k, r in rows.items() if k in ("hub", "registry",
                                                           "pypi-downloads")} == {
        "hub": "unreachable", "registry": "unreachable", "pypi-downloads": "unreachable"}
    assert (rows["github"]["state"], rows["github"]["rows"], rows["github"]["new_periods"]) == (
        "ok", 4, 1)
    # jobs: 2 months × (4 frameworks + the terms the posts name)
    assert rows["jobs"]["state"] == "ok" and rows["jobs"]["new_periods"] == 2
    # qa: the current month and the one before came before the quota ran out
    assert rows["qa"]["new_periods"] == 2 and rows["qa"]["skipped"] == 1
    assert any("quota left today: 0 of 300" in n for n in rows["qa"]["notes"])
    # the second run: github's same-day answer is already stored, jobs has nothing new
    assert table.code == 0, table.err
    lines = [ln for ln in table.out.splitlines() if not ln.startswith("  ")]
    assert len(lines) == len(rows)
    by_kind = {ln.split(":", 1)[0]: ln for ln in lines}
    assert "0 new periods" in by_kind["jobs"] and "nothing new" in by_kind["jobs"]
    assert by_kind["github"].startswith("github: 0 rows") and "already stored" in \
        by_kind["github"]
    assert by_kind["hub"].startswith("hub: unreachable")


def test_options_do_not_go_with_all(cli, db):
    run = cli("refresh", "all", "--limit", "3", "--db", str(db))
    assert run.code == 2 and "No such option: --limit" in run.err


def test_an_option_of_another_kind_is_refused(cli, db):
    run = cli("refresh", "github", "--site", "datascience", "--db", str(db))
    assert run.code == 2 and "No such option: --site" in run.err
    run = cli("refresh", "qa", "--history", "--db", str(db))
    assert run.code == 2 and "No such option: --history" in run.err


def test_status_names_the_refresh_command_of_every_kind_with_a_fetcher(cli, db):
    run = cli("status", "--db", str(db), "--json", "--as-of", dt.date.today().isoformat())
    assert run.code == 0, run.err
    commands = {r["kind"]: r["refresh"] for r in run.json()["rows"]}
    fetchers = {k: s.refresh_hint for k, s in kinds.KINDS.items() if s.refresh_module}
    assert {"github", "jobs", "qa", "hub", "registry", "pypi-downloads"} <= set(fetchers)
    for kind, hint in fetchers.items():
        assert hint == f"fwatlas refresh {kind}"
        assert commands[kind].startswith(hint), (kind, commands[kind])
