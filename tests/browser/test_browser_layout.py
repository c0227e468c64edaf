"""Every page and the report, as a person sees them at 1280 px and on a 390 px phone: nothing
wider than the screen, chart titles whole, axis titles present, no console error, no local
path in the HTML; /docs works with nothing but this server."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shot
from tests.conftest import run_cli

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)

#: what a page must satisfy, measured in the browser
PROBE = r"""() => {
  const vw = document.documentElement.clientWidth;
  const figs = [...document.querySelectorAll('[data-figure]')].map(d => {
    const box = d.getBoundingClientRect();
    const t = d.querySelector('.gtitle');
    const tb = t ? t.getBoundingClientRect() : null;
    const L = d.layout || {};
    const title = k => (L[k] && L[k].title && L[k].title.text) || '';
    const cartesian = !!d.querySelector('.xtick');
    // a numeric axis names its unit: "share of models (%)", "latency (ms, median)"; a
    // category, date or year axis is its own unit
    const F = d._fullLayout || {};
    const unitless = Object.keys(F).filter(k => /^[xy]axis\d*$/.test(k))
      .filter(k => ['linear', 'log'].includes(F[k].type) && F[k].visible !== false)
      .map(k => (F[k].title && F[k].title.text) || '')
      .filter(s => !/\(.+\)\s*$/.test(s) && !['year', 'quarter', 'date'].includes(s));
    return {id: d.id, title: t ? t.textContent : '', unitless,
            clipped: !!tb && (tb.right > box.right + 1 || tb.left < box.left - 1),
            axes: !cartesian || (!!title('xaxis') && !!title('yaxis'))};
  });
  return {scroll: document.documentElement.scrollWidth, vw, figs};
}"""

PAGES = {
    "overview": ["/", "/verdict?as_of=2026-11-01", "/status", "/snapshots"],
    "hub": ["/availability", "/availability?by=task", "/coverage", "/model",
            "/model/org/pt-jax"],
    "research": ["/research", "/research?evidence=code", "/migration", "/trends/pwc",
                 "/trends/repos", "/facts"],
    "kb": ["/deployment", "/probe/results", "/kb", "/kb/changes", "/kb/torchserve"],
    "signals": ["/signals?metric=jobs", "/signals?metric=jobs&share=true&by=package",
                "/vitality", "/support", "/compare"],
    # the advisor's answers: a trace whose evidence lines carry long URLs
    "advisor": ["/advisor", "/advisor?persona=industry&target=mobile&need=audio-video",
                "/advisor?persona=researcher",
                "/advisor?persona=beginner&existing=tensorflow&target=mobile&target=browser"],
}


def _context(browser, width):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    pg = ctx.new_page()
    pg.problems = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    return ctx, pg


def _check(pg, where: str, width: int, private: str) -> None:
    pg.wait_for_function("[...document.querySelectorAll('[data-figure]')]"
                         ".every(d => d.data && d._fullLayout && d.dataset.fitted)")
    got = pg.evaluate(PROBE)
    assert got["scroll"] <= width, f"{where} at {width} px is {got['scroll']} px wide"
    for f in got["figs"]:
        assert f["title"], f"{where}: {f['id']} has no title"
        assert not f["clipped"], f"{where} at {width} px: title of {f['id']} is cut"
        assert f["axes"], f"{where}: {f['id']} lacks an axis title"
        assert f["unitless"] == [], f"{where}: {f['id']} axis titles without a unit"
    assert private not in pg.content(), f"{where} shows a local path"
    assert pg.problems == [], f"{where} at {width} px: {pg.problems}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("group", list(PAGES))
def test_every_page_fits_the_screen(browser, server, store, group, width):
    ctx, pg = _context(browser, width)
    private = str(store.parent)
    for path in PAGES[group]:
        pg.problems.clear()
        pg.goto(server + path)
        pg.wait_for_load_state("load")
        _check(pg, path, width, private)
    shot(pg, f"layout-{group}-{width}", full_page=True)
    ctx.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_report_fits_the_screen(browser, store, tmp_path, width):
    out = tmp_path / "report.html"
    r = run_cli("report", "-o", str(out), "--db", str(store), "--as-of", "2026-11-01")
    assert r.code == 0, r.err
    ctx, pg = _context(browser, width)
    pg.goto(out.as_uri())
    _check(pg, "the report", width, str(store.parent))
    # the sources: one row per dataset, the licence on screen without scrolling sideways
    licence = pg.locator("#credits td[data-label=licence]").first.bounding_box()
    assert licence is not None and licence["x"] + licence["width"] <= width
    shot(pg, f"layout-report-{width}", full_page=True)
    ctx.close()


def test_docs_load_with_nothing_but_this_server(browser, server):
    ctx, pg = _context(browser, 1280)
    outside: list[str] = []

    def only_here(route):
        if route.request.url.startswith(server) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    pg.route("**/*", only_here)
    pg.goto(server + "/docs")
    pg.wait_for_selector(".opblock", timeout=30_000)
    assert pg.locator(".opblock").count() >= 15  # one per /api path
    assert outside == [] and pg.problems == []
    shot(pg, "docs")
    ctx.close()
