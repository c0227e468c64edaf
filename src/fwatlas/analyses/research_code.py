"""Research adoption from code: the framework of each paper's official repository, per edition.

Papers with Code's Trends chart (the article's "60 % PyTorch, 11 % TensorFlow") counted paper
repositories by framework; it closed in July 2025, and the paper-mention tracker stopped in
2022. This is the successor: paper → code links (``ingest``/``refresh paper-code``), each linked
repository scanned (``refresh repos``), counted per venue edition by the scan's primary
framework.

- ``repositories``: linked repositories that were scanned; per category a count (``pytorch``,
  ``tensorflow``, ``jax``, ``keras``, ``other``, ``multi``, ``none``).
- Shares are over the repositories **with** a framework (``repositories - none``): README-only or
  prompting-only code is counted as ``none``, shown, and left out of the shares. Every share
  carries that ``n`` and a 95 % Wilson interval (``fwatlas.stats``).
- An edition's rows come from the user's store when it holds scanned repositories of that
  edition, else from the bundled reference's sample (``paper-code/sample``: ~30 random
  repositories per edition – its intervals are wide, and each row says it is a sample).
- ``all`` rows sum one year's editions of the same basis; store and reference rows are never
  added together.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from fwatlas.errors import InputError, opt
from fwatlas.facts import Fact
from fwatlas.stats import shares_with_intervals
from fwatlas.store import reference
from fwatlas.store.atlas import Atlas, Snapshot

CATEGORIES = ("pytorch", "tensorflow", "jax", "keras", "other", "multi", "none")
FRAMEWORKS = tuple(c for c in CATEGORIES if c != "none")
REFERENCE_DATASET = "paper-code/sample"
ALL = "all"


@dataclass(frozen=True)
class CodeRow:
    """One venue edition (or one year's ``all``) counted from its linked repositories."""

    venue: str
    year: int
    repositories: int
    counts: dict[str, int]
    basis: str
    sample: str | None
    snapshot_ids: tuple[str, ...]
    links: int | None = None
    venues: tuple[str, ...] = ()

    @property
    def with_framework(self) -> int:
        return self.repositories - self.counts.get("none", 0)

    def shares(self) -> tuple[dict[str, float | None], dict[str, list[float] | None]]:
        return shares_with_intervals({c: self.counts.get(c, 0) for c in FRAMEWORKS},
                                     n=self.with_framework)

    def as_dict(self) -> dict[str, Any]:
        shares, ci95 = self.shares()
        out: dict[str, Any] = {"evidence": "code", "series": "code", "venue": self.venue,
                               "year": self.year, "repositories": self.repositories,
                               "links": self.links}
        out.update({c: self.counts.get(c, 0) for c in CATEGORIES})
        out["n"] = self.with_framework
        for c in FRAMEWORKS:
            out[f"{c}_share"] = shares[c]
            out[f"{c}_share_ci95"] = ci95[c]
        out.update({"basis": self.basis, "sample": self.sample,
                    "snapshot_ids": list(self.snapshot_ids), "venues": list(self.venues)})
        return out


@dataclass(frozen=True)
class CodeResult:
    rows: tuple[CodeRow, ...]
    snapshots: tuple[Snapshot, ...]
    notes: tuple[str, ...]
    hint: str | None = None
    unscanned: int = 0

    def sources(self) -> list[dict[str, Any]]:
        return [s.source() for s in self.snapshots]

    def as_dict(self) -> dict[str, Any]:
        return {"rows": [r.as_dict() for r in self.rows], "notes": list(self.notes),
                "hint": self.hint, "unscanned_links": self.unscanned}


NOTES = (
    "code rows: the linked official repository of each paper, downloaded and scanned by "
    "fwatlas's detector (imports, notebooks, declared dependencies); repositories counts the "
    "scanned ones, each category its primary framework.",
    "<category>_share = count / n, n = repositories with a framework (repositories - none); "
    "README-only and prompting-only repositories are none: shown, left out of the shares. "
    "_ci95: 95 % Wilson interval.",
    "rows with basis computed and a sample are the bundled reference's sample (~30 random "
    "repositories per edition): read them with their interval.",
)


def _scanned(atlas: Atlas) -> tuple[dict[str, tuple[str, Snapshot]], list[Snapshot]]:
    """The newest scan result per repository URL (``github.com/owner/name``)."""
    if not atlas.has_table("repo_frameworks"):
        return {}, []
    snaps = {s.num: s for s in atlas.snapshots(kind="repos", include_reference=False)}
    if not snaps:
        return {}, []
    rows = atlas.con.execute(
        "SELECT url, primary_framework, snapshot_id FROM repo_frameworks WHERE url IS NOT NULL "
        "AND snapshot_id IN (SELECT unnest(?::BIGINT[])) ORDER BY snapshot_id",
        [list(snaps)]).fetchall()
    out: dict[str, tuple[str, Snapshot]] = {}
    for url, primary, num in rows:
        out[str(url)] = (str(primary), snaps[int(num)])
    return out, list(snaps.values())


def _store_rows(atlas: Atlas) -> tuple[list[CodeRow], list[Snapshot], int, set[tuple[str, int]]]:
    from fwatlas.sources.paper_code import iter_edition_rows, repo_key

    scanned, _ = _scanned(atlas)
    editions: dict[tuple[str, int], dict[str, Any]] = {}
    for snap, venue, year, repo in iter_edition_rows(atlas):
        e = editions.setdefault((venue, year), {"repos": set(), "snaps": {snap}})
        e["repos"].add(repo_key(repo))
    rows, used, unscanned = [], [], 0
    linked = set(editions)
    for (venue, year), e in sorted(editions.items()):
        counts: dict[str, int] = defaultdict(int)
        snaps = set(e["snaps"])
        for key in e["repos"]:
            hit = scanned.get(key)
            if hit is None:
                unscanned += 1
                continue
            counts[hit[0] if hit[0] in CATEGORIES else "other"] += 1
            snaps.add(hit[1])
        total = sum(counts.values())
        if total == 0:
            continue
        ordered = sorted(snaps, key=lambda s: s.id)
        used += ordered
        rows.append(CodeRow(venue, year, total, dict(counts), "computed", None,
                            tuple(s.id for s in ordered), links=len(e["repos"])))
    return rows, used, unscanned, linked


def _reference_rows(skip: set[tuple[str, int]]) -> list[CodeRow]:
    values: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    for f in reference.figures(REFERENCE_DATASET):
        ref_venue, ref_year, metric = f.key.split(".")
        values[(ref_venue, int(ref_year))][metric] = int(f.value or 0)
    snap_id = next(s.id for s in reference.snapshots() if s.dataset == REFERENCE_DATASET)
    rows = []
    for (venue, year), v in sorted(values.items()):
        if (venue, year) in skip:
            continue
        sample = (f"random sample of {v['sampled']} of {v['links']:,} linked repositories "
                  f"({v['not_fetchable']} not fetchable)")
        rows.append(CodeRow(venue, year, v["repositories"], {c: v[c] for c in CATEGORIES},
                            "computed", sample, (snap_id,), links=v["links"]))
    return rows


def year_aggregates(rows: list[CodeRow]) -> list[CodeRow]:
    """One ``all`` row per year and origin (store or reference sample), never mixed – only
    where at least two venues have that year (``research.MIN_VENUES``): a one-venue year is
    that venue's row, named."""
    from fwatlas.analyses.research import MIN_VENUES

    groups: dict[tuple[int, bool], list[CodeRow]] = defaultdict(list)
    for r in rows:
        if r.venue != ALL:
            groups[(r.year, r.sample is not None)].append(r)
    out = []
    for (year, is_sample), members in sorted(groups.items()):
        if len({m.venue for m in members}) < MIN_VENUES:
            continue
        counts = {c: sum(m.counts.get(c, 0) for m in members) for c in CATEGORIES}
        sample = (f"random samples of {len(members)} edition{'s' if len(members) != 1 else ''}"
                  if is_sample else None)
        out.append(CodeRow(ALL, year, sum(m.repositories for m in members), counts,
                           "computed", sample,
                           tuple(sorted({s for m in members for s in m.snapshot_ids})),
                           links=sum(m.links or 0 for m in members),
                           venues=tuple(sorted(m.venue for m in members))))
    return out


def research_code(atlas: Atlas, *, venue: str | None = None, year_from: int | None = None,
                  year_to: int | None = None) -> CodeResult:
    """Code rows per venue edition and per year (``venue`` ``all``: only the aggregates)."""
    if year_from is not None and year_to is not None and year_from > year_to:
        raise InputError(f"{opt('from')} {year_from} is after {opt('to')} {year_to}")

    def compute() -> tuple[list[CodeRow], list[Snapshot], int]:
        own, used, unscanned, _ = _store_rows(atlas)
        have = {(r.venue, r.year) for r in own}
        rows = own + _reference_rows(have)
        rows += year_aggregates(rows)
        return rows, used, unscanned

    rows, used, unscanned = atlas.memo(("research_code",), compute)
    wanted = venue.strip().lower() if venue else None
    rows = [r for r in rows if (wanted is None or r.venue == wanted)
            and (year_from is None or r.year >= year_from)
            and (year_to is None or r.year <= year_to)]
    rows.sort(key=lambda r: (r.year, r.venue == ALL, r.venue))
    ids = {s for r in rows for s in r.snapshot_ids}
    snaps = {s.id: s for s in [*used, *reference.snapshots()] if s.id in ids}
    hint = None
    if unscanned:
        hint = (f"{unscanned:,} linked repositories are not scanned yet: fwatlas refresh repos "
                "downloads and scans them")
    elif not used:
        hint = ("only the bundled sample is available; fwatlas refresh paper-code --venue V "
                "--year Y then fwatlas refresh repos counts every linked repository")
    return CodeResult(tuple(rows), tuple(sorted(snaps.values(), key=lambda s: s.id)), NOTES,
                      hint, unscanned)


def known_venues(atlas: Atlas) -> set[str]:
    return {r.venue for r in research_code(atlas).rows}


def research_code_facts(atlas: Atlas) -> list[Fact]:
    """``research.code.<category>_share.<venue>.<year>`` and ``.all.latest`` per category."""
    result = research_code(atlas)
    snaps = {s.id: s for s in result.snapshots}
    facts: list[Fact] = []
    latest: CodeRow | None = None
    for r in result.rows:
        shares, ci95 = r.shares()
        used = [snaps[i] for i in r.snapshot_ids if i in snaps]
        dates = [s.data_date for s in used if s.data_date]
        for c in ("pytorch", "tensorflow", "jax"):
            ci = ci95[c]
            facts.append(Fact(f"research.code.{c}_share.{r.venue}.{r.year}", shares[c],
                              "share of repositories with a framework", r.basis,
                              tuple(s.source() for s in used), max(dates) if dates else None,
                              n=r.with_framework or None, ci95=(ci[0], ci[1]) if ci else None))
        if r.venue == ALL and r.with_framework and (latest is None or r.year > latest.year):
            latest = r
    if latest is not None:
        shares, ci95 = latest.shares()
        used = [snaps[i] for i in latest.snapshot_ids if i in snaps]
        dates = [s.data_date for s in used if s.data_date]
        for c in ("pytorch", "tensorflow", "jax"):
            ci = ci95[c]
            facts.append(Fact(f"research.code.{c}_share.all.latest", shares[c],
                              "share of repositories with a framework", latest.basis,
                              tuple(s.source() for s in used), max(dates) if dates else None,
                              n=latest.with_framework or None,
                              ci95=(ci[0], ci[1]) if ci else None))
    return facts


EVIDENCE = ("text", "code", "all")


def research_payload(atlas: Atlas, *, evidence: str = "all", venue: str | None = None,
                     year_from: int | None = None, year_to: int | None = None
                     ) -> dict[str, Any]:
    """``fwatlas research --evidence text|code|all``: text rows (paper mentions, to 2022) and
    code rows (linked repositories, from 2022) in one envelope; every row says its ``series``."""
    from fwatlas.analyses.research import ALL as TEXT_ALL
    from fwatlas.analyses.research import research

    if evidence not in EVIDENCE:
        raise InputError(f"{opt('evidence')} must be one of {', '.join(EVIDENCE)}, "
                         f"not {evidence!r}")
    payload: dict[str, Any] = {"sources": [], "evidence": evidence, "rows": [], "notes": [],
                               "hint": None, "article_2022": {}, "code_notes": [],
                               "code_hint": None}
    code = research_code(atlas, venue=venue, year_from=year_from, year_to=year_to) \
        if evidence != "text" else None
    if evidence != "code":
        try:
            text = research(atlas, venue=venue, year_from=year_from, year_to=year_to)
        except InputError:
            # a venue only the code series knows (e.g. coling) is no error under --evidence all
            if code is None or not code.rows or venue in (None, TEXT_ALL):
                raise
            text = None
        if text is not None:
            payload["sources"] += text.sources()
            payload.update({k: v for k, v in text.as_dict().items() if k != "rows"})
            payload["rows"] += [{**r, "series": "text"} for r in text.as_dict()["rows"]]
    if code is not None:
        if venue and not code.rows and evidence == "code":
            raise InputError(f"unknown venue {venue!r} for code rows; known: "
                             f"{', '.join(sorted(known_venues(atlas)))}", param="venue")
        seen = {s["snapshot_id"] for s in payload["sources"]}
        payload["sources"] += [s for s in code.sources() if s["snapshot_id"] not in seen]
        payload["rows"] += code.as_dict()["rows"]
        payload["code_notes"] = list(code.notes)
        payload["code_hint"] = code.hint
    return payload
