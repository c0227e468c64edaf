"""The bundled reference: published and computed figures shipped inside the package.

Each dataset is a small CSV of rows ``figure, key, value, unit, data_date, source_url, basis,
note``. It is attached to every connection as the view ``reference_figures`` (never copied into
the user's store), so analyses answer offline on a fresh install and read commands never write.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from fwatlas import __version__
from fwatlas.yamlio import load_yaml

if TYPE_CHECKING:
    import duckdb

    from fwatlas.store.atlas import Snapshot

_FIELDS = ("figure", "key", "value", "unit", "data_date", "source_url", "basis", "note")


@dataclass(frozen=True)
class Figure:
    """One row of the reference: a number a cited source states, or fwatlas computed."""

    dataset: str
    figure: str
    key: str
    value: float | None
    unit: str
    data_date: dt.date
    source_url: str
    basis: str
    note: str


@dataclass(frozen=True)
class _Dataset:
    dataset: str
    kind: str
    file: str
    origin: str
    format: str = "figures"  # or "probe-jsonl": a deployment-probe run (fwatlas.probe)
    #: a probe run's record count and newest measurement day, declared in the index (the
    #: store does not parse probe records; a test checks both against the file)
    rows: int | None = None
    data_date: str | None = None


def _root() -> Any:
    return resources.files("fwatlas").joinpath("data/reference")


@cache
def _index() -> tuple[_Dataset, ...]:
    spec = load_yaml(_root().joinpath("index.yaml").read_text("utf-8"))
    return tuple(_Dataset(**d) for d in spec["datasets"])


@cache
def _read(file: str) -> tuple[str, str]:
    """(text, sha256) of one reference file."""
    data = _root().joinpath(file).read_bytes()
    return data.decode("utf-8"), hashlib.sha256(data).hexdigest()


def _parse_value(text: str) -> float | None:
    return None if text.strip() == "" else float(text)


@cache
def figures(dataset: str | None = None) -> tuple[Figure, ...]:
    """Every reference row, or those of one dataset."""
    out = []
    for d in _index():
        if (dataset is not None and d.dataset != dataset) or d.format != "figures":
            continue
        text, _ = _read(d.file)
        for row in csv.DictReader(io.StringIO(text)):
            if set(_FIELDS) - set(row):
                raise ValueError(f"reference file {d.file} lacks columns {set(_FIELDS) - set(row)}")
            out.append(Figure(
                dataset=d.dataset, figure=row["figure"], key=row["key"],
                value=_parse_value(row["value"]), unit=row["unit"],
                data_date=dt.date.fromisoformat(row["data_date"]), source_url=row["source_url"],
                basis=row["basis"], note=row["note"],
            ))
    return tuple(out)


@cache
def snapshots() -> tuple[Snapshot, ...]:
    """One pseudo-snapshot per reference dataset, id ``ref:<dataset>@<version>``."""
    from fwatlas.store.atlas import Snapshot

    out = []
    for d in _index():
        _, sha = _read(d.file)
        if d.format == "probe-jsonl":
            out.append(Snapshot(
                id=f"ref:{d.dataset}@{__version__}", kind=d.kind, dataset=d.dataset,
                origin=d.origin, content_hash=sha,
                data_date=dt.date.fromisoformat(d.data_date) if d.data_date else None,
                data_date_source="the data: newest machine.measured_at", ingested_at=None,
                state="complete", rows=d.rows or 0, skipped=0, basis="computed",
                is_reference=True,
            ))
            continue
        rows = figures(d.dataset)
        bases = {r.basis for r in rows}
        out.append(Snapshot(
            id=f"ref:{d.dataset}@{__version__}", kind=d.kind, dataset=d.dataset,
            origin=d.origin, content_hash=sha,
            data_date=max((r.data_date for r in rows), default=None),
            data_date_source="reference rows", ingested_at=None, state="complete",
            rows=len(rows), skipped=0, basis=bases.pop() if len(bases) == 1 else "mixed",
            is_reference=True,
        ))
    return tuple(out)


def text_of(dataset: str, fmt: str) -> str:
    """The text of one bundled dataset's file in format ``fmt`` (a probe run's JSON lines,
    which ``fwatlas.probe`` parses)."""
    for d in _index():
        if d.dataset == dataset and d.format == fmt:
            return _read(d.file)[0]
    raise KeyError(dataset)


@cache
def source_of(dataset: str) -> dict[str, Any]:
    """The ``sources`` entry of one reference dataset (e.g. ``article`` beside today's figures)."""
    for snap in snapshots():
        if snap.dataset == dataset:
            return snap.source()
    raise KeyError(dataset)


def lookup(dataset: str, figure: str | None = None) -> dict[str, Figure]:
    """Rows of one dataset (optionally one figure) keyed by ``key``."""
    return {f.key: f for f in figures(dataset) if figure is None or f.figure == figure}


#: the columns of ``reference_figures`` and their DuckDB types
_COLUMN_TYPES = {"dataset": "VARCHAR", "figure": "VARCHAR", "key": "VARCHAR", "value": "DOUBLE",
                 "unit": "VARCHAR", "data_date": "DATE", "source_url": "VARCHAR",
                 "basis": "VARCHAR", "note": "VARCHAR"}


@cache
def _rows_json() -> str:
    import json

    return json.dumps([{**{k: getattr(r, k) for k in _COLUMN_TYPES}, "data_date":
                        r.data_date.isoformat()} for r in figures()])


def attach(con: duckdb.DuckDBPyConnection) -> None:
    """Expose the reference as the read-only table ``reference_figures`` (a temporary table of
    this connection: a read-only store accepts it and the file never holds it). The rows go in
    as one bound JSON parameter, so every command's start does not import pyarrow and pandas
    (registering an Arrow table did, for a second of each read command)."""
    shape = "[{" + ", ".join(f'"{k}": "{t}"' for k, t in _COLUMN_TYPES.items()) + "}]"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE reference_figures AS "  # noqa: S608 - constant shape
        f"SELECT unnest(from_json(?, '{shape}'), recursive := true)", [_rows_json()])
