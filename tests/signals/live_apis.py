"""Stand-ins on 127.0.0.1 for the GitHub REST API, the HN Algolia API and the Stack Exchange API.

Each answers with documents shaped like the real services' (field names, nesting, error
objects) from data the test holds, so the real fetchers – httpx, retries, Retry-After, the
Stack Exchange ``backoff`` and quota fields – run here as they do against the internet. Every
request is logged with its arrival time, so tests can see what was asked and when.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Answer = tuple[int, Any, dict[str, str]]


@dataclass
class Hit:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float
    status: int = 0


@dataclass
class Server:
    url: str = ""
    log: list[Hit] = field(default_factory=list)

    def paths(self, prefix: str = "") -> list[str]:
        return [h.path for h in self.log if h.path.startswith(prefix)]


@contextmanager
def serve(route: Callable[[Hit], Answer]) -> Iterator[Server]:
    """Run ``route`` behind an HTTP server on a free local port until the block ends."""
    state = Server()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            parts = urlsplit(self.path)
            hit = Hit(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()},
                      {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
            with lock:
                status, body, headers = route(hit)
                hit.status = status
                state.log.append(hit)
            raw = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


# --- GitHub ----------------------------------------------------------------------------------


def github_repo(full_name: str, repo_id: int, stars: int, forks: int, watchers: int,
                issues: int) -> dict[str, Any]:
    """A ``GET /repos/{owner}/{name}`` answer (the fields the real one has that matter here)."""
    owner, name = full_name.split("/")
    return {"id": repo_id, "node_id": f"R_{repo_id}", "name": name, "full_name": full_name,
            "private": False, "owner": {"login": owner, "id": repo_id + 1, "type": "Organization"},
            "html_url": f"https://github.com/{full_name}", "fork": False,
            "created_at": "2016-08-13T05:26:41Z", "pushed_at": "2026-11-30T10:00:00Z",
            "stargazers_count": stars, "watchers_count": stars, "subscribers_count": watchers,
            "forks_count": forks, "forks": forks, "open_issues_count": issues,
            "open_issues": issues, "watchers": stars, "network_count": forks,
            "default_branch": "main", "archived": False, "disabled": False}


NOT_FOUND = {"message": "Not Found",
             "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
             "status": "404"}


def stargazers(count: int, first: dt.date) -> list[dict[str, Any]]:
    """``count`` stargazers (starred_at form), one every three days from ``first``."""
    return [{"starred_at": f"{first + dt.timedelta(days=3 * i)}T12:00:00Z",
             "user": {"login": f"user{i}", "id": 1000 + i, "type": "User"}}
            for i in range(count)]


# --- Hacker News (Algolia) -------------------------------------------------------------------


def hn_story(object_id: int, title: str, when: dt.datetime, comments: int) -> dict[str, Any]:
    """One hit of ``search_by_date`` (a story by whoishiring)."""
    return {"created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "title": title,
            "url": None, "author": "whoishiring", "points": 400, "story_text": "Please state…",
            "num_comments": comments, "story_id": object_id,
            "created_at_i": int(when.replace(tzinfo=dt.UTC).timestamp()),
            "_tags": ["story", "author_whoishiring", f"story_{object_id}"],
            "objectID": str(object_id)}


def hn_search(hits: list[dict[str, Any]]) -> dict[str, Any]:
    return {"hits": hits, "nbHits": len(hits), "page": 0, "nbPages": 1,
            "hitsPerPage": 1000, "exhaustiveNbHits": True, "query": "",
            "params": "tags=story,author_whoishiring", "processingTimeMS": 1}


def hn_item(object_id: int, title: str, when: dt.datetime, posts: list[str | None],
            replies: int = 2) -> dict[str, Any]:
    """``items/{id}``: the story with its comments; ``None`` is a deleted post. Every post gets
    ``replies`` nested answers (which are not posts)."""
    children = []
    for i, text in enumerate(posts):
        cid = object_id * 1000 + i
        nested = [{"id": cid * 10 + j, "created_at": when.isoformat() + ".000Z",
                   "author": f"replier{j}", "text": "<p>Is this remote? We use PyTorch too</p>",
                   "type": "comment", "parent_id": cid, "story_id": object_id, "children": [],
                   "options": []} for j in range(replies)]
        children.append({"id": cid, "created_at": when.isoformat() + ".000Z",
                         "author": None if text is None else f"company{i}", "text": text,
                         "type": "comment", "parent_id": object_id, "story_id": object_id,
                         "points": None, "children": nested, "options": []})
    return {"id": object_id, "created_at": when.isoformat() + ".000Z", "author": "whoishiring",
            "title": title, "url": None, "text": "Please state the location…", "points": 400,
            "parent_id": None, "story_id": object_id, "type": "story", "children": children,
            "options": []}


# --- Stack Exchange --------------------------------------------------------------------------


def se_wrapper(total: int, remaining: int, quota_max: int = 300,
               backoff: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"total": total, "quota_max": quota_max,
                            "quota_remaining": remaining}
    if backoff:
        body["backoff"] = backoff
    return body


def se_throttled(seconds: int = 82216) -> dict[str, Any]:
    """What Stack Exchange answers (HTTP 400) when the daily quota is spent."""
    return {"error_id": 502, "error_message": "too many requests from this IP, more requests "
            f"available in {seconds} seconds", "error_name": "throttle_violation"}
