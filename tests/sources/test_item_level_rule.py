"""Issue 15's one rule, checked where the audit found readers off it.

- a record that cannot be read as the declared types is a skipped, listed item – never a
  rejected file (the Hub CSV and coverage readers rejected the whole input for one bad value);
- a CSV whose last row is cut is an item-level problem *named as cut* in every CSV reader;
- an ingest that keeps no row is rejected whole even when the reader listed no skip;
- a rejected first scan leaves no store file behind.

Every case writes its own small file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.research.conftest import store_state

COVERAGE_HEADER = ("version,wheel_build_date,n_arch_any,n_pytorch,n_tensorflow,n_flax,wheel,"
                   "sha256\n")


def _ingest_json(kind: str, path: Path, db: Path, *extra: str) -> dict:
    run = run_cli("ingest", kind, str(path), "--db", str(db), "--json", *extra)
    assert run.code == 0, run.err
    result: dict = run.json()
    return result


def test_a_mistyped_hub_csv_count_is_a_listed_item_not_a_rejected_dump(tmp_path: Path,
                                                                        db: Path) -> None:
    f = tmp_path / "models.csv"
    f.write_text("modelId,tags,downloads,lastModified\n"
                 "org/a,\"['pytorch']\",5,2022-01-01T00:00:00Z\n"
                 "org/b,\"['tf']\",many,2022-01-02T00:00:00Z\n"
                 "org/c,\"['jax']\",1.5,2022-01-03T00:00:00Z\n"
                 "org/d,\"['jax']\",7.0,2022-01-04T00:00:00Z\n")
    result = _ingest_json("hub", f, db)
    assert result["skipped_items"] == [
        "model 'org/b': downloads 'many' is not a whole number",
        "model 'org/c': downloads '1.5' is not a whole number"]
    assert result["created"][0]["rows"] == 2
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    stored = con.execute("SELECT id, downloads FROM hub_models ORDER BY id").fetchall()
    con.close()
    assert stored == [("org/a", 5), ("org/d", 7)]


def test_a_bad_coverage_row_is_a_listed_item(tmp_path: Path, db: Path) -> None:
    f = tmp_path / "transformers_coverage.csv"
    f.write_text(COVERAGE_HEADER
                 + "4.0.0,2020-01-01,10,5,3,1,w0.whl,aa\n"
                 + "4.1.0,2020-02-01,-5,1,1,1,w1.whl,bb\n"     # a negative count
                 + "4.2.0,2020-13-45,10,5,3,1,w2.whl,cc\n"    # a date the calendar lacks
                 + "4.3.0,2020-04-01,10,11,3,1,w3.whl,dd\n"   # more PyTorch than in all
                 + "4.4.0,2020-05-01,12,6,3,1,w4.whl,ee\n")
    result = _ingest_json("coverage", f, db)
    items = result["skipped_items"]
    assert len(items) == 3, items
    assert "line 3 (4.1.0): n_arch_any must be a whole number >= 0, not '-5'" in items[0]
    assert "line 4 (4.2.0): wheel_build_date '2020-13-45' is not a date" in items[1]
    assert "line 5 (4.3.0): a framework count exceeds n_arch_any" in items[2]
    assert result["created"][0]["rows"] == 2


def test_a_coverage_field_over_the_bound_is_one_line_exit_2(tmp_path: Path, db: Path) -> None:
    f = tmp_path / "transformers_coverage.csv"
    f.write_text(COVERAGE_HEADER + "4.0.0,2020-01-01,10,5,3,1," + "w" * (200 * 1024) + ",aa\n")
    run = run_cli("ingest", "coverage", str(f), "--db", str(db))
    assert run.code == 2 and "Traceback" not in run.err, run.err
    assert run.err.strip().count("\n") == 0 and "line 2: field larger" in run.err, run.err
    assert store_state(db) == ([], {})


#: kind, file name, a well-formed body whose last row the test cuts, fields in that row
CUT: dict[str, tuple[str, str, str, int, list[str]]] = {
    "hub csv": ("hub", "models.csv", "modelId,tags,lastModified\n"
                "org/a,\"['pytorch']\",2022-01-01T00:00:00Z\n"
                "org/b,\"['tf']\",2022-01-02T00:00:00Z", 3, []),
    "coverage": ("coverage", "transformers_coverage.csv", COVERAGE_HEADER
                 + "4.0.0,2020-01-01,10,5,3,1,w0.whl,aa\n4.1.0,2020-02-01,10,5,3,1,w1.whl,bb",
                 8, []),
    "papers published counts": ("papers", "published_counts.csv",
                                "ICML,06/19,10,5,40\nNeurIPS,12/19,20,9,60", 5, []),
    "paper-code csv": ("paper-code", "links.csv", "venue,year,title,repo_url\n"
                       "icml,2019,A,https://github.com/a/a\nicml,2019,B,https://github.com/b/b",
                       4, ["--data-date", "2024-01-01"]),
    "qa question dump": ("qa", "questions.csv", "Id,CreationDate,Tags\n"
                         "1,2019-01-02T10:00:00,<keras>\n2,2019-02-03T11:00:00,<pytorch>", 3,
                         []),
    "github best-of projects": ("github", "2024-01-01_projects.csv",
                                "name,github_id,stargazers_count\ntorch,pytorch/pytorch,50\n"
                                "jax,google/jax,20", 3, []),
    "jobs hn terms": ("jobs", "hn.csv", "month,term,count,num_comments\n2020-01,pytorch,5,400\n"
                      "2020-02,tensorflow,7,380", 4, []),
}


@pytest.mark.parametrize("case", list(CUT))
def test_a_csv_cut_mid_row_is_named_as_cut(case: str, tmp_path: Path, db: Path) -> None:
    kind, name, body, fields, extra = CUT[case]
    last = body.rsplit("\n", 1)[1]
    kept = max(1, len(last.split(",")) // 2)  # cut the last row after about half its fields
    cut_body = body[: len(body) - len(last)] + ",".join(last.split(",")[:kept])
    f = tmp_path / name
    f.write_text(cut_body)
    result = _ingest_json(kind, f, db, *extra)
    cut = [i for i in result["skipped_items"] if "the last row is cut" in i]
    assert len(cut) == 1 and f"of {fields} fields" in cut[0] and "ends mid-row" in cut[0], \
        result["skipped_items"]
    assert sum(s["rows"] for s in result["created"]) >= 1


def test_an_ingest_that_keeps_no_row_is_rejected_even_with_no_skip(tmp_path: Path,
                                                                   db: Path) -> None:
    """A question dump naming no framework tag yields no row and skips nothing: it used to
    commit an empty qa/dsse snapshot that then read as the newest."""
    good = tmp_path / "a" / "questions.csv"
    good.parent.mkdir()
    good.write_text("Id,CreationDate,Tags\n1,2019-01-02T10:00:00,<keras>\n")
    assert run_cli("ingest", "qa", str(good), "--db", str(db)).code == 0
    before = store_state(db)
    other = tmp_path / "b" / "questions.csv"
    other.parent.mkdir()
    other.write_text("Id,CreationDate,Tags\n1,2019-01-02T10:00:00,<python>\n"
                     "2,2019-02-03T11:00:00,<r>\n")
    run = run_cli("ingest", "qa", str(other), "--db", str(db))
    assert run.code == 2 and "nothing of qa/dsse could be stored" in run.err, run.err
    assert run.err.strip().count("\n") == 0
    assert store_state(db) == before


def test_a_rejected_first_scan_leaves_no_store_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    db = tmp_path / "new.duckdb"
    run = run_cli("scan", str(bad), "--db", str(db), "--workers", "1")
    assert run.code == 2, run.err
    assert not db.exists()


def test_a_scan_creates_its_tables_with_its_first_rows(tmp_path: Path, db: Path) -> None:
    """The repos tables now come with the first stored batch, not with the store's opening:
    a real scan into a store that has none must still store and read back its repository."""
    repo = tmp_path / "proj"
    repo.mkdir()
    (repo / "train.py").write_text("import torch\n")
    run = run_cli("scan", str(repo), "--db", str(db), "--workers", "1", "--json")
    assert run.code == 0, run.err
    rows = run.json()["rows"]
    assert [r["primary"] for r in rows] == ["pytorch"], rows
    again = run_cli("scan", str(repo), "--db", str(db), "--workers", "1", "--json")
    assert again.code == 0 and again.json()["rows"][0]["already_scanned"] is True, again.err


def _pypi_doc(name: str, **file_fields: object) -> dict:
    wheel = {"filename": f"{name}-1.0-py3-none-any.whl", "packagetype": "bdist_wheel",
             "upload_time_iso_8601": "2023-03-01T00:00:00Z", "size": 5, "yanked": False,
             **file_fields}
    return {"info": {"name": name, "version": "1.0"},
            "releases": {"1.0": [{"upload_time_iso_8601": "2023-03-01T00:00:00Z",
                                  "yanked": wheel["yanked"]}]},
            "urls": [wheel]}


@pytest.mark.parametrize("field,value,why", [
    ("yanked", "false", "yanked is a JSON str, not true/false"),
    ("size", 1.5, "size is a JSON float, not a whole number"),
    ("size", -5, "negative size -5"),
    ("filename", 7, "filename is a JSON int, not a string"),
])
def test_a_mistyped_registry_value_is_a_listed_package_not_a_coerced_one(
        field: str, value: object, why: str, tmp_path: Path, db: Path) -> None:
    """``bool("false")`` read a string as yanked and Arrow truncated a size of 1.5 to 1."""
    folder = tmp_path / "reg"
    (folder / "pypi").mkdir(parents=True)
    (folder / "pypi" / "torch.json").write_text(json.dumps(_pypi_doc("torch")))
    (folder / "pypi" / "jax.json").write_text(json.dumps(_pypi_doc("jax", **{field: value})))
    result = _ingest_json("registry", folder, db, "--data-date", "2024-01-01")
    assert result["skipped_items"] == [f"pypi:jax: {why}"], result["skipped_items"]
    assert result["created"][0]["rows"] == 1
