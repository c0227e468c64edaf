"""One declaration per page: its path, title, the CLI's options and the payload builder.

Every read command of the CLI has a page at the path of its command and a JSON twin at
``/api/<same path>`` that returns exactly the command's ``--json`` (the builder is the one in
``fwatlas.payloads`` the CLI calls). Routes, the API twins (with their OpenAPI parameters),
the navigation and the forms are all generated from :data:`VIEWS`, so adding a page for a new
command is one :class:`View` here – and a later command table can replace this list.

Valid values are never written twice: each choice option takes them from the Literal or tuple
the library (and the CLI's error messages) already declare.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from fwatlas.errors import InputError, opt

if TYPE_CHECKING:
    from fwatlas.store.atlas import Atlas
    from fwatlas.web.store import StoreGate

OptionKind = Literal["choice", "text", "int", "date", "bool"]


@dataclass(frozen=True)
class Option:
    """One CLI option as a query parameter and a form control.

    ``name`` is the CLI's option without ``--`` (``from``, ``as_of`` with ``_`` for ``-``);
    ``arg`` is the builder's keyword (default: ``name``).
    """

    name: str
    kind: OptionKind = "text"
    choices: tuple[str, ...] = ()
    default: Any = None
    help: str = ""
    arg: str | None = None
    required: bool = False
    pattern: str | None = None
    #: changes only how the page shows the data (``signals --share``): no argument of the
    #: builder and no query of the API twin, whose JSON is the same either way (as the CLI's)
    display: bool = False

    @property
    def keyword(self) -> str:
        return self.arg or self.name

    @property
    def cli(self) -> str:
        return "--" + self.name.replace("_", "-")

    def annotation(self) -> Any:
        """The parameter's type for FastAPI (and so for the OpenAPI document)."""
        base: Any = {"text": str, "int": int, "date": dt.date, "bool": bool,
                     "choice": Literal[self.choices] if self.choices else str}[self.kind]
        if self.kind == "bool" or self.required or self.default is not None:
            return base
        return base | None

    def parse(self, raw: str | None) -> Any:
        """A form value (a string, empty when left blank) as the builder's argument."""
        if raw is None or raw == "":
            return False if self.kind == "bool" else self.default
        if self.kind == "bool":
            return raw.lower() in ("1", "true", "on", "yes")
        if self.kind == "int":
            try:
                return int(raw)
            except ValueError:
                raise InputError(f"{opt(self.name)} must be a whole number, not {raw!r}") from None
        if self.kind == "date":
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                raise InputError(f"{opt(self.name)} must be a date YYYY-MM-DD, "
                                 f"not {raw!r}") from None
        if self.kind == "choice" and self.choices and raw not in self.choices:
            raise InputError(f"{opt(self.name)} {raw!r} is not one of: {', '.join(self.choices)}")
        self.check(raw)
        return raw

    def check(self, value: Any) -> None:
        if self.pattern and isinstance(value, str) and not re.fullmatch(self.pattern, value):
            raise InputError(f"{opt(self.name)} {value!r} is not a snapshot id (s12, ref:…, kb:…)")


@dataclass(frozen=True)
class Ctx:
    """What a builder gets besides the options: the app's knowledge-base file and 'today'."""

    kb: str | None
    today: dt.date


Builder = Callable[["Atlas", Ctx, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class View:
    """One page and its API twin."""

    path: str
    title: str
    command: str
    build: Builder | None = None
    options: tuple[Option, ...] = ()
    sections: tuple[str, ...] = ()
    nav: str | None = None
    intro: str = ""
    #: a path parameter (``/kb/{name}``): the command's argument
    argument: str | None = None
    #: the page is written by hand elsewhere (web/pages.py); only navigation (and the API
    #: twin, when ``build`` is set) come from here
    custom_page: bool = False
    aliases: tuple[str, ...] = field(default=())
    #: how the page shows the payload (default: :func:`blocks`); gets the display options
    present: Callable[[dict[str, Any], dict[str, Any]], list[Block]] | None = None

    @property
    def query_options(self) -> tuple[Option, ...]:
        """The options the builder (and so the API twin) takes."""
        return tuple(o for o in self.options if not o.display)

    @property
    def api_path(self) -> str:
        return "/api" + self.path


# --- the builders: each calls the payload builder the CLI calls ---------------------------------

def _today(ctx: Ctx, a: dict[str, Any]) -> dt.date:
    when: dt.date = a.get("as_of") or ctx.today
    return when


def _kb(ctx: Ctx) -> Path | None:
    return Path(ctx.kb) if ctx.kb else None


def _verdict(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import verdict_payload

    return verdict_payload(atlas, round_name=a["round"], as_of=_today(ctx, a), kb=_kb(ctx))


def _status(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import status_payload

    return status_payload(atlas, as_of=_today(ctx, a), kb=_kb(ctx))


def _snapshots(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import snapshots_payload

    return snapshots_payload(atlas, kind=a["kind"])


def _availability(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import availability_payload

    return availability_payload(atlas, **a)


def _research(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import research_payload

    return research_payload(atlas, venue=a["venue"], year_from=a["from"], year_to=a["to"],
                            evidence=a["evidence"])


def _migration(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import migration_payload

    return migration_payload(atlas, first=a["from"], second=a["to"])


def _pwc(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import pwc_payload

    return pwc_payload(atlas, official_only=a["official_only"], snapshot=a["snapshot"])


def _deployment(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import deploy_matrix_payload

    return deploy_matrix_payload(atlas, framework=a["framework"], target=a["target"],
                                 kb_path=ctx.kb)


def _kb_list(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import kb_list_payload

    return kb_list_payload(framework=a["framework"], target=a["target"], kind=a["kind"],
                           status=a["status"], in_article=a["in_article"],
                           as_of=_today(ctx, a), kb_path=ctx.kb)


def _kb_show(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import kb_show_payload

    return kb_show_payload(a["name"], as_of=_today(ctx, a), kb_path=ctx.kb)


def _kb_changes(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import kb_changes_payload

    return kb_changes_payload(as_of=_today(ctx, a), kb_path=ctx.kb)


def _signals(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import signals_payload

    return signals_payload(atlas, metric=a["metric"], date_from=a["from"], date_to=a["to"],
                           by=a["by"], window=a["window"], snapshot=a["snapshot"])


def _vitality(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import vitality_payload

    return vitality_payload(atlas, as_of=_today(ctx, a), snapshot=a["snapshot"], kb=_kb(ctx))


def _support(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import support_payload

    return support_payload(atlas, python=a["python"], os=a["os"], arch=a["arch"],
                           snapshot=a["snapshot"])


def _compare(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import compare_payload

    return compare_payload(atlas, old=a["old"], new=a["new"], method=a["method"],
                           kb=_kb(ctx))


def _coverage(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import coverage_payload

    return coverage_payload(atlas, library=a["library"])


def _year_or_date(value: str | None, option: str, end: bool) -> dt.date | None:
    """``trends repos --from/--to``: a year (its first or last day) or a date."""
    if value is None:
        return None
    if value.isdigit() and len(value) == 4:
        return dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{opt(option)} must be YYYY or YYYY-MM-DD, not {value!r}") from None


def _repo_trends(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import repo_trends_payload

    return repo_trends_payload(atlas, snapshot=a["snapshot"],
                               date_from=_year_or_date(a["from"], "from", False),
                               date_to=_year_or_date(a["to"], "to", True))


def _probe_results(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import probe_results_payload

    return probe_results_payload(atlas, snapshot=a["snapshot"])


def _facts(atlas: Atlas, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    from fwatlas.payloads import facts_payload

    return facts_payload(atlas, prefix=a["prefix"])


# --- the valid values, from where the library declares them -------------------------------------

def _values() -> dict[str, tuple[str, ...]]:
    from fwatlas import platforms
    from fwatlas import vocabulary as vocab
    from fwatlas.analyses import availability as av
    from fwatlas.analyses import coverage as cv
    from fwatlas.analyses import research_code as rc
    from fwatlas.analyses import signals as sg
    from fwatlas.kb import schema
    from fwatlas.kb.matrix import MATRIX_FRAMEWORKS
    from fwatlas.kinds import KINDS
    from fwatlas.verdict.method import load_method

    return {
        "evidence": tuple(rc.EVIDENCE),
        "hub_method": tuple(vocab.HUB_METHODS), "weight": tuple(av.WEIGHTS),
        "av_by": get_args(av.By), "rank": get_args(av.Rank),
        "round": tuple(r.name for r in load_method(None).rounds),
        "metric": tuple(sg.METRICS), "sg_by": get_args(sg.By), "window": tuple(sg.WINDOWS),
        "os": platforms.OSES, "arch": platforms.ARCHES,
        "kb_framework": tuple(schema.FRAMEWORKS), "kb_kind": tuple(schema.KINDS),
        "kb_status": tuple(schema.STATUSES),
        "target": (*schema.TARGETS, *schema.TARGET_GROUPS),
        "matrix_framework": tuple(MATRIX_FRAMEWORKS), "library": tuple(cv.LIBRARIES),
        "kind": tuple(KINDS),
    }


#: a snapshot id as ``--snapshot``/``--old``/``--new`` take it (never a local file on the web)
SNAPSHOT_ID = r"(s\d+|ref:[\w./:@+-]+|kb:[\w./:@+-]+)"


def views() -> tuple[View, ...]:
    """Every page, in navigation order. Add a page for a new command here."""
    v = _values()
    as_of = Option("as_of", "date", help="'Today' for anything judged by age")
    snapshot = Option("snapshot", help="a snapshot id instead of the newest", pattern=SNAPSHOT_ID)
    return (
        View("/", "Overview", "fwatlas report", nav="Overview", custom_page=True),
        View("/verdict", "Verdict: who leads each round", "fwatlas verdict", _verdict,
             (Option("round", "choice", v["round"], help="one round"), as_of), nav="Verdict"),
        View("/status", "What the answers rest on", "fwatlas status", _status, (as_of,),
             nav="Status"),
        View("/snapshots", "Snapshots", "fwatlas snapshots", _snapshots,
             (Option("kind", "choice", v["kind"], help="only this source kind"),),
             nav="Snapshots"),
        View("/availability", "Hub model availability", "fwatlas availability", _availability,
             (Option("method", "choice", v["hub_method"], "tags"),
              Option("weight", "choice", v["weight"], "count"),
              Option("frameworks", help="comma-separated, e.g. pytorch,tensorflow"),
              Option("by", "choice", v["av_by"]),
              Option("top", "int", help="the N most downloaded models instead"),
              Option("rank", "choice", v["rank"], "downloads"), snapshot),
             sections=("availability",), nav="Availability"),
        View("/coverage", "What Transformers can load, release by release", "fwatlas coverage",
             _coverage, (Option("library", "choice", v["library"], "transformers",
                                help="the model library"),), nav="Coverage"),
        View("/model", "Model lookup", "fwatlas model", nav="Model", custom_page=True),
        View("/research", "Research explorer", "fwatlas research", _research,
             (Option("venue"), Option("from", "int", help="first year"),
              Option("to", "int", help="last year"),
              Option("evidence", "choice", v["evidence"], "all",
                     help="text: mentions in papers (to 2022); code: linked code's framework")),
             nav="Research", custom_page=True),
        View("/migration", "Migration between two years", "fwatlas migration", _migration,
             (Option("from", "int", default=2018, help="the earlier year"),
              Option("to", "int", default=2019, help="the later year")), nav="Migration"),
        View("/trends/pwc", "Trends: framework shares of new repositories", "fwatlas trends pwc",
             _pwc, (Option("official_only", "bool", help="only official repositories"),
                    snapshot), nav="Trends (PwC)",
             intro="Also: the same shares from fwatlas's own scans, at /trends/repos."),
        View("/trends/repos", "Trends: framework shares of scanned repositories",
             "fwatlas trends repos", _repo_trends,
             (Option("from", help="first repository date, YYYY or YYYY-MM-DD"),
              Option("to", help="last repository date, YYYY or YYYY-MM-DD"), snapshot),
             nav="Trends (scans)"),
        View("/deployment", "Deployment matrix", "fwatlas deploy-matrix", _deployment,
             (Option("framework", "choice", v["matrix_framework"]),
              Option("target", "choice", v["target"])),
             sections=("deployment",), nav="Deployment", aliases=("/deploy-matrix",)),
        View("/probe/results", "Deployment paths measured by the probe", "fwatlas probe results",
             _probe_results, (Option("snapshot", help="a probe/results snapshot id",
                                     pattern=SNAPSHOT_ID),), nav="Probe results",
             intro="Each record: one path of one model, run on the machine the caption names."),
        View("/kb", "Knowledge base", "fwatlas kb list", _kb_list,
             (Option("framework", "choice", v["kb_framework"]),
              Option("target", "choice", v["target"]),
              Option("kind", "choice", v["kb_kind"]),
              Option("status", "choice", v["kb_status"]),
              Option("in_article", "bool", help="only tools the 2022 article names"), as_of),
             nav="Knowledge base", intro="Each name links to its entry."),
        View("/kb/changes", "What changed since the 2022 article", "fwatlas kb changes",
             _kb_changes, (as_of,), nav="KB changes"),
        View("/kb/{name}", "Knowledge-base entry", "fwatlas kb show", _kb_show, (as_of,),
             argument="name"),
        View("/signals", "Adoption signals over time", "fwatlas signals", _signals,
             (Option("metric", "choice", v["metric"], "downloads"),
              Option("from", "date", help="first date"), Option("to", "date", help="last date"),
              Option("share", "bool", display=True,
                     help="each one's share of those with a value at that date"),
              Option("by", "choice", v["sg_by"], "framework"),
              Option("window", "choice", v["window"], "30d"), snapshot),
             sections=("ecosystem",), nav="Signals", present=_signals_blocks),
        View("/vitality", "Release vitality", "fwatlas vitality", _vitality, (as_of, snapshot),
             nav="Vitality"),
        View("/support", "Installable where?", "fwatlas support", _support,
             (Option("python", default="3.13", help="e.g. 3.13"),
              Option("os", "choice", v["os"], "linux"),
              Option("arch", "choice", v["arch"], "x86_64"), snapshot), nav="Support"),
        View("/compare", "Compare two snapshots", "fwatlas compare", _compare,
             (Option("old", required=True, help="the earlier snapshot id", pattern=SNAPSHOT_ID),
              Option("new", required=True, help="the later snapshot id", pattern=SNAPSHOT_ID),
              Option("method", "choice", v["hub_method"], "tags")), nav="Compare",
             intro="Two snapshot ids of one dataset, as the Snapshots page lists them."),
        View("/facts", "Facts", "fwatlas facts", _facts,
             (Option("prefix", help="only facts under this name"),), nav="Facts"),
        View("/advisor", "Advisor", "fwatlas advise", nav="Advisor", custom_page=True),
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
        if o.kind in ("text", "choice"):
            query["max_length"] = 200
        if o.name != _pyname(o.name):  # from/to are Python keywords: alias the CLI's name
            query["alias"] = o.name
        params.append(inspect.Parameter(_pyname(o.name), inspect.Parameter.KEYWORD_ONLY,
                                        default=default,
                                        annotation=Annotated[o.annotation(), Query(**query)]))
    return inspect.Signature(params, return_annotation=Response)


def _pyname(name: str) -> str:
    return {"from": "from_", "to": "to_"}.get(name, name)


def install(app: FastAPI, gate: StoreGate, api: Api) -> None:
    """Register each view's API twin and (unless written by hand) its page."""
    for view in views():
        if view.build is not None:
            for path in (view.api_path, *("/api" + a for a in view.aliases)):
                _install_api(app, view, path, api)
        if not view.custom_page and view.build is not None:
            _install_page(app, gate, view)
    app.add_api_route("/trends", lambda: RedirectResponse("/trends/pwc", status_code=307),
                      methods=["GET"], include_in_schema=False)


def _ctx(app: FastAPI) -> Ctx:
    from fwatlas.web.pages import today

    return Ctx(kb=app.state.kb, today=today(app))


def _install_api(app: FastAPI, view: View, path: str, api: Api) -> None:
    build = view.build
    assert build is not None

    async def endpoint(**kw: Any) -> Response:
        args = {o.keyword: kw[_pyname(o.name)] for o in view.query_options}
        for o in view.query_options:
            o.check(args[o.keyword])
        if view.argument:
            args[view.argument] = kw[view.argument]
        ctx = _ctx(app)
        key = (view.path, tuple(sorted(args.items(), key=lambda kv: kv[0])), ctx)
        response: Response = await api(key, lambda a: build(a, ctx, args))
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
        args = {o.keyword: o.parse(q.get(o.name)) for o in view.query_options}
        display = {o.keyword: o.parse(q.get(o.name)) for o in view.options if o.display}
        argument = request.path_params.get(view.argument) if view.argument else None
        if view.argument:
            args[view.argument] = argument
        ctx = _ctx(app)
        key = ("page", view.path, tuple(sorted(args.items(), key=lambda kv: kv[0])), ctx)
        missing = [o.cli for o in view.options if o.required and not args.get(o.keyword)]
        # a form to fill in first (not an error): the options without a default are empty
        payload: dict[str, Any] = ({"sources": []} if missing else
                                   gate.run(key, lambda a: build(a, ctx, args)))
        when = _today(ctx, args)
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


def _kb_link(row: dict[str, Any]) -> str | None:
    name = row.get("name")
    return "/kb/" + urllib.parse.quote(str(name), safe="") if name else None


def _merge(first: list[Any], second: list[Any]) -> list[Any]:
    """Credits of the payload, then the figures' ones not already listed (by snapshot id)."""
    seen = {c.snapshot_id for c in first}
    return [*first, *(c for c in second if c.snapshot_id not in seen)]
