"""Package-registry metadata (PyPI JSON API, npm registry): releases and newest-release files.

``fwatlas refresh registry`` fetches one document per package into the cache (trimmed to the
fields used, see :func:`trim_pypi` / :func:`trim_npm`) with a ``manifest.json`` that records
each request's outcome; ``fwatlas ingest registry PATH`` reads such a folder (or one saved
document) into three tables:

- ``registry_packages``: one row per package (latest version, requires_dist, deprecation);
- ``registry_releases``: every release (version, upload date, yanked, npm deprecation);
- ``registry_files``: every file of the newest release (wheel names decide ``fwatlas support``).

A package that does not exist (HTTP 404) or whose document is unusable (an npm document
without ``time``) is an item-level problem in a folder: skipped, listed, counted. A single
document that is unusable rejects the ingest (exit 2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fwatlas import vocabulary as vocab
from fwatlas.errors import InputError
from fwatlas.sources.signal_rows import parse_timestamp, signals_config

if TYPE_CHECKING:
    import pyarrow as pa

DATASET = "registry/packages"
MANIFEST = "manifest.json"
REGISTRIES = ("pypi", "npm")

MIGRATIONS: list[str] = [
    """
    CREATE TABLE registry_packages (
        snapshot_id BIGINT NOT NULL,
        registry VARCHAR NOT NULL,
        package VARCHAR NOT NULL,
        framework VARCHAR,
        latest_version VARCHAR,
        requires_python VARCHAR,
        requires_dist VARCHAR[],
        deprecated VARCHAR,
        fetched_at TIMESTAMP
    );
    CREATE TABLE registry_releases (
        snapshot_id BIGINT NOT NULL,
        registry VARCHAR NOT NULL,
        package VARCHAR NOT NULL,
        version VARCHAR NOT NULL,
        uploaded_at TIMESTAMP,
        yanked BOOLEAN NOT NULL,
        yanked_reason VARCHAR,
        deprecated VARCHAR,
        prerelease BOOLEAN
    );
    CREATE TABLE registry_files (
        snapshot_id BIGINT NOT NULL,
        registry VARCHAR NOT NULL,
        package VARCHAR NOT NULL,
        version VARCHAR NOT NULL,
        filename VARCHAR NOT NULL,
        packagetype VARCHAR,
        python_version VARCHAR,
        requires_python VARCHAR,
        uploaded_at TIMESTAMP,
        size BIGINT,
        yanked BOOLEAN
    );
    """,
]

@cache
def _schemas() -> dict[str, pa.Schema]:
    """The three tables' columns (pyarrow is imported here, when an ingest needs it: the support
    analysis reads this module's names, and a read command need not load pyarrow for them)."""
    import pyarrow as pa

    return {
        "packages": pa.schema([
            ("registry", pa.string()), ("package", pa.string()), ("framework", pa.string()),
            ("latest_version", pa.string()), ("requires_python", pa.string()),
            ("requires_dist", pa.list_(pa.string())), ("deprecated", pa.string()),
            ("fetched_at", pa.timestamp("us")),
        ]),
        "releases": pa.schema([
            ("registry", pa.string()), ("package", pa.string()), ("version", pa.string()),
            ("uploaded_at", pa.timestamp("us")), ("yanked", pa.bool_()),
            ("yanked_reason", pa.string()), ("deprecated", pa.string()),
            ("prerelease", pa.bool_()),
        ]),
        "files": pa.schema([
            ("registry", pa.string()), ("package", pa.string()), ("version", pa.string()),
            ("filename", pa.string()), ("packagetype", pa.string()),
            ("python_version", pa.string()), ("requires_python", pa.string()),
            ("uploaded_at", pa.timestamp("us")), ("size", pa.int64()), ("yanked", pa.bool_()),
        ]),
    }


# --- the configured package set ----------------------------------------------------------------


def package_set() -> list[tuple[str, str, str]]:
    """``(registry, package, framework)`` for every package ``refresh registry`` reads."""
    out = []
    for registry in REGISTRIES:
        for framework, names in signals_config()["registry"][registry].items():
            out += [(registry, name, framework) for name in names]
    return out


def framework_of(registry: str, package: str) -> str | None:
    key = vocab.normalize_distribution(package) if registry == "pypi" else package
    for reg, name, fw in package_set():
        if reg == registry and (vocab.normalize_distribution(name) if reg == "pypi"
                                else name) == key:
            return fw
    return vocab.distribution_framework(package) if registry == "pypi" else None


def cache_name(registry: str, package: str) -> str:
    """The cache file of one package (scoped npm names are quoted: ``%40scope%2Fname``)."""
    return f"{registry}/{quote(package, safe='')}.json"


# --- trimming (what the cache and the recorded fixtures keep) -----------------------------------

_PYPI_FILE = ("filename", "packagetype", "python_version", "requires_python",
              "upload_time_iso_8601", "size", "yanked")


def trim_pypi(doc: dict[str, Any]) -> dict[str, Any]:
    """Keep the fields used: info basics, per release its earliest upload and yanked state,
    and every file of the newest release."""
    info = doc.get("info") or {}
    releases: dict[str, list[dict[str, Any]]] = {}
    for version, files in (doc.get("releases") or {}).items():
        if not files:
            releases[version] = []
            continue
        times = [f.get("upload_time_iso_8601") or f.get("upload_time") for f in files]
        times = [t for t in times if t]
        releases[version] = [{
            "upload_time_iso_8601": min(times) if times else None,
            "yanked": all(bool(f.get("yanked")) for f in files),
            "yanked_reason": next((f.get("yanked_reason") for f in files
                                   if f.get("yanked_reason")), None),
        }]
    return {
        "info": {k: info.get(k) for k in ("name", "version", "requires_dist",
                                          "requires_python", "yanked", "yanked_reason")},
        "releases": releases,
        "urls": [{k: f.get(k) for k in _PYPI_FILE} for f in doc.get("urls") or []],
    }


def trim_npm(doc: dict[str, Any]) -> dict[str, Any]:
    """Keep name, dist-tags, time, per version its deprecation, and the latest's ``dist``."""
    latest = (doc.get("dist-tags") or {}).get("latest")
    versions: dict[str, dict[str, Any]] = {}
    for v, meta in (doc.get("versions") or {}).items():
        meta = meta or {}
        kept: dict[str, Any] = {}
        if meta.get("deprecated"):
            kept["deprecated"] = meta["deprecated"]
        if v == latest:
            dist = meta.get("dist") or {}
            kept["dist"] = {k: dist.get(k) for k in ("tarball", "unpackedSize")}
        versions[v] = kept
    out = {"name": doc.get("name"), "dist-tags": doc.get("dist-tags"), "versions": versions}
    if "time" in doc:
        out["time"] = doc["time"]
    return out


# --- parsing one document ----------------------------------------------------------------------


@dataclass
class Parsed:
    package: dict[str, Any]
    releases: list[dict[str, Any]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)


def _ts(text: Any) -> dt.datetime | None:
    if not text:
        return None
    return parse_timestamp(str(text))


def _flag(value: Any, what: str) -> bool:
    """A JSON true/false (absent: false); anything else is a ValueError, never ``bool()``'s
    guess (``"false"`` would read as yanked)."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValueError(f"{what} is a JSON {type(value).__name__}, not true/false")
    return value


def _size(value: Any) -> int | None:
    """A file size: a whole number >= 0 or absent; a float, a string or a negative one is a
    ValueError (Arrow would truncate 1.5 to 1 and store -5 as given)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"size is a JSON {type(value).__name__}, not a whole number")
    if value < 0:
        raise ValueError(f"negative size {value}")
    return value


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} is a JSON {type(value).__name__}, not a string")
    return value


def _prerelease(version: str) -> bool | None:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version).is_prerelease
    except InvalidVersion:
        return None


def parse_pypi(doc: Any, name: str | None = None) -> Parsed:
    """A PyPI JSON API document (full or trimmed); raises ValueError when it is not one."""
    if not isinstance(doc, dict) or not isinstance(doc.get("info"), dict) \
            or not isinstance(doc.get("releases"), dict):
        raise ValueError("not a PyPI JSON API document (needs info and releases)")
    info = doc["info"]
    package = _text(info.get("name") or name or "", "info.name")
    if not package or not info.get("version"):
        raise ValueError("the document names no package or version")
    latest = _text(info["version"], "info.version")
    releases = []
    for version, files in doc["releases"].items():
        times = [_ts(f.get("upload_time_iso_8601") or f.get("upload_time")) for f in files]
        stamps = [t for t in times if t is not None]
        releases.append({
            "registry": "pypi", "package": package, "version": version,
            "uploaded_at": min(stamps) if stamps else None,
            "yanked": bool(files) and all(_flag(f.get("yanked"), "yanked") for f in files),
            "yanked_reason": next((f.get("yanked_reason") for f in files
                                   if f.get("yanked_reason")), None),
            "deprecated": None, "prerelease": _prerelease(version),
        })
    files = [{
        "registry": "pypi", "package": package, "version": latest,
        "filename": _text(f["filename"], "filename"), "packagetype": f.get("packagetype"),
        "python_version": f.get("python_version"), "requires_python": f.get("requires_python"),
        "uploaded_at": _ts(f.get("upload_time_iso_8601") or f.get("upload_time")),
        "size": _size(f.get("size")), "yanked": _flag(f.get("yanked"), "yanked"),
    } for f in doc.get("urls") or [] if f.get("filename")]
    return Parsed({
        "registry": "pypi", "package": package, "framework": framework_of("pypi", package),
        "latest_version": latest, "requires_python": info.get("requires_python"),
        "requires_dist": list(info.get("requires_dist") or []),
        "deprecated": None, "fetched_at": None,
    }, releases, files)


def parse_npm(doc: Any, name: str | None = None) -> Parsed:
    """An npm registry document; one without ``time`` (release dates) is unusable."""
    if not isinstance(doc, dict) or "versions" not in doc:
        raise ValueError("not an npm registry document (needs versions)")
    if not isinstance(doc.get("time"), dict):
        raise ValueError("the npm document has no `time` (release dates); fetch the full "
                         "document, not the abbreviated install metadata")
    package = _text(doc.get("name") or name or "", "name")
    latest = (doc.get("dist-tags") or {}).get("latest")
    if not package or not latest:
        raise ValueError("the document names no package or latest version")
    versions = doc.get("versions") or {}
    releases = []
    for version, stamp in doc["time"].items():
        if version in ("created", "modified"):
            continue
        meta = versions.get(version)
        releases.append({
            "registry": "npm", "package": package, "version": version,
            "uploaded_at": _ts(stamp), "yanked": False, "yanked_reason": None,
            # a time entry without a version document: unpublished since
            "deprecated": (meta or {}).get("deprecated") if meta is not None
            else "unpublished",
            "prerelease": _prerelease(version),
        })
    dist = (versions.get(latest) or {}).get("dist") or {}
    files = []
    if dist.get("tarball"):
        files.append({
            "registry": "npm", "package": package, "version": latest,
            "filename": str(dist["tarball"]).rsplit("/", 1)[-1], "packagetype": "npm-tarball",
            "python_version": None, "requires_python": None,
            "uploaded_at": _ts(doc["time"].get(latest)), "size": _size(dist.get("unpackedSize")),
            "yanked": False,
        })
    return Parsed({
        "registry": "npm", "package": package, "framework": framework_of("npm", package),
        "latest_version": str(latest), "requires_python": None, "requires_dist": [],
        "deprecated": (versions.get(latest) or {}).get("deprecated"), "fetched_at": None,
    }, releases, files)


def parse_document(doc: Any, registry: str | None = None, name: str | None = None) -> Parsed:
    """Either registry's document; the registry is recognised from the shape when not given."""
    if registry is None:
        registry = "pypi" if isinstance(doc, dict) and "info" in doc else "npm"
    return parse_pypi(doc, name) if registry == "pypi" else parse_npm(doc, name)


def load_json(path: Path) -> Any:
    """A document (bounded nesting); unreadable or malformed raises ``ValueError``."""
    from fwatlas.sources import limits

    return limits.load_json(path)


# --- ingest ------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One package in a folder: its document file (or why there is none)."""

    registry: str
    package: str
    file: Path | None
    status: int | None
    problem: str | None
    fetched_at: dt.datetime | None


def entries(folder: Path) -> list[Entry]:
    """The packages of a folder: from ``manifest.json`` when present, else every document."""
    manifest = folder / MANIFEST
    if manifest.exists():
        from fwatlas.sources import limits

        try:
            data = limits.load_json(manifest)
        except ValueError as exc:
            raise InputError(f"unreadable manifest ({exc})", path=str(manifest)) from None
        items = data.get("packages") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise InputError("not a registry manifest (needs a list under \"packages\")",
                             path=str(manifest))
        out = []
        for n, item in enumerate(items):
            out.append(_manifest_entry(folder, n, item))
        return out
    out = []
    for registry in REGISTRIES:
        sub = folder / registry
        if sub.is_dir():
            for p in sorted(sub.glob("*.json")):
                from urllib.parse import unquote

                out.append(Entry(registry, unquote(p.stem), p, None, None, None))
    if not out:
        raise InputError("no registry documents (pypi/*.json, npm/*.json) and no manifest.json",
                         path=str(folder))
    return out


def _manifest_entry(folder: Path, n: int, item: Any) -> Entry:
    """One manifest entry, type checked; a mistyped entry or a file outside the folder is an
    entry with a problem (a skipped, listed item), never an exception or a file read."""
    from fwatlas.sources import limits

    if not isinstance(item, dict):
        return Entry("manifest", f"entry {n}", None, None,
                     f"manifest entry is a JSON {type(item).__name__}, not an object", None)
    registry, package = item.get("registry"), item.get("package")
    if registry not in REGISTRIES or not isinstance(package, str) or not package:
        return Entry("manifest", f"entry {n}", None, None,
                     "manifest entry without a registry (pypi, npm) and a package name", None)
    status = item.get("status")
    problem = item.get("problem")
    status = status if isinstance(status, int) and not isinstance(status, bool) else None
    problem = problem if isinstance(problem, str) else None
    if status == 404 and not problem:
        problem = "package does not exist (HTTP 404)"
    try:
        fetched = _ts(item.get("fetched_at"))
    except ValueError as exc:
        return Entry(registry, package, None, status, f"fetched_at: {exc}", None)
    file = None
    if item.get("file") and not problem:
        try:
            file = limits.inside(folder, item["file"])
        except ValueError as exc:
            return Entry(registry, package, None, status, f"file refused: {exc}", fetched)
    return Entry(registry, package, file, status, problem, fetched)


def _check_types(p: Parsed) -> None:
    """Every value of one package as the declared column types (raises, never coerces)."""
    import pyarrow as pa

    schemas = _schemas()
    pa.Table.from_pylist([p.package], schema=schemas["packages"])
    pa.Table.from_pylist(p.releases, schema=schemas["releases"])
    pa.Table.from_pylist(p.files, schema=schemas["files"])


def _entries_hash(items: list[Entry]) -> str:
    """Content of the package documents (not the fetch times): same documents, same hash."""
    h = hashlib.sha256()
    for e in sorted(items, key=lambda e: (e.registry, e.package)):
        digest = hashlib.sha256(e.file.read_bytes()).hexdigest() if e.file and e.file.exists() \
            else str(e.problem)
        h.update(f"{e.registry}\0{e.package}\0{digest}\n".encode())
    return h.hexdigest()


def ingest(session: Any, path: Path, *, data_date: dt.date | None,
           options: dict[str, Any]) -> None:
    """A folder written by ``refresh registry`` (or of saved documents), or one document."""
    import pyarrow as pa

    schemas = _schemas()
    if path.is_dir():
        items = entries(path)
        single = False
    else:
        items = [Entry("?", path.stem, path, None, None, None)]
        single = True
    parsed: list[Parsed] = []
    skipped: list[tuple[str, str]] = []
    for e in items:
        label = f"{e.registry}:{e.package}" if e.registry != "?" else str(path)
        if e.problem or e.file is None:
            skipped.append((label, e.problem or "no document"))
            continue
        try:
            doc = load_json(e.file)
            try:
                p = parse_document(doc, None if single else e.registry, e.package)
                _check_types(p)
            except (AttributeError, KeyError, TypeError, OverflowError,
                    pa.ArrowException) as exc:
                raise ValueError(f"a field has the wrong type ({type(exc).__name__}: "
                                 f"{exc})".splitlines()[0]) from exc
        except ValueError as exc:
            if single:
                raise InputError(str(exc), path=str(path)) from exc
            skipped.append((label, str(exc)))
            continue
        p.package["fetched_at"] = e.fetched_at
        parsed.append(p)
    if not parsed:
        raise InputError("no usable package document (" + "; ".join(
            f"{a}: {b}" for a, b in skipped[:3]) + ")", path=str(path))
    fetched = [e.fetched_at for e in items if e.fetched_at is not None]
    date: dt.date | None
    if data_date:
        date, source = data_date, "--data-date"
    elif fetched:
        date, source = max(fetched).date(), "the manifest: newest fetch time"
    else:
        stamps = [r["uploaded_at"] for p in parsed for r in p.releases if r["uploaded_at"]]
        date = max(stamps).date() if stamps else None
        source = "the data: newest release upload (no fetch time recorded)"
    builder = session.new_snapshot(kind="registry", dataset=DATASET,
                                   content_hash=_entries_hash(items), data_date=date,
                                   data_date_source=source)
    if builder is None:
        return
    builder.insert("registry_packages",
                   pa.Table.from_pylist([p.package for p in parsed], schema=schemas["packages"]))
    builder.insert("registry_releases",
                   pa.Table.from_pylist([r for p in parsed for r in p.releases],
                                        schema=schemas["releases"]), count_rows=False)
    builder.insert("registry_files",
                   pa.Table.from_pylist([f for p in parsed for f in p.files],
                                        schema=schemas["files"]), count_rows=False)
    for label, reason in skipped:
        builder.skip(label, reason)
