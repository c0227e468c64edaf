"""One spelling per repository URL, so scans and paper records can be joined.

``git@github.com:Owner/Repo.git``, ``https://www.github.com/owner/repo/``,
``git+https://github.com/owner/repo.git@v1`` and ``https://github.com/owner/repo/tree/main``
all become ``github.com/owner/repo``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: Hosts where a repository is exactly ``host/owner/name`` (deeper paths are pages inside it).
FORGES = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})
_SCP = re.compile(r"^(?:[\w.\-]+@)?([\w.\-]+):(?!//)(.+)$")


def normalize_repo_url(url: str | None) -> str | None:
    """``host/owner/name`` for forge URLs, ``host/path`` otherwise; None if not a URL."""
    if not url:
        return None
    text = url.strip()
    text = re.sub(r"^git\+", "", text)
    if "://" not in text:
        m = _SCP.match(text)
        if not m:
            if re.match(r"^[\w.\-]+\.[a-z]{2,}/", text, re.I):
                text = "https://" + text
            else:
                return None
        else:
            text = f"ssh://{m.group(1)}/{m.group(2)}"
    parts = urlsplit(text)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host or "." not in host:
        return None
    path = parts.path.split("@", 1)[0] if host in FORGES else parts.path
    segments = [s for s in path.split("/") if s]
    if host in FORGES:
        if len(segments) < 2:
            return None
        segments = segments[:2]
    if segments:
        segments[-1] = segments[-1].removesuffix(".git")
    if not segments:
        return None
    return "/".join([host, *segments]).lower()


_PREFERRED = ("source", "repository", "code", "source code", "github", "homepage", "home-page",
              "url", "home")


def pick_repo_url(candidates: list[tuple[str, str]]) -> str | None:
    """The repository URL among labelled metadata URLs: a forge URL, the likeliest label first."""
    def rank(item: tuple[str, str]) -> tuple[int, int]:
        label = item[0].strip().lower()
        return (_PREFERRED.index(label) if label in _PREFERRED else len(_PREFERRED), 0)

    normalized = [(rank(c), normalize_repo_url(c[1])) for c in candidates]
    forge = [(r, u) for r, u in normalized if u and u.split("/", 1)[0] in FORGES]
    pool = forge or []
    if not pool:
        return None
    return min(pool, key=lambda x: x[0])[1]
