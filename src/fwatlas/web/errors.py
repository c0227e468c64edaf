"""One error shape for every API endpoint: ``{"error": {"code", "message"}}``.

Extra keys, when present, are ``close_matches`` (404 for an unknown model or snapshot) and
``parameter`` (422: the parameter that is wrong, the error's ``param`` field – the query
parameter's name, never guessed from the message). The error's ``fix`` is part of ``message``,
as on the command line, so the shape has no key for it. Pages get the same status with an HTML
message. fwatlas's own exceptions map to statuses here, in one place, as they map to exit
codes in the CLI.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from fwatlas.errors import (
    FwatlasError,
    InputError,
    NotFound,
    SourceUnavailable,
    StoreBusy,
    StoreCorrupt,
    StoreOutdated,
    plain,
)

CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 422: "bad_parameter",
         500: "internal_error", 503: "unavailable"}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message,
                      **{k: v for k, v in extra.items() if v is not None}}}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def respond(request: Request, status: int, code: str, message: str, **extra: Any) -> Response:
    if _is_api(request):
        return JSONResponse(error_body(code, message, **extra), status_code=status)
    from fwatlas.web.pages import error_page

    return error_page(request, status, message, extra.get("close_matches") or [])


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into the one shape."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        loc = [str(x) for x in first.get("loc", ()) if x not in ("query", "path", "body")]
        param = loc[0] if loc else None
        msg = f"{param}: {first.get('msg', 'invalid value')}" if param else "invalid request"
        return respond(request, 422, "bad_parameter", msg, parameter=param)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path}"
        return respond(request, exc.status_code, code, message)

    @app.exception_handler(FwatlasError)
    async def _fwatlas(request: Request, exc: FwatlasError) -> Response:
        # the one place the web words an error: a parameter by its query name (``as_of``),
        # which the API also returns as ``parameter``; the fix stays inside the message
        message = exc.render(plain)
        if isinstance(exc, NotFound):
            return respond(request, 404, "not_found", message, close_matches=exc.close_matches)
        if isinstance(exc, StoreBusy):
            return respond(request, 503, "store_busy", message)
        if isinstance(exc, StoreOutdated):  # the server's store, not the request, is at fault
            return respond(request, 503, "store_outdated", message)
        if isinstance(exc, StoreCorrupt):
            return respond(request, 503, "store_corrupt", message)
        if isinstance(exc, SourceUnavailable):
            return respond(request, 503, "unavailable", message)
        if isinstance(exc, InputError):
            return respond(request, 422, "bad_parameter", message, parameter=exc.param)
        return respond(request, 400, "bad_request", message)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        return respond(request, 500, "internal_error",
                       f"internal error ({type(exc).__name__}); see the server log")


def html_error(status: int, body: str) -> HTMLResponse:
    return HTMLResponse(body, status_code=status)
