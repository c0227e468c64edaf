"""Headless Chromium (Debian's) driven by Playwright, a served app on a loopback port.

Never ``playwright install``: the browser is ``/usr/bin/chromium``; without it these tests skip
with that reason. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.report.helpers import build_store

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright (the test extra) is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A page that records console errors, page errors and dialogs (an alert = a failure)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    pg.problems = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: pg.problems.append(f"console: {m.text}")
          if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"pageerror: {e}"))

    def on_dialog(d):
        pg.problems.append(f"dialog: {d.message}")
        d.dismiss()

    pg.on("dialog", on_dialog)
    yield pg
    context.close()


def shot(pg, name: str, **kw) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), **kw)


#: monthly job posts per framework (one site), so the signals page has a chart and a grid
JOBS = {(m, fw): n for m in range(1, 13)
        for fw, n in (("pytorch", 40 + 5 * m), ("tensorflow", 60 - 2 * m), ("jax", m))}


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from fwatlas.ingestion import ingest

    tmp = tmp_path_factory.mktemp("browser")
    db = build_store(tmp, papers=True)
    jobs = tmp / "jobs.csv"
    jobs.write_text("date,site,framework,postings\n" + "".join(
        f"2025-{m:02d},example-jobs,{fw},{n}\n" for (m, fw), n in sorted(JOBS.items())))
    ingest("jobs", jobs, db=db)
    return db


@pytest.fixture(scope="session")
def server(store: Path):
    """``fwatlas serve``'s app under uvicorn (one worker) on a free loopback port."""
    import uvicorn

    from fwatlas.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(store, as_of=AS_OF), host="127.0.0.1", port=port,
                            log_level="warning", workers=1)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
