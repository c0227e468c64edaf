"""The web app's HTML pages: overview, model lookup, research, deployment, advisor.

Pages render the same ``Section`` objects as the report (``fwatlas.figures``) with the same
templates, so the page and the report file show one set of figures. Jinja autoescapes every
string; figure data goes through ``script_json``; scripts come only from /static (the CSP
forbids inline script), so a hostile model id cannot run.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from fwatlas import __version__
from fwatlas.commands import Ctx, command
from fwatlas.errors import InputError, NotFound

if TYPE_CHECKING:
    from fwatlas.figures.model import Section
    from fwatlas.store.atlas import Atlas
    from fwatlas.web.store import StoreGate

def nav() -> tuple[tuple[str, str], ...]:
    """The navigation: every page declared in ``fwatlas.web.views``."""
    from fwatlas.web.views import navigation

    return navigation()


def form_date(as_of: str | None = Query(None, max_length=30)) -> dt.date | None:
    """The ``as_of`` field of a page's form: an ISO date, or nothing when left blank.

    A form sends every field, so a blank one arrives as ``as_of=`` and must mean "not
    given", as leaving the CLI's option out does; FastAPI's date type would refuse it."""
    if as_of is None or not as_of.strip():
        return None
    try:
        return dt.date.fromisoformat(as_of.strip())
    except ValueError:
        raise InputError(f"as_of: not a date (YYYY-MM-DD): {as_of!r}", param="as_of") from None


FormDate = Annotated["dt.date | None", Depends(form_date)]


def today(app: FastAPI, as_of: dt.date | None = None) -> dt.date:
    """``as_of`` from the request, else the app's fixed date, else the calendar's."""
    fixed: dt.date | None = app.state.as_of
    return as_of or fixed or dt.date.today()


def _ctx(app: FastAPI, when: dt.date) -> Any:
    from fwatlas.figures import ReportContext

    return ReportContext(as_of=when, kb_path=app.state.kb)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    from fwatlas.report.html import Assets, environment

    tpl = environment().get_template(template)
    context.setdefault("needs_plotly", False)
    path = context.pop("nav_path", request.url.path)
    html = tpl.render(assets=Assets(inline=False), nav=nav(), path=path,
                      version=__version__, **context)
    return HTMLResponse(html, status_code=status)


def memo_page(gate: StoreGate, key: tuple[Any, ...], build: Callable[[], HTMLResponse]
              ) -> HTMLResponse:
    """A page rendered once per snapshot set and ``key`` (everything the page shows depends
    on: its path, query and day), its bytes kept in the gate's byte-bounded memo: the
    overview rendered its 13 figures' JSON and CSV again on every request (~50 ms)."""
    def compute(_: Atlas) -> tuple[int, bytes]:
        response = build()
        return response.status_code, bytes(response.body)

    status, body = gate.run(("html", *key), compute)
    return HTMLResponse(body, status_code=status)


def error_page(request: Request, status: int, message: str, close_matches: list[str]
               ) -> HTMLResponse:
    return render(request, "error.html.j2", status=status, status_code=status, message=message,
                  close_matches=close_matches)


def sections_for(app: FastAPI, gate: StoreGate, keys: list[str], when: dt.date
                 ) -> tuple[list[Section], list[Any]]:
    """The report's sections by key, and their sources' credits (memoised per day)."""
    from fwatlas.figures import build_section
    from fwatlas.report.credits import credits

    if not keys:
        return [], []

    def compute(atlas: Atlas) -> tuple[list[Section], list[Any]]:
        secs = [build_section(atlas, _ctx(app, when), k) for k in keys]
        return secs, credits([s for sec in secs for s in sec.sources])

    out: tuple[list[Section], list[Any]] = gate.run(("sections", tuple(keys), when), compute)
    return out


def _sections_page(request: Request, gate: StoreGate, app: FastAPI, keys: list[str],
                   title: str, when: dt.date, **extra: Any) -> HTMLResponse:
    sections, creds = sections_for(app, gate, keys, when)
    extra_creds = extra.pop("card_credits", [])
    seen = {c.snapshot_id for c in creds}
    creds = [*creds, *(c for c in extra_creds if c.snapshot_id not in seen)]
    return render(request, "sections.html.j2", title=title, sections=sections, credits=creds,
                  as_of=when, needs_plotly=any(s.figures for s in sections), **extra)


def research_view(atlas: Atlas, venue: str | None, year_from: int | None,
                  year_to: int | None) -> dict[str, Any]:
    """The explorer's figure and rows for the filters (venue, year range)."""
    from fwatlas.analyses.research import research
    from fwatlas.figures.research import f3_figure

    venues = sorted({r.venue for r in research(atlas).rows if r.venue != "all"})
    result = research(atlas, venue=venue, year_from=year_from, year_to=year_to)
    rows = list(result.rows)
    figure = None
    if any(r.pytorch_share is not None for r in rows):
        figure = f3_figure(rows, fig_id="explorer-f3",
                           title="PyTorch's share of papers using PyTorch or TensorFlow"
                                 + (f" – {venue}" if venue else ""))
    return {"venues": venues, "rows": rows, "figure": figure, "sources": result.sources(),
            "hint": result.hint, "notes": result.notes}


def install(app: FastAPI, gate: StoreGate) -> None:
    """Register the pages on ``app``."""
    from fwatlas.figures import section_keys

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request, as_of: FormDate = None) -> HTMLResponse:
        from pathlib import Path

        from fwatlas.report.credits import credits
        from fwatlas.verdict.scorecard import scorecard

        when = today(app, as_of)
        kb = Path(app.state.kb) if app.state.kb else None

        def build() -> HTMLResponse:
            # the scorecard first: who leads each round today, then the evidence by section
            card = gate.run(("scorecard", when), lambda a: scorecard(a, as_of=when, kb=kb))
            api = "/api/report" + (f"?as_of={as_of.isoformat()}" if as_of else "")
            return _sections_page(request, gate, app, section_keys(), "Overview", when,
                                  scorecard=card, card_credits=credits(list(card.sources)),
                                  as_of_form={"value": as_of.isoformat() if as_of else "",
                                              "api": api})

        return memo_page(gate, ("/", when, as_of), build)

    @app.get("/model", response_class=HTMLResponse, include_in_schema=False)
    def model_search(request: Request,
                     q: str | None = Query(None, max_length=300),
                     snapshot: str | None = Query(None, max_length=200)) -> Response:
        if q and q.strip():
            target = "/model/" + urllib.parse.quote(q.strip(), safe="/")
            if snapshot and snapshot.strip():
                target += "?" + urllib.parse.urlencode({"snapshot": snapshot.strip()})
            return RedirectResponse(target, status_code=303)
        return render(request, "model.html.j2", info=None, query="", close_matches=[],
                      snapshot=None, message=None)

    @app.get("/model/{model_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def model_page(request: Request, model_id: str,
                   snapshot: str | None = Query(None, max_length=200)) -> HTMLResponse:
        from fwatlas.commands import SNAPSHOT_ID, Option
        from fwatlas.commands.builders import model

        snapshot = snapshot or None
        Option("snapshot", pattern=SNAPSHOT_ID).check(snapshot)  # an id, never a local file
        try:
            info = gate.run(("model", model_id, snapshot), lambda a: model(
                a, Ctx(app.state.kb, today(app)), {"model_id": model_id, "snapshot": snapshot,
                                                   "table": gate.model_table(snapshot)}))
        except NotFound as exc:
            return render(request, "model.html.j2", status=404, info=None, query=model_id,
                          close_matches=exc.close_matches, message=str(exc),
                          snapshot=snapshot)
        return render(request, "model.html.j2", info=info, query=model_id, close_matches=[],
                      message=None, snapshot=snapshot)

    @app.get("/research", response_class=HTMLResponse, include_in_schema=False)
    def research(request: Request) -> HTMLResponse:
        """The explorer's own layout; its fields are the command table's ``research`` options,
        parsed and checked as the API parses them."""
        from fwatlas.analyses.research_code import EVIDENCE
        from fwatlas.figures.missing import optional_module
        from fwatlas.web.views import blocks, query_args, view_for

        args = query_args(view_for("/research"), request)
        venue, year_from, year_to, evidence = (args["venue"], args["from"], args["to"],
                                               args["evidence"])
        if optional_module("fwatlas.analyses.research") is None:
            return _sections_page(request, gate, app, ["research"], "Research explorer",
                                  today(app))
        venue = venue or None
        view = gate.run(("research-page", venue, year_from, year_to),
                        lambda a: research_view(a, venue, year_from, year_to))
        # the linked code's rows (papers' repositories, from 2022), as --evidence code prints
        code: dict[str, Any] = {"rows": []}
        if evidence != "text":
            # the payload --json prints for this --evidence (with all, a venue the code rows
            # lack gives text rows only, as in the CLI; with code, it is a 422 like exit 2)
            code = gate.run(("research-payload", venue, year_from, year_to, evidence),
                            lambda a: command("research").run(a, Ctx(app.state.kb, today(app)),
                                                              args))
        code_rows = [{k: r[k] for k in ("venue", "year", "repositories", "n", "pytorch_share",
                                        "pytorch_share_ci95", "tensorflow_share", "jax_share",
                                        "sample") if k in r}
                     for r in code["rows"] if r.get("series") == "code"]
        query = urllib.parse.urlencode([(k, v) for k, v in request.query_params.multi_items()
                                        if v != ""])
        from fwatlas.kinds import ingest_hint

        return render(request, "research.html.j2", title="Research explorer", view=view,
                      papers_hint=ingest_hint("papers"),
                      api_href="/api/research" + (f"?{query}" if query else ""),
                      venue=venue or "", year_from=year_from, year_to=year_to,
                      evidence=evidence, evidences=EVIDENCE,
                      code=code, code_blocks=blocks({"linked code": code_rows}),
                      needs_plotly=view["figure"] is not None and evidence != "code")

    @app.get("/advisor", response_class=HTMLResponse, include_in_schema=False)
    def advisor(request: Request) -> HTMLResponse:
        """The advisor's own form; its fields, their valid values and their parsing are the
        command table's ``advise`` options, as the API's and the CLI's are."""
        from fwatlas.figures.missing import optional_module
        from fwatlas.web.views import frozen, query_args, view_for

        view = view_for("/advisor")
        args = query_args(view, request)
        when = today(app, args["as_of"])
        if optional_module("fwatlas.advisor") is None:
            return _sections_page(request, gate, app, ["advice"], "Advisor", when)
        from fwatlas.commands.builders import advise
        from fwatlas.figures import build_section
        from fwatlas.report.credits import credits

        q = request.query_params
        form = {o.name: (q.getlist(o.name) if o.kind == "list" else q.get(o.name, ""))
                for o in view.options}
        form["ruleset"] = form["ruleset"] or args["ruleset"]
        result = other = None
        if args["persona"]:
            ctx = Ctx(app.state.kb, when)
            key = ("advise", frozen({k: v for k, v in args.items()
                                     if k not in ("ruleset", "as_of")}))
            ruleset = args["ruleset"]
            result = gate.run((*key, ruleset, when), lambda a: advise(
                a, ctx, {**args, "as_of": when}))
            second = "article-2022" if ruleset == "current" else "current"
            other = gate.run((*key, second, when), lambda a: advise(
                a, ctx, {**args, "as_of": when, "ruleset": second}))

        def compute(atlas: Atlas) -> tuple[Section, list[Any]]:
            sec = build_section(atlas, _ctx(app, when), "advice")
            return sec, credits(list(sec.sources))

        section, creds = gate.run(("sections", ("advice",), when), compute)
        return render(request, "advisor.html.j2", title="Advisor", form=form, result=result,
                      other=other, section=section, credits=creds,
                      choices={o.name: o.choices for o in view.options if o.choices},
                      needs_plotly=bool(section.figures))
