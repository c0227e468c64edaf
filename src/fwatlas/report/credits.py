"""Every data source of a report with its licence and attribution (the footer).

Some sources are CC BY-SA, which requires attribution; the footer must therefore list every
snapshot a number came from, not only the first. The table of licences is package data
(``licences.yaml``) matched by source kind, dataset and origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from fwatlas.origins import shown_origin, without_local_paths
from fwatlas.yamlio import load_yaml

__all__ = ["Credit", "credit_groups", "credits", "shown_origin", "without_local_paths"]


@dataclass(frozen=True)
class Credit:
    """One source as the footer shows it."""

    snapshot_id: str
    kind: str
    dataset: str | None
    origin: str
    data_date: str | None
    basis: str | None
    licence: str
    attribution: str
    url: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@cache
def _rules() -> tuple[dict[str, str], ...]:
    text = resources.files("fwatlas.report").joinpath("licences.yaml").read_text("utf-8")
    return tuple(load_yaml(text)["rules"])


def credit(source: dict[str, Any]) -> Credit:
    """The licence and attribution of one ``sources`` entry (unknown ones say so)."""
    kind = str(source.get("kind") or "")
    dataset = str(source.get("dataset") or "")
    origin = str(source.get("origin") or "")
    for rule in _rules():
        if rule["kind"] != kind:
            continue
        if "dataset" in rule and not dataset.startswith(rule["dataset"]):
            continue
        if "origin" in rule and rule["origin"] not in origin:
            continue
        return Credit(str(source.get("snapshot_id")), kind, dataset or None, origin,
                      source.get("data_date"), source.get("basis"), rule["licence"],
                      rule["attribution"], rule.get("url", ""))
    return Credit(str(source.get("snapshot_id")), kind, dataset or None, origin,
                  source.get("data_date"), source.get("basis"),
                  "licence not recorded – see the origin", origin, "")


def credits(sources: list[dict[str, Any]]) -> list[Credit]:
    """One credit per snapshot id, in first-seen order."""
    seen: dict[str, Credit] = {}
    for s in sources:
        sid = str(s.get("snapshot_id"))
        if sid not in seen:
            seen[sid] = credit(s)
    return list(seen.values())




@dataclass(frozen=True)
class CreditGroup:
    """One dataset of the footer: its licence and attribution once, its snapshots inside."""

    dataset: str
    kind: str
    licence: str
    attribution: str
    url: str
    snapshots: tuple[Credit, ...]

    @property
    def dates(self) -> str:
        days = sorted({c.data_date for c in self.snapshots if c.data_date})
        if not days:
            return "undated"
        return days[0] if len(days) == 1 else f"{days[0]} to {days[-1]}"


def credit_groups(items: list[Credit]) -> list[CreditGroup]:
    """Credits grouped by dataset (one row per dataset; ~55 snapshots become a few rows)."""
    groups: dict[tuple[str, str, str], list[Credit]] = {}
    for c in items:
        groups.setdefault((c.dataset or c.kind, c.licence, c.attribution), []).append(c)
    return [CreditGroup(dataset, cs[0].kind, licence, attribution, cs[0].url, tuple(cs))
            for (dataset, licence, attribution), cs in groups.items()]
