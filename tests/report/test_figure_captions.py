"""Every chart caption, in the report and on the web pages, names its source and its data date
and offers the data for download – read back from the HTML with the standard library."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.cli.full_store import build_full_store
from tests.conftest import run_cli

DATE = re.compile(r"\b(19|20)\d{2}-(0[1-9]|1[0-2])(-\d{2})?\b")


class Captions(HTMLParser):
    """Each <figcaption>'s text and whether it holds a 'Download the data' link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.captions: list[dict[str, object]] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "figcaption":
            self._inside = True
            self.captions.append({"text": "", "download": False})
        elif tag == "a" and self._inside and dict(attrs).get("href"):
            self.captions[-1]["link"] = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "figcaption":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            cap = self.captions[-1]
            cap["text"] = str(cap["text"]) + data
            if "Download the data" in data and cap.get("link"):
                cap["download"] = True


def _check(html: str, where: str) -> int:
    p = Captions()
    p.feed(html)
    for cap in p.captions:
        text = " ".join(str(cap["text"]).split())
        assert DATE.search(text), f"{where}: a caption without a data date: {text[:200]}"
        assert re.search(r"\bSources?: \S", text), f"{where}: a caption without a source: " \
                                                   f"{text[:200]}"
        assert cap["download"], f"{where}: a caption without 'Download the data': {text[:200]}"
    return len(p.captions)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_full_store(tmp_path_factory.mktemp("captions"))


def test_every_report_caption_names_its_source_and_data_date(store: Path, tmp_path: Path):
    out = tmp_path / "report.html"
    r = run_cli("report", "-o", str(out), "--db", str(store), "--as-of", "2026-11-01")
    assert r.code == 0, r.err
    assert _check(out.read_text(encoding="utf-8"), "the report") >= 15


@pytest.mark.parametrize("path", ["/availability", "/research", "/deployment",
                                  "/signals?metric=downloads", "/"])
def test_every_page_caption_names_its_source_and_data_date(store: Path, path: str):
    from fastapi.testclient import TestClient

    from fwatlas.web.app import create_app

    with TestClient(create_app(store, as_of=dt.date(2026, 11, 1))) as c:
        r = c.get(path)
    assert r.status_code == 200
    assert _check(r.text, path) >= 1
