"""Charts as a person reads them at 1280 px and on a 390 px phone: heatmap cell text at least
10 px (or none: the hover and the table below say it), no label on another label or on the
chart title (source breaks), no legend on the tick labels or the axis title, no y-axis title
running into the chart title. Measured on the drawn SVG, in Debian's Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import shot
from tests.cli.full_store import build_full_store
from tests.conftest import run_cli

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)
DRAWN = ("[...document.querySelectorAll('[data-figure]')]"
         ".every(d => d.data && d._fullLayout && d.dataset.fitted)")

PROBE = r"""() => {
  const ov = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 &&
                       a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const box = n => n.getBoundingClientRect();
  const shown = n => { const b = box(n); return b.width > 0 && b.height > 0 ? b : null; };
  const all = (d, sel) => [...d.querySelectorAll(sel)].map(shown).filter(Boolean);
  const out = [];
  for (const d of document.querySelectorAll('[data-figure]')) {
    const problems = [];
    for (const t of d.querySelectorAll('.hm text')) {
      const px = parseFloat(getComputedStyle(t).fontSize);
      if (t.textContent && px < 10) { problems.push(`heatmap text ${px} px`); break; }
    }
    const title = all(d, '.gtitle');
    const notes = all(d, '.annotation');
    notes.forEach((a, i) => {
      if (notes.slice(i + 1).some(b => ov(a, b))) problems.push('two labels overlap');
      if (title.some(t => ov(a, t))) problems.push('a label on the title');
    });
    const legend = all(d, '.legend');
    const ticks = all(d, '.xtick text');
    const xtitle = all(d, '.g-xtitle text');
    const ytitle = all(d, '.g-ytitle text');
    if (legend.some(l => ticks.some(t => ov(l, t)))) problems.push('legend on tick labels');
    if (legend.some(l => xtitle.some(t => ov(l, t)))) problems.push('legend on the x title');
    if (title.some(t => ytitle.some(y => ov(t, y)))) problems.push('y title on the title');
    out.push({id: d.id, problems});
  }
  return out;
}"""


def _problems(browser, url: str, width: int, name: str) -> list[str]:
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    pg = ctx.new_page()
    pg.goto(url)
    pg.wait_for_function(DRAWN)
    got = pg.evaluate(PROBE)
    shot(pg, f"overlaps-{name}-{width}", full_page=True)
    ctx.close()
    assert got, f"{url}: no figure drawn"
    return [f"{f['id']} at {width} px: {p}" for f in got for p in f["problems"]]


@pytest.fixture(scope="module")
def full_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("overlaps")
    db = build_full_store(tmp)
    out = tmp / "report.html"
    r = run_cli("report", "-o", str(out), "--db", str(db), "--as-of", "2026-11-01")
    assert r.code == 0, r.err
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_report_charts_have_no_overlap_and_readable_heatmap_text(browser, full_report, width):
    html = full_report.read_text(encoding="utf-8")
    # the charts this test is about are there: breaks on the downloads chart, the personas
    # heatmap, the coverage chart with its rotated release labels
    assert "source break" in html and "advice-personas" in html
    assert "availability-transformers-coverage" in html
    assert _problems(browser, full_report.as_uri(), width, "report") == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["/deployment", "/availability", "/signals?metric=jobs",
                                  "/advisor?persona=industry"])
def test_page_charts_have_no_overlap(browser, server, path, width):
    name = path.strip("/").split("?")[0] or "overview"
    assert _problems(browser, server + path, width, name) == []
