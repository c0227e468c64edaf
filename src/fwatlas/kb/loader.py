"""Loading the knowledge base: the bundled YAML, a user's file merged over it, and validation.

A user's entry with the name of a bundled one overlays it field by field (so a file that says
only ``name``, ``status``, ``status_date`` and ``sources`` flips one status); a new name adds
an entry. Every problem is reported as ``FILE: entry NAME: field F: message`` – the schema's
errors and the cross-entry ones (a ``replaced_by`` naming no entry, a duplicate name).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from fwatlas.errors import InputError
from fwatlas.kb.base import KbFileInfo, KnowledgeBase
from fwatlas.kb.schema import Entry

BUNDLED_FILE = "tools.yaml"

try:  # the C loader is several times faster; fall back where libyaml is absent
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Problem:
    """One validation problem, located as precisely as the input allows."""

    file: str
    entry: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.entry is not None:
            where.append(f"entry {self.entry!r}")
        if self.field is not None:
            where.append(f"field {self.field}")
        return ": ".join([*where, self.message])


class KbInvalid(InputError):
    """A knowledge-base file failed validation; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more; see fwatlas kb validate)" if len(problems) > 1 \
            else ""
        super().__init__(f"{problems[0]}{more}")


def _parse(data: bytes, label: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The raw entries of one file, or the problems that make the whole file unusable."""
    try:
        doc = yaml.load(data.decode("utf-8"), Loader=_Loader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return [], [Problem(label, None, None, f"not a YAML file: {first}")]
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        return [], [Problem(label, None, None, "expected a mapping with a list under 'entries:'")]
    raw: list[dict[str, Any]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, item in enumerate(doc["entries"]):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            problems.append(Problem(label, f"#{i + 1}", "name", "every entry needs a name"))
            continue
        if item["name"] in seen:
            problems.append(Problem(label, item["name"], "name",
                                    "duplicate name: the entry appears twice in this file"))
            continue
        seen.add(item["name"])
        raw.append(item)
    return raw, problems


def _info(label: str, data: bytes, origin: str) -> KbFileInfo:
    sha = hashlib.sha256(data).hexdigest()
    name = Path(label).name
    return KbFileInfo(snapshot_id=f"kb:{name}@{sha[:12]}", file=name, origin=origin, sha256=sha)


@cache
def _bundled() -> tuple[bytes, str]:
    root = resources.files("fwatlas").joinpath("data/kb")
    return root.joinpath(BUNDLED_FILE).read_bytes(), f"fwatlas/data/kb/{BUNDLED_FILE}"


def _validate_entry(item: dict[str, Any], label: str) -> tuple[Entry | None, list[Problem]]:
    try:
        return Entry.model_validate(item), []
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or None
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] in ("literal_error", "enum"):
                msg = f"{err['input']!r} is unknown; {msg[0].lower()}{msg[1:]}"
            out.append(Problem(label, str(item.get("name")), loc, msg))
        return None, out


def _cross_check(entries: dict[str, Entry], origin_label: dict[str, str]) -> list[Problem]:
    problems = []
    claimed: dict[tuple[str, str], str] = {}
    for e in entries.values():
        label = origin_label[e.name]
        if e.replaced_by is not None and e.replaced_by not in entries:
            problems.append(Problem(label, e.name, "replaced_by",
                                    f"{e.replaced_by!r} names no entry"))
        if e.status == "renamed" and e.replaced_by is None:
            problems.append(Problem(label, e.name, "replaced_by",
                                    "a renamed entry must name its successor"))
        for fw, steps in e.via.items():
            for step in steps:
                if step not in entries:
                    problems.append(Problem(label, e.name, f"via.{fw}",
                                            f"{step!r} names no entry"))
        for registry, names in (("pypi", e.pypi), ("npm", e.npm)):
            for pkg in names:
                key = (registry, pkg.lower())
                if key in claimed and claimed[key] != e.name:
                    problems.append(Problem(label, e.name, registry,
                                            f"package {pkg!r} is already entry "
                                            f"{claimed[key]!r}'s"))
                claimed[key] = e.name
    return problems


def build(extra: Path | None = None) -> tuple[KnowledgeBase | None, list[Problem]]:
    """The merged knowledge base and every problem found (the base is None if any)."""
    data, label = _bundled()
    files = [_info(label, data, "fwatlas bundled knowledge base (" + label + ")")]
    raw, problems = _parse(data, label)
    merged: dict[str, dict[str, Any]] = {item["name"]: dict(item) for item in raw}
    origin_label = {name: label for name in merged}
    origins = {name: files[0].snapshot_id for name in merged}
    if extra is not None:
        path = Path(extra)
        try:
            extra_data = path.read_bytes()
        except OSError as exc:
            return None, [Problem(str(path), None, None, f"cannot read: {exc.strerror or exc}")]
        info = _info(str(path), extra_data, str(path))
        files.append(info)
        extra_raw, extra_problems = _parse(extra_data, str(path))
        problems += extra_problems
        for item in extra_raw:
            merged[item["name"]] = {**merged.get(item["name"], {}), **item}
            origin_label[item["name"]] = str(path)
            origins[item["name"]] = info.snapshot_id
    entries: dict[str, Entry] = {}
    for name, item in merged.items():
        entry, errs = _validate_entry(item, origin_label[name])
        problems += errs
        if entry is not None:
            entries[name] = entry
    if not problems:
        problems += _cross_check(entries, origin_label)
    if problems:
        return None, problems
    return KnowledgeBase(entries=entries, files=tuple(files), origins=origins), []


def load_kb(extra: Path | None = None) -> KnowledgeBase:
    """The bundled knowledge base merged with ``extra`` (or ``$FWATLAS_KB``).

    Raises :class:`fwatlas.errors.InputError` naming the file, the entry and the field.
    """
    if extra is None:
        from fwatlas.settings import extra_kb_path

        extra = extra_kb_path()
    kb, problems = build(extra)
    if kb is None:
        raise KbInvalid(problems)
    return kb


def validate_file(path: Path | None = None) -> list[Problem]:
    """Every problem of ``path`` merged over the bundled base (or of the bundled base alone)."""
    return build(path)[1]
