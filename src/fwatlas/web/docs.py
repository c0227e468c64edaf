"""``/docs``: interactive API docs (Swagger UI) that work offline.

FastAPI's own ``/docs`` loads Swagger UI from a CDN, which an offline machine cannot reach and
which the app's Content-Security-Policy (scripts only from this server) would refuse anyway.
The app therefore ships swagger-ui-dist (Apache-2.0, version in ``SWAGGER_UI_VERSION``; its
LICENSE and NOTICE sit beside the files) and serves it itself; the page's only script of its
own is ``docs.js``, a file, because the CSP forbids inline script.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, Response

SWAGGER_UI_VERSION = "5.35.0"

ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "docs.js": "text/javascript; charset=utf-8",
    "LICENSE": "text/plain; charset=utf-8",
    "NOTICE": "text/plain; charset=utf-8",
}

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API – Framework Atlas</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<style>body{margin:0} .topnote{font:14px system-ui,sans-serif;padding:8px 16px}</style>
</head>
<body>
<p class="topnote"><a href="/">Framework Atlas</a> · every <code>/api/</code> path returns exactly
what the same command prints with <code>--json</code> ·
<a href="/openapi.json">openapi.json</a> · Swagger UI {version}
(<a href="/docs/assets/LICENSE">Apache-2.0</a>), served by this app</p>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs.js"></script>
</body>
</html>
"""


def _asset(name: str) -> Path:
    return Path(str(resources.files("fwatlas.web").joinpath("assets", "swagger-ui", name)))


def install(app: FastAPI) -> None:
    """Register ``/docs`` and its assets."""

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(PAGE.replace("{version}", SWAGGER_UI_VERSION))

    @app.get("/docs/assets/{name}", include_in_schema=False)
    def asset(name: str) -> Response:
        if name not in ASSETS:
            raise HTTPException(404, f"no such file: /docs/assets/{name}")
        return FileResponse(_asset(name), media_type=ASSETS[name],
                            headers={"Cache-Control": "public, max-age=86400"})
