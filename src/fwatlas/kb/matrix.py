"""The deploy matrix: for each framework × target, the best active tool chain today.

A path is the framework, the ``via`` steps the tool needs for it, and the tool; it is active
when every step is active once renamed steps are followed to their successors (and the path
says so). Best = a tool the knowledge base marks ``preferred_for`` the cell, then a complete
(dated, primary-sourced) entry, then the shortest chain, then the most specialised tool (fewest
frameworks), then the name – so the answer moves
as soon as a status in the YAML moves, with no code change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fwatlas.kb.base import KnowledgeBase
from fwatlas.kb.schema import FRAMEWORKS, TARGETS
from fwatlas.vocabulary import FRAMEWORK_TITLES

#: The frameworks the matrix shows (the four the article and fwatlas compare).
MATRIX_FRAMEWORKS: tuple[str, ...] = tuple(f for f in ("pytorch", "tensorflow", "jax", "keras")
                                           if f in FRAMEWORKS)


@dataclass(frozen=True)
class Step:
    """One tool of a chain as the knowledge base has it today."""

    name: str
    title: str
    status: str | None
    status_date: str | None
    followed_from: str | None = None  # the renamed entry this step was reached from

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Path:
    framework: str
    target: str
    steps: tuple[Step, ...]
    preferred: bool = False

    @property
    def tool(self) -> str:
        return self.steps[-1].name

    @property
    def active(self) -> bool:
        return all(s.status == "active" for s in self.steps)

    def display(self, titles: dict[str, str]) -> str:
        names = [titles.get(self.framework, self.framework)]
        for s in self.steps:
            names.append(s.title + (f" (ex-{titles.get(s.followed_from, s.followed_from)})"
                                    if s.followed_from else ""))
        return " → ".join(names)

    def as_dict(self, titles: dict[str, str]) -> dict[str, Any]:
        return {"chain": [self.framework, *(s.name for s in self.steps)],
                "display": self.display(titles), "active": self.active,
                "steps": [s.as_dict() for s in self.steps]}


@dataclass(frozen=True)
class Cell:
    framework: str
    target: str
    best: Path | None
    alternatives: tuple[Path, ...]
    article: tuple[Step, ...] = field(default=())  # the article's tool(s), followed to today

    def as_dict(self, titles: dict[str, str]) -> dict[str, Any]:
        return {
            "framework": self.framework, "target": self.target,
            "best": self.best.as_dict(titles) if self.best else None,
            "alternatives": [p.as_dict(titles) for p in self.alternatives],
            "article": [s.as_dict() for s in self.article],
        }


def _step(kb: KnowledgeBase, name: str) -> Step:
    hops = kb.follow(name)
    end = kb.entries[hops[-1].name]
    return Step(end.name, end.display, end.status, end.status_date,
                followed_from=name if len(hops) > 1 else None)


def paths(kb: KnowledgeBase, framework: str, target: str) -> list[Path]:
    """Every path (active or not) from ``framework`` to ``target``, best first."""
    cell = f"{framework}/{target}"
    out = []
    for e in kb.entries.values():
        if e.status == "renamed" or target not in e.targets or framework not in e.frameworks:
            continue
        steps = tuple(_step(kb, n) for n in (*e.via.get(framework, ()), e.name))
        out.append(Path(framework, target, steps, preferred=cell in e.preferred_for))
    out.sort(key=lambda p: (not p.active, not p.preferred, not kb.entries[p.tool].complete,
                            len(p.steps), len(kb.entries[p.tool].frameworks), p.tool))
    return out


def best_path(kb: KnowledgeBase, framework: str, target: str) -> Path | None:
    """The best active path, or None when no active chain reaches the target."""
    found = paths(kb, framework, target)
    return found[0] if found and found[0].active else None


def cell(kb: KnowledgeBase, framework: str, target: str) -> Cell:
    found = paths(kb, framework, target)
    active = [p for p in found if p.active]
    key = f"{framework}/{target}"
    article = tuple(_step_with_original(kb, e.name) for e in kb.entries.values()
                    if key in e.article_cells)
    return Cell(framework, target, active[0] if active else None, tuple(active[1:]),
                tuple(s for group in article for s in group))


def _step_with_original(kb: KnowledgeBase, name: str) -> tuple[Step, ...]:
    """The article's tool as it is today, and its successor when it was renamed or replaced."""
    e = kb.entries[name]
    out = [Step(e.name, e.display, e.status, e.status_date)]
    if e.replaced_by and e.replaced_by in kb.entries:
        nxt = _step(kb, e.replaced_by)
        out.append(Step(nxt.name, nxt.title, nxt.status, nxt.status_date, followed_from=name))
    return tuple(out)


@dataclass(frozen=True)
class DeployMatrix:
    frameworks: tuple[str, ...]
    targets: tuple[str, ...]
    cells: tuple[Cell, ...]
    titles: dict[str, str]

    def rows(self) -> list[dict[str, Any]]:
        return [c.as_dict(self.titles) for c in self.cells]


def _titles(kb: KnowledgeBase) -> dict[str, str]:
    titles = {n: e.display for n, e in kb.entries.items()}
    titles.update(FRAMEWORK_TITLES)
    return titles


def deploy_matrix(kb: KnowledgeBase, frameworks: tuple[str, ...] = MATRIX_FRAMEWORKS,
                  targets: tuple[str, ...] = TARGETS) -> DeployMatrix:
    """Every framework × target cell: best active path, alternatives, the article's tool."""
    cells = tuple(cell(kb, f, t) for f in frameworks for t in targets)
    return DeployMatrix(frameworks, targets, cells, _titles(kb))


def titles(kb: KnowledgeBase) -> dict[str, str]:
    """Display names for entries and frameworks."""
    return _titles(kb)
