"""Where the Hub source has Keras, it is shown: the 2025 filter counts' Keras row reaches
``availability`` (--json, the table), the report's section and the facts, with n, source, date.

The expected count is read here from the shared data file with the csv module (the hand-collected
table's "# of models that use the library" column, the one that gives PyTorch 201,657), and
cross-checked against the exhaustive library_name counts of the same commit.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import run_cli, shared_path

FOLDER = ("data", "hf_library_counts_2025")


@pytest.fixture(scope="module")
def expected() -> dict[str, int]:
    with shared_path(*FOLDER, "manual_library_table_2025-04.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    col = next(i for i, h in enumerate(header) if h.startswith("# of models"))
    by_name = {r[0]: int(r[col].replace(",", "")) for r in rows[1:]
               if r and len(r) > col and r[col].replace(",", "").isdigit()}
    with shared_path(*FOLDER, "model_library_count_hf_api_2025-04.csv").open(
            encoding="utf-8") as f:
        libs = {r[0]: int(r[1]) for r in csv.reader(f) if len(r) > 1 and r[1].isdigit()}
    assert by_name["Keras"] == libs["keras"]  # the two files of the commit agree
    return {"pytorch": by_name["PyTorch"], "tensorflow": by_name["TensorFlow"],
            "jax": by_name["JAX"], "keras": by_name["Keras"]}


def _filter_rows(payload: dict) -> dict[str, dict]:
    (also,) = [a for a in payload["also"] if a["what"] == "Hub framework filter counts"]
    return {r["framework"]: r for r in also["rows"]}


def test_keras_row_in_json_with_n_source_and_date(tmp_path: Path,
                                                  expected: dict[str, int]) -> None:
    db = str(tmp_path / "a.duckdb")
    payload = run_cli("availability", "--db", db, "--json").json()
    rows = _filter_rows(payload)
    assert list(rows) == ["pytorch", "tensorflow", "jax", "keras"]
    for fw, count in expected.items():
        assert rows[fw]["models"] == count and rows[fw]["n"] == count, fw
        assert rows[fw]["snapshot_id"].startswith("ref:hub/filter-counts@")
        assert rows[fw]["data_date"] == "2025-04-25" and rows[fw]["basis"] == "published"
        assert "model_metadata_analyses" in rows[fw]["source_url"]
    assert any(s["snapshot_id"] == rows["keras"]["snapshot_id"] for s in payload["sources"])
    # choosing the hub/models snapshot by id does not drop the other dataset's Keras row
    chosen = run_cli("availability", "--db", db, "--snapshot", payload["snapshot_id"],
                     "--json").json()
    assert _filter_rows(chosen)["keras"]["models"] == expected["keras"]


def test_keras_row_in_the_table_the_facts_and_the_report(tmp_path: Path,
                                                         expected: dict[str, int]) -> None:
    from fwatlas.figures.availability import availability_section
    from fwatlas.store.atlas import open_atlas

    db = tmp_path / "a.duckdb"
    table = run_cli("availability", "--db", str(db))
    assert table.code == 0, table.err
    keras_lines = [line for line in table.out.splitlines() if line.strip("│ ").startswith("keras")]
    assert keras_lines and f"{expected['keras']:,}" in keras_lines[0]

    facts = run_cli("facts", "--prefix", "hub.filter_count.keras", "--db", str(db),
                    "--json").json()["rows"]
    assert [f["value"] for f in facts] == [expected["keras"]]

    section = availability_section(open_atlas(db))
    (fig,) = [f for f in section.figures if f.id == "availability-filter-counts"]
    assert {r["framework"]: r["models"] for r in fig.rows} == expected
    assert any(f"Keras {expected['keras']:,}" in r for r in section.reading)
