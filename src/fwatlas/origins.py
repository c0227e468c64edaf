"""Origins as a shared page, report or terminal table shows them: local paths as file names.

Below every front end (figures, report, web, CLI all use it), so that none of them has to
import another to hide the machine's directories.
"""

from __future__ import annotations

import re

_LOCAL_PATH = re.compile(r"(?:file://)?(?<![\w:/.~@-])(?:~|[A-Za-z]:)?[/\\](?:[^\s/\\'\"<>()]+[/\\])+"
                         r"([^\s/\\'\"<>(),;]+)")


def shown_origin(text: str | None) -> str:
    """An origin as a page or report shows it: a local file as its name only.

    Ingested files are recorded with their full path, and the store with its own; a page or a
    report shared with others must not reveal the machine's directories, so every local path
    becomes its file name (URLs and ``owner/repo@commit`` stay whole). ``--json`` keeps the
    full path for the person who ran the ingest.
    """
    if not text:
        return text or ""
    whole = text.strip()
    if whole.startswith("file://"):
        whole = whole[len("file://"):]
    if re.match(r"(~|[A-Za-z]:)?[/\\]", whole) and "\n" not in whole:  # the origin is a path
        return re.split(r"[/\\]", whole.rstrip("/\\"))[-1]
    return without_local_paths(text)


def without_local_paths(text: str) -> str:
    """Free text (an error line, a table cell, a figure's JSON or CSV) with every local path
    inside it shown as its file name: a probe's error names the environment's site-packages,
    and a shared page or report must not reveal the machine's directories. URLs stay whole."""
    if "/" not in text and "\\" not in text:  # no path can be inside (most table cells)
        return text
    text = re.sub(r"file://\S+", lambda m: re.split(r"[/\\]", m.group(0))[-1], text)
    return _LOCAL_PATH.sub(lambda m: m.group(1), text)
