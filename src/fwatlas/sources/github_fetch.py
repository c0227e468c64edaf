"""``fwatlas refresh github``: today's stars, forks, watchers and open issues from the GitHub API.

One ``GET {base}/repos/{owner}/{name}`` per framework repository – the list is
``primary.repositories`` in ``data/signals.yaml``, declared once beside the primary
distributions, or one ``owner/name`` per line of ``--repos FILE``. Each refresh adds one dated
point per repository to the ``github/stars-api`` series, so its history builds up from the
first refresh on; a renamed repository (``google/jax`` → ``jax-ml/jax``) is followed by the API
and counted once, under the name it answers with.

``--history`` also reconstructs the star history of every repository under the API's
40,000-star page limit (400 pages of 100 stargazers with ``starred_at``) as month-end points of
a separate series, ``github/stars-history``: it counts today's stargazers by the day they
starred, so stars later withdrawn are missing – a different method, never mixed with the
counts the API states.

Base URL ``FWATLAS_GITHUB_API_URL``; ``GITHUB_TOKEN`` is sent when set (60 unauthenticated
requests an hour are enough for the default list, not for ``--history``).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyarrow as pa

from fwatlas import settings
from fwatlas.errors import InputError, SourceUnavailable
from fwatlas.kinds import ingest_hint
from fwatlas.sources import github as gh
from fwatlas.sources.http_fetch import Request, Response, fetch_all
from fwatlas.sources.limits import parse_json
from fwatlas.sources.live_ingest import Fetched, Part, month_end, today
from fwatlas.sources.registry_fetch import http_policy
from fwatlas.sources.signal_rows import parse_timestamp, signals_config

API = "github/stars-api"
HISTORY = "github/stars-history"
#: the stargazers list is paged up to 400 pages of 100 (GitHub answers 422 beyond)
PAGE_LIMIT_STARS = 40_000
PER_PAGE = 100
DEFAULT_CONCURRENCY = 4
SCHEMA = gh.SCHEMA.append(pa.field("watchers", pa.int64()))
NOTE_HISTORY = ("reconstructed from today's stargazers and the day each starred "
                "(starred_at): stars withdrawn since are missing, so earlier points are lower "
                "bounds – a different method from github/stars-api")


#: the `fwatlas refresh` options this fetcher takes
OPTIONS = frozenset({"repos", "history", "concurrency"})

def configured_repositories() -> list[str]:
    """The framework repositories of ``data/signals.yaml`` (``primary.repositories``)."""
    out: list[str] = []
    for repos in signals_config()["primary"]["repositories"].values():
        out.extend(r for r in repos if r not in out)
    return out


def read_repos_file(path: Path) -> list[str]:
    """One ``owner/name`` per line (``#`` comments and blank lines ignored); exit 2 if bad."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the repository list ({exc})", path=str(path)) from exc
    out: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        item = line.split("#", 1)[0].strip()
        if not item:
            continue
        parts = item.split("/")
        if len(parts) != 2 or not all(parts) or any(c.isspace() for c in item):
            raise InputError(f"line {n}: {item!r} is not owner/name", path=str(path))
        if item not in out:
            out.append(item)
    if not out:
        raise InputError("no owner/name lines in the repository list", path=str(path))
    return out


def _headers(accept: str = "application/vnd.github+json") -> tuple[tuple[str, str], ...]:
    headers = [("Accept", accept), ("X-GitHub-Api-Version", "2022-11-28")]
    token = settings.github_token()
    if token:
        headers.append(("Authorization", f"Bearer {token}"))
    return tuple(headers)


def repo_url(repo: str) -> str:
    owner, name = repo.split("/", 1)
    base = settings.url("FWATLAS_GITHUB_API_URL").rstrip("/")
    return f"{base}/repos/{quote(owner, safe='')}/{quote(name, safe='')}"


def _message(res: Response) -> str:
    try:
        msg = parse_json(res.body).get("message")
    except (ValueError, AttributeError):
        msg = None
    return f": {msg}" if msg else ""


def problem(res: Response) -> str:
    """One line for a request that gave no usable answer."""
    if res.status == 404:
        return "repository not found (HTTP 404)"
    if res.status in (401, 403, 429):
        hint = "" if settings.github_token() else "; set GITHUB_TOKEN for a higher limit"
        return f"HTTP {res.status}{_message(res)}{hint}"
    if res.status is None:
        return res.error or "no response"
    return f"HTTP {res.status}{_message(res)}"


def _unreachable(results: list[Response]) -> SourceUnavailable:
    host = results[0].url.split("/")[2]
    tried = [r.error for r in results if r.attempts] or [results[0].error]
    return SourceUnavailable(f"{host} unreachable ({tried[0]})",
                             hint=f"offline? {ingest_hint('github')}")


def fetch_current(repos: list[str], *, concurrency: int = DEFAULT_CONCURRENCY,
                  progress: bool = True, day: dt.date | None = None
                  ) -> tuple[list[dict[str, Any]], list[str], list[str], dict[str, int]]:
    """(rows, problems, notes, stars per answered repository) for today's point of every
    repository; a repository reached under two names (renamed) is counted once, noted."""
    day = day or today()
    reqs = [Request(r, repo_url(r), headers=_headers()) for r in repos]
    results, _stats = fetch_all(reqs, concurrency=concurrency, progress=progress,
                                **http_policy())
    if results and all(r.status is None for r in results):
        raise _unreachable(results)
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    notes: list[str] = []
    seen: dict[Any, str] = {}
    stars: dict[str, int] = {}
    for res in results:
        if res.status != 200:
            problems.append(f"{res.key}: {problem(res)}")
            continue
        try:
            doc = parse_json(res.body)
            full = str(doc["full_name"])
            key = doc.get("id", full)
            row: dict[str, Any] = {
                   "observed_on": day, "repo": full, "name": str(doc.get("name") or full),
                   "labels": None, "stars": _count(doc, "stargazers_count"),
                   "forks": _count(doc, "forks_count"), "contributors": None,
                   "dependents": None, "open_issues": _count(doc, "open_issues_count"),
                   "pypi_id": None, "pypi_monthly_downloads": None, "dependents_basis": None,
                   "watchers": _count(doc, "subscribers_count")}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            problems.append(f"{res.key}: the answer is not a GitHub repository ({exc})")
            continue
        if key in seen:
            notes.append(f"{res.key} and {seen[key]} are one repository (now {full}): "
                         "counted once")
            continue
        seen[key] = res.key
        rows.append(row)
        if row["stars"] is not None:
            stars[full] = int(row["stars"])
    return rows, problems, notes, stars


def _count(doc: dict[str, Any], field: str) -> int | None:
    value = doc.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{field} is {value!r}, not a count")
    return value


def fetch_history(stars: dict[str, int], *, concurrency: int = DEFAULT_CONCURRENCY,
                  progress: bool = True) -> tuple[list[dict[str, Any]], list[str]]:
    """Month-end star counts rebuilt from ``starred_at`` for repositories the pages cover."""
    problems: list[str] = []
    reqs: list[Request] = []
    for repo, count in stars.items():
        if count > PAGE_LIMIT_STARS:
            problems.append(f"{repo}: {count:,} stars, over the API's {PAGE_LIMIT_STARS:,}-star "
                            "page limit: no history")
            continue
        for page in range(1, max(1, math.ceil(count / PER_PAGE)) + 1):
            reqs.append(Request(f"{repo}#{page}",
                                f"{repo_url(repo)}/stargazers?per_page={PER_PAGE}&page={page}",
                                headers=_headers("application/vnd.github.star+json")))
    if not reqs:
        return [], problems
    results, _ = fetch_all(reqs, concurrency=concurrency, progress=progress, **http_policy())
    days: dict[str, list[dt.date]] = {}
    failed: set[str] = set()
    for res in results:
        repo = res.key.rsplit("#", 1)[0]
        if repo in failed:
            continue
        if res.status != 200:
            failed.add(repo)
            problems.append(f"{repo}: stargazers page {res.key.rsplit('#', 1)[1]}: "
                            f"{problem(res)}; no history")
            continue
        try:
            page = parse_json(res.body)
            days.setdefault(repo, []).extend(parse_timestamp(str(s["starred_at"])).date()
                                             for s in page)
        except (ValueError, KeyError, TypeError) as exc:
            failed.add(repo)
            problems.append(f"{repo}: a stargazers page without starred_at ({exc}); no history")
    rows: list[dict[str, Any]] = []
    for repo, starred in days.items():
        if repo in failed or not starred:
            continue
        starred.sort()
        ends: dict[dt.date, int] = {}
        for i, d in enumerate(starred, start=1):
            ends[month_end(d.replace(day=1))] = i
        for end, total in sorted(ends.items()):
            rows.append({"observed_on": min(end, today()), "repo": repo,
                         "name": repo.split("/", 1)[1], "labels": None, "stars": total,
                         "forks": None, "contributors": None, "dependents": None,
                         "open_issues": None, "pypi_id": None, "pypi_monthly_downloads": None,
                         "dependents_basis": None, "watchers": None})
    return rows, problems


def gather(limit: int | None = None, **kw: Any) -> Fetched:
    """Fetch today's point per repository (``limit``: the first N); with ``history=True``
    also the reconstructed star history (its own snapshot and series)."""
    repos_file = kw.get("repos")
    repos = read_repos_file(Path(repos_file)) if repos_file else configured_repositories()
    if limit is not None:
        repos = repos[:max(0, limit)]
    concurrency = int(kw.get("concurrency") or DEFAULT_CONCURRENCY)
    progress = bool(kw.get("progress", True))
    day = today()
    rows, problems, notes_now, stars = fetch_current(repos, concurrency=concurrency,
                                                     progress=progress, day=day)
    origin = settings.url("FWATLAS_GITHUB_API_URL").rstrip("/") + "/repos"
    if not rows:
        raise SourceUnavailable("no repository answered: " + "; ".join(problems))
    history: list[dict[str, Any]] = []
    history_problems: list[str] = []
    if kw.get("history"):
        history, history_problems = fetch_history(stars, concurrency=concurrency,
                                                  progress=progress)
    parts = [Part(API, "github_repos", SCHEMA, rows, day, origin, problems)]
    notes: tuple[str, ...] = tuple(notes_now)
    if history:
        parts.append(Part(HISTORY, "github_repos", SCHEMA, history,
                          max(r["observed_on"] for r in history), origin + " (stargazers)",
                          history_problems, NOTE_HISTORY,
                          "the data: newest month-end of the reconstruction"))
    elif kw.get("history"):
        notes = (*notes, *history_problems, "no star history could be reconstructed")
    return Fetched(parts=tuple(parts), notes=notes)
