"""In a real browser: figures render with the analysis' numbers, no console errors, forms work,
hostile strings stay text. Screenshots are saved to test-artifacts/."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from tests.browser.conftest import shot
from tests.conftest import run_cli
from tests.report.helpers import IMG, SCRIPT

pytestmark = pytest.mark.browser

F1_TAGS = """() => {
  const div = document.getElementById('fig-availability-f1');
  const t = div.data.find(t => t.name === 'method: tags');
  return {y: t.y, drawn: div.querySelectorAll('.main-svg').length};
}"""


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as r:  # noqa: S310 - loopback test server
        return json.loads(r.read())


def _plotted(page) -> list[str]:
    """Ids of figure divs Plotly has drawn into (an SVG inside, data attached)."""
    return page.evaluate("""() => [...document.querySelectorAll('[data-figure]')]
        .filter(d => d.data && d.querySelector('.main-svg')).map(d => d.id)""")


def test_report_file_renders_every_figure_with_the_analysis_numbers(page, store, tmp_path):
    out = tmp_path / "report.html"
    r = run_cli("report", "-o", str(out), "--db", str(store), "--as-of", "2026-11-01")
    assert r.code == 0, r.err
    page.goto(out.as_uri())
    page.wait_for_function("document.querySelectorAll('[data-figure]').length > 0 && "
                           "[...document.querySelectorAll('[data-figure]')].every(d => d.data)")
    expected = run_cli("availability", "--db", str(store), "--json").json()
    got = page.evaluate(F1_TAGS)
    assert got["drawn"] >= 1
    assert got["y"][:3] == pytest.approx(
        [expected["share_exclusive"][f] for f in ("pytorch", "tensorflow", "jax")])
    ids = page.evaluate("[...document.querySelectorAll('[data-figure]')].map(d => d.id)")
    assert sorted(_plotted(page)) == sorted(ids)
    assert page.problems == []
    shot(page, "report-light", full_page=True)


def test_report_in_dark_mode_uses_light_text(browser, store, tmp_path):
    out = tmp_path / "report.html"
    assert run_cli("report", "-o", str(out), "--db", str(store)).code == 0
    ctx = browser.new_context(color_scheme="dark", viewport={"width": 390, "height": 844})
    pg = ctx.new_page()
    pg.goto(out.as_uri())
    pg.wait_for_function("document.getElementById('fig-availability-f1').data")
    colour = pg.evaluate("getComputedStyle(document.body).color")
    font = pg.evaluate("document.getElementById('fig-availability-f1').layout.font.color")
    assert colour == font and colour != "rgb(29, 35, 41)"  # the page's dark-mode text colour
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1  # nothing wider than a phone's screen
    shot(pg, "report-dark-phone", full_page=True)
    ctx.close()


def test_served_overview_draws_the_live_figures(page, server):
    page.goto(server + "/")
    page.wait_for_function("document.getElementById('fig-availability-f1') && "
                           "document.getElementById('fig-availability-f1').data")
    api = _get_json(server + "/api/availability")
    got = page.evaluate(F1_TAGS)
    assert got["y"][:3] == pytest.approx(
        [api["share_exclusive"][f] for f in ("pytorch", "tensorflow", "jax")])
    page.wait_for_function("[...document.querySelectorAll('[data-figure]')].every(d => d.data)")
    assert len(_plotted(page)) == page.evaluate(
        "document.querySelectorAll('[data-figure]').length")
    assert page.problems == []  # no console error, no CSP violation
    shot(page, "web-overview", full_page=True)


def test_model_search_box_finds_a_model(page, server):
    page.goto(server + "/model")
    page.fill("input[name=q]", "org/pt-jax")
    page.click("#model-search button")
    page.wait_for_url("**/model/org/pt-jax")
    info = page.inner_text("#model-info")
    assert "pytorch, jax" in info and "text-generation" in info
    assert page.problems == []
    shot(page, "web-model-lookup")
    page.fill("input[name=q]", "org/pt-jaxx")
    page.click("#model-search button")
    page.wait_for_selector("#model-error")
    assert "org/pt-jax" in page.inner_text("#model-error")
    # the unknown model's page is a 404, which the browser logs; nothing else may be logged
    assert page.problems == ["console: Failed to load resource: the server responded with a "
                             "status of 404 (Not Found)"]


def test_advisor_form_gives_the_apis_answer_and_trace(page, server):
    page.goto(server + "/advisor")
    page.select_option("select[name=persona]", "industry")
    page.select_option("select[name=target]", ["mobile"])
    page.select_option("select[name=need]", ["audio-video"])
    page.click("#advisor-form button")
    page.wait_for_selector("#advice-recommendation")
    api = _get_json(server + "/api/advise?persona=industry&target=mobile&need=audio-video")
    assert page.inner_text("#advice-recommendation") == api["recommendation"]
    trace = page.inner_text("#advice-trace")
    assert api["reasons"][0]["rule"] in trace
    assert page.problems == []
    shot(page, "web-advisor", full_page=True)


@pytest.mark.parametrize("path", [
    "/", "/model/" + urllib.parse.quote(f"evil/{SCRIPT}", safe="/"),
    "/model/" + urllib.parse.quote(f"evil/x{IMG}", safe="/"), "/research", "/deployment"])
def test_hostile_strings_stay_text_in_the_browser(page, server, path):
    page.goto(server + path)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"], img[onerror]').length") == 0
    assert not any(p.startswith("dialog") for p in page.problems)
    if "evil" in path:
        assert ("evil/" + (SCRIPT if "script" in path else "x" + IMG)) in page.inner_text(
            "#model-info caption")
