"""The FastAPI app behind ``fwatlas serve``: pages, a JSON API under /api/, OpenAPI.

The API returns exactly the CLI's ``--json`` objects (built by ``fwatlas.commands.builders``); pages
render the report's own figures and templates. Every request goes through one ``StoreGate``:
read-only, memoised per snapshot set, holding the DuckDB file only while it answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fwatlas import __version__
from fwatlas.store.atlas import Atlas
from fwatlas.web import docs, errors, pages, views
from fwatlas.web.store import StoreGate

#: Content-Security-Policy of every page: scripts only from this server, no inline script.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")

STATIC = {
    "fwatlas.css": "text/css; charset=utf-8",
    "fwatlas.js": "text/javascript; charset=utf-8",
    "plotly.min.js": "text/javascript; charset=utf-8",
}


def _static_path(name: str) -> Path:
    from importlib import resources

    from fwatlas.report.html import plotly_js_path

    if name == "plotly.min.js":
        return plotly_js_path()
    return Path(str(resources.files("fwatlas.report").joinpath("assets", name)))


class _Headers:
    """nosniff on every answer; the CSP and no referrer on pages. Plain ASGI: Starlette's
    ``@app.middleware("http")`` ran every request through an extra task and memory stream
    (a tenth of the server's CPU per memoised answer under load)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                if headers.get("content-type", "").startswith("text/html"):
                    headers["Content-Security-Policy"] = CSP
                    headers["Referrer-Policy"] = "no-referrer"
            await send(message)

        await self.app(scope, receive, send_with_headers)


@dataclass(frozen=True)
class _Reply:
    """One whole answer as the server sent it."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    @property
    def nbytes(self) -> int:
        return len(self.body) + sum(len(k) + len(v) + 80 for k, v in self.headers) + 200


class _Replies:
    """Successful ``GET /api/...`` answers replayed by their exact path and query string (and
    the day "today" is), without routing or validating the parameters again: FastAPI's
    parameter handling took more CPU than the rest of a memoised answer (the advice has 15
    query parameters). Kept in the gate's memo, so bounded by its bytes and dropped with every
    other answer when the snapshots change; only 200s are kept (an error is built each time
    by the one error path)."""

    def __init__(self, app: ASGIApp, gate: StoreGate, today: Callable[[], dt.date]) -> None:
        self.app, self.gate, self.today = app, gate, today

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" \
                or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        key = ("reply", scope["path"], scope["query_string"], self.today())
        hit: _Reply | None = self.gate.peek(key)
        if hit is not None:
            await send({"type": "http.response.start", "status": hit.status,
                        "headers": list(hit.headers)})
            await send({"type": "http.response.body", "body": hit.body})
            return
        snapshot_key = self.gate.snapshot_key
        start: list[Message] = []
        bodies: list[Message] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.append(message)
            elif message["type"] == "http.response.body":
                bodies.append(message)
            await send(message)

        await self.app(scope, receive, capture)
        if len(start) == 1 and start[0]["status"] == 200 and len(bodies) == 1 \
                and not bodies[0].get("more_body", False):
            headers = tuple((bytes(k), bytes(v)) for k, v in start[0]["headers"])
            self.gate.keep(key, _Reply(200, headers, bytes(bodies[0].get("body", b""))),
                           snapshot_key)


def create_app(db: Path | str | None = None, *, kb: Path | str | None = None,
               as_of: dt.date | None = None, idle_close_s: float | None = None,
               snapshots: tuple[str, ...] = ()) -> FastAPI:
    """The app for one store; ``as_of`` fixes "today" (default: the day of each request);
    ``snapshots`` are ``serve --snapshot`` ids read instead of the chosen ones."""
    gate = StoreGate(db, snapshots=snapshots) if idle_close_s is None else \
        StoreGate(db, idle_close_s=idle_close_s, snapshots=snapshots)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        gate.close()

    app = FastAPI(title="fwatlas", version=__version__, docs_url=None, redoc_url=None,
                  lifespan=lifespan,
                  description="Framework Atlas: PyTorch, TensorFlow, JAX or Keras – answered "
                              "from dated evidence. /api/ returns the CLI's --json objects.")
    app.state.gate = gate
    app.state.kb = str(kb) if kb else None
    app.state.as_of = as_of
    errors.install(app)

    app.add_middleware(_Headers)
    app.add_middleware(_Replies, gate=gate, today=lambda: pages.today(app))  # outermost

    async def api(key: Any, compute: Callable[[Atlas], dict[str, Any]]) -> Response:
        """A memoised answer straight from the event loop; a miss computes in a worker thread."""
        body = gate.peek_json(key)
        if body is None:
            body = await run_in_threadpool(gate.run_json, key, compute)
        return Response(body, media_type="application/json")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in STATIC:
            raise HTTPException(404, f"no such file: /static/{name}")
        return FileResponse(_static_path(name), media_type=STATIC[name],
                            headers={"Cache-Control": "public, max-age=3600"})

    views.install(app, gate, api)
    docs.install(app)
    pages.install(app, gate)
    return app
