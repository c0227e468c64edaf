"""Probe records: the JSON-lines results format, written by ``probe run`` and read by ingest.

One line per (path, model, size) with exactly :data:`FIELDS`. A file whose first record is not
such an object is not a probe results file and is rejected whole; a later line that does not
parse or breaks a field's type is skipped as an item ("line N: why").
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from fwatlas.errors import InputError
from fwatlas.probe.spec import STAGES

FIELDS: tuple[str, ...] = (
    "path", "model", "size", "ok", "supported", "stage", "error", "export_s", "artifact_bytes",
    "latency_ms", "latency_p10_ms", "latency_p90_ms", "source_latency_ms", "max_abs_diff",
    "versions", "machine",
)
_NUMBERS = ("export_s", "latency_ms", "latency_p10_ms", "latency_p90_ms", "source_latency_ms",
            "max_abs_diff")


@dataclass(frozen=True)
class ProbeRecord:
    """What one probe found. ``stage`` names where a failed probe stopped (None when ok)."""

    path: str
    model: str
    size: str
    ok: bool
    supported: bool
    stage: str | None
    error: str | None
    export_s: float | None
    artifact_bytes: int | None
    latency_ms: float | None
    latency_p10_ms: float | None
    latency_p90_ms: float | None
    source_latency_ms: float | None
    max_abs_diff: float | None
    versions: dict[str, str] = field(default_factory=dict)
    machine: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in FIELDS}

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.path, self.model, self.size)

    @property
    def measured_on(self) -> dt.date | None:
        """The day the record was measured (``machine.measured_at``), if it says."""
        text = self.machine.get("measured_at")
        try:
            return dt.datetime.fromisoformat(str(text)).date() if text else None
        except ValueError:
            return None

    def phrase(self) -> str:
        """One line: "works, 1.6 ms, 155 KiB, |Δ| 2e-07", "fails at load: …", "unsupported"."""
        if not self.supported:
            return f"unsupported by design: {self.error or 'the framework refuses'}"
        if not self.ok:
            return f"fails at {self.stage}: {self.error or 'no error line'}"
        parts = ["works"]
        if self.latency_ms is not None:
            parts.append(f"{self.latency_ms:.3g} ms")
        if self.artifact_bytes is not None:
            parts.append(human_bytes(self.artifact_bytes))
        if self.max_abs_diff is not None:
            parts.append(f"|Δ| {self.max_abs_diff:.1g}")
        return ", ".join(parts)


def human_bytes(n: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} B"


def _number(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} is not a number")
    try:
        number = float(value)  # an integer past the float range (10**400) overflows here
    except OverflowError:
        raise ValueError(f"{name} is too large to be a number of seconds") from None
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{name} is {value}, not a finite non-negative number")
    return number


def from_dict(obj: Any) -> ProbeRecord:
    """Validate one parsed line; raises ValueError naming the first problem."""
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    missing = [f for f in FIELDS if f not in obj]
    if missing:
        raise ValueError(f"missing field(s) {', '.join(missing)}")
    for name in ("path", "model", "size"):
        if not isinstance(obj[name], str) or not obj[name]:
            raise ValueError(f"{name} is not a non-empty string")
    for name in ("ok", "supported"):
        if not isinstance(obj[name], bool):
            raise ValueError(f"{name} is not true/false")
    stage, error = obj["stage"], obj["error"]
    if stage is not None and stage not in STAGES:
        raise ValueError(f"stage {stage!r} is not one of {', '.join(STAGES)}")
    if obj["ok"] and stage is not None:
        raise ValueError("ok is true but a failing stage is named")
    if not obj["ok"] and stage is None:
        raise ValueError("ok is false but no failing stage is named")
    if error is not None and not isinstance(error, str):
        raise ValueError("error is not a string")
    size_bytes = obj["artifact_bytes"]
    if size_bytes is not None and (isinstance(size_bytes, bool) or not isinstance(size_bytes, int)
                                   or not 0 <= size_bytes < 2**63):  # the int64 column
        raise ValueError("artifact_bytes is not a non-negative 64-bit integer")
    versions, machine = obj["versions"], obj["machine"]
    if not isinstance(versions, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in versions.items()):
        raise ValueError("versions is not an object of package: version strings")
    if not isinstance(machine, dict):
        raise ValueError("machine is not an object")
    numbers = {n: _number(obj[n], n) for n in _NUMBERS}
    return ProbeRecord(path=obj["path"], model=obj["model"], size=obj["size"], ok=obj["ok"],
                       supported=obj["supported"], stage=stage, error=error,
                       artifact_bytes=size_bytes, versions=dict(versions),
                       machine=dict(machine), **numbers)


def parse_lines(lines: Iterable[str], origin: str) -> tuple[list[ProbeRecord], list[str]]:
    """Records and skipped items ("line N: why") from JSON lines.

    The first non-blank line decides whether this is a probe results file at all: when it is
    not a record, the whole input is rejected (:class:`InputError`).
    """
    records: list[ProbeRecord] = []
    skipped: list[str] = []
    first = True
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            try:
                obj = json.loads(line)
            except RecursionError:  # deep nesting is a bad line, not a crash
                raise ValueError("JSON nested too deeply") from None
            record = from_dict(obj)
        except (ValueError, TypeError) as exc:
            reason = (f"not valid JSON ({exc.msg})" if isinstance(exc, json.JSONDecodeError)
                      else str(exc))
            if first:
                raise InputError(f"not a probe results file: line {number}: {reason}",
                                 path=origin) from None
            skipped.append(f"line {number}: {reason}")
            continue
        first = False
        records.append(record)
    if first:
        raise InputError("empty: no probe record in the file", path=origin)
    return records, skipped


@cache
def bundled_records(dataset: str) -> tuple[ProbeRecord, ...]:
    """The records of a bundled deployment-probe run (the reference's ``probe-jsonl`` file)."""
    from fwatlas.store import reference

    text = reference.text_of(dataset, "probe-jsonl")
    records, _skipped = parse_lines(text.splitlines(), f"reference {dataset}")
    return tuple(records)


def read_results(path: Path) -> tuple[list[ProbeRecord], list[str]]:
    """Read a results file (see :func:`parse_lines`)."""
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from None
    return parse_lines(text.splitlines(), str(path))


def write_results(records: Iterable[ProbeRecord], path: Path) -> None:
    """One JSON line per record, in the order given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r.as_dict(), sort_keys=False) + "\n")


def stored_records(atlas: Any, snapshot_num: int) -> list[ProbeRecord]:
    """The records of one stored probe snapshot, in file order of path, model, size (the
    ``probe_records`` table the probe reader fills)."""
    cols = ", ".join(FIELDS)
    rows = atlas.con.execute(
        f"SELECT {cols} FROM probe_records WHERE snapshot_id = ? "  # noqa: S608
        "ORDER BY rowid", [snapshot_num]).fetchall()
    out = []
    for row in rows:
        raw = dict(zip(FIELDS, row, strict=True))
        raw["versions"] = json.loads(raw["versions"])
        raw["machine"] = json.loads(raw["machine"])
        out.append(from_dict(raw))
    return out
