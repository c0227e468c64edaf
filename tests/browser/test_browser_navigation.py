"""The navigation and the forms as a person uses them: on a 390 px phone every page is one tap
away in the "Pages" menu (finger-sized rows inside the screen), on a wide screen it is a row of
links; the signals page's share control switches the grid to shares, kept in the URL."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from fwatlas.web.views import navigation
from tests.browser.conftest import JOBS, shot

pytestmark = pytest.mark.browser


def _new(browser, width):
    ctx = browser.new_context(viewport={"width": width, "height": 844})
    pg = ctx.new_page()
    pg.problems = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    return ctx, pg


def test_on_a_phone_every_page_is_one_tap_away(browser, server):
    ctx, pg = _new(browser, 390)
    pages = navigation()
    pg.goto(server + "/status")
    assert not pg.locator("header.top nav.pages").is_visible()  # the wide row is hidden
    menu = pg.locator("#pages-menu summary")
    assert menu.is_visible() and menu.inner_text() == "Pages: Status"
    menu.click()
    links = pg.locator("nav.pages-phone a")
    assert links.count() == len(pages)
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    for (_href, label), box in zip(pages, boxes, strict=True):
        assert box is not None, label
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, label  # inside the screen
        assert box["height"] >= 40 and box["width"] >= 120, (label, box)  # a finger's target
    for a, b in zip(boxes, boxes[1:], strict=False):  # rows of two, never on top of each other
        assert a["y"] + a["height"] <= b["y"] + 1 or a["x"] + a["width"] <= b["x"] + 1
    shot(pg, "nav-phone-open")
    for href, label in pages:  # each link, tapped from the menu, opens its page
        if not pg.evaluate("document.getElementById('pages-menu').open"):
            pg.locator("#pages-menu summary").click()  # a new page: the menu starts closed
        pg.locator("nav.pages-phone a", has_text=re.compile(f"^{re.escape(label)}$")).click()
        pg.wait_for_url(server + href)
        assert pg.locator("#pages-menu summary").inner_text() == f"Pages: {label}", href
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390, href
    assert pg.problems == []
    ctx.close()


def test_on_a_wide_screen_the_navigation_is_a_row_of_links(browser, server):
    ctx, pg = _new(browser, 1280)
    pg.goto(server + "/signals")
    assert not pg.locator("#pages-menu").is_visible()
    row = pg.locator("header.top nav.pages a")
    assert row.count() == len(navigation())
    assert all(row.nth(i).is_visible() for i in range(row.count()))
    assert pg.locator("header.top nav.pages a[aria-current=page]").inner_text() == "Signals"
    ctx.close()


def _api(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as r:  # noqa: S310 - loopback test server
        return json.loads(r.read())


def _grid(pg) -> list[list[str]]:
    table = pg.locator("table.series").first
    return [[c.strip() for c in row.split("\t")]
            for row in table.locator("tbody tr").all_inner_texts()]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_share_control_shows_shares_and_stays_in_the_url(browser, server, width):
    ctx, pg = _new(browser, width)
    pg.goto(server + "/signals?metric=jobs")
    heads = pg.locator("table.series thead th").all_inner_texts()
    values = _grid(pg)
    # values as ingested (the test's own table), one row per month
    col = {h: i for i, h in enumerate(heads)}
    assert len(values) == 12
    for row in values:
        month = int(row[0][5:7])
        for fw in ("pytorch", "tensorflow", "jax"):
            assert row[col[fw]] == str(JOBS[(month, fw)]), (row, fw)
    pg.check("input[name=share]")
    pg.click("#view-form button")
    pg.wait_for_url(re.compile(r".*share=true.*"))
    assert pg.locator("input[name=share]").is_checked()  # the state is in the URL and the form
    shares = _grid(pg)
    api = _api(server + "/api/signals?metric=jobs")
    want = {(r["date"], r["framework"]): r["share"] for r in api["rows"]}
    for row in shares:
        for fw in ("pytorch", "tensorflow", "jax"):
            total = sum(JOBS[(int(row[0][5:7]), f)] for f in ("pytorch", "tensorflow", "jax"))
            mine = JOBS[(int(row[0][5:7]), fw)] / total  # computed here, from the inputs
            assert row[col[fw]] == f"{100 * mine:.1f}%", (row, fw)
            assert want[(row[0], fw)] == pytest.approx(mine)
    # the JSON link is the CLI's --json, the same with or without --share
    href = pg.get_attribute("#view-json", "href")
    assert "share" not in href
    assert "fwatlas signals --metric jobs --share --json" in pg.inner_text("main .sub")
    assert pg.evaluate("document.documentElement.scrollWidth") <= width
    shot(pg, f"signals-share-{width}", full_page=True)
    ctx.close()
