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
from fwatlas.yamlio import load_yaml

BUNDLED_FILE = "tools.yaml"


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
        doc = load_yaml(data.decode("utf-8"))
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
    key = _content_key(extra)
    kb = _LOADED.get(key) if key is not None else None
    if kb is None:
        kb, problems = build(extra)
        if kb is None:
            raise KbInvalid(problems)
        if key is not None:
            _LOADED[key] = kb
    return kb


#: knowledge bases built in this process, by the user file's path and bytes: the report's
#: sections and the status each load it, and validating 111 entries takes ~50 ms a time
_LOADED: dict[tuple[str | None, bytes | None], KnowledgeBase] = {}


def _content_key(extra: Path | None) -> tuple[str | None, bytes | None] | None:
    """What a built knowledge base depends on (the bundled file is fixed per process); None
    when the user's file cannot be read, so that ``build`` reports why."""
    if extra is None:
        return None, None
    try:
        return str(extra), Path(extra).read_bytes()
    except OSError:
        return None


@dataclass(frozen=True)
class FileSummary:
    """What ``kb validate PATH`` validated: the file's own entries over the bundled ones."""

    file: str | None  # None: the bundled file alone
    file_entries: int | None  # entries the file holds (None: it could not be read as a list)
    overlaid: int | None  # of those, names the bundled file has (overlaid field by field)
    added: int | None  # of those, new names
    bundled_entries: int

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "file_entries": self.file_entries,
                "overlaid": self.overlaid, "added": self.added,
                "bundled_entries": self.bundled_entries}

    def describe(self) -> str:
        """``/x/my.yaml: its 1 entry (1 overlaid on a bundled entry, 0 new) merged over the
        bundled 111 entries`` – or ``the bundled knowledge base`` alone."""
        if self.file is None:
            return "the bundled knowledge base"
        n = self.file_entries or 0
        return (f"{self.file}: its {n} {'entry' if n == 1 else 'entries'} ({self.overlaid} "
                f"overlaid on {'a bundled entry' if self.overlaid == 1 else 'bundled entries'}"
                f", {self.added} new) merged over the bundled {self.bundled_entries} entries")


def bundled_names() -> list[str]:
    """The names of the bundled file's entries, in file order."""
    data, label = _bundled()
    return [item["name"] for item in _parse(data, label)[0]]


def file_summary(path: Path | None) -> FileSummary:
    """How many entries ``path`` holds, how many overlay a bundled one and how many are new.

    Counted from the file's own list (each name once), so it answers for a file with invalid
    entries too; a file that cannot be read as a list of entries gives None counts.
    """
    base = bundled_names()
    if path is None:
        return FileSummary(None, None, None, None, len(base))
    try:
        raw, problems = _parse(Path(path).read_bytes(), str(path))
    except OSError:
        return FileSummary(str(path), None, None, None, len(base))
    if not raw and any(p.entry is None for p in problems):
        return FileSummary(str(path), None, None, None, len(base))
    names = {item["name"] for item in raw}
    known = len(names & set(base))
    return FileSummary(str(path), len(names), known, len(names) - known, len(base))


def validate_file(path: Path | None = None) -> list[Problem]:
    """Every problem of ``path`` merged over the bundled base (or of the bundled base alone)."""
    return build(path)[1]
