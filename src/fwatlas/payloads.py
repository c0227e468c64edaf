"""The ``--json`` objects of the CLI's read commands, built in one place.

The web API must return exactly what ``fwatlas <command> --json`` prints, so both build the
payload here from the same library calls. Every payload carries ``sources`` first, as DESIGN's
envelope shows it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.jsonable import jsonable

if TYPE_CHECKING:  # the store is imported where a payload opens it: advise's cold start skips it
    from fwatlas.advisor.engine import Advice
    from fwatlas.advisor.situation import Situation
    from fwatlas.analyses.model_lookup import ModelTable
    from fwatlas.kb.base import KnowledgeBase
    from fwatlas.kb.matrix import DeployMatrix
    from fwatlas.store.atlas import Atlas


def envelope(payload: dict[str, Any]) -> dict[str, Any]:
    """Sources first, then the command's keys; plain JSON values (dates as ISO strings)."""
    payload.setdefault("sources", [])
    ordered = {"sources": payload["sources"],
               **{k: v for k, v in payload.items() if k != "sources"}}
    out: dict[str, Any] = jsonable(ordered)
    return out


def availability_payload(atlas: Atlas, *, method: str = "tags", weight: str = "count",
                         frameworks: str | None = None, by: str | None = None,
                         top: int | None = None, rank: str = "downloads",
                         snapshot: str | None = None) -> dict[str, Any]:
    """``fwatlas availability [--method --weight --frameworks --by --top --rank --snapshot]``."""
    from fwatlas.analyses import availability as av

    if top is not None:
        from fwatlas.analyses.top_models import top_models

        tm = top_models(atlas, n=top, rank=rank, method=method, snapshot_id=snapshot)
        payload = tm.as_dict()
        payload["sources"] = [tm.snapshot.source()]
        return envelope(payload)
    result = av.availability(atlas, method=method, weight=weight,
                             frameworks=av.parse_frameworks(frameworks), by=by,
                             snapshot_id=snapshot)
    return envelope({"sources": av.sources_of(result, atlas), **result.as_dict()})


def model_payload(atlas: Atlas, model_id: str, *, snapshot: str | None = None,
                  table: ModelTable | None = None) -> dict[str, Any]:
    """``fwatlas model ID [--snapshot]``; unknown ids raise NotFound with close matches
    (``table``: the snapshot's rows read once, as the web app keeps them)."""
    from fwatlas.analyses.model_lookup import model_lookup

    info = model_lookup(atlas, model_id, snapshot_id=snapshot, table=table)
    return envelope({"sources": [info.snapshot.source()], **info.as_dict()})


def snapshots_payload(atlas: Atlas, *, kind: str | None = None) -> dict[str, Any]:
    """``fwatlas snapshots [--kind]``."""
    snaps = atlas.snapshots(kind=kind, states=("open", "complete", "failed"))
    selections = {d: atlas.selection(d) for d in {s.dataset for s in snaps}}

    def reading(s: Any) -> dict[str, Any]:
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


def facts_payload(atlas: Atlas, *, prefix: str | None = None) -> dict[str, Any]:
    """``fwatlas facts [--prefix]``."""
    from fwatlas.facts import list_facts

    facts = list_facts(atlas, prefix)
    sources: dict[str, dict[str, Any]] = {}
    for f in facts:
        for s in f.sources:
            sources[str(s.get("snapshot_id"))] = s
    return envelope({"sources": list(sources.values()), "rows": [f.as_dict() for f in facts]})


def research_payload(atlas: Atlas, *, venue: str | None = None, year_from: int | None = None,
                     year_to: int | None = None, evidence: str = "all") -> dict[str, Any]:
    """``fwatlas research [--venue --from --to --evidence]``: paper text and linked code."""
    from fwatlas.analyses.research_code import research_payload as text_and_code

    return envelope(text_and_code(atlas, evidence=evidence, venue=venue, year_from=year_from,
                                  year_to=year_to))


def coverage_payload(atlas: Atlas, *, library: str = "transformers") -> dict[str, Any]:
    """``fwatlas coverage [--library]``."""
    from fwatlas.analyses.coverage import coverage

    result = coverage(atlas, library=library)
    return envelope({"sources": result.sources(), **result.as_dict()})


def repo_trends_payload(atlas: Atlas, *, snapshot: str | None = None,
                        date_from: dt.date | None = None, date_to: dt.date | None = None
                        ) -> dict[str, Any]:
    """``fwatlas trends repos [--from --to --snapshot]`` (each front end reads a year or a
    date into ``date_from``/``date_to``)."""
    from fwatlas.analyses.repo_trends import repo_trends

    result = repo_trends(atlas, snapshot_id=snapshot, date_from=date_from, date_to=date_to)
    return envelope({"sources": result.sources(), **result.as_dict()})


def migration_payload(atlas: Atlas, *, first: int = 2018, second: int = 2019
                      ) -> dict[str, Any]:
    """``fwatlas migration [--from --to]`` (two years, not a range)."""
    from fwatlas.analyses.migration import migration

    result = migration(atlas, first=first, second=second)
    return envelope({"sources": result.sources(), **result.as_dict()})


def pwc_payload(atlas: Atlas, *, official_only: bool = False, snapshot: str | None = None
                ) -> dict[str, Any]:
    """``fwatlas trends pwc [--official-only --snapshot]``."""
    from fwatlas.analyses.pwc_trends import pwc_trends

    result = pwc_trends(atlas, official_only=official_only, snapshot_id=snapshot)
    return envelope({"sources": result.sources(), **result.as_dict()})


def deploy_matrix_payload(atlas: Atlas | None = None, *, framework: str | None = None,
                          target: str | None = None,
                          kb_path: str | Path | None = None) -> dict[str, Any]:
    """``fwatlas deploy-matrix [--framework --target --kb]``."""
    matrix, sources = deploy_matrix_of(framework=framework, target=target, kb_path=kb_path)
    return deploy_matrix_envelope(matrix, sources, atlas)


def deploy_matrix_of(*, framework: str | None = None, target: str | None = None,
                     kb_path: str | Path | None = None) -> tuple[DeployMatrix,
                                                                 list[dict[str, Any]]]:
    """The matrix for the options and the knowledge base's sources: the CLI's table draws
    from the matrix object (titles per chain), so it is built here, once, for both paths."""
    from fwatlas.errors import InputError, opt
    from fwatlas.kb import load_kb
    from fwatlas.kb.matrix import MATRIX_FRAMEWORKS, deploy_matrix
    from fwatlas.kb.schema import TARGETS, target_option

    if framework is not None and framework not in MATRIX_FRAMEWORKS:
        raise InputError(f"{opt('framework')} {framework!r} is not one of: "
                         f"{', '.join(MATRIX_FRAMEWORKS)}")
    targets = target_option(target, TARGETS)
    kb = load_kb(Path(kb_path) if kb_path else None)
    return deploy_matrix(kb, (framework,) if framework else MATRIX_FRAMEWORKS, targets), \
        kb.sources()


def deploy_matrix_envelope(matrix: DeployMatrix, sources: list[dict[str, Any]],
                           atlas: Atlas | None) -> dict[str, Any]:
    """The ``deploy-matrix`` JSON of a matrix from :func:`deploy_matrix_of`."""
    return envelope(deploy_matrix_measured(matrix.rows(), sources, atlas))


def deploy_matrix_measured(rows: list[dict[str, Any]], sources: list[dict[str, Any]],
                           atlas: Atlas | None) -> dict[str, Any]:
    """The matrix rows with what the probe measured for each chain (the probe snapshot read
    from ``atlas``, else the bundled run) and its source beside the knowledge base's."""
    from fwatlas.probe.measured import annotate_matrix, load_results
    from fwatlas.store.atlas import open_atlas

    results = load_results(atlas if atlas is not None else open_atlas(None))
    annotate_matrix(rows, results)
    return {"sources": [*sources, *([results.source()] if results else [])], "rows": rows}


def kb_changes_payload(*, as_of: Any, kb_path: str | None = None) -> dict[str, Any]:
    """``fwatlas kb changes [--as-of --kb]``."""
    from fwatlas.kb import load_kb
    from fwatlas.kb.changes import kb_changes

    kb = load_kb(Path(kb_path) if kb_path else None)
    changes = kb_changes(kb, as_of)
    scope = kb.as_of_scope(as_of, [c.name for c in changes])
    return envelope({"sources": kb.sources(), "as_of": as_of.isoformat(), **scope.as_dict(),
                     "rows": [c.as_dict() for c in changes]})


def signals_payload(atlas: Atlas, *, metric: str = "downloads", date_from: Any = None,
                    date_to: Any = None, by: str = "framework", window: str = "30d",
                    snapshot: str | None = None) -> dict[str, Any]:
    """``fwatlas signals [--metric --from --to --by --window --snapshot]``."""
    from fwatlas.analyses.signals import signals

    result = signals(atlas, metric=metric, date_from=date_from, date_to=date_to, by=by,
                     window=window, snapshot_id=snapshot)
    return envelope({"sources": result.sources(), **result.as_dict()})


def advise_payload(atlas: Atlas | None, *, persona: str, targets: list[str] | None = None,
                   needs: list[str] | None = None, focus: str | None = None,
                   experience: str | None = None, ruleset: str = "current",
                   python: str | None = None, os: str | None = None, arch: str | None = None,
                   as_of: Any = None, kb_path: str | Path | None = None,
                   accelerator: str | None = None, workloads: list[str] | None = None,
                   existing: str | None = None, cloud: str | None = None,
                   keras_backend: str | None = None, db: Path | None = None
                   ) -> dict[str, Any]:
    """``fwatlas advise --persona … --json``."""
    advice, _, _ = advice_of(
        atlas, persona=persona, targets=targets, needs=needs, focus=focus,
        experience=experience, ruleset=ruleset, python=python, os=os, arch=arch, as_of=as_of,
        kb_path=kb_path, accelerator=accelerator, workloads=workloads, existing=existing,
        cloud=cloud, keras_backend=keras_backend, db=db)
    return envelope(advice.as_dict())


def advice_of(atlas: Atlas | None, *, persona: str, targets: list[str] | None = None,
              needs: list[str] | None = None, focus: str | None = None,
              experience: str | None = None, ruleset: str = "current",
              python: str | None = None, os: str | None = None, arch: str | None = None,
              as_of: Any = None, kb_path: str | Path | None = None,
              accelerator: str | None = None, workloads: list[str] | None = None,
              existing: str | None = None, cloud: str | None = None,
              keras_backend: str | None = None, db: Path | None = None
              ) -> tuple[Advice, Situation, KnowledgeBase]:
    """The advice behind :func:`advise_payload`, with the situation and knowledge base it was
    decided on (the CLI's table asks the other ruleset on the same two). ``db`` instead of
    ``atlas`` opens the store only if a rule needs it."""
    from fwatlas.advisor.engine import advise
    from fwatlas.advisor.ruleset import RULESETS
    from fwatlas.advisor.situation import situation
    from fwatlas.errors import InputError, opt
    from fwatlas.kb.loader import load_kb

    if ruleset not in RULESETS:
        raise InputError(f"{opt('ruleset')} {ruleset!r} is not one of: {', '.join(RULESETS)}")
    s = situation(persona, targets=targets or [], needs=needs or [], focus=focus,
                  experience=experience, python=python, os=os, arch=arch,
                  accelerator=accelerator, workloads=workloads or [], existing=existing,
                  cloud=cloud, keras_backend=keras_backend)
    kb = load_kb(Path(kb_path) if kb_path else None)
    return advise(s, ruleset, atlas=atlas, kb=kb, db=db, as_of=as_of), s, kb


def verdict_payload(atlas: Atlas, *, round_name: str | None = None, method: Any = None,
                    as_of: Any = None, kb: Any = None) -> dict[str, Any]:
    """``fwatlas verdict [--round --method --as-of --kb]``."""
    from fwatlas.verdict.method import load_method
    from fwatlas.verdict.verdicts import verdicts

    m = load_method(method)
    payload = verdicts(atlas, round_name=round_name, method=m, as_of=as_of, kb=kb).as_dict()
    payload["max_factor"] = m.max_factor
    return envelope(payload)


def status_payload(atlas: Atlas, *, as_of: Any = None, kb: Any = None) -> dict[str, Any]:
    """``fwatlas status [--as-of --kb]``."""
    from fwatlas.verdict.status import source_status

    return envelope(source_status(atlas, as_of=as_of, kb=kb).as_dict())


def vitality_payload(atlas: Atlas, *, as_of: Any = None, snapshot: str | None = None,
                     kb: Any = None) -> dict[str, Any]:
    """``fwatlas vitality [--as-of --snapshot --kb]``."""
    from fwatlas.analyses.vitality import vitality

    result = vitality(atlas, as_of=as_of, snapshot_id=snapshot, kb_path=kb)
    return envelope({"sources": result.sources(), **result.as_dict()})


def support_payload(atlas: Atlas, *, python: str = "3.13", os: str = "linux",
                    arch: str = "x86_64", snapshot: str | None = None) -> dict[str, Any]:
    """``fwatlas support [--python --os --arch --snapshot]``."""
    from fwatlas.analyses.support import support

    result = support(atlas, python=python, os=os, arch=arch, snapshot_id=snapshot)
    return envelope({"sources": [result.snapshot.source()] if result.snapshot else [],
                     **result.as_dict()})


def kb_list_payload(*, framework: str | None = None, target: str | None = None,
                    kind: str | None = None, status: str | None = None,
                    in_article: bool = False, as_of: Any, kb_path: Any = None
                    ) -> dict[str, Any]:
    """``fwatlas kb list [--framework --target --kind --status --in-article --as-of --kb]``."""
    from fwatlas.kb import load_kb
    from fwatlas.kb.query import check_filters, select

    check_filters(framework=framework, target=target, kind=kind, status=status)
    kb = load_kb(Path(kb_path) if kb_path else None)
    rows = [e.row(as_of) for e in select(kb, framework=framework, target=target, kind=kind,
                                         status=status, in_article=in_article)]
    scope = kb.as_of_scope(as_of, [r["name"] for r in rows])
    return envelope({"sources": kb.sources(), "as_of": as_of.isoformat(), **scope.as_dict(),
                     "rows": rows})


def kb_show_payload(name: str, *, as_of: Any, kb_path: Any = None) -> dict[str, Any]:
    """``fwatlas kb show NAME [--as-of --kb]``; an unknown name raises NotFound."""
    from fwatlas.kb import load_kb

    kb = load_kb(Path(kb_path) if kb_path else None)
    entry = kb.get(name)
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


def compare_payload(atlas: Atlas, *, old: str, new: str, method: str = "tags",
                    file_as: str = "auto", kb: Any = None) -> dict[str, Any]:
    """``fwatlas compare --old --new [--method --file-as --kb]``."""
    from fwatlas.verdict.compare import compare

    return envelope(compare(atlas, old, new, kb=kb, method=method, file_as=file_as).as_dict())


def probe_results_payload(atlas: Atlas, *, snapshot: str | None = None) -> dict[str, Any]:
    """``fwatlas probe results [--snapshot]``: one row per probe record, with the caption
    (versions, machine) and the per-target shares of working paths."""
    from fwatlas.probe.measured import load_results, shares_by_target

    results = load_results(atlas, snapshot)
    if results is None:
        return envelope({"sources": [], "caption": None, "shares": [], "rows": []})
    return envelope({"sources": [results.source()], "caption": results.caption(),
                     "shares": [s.as_dict() for s in shares_by_target(results)],
                     "rows": [r.as_dict() for r in results.records]})
