"""A PyPI/npm stand-in on 127.0.0.1 serving the recorded registry documents.

The real fetcher (httpx, retries, validators) is pointed at it through FWATLAS_PYPI_URL and
FWATLAS_NPM_URL, so the request and error paths that run against pypi.org run here too.
Behaviour per test: ``flaky[name] = n`` answers 503 n times before the document;
``validators = True`` sends an ETag and answers a matching If-None-Match with 304; unknown names
are 404, as on PyPI.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REGISTRY = FIXTURES / "registry"


@dataclass
class Registry:
    url: str
    flaky: dict[str, int] = field(default_factory=dict)
    validators: bool = False
    log: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)

    def requests_for(self, path_part: str) -> list[tuple[str, int, dict[str, str]]]:
        return [r for r in self.log if path_part in r[0]]


def _document(path: str) -> tuple[str, bytes] | None:
    """(package, body) for /pypi/<name>/json or /<npm name>; None when not recorded."""
    if path.startswith("/pypi/") and path.endswith("/json"):
        name = unquote(path[len("/pypi/"):-len("/json")])
        file = REGISTRY / "pypi" / f"{quote(name, safe='')}.json"
    else:
        name = unquote(path.lstrip("/"))
        file = REGISTRY / "npm" / f"{quote(name, safe='')}.json"
    if not file.exists():
        return None
    return name, file.read_bytes()


@pytest.fixture
def registry_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Registry]:
    state = Registry(url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            # Log before answering: the client may read the reply and the test
            # assert on the log before a later append in this thread runs.
            found = _document(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            if found is None:
                state.log.append((self.path, 404, headers))
                self._send(404, b'{"message": "Not Found"}')
                return
            name, body = found
            if state.flaky.get(name, 0) > 0:
                state.flaky[name] -= 1
                state.log.append((self.path, 503, headers))
                self._send(503, b"Service Unavailable", {"Retry-After": "0"})
                return
            extra = {}
            if state.validators:
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                extra = {"ETag": etag, "Last-Modified": "Wed, 01 Oct 2025 00:00:00 GMT"}
                if headers.get("if-none-match") == etag:
                    state.log.append((self.path, 304, headers))
                    self._send(304, b"", extra)
                    return
            state.log.append((self.path, 200, headers))
            self._send(200, body, {"Content-Type": "application/json", **extra})

        def _send(self, code: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(code)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("FWATLAS_PYPI_URL", state.url)
    monkeypatch.setenv("FWATLAS_NPM_URL", state.url)
    monkeypatch.setenv("FWATLAS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("FWATLAS_HTTP_BACKOFF", "0.01")
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def recorded(registry: str, package: str) -> dict:
    """A recorded document, read with the standard library (for oracles)."""
    return json.loads((REGISTRY / registry / f"{quote(package, safe='')}.json").read_text())


def store_counts(db: Path) -> tuple[list[str], dict[str, int]]:
    """(snapshot ids, row count per table) – to show a failed ingest changed nothing."""
    import duckdb

    if not db.exists():
        return [], {}
    con = duckdb.connect(str(db), read_only=True)
    try:
        ids = [f"s{r[0]}" for r in con.execute("SELECT num FROM snapshots ORDER BY num")
               .fetchall()]
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")
            .fetchall()]
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0]  # noqa: S608
                  for t in tables}
    finally:
        con.close()
    return ids, counts
