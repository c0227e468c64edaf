"""Regenerate the scenario table in docs/advisor.md from fwatlas.advisor.scenarios.

Run: .venv/bin/python scripts/advisor_scenarios.py [--check]
(--check: exit 1 if the document is out of date, without writing it.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from fwatlas.advisor.scenarios import BEGIN, END, render

DOC = Path(__file__).resolve().parent.parent / "docs" / "advisor.md"


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    if BEGIN not in text:
        text = text.rstrip("\n") + f"\n\n## Scenarios\n\n{BEGIN}\n{END}\n"
    start, end = text.index(BEGIN), text.index(END) + len(END)
    new = text[:start] + render() + text[end:]
    if "--check" in sys.argv:
        if new != DOC.read_text(encoding="utf-8"):
            print(f"{DOC} is out of date: run scripts/advisor_scenarios.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
