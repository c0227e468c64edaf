"""Finding the imports of a Python file: a cheap first pass, ``ast`` where it is needed.

``ast.parse`` builds a Python object per node and runs at well under a thousand files a second
per core, while a repository scan only needs the handful of import statements that name a
framework. The cheap pass therefore (1) drops every file in which no framework module name
occurs as a word – such a file cannot import one; (2) blanks out strings and comments with one
regular expression, keeping line numbers; (3) reads the import statements that start a line and
decides from indentation whether each one is unconditional (module or class body) or guarded
(inside a function, ``try``, ``if``, ``with`` or a loop). Whenever the file holds an import it
cannot read that way – ``import`` after ``;`` or ``:`` on one line, a backslash continuation –
it hands the file to ``ast``, so the two give the same answer (a test checks this on every file of
the real corpus). A file that ``ast`` cannot parse is scanned line by line, and says so.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class ImportHit:
    """One imported module: where, what statement, and whether the import is guarded."""

    line: int
    module: str
    statement: str
    guarded: bool

    @property
    def root(self) -> str:
        return self.module.split(".", 1)[0]


@dataclass(frozen=True)
class ImportScan:
    hits: tuple[ImportHit, ...]
    parsed: bool  # ast was used
    note: str | None = None  # set when the file did not parse


@cache
def vocabulary_roots() -> frozenset[str]:
    """Every top-level module the vocabulary maps to a framework."""
    from fwatlas import vocabulary

    return frozenset(m for mods in vocabulary.raw()["modules"].values() for m in mods)


@cache
def _word_regex(roots: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted((re.escape(r) for r in roots), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b")


# Comments, then triple-quoted strings, then one-line strings: scanned left to right, so a quote
# inside a comment and a hash inside a string are both read correctly.
_STRINGS_AND_COMMENTS = re.compile(
    r"""#[^\n]*"""
    r'''|"""(?:[^"\\]|\\.|"(?!""))*"""'''
    r"""|'''(?:[^'\\]|\\.|'(?!''))*'''"""
    r'''|"(?:[^"\\\n]|\\.)*"'''
    r"""|'(?:[^'\\\n]|\\.)*'""",
    re.S,
)
_STATEMENT = re.compile(
    r"^([ \t]*)(?:from[ \t]+(\.*[\w.]*)[ \t]+import\b([^\n]*)|import[ \t]+([^\n]*))$", re.M)
_CLASS = re.compile(r"class\b")


def _blank(match: re.Match[str]) -> str:
    text = match.group()
    if text[0] == "#":
        return ""
    return '""' + "\n" * text.count("\n")


def strip_strings_and_comments(text: str) -> str:
    """The code with every string reduced to ``""`` and comments removed; lines are kept."""
    return _STRINGS_AND_COMMENTS.sub(_blank, text)


def strip_prefix(text: str, end: int) -> str:
    """Like :func:`strip_strings_and_comments` for the text up to ``end`` (lexing stops there;
    a string that runs past ``end`` is blanked whole, so the cut never lands inside one)."""
    out = []
    pos = 0
    for m in _STRINGS_AND_COMMENTS.finditer(text):
        if m.start() >= end:
            break
        out.append(text[pos:m.start()])
        out.append(_blank(m))
        pos = m.end()
    if pos < end:
        out.append(text[pos:end])
    return "".join(out)


def _guarded_by_indent(lines: list[str], index: int, indent: int) -> bool:
    """Walk up to the enclosing block headers; only class bodies keep an import unconditional."""
    j = index - 1
    while indent > 0 and j >= 0:
        line = lines[j]
        body = line.lstrip(" \t")
        j -= 1
        if not body:
            continue
        level = len(line) - len(body)
        if level < indent:
            if not _CLASS.match(body):
                return True
            indent = level
    return False


def _modules_of(statement_from: str | None, rest: str) -> list[str]:
    if statement_from is not None:
        if not statement_from or statement_from.startswith("."):
            return []  # relative import: the repository's own code
        return [statement_from]
    out = []
    for part in rest.split(","):
        words = part.strip().strip("()").split()
        if words:
            out.append(words[0])
    return out


def _line_scan(code: str, roots: frozenset[str], *, strict: bool) -> list[ImportHit] | None:
    """Import statements that start a line; None (when strict) if any import is elsewhere."""
    lines = code.split("\n")
    hits: list[ImportHit] = []
    index = pos = 0
    for m in _STATEMENT.finditer(code):
        indent, mod_from, rest_from, rest_import = m.groups()
        rest = rest_from if mod_from is not None else rest_import
        if strict and (";" in rest or rest.rstrip().endswith("\\")):
            return None
        index += code.count("\n", pos, m.start())
        pos = m.start()
        if strict and index > 0 and lines[index - 1].rstrip().endswith("\\"):
            return None
        modules = [mod for mod in _modules_of(mod_from, rest) if mod.split(".", 1)[0] in roots]
        if not modules:
            continue
        guarded = _guarded_by_indent(lines, index, len(indent)) if indent else False
        statement = m.group(0).strip()
        hits += [ImportHit(index + 1, mod, statement, guarded) for mod in modules]
    return hits


# A ':' before an import on the same line is Python only after a compound statement's header
# ("try: import torch"); "Example: import torch" in a docstring is prose.
_COMPOUND = re.compile(r"[ \t]*(?:if|elif|else|try|except|finally|for|while|with|def|class|async"
                       r"|match|case)\b")
_FROM_HEAD = re.compile(r"[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+")
# An import joined to the line before or after it by a backslash.
_JOINED = re.compile(r"\\\n[ \t]*(?:import|from)[ \t]|^[ \t]*(?:from|import)[ \t][^\n]*\\$",
                     re.M)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _raw_scan(text: str, roots: frozenset[str]) -> tuple[int, bool]:
    """(end of the last line-start framework import, whether some import is not at a line
    start). Walks the occurrences of the word ``import`` with ``str.find`` – far cheaper than
    a regular expression over every position of the file."""
    last = -1
    trouble = False
    size = len(text)
    i = text.find("import")
    while i >= 0:
        end = i + 6
        if (i == 0 or not _is_word(text[i - 1])) and (end >= size or not _is_word(text[end])):
            line_start = text.rfind("\n", 0, i) + 1
            line_end = text.find("\n", end)
            line_end = size if line_end < 0 else line_end
            head = text[line_start:i]
            modules: list[str] = []
            if not head.strip():
                modules = _modules_of(None, text[end:line_end])
            else:
                m = _FROM_HEAD.fullmatch(head)
                if m:
                    modules = _modules_of(m.group(1), "")
                elif ";" in head or (":" in head and _COMPOUND.match(head)):
                    trouble = True  # "x = 1; import torch", "try: import torch"
            if any(mod.split(".", 1)[0] in roots for mod in modules):
                last = line_end
        i = text.find("import", end)
    if not trouble and "\\\n" in text and _JOINED.search(text):
        trouble = True
    return last, trouble


def fast_imports(text: str, roots: frozenset[str]) -> list[ImportHit] | None:
    """The cheap pass: framework imports with their context, or None when ``ast`` must decide.

    Only the part of the file up to the last line-start framework import is read for strings
    and comments – imports sit near the top of most files, so most of the text is never lexed.
    """
    last, trouble = _raw_scan(text, roots)
    if trouble and _word_regex(roots).search(text):
        return None
    if last < 0:
        return []
    return _line_scan(strip_prefix(text, last), roots, strict=True)


_NESTED = (ast.stmt, ast.excepthandler, ast.match_case)


def ast_imports(text: str, roots: frozenset[str]) -> list[ImportHit]:
    """Framework imports from the syntax tree (raises SyntaxError/ValueError if unparsable)."""
    with warnings.catch_warnings():  # a scanned file's invalid escapes are not our warnings
        warnings.simplefilter("ignore")
        tree = ast.parse(text)
    hits: list[ImportHit] = []
    lines = text.splitlines()
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, guarded = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                mods = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom):
                mods = [child.module] if child.module and not child.level else []
            elif isinstance(child, _NESTED):
                stack.append((child, guarded or not isinstance(child, ast.ClassDef)))
                continue
            else:
                continue
            statement = lines[child.lineno - 1].strip() if child.lineno <= len(lines) else ""
            hits += [ImportHit(child.lineno, m, statement, guarded) for m in mods
                     if m.split(".", 1)[0] in roots]
    hits.sort(key=lambda h: (h.line, h.module))
    return hits


def find_imports(text: str, roots: frozenset[str] | None = None, *,
                 full_parse: bool = False) -> ImportScan:
    """Framework imports of one file: cheap pass first (unless ``full_parse``), then ``ast``."""
    roots = roots if roots is not None else vocabulary_roots()
    if "\r" in text:  # Windows and old Mac line ends: one line end for both passes
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    note = None
    hits: list[ImportHit] | None = None
    parsed = False
    if not full_parse:
        hits = fast_imports(text, roots)
    if hits is None:
        parsed = True
        try:
            hits = ast_imports(text, roots)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            where = f" at line {exc.lineno}" if isinstance(exc, SyntaxError) and exc.lineno \
                else ""
            hits = _line_scan(strip_strings_and_comments(text), roots, strict=False) or []
            note = f"does not parse ({type(exc).__name__}{where}): line-based scan"
    if hits:
        # one spelling of the statement whichever pass found it: the source line as written
        lines = text.split("\n")
        hits = [ImportHit(h.line, h.module, lines[h.line - 1].strip()[:200], h.guarded)
                for h in hits]
    return ImportScan(tuple(hits), parsed=parsed, note=note)


_BACKEND = re.compile(
    r"""KERAS_BACKEND['"]?\s*\]?\s*(?:=|,|:)\s*['"]?(jax|torch|tensorflow|numpy|openvino)\b"""
    r"""|set_backend\(\s*['"](jax|torch|tensorflow|numpy|openvino)['"]""")
_BACKEND_NAMES = {"torch": "pytorch"}


def keras_backends(text: str) -> list[tuple[int, str]]:
    """(line, backend) for every place the text sets a Keras backend."""
    if "KERAS_BACKEND" not in text and "set_backend" not in text:
        return []
    out = []
    for m in _BACKEND.finditer(text):
        name = m.group(1) or m.group(2)
        out.append((text.count("\n", 0, m.start()) + 1, _BACKEND_NAMES.get(name, name)))
    return out
