"""Scanned repositories per quarter by framework: the Papers-with-Code figure (F5), continued.

Papers with Code labelled each paper's repository with its framework and stopped in 2025;
``fwatlas scan`` labels repositories from their code. A repository's date is its first commit
(git) or its archive's own date, stated per repository; repositories without a date are counted
and left out of the quarters. Scans accumulate: every complete ``repos`` snapshot contributes,
and a repository scanned more than once (same URL, or same content) counts once, with its newest
scan. Shares are of all repositories of the quarter, ``none`` included (as for ``trends pwc``).
Repositories join Papers with Code's paper records through their normalised URL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fwatlas import vocabulary as vocab
from fwatlas.facts import Fact
from fwatlas.store.atlas import Atlas, Snapshot

#: The categories a scan's primary framework can take (mxnet and paddle are reported as other).
SHOWN = ("pytorch", "tensorflow", "jax", "keras", "multi", "other", "none")
KIND = "repos"
TABLE = "repo_frameworks"

_FORGES = "('github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org')"


def sql_normalized_url(column: str) -> str:
    """The same normalisation as fwatlas.scan.urls.normalize_repo_url, as a DuckDB expression
    (a test checks the two agree): scheme, user, port, www., query and .git dropped, forge URLs
    cut to host/owner/name, lower case."""
    s1 = f"regexp_replace(trim({column}), '^git\\+', '')"
    with_scheme = (f"regexp_replace(regexp_replace({s1}, '^[a-zA-Z+]+://([^@/]+@)?', ''), "
                   "'^([^/:]+):[0-9]+', '\\1')")
    scp = f"regexp_replace(regexp_replace({s1}, '^[^@/]+@', ''), '^([^/:]+):', '\\1/')"
    s2 = f"CASE WHEN contains({s1}, '://') THEN {with_scheme} ELSE {scp} END"
    s3 = f"regexp_replace(regexp_replace(lower({s2}), '^www\\.', ''), '[?#].*$', '')"
    s4 = f"regexp_replace({s3}, '/+$', '')"
    s5 = (f"CASE WHEN split_part({s4}, '/', 1) IN {_FORGES} THEN regexp_replace("
          f"array_to_string(string_split({s4}, '/')[1:3], '/'), '@.*$', '') ELSE {s4} END")
    return f"regexp_replace({s5}, '\\.git$', '')"


NOTES = (
    "A repository's date is its first commit (git) or its archive's own date; repositories "
    "without one are counted as undated and left out of the quarters.",
    "A repository counts once (same URL or same content), with its newest scan; the category is "
    "the scan's primary framework (docs/scan.md states the rule).",
    "Shares are of all repositories of the quarter, none included; mxnet and paddle count as "
    "other.",
)


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_end(label: str) -> dt.date:
    year, q = int(label[:4]), int(label[-1])
    if q == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * q + 1, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class RepoTrends:
    """Quarterly shares plus the repositories behind them, each with its date and its source."""

    snapshots: tuple[Snapshot, ...]
    rows: tuple[dict[str, Any], ...]
    repositories: tuple[dict[str, Any], ...]
    undated: int
    papers: dict[str, Any] | None
    pwc_snapshot: Snapshot | None
    notes: tuple[str, ...]
    hint: str | None = None

    def sources(self) -> list[dict[str, Any]]:
        out = [s.source() for s in self.snapshots]
        if self.pwc_snapshot is not None:
            out.append(self.pwc_snapshot.source())
        return out

    def latest(self) -> dict[str, Any] | None:
        return self.rows[-1] if self.rows else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "shown": list(SHOWN), "categories": list(vocab.categories()),
            "repositories_total": len(self.repositories), "undated": self.undated,
            "latest_quarter": (self.latest() or {}).get("quarter"),
            "papers_join": self.papers, "notes": list(self.notes), "hint": self.hint,
            "repositories": list(self.repositories), "rows": list(self.rows),
        }


def _selected(atlas: Atlas, snapshot_id: str | None) -> list[Snapshot]:
    if snapshot_id:
        return [atlas.snapshot(snapshot_id)]
    return [s for s in atlas.snapshots(kind=KIND, include_reference=False)]


def _repositories(atlas: Atlas, nums: list[int]) -> list[dict[str, Any]]:
    result = atlas.con.execute(
        f"""
        SELECT path, url, url_source, content_hash, repo_date, date_source, primary_framework,
               keras_backend, snapshot_id
        FROM (SELECT *, row_number() OVER (PARTITION BY coalesce(url, content_hash)
                                           ORDER BY snapshot_id DESC) AS rank
              FROM {TABLE} WHERE snapshot_id IN (SELECT unnest(?::BIGINT[])))
        WHERE rank = 1 ORDER BY repo_date NULLS LAST, path
        """, [nums])  # noqa: S608 - only the fixed table name is formatted in
    names = [d[0] for d in result.description]
    out = []
    for values in result.fetchall():
        row = dict(zip(names, values, strict=True))
        primary = row.pop("primary_framework")
        row["primary"] = primary if primary in SHOWN else "other"
        row["snapshot_id"] = f"s{row['snapshot_id']}"
        row["date"] = row.pop("repo_date")
        out.append(row)
    return out


def _join_papers(atlas: Atlas, repos: list[dict[str, Any]]
                 ) -> tuple[dict[str, Any] | None, Snapshot | None]:
    """Attach Papers with Code's papers and framework to repositories with a known URL."""
    urls = sorted({r["url"] for r in repos if r.get("url")})
    if not urls or not atlas.has_table("pwc_links"):
        return None, None
    snap = atlas.newest("pwc/links")
    if snap is None or snap.num is None:
        return None, None
    result = atlas.con.execute(
        f"""
        SELECT url, count(DISTINCT paper_url) AS papers, min(paper_date) AS first_paper,
               list_distinct(list(framework) FILTER (WHERE framework <> 'none')) AS fws
        FROM (SELECT {sql_normalized_url('repo_url')} AS url, paper_url, paper_date, framework
              FROM pwc_links WHERE snapshot_id = ?)
        WHERE url IN (SELECT unnest(?::VARCHAR[])) GROUP BY url
        """, [snap.num, urls])  # noqa: S608 - a fixed SQL expression is formatted in
    linked = {}
    for url, papers, first_paper, fws in result.fetchall():
        fws = [f for f in (fws or []) if f]
        linked[url] = {"papers": int(papers), "first_paper": first_paper,
                       "pwc_framework": "none" if not fws else fws[0] if len(fws) == 1
                       else "multi"}
    agree = disagree = 0
    for r in repos:
        info = linked.get(r.get("url") or "")
        r["papers"] = info["papers"] if info else None
        r["pwc_framework"] = info["pwc_framework"] if info else None
        if info:
            if info["pwc_framework"] == r["primary"]:
                agree += 1
            else:
                disagree += 1
    summary = {"repositories_with_url": len(urls), "repositories_with_papers": len(linked),
               "same_framework_as_pwc": agree, "different_framework_from_pwc": disagree,
               "pwc_snapshot_id": snap.id}
    return summary, snap


def repo_trends(atlas: Atlas, *, snapshot_id: str | None = None,
                date_from: dt.date | None = None, date_to: dt.date | None = None
                ) -> RepoTrends:
    """Quarterly framework shares of scanned repositories (every complete scan, or one)."""
    snaps = [s for s in _selected(atlas, snapshot_id) if s.kind == KIND and s.num is not None]
    if not snaps or not atlas.has_table(TABLE):
        return RepoTrends((), (), (), 0, None, None, NOTES,
                          "no scanned repositories; run `fwatlas scan PATH…`")
    repos = _repositories(atlas, [int(s.num) for s in snaps if s.num is not None])
    papers, pwc_snap = _join_papers(atlas, repos)
    in_range = [r for r in repos if r["date"] is None
                or ((date_from is None or r["date"] >= date_from)
                    and (date_to is None or r["date"] <= date_to))]
    counts: dict[str, dict[str, int]] = {}
    for r in in_range:
        if r["date"] is not None:
            counts.setdefault(quarter_of(r["date"]), {}).setdefault(r["primary"], 0)
            counts[quarter_of(r["date"])][r["primary"]] += 1
    rows = []
    for quarter, c in sorted(counts.items()):
        total = sum(c.values())
        row: dict[str, Any] = {"quarter": quarter, "quarter_end": quarter_end(quarter),
                               "repositories": total}
        for cat in vocab.categories():
            shown = cat in SHOWN
            row[cat] = c.get(cat, 0) if shown else None
            row[f"{cat}_share"] = c.get(cat, 0) / total if shown else None
        rows.append(row)
    used = {r["snapshot_id"] for r in repos}
    return RepoTrends(tuple(s for s in snaps if s.id in used), tuple(rows), tuple(in_range),
                      sum(1 for r in in_range if r["date"] is None), papers, pwc_snap, NOTES)


def repo_facts(atlas: Atlas) -> list[Fact]:
    """``repos.scanned``, ``repos.share.<category>`` over every scanned repository, and
    ``repos.share.<category>.latest_quarter`` for the latest quarter with dated repositories."""
    t = repo_trends(atlas)
    if not t.snapshots:
        return []
    src = tuple(t.sources())
    date = max((s.data_date for s in t.snapshots if s.data_date), default=None)
    total = len(t.repositories)
    facts = [Fact("repos.scanned", total, "repositories", "computed", src, date),
             Fact("repos.undated", t.undated, "repositories", "computed", src, date)]
    for cat in SHOWN:
        n = sum(1 for r in t.repositories if r["primary"] == cat)
        facts.append(Fact(f"repos.share.{cat}", n / total if total else None, "share",
                          "computed", src, date))
    row = t.latest()
    if row is not None:
        facts.append(Fact("repos.latest_quarter", row["quarter"], "quarter", "computed", src,
                          date))
        facts.append(Fact("repos.repositories.latest_quarter", row["repositories"],
                          "repositories", "computed", src, date))
        for cat in SHOWN:
            facts.append(Fact(f"repos.share.{cat}.latest_quarter", row[f"{cat}_share"], "share",
                              "computed", src, date))
    return facts
