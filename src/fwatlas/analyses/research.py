"""Framework mentions in conference papers, per venue edition: the article's figure F3.

Counts follow Horace He's tracker: ``pytorch_only`` papers mention PyTorch and not TensorFlow,
``tensorflow_only`` the reverse, ``both`` both (JAX is not considered in these three), ``jax``
papers mention JAX, ``none`` mention no framework of the vocabulary – so the columns need not sum
to ``papers``. ``pytorch_share = pytorch_only / (pytorch_only + tensorflow_only)``.

Each edition's counts rest on one kind of evidence (``words`` the tracker found, ``text`` fwatlas
scanned, or ``published`` counts); a column that evidence cannot show is null, and an edition
without any framework evidence has null counts, never zeros. Published and computed rows are
both returned, labelled by ``basis``, and never added together – also not in the per-year
``all`` rows.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from fwatlas.errors import InputError, opt
from fwatlas.facts import Fact
from fwatlas.kinds import ingest_hint
from fwatlas.stats import wilson_interval
from fwatlas.store import reference
from fwatlas.store.atlas import Atlas, Snapshot

ALL = "all"
#: a per-year ``all`` row needs this many venues with evidence that year: one venue's share is
#: that venue's, and set beside a cross-venue figure (the article's) it would not compare alike
MIN_VENUES = 2
COUNTS = ("pytorch_only", "tensorflow_only", "both", "jax", "none")


@dataclass(frozen=True)
class ResearchRow:
    """One venue edition (or one year's ``all`` aggregate) under one basis."""

    venue: str
    year: int
    papers: int | None
    pytorch_only: int | None
    tensorflow_only: int | None
    both: int | None
    jax: int | None
    none: int | None
    pytorch_share: float | None
    basis: str
    evidence: str | None
    snapshot_ids: tuple[str, ...]
    venues: tuple[str, ...] = ()

    @property
    def n(self) -> int | None:
        """The papers behind ``pytorch_share``: those using exactly one of the two."""
        if self.pytorch_only is None or self.tensorflow_only is None:
            return None
        return self.pytorch_only + self.tensorflow_only

    @property
    def pytorch_share_ci95(self) -> tuple[float, float] | None:
        """The 95 % Wilson interval of ``pytorch_share`` (None without a count)."""
        n = self.n
        return wilson_interval(self.pytorch_only or 0, n) if n else None

    def as_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["snapshot_ids"] = list(self.snapshot_ids)
        out["venues"] = list(self.venues)
        out["n"] = self.n
        ci = self.pytorch_share_ci95
        out["pytorch_share_ci95"] = list(ci) if ci else None
        return out


@dataclass(frozen=True)
class ResearchResult:
    """F3: rows per venue edition and per year, with the snapshots they rest on."""

    rows: tuple[ResearchRow, ...]
    snapshots: tuple[Snapshot, ...]
    notes: tuple[str, ...]
    article: dict[str, Any] = field(default_factory=dict)
    hint: str | None = None

    def sources(self) -> list[dict[str, Any]]:
        own = [snapshot_source(s) for s in self.snapshots]
        return own + ([reference.source_of("article")] if self.article else [])

    def as_dict(self) -> dict[str, Any]:
        return {"rows": [r.as_dict() for r in self.rows], "notes": list(self.notes),
                "article_2022": self.article, "hint": self.hint}


def snapshot_source(s: Snapshot) -> dict[str, Any]:
    """The envelope entry; an ingested published-counts snapshot is ``published`` too."""
    from fwatlas.sources.papers import PUBLISHED_DATASET  # lazily: it imports pyarrow

    src = s.source()
    if s.dataset == PUBLISHED_DATASET:
        src["basis"] = "published"
    return src


def share(pt: int | None, tf: int | None) -> float | None:
    """PyTorch's share of papers that use exactly one of the two (None without evidence)."""
    if pt is None or tf is None or pt + tf == 0:
        return None
    return pt / (pt + tf)


def edition_snapshots(atlas: Atlas) -> list[Snapshot]:
    """The newest snapshot of every venue edition (``papers/<venue>_<year>``)."""
    from fwatlas.sources.papers import PUBLISHED_DATASET  # lazily: it imports pyarrow

    return [s for s in atlas.newest_per_dataset("papers") if s.dataset != PUBLISHED_DATASET
            and not s.is_reference]


def _computed_rows(atlas: Atlas, snaps: list[Snapshot]) -> list[ResearchRow]:
    if not snaps or not atlas.has_table("paper_editions"):
        return []
    ids = {s.num: s for s in snaps if s.num is not None}
    marks = ", ".join("?" * len(ids))
    result = atlas.con.execute(
        f"""
        SELECT e.snapshot_id, e.venue, e.year, e.evidence, e.shows, count(p.paper_id),
          count(*) FILTER (WHERE list_contains(p.frameworks, 'pytorch')
                           AND NOT list_contains(p.frameworks, 'tensorflow')),
          count(*) FILTER (WHERE list_contains(p.frameworks, 'tensorflow')
                           AND NOT list_contains(p.frameworks, 'pytorch')),
          count(*) FILTER (WHERE list_contains(p.frameworks, 'pytorch')
                           AND list_contains(p.frameworks, 'tensorflow')),
          count(*) FILTER (WHERE list_contains(p.frameworks, 'jax')),
          count(*) FILTER (WHERE p.paper_id IS NOT NULL AND len(p.frameworks) = 0)
        FROM paper_editions e LEFT JOIN papers p ON p.snapshot_id = e.snapshot_id
        WHERE e.snapshot_id IN ({marks})
        GROUP BY e.snapshot_id, e.venue, e.year, e.evidence, e.shows
        """, list(ids))  # noqa: S608 - only placeholders are formatted in
    rows = []
    for num, venue, year, evidence, shows, papers, pt, tf, both, jax, none in result.fetchall():
        shows = set(shows or ())
        known = evidence is not None
        row_pt = pt if known and "pytorch" in shows else None
        row_tf = tf if known and "tensorflow" in shows else None
        rows.append(ResearchRow(
            venue=venue, year=int(year), papers=int(papers),
            pytorch_only=row_pt, tensorflow_only=row_tf,
            both=both if row_pt is not None and row_tf is not None else None,
            jax=jax if known and "jax" in shows else None,
            none=none if known else None,
            pytorch_share=share(row_pt, row_tf), basis="computed", evidence=evidence,
            snapshot_ids=(ids[num].id,)))
    return rows


def _published_rows(atlas: Atlas, snap: Snapshot | None) -> list[ResearchRow]:
    if snap is None:
        return []
    values: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    if snap.is_reference:
        for f in reference.figures(snap.dataset):
            ref_venue, ref_year, metric = f.key.split(".")
            if f.value is not None:
                values[(ref_venue, int(ref_year))][metric] = int(f.value)
    elif atlas.has_table("papers_published"):
        for venue, year, pt, tf, papers in atlas.con.execute(
                "SELECT venue, year, pytorch_only, tensorflow_only, papers FROM papers_published "
                "WHERE snapshot_id = ?", [snap.num]).fetchall():
            values[(str(venue), int(year))] = {"pytorch_only": int(pt),
                                               "tensorflow_only": int(tf), "papers": int(papers)}
    rows = []
    for (venue, year), v in values.items():
        pt, tf = v.get("pytorch_only"), v.get("tensorflow_only")
        rows.append(ResearchRow(venue, year, v.get("papers"), pt, tf, None, None, None,
                                share(pt, tf), "published", "published", (snap.id,)))
    return rows


def _sum(values: list[int | None]) -> int | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def year_aggregates(rows: list[ResearchRow]) -> list[ResearchRow]:
    """One ``all`` row per year and basis, over the editions that have framework evidence –
    only where at least ``MIN_VENUES`` venues have that year (else the venue's own row is the
    year's figure, named)."""
    groups: dict[tuple[int, str], list[ResearchRow]] = defaultdict(list)
    for r in rows:
        if r.venue != ALL and r.pytorch_only is not None and r.tensorflow_only is not None:
            groups[(r.year, r.basis)].append(r)
    out = []
    for (year, basis), members in sorted(groups.items()):
        if len({m.venue for m in members}) < MIN_VENUES:
            continue
        members.sort(key=lambda r: r.venue)
        pt = _sum([m.pytorch_only for m in members])
        tf = _sum([m.tensorflow_only for m in members])
        evidence = {m.evidence for m in members}
        out.append(ResearchRow(
            venue=ALL, year=year, papers=_sum([m.papers for m in members]),
            pytorch_only=pt, tensorflow_only=tf, both=_sum([m.both for m in members]),
            jax=_sum([m.jax for m in members]), none=_sum([m.none for m in members]),
            pytorch_share=share(pt, tf), basis=basis,
            evidence=evidence.pop() if len(evidence) == 1 else "mixed",
            snapshot_ids=tuple(sorted({s for m in members for s in m.snapshot_ids})),
            venues=tuple(m.venue for m in members)))
    return out


NOTES = (
    "pytorch_only / tensorflow_only: papers mentioning one and not the other; both: both; "
    "jax: papers mentioning JAX; none: papers mentioning no framework of the vocabulary – the "
    "columns need not sum to papers.",
    "pytorch_share = pytorch_only / (pytorch_only + tensorflow_only) (the article's F3).",
    "evidence `words`: keywords the tracker found in each PDF (it looked for PyTorch and "
    "TensorFlow words only, so jax is null; none = neither of the two); `text`: fwatlas's scan "
    "of the paper text; `published`: the tracker's published counts (both, jax, none not "
    "stated: null).",
    "Editions without framework evidence (no words, no text) have null counts, not zeros; "
    "`all` rows sum only editions with evidence and list them, and exist only for years at "
    "least two venues have (a one-venue year is that venue's row); published and computed rows "
    "are never added together.",
    "n = pytorch_only + tensorflow_only (the papers behind pytorch_share); pytorch_share_ci95: "
    "its 95 % Wilson interval.",
)


def research(atlas: Atlas, *, venue: str | None = None, year_from: int | None = None,
             year_to: int | None = None) -> ResearchResult:
    """F3 rows: every venue edition's counts and each year's aggregates, computed and published.

    ``venue`` filters editions (``all`` keeps only the per-year aggregates); ``year_from`` and
    ``year_to`` bound the years (inclusive).
    """
    from fwatlas.sources.papers import PUBLISHED_DATASET, canonical_venue  # they import pyarrow

    if year_from is not None and year_to is not None and year_from > year_to:
        raise InputError(f"{opt('from')} {year_from} is after {opt('to')} {year_to}")
    editions = edition_snapshots(atlas)
    published = atlas.newest(PUBLISHED_DATASET)
    rows = _computed_rows(atlas, editions) + _published_rows(atlas, published)
    rows += year_aggregates(rows)
    wanted = canonical_venue(venue) if venue else None
    if wanted is not None and wanted not in {r.venue for r in rows}:
        known = sorted({r.venue for r in rows} | {ALL})
        raise InputError(f"unknown venue {venue!r}; known: {', '.join(known)}", param="venue")
    rows = [r for r in rows
            if (wanted is None or r.venue == wanted)
            and (year_from is None or r.year >= year_from)
            and (year_to is None or r.year <= year_to)]
    rows.sort(key=lambda r: (r.year, r.venue == ALL, r.venue, r.basis))
    used = {s for r in rows for s in r.snapshot_ids}
    snaps = [s for s in editions + ([published] if published else []) if s.id in used]
    hint = None
    if not editions:
        hint = (f"only the tracker's published counts are available; `{ingest_hint('papers')}` "
                "(paper lists or PDFs) adds computed rows with both, jax and none")
    article = {k: {"value": f.value, "data_date": f.data_date, "note": f.note}
               for k, f in reference.lookup("article").items() if k.startswith("research.")}
    return ResearchResult(tuple(rows), tuple(snaps), NOTES, article, hint)


# --- facts ------------------------------------------------------------------------------------


def _fact(name: str, value: float | int | None, unit: str, row: ResearchRow,
          snaps: dict[str, Snapshot], *, counted: bool = False) -> Fact:
    """One research fact; ``counted``: a share of the row's papers, with their n and interval."""
    used = [snaps[i] for i in row.snapshot_ids if i in snaps]
    dates = [s.data_date for s in used if s.data_date]
    return Fact(name, value, unit, row.basis, tuple(snapshot_source(s) for s in used),
                max(dates) if dates else None, n=row.n if counted else None,
                ci95=row.pytorch_share_ci95 if counted else None)


def research_facts(atlas: Atlas) -> list[Fact]:
    """``research.pytorch_share.<venue>.<year>`` (computed), ``research.published_pytorch_share
    .<venue>.<year>`` (published), ``research.jax_share.<venue>.<year>`` where JAX is visible,
    and ``.all.latest`` for the latest year of each."""
    result = research(atlas)
    snaps = {s.id: s for s in result.snapshots}
    facts: list[Fact] = []
    latest: dict[str, ResearchRow] = {}
    for r in result.rows:
        metric = "pytorch_share" if r.basis == "computed" else "published_pytorch_share"
        facts.append(_fact(f"research.{metric}.{r.venue}.{r.year}", r.pytorch_share, "share",
                           r, snaps, counted=True))
        if r.basis == "computed" and r.jax is not None and r.papers:
            facts.append(dataclasses.replace(
                _fact(f"research.jax_share.{r.venue}.{r.year}", r.jax / r.papers,
                      "share of papers", r, snaps), n=r.papers,
                ci95=wilson_interval(r.jax, r.papers)))
        if r.venue == ALL and r.pytorch_share is not None:
            if metric not in latest or r.year > latest[metric].year:
                latest[metric] = r
    for metric, r in latest.items():
        facts.append(_fact(f"research.{metric}.all.latest", r.pytorch_share, "share", r, snaps,
                           counted=True))
        facts.append(_fact(f"research.{metric}.all.latest_year", r.year, "year", r, snaps))
    return facts
