"""How the Hub commands' results are drawn: availability (F1, F2's top models) and one model."""

from __future__ import annotations

from typing import Any

from fwatlas.cli.output import number, percent
from fwatlas.cli.render.types import Draw, Json, Render
from fwatlas.commands import Ctx


def _availability_table(payload: dict[str, Any]) -> Any:
    def draw(console: Any) -> None:
        from rich.table import Table

        fws = tuple(payload["frameworks"])  # the JSON keeps all three; the table the listed
        t = Table(title=f"Hub model availability – method {payload['method']}, "
                        f"weight {payload['weight']}, frameworks {','.join(payload['frameworks'])}")
        t.add_column("framework")
        for c in ("available", "share", "95 % CI", "exclusive", "share excl.", "95 % CI",
                  "n"):
            t.add_column(c, justify="right")

        def ci(key: str, fw: str) -> str:
            low_high = (payload.get(key) or {}).get(fw)
            return "–" if not low_high else f"{percent(low_high[0])}–{percent(low_high[1])}"

        for fw in fws:
            t.add_row(fw, number(payload["available"][fw]), percent(payload["share_available"][fw]),
                      ci("share_available_ci95", fw), number(payload["exclusive"][fw]),
                      percent(payload["share_exclusive"][fw]), ci("share_exclusive_ci95", fw),
                      number(payload.get("n")))
        console.print(t)
        over = ", ".join(f"{k} {number(v)}" for k, v in payload["overlaps"].items()
                         if v is not None)
        console.print(f"total {number(payload['total'])}; in at least one listed framework "
                      f"{number(payload['with_framework'])}; in none {number(payload['none'])}"
                      + (f"; overlaps: {over}" if over else ""))
        if payload.get("by"):
            g = Table(title=f"by {payload['by']}")
            g.add_column(payload["by"])
            for c in ("total", *fws, "pytorch-exclusive share"):
                g.add_column(c, justify="right")
            groups: dict[str, dict[str, dict[str, Any]]] = {}
            for row in payload["rows"]:
                groups.setdefault(row["group"], {})[row["framework"]] = row
            for name, per_fw in groups.items():
                g.add_row(name, number(per_fw["pytorch"]["total"]),
                          *(number(per_fw[fw]["available"]) for fw in fws),
                          percent(per_fw["pytorch"]["share_exclusive"]))
            console.print(g)
        art = payload.get("article_2022") or {}
        if art:
            console.print("The article (2022, published, PyTorch vs TensorFlow only): " + "; ".join(
                f"{k} {percent(v['value'])}" for k, v in art.items()))
            like = payload.get("article_2022_like_for_like") or {}
            if like.get("share_exclusive"):
                console.print("This snapshot in the same two-framework view: " + "; ".join(
                    f"{fw} exclusive {percent(like['share_exclusive'][fw])}"
                    for fw in like["frameworks"]) + "; tensorflow available "
                    + percent((like.get("share_available") or {}).get("tensorflow"))
                    + f" (n = {number(like.get('n'))})")
        for a in payload.get("also", []):
            if a.get("rows"):
                # one row per framework the source lists – Keras included, never dropped
                ft = Table(title=f"Also: {a['what']} ({a['basis']}, data of {a['data_date']}; "
                                 "totals only, exclusive shares not stated: null)")
                for c in ("framework", "models", "n", "source", "date"):
                    ft.add_column(c, justify="right" if c in ("models", "n") else "left")
                for r in a["rows"]:
                    ft.add_row(r["framework"], number(r["models"]), number(r["n"]),
                               r["snapshot_id"], str(r["data_date"]))
                console.print(ft, markup=False)
            else:
                console.print(f"Also: {a['what']} ({a['basis']}, {a['data_date']}): "
                              + ", ".join(f"{k} {number(v)}" for k, v in a["available"].items())
                              + " (exclusive shares not stated: null)")
            libs = a.get("library_name_counts") or {}
            if libs:
                console.print("library_name counts: " + "; ".join(
                    f"{k} {number(v)}" for k, v in libs.items()), markup=False)
    return draw


def _top_table(payload: dict[str, Any]) -> Any:
    def draw(console: Any) -> None:
        from rich.table import Table

        if payload["rows"]:
            t = Table(title=f"Top {payload['n']} Hub models by {payload['rank']} – "
                            f"method {payload['method']}")
            for c in ("#", "model", payload["rank"], "task", "pytorch", "tensorflow", "jax"):
                t.add_column(c)
            for r in payload["rows"]:
                t.add_row(str(r["rank"]), r["id"], number(r[payload["rank"]]), r["task"] or "–",
                          *("yes" if r[f] else "no" for f in ("pytorch", "tensorflow", "jax")))
            console.print(t, markup=False)
        else:
            console.print(f"Top {payload['n']} models: the article's published summary "
                          "(the reference names no models)")
        for k, v in payload["summary"].items():
            shown = percent(v) if ".share" in k else number(v)
            console.print(f"  {k}: {shown}")
    return draw


def _model_table(payload: Json, args: Json, ctx: Ctx) -> Draw:
    def draw(console: Any) -> None:
        from rich.table import Table

        t = Table(title=payload["id"], show_header=False)
        for method, fws in payload["frameworks"].items():
            t.add_row(f"frameworks ({method})",
                      "cannot say" if fws is None else (", ".join(fws) or "none"))
        t.add_row("formats", ", ".join(payload["formats"]) or "none")
        t.add_row("task", payload["task"] or "–")
        t.add_row("library", payload["library_name"] or "–")
        t.add_row("downloads", number(payload["downloads"]))
        t.add_row("likes", number(payload["likes"]))
        console.print(t, markup=False)

    return draw


def _availability(payload: Json, args: Json, ctx: Ctx) -> Draw:
    """F1, or F2's top models with ``--top``."""
    return _top_table(payload) if args["top"] is not None else _availability_table(payload)


RENDERERS: dict[str, Render] = {"availability": _availability, "model": _model_table}
