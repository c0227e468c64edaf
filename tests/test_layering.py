"""The layers the README draws, checked on the source (ast over src/fwatlas).

Rules (issue #12): sources import neither the store nor analyses nor a front end; analyses and
the advisor import no front end (nor the command table); figures, report and web do not import
the CLI, and figures and report not the command table; the command table imports neither the
CLI nor the web (it builds the report's data from the figures); the store imports nothing above
it; no import cycles between packages.

``ALLOWED`` lists the violations that existed when this test was written (importing module,
imported package). It may only shrink: a new violation fails, and so does an entry that is no
longer a violation (delete it).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "fwatlas"
FRONT = {"cli", "web", "report", "figures", "commands"}
#: what the store may import: the neutral modules below it
STORE_MAY = {"errors", "settings", "fwatlas", "jsonable", "hashing", "stats", "vocabulary", "kinds",
             "yamlio", "streams"}
FORBIDDEN: dict[str, set[str]] = {
    "sources": {"store", "analyses", *FRONT},
    "analyses": FRONT,
    "advisor": FRONT,
    "figures": {"cli", "commands"},
    "report": {"cli", "commands"},
    "web": {"cli"},
    # the command table is below the CLI and the web: they are derived from it; it builds the
    # report's data from the figures, which never reach up to it
    "commands": {"cli", "web"},
}

#: known violations, each to be removed when fixed (never add one)
ALLOWED: set[tuple[str, str]] = set()

#: known back-edges that close import cycles (not layer rules, but cycles): never add one
CYCLE_EDGES: set[tuple[str, str]] = set()


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "fwatlas"


def _imports() -> dict[str, set[str]]:
    """Each fwatlas module -> the fwatlas modules it imports (anywhere in the file)."""
    out: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        module = ".".join(parts)
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = parts[: len(parts) - node.level + (1 if is_pkg else 0)]
                    found.add(".".join([*base, *([node.module] if node.module else [])]))
                else:
                    found.add(node.module or "")
        out[module] = {m for m in found if m == "fwatlas" or m.startswith("fwatlas.")}
    return out


def _violations() -> set[tuple[str, str]]:
    bad: set[tuple[str, str]] = set()
    for module, targets in _imports().items():
        unit = _unit(module)
        for target in targets:
            other = _unit(target)
            if other == unit:
                continue
            if other in FORBIDDEN.get(unit, set()) or (unit == "store" and other not in STORE_MAY):
                bad.add((module, other))
    return bad


def test_the_parser_sees_imports() -> None:
    """Guard against a test that cannot fail: known imports must be found."""
    imports = _imports()
    assert "fwatlas.store.atlas" in imports["fwatlas.analyses.availability"]
    assert "fwatlas.analyses.signals" in imports["fwatlas.commands.builders"]  # in a function


def test_no_new_layer_violations() -> None:
    new = sorted(_violations() - ALLOWED)
    assert not new, "imports across layers (module, package): " + repr(new)


def test_the_allowlist_only_shrinks() -> None:
    fixed = sorted(ALLOWED - _violations())
    assert not fixed, "fixed – remove from ALLOWED: " + repr(fixed)


def test_cycle_edges_are_still_imports() -> None:
    imports = _imports()
    gone = sorted((m, p) for m, p in CYCLE_EDGES
                  if not any(_unit(t) == p for t in imports.get(m, ())))
    assert not gone, "no longer imported – remove from CYCLE_EDGES: " + repr(gone)


def test_no_cycles_between_packages() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, targets in _imports().items():
        for target in targets:
            a, b = _unit(module), _unit(target)
            if a != b and (module, b) not in ALLOWED | CYCLE_EDGES:
                graph[a].add(b)
    cycles = _cycles(graph)
    assert not cycles, "import cycles between packages: " + repr(cycles)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in list(graph):
        if v not in index:
            visit(v)
    return out
