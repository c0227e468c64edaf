"""One declaration per page: its path, title, navigation label and figure sections.

Every read command of the command table (:mod:`fwatlas.commands.table`) has a page at the path
of its command and a JSON twin at ``/api/<same path>`` that returns exactly the command's
``--json``: both call the table's builder, as the CLI does. The options (the API's query
parameters with their OpenAPI types, the forms' controls) come from the table's entry, so
their names, valid values, defaults and help are the CLI's; routes and navigation are
generated here from :func:`views`.
"""

from __future__ import annotations

import functools
import inspect
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from fwatlas.commands import Command, Ctx, Option, commands
from fwatlas.commands.table import Builder

if TYPE_CHECKING:
    from fwatlas.store.atlas import Atlas
    from fwatlas.web.store import StoreGate

@dataclass(frozen=True)
class View:
    """One page and its API twin: the web's own parts (path, title, navigation, sections);
    the options, the builder and the argument come from the command table's entry ``name``."""

    path: str
    title: str
    #: the command's name (``trends pwc``): its entry in the command table
    name: str
    sections: tuple[str, ...] = ()
    nav: str | None = None
    intro: str = ""
    #: the page is written by hand elsewhere (web/pages.py); only navigation (and the API
    #: twin, when the command is in the table) come from here
    custom_page: bool = False
    aliases: tuple[str, ...] = field(default=())
    #: how the page shows the payload (default: :func:`blocks`); gets the display options
    present: Callable[[dict[str, Any], dict[str, Any]], list[Block]] | None = None
    #: the API twin's path when it is not ``/api`` + the page's (the advisor's and the
    #: overview's are their commands': ``/api/advise``, ``/api/report``)
    api: str | None = None
    #: what the server adds to the options before building (its in-memory model table)
    prepare: Callable[[StoreGate, dict[str, Any]], dict[str, Any]] | None = None

    @property
    def entry(self) -> Command | None:
        """The command table's entry, if the command is in it."""
        return next((c for c in commands() if c.name == self.name), None)

    @property
    def command(self) -> str:
        return "fwatlas " + self.name

    @property
    def build(self) -> Builder | None:
        entry = self.entry
        return None if entry is None else entry.run

    @property
    def options(self) -> tuple[Option, ...]:
        """The options a page offers: the command's, less those of the CLI only."""
        entry = self.entry
        return () if entry is None else tuple(o for o in entry.options if o.web)

    @property
    def argument(self) -> str | None:
        entry = self.entry
        return None if entry is None else entry.argument

    @property
    def query_options(self) -> tuple[Option, ...]:
        """The options the builder (and so the API twin) takes."""
        return tuple(o for o in self.options if not o.display)

    @property
    def api_path(self) -> str:
        return self.api or "/api" + self.path


def views() -> tuple[View, ...]:
    """Every page, in navigation order. A new read command gets its page here."""
    return (
        View("/", "Overview", "report", nav="Overview", custom_page=True, api="/api/report"),
        View("/verdict", "Verdict: who leads each round", "verdict", nav="Verdict"),
        View("/status", "What the answers rest on", "status", nav="Status"),
        View("/snapshots", "Snapshots", "snapshots", nav="Snapshots"),
        View("/availability", "Hub model availability", "availability",
             sections=("availability",), nav="Availability"),
        View("/coverage", "What Transformers can load, release by release", "coverage",
             nav="Coverage"),
        View("/model", "Model lookup", "model", nav="Model", custom_page=True,
             api="/api/model/{model_id:path}", prepare=_model_table),
        View("/research", "Research explorer", "research", nav="Research", custom_page=True),
        View("/migration", "Migration between two years", "migration", nav="Migration"),
        View("/trends/pwc", "Trends: framework shares of new repositories", "trends pwc",
             nav="Trends (PwC)",
             intro="Also: the same shares from fwatlas's own scans, at /trends/repos."),
        View("/trends/repos", "Trends: framework shares of scanned repositories",
             "trends repos", nav="Trends (scans)"),
        View("/deployment", "Deployment matrix", "deploy-matrix", sections=("deployment",),
             nav="Deployment", aliases=("/deploy-matrix",)),
        View("/probe/results", "Deployment paths measured by the probe", "probe results",
             nav="Probe results",
             intro="Each record: one path of one model, run on the machine the caption names."),
        View("/kb", "Knowledge base", "kb list", nav="Knowledge base",
             intro="Each name links to its entry."),
        View("/kb/changes", "What changed since the 2022 article", "kb changes",
             nav="KB changes"),
        View("/kb/{name}", "Knowledge-base entry", "kb show"),
        View("/signals", "Adoption signals over time", "signals", sections=("ecosystem",),
             nav="Signals", present=_signals_blocks),
        View("/vitality", "Release vitality", "vitality", nav="Vitality"),
        View("/support", "Installable where?", "support", nav="Support"),
        View("/compare", "Compare two snapshots", "compare", nav="Compare",
             intro="Two snapshot ids of one dataset, as the Snapshots page lists them."),
        View("/facts", "Facts", "facts", nav="Facts"),
        View("/advisor", "Advisor", "advise", nav="Advisor", custom_page=True,
             api="/api/advise"),
    )


@functools.cache
def navigation() -> tuple[tuple[str, str], ...]:
    """(path, label) of every page in the navigation. Computed once: building the views
    parses the verdict method's YAML (~20 ms), and every page rendered it again."""
    return tuple((v.path, v.nav) for v in views() if v.nav)


# --- showing a payload ---------------------------------------------------------------------------

def cell(value: Any) -> str:
    """A JSON value as one table cell (the JSON link has the structure)."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if abs(value) < 1e-9:  # a rounding remainder (1.4e-17) is a zero to a reader
            return "0"
        return f"{value:.4g}" if abs(value) < 1e5 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, list):
        if all(not isinstance(x, dict | list) for x in value):
            return ", ".join(cell(x) for x in value) or "–"
        return f"{len(value)} items"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {cell(x)}" for k, x in value.items()) or "–"
    from fwatlas.origins import shown_origin

    return shown_origin(str(value))  # a page never shows a local directory


@dataclass
class Block:
    """A part of a payload as a page shows it: key/value pairs or a table."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    links: list[str | None] = field(default_factory=list)
    pairs: bool = False
    #: a series grid (dates down, names across): it scrolls in its box, never collapses
    grid: bool = False


def blocks(payload: dict[str, Any], link: Callable[[dict[str, Any]], str | None] | None = None
           ) -> list[Block]:
    """Scalars first (one key/value box), then each list of records as a table."""
    scalars: list[list[str]] = []
    out: list[Block] = []
    for key, value in payload.items():
        if key == "sources":
            continue
        if isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
            cols: list[str] = []
            for r in value:
                cols += [k for k in r if k not in cols and k != "sources"]
            out.append(Block(key.replace("_", " "), cols,
                             [[cell(r.get(c)) for c in cols] for r in value],
                             [link(r) if link else None for r in value]))
        elif isinstance(value, dict) and value and all(isinstance(x, dict) for x in
                                                        value.values()):
            cols = ["name"]
            for r in value.values():
                cols += [k for k in r if k not in cols]
            out.append(Block(key.replace("_", " "), cols,
                             [[k, *(cell(r.get(c)) for c in cols[1:])]
                              for k, r in value.items()]))
        elif isinstance(value, list) and not value:
            scalars.append([key.replace("_", " "), "none"])
        else:
            scalars.append([key.replace("_", " "), cell(value)])
    if scalars:
        out.insert(0, Block("summary", ["", ""], scalars, pairs=True))
    return out


def _share_cell(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _signals_blocks(payload: dict[str, Any], display: dict[str, Any]) -> list[Block]:
    """As ``fwatlas signals [--share]`` prints it: per series, a date × framework (or package)
    grid of values – or, with share, of each one's share of those with a value that date."""
    share = bool(display.get("share"))
    rows = payload.get("rows") or []
    out = blocks({k: v for k, v in payload.items() if k != "rows"})
    key = "package" if payload.get("by") == "package" else "framework"
    names = list(dict.fromkeys(r[key] for r in rows))
    for series in dict.fromkeys(r["series"] for r in rows):
        grid: dict[Any, dict[str, Any]] = {}
        for r in rows:
            if r["series"] == series:
                grid.setdefault(r["date"], {})[r[key]] = r
        table = []
        for day in sorted(grid):
            cells = [str(day)]
            for n in names:
                r = grid[day].get(n)
                v = None if r is None else (r["share"] if share else r["value"])
                mark = "*" if r is not None and r.get("partial") else ""
                cells.append((_share_cell(v) if share else cell(v)) + mark)
            table.append(cells)
        title = f"{payload.get('metric')} – {series}" + (
            " (share of those with a value that date)" if share else f" ({payload.get('unit')})")
        out.append(Block(title, ["date", *names], table, grid=True))
    return out


#: the longest value a page's query field may carry (the API's parameters: the same)
MAX_QUERY_VALUE = 200


def view_for(path: str) -> View:
    """The view declared at ``path`` (a hand-written page finds its options here)."""
    return next(v for v in views() if v.path == path)


def query_args(view: View, request: Request) -> dict[str, Any]:
    """A page's options from its query, parsed and checked by the command table's options, as
    the builder takes them: a blank field is left out, a repeatable option is every value
    given (None: none), and a value longer than the API allows is refused."""
    from fwatlas.errors import InputError, opt

    q = request.query_params
    out: dict[str, Any] = {}
    for o in view.query_options:
        given = q.getlist(o.name)
        if any(len(v) > MAX_QUERY_VALUE for v in given):
            raise InputError(f"{opt(o.name)} is longer than {MAX_QUERY_VALUE} characters")
        if o.kind == "list":
            out[o.keyword] = [o.parse(v) for v in given if v.strip()] or None
        else:
            out[o.keyword] = o.parse(q.get(o.name))
    return out


def cli_line(view: View, args: dict[str, Any], argument: str | None = None) -> str:
    """The command that prints the same ``--json``."""
    parts = view.command.split()
    if argument:
        parts.append(argument)
    for o in view.options:
        value = args.get(o.keyword)
        if value is None or value is False or value == o.default:
            continue
        parts += [o.cli] if value is True else [o.cli, str(value)]
    return " ".join(parts) + " --json"


# --- routes -------------------------------------------------------------------------------------

Api = Callable[[Any, Callable[["Atlas"], dict[str, Any]]], Any]


def _signature(view: View) -> inspect.Signature:
    params = []
    if view.argument:
        params.append(inspect.Parameter(view.argument, inspect.Parameter.KEYWORD_ONLY,
                                        annotation=Annotated[str, PathParam(max_length=300)]))
    for o in view.query_options:
        default = inspect.Parameter.empty if o.required else (
            False if o.kind == "bool" else o.default)
        query: dict[str, Any] = {"description": o.help or None}
        if o.kind in ("text", "choice", "list"):
            query["max_length"] = 200
        if o.name != _pyname(o.name):  # from/to are Python keywords: alias the CLI's name
            query["alias"] = o.name
        params.append(inspect.Parameter(_pyname(o.name), inspect.Parameter.KEYWORD_ONLY,
                                        default=default,
                                        annotation=Annotated[o.annotation(), Query(**query)]))
    return inspect.Signature(params, return_annotation=Response)


def frozen(args: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The options as a memo key (a repeatable option's list as a tuple)."""
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(args.items()))


def _pyname(name: str) -> str:
    return {"from": "from_", "to": "to_"}.get(name, name)


def install(app: FastAPI, gate: StoreGate, api: Api) -> None:
    """Register each view's API twin and (unless written by hand) its page."""
    for view in views():
        if view.build is not None:
            for path in (view.api_path, *("/api" + a for a in view.aliases)):
                _install_api(app, view, path, api, gate)
        if not view.custom_page and view.build is not None:
            _install_page(app, gate, view)
    app.add_api_route("/trends", lambda: RedirectResponse("/trends/pwc", status_code=307),
                      methods=["GET"], include_in_schema=False)


def _ctx(app: FastAPI) -> Ctx:
    from fwatlas.web.pages import today

    return Ctx(kb=app.state.kb, today=today(app))


def _install_api(app: FastAPI, view: View, path: str, api: Api, gate: StoreGate) -> None:
    build = view.build
    assert build is not None
    prepare = view.prepare

    async def endpoint(**kw: Any) -> Response:
        args = {o.keyword: kw[_pyname(o.name)] for o in view.query_options}
        for o in view.query_options:
            o.check(args[o.keyword])
        if view.argument:
            args[view.argument] = kw[view.argument]
        ctx = _ctx(app)
        key = (view.path, frozen(args), ctx)
        response: Response = await api(key, lambda a: build(
            a, ctx, {**args, **prepare(gate, args)} if prepare else args))
        return response

    endpoint.__signature__ = _signature(view)  # type: ignore[attr-defined]
    endpoint.__name__ = "api_" + re.sub(r"\W+", "_", path).strip("_")
    app.add_api_route(path, endpoint, methods=["GET"], tags=["api"],
                      summary=view.command + (f" {view.argument.upper()}" if view.argument
                                              else "") + " --json",
                      description=f"Exactly what `{view.command} --json` prints. {view.intro}")


def _install_page(app: FastAPI, gate: StoreGate, view: View) -> None:
    build = view.build
    assert build is not None

    def page(request: Request) -> HTMLResponse:
        from fwatlas.web.pages import memo_page

        q = request.query_params
        # the page shows its path and every query parameter (the form, the API link)
        key = (view.path, request.url.path, tuple(q.multi_items()), _ctx(app))
        return memo_page(gate, key, lambda: render_page(request))

    def render_page(request: Request) -> HTMLResponse:
        from fwatlas.web.pages import render, sections_for

        q = request.query_params
        args = query_args(view, request)
        display = {o.keyword: o.parse(q.get(o.name)) for o in view.options if o.display}
        argument = request.path_params.get(view.argument) if view.argument else None
        if view.argument:
            args[view.argument] = argument
        ctx = _ctx(app)
        key = ("page", view.path, frozen(args), ctx)
        missing = [o.cli for o in view.options if o.required and not args.get(o.keyword)]
        # a form to fill in first (not an error): the options without a default are empty
        payload: dict[str, Any] = ({"sources": []} if missing else
                                   gate.run(key, lambda a: build(a, ctx, args)))
        when = ctx.day(args)
        sections, creds = sections_for(app, gate, list(view.sections), when)
        shown_only = {o.name for o in view.options if o.display}  # the JSON is the same
        query = urllib.parse.urlencode([(k, v) for k, v in q.multi_items()
                                        if v != "" and k not in shown_only])
        api_href = "/api" + request.url.path + (f"?{query}" if query else "")
        from fwatlas.report.credits import credits

        link = _kb_link if view.path == "/kb" else None
        shown = view.present(payload, display) if view.present else blocks(payload, link)
        return render(request, "view.html.j2", title=view.title, view=view,
                      form={o.name: q.get(o.name, "") for o in view.options},
                      payload=payload, blocks=shown, api_href=api_href,
                      missing=missing,
                      cli=cli_line(view, {**args, **display}, argument), sections=sections,
                      credits=_merge(credits(payload.get("sources", [])), creds),
                      as_of=when, needs_plotly=any(s.figures for s in sections),
                      nav_path=view.path)

    page.__name__ = "page_" + (re.sub(r"\W+", "_", view.path).strip("_") or "root")
    app.add_api_route(view.path, page, methods=["GET"], include_in_schema=False,
                      response_class=HTMLResponse)


def _model_table(gate: StoreGate, args: dict[str, Any]) -> dict[str, Any]:
    """The snapshot's model rows, read once and kept by the gate (a lookup is a dict hit)."""
    return {"table": gate.model_table(args["snapshot"])}


def _kb_link(row: dict[str, Any]) -> str | None:
    name = row.get("name")
    return "/kb/" + urllib.parse.quote(str(name), safe="") if name else None


def _merge(first: list[Any], second: list[Any]) -> list[Any]:
    """Credits of the payload, then the figures' ones not already listed (by snapshot id)."""
    seen = {c.snapshot_id for c in first}
    return [*first, *(c for c in second if c.snapshot_id not in seen)]
