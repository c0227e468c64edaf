"""Papers with Code: per quarter, the share of paper repositories by framework (figure F5).

A repository counts once per quarter of its papers' dates. Its category is the framework the
dump gives it; a repository given two different frameworks in one quarter is ``multi``; ``none``
means the dump detected no framework. The shares are of all repositories of the quarter,
``none`` included. Categories the dump cannot show (``keras``: it never labels Keras; ``other``:
values fwatlas does not know are skipped at ingest) are null, not 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fwatlas import vocabulary as vocab
from fwatlas.facts import Fact
from fwatlas.kinds import ingest_hint
from fwatlas.sources.pwc import CLOSED, DATASET
from fwatlas.store import reference
from fwatlas.store.atlas import Atlas, Snapshot
from fwatlas.store.rows import first_row

#: Categories the dump's framework values can show.
SHOWN = ("pytorch", "tensorflow", "jax", "mxnet", "paddle", "multi", "none")


def quarter_end(year: int, quarter: int) -> dt.date:
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class PwcTrends:
    """F5 for one snapshot of the dump."""

    snapshot: Snapshot | None
    official_only: bool
    rows: tuple[dict[str, Any], ...]
    undated: int
    notes: tuple[str, ...]
    article: dict[str, Any] = field(default_factory=dict)
    hint: str | None = None

    def sources(self) -> list[dict[str, Any]]:
        own = [self.snapshot.source()] if self.snapshot else []
        return own + ([reference.source_of("article")] if self.article else [])

    def latest_complete(self) -> dict[str, Any] | None:
        """The latest quarter that ended by the dump's date (the article's 'latest quarter')."""
        if not self.rows:
            return None
        date = self.snapshot.data_date if self.snapshot else None
        done = [r for r in self.rows if date is None or r["quarter_end"] <= date]
        return (done or list(self.rows))[-1]

    def as_dict(self) -> dict[str, Any]:
        return {
            "official_only": self.official_only,
            "dump_date": self.snapshot.data_date if self.snapshot else None,
            "closed": CLOSED, "undated_links": self.undated,
            "categories": list(vocab.categories()), "shown": list(SHOWN),
            "latest_complete_quarter": (self.latest_complete() or {}).get("quarter"),
            "rows": list(self.rows), "notes": list(self.notes), "article_2022": self.article,
            "hint": self.hint,
        }


NOTES = (
    "A repository counts once per quarter of its papers' dates (papers-with-abstracts dates "
    "where ingested, else the arXiv id's month); two frameworks in one quarter: multi.",
    "Shares are of all repositories of the quarter, none (no framework detected) included; "
    "keras and other are null: the dump cannot show them.",
    "Papers with Code closed in July 2025: its final dump is the newest evidence there will be.",
)


def pwc_trends(atlas: Atlas, *, official_only: bool = False,
               snapshot_id: str | None = None) -> PwcTrends:
    """Quarterly repository shares by framework from the newest (or the given) dump snapshot."""
    article = {k: {"value": f.value, "data_date": f.data_date, "note": f.note}
               for k, f in reference.lookup("article").items() if k.startswith("pwc.")}
    snap = (atlas.snapshot_of(snapshot_id, DATASET, "trends pwc") if snapshot_id
            else atlas.newest(DATASET))
    if snap is None or snap.num is None or not atlas.has_table("pwc_links"):
        return PwcTrends(None, official_only, (), 0, NOTES, article,
                         f"no Papers with Code snapshot; run `{ingest_hint('pwc')}`")
    official = "AND is_official" if official_only else ""
    result = atlas.con.execute(
        f"""
        WITH r AS (
          SELECT year(paper_date) AS y, quarter(paper_date) AS q, repo_url,
                 coalesce(list_distinct(list(framework) FILTER (WHERE framework <> 'none')),
                          []) AS fws
          FROM pwc_links WHERE snapshot_id = ? AND paper_date IS NOT NULL {official}
          GROUP BY ALL)
        SELECT y, q, CASE WHEN len(fws) = 0 THEN 'none' WHEN len(fws) = 1 THEN fws[1]
                          ELSE 'multi' END AS category, count(*)
        FROM r GROUP BY ALL ORDER BY y, q
        """, [snap.num])  # noqa: S608 - only a fixed fragment is formatted in
    counts: dict[tuple[int, int], dict[str, int]] = {}
    for y, q, category, n in result.fetchall():
        counts.setdefault((int(y), int(q)), {})[category] = int(n)
    undated_row = first_row(atlas.con.execute(
        f"SELECT count(DISTINCT repo_url) FROM pwc_links WHERE snapshot_id = ? "  # noqa: S608
        f"AND paper_date IS NULL {official}", [snap.num]))
    rows = []
    for (y, q), c in sorted(counts.items()):
        total = sum(c.values())
        row: dict[str, Any] = {"quarter": f"{y}-Q{q}", "quarter_end": quarter_end(y, q),
                               "repositories": total}
        for cat in vocab.categories():
            shown = cat in SHOWN
            row[cat] = c.get(cat, 0) if shown else None
            row[f"{cat}_share"] = (c.get(cat, 0) / total) if shown and total else None
        rows.append(row)
    return PwcTrends(snap, official_only, tuple(rows),
                     int(undated_row[0]) if undated_row else 0, NOTES, article)


def pwc_facts(atlas: Atlas) -> list[Fact]:
    """``pwc.share.<framework>.latest_quarter`` and ``pwc.repositories.latest_quarter`` (the
    latest quarter that ended by the dump's date), as the article states them."""
    t = pwc_trends(atlas)
    row = t.latest_complete()
    if row is None or t.snapshot is None:
        return []
    src = (t.snapshot.source(),)
    date = t.snapshot.data_date
    facts = [Fact("pwc.repositories.latest_quarter", row["repositories"], "repositories",
                  "computed", src, date),
             Fact("pwc.latest_quarter", row["quarter"], "quarter", "computed", src, date)]
    for cat in SHOWN:
        facts.append(Fact(f"pwc.share.{cat}.latest_quarter", row[f"{cat}_share"], "share",
                          "computed", src, date))
    return facts
