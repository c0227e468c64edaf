"""The registry of source kinds: one declaration per kind, below every layer.

A kind's registration says where its reader and its fetcher live, which component owns its
tables (the store migrates them from here: ``fwatlas.store.schema``), what PATH looks like in
every hint that names it, and which derived tables follow an ingest. It is plain data – no
reader is imported until one runs – so the store, the sources and every front end read the
same declaration.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from fwatlas.errors import InputError


class SourceModule(Protocol):
    def ingest(self, session: Any, path: Path, *, data_date: Any, options: dict[str, Any]
               ) -> None: ...


@dataclass(frozen=True)
class SourceKind:
    """One kind of evidence: where its reader and fetcher live, and what it is."""

    kind: str
    module: str
    summary: str
    component: str
    refresh_module: str | None = None
    refresh_hint: str = ""
    #: what PATH is in ``fwatlas ingest KIND PATH``, as every hint shows it (:func:`ingest_hint`)
    example: str = "PATH"
    #: False where a refresh needs the user's choice (a venue and year) or follows evidence
    #: already ingested (every linked repository's archive): ``refresh all`` leaves those out.
    in_refresh_all: bool = True
    #: ``"module:function"`` run on each new snapshot after the reader, inside the ingest's
    #: transaction: the derived tables of the kind (the Hub's availability cube), which the
    #: reader itself does not write (``fwatlas.ingestion`` runs it)
    derive: str | None = None

    def load(self) -> SourceModule:
        module: SourceModule = importlib.import_module(self.module)
        return module


#: Every source kind; built-ins register here exactly as a plugin would (``register``).
KINDS: dict[str, SourceKind] = {}


def resolve(target: str) -> Any:
    """The object a declaration names as ``"module:name"`` (a kind's ``derive``, a refresh
    option's ``default_from``), imported when it is used."""
    module_name, name = target.split(":")
    return getattr(importlib.import_module(module_name), name)


def register(kind: SourceKind) -> None:
    KINDS[kind.kind] = kind


def get(kind: str) -> SourceKind:
    if kind not in KINDS:
        raise InputError(f"unknown source kind {kind!r}; valid kinds: {', '.join(sorted(KINDS))}")
    return KINDS[kind]


def ingest_hint(kind: str, example: str | None = None) -> str:
    """``fwatlas ingest KIND EXAMPLE``: the command that fills a source kind's tables.

    Every "run ``fwatlas ingest …``" hint (an analysis with no evidence, a fetcher offline, a
    report section left empty) is built here from the kind's registration, so a renamed kind
    or a new input layout is one edit; ``example`` narrows it to one layout where only that
    one carries the figure (the dependents of best-of-ml-python's folder)."""
    source = get(kind)
    return f"fwatlas ingest {source.kind} {example or source.example}"


def fill_hint(kind: str) -> str:
    """The fetch when the kind has one, with the ingest beside it as the offline way:
    ``fwatlas refresh jobs (or fwatlas ingest jobs <hn-terms.csv | sites.csv>)``."""
    source = get(kind)
    if not source.refresh_hint:
        return ingest_hint(kind)
    return f"{source.refresh_hint} (or {ingest_hint(kind)})"


register(SourceKind(
    kind="hub", example="FILE",
    module="fwatlas.sources.hub", component="hub",
    summary="Hugging Face Hub model metadata (hub-stats Parquet, list_models JSONL/CSV)",
    refresh_module="fwatlas.sources.hub_fetch", refresh_hint="fwatlas refresh hub",
    derive="fwatlas.analyses.hub_cube:derive",
))

register(SourceKind(
    kind="papers", example="DIR",
    module="fwatlas.sources.papers", component="papers",
    summary="Conference papers: <venue>_<year>.json paper lists, a folder of PDFs/texts with "
            "--metadata, or the tracker's published_counts.csv",
))
register(SourceKind(
    kind="pwc", example="links-between-papers-and-code.json.gz",
    module="fwatlas.sources.pwc", component="pwc",
    summary="Papers with Code links-between-papers-and-code dump (JSON[.gz]; closed July 2025)",
))
register(SourceKind(
    kind="pypi-downloads", example="<dump.json | series.csv>",
    module="fwatlas.sources.pypi_downloads", component="pypi_downloads",
    summary="PyPI downloads: top-pypi-packages dumps (JSON) and the long CSV series",
    refresh_module="fwatlas.sources.pypi_downloads_fetch",
    refresh_hint="fwatlas refresh pypi-downloads",
))
register(SourceKind(
    kind="github", example="<best-of folder | stars.tsv>",
    module="fwatlas.sources.github", component="github",
    summary="GitHub series: best-of-ml-python project snapshots and daily star counts (TSV)",
    refresh_module="fwatlas.sources.github_fetch", refresh_hint="fwatlas refresh github",
))
register(SourceKind(
    kind="jobs", example="<hn-terms.csv | sites.csv>",
    module="fwatlas.sources.jobs", component="jobs",
    summary="Job-post counts: HN 'Who is hiring?' term counts, or date,site,framework,postings",
    refresh_module="fwatlas.sources.jobs_fetch", refresh_hint="fwatlas refresh jobs",
))
register(SourceKind(
    kind="qa", example="<stackoverflow folder | dump.csv>",
    module="fwatlas.sources.qa", component="qa",
    summary="Q&A questions: Stack Overflow yearly counts, Stack Exchange dumps with Tags",
    refresh_module="fwatlas.sources.qa_fetch", refresh_hint="fwatlas refresh qa",
))
register(SourceKind(
    kind="registry", example="<folder>",
    module="fwatlas.sources.registry", component="registry",
    summary="PyPI/npm registry metadata: releases, yanked state, newest-release files",
    refresh_module="fwatlas.sources.registry_fetch", refresh_hint="fwatlas refresh registry",
))
register(SourceKind(
    kind="repos", module="fwatlas.sources.repos", component="repos",
    summary="Code repositories scanned for their framework (directories, git, zip/wheel, tar)",
    refresh_module="fwatlas.repo_refresh", refresh_hint="fwatlas refresh repos",
    in_refresh_all=False,
))
register(SourceKind(
    kind="paper-code", module="fwatlas.sources.paper_code", component="paper_code",
    summary="Paper -> code repository links: venue,year,title,repo_url CSV, Paper Copilot "
            "<venue><year>.json lists, the Papers with Code links dump",
    refresh_module="fwatlas.sources.paper_code_fetch", refresh_hint="fwatlas refresh paper-code",
    in_refresh_all=False,
))
register(SourceKind(
    kind="coverage", module="fwatlas.sources.coverage", component="coverage",
    summary="Transformers architectures per framework, per release (the coverage CSV)",
    refresh_module="fwatlas.sources.coverage_fetch", refresh_hint="fwatlas refresh coverage",
))
register(SourceKind(
    kind="probe", example="FILE",
    module="fwatlas.sources.probe", component="probe",
    summary="Deployment-probe results: JSON lines from fwatlas probe run (any machine)",
))
