"""A hostile label reaches no chart as markup (issue 15): a job site named with ``<b>``,
``<br>`` and a live link, rendered by headless Chromium in the report and the overview page,
is drawn as text – no bold, no line break, no link element."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

HOSTILE = '<b>BOLD</b><br><a href="https://evil.example/x">click</a>'


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from fwatlas.ingestion import ingest
    from tests.report.helpers import build_store

    tmp = tmp_path_factory.mktemp("labels")
    db = build_store(tmp)
    jobs = tmp / "sites.csv"
    quoted = HOSTILE.replace('"', '""')
    jobs.write_text("date,site,framework,postings\n" + "".join(
        f'2024-{m:02d},"{quoted}",{fw},{m * 10}\n' for m in range(1, 7)
        for fw in ("pytorch", "tensorflow")))
    ingest("jobs", jobs, db=db)
    return db


def _no_markup_in_charts(page) -> None:
    page.wait_for_selector(".js-plotly-plot .legend", timeout=30_000)
    found = page.evaluate("""() => {
        const plots = [...document.querySelectorAll('.js-plotly-plot')];
        const inside = sel => plots.flatMap(p => [...p.querySelectorAll(sel)]);
        return {
          links: inside('a').filter(a => (a.getAttribute('href') || '') +
                 (a.getAttribute('xlink:href') || '') !== '').length,
          bold: inside('tspan').filter(t => /bold/.test(t.getAttribute('style') || '')).length,
          hostileText: inside('text').filter(t => t.textContent.includes('<b>BOLD</b>')).length,
          brokenLines: inside('text').filter(t => t.textContent.includes('BOLD')
                       && t.querySelectorAll('tspan.line').length > 1).length,
        };
    }""")
    assert found["hostileText"] >= 1, found  # the label is there, as its literal text
    assert found["links"] == 0 and found["bold"] == 0 and found["brokenLines"] == 0, found


def test_the_report_draws_a_hostile_site_name_as_text(browser, hostile_store: Path,
                                                      tmp_path: Path) -> None:
    from fwatlas.report import write_report
    from fwatlas.store.atlas import open_atlas

    atlas = open_atlas(hostile_store)
    try:
        (html, *_) = write_report(atlas, tmp_path / "report.html", fmt="html",
                                  as_of=dt.date(2026, 11, 1))
    finally:
        atlas.close()
    assert "evil.example" in html.read_text()  # present, as data
    page = browser.new_page()
    try:
        page.goto(html.resolve().as_uri())
        page.locator("#ecosystem").scroll_into_view_if_needed()
        _no_markup_in_charts(page)
    finally:
        page.close()


def test_the_overview_page_draws_a_hostile_site_name_as_text(browser, hostile_store: Path
                                                             ) -> None:
    import socket
    import threading
    import time

    import uvicorn

    from fwatlas.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(hostile_store, as_of=dt.date(2026, 11, 1)),
                                        host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{port}/")
        _no_markup_in_charts(page)
    finally:
        page.close()
        srv.should_exit = True
        thread.join(timeout=10)
