"""How the adoption commands' results are drawn: signals, vitality, support."""

from __future__ import annotations

from typing import Any

from fwatlas.cli.output import number, percent
from fwatlas.cli.render.types import Draw, Json, Render
from fwatlas.commands import Ctx


def _yes(v: Any) -> str:
    return "null" if v is None else ("yes" if v else "no")


def _signals_table(payload: dict[str, Any], share: bool, limit: int = 40) -> Any:
    def draw(console: Any) -> None:
        from rich.table import Table

        if payload["missing"]:
            console.print(payload["missing"])
        rows = payload["rows"]
        by_pkg = payload["by"] == "package"
        key = "package" if by_pkg else "framework"
        names = list(dict.fromkeys(r[key] for r in rows))
        whose = "frameworks"
        if by_pkg:
            whose = ("listed terms/tags" if payload["metric"] in ("jobs", "questions")
                     else "listed packages")
        for series in dict.fromkeys(r["series"] for r in rows):
            grid: dict[Any, dict[str, Any]] = {}
            for r in rows:
                if r["series"] == series:
                    grid.setdefault(r["date"], {})[r[key]] = r
            t = Table(title=f"{payload['metric']} – {series}"
                            + (f" (share of the {whose} with a value)" if share else ""))
            t.add_column("date")
            for n in names:
                t.add_column(n, justify="right")
            dates = sorted(grid)
            shown = dates if len(dates) <= limit else dates[-limit:]
            for d in shown:
                cells = []
                for n in names:
                    r = grid[d].get(n)
                    v = None if r is None else (r["share"] if share else r["value"])
                    mark = "*" if r is not None and r.get("partial") else ""
                    cells.append((percent(v) if share else number(v)) + mark)
                t.add_row(str(d), *cells)
            console.print(t)
            if len(dates) > limit:
                console.print(f"[dim]last {limit} of {len(dates)} dates; --from/--to or --json "
                              "for the rest[/]")
        _print_breaks(console, payload["breaks"])
        for lead in payload["leads"]:
            if lead.get("kind") == "above throughout":
                console.print(f"{lead['series']}: {lead['leader']} above {lead['other']} "
                              f"throughout (from {lead['date']}: "
                              f"{number(lead['leader_value'])} vs "
                              f"{number(lead['other_value'])}; not a crossover)")
                continue
            console.print(f"{lead['series']}: {lead['leader']} first above {lead['other']} on "
                          f"{lead['date']} ({number(lead['leader_value'])} vs "
                          f"{number(lead['other_value'])})"
                          + ("" if lead["ahead_at_end"] else ", not ahead at the end"))
        for fw, subs in payload["definitions"].items():
            console.print(f"[dim]{fw} = {' + '.join(subs)}[/]")
        if any(r.get("partial") for r in rows):
            console.print("[dim]* partial period (the data ends inside it)[/]")
    return draw


def _print_breaks(console: Any, breaks: list[dict[str, Any]], limit: int = 12) -> None:
    """Every break, or – when there are many – one line per series and subject."""
    if len(breaks) <= limit:
        for b in breaks:
            console.print(f"[yellow]break[/] {b['series']} {b['date']}: {b['what']}",
                          highlight=False)
        return
    groups: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
    for b in breaks:
        groups.setdefault((b["series"], b.get("package")), []).append(b)
    for (series, package), items in groups.items():
        if package is None or len(items) == 1:
            for b in items:
                console.print(f"[yellow]break[/] {series} {b['date']}: {b['what']}",
                              highlight=False)
            continue
        causes: dict[str, int] = {}
        for b in items:
            causes[b.get("cause") or "other"] = causes.get(b.get("cause") or "other", 0) + 1
        console.print(f"[yellow]break[/] {series} {package}: {len(items)} breaks "
                      f"{items[0]['date']} … {items[-1]['date']} ("
                      + ", ".join(f"{c} {n}" for c, n in causes.items())
                      + f"); first {items[0]['date']}: {items[0]['what']}", highlight=False)
    console.print(f"[dim]{len(breaks)} breaks; --json lists each[/]")


def _vitality(payload: Json, args: Json, ctx: Ctx) -> Draw:
    def draw(console: Any) -> None:
        from rich.table import Table

        if payload["missing"]:
            console.print(payload["missing"])
            return
        t = Table(title=f"Vitality as of {payload['as_of']} (flag: no release for "
                        f"{payload['stale_months']} months, or archived/deprecated)")
        for c in ("package", "registry", "latest", "released", "days", "12m", "yanked",
                  "kb status", "flag"):
            t.add_column(c)
        for r in payload["rows"]:
            t.add_row(r["package"], r["registry"], r["latest_version"] or "–",
                      str(r["latest_release"] or "–"), number(r["days_since"]),
                      str(r["releases_12m"]), str(r["yanked"]), r["kb_status"] or "–",
                      ("[red]" + (r["flag_reason"] or "") + "[/]") if r["flagged"] else "")
        console.print(t)

    return draw


def _support(payload: Json, args: Json, ctx: Ctx) -> Draw:
    def draw(console: Any) -> None:
        from rich.table import Table

        if payload["missing"]:
            console.print(payload["missing"])
            return
        t = Table(title=f"Installable on Python {payload['python']}, {payload['os']} "
                        f"{payload['arch']} (glibc {payload['glibc']}, macOS {payload['macos']})")
        for c in ("framework", "package", "version", "installable", "wheel / reason", "gpu"):
            t.add_column(c)
        for r in payload["rows"]:
            t.add_row(r["framework"], r["package"], r["version"] or "–", _yes(r["installable"]),
                      r["wheel"] or r["reason"], r["gpu"] or "–")
        console.print(t, markup=False)
        console.print("Frameworks: " + ", ".join(f"{k} {_yes(v)}"
                                                 for k, v in payload["frameworks"].items()))

    return draw


def _signals(payload: Json, args: Json, ctx: Ctx) -> Draw:
    return _signals_table(payload, args["share"])


RENDERERS: dict[str, Render] = {"signals": _signals, "vitality": _vitality,
                                "support": _support}
