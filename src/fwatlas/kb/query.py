"""Questions asked of the knowledge base as values: which entries match a filter, and what
``kb validate`` found.

Both the CLI (``kb list``, ``kb validate``) and the API read these; they only render them.
An unknown filter value is an :class:`InputError` (exit 2) naming the valid ones, declared
once in ``fwatlas.kb.schema``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fwatlas.errors import InputError, opt
from fwatlas.kb.base import KnowledgeBase
from fwatlas.kb.loader import FileSummary, Problem, build, file_summary
from fwatlas.kb.schema import FRAMEWORKS, KINDS, STATUSES, Entry, target_option


def _choice(value: str | None, valid: tuple[str, ...], option: str) -> None:
    if value is not None and value not in valid:
        raise InputError(f"{opt(option)} {value!r} is not one of: {', '.join(valid)}")


def check_filters(*, framework: str | None = None, target: str | None = None,
                  kind: str | None = None, status: str | None = None) -> tuple[str, ...]:
    """Refuse an unknown filter value (exit 2) before anything is read; the targets a
    ``target`` (or group) stands for."""
    _choice(framework, FRAMEWORKS, "framework")
    _choice(kind, KINDS, "kind")
    _choice(status, STATUSES, "status")
    return target_option(target)


def select(kb: KnowledgeBase, *, framework: str | None = None, target: str | None = None,
           kind: str | None = None, status: str | None = None,
           in_article: bool = False) -> list[Entry]:
    """The entries matching every filter given, by name (``target`` may name a group:
    server, mobile, embedded); an unknown filter value raises :class:`InputError`."""
    targets = check_filters(framework=framework, target=target, kind=kind, status=status)
    return [e for e in sorted(kb.entries.values(), key=lambda e: e.name)
            if (framework is None or framework in e.frameworks)
            and (not targets or set(targets) & set(e.targets))
            and (kind is None or e.kind == kind) and (status is None or e.status == status)
            and (not in_article or e.in_article)]


@dataclass(frozen=True)
class Validation:
    """What ``kb validate [PATH]`` found: the merged knowledge base (None when it could not be
    built), every problem, and what the file itself holds."""

    kb: KnowledgeBase | None
    problems: list[Problem]
    summary: FileSummary

    @property
    def valid(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        kb = self.kb
        return {
            "sources": kb.sources() if kb else [],
            "valid": self.valid,
            "problems": [{"file": p.file, "entry": p.entry, "field": p.field,
                          "message": p.message} for p in self.problems],
            # what was validated: the file's own entries, merged over the bundled ones
            **self.summary.as_dict(),
            # the knowledge base fwatlas would use: the bundled entries with the file merged
            "entries": len(kb.entries) if kb else None,
            "complete": sum(e.complete for e in kb.entries.values()) if kb else None,
        }

    def error(self) -> InputError | None:
        """The one-line error (exit 2) an invalid file ends with; None when it is valid."""
        if self.valid:
            return None
        n = len(self.problems)
        return InputError(f"the knowledge base is not valid: {n} problem{'' if n == 1 else 's'}",
                          path=self.summary.file)


def validate(path: Path | None = None) -> Validation:
    """Validate ``path`` merged over the bundled knowledge base (or the bundled one alone)."""
    kb, problems = build(path)
    return Validation(kb, problems, file_summary(path))
