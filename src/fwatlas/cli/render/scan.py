"""How trends repos (fwatlas's own scans over time) is drawn."""

from __future__ import annotations

from typing import Any

from fwatlas.cli.output import percent
from fwatlas.cli.render.types import Draw, Json, Render
from fwatlas.commands import Ctx


def _trends_repos(payload: Json, args: Json, ctx: Ctx) -> Draw:
    from fwatlas.analyses.repo_trends import SHOWN

    def draw(console: Any) -> None:
        from rich.table import Table

        t = Table(title="Scanned repositories per quarter by framework (date: first commit or "
                        "archive date)")
        t.add_column("quarter")
        t.add_column("repos", justify="right")
        for c in SHOWN:
            t.add_column(c, justify="right")
        for r in payload["rows"]:
            t.add_row(r["quarter"], str(r["repositories"]), *(percent(r[f"{c}_share"])
                                                               for c in SHOWN))
        console.print(t, markup=False)
        console.print(f"{payload['repositories_total']} repositories; undated (left out of the "
                      f"quarters): {payload['undated']}", markup=False)
        join = payload["papers_join"]
        if join:
            console.print(f"Papers with Code ({join['pwc_snapshot_id']}): "
                          f"{join['repositories_with_papers']} of {join['repositories_with_url']}"
                          f" repositories with a URL have papers; same framework as PwC: "
                          f"{join['same_framework_as_pwc']}, different: "
                          f"{join['different_framework_from_pwc']}", markup=False)
        if payload["hint"]:
            console.print(f"Note: {payload['hint']}", markup=False)

    return draw


RENDERERS: dict[str, Render] = {"trends repos": _trends_repos}
