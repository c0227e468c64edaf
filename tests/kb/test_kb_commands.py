"""kb list/show/changes and deploy-matrix through the real CLI."""

from __future__ import annotations

from pathlib import Path


def test_kb_changes_lists_the_article_tools_that_moved(cli) -> None:
    r = cli("kb", "changes", "--json", "--as-of", "2026-11-26")
    assert r.code == 0
    rows = {row["name"]: row for row in r.json()["rows"]}
    assert rows["torchserve"]["status"] == "archived"
    assert rows["torchserve"]["status_date"] == "2025-08-07"
    assert rows["pytorch-live"]["status"] == "archived"
    assert rows["pytorch-live"]["status_date"] == "2023-10-20"
    assert rows["tensorflow-lite"]["status"] == "renamed"
    assert rows["tensorflow-lite"]["status_date"] == "2024-09-04"
    assert rows["tensorflow-lite"]["replaced_by"] == "litert"
    assert "tensorflow-serving" not in rows and "colab" not in rows  # active / unknown
    assert r.json()["sources"][0]["snapshot_id"].startswith("kb:tools.yaml@")
    table = cli("kb", "changes", "--as-of", "2026-11-26")
    assert "TorchServe" in table.out and "2025-08-07" in table.out


def test_kb_list_filters_and_rows(cli) -> None:
    r = cli("kb", "list", "--framework", "pytorch", "--target", "mobile", "--status", "active",
            "--json", "--as-of", "2026-11-26")
    assert r.code == 0
    rows = r.json()["rows"]
    names = {x["name"] for x in rows}
    assert "executorch" in names and "pytorch-live" not in names and "litert" in names
    for x in rows:
        assert {"name", "kind", "frameworks", "targets", "status", "status_date",
                "replaced_by", "in_article", "stale"} <= set(x)
        assert x["status"] == "active" and "pytorch" in x["frameworks"]
        assert {"android", "ios"} & set(x["targets"])
    assert cli("kb", "list", "--status", "dormant").code == 2
    assert cli("kb", "list", "--kind", "nope").code == 2


def test_stale_marks_depend_on_as_of(cli) -> None:
    later = cli("kb", "list", "--json", "--as-of", "2028-01-01").json()["rows"]
    now = cli("kb", "list", "--json", "--as-of", "2026-11-26").json()["rows"]
    assert all(x["stale"] for x in later)
    assert not any(x["stale"] for x in now)
    assert "STALE" in cli("kb", "show", "torchserve", "--as-of", "2028-01-01").out


def test_kb_show_unknown_exits_1_with_close_matches(cli) -> None:
    r = cli("kb", "show", "torchserv")
    assert r.code == 1 and "torchserve" in r.err
    ok = cli("kb", "show", "torchserve", "--json", "--as-of", "2026-11-26")
    assert ok.code == 0 and ok.json()["status"] == "archived"


def test_deploy_matrix_chains_and_article_cell(cli) -> None:
    r = cli("deploy-matrix", "--json")
    assert r.code == 0
    cells = {(c["framework"], c["target"]): c for c in r.json()["rows"]}
    assert len(cells) == 40
    android = cells[("pytorch", "android")]
    assert android["best"]["chain"] == ["pytorch", "torch-export", "executorch"]
    assert android["best"]["display"] == "PyTorch → torch.export → ExecuTorch"
    assert [(s["name"], s["status"]) for s in android["article"]] == [("pytorch-live",
                                                                        "archived")]
    tf_mobile = cells[("tensorflow", "android")]
    assert [s["name"] for s in tf_mobile["article"]] == ["tensorflow-lite", "litert"]
    assert tf_mobile["best"]["chain"][-1] == "litert"
    assert cells[("pytorch", "server-rest")]["best"]["chain"][-1] != "torchserve"


def test_overlay_moves_the_matrix(tmp_path: Path, cli) -> None:
    kb = tmp_path / "flip.yaml"
    kb.write_text("entries:\n  - name: executorch\n    status: archived\n"
                  "    status_date: 2027-01-01\n"
                  "    sources: [{url: 'https://example.org/flip'}]\n", encoding="utf-8")
    r = cli("deploy-matrix", "--framework", "pytorch", "--target", "microcontroller",
            "--json", "--kb", str(kb))
    assert r.code == 0
    (cell,) = r.json()["rows"]
    assert cell["best"] is None
    # the bundled probe run is the source of the chains' measured readings
    assert [s["snapshot_id"].split("@")[0] for s in r.json()["sources"]] == [
        "kb:tools.yaml", "kb:flip.yaml", "ref:probe/results"]


def test_kb_facts_are_listed(cli) -> None:
    r = cli("facts", "--prefix", "kb.status.torchserve", "--json")
    assert r.code == 0
    (row,) = r.json()["rows"]
    assert row["value"] == "archived" and row["data_date"] == "2025-08-07"
    assert row["sources"][0]["snapshot_id"].startswith("kb:tools.yaml@")


def test_as_of_judges_staleness_only_and_says_statuses_are_as_curated(cli) -> None:
    """`kb list --as-of 2022-01-01` must not read as 'the statuses of 2022-01-01'."""
    from fwatlas.kb import load_kb
    from fwatlas.kb.schema import earliest_day

    kb = load_kb(None)
    curated = max((e.checked_on for e in kb.entries.values()), key=earliest_day)
    payload = cli("kb", "list", "--as-of", "2022-01-01", "--json").json()
    assert payload["as_of"] == "2022-01-01" and payload["as_of_judges"] == "staleness"
    assert payload["statuses_as_curated"] == curated
    later = {e.name for e in kb.entries.values()
             if e.status_date and earliest_day(e.status_date) > earliest_day("2022-01-01")}
    assert set(payload["status_dated_after_as_of"]) == later and "torchserve" in later
    assert any("judges staleness only" in n and f"up to {curated}" in n
               for n in payload["notes"])
    table = cli("kb", "list", "--as-of", "2022-01-01").out
    assert "(as of 2022-01-01)" not in table
    assert f"statuses as curated to {curated}; stale as of 2022-01-01" in table
    assert "no status history" in table
    show = cli("kb", "show", "torchserve", "--as-of", "2022-01-01", "--json").json()
    assert show["as_of_judges"] == "staleness"
    assert show["status_dated_after_as_of"] == ["torchserve"]
    assert "no status history" in cli("kb", "show", "torchserve", "--as-of", "2022-01-01").out
    changes = cli("kb", "changes", "--as-of", "2022-01-01")
    assert "statuses as curated to" in changes.out and "judges staleness only" in changes.out
    assert cli("kb", "changes", "--as-of", "2022-01-01", "--json").json()[
        "as_of_judges"] == "staleness"


def test_every_kb_status_fact_carries_a_date_at_its_curated_precision(tmp_path: Path,
                                                                       cli) -> None:
    """Month- and year-precise status dates were facts with `data_date: null`."""
    from fwatlas.kb import load_kb

    kb = load_kb(None)
    payload = cli("facts", "--prefix", "kb.status", "--json", "--db",
                  str(tmp_path / "atlas.duckdb")).json()
    rows = {r["name"].removeprefix("kb.status."): r for r in payload["rows"]}
    assert set(rows) == set(kb.entries)
    assert [n for n, r in rows.items() if r["data_date"] is None] == []
    # a month means its first day; the precision and the curated date stay visible
    acc = rows["accelerate"]
    assert kb.entries["accelerate"].status_date == "2026-09"
    assert (acc["data_date"], acc["data_date_precision"], acc["data_date_as_curated"],
            acc["data_date_from"]) == ("2026-09-01", "month", "2026-09", "status_date")
    # a year means its first day
    year = next(n for n, e in kb.entries.items() if e.status_date and len(e.status_date) == 4)
    assert rows[year]["data_date"] == f"{kb.entries[year].status_date}-01-01"
    assert rows[year]["data_date_precision"] == "year"
    # a day stays that day
    assert (rows["torchserve"]["data_date"], rows["torchserve"]["data_date_precision"]) == (
        kb.entries["torchserve"].status_date, "day")
    # no status date: when the status was checked
    colab = kb.entries["colab"]
    assert colab.status_date is None
    assert rows["colab"]["data_date_from"] == "checked_on"
    assert rows["colab"]["data_date_as_curated"] == colab.checked_on
    assert rows["colab"]["data_date"] == f"{colab.checked_on}-01"
