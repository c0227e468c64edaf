"""Each read command's JSON envelope, built from its options: the one path to a command's data.

A builder takes the store (None for a command that reads only the knowledge base), the
:class:`~fwatlas.commands.table.Ctx` and the options by their table keywords, and returns
``sources`` first, then the command's keys, as plain JSON values (DESIGN's envelope). The CLI's
``--json``, the ``/api`` twins and the pages all call these through the command table.

The library is imported inside each builder: the table is read at the CLI's start, and
``fwatlas --help`` must not load the store.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.jsonable import jsonable

if TYPE_CHECKING:
    from fwatlas.advisor.engine import Advice
    from fwatlas.advisor.situation import Situation
    from fwatlas.commands.table import Ctx
    from fwatlas.kb.base import KnowledgeBase
    from fwatlas.kb.matrix import DeployMatrix
    from fwatlas.store.atlas import Atlas

Json = dict[str, Any]


def envelope(payload: Json) -> Json:
    """Sources first, then the command's keys; plain JSON values (dates as ISO strings)."""
    payload.setdefault("sources", [])
    ordered = {"sources": payload["sources"],
               **{k: v for k, v in payload.items() if k != "sources"}}
    out: Json = jsonable(ordered)
    return out


def _result(result: Any) -> Json:
    """An analysis result that states its sources, as an envelope."""
    return envelope({"sources": result.sources(), **result.as_dict()})


# --- evidence from the store ---------------------------------------------------------------------

def facts(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    from fwatlas.facts import list_facts

    found = list_facts(atlas, a["prefix"])
    sources: dict[str, Json] = {}
    for f in found:
        for s in f.sources:
            sources[str(s.get("snapshot_id"))] = s
    return envelope({"sources": list(sources.values()), "rows": [f.as_dict() for f in found]})


def availability(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    """F1 (shares of the Hub's models per framework), or F2 with ``top``."""
    from fwatlas.analyses import availability as av

    if a["top"] is not None:
        from fwatlas.analyses.top_models import top_models

        tm = top_models(atlas, n=a["top"], rank=a["rank"], method=a["method"],
                        snapshot_id=a["snapshot"])
        payload = tm.as_dict()
        payload["sources"] = [tm.snapshot.source()]
        return envelope(payload)
    result = av.availability(atlas, method=a["method"], weight=a["weight"],
                             frameworks=av.parse_frameworks(a["frameworks"]), by=a["by"],
                             snapshot_id=a["snapshot"])
    return envelope({"sources": av.sources_of(result, atlas), **result.as_dict()})


def model(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    """One model; an unknown id raises NotFound with close matches. ``a["table"]``: the
    snapshot's rows read once, as the web app keeps them."""
    from fwatlas.analyses.model_lookup import model_lookup

    info = model_lookup(atlas, a["model_id"], snapshot_id=a["snapshot"], table=a.get("table"))
    return envelope({"sources": [info.snapshot.source()], **info.as_dict()})


def snapshots(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    snaps = atlas.snapshots(kind=a["kind"], states=("open", "complete", "failed"))
    selections = {d: atlas.selection(d) for d in {s.dataset for s in snaps}}

    def reading(s: Any) -> Json:
        sel = selections[s.dataset]
        if s.state != "complete" or sel is None:
            return {"read": "not readable", "why": f"the ingest is {s.state}"}
        if sel.read.id == s.id:
            return {"read": "read", "why": sel.why()}
        return {"read": "shadowed", "why": sel.why_shadowed(s)}

    rows = [{
        "snapshot_id": s.id, "kind": s.kind, "dataset": s.dataset, "state": s.state,
        "data_date": s.data_date, "data_date_source": s.data_date_source,
        "ingested_at": s.ingested_at, "rows": s.rows, "skipped": s.skipped,
        "skipped_items": list(s.skipped_items), "content_hash": s.content_hash,
        "origin": s.origin, "basis": s.basis, "reference": s.is_reference, **reading(s),
    } for s in snaps]
    return envelope({"sources": [s.source() for s in snaps], "rows": rows,
                     "pins": atlas.pins(), "chosen": dict(atlas.overrides)})


def research(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    """Paper text (mentions, to 2022) and linked code (from 2022)."""
    from fwatlas.analyses.research_code import research_payload as text_and_code

    return envelope(text_and_code(atlas, evidence=a["evidence"], venue=a["venue"],
                                  year_from=a["from"], year_to=a["to"]))


def coverage(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    from fwatlas.analyses.coverage import coverage as architectures

    return _result(architectures(atlas, library=a["library"]))


def year_or_date(value: str | None, option: str, end: bool) -> dt.date | None:
    """``trends repos --from/--to``: a year (its first or last day) or a date."""
    from fwatlas.errors import InputError, opt

    if value is None:
        return None
    if value.isdigit() and len(value) == 4:
        return dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{opt(option)} must be YYYY or YYYY-MM-DD, not {value!r}") from None


def repo_trends(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    from fwatlas.analyses.repo_trends import repo_trends as trends

    return _result(trends(atlas, snapshot_id=a["snapshot"],
                          date_from=year_or_date(a["from"], "from", False),
                          date_to=year_or_date(a["to"], "to", True)))


def migration(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    """Two years, not a range."""
    from fwatlas.analyses.migration import migration as authors

    return _result(authors(atlas, first=a["from"], second=a["to"]))


def pwc(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    from fwatlas.analyses.pwc_trends import pwc_trends

    return _result(pwc_trends(atlas, official_only=a["official_only"],
                              snapshot_id=a["snapshot"]))


def signals(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    from fwatlas.analyses.signals import signals as series

    return _result(series(atlas, metric=a["metric"], date_from=a["from"], date_to=a["to"],
                          by=a["by"], window=a["window"], snapshot_id=a["snapshot"]))


def vitality(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    from fwatlas.analyses.vitality import vitality as cadence

    return _result(cadence(atlas, as_of=ctx.day(a), snapshot_id=a["snapshot"],
                           kb_path=ctx.kb_file))


def support(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    from fwatlas.analyses.support import support as installable

    result = installable(atlas, python=a["python"], os=a["os"], arch=a["arch"],
                         snapshot_id=a["snapshot"])
    return envelope({"sources": [result.snapshot.source()] if result.snapshot else [],
                     **result.as_dict()})


def verdict(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    from fwatlas.verdict.method import load_method
    from fwatlas.verdict.verdicts import verdicts

    m = load_method(a["method"])
    payload = verdicts(atlas, round_name=a["round"], method=m, as_of=ctx.day(a),
                       kb=ctx.kb_file).as_dict()
    payload["max_factor"] = m.max_factor
    return envelope(payload)


def status(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    from fwatlas.verdict.status import source_status

    return envelope(source_status(atlas, as_of=ctx.day(a), kb=ctx.kb_file).as_dict())


def report(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    """The report as data: its sections (every figure's data, table and sources), the
    scorecard and every source's credit – what each report format and the overview draw."""
    from fwatlas.figures import ReportContext
    from fwatlas.report import build_report

    built = build_report(atlas, ReportContext(as_of=ctx.day(a), kb_path=ctx.kb))
    return envelope({"sources": built.sources(), **built.as_dict()})


def compare(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    from fwatlas.verdict.compare import compare as changes

    return envelope(changes(atlas, a["old"], a["new"], kb=ctx.kb_file, method=a["method"],
                            file_as=a["file_as"]).as_dict())


def probe_results(atlas: Atlas, ctx: Ctx, a: Json) -> Json:
    """One row per probe record, with the caption (versions, machine) and the per-target
    shares of working paths."""
    from fwatlas.probe.measured import load_results, shares_by_target

    results = load_results(atlas, a["snapshot"])
    if results is None:
        return envelope({"sources": [], "caption": None, "shares": [], "rows": []})
    return envelope({"sources": [results.source()], "caption": results.caption(),
                     "shares": [s.as_dict() for s in shares_by_target(results)],
                     "rows": [r.as_dict() for r in results.records]})


# --- the knowledge base ---------------------------------------------------------------------

def deploy_matrix_of(*, framework: str | None = None, target: str | None = None,
                     kb_path: str | Path | None = None
                     ) -> tuple[DeployMatrix, list[Json]]:
    """The matrix for the options and the knowledge base's sources."""
    from fwatlas.errors import InputError, opt
    from fwatlas.kb import load_kb
    from fwatlas.kb.matrix import MATRIX_FRAMEWORKS
    from fwatlas.kb.matrix import deploy_matrix as build
    from fwatlas.kb.schema import TARGETS, target_option

    if framework is not None and framework not in MATRIX_FRAMEWORKS:
        raise InputError(f"{opt('framework')} {framework!r} is not one of: "
                         f"{', '.join(MATRIX_FRAMEWORKS)}")
    targets = target_option(target, TARGETS)
    kb = load_kb(Path(kb_path) if kb_path else None)
    return build(kb, (framework,) if framework else MATRIX_FRAMEWORKS, targets), kb.sources()


def deploy_matrix(atlas: Atlas | None, ctx: Ctx, a: Json) -> Json:
    """The matrix rows with what the probe measured for each chain (the probe snapshot read
    from the store, else the bundled run) and its source beside the knowledge base's."""
    from fwatlas.probe.measured import annotate_matrix, load_results
    from fwatlas.store.atlas import open_atlas

    matrix, sources = deploy_matrix_of(framework=a["framework"], target=a["target"],
                                       kb_path=ctx.kb)
    rows = matrix.rows()
    results = load_results(atlas if atlas is not None else open_atlas(None))
    annotate_matrix(rows, results)
    return envelope({"sources": [*sources, *([results.source()] if results else [])],
                     "rows": rows})


def kb_list(atlas: Atlas | None, ctx: Ctx, a: Json) -> Json:
    from fwatlas.kb import load_kb
    from fwatlas.kb.query import check_filters, select

    as_of = ctx.day(a)
    filters = {k: a[k] for k in ("framework", "target", "kind", "status")}
    check_filters(**filters)
    kb = load_kb(ctx.kb_file)
    rows = [e.row(as_of) for e in select(kb, **filters, in_article=a["in_article"])]
    scope = kb.as_of_scope(as_of, [r["name"] for r in rows])
    return envelope({"sources": kb.sources(), "as_of": as_of.isoformat(), **scope.as_dict(),
                     "rows": rows})


def kb_show(atlas: Atlas | None, ctx: Ctx, a: Json) -> Json:
    """One entry; an unknown name raises NotFound."""
    from fwatlas.kb import load_kb

    as_of = ctx.day(a)
    kb = load_kb(ctx.kb_file)
    entry = kb.get(a["name"])
    row = entry.row(as_of)
    # the entry's own evidence (URLs, dates) under its own key: ``sources`` is the envelope's,
    # the knowledge-base file this entry was read from, as in every command's --json
    row["entry_sources"] = row.pop("sources")
    hops = kb.follow(entry.name)
    row["successor"] = hops[-1].name if len(hops) > 1 else None
    row["snapshot_id"] = kb.source_of(entry.name)
    scope = kb.as_of_scope(as_of, [entry.name])
    return envelope({"sources": kb.sources(), "as_of": as_of.isoformat(), **scope.as_dict(),
                     **row})


def kb_changes(atlas: Atlas | None, ctx: Ctx, a: Json) -> Json:
    from fwatlas.kb import load_kb
    from fwatlas.kb.changes import kb_changes as changed

    as_of = ctx.day(a)
    kb = load_kb(ctx.kb_file)
    found = changed(kb, as_of)
    scope = kb.as_of_scope(as_of, [c.name for c in found])
    return envelope({"sources": kb.sources(), "as_of": as_of.isoformat(), **scope.as_dict(),
                     "rows": [c.as_dict() for c in found]})


# --- the advisor ----------------------------------------------------------------------------

def advice_of(atlas: Atlas | None, ctx: Ctx, a: Json, *, ruleset: str | None = None,
              with_changes: bool = True) -> tuple[Advice, Situation, KnowledgeBase]:
    """The advice for the options, with the situation and knowledge base it was decided on
    (the CLI's table asks the other ruleset on the same two). Without ``atlas``, the store
    at ``ctx.db`` is opened only if a rule needs it: advise's cold start skips it."""
    from fwatlas.advisor.engine import advise as decide
    from fwatlas.advisor.ruleset import RULESETS
    from fwatlas.advisor.situation import situation
    from fwatlas.errors import InputError, opt
    from fwatlas.kb.loader import load_kb

    ruleset = ruleset or a["ruleset"]
    if ruleset not in RULESETS:
        raise InputError(f"{opt('ruleset')} {ruleset!r} is not one of: {', '.join(RULESETS)}")
    s = situation(a["persona"], targets=a["target"] or [], needs=a["need"] or [],
                  focus=a["focus"], experience=a["experience"], python=a["python"],
                  os=a["os"], arch=a["arch"], accelerator=a["accelerator"],
                  workloads=a["workload"] or [], existing=a["existing"], cloud=a["cloud"],
                  keras_backend=a["keras_backend"])
    kb = load_kb(ctx.kb_file)
    return decide(s, ruleset, atlas=atlas, kb=kb, db=ctx.db, as_of=ctx.day(a),
                  with_changes=with_changes), s, kb


def advise(atlas: Atlas | None, ctx: Ctx, a: Json) -> Json:
    """The recommendation; without ``atlas``, the store at ``ctx.db`` is opened only if a rule
    reads a fact."""
    advice, _, _ = advice_of(atlas, ctx, a)
    return envelope(advice.as_dict())
