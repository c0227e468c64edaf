"""The FastAPI app behind ``fwatlas serve``: pages, a JSON API under /api/, OpenAPI.

The API returns exactly the CLI's ``--json`` objects (built by ``fwatlas.payloads``); pages
render the report's own figures and templates. Every request goes through one ``StoreGate``:
read-only, memoised per snapshot set, holding the DuckDB file only while it answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from fwatlas import __version__
from fwatlas.payloads import (
    advise_payload,
    availability_payload,
    deploy_matrix_payload,
    facts_payload,
    kb_changes_payload,
    migration_payload,
    model_payload,
    pwc_payload,
    research_payload,
    signals_payload,
    snapshots_payload,
    status_payload,
    verdict_payload,
)
from fwatlas.store.atlas import Atlas
from fwatlas.web import errors, pages
from fwatlas.web.store import StoreGate

Method = Literal["tags", "files", "library"]
Weight = Literal["count", "downloads", "downloads_all_time"]
By = Literal["year", "task"]
Rank = Literal["downloads", "likes", "downloads_all_time"]

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


def create_app(db: Path | str | None = None, *, kb: Path | str | None = None,
               as_of: dt.date | None = None, idle_close_s: float | None = None) -> FastAPI:
    """The app for one store; ``as_of`` fixes "today" (default: the day of each request)."""
    gate = StoreGate(db) if idle_close_s is None else StoreGate(db, idle_close_s=idle_close_s)

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

    @app.middleware("http")
    async def _headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers["Content-Security-Policy"] = CSP
            response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def api(key: Any, compute: Callable[[Atlas], dict[str, Any]]) -> Response:
        """A memoised answer straight from the event loop; a miss computes in a worker thread."""
        body = gate.peek_json(key)
        if body is None:
            body = await run_in_threadpool(gate.run_json, key, compute)
        return Response(body, media_type="application/json")

    # --- the JSON API -------------------------------------------------------------------------
    @app.get("/api/availability", tags=["api"], summary="fwatlas availability --json")
    async def api_availability(
        method: Method = "tags", weight: Weight = "count",
        frameworks: Annotated[str | None, Query(max_length=100)] = None,
        by: By | None = None, top: Annotated[int | None, Query(ge=1, le=10_000)] = None,
        rank: Rank = "downloads", snapshot: Annotated[str | None, Query(max_length=200)] = None,
    ) -> Response:
        key = ("availability", method, weight, frameworks, by, top, rank, snapshot)
        return await api(key, lambda a: availability_payload(
            a, method=method, weight=weight, frameworks=frameworks, by=by, top=top, rank=rank,
            snapshot=snapshot))

    @app.get("/api/model/{model_id:path}", tags=["api"], summary="fwatlas model ID --json")
    async def api_model(model_id: Annotated[str, PathParam(max_length=300)],
                  snapshot: Annotated[str | None, Query(max_length=200)] = None) -> Response:
        return await api(("model", model_id, snapshot),
                            lambda a: model_payload(a, model_id, snapshot=snapshot))

    @app.get("/api/snapshots", tags=["api"], summary="fwatlas snapshots --json")
    async def api_snapshots(kind: Annotated[str | None, Query(max_length=100)] = None
                      ) -> Response:
        return await api(("snapshots", kind), lambda a: snapshots_payload(a, kind=kind))

    @app.get("/api/facts", tags=["api"], summary="fwatlas facts --json")
    async def api_facts(prefix: Annotated[str | None, Query(max_length=200)] = None) -> Response:
        return await api(("facts", prefix), lambda a: facts_payload(a, prefix=prefix))

    @app.get("/api/verdict", tags=["api"], summary="fwatlas verdict --json")
    async def api_verdict(
        round: Annotated[Literal["availability", "research", "deployment", "ecosystem",
                                 "adoption"] | None, Query()] = None,
        as_of: Annotated[dt.date | None, Query()] = None,
    ) -> Response:
        when = pages.today(app, as_of)
        return await api(("verdict", round, when), lambda a: verdict_payload(
            a, round_name=round, as_of=when, kb=Path(app.state.kb) if app.state.kb else None))

    @app.get("/api/status", tags=["api"], summary="fwatlas status --json")
    async def api_status(as_of: Annotated[dt.date | None, Query()] = None) -> Response:
        when = pages.today(app, as_of)
        return await api(("status", when), lambda a: status_payload(
            a, as_of=when, kb=Path(app.state.kb) if app.state.kb else None))

    @app.get("/api/report", tags=["api"], summary="the report's sections as data")
    async def api_report(as_of: Annotated[dt.date | None, Query()] = None) -> Response:
        when = pages.today(app, as_of)
        return await api(("report", when), lambda a: pages.report_dict(app, a, when))

    @app.get("/api/research", tags=["api"], summary="fwatlas research --json")
    async def api_research(
        venue: Annotated[str | None, Query(max_length=100)] = None,
        year_from: Annotated[int | None, Query(alias="from", ge=1900, le=2200)] = None,
        year_to: Annotated[int | None, Query(alias="to", ge=1900, le=2200)] = None,
    ) -> Response:
        key = ("research", venue, year_from, year_to)
        return await api(key, lambda a: research_payload(
            a, venue=venue, year_from=year_from, year_to=year_to))

    @app.get("/api/migration", tags=["api"], summary="fwatlas migration --json")
    async def api_migration(
        first: Annotated[int, Query(alias="from", ge=1900, le=2200)] = 2018,
        second: Annotated[int, Query(alias="to", ge=1900, le=2200)] = 2019,
    ) -> Response:
        return await api(("migration", first, second),
                            lambda a: migration_payload(a, first=first, second=second))

    @app.get("/api/trends/pwc", tags=["api"], summary="fwatlas trends pwc --json")
    async def api_pwc(official_only: bool = False,
                snapshot: Annotated[str | None, Query(max_length=200)] = None) -> Response:
        return await api(("pwc", official_only, snapshot), lambda a: pwc_payload(
            a, official_only=official_only, snapshot=snapshot))

    @app.get("/api/deploy-matrix", tags=["api"], summary="fwatlas deploy-matrix --json")
    async def api_deploy_matrix(
        framework: Annotated[str | None, Query(max_length=50)] = None,
        target: Annotated[str | None, Query(max_length=50)] = None,
    ) -> Response:
        key = ("deploy-matrix", framework, target)
        return await api(key, lambda a: deploy_matrix_payload(
            a, framework=framework, target=target, kb_path=app.state.kb))

    @app.get("/api/kb/changes", tags=["api"], summary="fwatlas kb changes --json")
    async def api_kb_changes(as_of: Annotated[dt.date | None, Query()] = None) -> Response:
        when = pages.today(app, as_of)
        return await api(("kb-changes", when), lambda a: kb_changes_payload(
            as_of=when, kb_path=app.state.kb))

    @app.get("/api/signals", tags=["api"], summary="fwatlas signals --json")
    async def api_signals(
        metric: Literal["downloads", "stars", "dependents", "jobs", "questions"] = "downloads",
        date_from: Annotated[dt.date | None, Query(alias="from")] = None,
        date_to: Annotated[dt.date | None, Query(alias="to")] = None,
        by: Literal["framework", "package"] = "framework",
        window: Literal["30d", "365d"] = "30d",
        snapshot: Annotated[str | None, Query(max_length=200)] = None,
    ) -> Response:
        key = ("signals", metric, date_from, date_to, by, window, snapshot)
        return await api(key, lambda a: signals_payload(
            a, metric=metric, date_from=date_from, date_to=date_to, by=by, window=window,
            snapshot=snapshot))

    @app.get("/api/advise", tags=["api"], summary="fwatlas advise --json")
    async def api_advise(
        persona: Annotated[str, Query(max_length=50)],
        target: Annotated[list[str] | None, Query(max_length=50)] = None,
        need: Annotated[list[str] | None, Query(max_length=50)] = None,
        focus: Annotated[str | None, Query(max_length=50)] = None,
        experience: Annotated[str | None, Query(max_length=50)] = None,
        ruleset: Annotated[str, Query(max_length=50)] = "current",
        python: Annotated[str | None, Query(max_length=20)] = None,
        os: Annotated[str | None, Query(max_length=20)] = None,
        arch: Annotated[str | None, Query(max_length=20)] = None,
        as_of: Annotated[dt.date | None, Query()] = None,
    ) -> Response:
        when = pages.today(app, as_of)
        key = ("advise", persona, tuple(target or ()), tuple(need or ()), focus, experience,
               ruleset, python, os, arch, when)
        return await api(key, lambda a: advise_payload(
            a, persona=persona, targets=target, needs=need, focus=focus, experience=experience,
            ruleset=ruleset, python=python, os=os, arch=arch, as_of=when,
            kb_path=app.state.kb))

    # --- static assets ------------------------------------------------------------------------
    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in STATIC:
            raise HTTPException(404, f"no such file: /static/{name}")
        return FileResponse(_static_path(name), media_type=STATIC[name],
                            headers={"Cache-Control": "public, max-age=3600"})

    pages.install(app, gate)
    return app
