"""Declared dependencies: every packaging format read as text with ``packaging``, never run.

Each parser returns :class:`Declaration` items – the normalised distribution name, whether it is
optional (an extra, a dev group, a test requirements file) and the line it was found on. The
framework lookup and the weights happen later (``fwatlas.scan.score``); a parser only says what
a file declares.
"""

from __future__ import annotations

import ast
import configparser
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from email.parser import HeaderParser

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from fwatlas.scan import rules


@dataclass(frozen=True)
class Declaration:
    name: str  # PEP 503-normalised distribution name
    spec: str  # as written
    optional: bool
    line: int | None


@dataclass(frozen=True)
class Declared:
    """What one dependency file declares, plus repository URLs it names (metadata only)."""

    declarations: tuple[Declaration, ...]
    urls: tuple[tuple[str, str], ...] = ()  # (label, url)
    problems: tuple[str, ...] = ()


_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._\-]*)")


def _line_of(text: str, needle: str) -> int | None:
    pos = text.lower().find(needle.lower())
    return text.count("\n", 0, pos) + 1 if pos >= 0 else None


def parse_requirement(spec: str, *, optional: bool, line: int | None,
                      problems: list[str] | None = None) -> Declaration | None:
    """One PEP 508 string; an ``extra == …`` marker makes it optional."""
    spec = spec.strip()
    if not spec:
        return None
    try:
        req = Requirement(spec)
        name = req.name
        if req.marker is not None and "extra" in str(req.marker):
            optional = True
    except InvalidRequirement:
        m = _NAME.match(spec)
        if not m:
            if problems is not None:
                problems.append(f"unreadable requirement {spec[:60]!r}")
            return None
        name = m.group(1)
    return Declaration(str(canonicalize_name(name)), spec, optional, line)


def _requirements(text: str, *, optional: bool) -> Declared:
    out: list[Declaration] = []
    problems: list[str] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if line.startswith("#") or not line:
            continue
        if line.startswith(("-e", "--editable")) or "://" in line:
            egg = re.search(r"#egg=([A-Za-z0-9._\-]+)", raw)
            if egg:
                out.append(Declaration(str(canonicalize_name(egg.group(1))), line, optional, n))
            continue
        if line.startswith("-"):
            continue  # -r other.txt, --index-url …: other requirement files are read anyway
        line = re.split(r"\s+--?\w", line, maxsplit=1)[0].rstrip("\\ ")
        d = parse_requirement(line, optional=optional, line=n, problems=problems)
        if d:
            out.append(d)
    return Declared(tuple(out), problems=tuple(problems))


def _strings(values: Iterable[object]) -> list[str]:
    return [v for v in values if isinstance(v, str)]


def _pyproject(text: str) -> Declared:
    data = tomllib.loads(text)
    out: list[Declaration] = []
    problems: list[str] = []

    def add(specs: Iterable[str], optional: bool) -> None:
        for s in specs:
            d = parse_requirement(s, optional=optional, line=_line_of(text, s),
                                  problems=problems)
            if d:
                out.append(d)

    project = data.get("project") or {}
    add(_strings(project.get("dependencies") or []), False)
    for specs in (project.get("optional-dependencies") or {}).values():
        add(_strings(specs or []), True)
    add(_strings((data.get("build-system") or {}).get("requires") or []), False)
    for specs in (data.get("dependency-groups") or {}).values():
        add(_strings(specs or []), True)
    tool = data.get("tool") or {}
    poetry = tool.get("poetry") or {}

    def add_names(table: object, optional: bool) -> None:
        if not isinstance(table, dict):
            return
        for name, value in table.items():
            if name.lower() == "python":
                continue
            opt = optional or (isinstance(value, dict) and bool(value.get("optional")))
            out.append(Declaration(str(canonicalize_name(name)), f"{name} = {value}", opt,
                                   _line_of(text, name)))

    add_names(poetry.get("dependencies"), False)
    add_names(poetry.get("dev-dependencies"), True)
    for group in (poetry.get("group") or {}).values():
        add_names((group or {}).get("dependencies"), True)
    for specs in ((tool.get("pdm") or {}).get("dev-dependencies") or {}).values():
        add(_strings(specs or []), True)
    urls = [(str(k), str(v)) for k, v in (project.get("urls") or {}).items()]
    return Declared(tuple(out), tuple(urls), tuple(problems))


def _setup_cfg(text: str) -> Declared:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read_string(text)
    out: list[Declaration] = []
    problems: list[str] = []

    def add(value: str, optional: bool) -> None:
        for s in re.split(r"[\n;]", value):
            s = s.split("#", 1)[0].strip()
            d = parse_requirement(s, optional=optional, line=_line_of(text, s) if s else None,
                                  problems=problems)
            if d:
                out.append(d)

    if parser.has_section("options"):
        for key, optional in (("install_requires", False), ("setup_requires", False),
                              ("tests_require", True)):
            if parser.has_option("options", key):
                add(parser.get("options", key), optional)
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            add(value, True)
    urls = []
    if parser.has_section("metadata"):
        for key in ("url", "home_page", "project_urls"):
            if parser.has_option("metadata", key):
                for part in parser.get("metadata", key).splitlines():
                    label, _, url = part.partition("=")
                    urls.append((label.strip() or key, (url or label).strip()))
    return Declared(tuple(out), tuple(urls), tuple(problems))


_SETUP_KEYS = {"install_requires": False, "setup_requires": False, "requires": False,
               "extras_require": True, "tests_require": True}


def _literal_strings(node: ast.AST, names: dict[str, ast.AST], depth: int = 0) -> list[str]:
    """Every string constant inside a literal (following module-level names once)."""
    if depth > 3:
        return []
    if isinstance(node, ast.Name) and node.id in names:
        return _literal_strings(names[node.id], names, depth + 1)
    out = []
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            out.append(child.value)
        elif isinstance(child, ast.Name) and child is not node and child.id in names:
            out += _literal_strings(names[child.id], names, depth + 1)
    return out


def _setup_py(text: str) -> Declared:
    out: list[Declaration] = []
    problems: list[str] = []
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        for m in re.finditer(r"install_requires\s*=\s*\[(.*?)\]", text, re.S):
            for s in re.findall(r"""['"]([^'"]+)['"]""", m.group(1)):
                d = parse_requirement(s, optional=False, line=_line_of(text, s))
                if d:
                    out.append(d)
        return Declared(tuple(out), problems=("setup.py does not parse: read line by line",))
    names: dict[str, ast.AST] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Name):
            names[stmt.targets[0].id] = stmt.value
    urls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            if kw.arg in _SETUP_KEYS:
                value = kw.value
                if kw.arg == "extras_require" and isinstance(value, ast.Dict):
                    strings = [s for v in value.values for s in _literal_strings(v, names)]
                else:
                    strings = _literal_strings(value, names)
                for s in strings:
                    d = parse_requirement(s, optional=_SETUP_KEYS[kw.arg],
                                          line=getattr(value, "lineno", None),
                                          problems=problems)
                    if d:
                        out.append(d)
            elif kw.arg in ("url", "project_urls"):
                urls += [("url", s) for s in _literal_strings(kw.value, names) if "://" in s]
    return Declared(tuple(out), tuple(urls), tuple(problems))


def _environment(text: str) -> Declared:
    from fwatlas.yamlio import load_yaml

    data = load_yaml(text) or {}
    out = []
    for dep in (data.get("dependencies") or []) if isinstance(data, dict) else []:
        if isinstance(dep, str):
            spec = dep.split("::", 1)[-1]
            m = _NAME.match(spec)
            if m:
                out.append(Declaration(str(canonicalize_name(m.group(1))), dep, False,
                                       _line_of(text, dep)))
        elif isinstance(dep, dict):
            for s in _strings(dep.get("pip") or []):
                d = parse_requirement(s, optional=False, line=_line_of(text, s))
                if d:
                    out.append(d)
    return Declared(tuple(out))


def _pipfile(text: str) -> Declared:
    data = tomllib.loads(text)
    out = []
    for section, optional in (("packages", False), ("dev-packages", True)):
        for name in data.get(section) or {}:
            out.append(Declaration(str(canonicalize_name(name)), name, optional,
                                   _line_of(text, name)))
    return Declared(tuple(out))


def _metadata(text: str) -> Declared:
    headers = HeaderParser().parsestr(text)
    out = []
    for spec in (headers.get_all("Requires-Dist") or []) + (headers.get_all("Requires") or []):
        d = parse_requirement(str(spec), optional=False, line=_line_of(text, str(spec)))
        if d:
            out.append(d)
    urls = []
    for value in headers.get_all("Project-URL") or []:
        label, _, url = str(value).partition(",")
        urls.append((label.strip(), url.strip()))
    home = headers.get("Home-page")
    if home:
        urls.append(("Home-page", str(home).strip()))
    return Declared(tuple(out), tuple(urls))


def _egg_requires(text: str) -> Declared:
    out = []
    optional = False
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            optional = not section.startswith(":")  # "[:python_version<'3']" is a marker only
            continue
        d = parse_requirement(line, optional=optional, line=n)
        if d:
            out.append(d)
    return Declared(tuple(out))


def declared(relpath: str, text: str, kind: str) -> Declared:
    """Parse one dependency file of a kind from :func:`rules.dependency_file_kind`."""
    if kind == "requirements":
        return _requirements(text, optional=rules.requirements_file_is_optional(relpath))
    parser = {"pyproject.toml": _pyproject, "setup.cfg": _setup_cfg, "setup.py": _setup_py,
              "environment.yml": _environment, "pipfile": _pipfile, "metadata": _metadata,
              "requires": _egg_requires}[kind]
    return parser(text)


def pip_install_specs(args: str) -> list[str]:
    """The package specs of a ``pip install`` command line (options and paths dropped)."""
    out = []
    skip_next = False
    for word in args.split():
        if skip_next:
            skip_next = False
            continue
        if word in ("-r", "-c", "-e", "-i", "--index-url", "--extra-index-url", "-f",
                    "--find-links", "--requirement", "--constraint", "--target", "-t"):
            skip_next = True
            continue
        if word.startswith("-") or "/" in word or word.startswith(("$", "{")):
            continue
        out.append(word.strip("'\""))
    return out
