"""Reading a rendered page back with the standard library (no fwatlas code)."""

from __future__ import annotations

import json
import re
import urllib.parse
from html.parser import HTMLParser
from typing import Any


class PageParser(HTMLParser):
    """Collects figure JSON, CSV download links, script srcs, element ids and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: dict[str, Any] = {}
        self.csv: dict[str, str] = {}
        self.script_srcs: list[str] = []
        self.inline_scripts = 0
        self.ids: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._json_id: str | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "script":
            if a.get("src"):
                self.script_srcs.append(str(a["src"]))
            elif a.get("type") == "application/json":
                self._json_id = str(a.get("id"))
                self._buf = []
            else:
                self.inline_scripts += 1
        if tag == "a" and a.get("download") and str(a.get("href", "")).startswith("data:"):
            href = str(a["href"])
            self.csv[str(a["download"])] = urllib.parse.unquote(href.split(",", 1)[1])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._json_id is not None:
            self.figures[self._json_id.removeprefix("data-")] = json.loads("".join(self._buf))
            self._json_id = None

    def handle_data(self, data: str) -> None:
        if self._json_id is not None:
            self._buf.append(data)
        else:
            self.text.append(data)


def parse(html: str) -> PageParser:
    p = PageParser()
    p.feed(html)
    p.close()
    return p


def section_order(html: str) -> list[str]:
    return re.findall(r'<section class="section" id="([a-z-]+)"', html)
