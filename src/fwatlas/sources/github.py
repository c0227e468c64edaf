"""GitHub project series: best-of-ml-python snapshots and daily star counts, into ``github_repos``.

Accepted files (a directory may hold several; each dataset becomes one snapshot):

- best-of-ml-python ``<YYYY-MM-DD>_projects.csv`` (dated by the file name) and its weekly
  extract with a ``snapshot_date`` column – dataset ``github/best-of-ml-python``. Their columns
  differ between years (``resource``, ``watchers_count``, ``conda_total_downloads`` … come and
  go), so every column is found by name through an alias table, never by position.
- a daily star series (TSV: ``timestamp, name, stargazers, forks, open_issues``) – dataset
  ``github/stars-daily``. It names repositories without their owner; a ``tracked_repos_list.txt``
  beside it (one ``owner/name`` per line) restores the owner, renames included.

Precomputed aggregates (``label_aggregates_*.csv``) are not projects: they are listed as ignored.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from fwatlas.errors import InputError
from fwatlas.hashing import content_hash
from fwatlas.sources.signal_rows import (
    batches,
    csv_rows,
    nonempty,
    parse_timestamp,
    pick_columns,
    to_int,
)
from fwatlas.streams import GuardedReader

BEST_OF = "github/best-of-ml-python"
DAILY = "github/stars-daily"

MIGRATIONS: list[str] = [
    """
    CREATE TABLE github_repos (
        snapshot_id BIGINT NOT NULL,
        observed_on DATE NOT NULL,
        repo VARCHAR NOT NULL,
        name VARCHAR,
        labels VARCHAR[],
        stars BIGINT,
        forks BIGINT,
        contributors BIGINT,
        dependents BIGINT,
        open_issues BIGINT,
        pypi_id VARCHAR,
        pypi_monthly_downloads BIGINT
    );
    """,
    # 2: which columns supplied `dependents` (best-of-ml-python's dependent_project_count is
    # github_ + pypi_dependent_project_count where present): a change is a source break
    "ALTER TABLE github_repos ADD COLUMN dependents_basis VARCHAR;",
    # 3: watchers (subscribers) as the GitHub REST API reports them (`fwatlas refresh github`)
    "ALTER TABLE github_repos ADD COLUMN watchers BIGINT;",
]

SCHEMA = pa.schema([
    ("observed_on", pa.date32()),
    ("repo", pa.string()),
    ("name", pa.string()),
    ("labels", pa.list_(pa.string())),
    ("stars", pa.int64()),
    ("forks", pa.int64()),
    ("contributors", pa.int64()),
    ("dependents", pa.int64()),
    ("open_issues", pa.int64()),
    ("pypi_id", pa.string()),
    ("pypi_monthly_downloads", pa.int64()),
    ("dependents_basis", pa.string()),
])

BEST_OF_ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("snapshot_date",),
    "repo": ("github_id", "updated_github_id"),
    "name": ("name",),
    "labels": ("labels",),
    "stars": ("star_count", "stargazers_count", "stars"),
    "forks": ("fork_count", "forks_count", "forks"),
    "contributors": ("contributor_count",),
    "dependents": ("dependent_project_count", "github_dependent_project_count"),
    "open_issues": ("open_issue_count",),
    "pypi_id": ("pypi_id",),
    "pypi_monthly_downloads": ("pypi_monthly_downloads",),
    "github_dependents": ("github_dependent_project_count",),
    "pypi_dependents": ("pypi_dependent_project_count",),
}
#: the parts best-of-ml-python adds up into dependent_project_count, in the order named
DEPENDENT_PARTS = (("github", "github_dependents"), ("pypi", "pypi_dependents"))
DAILY_ALIASES: dict[str, tuple[str, ...]] = {
    "timestamp": ("timestamp", "date"),
    "repo": ("name", "repo", "repository"),
    "stars": ("stargazers", "stargazers_count", "stars"),
    "forks": ("forks", "forks_count"),
    "open_issues": ("open_issues", "open_issues_count"),
}
NUMERIC = ("stars", "forks", "contributors", "dependents", "open_issues",
           "pypi_monthly_downloads")
_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})_projects\.csv$")
_LIST_ITEM = re.compile(r"""['"]([^'"]+)['"]""")


def parse_labels(text: str) -> list[str]:
    """``"['pytorch', 'jax']"`` (a Python list literal as text) -> ``["pytorch", "jax"]``."""
    return _LIST_ITEM.findall(text or "")


def dependents_basis(cols: dict[str, str], get: Any) -> str | None:
    """Which columns supplied a row's ``dependents``: ``github+pypi``, ``github``, ``pypi``
    (the non-empty parts of dependent_project_count), ``total`` (the column alone, no parts
    in the file); None when there is no value. A change between snapshots is a source break."""
    if "dependents" not in cols or not get("dependents"):
        return None
    if cols["dependents"] != "dependent_project_count":
        return "github"  # only github_dependent_project_count in the file
    parts = [name for name, key in DEPENDENT_PARTS if key in cols and get(key)]
    return "+".join(parts) or "total"


def kind_of(path: Path) -> str | None:
    """Which layout a file is (``best-of``, ``daily``), or None for a file this reader skips."""
    name = path.name.lower()
    if name.startswith("label_aggregates") or path.suffix.lower() not in (".csv", ".tsv"):
        return None
    if path.suffix.lower() == ".tsv":
        return "daily"
    return "best-of"


def best_of_stream(path: Path) -> GuardedReader:
    """One best-of-ml-python file; the date comes from ``snapshot_date`` or the file name."""
    skipped: list[str] = []
    header, records = csv_rows(path, skipped=skipped)
    dated = _DATED_NAME.match(path.name)
    cols = pick_columns(header, BEST_OF_ALIASES, ("repo", "stars"), path,
                        "a best-of-ml-python projects file")
    if "date" not in cols and not dated:
        raise InputError("no snapshot_date column and no date in the file name "
                         "(<YYYY-MM-DD>_projects.csv)", path=str(path))
    file_date = dt.date.fromisoformat(dated.group(1)) if dated else None
    idx = {k: header.index(v) for k, v in cols.items()}

    def get(rec: list[str], key: str) -> str:
        i = idx.get(key)
        return rec[i].strip() if i is not None and i < len(rec) else ""

    def gen() -> Iterator[dict[str, Any]]:
        for line, rec in enumerate(records, start=2):
            try:
                repo = get(rec, "repo")
                if not repo:
                    raise ValueError("no github_id")
                day = (dt.date.fromisoformat(get(rec, "date")) if "date" in cols
                       else file_date)
                row: dict[str, Any] = {
                    "observed_on": day, "repo": repo, "name": get(rec, "name") or None,
                    "labels": parse_labels(get(rec, "labels")) if "labels" in cols else None,
                    "pypi_id": get(rec, "pypi_id") or None,
                }
                for k in NUMERIC:
                    row[k] = to_int(get(rec, k)) if k in cols else None
                row["dependents_basis"] = dependents_basis(cols, functools.partial(get, rec))
            except ValueError as exc:
                name = get(rec, "name") or get(rec, "repo") or "?"
                skipped.append(f"{path.name} line {line} ({name}): {exc}")
                continue
            yield row

    guard = GuardedReader(SCHEMA, batches(nonempty(gen(), path, "projects", skipped), SCHEMA),
                          str(path))
    guard.skipped = skipped
    return guard


def tracked_owners(folder: Path) -> dict[str, str]:
    """Repository name -> ``owner/name`` from a ``tracked_repos_list.txt`` beside the series."""
    listing = folder / "tracked_repos_list.txt"
    if not listing.exists():
        return {}
    out: dict[str, str] = {}
    try:
        text = listing.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        from fwatlas.streams import describe

        raise InputError(describe(exc), path=str(listing)) from None
    for line in text.splitlines():
        full = line.strip()
        if "/" in full:
            out[full.split("/", 1)[1].lower()] = full
    return out


#: names the daily series switched to after a repository was renamed upstream
_RENAMED = {"lightning": "pytorch-lightning", "mxnet": "incubator-mxnet"}


def daily_stream(path: Path) -> GuardedReader:
    """The daily star TSV; ``owner/`` is restored from the tracked list where it is known."""
    skipped: list[str] = []
    header, records = csv_rows(path, delimiter="\t", skipped=skipped)
    cols = pick_columns(header, DAILY_ALIASES, ("timestamp", "repo", "stars"), path,
                        "a daily GitHub star series")
    owners = tracked_owners(path.parent)
    idx = {k: header.index(v) for k, v in cols.items()}

    def get(rec: list[str], key: str) -> str:
        i = idx.get(key)
        return rec[i].strip() if i is not None and i < len(rec) else ""

    def full_name(name: str) -> str:
        if "/" in name:
            return name
        key = name.lower()
        return owners.get(key) or owners.get(_RENAMED.get(key, key), name)

    def gen() -> Iterator[dict[str, Any]]:
        for line, rec in enumerate(records, start=2):
            try:
                name = get(rec, "repo")
                if not name:
                    raise ValueError("no repository name")
                row: dict[str, Any] = {
                    "observed_on": parse_timestamp(get(rec, "timestamp")).date(),
                    "repo": full_name(name), "name": name, "labels": None, "pypi_id": None,
                    "contributors": None, "dependents": None, "pypi_monthly_downloads": None,
                    "dependents_basis": None,
                }
                for k in ("stars", "forks", "open_issues"):
                    row[k] = to_int(get(rec, k)) if k in cols else None
            except ValueError as exc:
                skipped.append(f"{path.name} line {line}: {exc}")
                continue
            yield row

    guard = GuardedReader(SCHEMA, batches(nonempty(gen(), path, "rows", skipped), SCHEMA),
                          str(path))
    guard.skipped = skipped
    return guard


def ingest(session: Any, path: Path, *, data_date: dt.date | None,
           options: dict[str, Any]) -> None:
    """One snapshot per dataset present (best-of-ml-python, daily stars)."""
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    groups: dict[str, list[Path]] = {}
    for f in files:
        kind = kind_of(f) if f.is_file() else None
        if kind is None:
            if path.is_dir():
                if f.name != "tracked_repos_list.txt":
                    session.ignored.append(f.name)
                continue
            raise InputError("expected a best-of-ml-python .csv or a daily star .tsv",
                             path=str(f))
        groups.setdefault(BEST_OF if kind == "best-of" else DAILY, []).append(f)
    if not groups:
        raise InputError("no GitHub project files (.csv, .tsv) in the directory",
                         path=str(path))
    # validate every file's header before writing anything
    streams = {ds: [best_of_stream(f) if ds == BEST_OF else daily_stream(f) for f in fs]
               for ds, fs in groups.items()}
    for dataset, fs in groups.items():
        digest = content_hash(fs[0]) if len(fs) == 1 else _group_hash(fs)
        builder = session.new_snapshot(
            kind="github", dataset=dataset, content_hash=digest, data_date=data_date,
            data_date_source="--data-date" if data_date else None,
            origin=str(fs[0]) if len(fs) == 1 else str(path))
        if builder is None:
            continue
        for stream in streams[dataset]:
            builder.insert("github_repos", stream)
        builder.date_from_data("github_repos", "observed_on", "the data: newest observation date")


def _group_hash(files: list[Path]) -> str:
    import hashlib

    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.name}\0{content_hash(f)}\n".encode())
    return h.hexdigest()
