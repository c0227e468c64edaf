"""`fwatlas report --format md`: Markdown with PNGs beside it, or exit 3 without a browser."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.report.helpers import IMG, SCRIPT


def test_without_a_browser_md_exits_3_and_writes_nothing_while_html_works(tmp_path):
    env = {"BROWSER_PATH": str(tmp_path / "no-such-chromium")}
    md = tmp_path / "out" / "report.md"
    r = run_cli("report", "-o", str(md), "--format", "md", "--db",
                str(tmp_path / "x.duckdb"), env=env)
    assert r.code == 3
    assert "browser" in r.err and len(r.err.strip().splitlines()) == 1
    assert not md.exists() and not (tmp_path / "out" / "report_files").exists()
    html = tmp_path / "report.html"
    r = run_cli("report", "-o", str(html), "--db", str(tmp_path / "x.duckdb"), env=env)
    assert r.code == 0 and html.exists()


@pytest.mark.browser
def test_md_writes_pngs_and_escapes_external_strings(tmp_path, hostile_store):
    if not Path("/usr/bin/chromium").exists() and not shutil.which("chromium"):
        pytest.skip("no Chromium: /usr/bin/chromium is absent (apt-get install chromium)")
    pytest.importorskip("kaleido", reason="kaleido (the report extra) is not installed")
    md = tmp_path / "report.md"
    r = run_cli("report", "-o", str(md), "--format", "md", "--db", str(hostile_store),
                "--as-of", "2026-11-01")
    assert r.code == 0, r.err
    text = md.read_text(encoding="utf-8")
    folder = tmp_path / "report_files"
    pngs = sorted(folder.glob("*.png"))
    assert pngs, "no figures written"
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"report_files/{png.name}" in text
        assert (folder / f"{png.stem}.csv").exists()
    assert SCRIPT not in text and IMG not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert [line for line in text.splitlines() if line.startswith("## ")][:6] == [
        "## Scorecard: who leads each round today",
        "## 1. Model availability", "## 2. Research adoption", "## 3. Deployment",
        "## 4. Ecosystem", "## 5. Advice"]
