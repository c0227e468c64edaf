"""``fwatlas refresh jobs``: job posts per framework from the monthly "Ask HN: Who is hiring?".

Through the Hacker News Algolia API (base ``FWATLAS_HN_API_URL``):
``{base}/search_by_date?tags=story,author_whoishiring`` lists the threads (the month is read
from the title, "Ask HN: Who is hiring? (December 2026)"), ``{base}/items/{id}`` returns one
thread with its comments. Each top-level comment is one post. A post counts for a framework
when its text (HTML stripped) matches the vocabulary's ``jobs`` terms, with the dated rules
(``keras`` is TensorFlow before Keras 3); a post naming two terms of one framework counts once.
Each month is one row per framework with the thread's number of posts as ``total_posts`` – the
``n`` of its shares.

This is a different method from the ``jobs/hn-whoishiring`` extract (which sums term counts),
so it is its own series, ``jobs/hn-algolia``. Only months not yet in the store are fetched (a
month fetched before its end is fetched again); a thread with no posts yet, or one that cannot
be read, is an item-level problem and is left for the next refresh.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from functools import cache
from typing import Any

from fwatlas import settings
from fwatlas import vocabulary as vocab
from fwatlas.errors import SourceUnavailable
from fwatlas.kinds import ingest_hint
from fwatlas.sources import jobs as jb
from fwatlas.sources.http_fetch import Request, Response, fetch_all
from fwatlas.sources.limits import parse_json
from fwatlas.sources.live_ingest import (
    Fetched,
    Part,
    StoredMonths,
    no_months,
    parse_from,
    today,
)
from fwatlas.sources.registry_fetch import http_policy
from fwatlas.textscan import TextScanner

DATASET = "jobs/hn-algolia"
#: the first month fetched when --from is not given: TensorFlow's release (November 2015)
DEFAULT_FROM = dt.date(2015, 11, 1)
DEFAULT_CONCURRENCY = 4
HITS_PER_PAGE = 1000
NOTE = ("each post (a top-level comment of the month's thread) counts once per framework its "
        "text names (vocabulary `jobs` terms; Keras is TensorFlow before Keras 3); "
        "total_posts is the thread's number of posts")
_TITLE = re.compile(r"^\s*Ask HN:\s*Who is hiring\?\s*\((\w+)\s+(\d{4})\)", re.IGNORECASE)
_MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}
_TAG = re.compile(r"<[^>]+>")


#: the `fwatlas refresh` options this fetcher takes
OPTIONS = frozenset({"date_from"})

def base_url() -> str:
    return settings.url("FWATLAS_HN_API_URL").rstrip("/")


def thread_month(title: str) -> dt.date | None:
    """The month a hiring thread's title names, or None for the other whoishiring posts."""
    m = _TITLE.match(title or "")
    if not m or m.group(1).lower() not in _MONTHS:
        return None
    return dt.date(int(m.group(2)), _MONTHS[m.group(1).lower()], 1)


def post_text(raw: str) -> str:
    """A comment's HTML as plain text (tags to spaces, entities decoded)."""
    return html.unescape(_TAG.sub(" ", raw or ""))


def _unreachable(res: Response) -> SourceUnavailable:
    return SourceUnavailable(f"{res.url.split('/')[2]} unreachable ({res.error})",
                             hint=f"offline? {ingest_hint('jobs')}")


def find_threads(since: dt.date, *, progress: bool = False) -> dict[dt.date, str]:
    """Month -> thread id of every hiring thread from ``since`` on (the most commented one
    where a month has two)."""
    stamp = int(dt.datetime(since.year, since.month, 1, tzinfo=dt.UTC).timestamp()) - 86400
    url = (f"{base_url()}/search_by_date?tags=story,author_whoishiring"
           f"&hitsPerPage={HITS_PER_PAGE}&numericFilters=created_at_i>{stamp}")
    pages: list[Any] = []
    page, total_pages = 0, 1
    while page < total_pages:
        [res], _ = fetch_all([Request(f"search{page}", f"{url}&page={page}")], concurrency=1,
                             progress=False, **http_policy())
        if res.status is None:
            raise _unreachable(res)
        if res.status != 200:
            raise SourceUnavailable(f"{res.url}: HTTP {res.status} listing the hiring threads")
        try:
            doc = parse_json(res.body)
            pages.extend(doc["hits"])
            total_pages = int(doc.get("nbPages") or 1)
        except (ValueError, KeyError, TypeError) as exc:
            raise SourceUnavailable(f"{res.url}: not an Algolia search answer ({exc})") from exc
        page += 1
    best: dict[dt.date, tuple[int, str]] = {}
    for hit in pages:
        month = thread_month(str(hit.get("title") or ""))
        if month is None or month < since:
            continue
        comments = int(hit.get("num_comments") or 0)
        if month not in best or comments > best[month][0]:
            best[month] = (comments, str(hit["objectID"]))
    return {m: v[1] for m, v in sorted(best.items())}


def count_posts(thread: dict[str, Any], month: dt.date
                ) -> tuple[int, dict[str, int], dict[str, int]]:
    """(posts, posts per framework, posts per term) of one thread's top-level comments."""
    scanner = _scanner()
    posts = 0
    per_fw: dict[str, int] = {}
    per_term: dict[str, int] = {}
    for child in thread.get("children") or []:
        if not isinstance(child, dict) or not child.get("text") or not child.get("author"):
            continue  # deleted or flagged: no post
        posts += 1
        found = scanner.scan(post_text(str(child["text"])), month)
        for fw in found.frameworks:
            per_fw[fw] = per_fw.get(fw, 0) + 1
        for term in found.terms:
            per_term[term] = per_term.get(term, 0) + 1
    return posts, per_fw, per_term


@cache
def _scanner() -> TextScanner:
    """The matcher over the vocabulary's job terms, built once per process."""
    return TextScanner(vocab.job_terms())


def month_rows(month: dt.date, posts: int, per_fw: dict[str, int],
               per_term: dict[str, int]) -> list[dict[str, Any]]:
    """Term rows, then one row per reported framework (Keras only from Keras 3 on)."""
    term_fw = {t.term: t.framework for t in vocab.job_terms()}
    rows: list[dict[str, Any]] = []
    for term, n in sorted(per_term.items()):
        fw = term_fw.get(term)
        rows.append({"period_start": month, "site": jb.HN_SITE, "subject_kind": "term",
                     "subject": term, "framework": vocab.term_category(term, fw, month),
                     "postings": n, "total_posts": posts})
    for fw in jb.reported():
        if fw == "keras" and vocab.keras_category(month) != "keras":
            continue  # before Keras 3 a Keras post is TensorFlow evidence: no Keras row
        rows.append({"period_start": month, "site": jb.HN_SITE, "subject_kind": "framework",
                     "subject": fw, "framework": fw, "postings": per_fw.get(fw, 0),
                     "total_posts": posts})
    return rows


def gather(limit: int | None = None, *, stored_months: StoredMonths = no_months,
           **kw: Any) -> Fetched:
    """Fetch the hiring threads of every month from ``date_from`` not yet stored (``limit``:
    at most N threads, newest first), as one snapshot."""
    since = parse_from(kw.get("date_from")) or DEFAULT_FROM
    progress = bool(kw.get("progress", True))
    threads = find_threads(since)
    have = stored_months(DATASET, "job_postings")
    todo = [m for m in sorted(threads, reverse=True) if m not in have]
    if limit is not None:
        todo = todo[:max(0, limit)]
    skipped_stored = len([m for m in threads if m in have])
    if not todo:
        return Fetched(notes=(f"nothing new: {skipped_stored} month(s) from {since:%Y-%m} "
                              f"already stored in {DATASET}",))
    reqs = [Request(m.isoformat(), f"{base_url()}/items/{threads[m]}") for m in todo]
    results, _ = fetch_all(reqs, concurrency=DEFAULT_CONCURRENCY, progress=progress,
                           **http_policy())
    if all(r.status is None for r in results):
        raise _unreachable(results[0])
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for month, res in zip(todo, results, strict=True):
        label = f"{month:%Y-%m} (thread {threads[month]})"
        if res.status != 200:
            problems.append(f"{label}: unreadable ({res.error or f'HTTP {res.status}'})")
            continue
        try:
            thread = parse_json(res.body)
            if not isinstance(thread, dict):
                raise TypeError("not an item object")
            posts, per_fw, per_term = count_posts(thread, month)
        except (ValueError, TypeError, AttributeError) as exc:
            problems.append(f"{label}: unreadable ({exc})")
            continue
        if posts == 0:
            problems.append(f"{label}: no posts yet (fetched again next time)")
            continue
        rows.extend(month_rows(month, posts, per_fw, per_term))
    notes = (f"{skipped_stored} month(s) already stored were not fetched again",) \
        if skipped_stored else ()
    if not rows:
        return Fetched(notes=(*notes, *problems))
    origin = f"{base_url()}/search_by_date?tags=story,author_whoishiring"
    return Fetched(parts=(Part(DATASET, "job_postings", jb.SCHEMA, rows, today(), origin,
                               problems, NOTE),), notes=notes)
