"""Shares by package, and leads that are crossovers (not the first row in range), on real data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import shared_path

SERIES = ("data", "pypi_downloads_monthly", "pypi_framework_downloads_2018-2026.csv")
SO = ("data", "stackoverflow_ai_index_2020")
#: the primary distributions docs/signals.md lists (pytorch, tensorflow ×3, jax, keras)
LISTED = {"torch": "pytorch", "tensorflow": "tensorflow", "tensorflow-cpu": "tensorflow",
          "tensorflow-gpu": "tensorflow", "jax": "jax", "keras": "keras"}


def _days(path: Path) -> dict[str, tuple[str, dict[str, int], str]]:
    """day -> (its last 30-day dump's stamp, project -> count, upstream), by csv alone."""
    days: dict[str, tuple[str, dict[str, int], str]] = {}
    for r in csv.DictReader(path.open(encoding="utf-8")):
        if r["window"] != "30d" or not r["download_count"]:
            continue
        stamp = r["last_update"].removeprefix("(commit) ")
        day = stamp[:10]
        if day not in days or stamp > days[day][0]:
            days[day] = (stamp, {}, r["source"])
        if days[day][0] == stamp:
            days[day][1][r["project"]] = int(r["download_count"])
    return days


@pytest.mark.parametrize("since", [None, "2023-01-01"])
def test_package_shares_are_parts_of_the_listed_packages_total(cli, db, since):
    path = shared_path(*SERIES)
    expected = {}
    for day, (_, counts, _) in _days(path).items():
        listed = {p: v for p, v in counts.items() if p in LISTED}
        total = sum(listed.values())
        if since is None or day >= since:
            expected.update({(day, p): v / total for p, v in listed.items()})
    assert cli("ingest", "pypi-downloads", str(path), "--db", str(db)).code == 0
    extra = ["--from", since] if since else []
    run = cli("signals", "--metric", "downloads", "--share", "--by", "package", *extra,
              "--db", str(db), "--json")
    assert run.code == 0, run.err
    got = {(r["date"], r["package"]): r["share"] for r in run.json()["rows"]
           if r["value"] is not None}
    assert len(expected) > 100
    assert got == pytest.approx(expected)
    assert all(r["share"] is None for r in run.json()["rows"] if r["value"] is None)


def test_package_shares_of_questions_show_in_the_table(cli, db):
    folder = shared_path(*SO)
    counts = {}
    for r in csv.DictReader((folder / "frameworks_questions_count.csv").open(encoding="utf-8")):
        if r["Date"] == "2019":
            counts = {tag: float(r[f"{tag.capitalize()}_Question_Count"])
                      for tag in ("keras", "tensorflow", "pytorch")}
    total = sum(counts.values())
    assert cli("ingest", "qa", str(folder), "--db", str(db)).code == 0
    out = cli("signals", "--metric", "questions", "--share", "--by", "package", "--from",
              "2019-01-01", "--db", str(db), "--json").json()
    got = {r["package"]: r["share"] for r in out["rows"] if r["date"] == "2019-01-01"}
    assert got == pytest.approx({t: v / total for t, v in counts.items()})
    table = cli("signals", "--metric", "questions", "--share", "--by", "package", "--from",
                "2019-01-01", "--to", "2019-12-31", "--db", str(db))
    assert table.code == 0, table.err
    row = next(line for line in table.out.splitlines() if "2019-01-01" in line)
    assert "null" not in row
    for tag in counts:
        assert f"{100 * counts[tag] / total:.1f}%" in row
    assert "share of the listed terms/tags with a value" in " ".join(table.out.split())


def _framework_values(path: Path) -> dict[str, tuple[dict[str, int], str]]:
    """day -> (framework -> summed count of its listed distributions, upstream)."""
    out = {}
    for day, (_, counts, upstream) in _days(path).items():
        sums: dict[str, int] = {}
        for p, v in counts.items():
            if p in LISTED:
                sums[LISTED[p]] = sums.get(LISTED[p], 0) + v
        out[day] = (sums, upstream)
    return out


def _oracle_leads(path: Path, since: str | None) -> dict[tuple[str, str], tuple[str, str]]:
    """(a, b) -> (kind, date): the first date a > b right after a point with a <= b (both in
    range, with the same upstream) after which a stays above b at every point (a sustained
    crossover: issue 11), else "above throughout" when a > b at every point."""
    values = _framework_values(path)
    days = sorted(d for d in values if since is None or d >= since)
    out = {}
    for a in ("pytorch", "tensorflow", "jax", "keras"):
        for b in ("pytorch", "tensorflow", "jax", "keras"):
            both = [d for d in days if a in values[d][0] and b in values[d][0]]
            if a == b or not both:
                continue
            v = {d: values[d][0] for d in both}
            cross = [d for i, (p, d) in enumerate(zip(both, both[1:], strict=False))
                     if v[d][a] > v[d][b] and v[p][a] <= v[p][b]
                     and values[p][1] == values[d][1]
                     and all(v[x][a] > v[x][b] for x in both[i + 1:])]
            if cross:
                out[(a, b)] = ("crossover", cross[0])
            elif all(v[d][a] > v[d][b] for d in both):
                out[(a, b)] = ("above throughout", both[0])
    return out


@pytest.mark.parametrize("since", [None, "2019-01-01"])
def test_a_lead_from_the_first_row_is_above_throughout_not_a_crossover(cli, db, since):
    path = shared_path(*SERIES)
    expected = _oracle_leads(path, since)
    first_day = min(d for d in _framework_values(path) if since is None or d >= since)
    # the reported cases: TensorFlow leads Keras from the first row in range
    assert expected[("tensorflow", "keras")] == ("above throughout", first_day)
    assert ("keras", "tensorflow") not in expected
    assert expected[("pytorch", "tensorflow")][0] == "crossover"
    assert cli("ingest", "pypi-downloads", str(path), "--db", str(db)).code == 0
    extra = ["--from", since] if since else []
    out = cli("signals", "--metric", "downloads", *extra, "--db", str(db), "--json").json()
    got = {(x["leader"], x["other"]): (x["kind"], x["date"]) for x in out["leads"]}
    assert got == expected
    table = cli("signals", "--metric", "downloads", *extra, "--db", str(db))
    text = " ".join(table.out.split())
    assert f"tensorflow first above keras on {first_day}" not in text
    assert f"tensorflow above keras throughout (from {first_day}" in text
    assert f"keras first above tensorflow on {first_day}" not in text


def test_first_lead_fact_is_null_without_a_crossover(cli, db):
    path = shared_path(*SERIES)
    expected = _oracle_leads(path, None)
    assert cli("ingest", "pypi-downloads", str(path), "--db", str(db)).code == 0
    out = cli("facts", "--prefix", "signals.downloads.", "--db", str(db), "--json").json()
    facts = {f["name"]: f["value"] for f in out["rows"]}
    assert facts["signals.downloads.first_lead.tensorflow.keras"] is None
    assert facts["signals.downloads.ahead_throughout.tensorflow.keras"] is True
    assert facts["signals.downloads.first_lead.pytorch.tensorflow"] == \
        expected[("pytorch", "tensorflow")][1]
    assert facts["signals.downloads.ahead_throughout.pytorch.tensorflow"] is False
