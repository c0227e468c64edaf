"""``fwatlas refresh qa``: monthly question counts per framework from the Stack Exchange API.

For every month from ``--from`` (default November 2015) to the current one that is not yet
stored, ``{base}/questions?site=…&tagged=…&fromdate=…&todate=…&filter=total`` answers one
number per query: the site's questions that month (no tag: the ``n`` of the shares), each
framework tag's (``qa_tags`` in the vocabulary), and – where a framework has several tags that
month (TensorFlow and the keras tag before Keras 3) – the questions carrying each combination
(``tagged=a;b`` means both), so a framework counts *distinct* questions by inclusion-exclusion.

The API's rules are kept: requests go one at a time, a ``backoff`` in an answer is waited out
before the next request, the daily quota (``quota_remaining``; 300 without a key, 10,000 with
``STACKEXCHANGE_KEY``) is reported, and when it runs out (or the API answers
``throttle_violation``) the months fetched so far are stored and the rest listed for the next
refresh. Newest months go first, so a short quota brings the present up to date first. The
current month is stored as far as it has gone (``fwatlas signals`` marks it partial) and is
fetched again next time. Each site is its own series: ``qa/api-stackoverflow``,
``qa/api-datascience``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any, Literal, get_args
from urllib.parse import urlencode

from fwatlas import settings
from fwatlas import vocabulary as vocab
from fwatlas.errors import InputError, SourceUnavailable, opt
from fwatlas.kinds import ingest_hint
from fwatlas.sources import qa
from fwatlas.sources.http_fetch import Request, Response, fetch_all
from fwatlas.sources.jobs import reported
from fwatlas.sources.limits import parse_json
from fwatlas.sources.live_ingest import (
    Fetched,
    Part,
    StoredMonths,
    months,
    next_month,
    no_months,
    parse_from,
    today,
)
from fwatlas.sources.registry_fetch import http_policy

Site = Literal["stackoverflow", "datascience"]
SITES: tuple[str, ...] = get_args(Site)
SITE_HOSTS = {"stackoverflow": qa.SO_SITE, "datascience": qa.DSSE_SITE}
DEFAULT_FROM = dt.date(2015, 11, 1)
#: the longest backoff waited out; a longer one ends the refresh like an exhausted quota
MAX_BACKOFF_S = 120.0
NOTE = ("monthly questions per framework tag from the Stack Exchange API (filter=total); a "
        "framework counts distinct questions with any of its tags (inclusion-exclusion); "
        "total_questions is the site's questions that month; the current month is partial")


#: the `fwatlas refresh` options this fetcher takes
OPTIONS = frozenset({"date_from", "site"})

def dataset(site: str) -> str:
    return f"qa/api-{site}"


def base_url() -> str:
    return settings.url("FWATLAS_STACKEXCHANGE_API_URL").rstrip("/")


def framework_tags(month: dt.date) -> dict[str, list[str]]:
    """Framework -> its tags at ``month`` (the keras tag is TensorFlow's before Keras 3; a dated
    tag before its date counts for its earlier meaning, or for none)."""
    out: dict[str, list[str]] = {}
    for fw, tags in vocab.qa_tags().items():
        for t in tags:
            dated = vocab.term_category(t, fw, month)
            if dated is not None and t not in out.get(dated, []):
                out.setdefault(dated, []).append(t)
    return out


def queries(month: dt.date) -> list[tuple[str, ...]]:
    """Every tag combination one month needs: () for the site total, each tag, and each set of
    two or more tags of one framework (for distinct questions)."""
    out: list[tuple[str, ...]] = [()]
    for tags in framework_tags(month).values():
        for k in range(1, len(tags) + 1):
            out.extend(tuple(sorted(c)) for c in itertools.combinations(tags, k))
    return list(dict.fromkeys(out))


def distinct(tags: list[str], counts: dict[tuple[str, ...], int]) -> int:
    """Questions with any of ``tags``, from the counts of every combination (each ``a;b`` is
    questions with all of them): inclusion-exclusion."""
    total = 0
    for k in range(1, len(tags) + 1):
        for combo in itertools.combinations(sorted(tags), k):
            total += (-1) ** (k + 1) * counts[tuple(combo)]
    return total


def query_url(site: str, month: dt.date, tags: tuple[str, ...]) -> str:
    start = int(dt.datetime(month.year, month.month, 1, tzinfo=dt.UTC).timestamp())
    end_month = next_month(month)
    end = int(dt.datetime(end_month.year, end_month.month, 1, tzinfo=dt.UTC).timestamp()) - 1
    params: dict[str, str] = {"site": site, "fromdate": str(start), "todate": str(end),
                              "filter": "total"}
    if tags:
        params["tagged"] = ";".join(tags)
    key = settings.stackexchange_key()
    if key:
        params["key"] = key
    return f"{base_url()}/questions?{urlencode(params)}"


def month_rows(site: str, month: dt.date, counts: dict[tuple[str, ...], int]
               ) -> list[dict[str, Any]]:
    """Tag rows and one distinct-question row per reported framework with tags."""
    host = SITE_HOSTS[site]
    total = counts[()]
    rows: list[dict[str, Any]] = []
    fw_tags = framework_tags(month)
    for fw, tags in fw_tags.items():
        for tag in tags:
            rows.append({"period_start": month, "period": "month", "site": host,
                         "subject_kind": "term", "subject": tag, "framework": fw,
                         "questions": counts[(tag,)], "total_questions": total})
    for fw in reported():
        if fw in fw_tags:
            rows.append({"period_start": month, "period": "month", "site": host,
                         "subject_kind": "framework", "subject": fw, "framework": fw,
                         "questions": distinct(fw_tags[fw], counts), "total_questions": total})
    return rows


@dataclass
class Quota:
    """What the API said about its limits during one refresh."""

    remaining: int | None = None
    max: int | None = None
    exhausted: str | None = None
    backoffs: list[float] = field(default_factory=list)

    def line(self) -> str:
        if self.remaining is None:
            return "Stack Exchange quota: not reported by the API"
        return (f"Stack Exchange quota left today: {self.remaining:,} of "
                f"{self.max:,} requests" if self.max is not None else
                f"Stack Exchange quota left today: {self.remaining:,} requests")

    def pace(self, res: Response) -> float | None:
        """After each answer: the seconds to wait (its ``backoff``), or None to stop (quota
        spent, throttled, or a backoff too long to wait out)."""
        doc = _doc(res)
        if isinstance(doc.get("quota_remaining"), int):
            self.remaining = int(doc["quota_remaining"])
        if isinstance(doc.get("quota_max"), int):
            self.max = int(doc["quota_max"])
        if _throttled(doc):
            self.remaining = 0 if self.remaining is None else self.remaining
            self.exhausted = f"quota exhausted ({doc.get('error_message') or 'throttled'})"
            return None
        if self.remaining == 0:
            self.exhausted = "quota exhausted (quota_remaining 0)"
            return None
        wait = doc.get("backoff")
        if isinstance(wait, int | float) and not isinstance(wait, bool) and wait > 0:
            self.backoffs.append(float(wait))
            if wait > MAX_BACKOFF_S:
                self.exhausted = f"the API asks to back off {wait:.0f} s"
                return None
            return float(wait)
        return 0.0


def _doc(res: Response) -> dict[str, Any]:
    try:
        doc = parse_json(res.body) if res.body else {}
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def _throttled(doc: dict[str, Any]) -> bool:
    return doc.get("error_name") == "throttle_violation" or doc.get("error_id") == 502


def total_of(res: Response) -> int:
    """The ``total`` of one answer; raises ValueError naming what came instead."""
    doc = _doc(res)
    if res.status != 200 or doc.get("error_id") is not None:
        name = str(doc.get("error_name") or f"HTTP {res.status}")
        message = str(doc.get("error_message") or res.error or "")
        raise ValueError(f"{name}: {message}".rstrip(": "))
    if not isinstance(doc.get("total"), int) or doc["total"] < 0:
        raise ValueError("the answer has no total (filter=total)")
    return int(doc["total"])


def gather(limit: int | None = None, *, stored_months: StoredMonths = no_months,
           **kw: Any) -> Fetched:
    """Fetch every month from ``date_from`` not yet stored for ``site`` (``limit``: at most
    N months, newest first), as one snapshot."""
    site = str(kw.get("site") or "stackoverflow")
    if site not in SITES:
        raise InputError(f"{opt('site')} must be one of {', '.join(SITES)}, not {site!r}")
    since = parse_from(kw.get("date_from")) or DEFAULT_FROM
    now = today()
    if since > now:
        raise InputError(f"{opt('from')} {since:%Y-%m} is in the future")
    name = dataset(site)
    have = stored_months(name, "qa_counts")
    wanted = months(since, now)
    todo = [m for m in reversed(wanted) if m not in have]
    if limit is not None:
        todo = todo[:max(0, limit)]
    already = len([m for m in wanted if m in have])
    notes: list[str] = [f"{already} month(s) already stored were not fetched again"] \
        if already else []
    if not todo:
        return Fetched(notes=(f"nothing new: every month from {since:%Y-%m} is stored in "
                              f"{name}", *notes))
    plan = [(m, tags) for m in todo for tags in queries(m)]
    reqs = [Request(f"{m.isoformat()}|{';'.join(tags)}", query_url(site, m, tags))
            for m, tags in plan]
    quota = Quota()
    results, _ = fetch_all(reqs, concurrency=1, progress=bool(kw.get("progress", True)),
                           pace=quota.pace, **http_policy())
    first = results[0]
    if first.status is None and first.attempts:  # the first request reached nothing
        raise SourceUnavailable(f"{first.url.split('/')[2]} unreachable ({first.error})",
                                hint=f"offline? {ingest_hint('qa')}")
    counts: dict[dt.date, dict[tuple[str, ...], int]] = {m: {} for m in todo}
    failed: dict[dt.date, str] = {}
    unsent: list[dt.date] = []
    for (month, tags), res in zip(plan, results, strict=True):
        if month in failed or month in unsent:
            continue
        if (res.status is None and not res.attempts) or _throttled(_doc(res)):
            unsent.append(month)
            continue
        try:
            counts[month][tags] = total_of(res)
        except ValueError as exc:
            failed[month] = str(exc)
    rows: list[dict[str, Any]] = []
    problems = [f"{m:%Y-%m}: {why}" for m, why in failed.items()]
    for month in todo:
        if month not in failed and month not in unsent:
            rows.extend(month_rows(site, month, counts[month]))
    if unsent:
        problems.append(f"{len(unsent)} month(s) not fetched, {quota.exhausted or 'stopped'}: "
                        f"{min(unsent):%Y-%m} … {max(unsent):%Y-%m} (the next refresh "
                        "continues)")
    notes.append(quota.line())
    if not rows:
        if quota.exhausted:
            raise SourceUnavailable(f"Stack Exchange: {quota.exhausted}; nothing fetched",
                                    hint=quota.line())
        return Fetched(notes=(*notes, *problems))
    origin = f"{base_url()}/questions?site={site}&filter=total"
    return Fetched(parts=(Part(name, "qa_counts", qa.SCHEMA, rows, now, origin, problems,
                               NOTE),), notes=tuple(notes))
