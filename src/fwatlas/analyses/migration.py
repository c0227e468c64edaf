"""Authors' framework transitions between two years: the article's Sankey, figure F4.

An author's label in a year is the set of frameworks of their framework-labelled papers that
year (``pytorch``, ``tensorflow``, ``pytorch+tensorflow``, …). Only authors with a label in both
years take part; fractions are of each first-year label's authors, as the article draws them.
Authors are matched by name after Unicode (NFKC) normalisation and whitespace folding – the
papers carry no author ids, so two people with one name are one author here.

The article's two numbers are defined exactly: among authors whose first-year label is
TensorFlow only, the share whose second-year label contains PyTorch (it stated 55 %); among
those whose first-year label is PyTorch only, the share whose second-year label contains
PyTorch (85 %).
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from fwatlas import vocabulary as vocab
from fwatlas.analyses.research import edition_snapshots, snapshot_source
from fwatlas.errors import InputError, opt
from fwatlas.facts import Fact
from fwatlas.kinds import ingest_hint
from fwatlas.store import reference
from fwatlas.store.atlas import Atlas, Snapshot


def normalize_author(name: str) -> str:
    """The key two spellings of one author share: NFKC, whitespace runs folded to one space."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def label_name(frameworks: frozenset[str]) -> str:
    order = {c: i for i, c in enumerate(vocab.categories())}
    return "+".join(sorted(frameworks, key=lambda f: order.get(f, 99)))


@dataclass(frozen=True)
class Share:
    """A share with its numerator and denominator, so it can be checked."""

    value: float | None
    authors: int
    of: int

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "authors": self.authors, "of": self.of}


@dataclass(frozen=True)
class MigrationResult:
    """F4: transitions between first-year and second-year labels."""

    first: int
    second: int
    rows: tuple[dict[str, Any], ...]
    nodes: tuple[dict[str, Any], ...]
    links: tuple[dict[str, Any], ...]
    authors: int
    venues: dict[int, tuple[str, ...]]
    excluded: tuple[dict[str, Any], ...]
    tensorflow_to_pytorch: Share
    pytorch_stayed: Share
    snapshots: tuple[Snapshot, ...]
    notes: tuple[str, ...]
    article: dict[str, Any] = field(default_factory=dict)
    hint: str | None = None

    def sources(self) -> list[dict[str, Any]]:
        own = [snapshot_source(s) for s in self.snapshots]
        return own + ([reference.source_of("article")] if self.article else [])

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.first, "to": self.second, "authors": self.authors,
            "tensorflow_to_pytorch": self.tensorflow_to_pytorch.as_dict(),
            "pytorch_stayed": self.pytorch_stayed.as_dict(),
            "venues": {str(y): list(v) for y, v in self.venues.items()},
            "excluded_editions": list(self.excluded),
            "rows": list(self.rows), "nodes": list(self.nodes), "links": list(self.links),
            "notes": list(self.notes), "article_2022": self.article, "hint": self.hint,
        }


def _labels(atlas: Atlas, snaps: list[Snapshot], year: int
            ) -> tuple[dict[str, frozenset[str]], set[str]]:
    """(author -> label, venues that contributed) for one year."""
    ids = [s.num for s in snaps if s.num is not None]
    if not ids:
        return {}, set()
    marks = ", ".join("?" * len(ids))
    rows = atlas.con.execute(
        f"SELECT venue, authors, frameworks FROM papers WHERE snapshot_id IN ({marks}) "  # noqa: S608
        "AND year = ? AND len(frameworks) > 0 AND len(authors) > 0", [*ids, year]).fetchall()
    labels: dict[str, set[str]] = defaultdict(set)
    venues: set[str] = set()
    for venue, authors, frameworks in rows:
        venues.add(venue)
        for a in authors:
            key = normalize_author(a)
            if key:
                labels[key].update(frameworks)
    return {a: frozenset(fws) for a, fws in labels.items()}, venues


def _share(pairs: list[tuple[frozenset[str], frozenset[str]]], source: frozenset[str],
           target_contains: str) -> Share:
    base = [t for s, t in pairs if s == source]
    hits = sum(1 for t in base if target_contains in t)
    return Share(hits / len(base) if base else None, hits, len(base))


NOTES = (
    "An author's label in a year is the set of frameworks of their framework-labelled papers "
    "that year; only authors labelled in both years take part.",
    "fraction: of the first-year label's authors (the article's view), not of all authors.",
    "Authors are matched by name after Unicode NFKC normalisation and whitespace folding.",
    "Editions without framework evidence or without author lists cannot contribute (listed in "
    "excluded_editions).",
)


def migration(atlas: Atlas, *, first: int, second: int) -> MigrationResult:
    """Transitions of authors' framework labels from year ``first`` to year ``second``."""
    if first >= second:
        raise InputError(f"{opt('from')} must be the earlier year and {opt('to')} the later one "
                         f"(got {opt('from')} {first} {opt('to')} {second})")
    snaps = [s for s in edition_snapshots(atlas)]
    excluded: list[dict[str, Any]] = []
    usable: list[Snapshot] = []
    if snaps and atlas.has_table("paper_editions"):
        by_num = {s.num: s for s in snaps}
        marks = ", ".join("?" * len(by_num))
        for num, venue, year, evidence, with_authors in atlas.con.execute(
                "SELECT e.snapshot_id, e.venue, e.year, e.evidence, "  # noqa: S608
                "(SELECT count(*) FROM papers p WHERE p.snapshot_id = e.snapshot_id "
                " AND len(p.authors) > 0) FROM paper_editions e "
                f"WHERE e.snapshot_id IN ({marks}) ORDER BY e.venue", list(by_num)).fetchall():
            if year not in (first, second):
                continue
            if evidence is None:
                excluded.append({"venue": venue, "year": year, "reason": "no framework evidence"})
            elif not with_authors:
                excluded.append({"venue": venue, "year": year, "reason": "no author lists"})
            else:
                usable.append(by_num[num])
    a_labels, a_venues = _labels(atlas, usable, first)
    b_labels, b_venues = _labels(atlas, usable, second)
    both = sorted(set(a_labels) & set(b_labels))
    pairs = [(a_labels[a], b_labels[a]) for a in both]
    transitions = Counter((label_name(s), label_name(t)) for s, t in pairs)
    per_source = Counter(label_name(s) for s, _ in pairs)
    ordered = sorted(transitions.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
    rows = tuple({"source": s, "target": t, "authors": n, "fraction": n / per_source[s]}
                 for (s, t), n in ordered)
    left = sorted({s for (s, _), _ in ordered})
    right = sorted({t for (_, t), _ in ordered})
    nodes = tuple([{"id": i, "label": lab, "year": first} for i, lab in enumerate(left)]
                  + [{"id": len(left) + i, "label": lab, "year": second}
                     for i, lab in enumerate(right)])
    links = tuple({"source": left.index(s), "target": len(left) + right.index(t), "value": n}
                  for (s, t), n in ordered)
    tf, pt = frozenset({"tensorflow"}), frozenset({"pytorch"})
    hint = None
    if not usable:
        hint = (f"no venue edition of {first} and {second} has framework evidence and authors; "
                f"`{ingest_hint('papers')}` with paper lists (or PDFs and --metadata) fills it")
    article = {k: {"value": f.value, "data_date": f.data_date, "note": f.note}
               for k, f in reference.lookup("article").items() if k.startswith("migration.")}
    return MigrationResult(
        first=first, second=second, rows=rows, nodes=nodes, links=links, authors=len(pairs),
        venues={first: tuple(sorted(a_venues)), second: tuple(sorted(b_venues))},
        excluded=tuple(excluded),
        tensorflow_to_pytorch=_share(pairs, tf, "pytorch"),
        pytorch_stayed=_share(pairs, pt, "pytorch"),
        snapshots=tuple(sorted(usable, key=lambda s: s.dataset)), notes=NOTES, article=article,
        hint=hint)


def migration_facts(atlas: Atlas) -> list[Fact]:
    """``migration.tensorflow_to_pytorch.<y1>_<y2>`` and ``migration.pytorch_stayed.<y1>_<y2>``
    for every pair of consecutive years the papers cover."""
    years = sorted({int(s.dataset.rsplit("_", 1)[1]) for s in edition_snapshots(atlas)
                    if s.dataset.rsplit("_", 1)[-1].isdigit()})
    facts: list[Fact] = []
    for y1, y2 in zip(years, years[1:], strict=False):
        if y2 != y1 + 1:
            continue
        m = migration(atlas, first=y1, second=y2)
        if not m.authors:
            continue
        sources = tuple(m.sources())
        dates = [s.data_date for s in m.snapshots if s.data_date]
        for name, sh in (("tensorflow_to_pytorch", m.tensorflow_to_pytorch),
                         ("pytorch_stayed", m.pytorch_stayed)):
            facts.append(Fact(f"migration.{name}.{y1}_{y2}", sh.value, "share of authors",
                              "computed", sources, max(dates) if dates else None))
    return facts
