"""The code cells of a Jupyter notebook, as Python text plus the ``pip install`` lines.

A notebook is JSON; only its code cells are code. IPython magics (``%…``) and shell lines
(``!…``) are not Python: they are blanked (keeping line numbers) before the import scan, and
the packages a ``pip install`` line installs are kept as declared dependencies. A cell that is
wholly a cell magic (``%%bash``) is not Python at all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class NotebookCell:
    index: int
    code: str
    pip_lines: tuple[tuple[int, str], ...]  # (line in cell, the package specs installed)


class NotebookError(ValueError):
    """Not a notebook this reader understands (item-level: the file is skipped)."""


_PIP = re.compile(r"^\s*[!%]\s*(?:python3?\s+-m\s+)?(?:pip3?|conda|mamba)\s+install\s+(.*)$")


def _source(cell: dict[str, object], key: str) -> str:
    src = cell.get(key, "")
    if isinstance(src, list):
        return "".join(str(s) for s in src)
    return str(src)


def code_cells(data: bytes) -> list[NotebookCell]:
    """The code cells (nbformat 3 or 4) with magics blanked and pip installs listed."""
    try:
        nb = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotebookError(f"not a notebook: {exc}".splitlines()[0]) from exc
    if not isinstance(nb, dict):
        raise NotebookError("not a notebook: the JSON is not an object")
    cells = nb.get("cells")
    if cells is None:  # nbformat 3
        cells = [c for ws in nb.get("worksheets", []) or [] if isinstance(ws, dict)
                 for c in ws.get("cells", []) or []]
        key = "input"
    else:
        key = "source"
    if not isinstance(cells, list):
        raise NotebookError("not a notebook: no list of cells")
    out = []
    for i, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        text = _source(cell, key)
        lines = text.split("\n")
        pips = []
        for n, line in enumerate(lines, start=1):
            m = _PIP.match(line)
            if m:
                pips.append((n, m.group(1)))
        if lines and lines[0].lstrip().startswith("%%"):
            code = ""
        else:
            code = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in lines)
        out.append(NotebookCell(i, code, tuple(pips)))
    return out
