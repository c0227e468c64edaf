"""What Transformers can load, release by release: architectures per framework.

The largest source of pretrained models removed TensorFlow and Flax in its v5 (2026-01). How
many architectures each framework could load from ``transformers`` is model availability at
the library level, which Hub tags cannot show. The count follows the method of the shared data
set ``transformers_framework_coverage`` (its PROVENANCE.md):

- v4+: an architecture is a folder ``transformers/models/<arch>/``; it counts for PyTorch when
  it holds ``modeling_<x>.py``, for TensorFlow with ``modeling_tf_<x>.py``, for JAX (Flax) with
  ``modeling_flax_<x>.py``; ``auto``/``utils``/``outputs`` helpers are not architectures;
- v3 (flat layout): the top-level ``transformers/modeling_{,tf_,flax_}<x>.py`` files;
- architectures moved to ``transformers/models/deprecated/`` are not counted;
- the release date is the newest timestamp of a ``transformers/`` member of the wheel.

The wheel is read in memory as a zip: nothing is unpacked or imported.

``fwatlas ingest coverage PATH`` reads a CSV of such counts (the shared data set's file, or the
one ``fwatlas refresh coverage`` writes); one snapshot per library (``coverage/transformers``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fwatlas.errors import InputError
from fwatlas.streams import describe

if TYPE_CHECKING:
    import pyarrow as pa

KIND = "coverage"
TABLE = "library_coverage"
LIBRARY = "transformers"
DATASET = f"coverage/{LIBRARY}"
#: modeling files that are helpers, not architectures
HELPERS = frozenset({"auto", "utils", "outputs", "pytorch_utils", "flax_pytorch_utils",
                     "tf_pytorch_utils", "flax_utils", "tf_utils", "tf_outputs", "flax_outputs"})

MIGRATIONS: list[str] = [
    """
    CREATE TABLE library_coverage (
        snapshot_id BIGINT NOT NULL,
        library VARCHAR NOT NULL,
        version VARCHAR NOT NULL,
        release_date DATE,
        architectures INTEGER NOT NULL,
        pytorch INTEGER NOT NULL,
        tensorflow INTEGER NOT NULL,
        jax INTEGER NOT NULL,
        deprecated INTEGER,
        wheel VARCHAR,
        sha256 VARCHAR
    );
    """,
]

CSV_COLUMNS = ("version", "wheel_build_date", "n_arch_any", "n_pytorch", "n_tensorflow",
               "n_flax", "wheel", "sha256")


@dataclass(frozen=True)
class Release:
    """One release's counts (the architectures each framework has a model implementation for)."""

    version: str
    release_date: dt.date | None
    architectures: int
    pytorch: int
    tensorflow: int
    jax: int
    deprecated: int | None = None
    wheel: str | None = None
    sha256: str | None = None


_MODELS = re.compile(r"^transformers/models/([^/]+)/modeling_(tf_|flax_)?(\w+)\.py$")
_FLAT = re.compile(r"^transformers/modeling_(tf_|flax_)?(\w+)\.py$")
_DEPRECATED = re.compile(r"^transformers/models/deprecated/([^/]+)/modeling_\w+\.py$")


def count_wheel(data: bytes, *, version: str, wheel: str | None = None) -> Release:
    """Count one wheel's architectures per framework (the wheel's bytes, read as a zip)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(f"not a readable wheel ({exc})", path=wheel) from exc
    per: dict[str, set[str]] = {}
    flat: dict[str, set[str]] = {}
    deprecated: set[str] = set()
    stamps = []
    for info in infos:
        name = info.filename
        if not name.startswith("transformers/"):
            continue
        if info.date_time[0] > 1980:
            stamps.append(info.date_time)
        if _DEPRECATED.match(name):
            deprecated.add(name.split("/")[3])
            continue
        m = _MODELS.match(name)
        if m:
            arch, prefix, rest = m.group(1), m.group(2) or "", m.group(3)
            if arch in HELPERS or arch == "deprecated" or rest in HELPERS:
                continue
            per.setdefault(arch, set()).add({"": "pytorch", "tf_": "tensorflow",
                                             "flax_": "jax"}[prefix])
            continue
        f = _FLAT.match(name)
        if f:
            prefix, arch = f.group(1) or "", f.group(2)
            if arch in HELPERS or f"{prefix}{arch}" in HELPERS:
                continue
            flat.setdefault(arch, set()).add({"": "pytorch", "tf_": "tensorflow",
                                              "flax_": "jax"}[prefix])
    archs = per if per else flat  # v4+ has a models/ folder; v3's flat layout otherwise
    date = dt.date(*max(stamps)[:3]) if stamps else None
    return Release(
        version=version, release_date=date, architectures=len(archs),
        pytorch=sum("pytorch" in s for s in archs.values()),
        tensorflow=sum("tensorflow" in s for s in archs.values()),
        jax=sum("jax" in s for s in archs.values()),
        deprecated=len(deprecated) if per else None, wheel=wheel,
        sha256=hashlib.sha256(data).hexdigest())


def write_csv(releases: list[Release], path: Path) -> None:
    """The CSV ``ingest coverage`` reads (the shared data set's column names)."""
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([*CSV_COLUMNS, "n_deprecated"])
        for r in releases:
            w.writerow([r.version, r.release_date.isoformat() if r.release_date else "",
                        r.architectures, r.pytorch, r.tensorflow, r.jax, r.wheel or "",
                        r.sha256 or "", "" if r.deprecated is None else r.deprecated])


def _count(row: dict[Any, Any], col: str) -> int:
    value = row.get(col)
    text = value.strip() if isinstance(value, str) else ""
    if not text.isdigit():  # "-5", "many", "1.5", a missing field
        raise ValueError(f"{col} must be a whole number >= 0, not {text or value!r}")
    if len(text) > 9:  # the store's INTEGER
        raise ValueError(f"{col} {text[:24]!r} is out of range")
    return int(text)


def _release(row: dict[Any, Any]) -> Release:
    """One CSV row as a release; ``ValueError`` names the first value that is not its type."""
    extra = row.get(None)  # csv.DictReader's key for the fields beyond the header
    if extra:
        raise ValueError(f"{len(extra) + len(row) - 1} fields, expected {len(row) - 1}")
    day = (row.get("wheel_build_date") or "").strip()
    try:
        date = dt.date.fromisoformat(day) if day else None
    except ValueError:
        raise ValueError(f"wheel_build_date {day!r} is not a date") from None
    dep = (row.get("n_deprecated") or "").strip()
    rel = Release((row.get("version") or "").strip(), date, _count(row, "n_arch_any"),
                  _count(row, "n_pytorch"), _count(row, "n_tensorflow"),
                  _count(row, "n_flax"), _count(row, "n_deprecated") if dep else None,
                  (row.get("wheel") or "").strip() or None,
                  (row.get("sha256") or "").strip() or None)
    if not rel.version:
        raise ValueError("no version")
    if max(rel.pytorch, rel.tensorflow, rel.jax) > rel.architectures:
        raise ValueError("a framework count exceeds n_arch_any")
    return rel


def read_csv(path: Path, skipped: list[str] | None = None) -> list[Release]:
    """Releases of a coverage CSV; a missing column, bytes that are not UTF-8 or a field over
    the size bound reject the file.

    A row that cannot be read as the declared types (a negative or non-numeric count, a bad
    date, no version, a row the file cuts short) is an item-level problem (issue 15): listed
    in ``skipped``, or – when the caller keeps no list – the file's error.
    """
    from fwatlas.sources.limits import ends_mid_row

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(describe(exc), path=str(path)) from exc
    reader = csv.DictReader(io.StringIO(text))
    out = []
    problems: list[str] = []
    try:
        missing = [c for c in CSV_COLUMNS[:6] if c not in (reader.fieldnames or ())]
        if missing:
            raise InputError(f"not a coverage CSV: column {missing[0]!r} missing",
                             path=str(path))
        width = len(reader.fieldnames or ())
        rows = list(reader)
    except csv.Error as exc:  # a field over the csv module's limit, a NUL byte
        raise InputError(f"line {reader.line_num + 1}: {describe(exc)}",
                         path=str(path)) from None
    cut = ends_mid_row(path)
    for n, row in enumerate(rows, start=2):
        if cut and n == len(rows) + 1 and sum(v is not None for v in row.values()) < width:
            problems.append(f"{path.name} line {n}: the last row is cut "
                            f"({sum(v is not None for v in row.values())} of {width} fields; "
                            "the file ends mid-row)")
            continue
        try:
            out.append(_release(row))
        except ValueError as exc:
            problems.append(f"{path.name} line {n} ({(row.get('version') or '?')[:40]}): "
                            f"{exc}")
    if problems and skipped is None:
        raise InputError(problems[0], path=str(path))
    if skipped is not None:
        skipped.extend(problems)
    if not out:
        if problems:
            raise InputError(f"every row was skipped ({len(problems)}; first: {problems[0]})",
                             path=str(path))
        raise InputError("the CSV holds no releases (empty input)", path=str(path))
    return out


def _schema() -> pa.Schema:
    import pyarrow as pa  # here, not at the top: the report reads this module's names

    return pa.schema([
        ("library", pa.string()), ("version", pa.string()), ("release_date", pa.date32()),
        ("architectures", pa.int32()), ("pytorch", pa.int32()), ("tensorflow", pa.int32()),
        ("jax", pa.int32()), ("deprecated", pa.int32()), ("wheel", pa.string()),
        ("sha256", pa.string()),
    ])


def version_key(version: str) -> tuple[Any, ...]:
    """Sort key of a release number: PEP 440 order, anything unparsable after it."""
    from packaging.version import InvalidVersion, Version

    try:
        return (0, Version(version))
    except InvalidVersion:
        return (1, version)


def releases_table(releases: list[Release], library: str = LIBRARY) -> pa.Table:
    import pyarrow as pa

    return pa.table({
        "library": [library] * len(releases), "version": [r.version for r in releases],
        "release_date": pa.array([r.release_date for r in releases], pa.date32()),
        "architectures": pa.array([r.architectures for r in releases], pa.int32()),
        "pytorch": pa.array([r.pytorch for r in releases], pa.int32()),
        "tensorflow": pa.array([r.tensorflow for r in releases], pa.int32()),
        "jax": pa.array([r.jax for r in releases], pa.int32()),
        "deprecated": pa.array([r.deprecated for r in releases], pa.int32()),
        "wheel": [r.wheel for r in releases], "sha256": [r.sha256 for r in releases],
    }, schema=_schema())


def ingest(session: Any, path: Path, *, data_date: dt.date | None,
           options: dict[str, Any]) -> None:
    """One snapshot of ``coverage/transformers`` from a coverage CSV."""
    from fwatlas.hashing import content_hash

    skipped: list[str] = []
    releases = read_csv(path, skipped)
    dates = [r.release_date for r in releases if r.release_date]
    builder = session.new_snapshot(
        kind=KIND, dataset=DATASET, content_hash=content_hash(path),
        data_date=data_date or (max(dates) if dates else None),
        data_date_source="--data-date" if data_date else "the data: the newest release's date")
    if builder is None:
        return
    builder.insert(TABLE, releases_table(releases))
    builder.skipped_items.extend(skipped)
    builder.note = f"{len(releases)} {LIBRARY} releases, counted from their wheels"
