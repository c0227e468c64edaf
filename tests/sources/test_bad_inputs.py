"""The adversarial findings of issue 15, each rebuilt from a small file the test writes.

Every whole-input failure must be one line on stderr with exit 2 and the store unchanged;
no case may print a traceback. Each builder returns the ``fwatlas`` arguments after ``--db``.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.research.conftest import store_state

BIG = "9" * (200 * 1024)  # one CSV field over the csv module's 128 KiB limit


def _qa_big_field(tmp: Path) -> list[str]:
    f = tmp / "frameworks_questions_count.csv"
    f.write_text(f"Date,Pytorch_Question_Count\n2019,{BIG}\n")
    return ["ingest", "qa", str(f), "--data-date", "2020-06-01"]


def _published_big_field(tmp: Path) -> list[str]:
    f = tmp / "published_counts.csv"
    f.write_text(f"ICML,06/19,1,2,10\nICML,06/20,{BIG},2,10\n")
    return ["ingest", "papers", str(f)]


def _papers_dir(tmp: Path) -> Path:
    d = tmp / "pdfs"
    d.mkdir()
    (d / "p1.txt").write_text("We use PyTorch.")
    return d


def _metadata_big_field(tmp: Path) -> list[str]:
    meta = tmp / "meta.csv"
    meta.write_text(f"id,title,authors,venue,year\np1,{BIG},A. B,icml,2020\n")
    return ["ingest", "papers", str(_papers_dir(tmp)), "--metadata", str(meta)]


def _links(tmp: Path) -> Path:
    f = tmp / "links.json"
    f.write_text(json.dumps([{"paper_url": "https://paperswithcode.com/paper/a",
                              "paper_title": "A", "paper_arxiv_id": "1901.00001",
                              "repo_url": "https://github.com/a/a", "is_official": True,
                              "mentioned_in_paper": True, "mentioned_in_github": False,
                              "framework": "pytorch"}]))
    return f


def _pwc_metadata_not_utf8(tmp: Path) -> list[str]:
    meta = tmp / "papers-with-abstracts.json"
    meta.write_bytes(b'[{"paper_url": "\xff\xfe", "date": "2019-01-01"}]')
    return ["ingest", "pwc", str(_links(tmp)), "--metadata", str(meta)]


def _pwc_metadata_truncated_gzip(tmp: Path) -> list[str]:
    meta = tmp / "papers-with-abstracts.json.gz"
    body = json.dumps([{"paper_url": f"u{i}", "date": "2019-01-01"} for i in range(3000)])
    packed = gzip.compress(body.encode())
    meta.write_bytes(packed[: len(packed) // 2])
    return ["ingest", "pwc", str(_links(tmp)), "--metadata", str(meta)]


def _registry_manifest(tmp: Path, packages: object) -> list[str]:
    d = tmp / "reg"
    d.mkdir()
    (d / "manifest.json").write_text(json.dumps({"packages": packages}))
    return ["ingest", "registry", str(d)]


def unchanged(db: Path) -> tuple[list[tuple], dict[str, int]]:
    """Snapshots and every non-empty table (opening a new kind's empty tables is no change)."""
    snaps, counts = store_state(db)
    return snaps, {t: n for t, n in counts.items() if n and t != "schema_version"}


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def _registry_deep(tmp: Path) -> list[str]:
    f = tmp / "torch.json"
    f.write_text('{"info": ' + _deep(100_000) + "}")
    return ["ingest", "registry", str(f)]


def _pypi_downloads_deep(tmp: Path) -> list[str]:
    f = tmp / "top-pypi-packages-30-days.json"
    f.write_text('{"last_update": "2024-01-01 00:00:00", "rows": ' + _deep(100_000) + "}")
    return ["ingest", "pypi-downloads", str(f)]


def _github_tracked_not_utf8(tmp: Path) -> list[str]:
    d = tmp / "stars"
    d.mkdir()
    (d / "stars.tsv").write_text("timestamp\tname\tstargazers\n2022-01-01\tpytorch\t5\n")
    (d / "tracked_repos_list.txt").write_bytes(b"pytorch/\xff\xfepytorch\n")
    return ["ingest", "github", str(d)]


def _paper_code_deep(tmp: Path) -> list[str]:
    f = tmp / "cvpr2024.json"
    f.write_text(_deep(100_000))
    return ["ingest", "paper-code", str(f)]


def _paper_code_big_field(tmp: Path) -> list[str]:
    f = tmp / "links.csv"
    f.write_text(f"venue,year,title,repo_url\nicml,2019,{BIG},https://github.com/a/b\n")
    return ["ingest", "paper-code", str(f)]


def _probe_deep_line(tmp: Path) -> list[str]:
    f = tmp / "results.jsonl"
    f.write_text(_deep(100_000) + "\n")
    return ["ingest", "probe", str(f)]


def _scan_list_entry_too_long(tmp: Path) -> list[str]:
    f = tmp / "notebook.ipynb"  # not an archive: read as a list of repositories
    f.write_text("[" * 100_000)
    return ["scan", str(f)]


CASES: dict[str, Callable[[Path], list[str]]] = {
    "paper-code list deeply nested": _paper_code_deep,
    "paper-code CSV field over 128 KiB": _paper_code_big_field,
    "probe results line deeply nested": _probe_deep_line,
    "scan list whose entry is no usable path": _scan_list_entry_too_long,
    "qa counts field over 128 KiB": _qa_big_field,
    "published counts field over 128 KiB": _published_big_field,
    "papers --metadata field over 128 KiB": _metadata_big_field,
    "pwc --metadata not UTF-8": _pwc_metadata_not_utf8,
    "pwc --metadata truncated gzip": _pwc_metadata_truncated_gzip,
    "registry manifest of numbers": lambda t: _registry_manifest(t, [1, 2]),
    "registry manifest entry without keys": lambda t: _registry_manifest(t, [{"status": 200}]),
    "registry manifest not a list": lambda t: _registry_manifest(t, {"a": 1}),
    "registry deeply nested": _registry_deep,
    "pypi-downloads deeply nested": _pypi_downloads_deep,
    "github tracked list not UTF-8": _github_tracked_not_utf8,
}


@pytest.mark.parametrize("case", list(CASES))
def test_whole_input_failure_is_one_line_exit_2(case: str, tmp_path: Path, db: Path) -> None:
    seed = tmp_path / "seed.tsv"
    seed.write_text("timestamp\tname\tstargazers\n2022-01-01\tjax\t5\n")
    assert run_cli("ingest", "github", str(seed), "--db", str(db)).code == 0
    before = unchanged(db)
    args = CASES[case](tmp_path)
    run = run_cli(*args, "--db", str(db))
    assert run.code == 2, (run.code, run.err[-2000:])
    assert "Traceback" not in run.err
    lines = [line for line in run.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("fwatlas: error: "), run.err
    assert unchanged(db) == before


# --- silent data loss ---------------------------------------------------------------------------


def _paper(pid: str, year: object = 2018, words: object = None) -> dict:
    return {"id": pid, "name": f"Paper {pid}", "authors": ["A. Author"], "conference": "icml",
            "year": year, "pdf_link": "x", "metadata": {"words": words or ["pt"]}}


def test_an_ingest_whose_items_are_all_skipped_is_rejected_whole(tmp_path: Path,
                                                                   db: Path) -> None:
    good = tmp_path / "a" / "icml_2018.json"
    good.parent.mkdir()
    good.write_text(json.dumps([_paper(str(i)) for i in range(30)]))
    assert run_cli("ingest", "papers", str(good), "--db", str(db)).code == 0
    before = unchanged(db)
    bad = tmp_path / "b" / "icml_2018.json"
    bad.parent.mkdir()
    bad.write_text(json.dumps([_paper(f"x{i}", year="20l8") for i in range(20)]))
    run = run_cli("ingest", "papers", str(bad), "--db", str(db))
    assert run.code == 2 and "every item of papers/icml_2018 was skipped (20" in run.err, run.err
    assert unchanged(db) == before  # the edition's newest snapshot still holds its 30 papers


def test_words_of_the_wrong_type_are_a_listed_item_not_lost_evidence(tmp_path: Path,
                                                                      db: Path) -> None:
    f = tmp_path / "icml_2019.json"
    f.write_text(json.dumps([_paper("a", 2019), _paper("b", 2019, words="pt tf")]))
    run = run_cli("ingest", "papers", str(f), "--db", str(db), "--json")
    assert run.code == 0, run.err
    items = run.json()["skipped_items"]
    assert items == ["icml_2019.json:b: metadata.words is not a list of words"]


def test_a_pwc_field_of_the_wrong_type_is_a_listed_item(tmp_path: Path, db: Path) -> None:
    f = tmp_path / "links.json"
    base = {"paper_title": "A", "paper_arxiv_id": "1901.00001", "is_official": True,
            "mentioned_in_paper": True, "mentioned_in_github": False, "framework": "pytorch"}
    f.write_text(json.dumps([
        {**base, "paper_url": "https://paperswithcode.com/paper/a",
         "repo_url": "https://github.com/a/a"},
        {**base, "paper_url": ["https://paperswithcode.com/paper/b"],
         "repo_url": "https://github.com/b/b"}]))
    run = run_cli("ingest", "pwc", str(f), "--db", str(db), "--json")
    assert run.code == 0, run.err
    assert run.json()["created"][0]["rows"] == 1
    (item,) = run.json()["skipped_items"]
    assert "paper_url is a JSON list, not a string" in item
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM pwc_links WHERE paper_url IS NULL").fetchone() \
        == (0,)
    con.close()


@pytest.mark.parametrize("kind,name,body", [
    ("jobs", "sites.csv", "date,site,framework,postings\n2024-01,a.example,pytorch,5\n"
                          "2024-01,b.example,tensorflow,-5\n"),
    ("pypi-downloads", "top-pypi-packages-30-days.json",
     json.dumps({"last_update": "2024-01-01 00:00:00",
                 "rows": [{"project": "torch", "download_count": 10},
                          {"project": "keras", "download_count": -5}]})),
    ("github", "stars.tsv", "timestamp\tname\tstargazers\n2022-01-01\tjax\t5\n"
                            "2022-01-02\tjax\t-5\n"),
    ("qa", "frameworks_questions_count.csv",
     "Date,Pytorch_Question_Count\n2019,5\n2020,-5\n"),
])
def test_a_negative_count_is_a_skipped_item(kind: str, name: str, body: str, tmp_path: Path,
                                            db: Path) -> None:
    f = tmp_path / name
    f.write_text(body)
    run = run_cli("ingest", kind, str(f), "--db", str(db), "--json", "--data-date",
                  "2024-02-01")
    assert run.code == 0, run.err
    items = run.json()["skipped_items"]
    assert len(items) == 1 and "negative count -5" in items[0], items


@pytest.mark.parametrize("kind,name,body,cols", [
    ("jobs", "sites.csv", "date,site,framework,postings\n2024-01,a.example,pytorch,5\n"
                          "2024-02,b.example", 4),
    ("github", "stars.tsv", "timestamp\tname\tstargazers\n2022-01-01\tjax\t5\n2022-01-02\tja",
     3),
    ("pypi-downloads", "series.csv", "last_update,window,project,download_count\n"
     "2024-01-01,30d,torch,5\n2024-02-01,30d,tor", 4),
    ("qa", "frameworks_questions_count.csv", "Date,Pytorch_Question_Count\n2019,5\n2020", 2),
])
def test_a_csv_cut_mid_row_lists_the_cut_row(kind: str, name: str, body: str, cols: int,
                                             tmp_path: Path, db: Path) -> None:
    f = tmp_path / name
    f.write_text(body)
    run = run_cli("ingest", kind, str(f), "--db", str(db), "--json", "--data-date",
                  "2024-02-01")
    assert run.code == 0, run.err
    items = run.json()["skipped_items"]
    assert len(items) == 1 and "line 3: the last row is cut" in items[0] \
        and f"of {cols} fields" in items[0], items
    assert run.json()["created"][0]["rows"] >= 1


# --- smaller findings ---------------------------------------------------------------------------


def test_the_same_data_recompressed_is_already_ingested(tmp_path: Path, db: Path) -> None:
    lines = "".join(json.dumps({"modelId": f"org/m{i}", "tags": ["pytorch"],
                                "lastModified": "2022-01-01T00:00:00.000Z"}) + "\n"
                    for i in range(200)).encode()
    fast = tmp_path / "fast.jsonl.gz"
    fast.write_bytes(gzip.compress(lines, compresslevel=1, mtime=1))
    best = tmp_path / "best.jsonl.gz"
    best.write_bytes(gzip.compress(lines, compresslevel=9, mtime=2))
    plain = tmp_path / "plain.jsonl"
    plain.write_bytes(lines)
    assert fast.read_bytes() != best.read_bytes()
    assert run_cli("ingest", "hub", str(fast), "--db", str(db)).code == 0
    for other in (best, plain):
        run = run_cli("ingest", "hub", str(other), "--db", str(db), "--json")
        assert run.code == 0, run.err
        assert run.json()["created"] == [] and len(run.json()["already_ingested"]) == 1


def test_a_manifest_file_outside_its_folder_is_refused(tmp_path: Path, db: Path) -> None:
    d = tmp_path / "reg"
    (d / "pypi").mkdir(parents=True)
    doc = {"info": {"name": "torch", "version": "2.0.0"}, "releases": {"2.0.0": []}}
    (d / "pypi" / "torch.json").write_text(json.dumps(doc))
    secret = tmp_path / "secret.json"  # a valid document, but outside the folder
    secret.write_text(json.dumps({**doc, "info": {"name": "keras", "version": "3.0.0"}}))
    (d / "manifest.json").write_text(json.dumps({"packages": [
        {"registry": "pypi", "package": "torch", "file": "pypi/torch.json", "status": 200,
         "fetched_at": "2024-01-01T00:00:00Z"},
        {"registry": "pypi", "package": "keras", "file": "../secret.json", "status": 200,
         "fetched_at": "2024-01-01T00:00:00Z"}]}))
    run = run_cli("ingest", "registry", str(d), "--db", str(db), "--json")
    assert run.code == 0, run.err
    (item,) = run.json()["skipped_items"]
    assert item.startswith("pypi:keras: file refused: '../secret.json' points outside"), item
    assert run.json()["created"][0]["rows"] == 1


# --- the Hub reader follows the item-level policy -----------------------------------------------


def _model(i: int, **extra: object) -> str:
    return json.dumps({"modelId": f"org/m{i}", "tags": ["pytorch"], "downloads": i,
                       "lastModified": "2022-01-01T00:00:00.000Z", **extra}) + "\n"


@pytest.mark.parametrize("bad,why", [
    ('{"modelId": "org/bad", "tags": ["pytorch"], "downloads": "many"}\n',
     "downloads is a JSON str, not a whole number"),
    ('{"modelId": "org/bad", "tags": "pytorch"}\n', "tags is not a list of strings"),
    ('{"modelId": "org/bad", "tags": ["pytorch"], "library_name": ["x"]}\n',
     "library_name is a JSON list, not a string"),
    ('{"modelId": "org/bad", "tags": [\n', "line 101: not valid JSON"),
])
@pytest.mark.parametrize("compressed", [False, True])
def test_one_bad_hub_record_is_a_listed_item_at_its_own_line(bad: str, why: str,
                                                              compressed: bool,
                                                              tmp_path: Path, db: Path) -> None:
    body = "".join(_model(i) for i in range(100)) + bad + "".join(
        _model(i) for i in range(100, 150))
    f = tmp_path / ("dump.jsonl.gz" if compressed else "dump.jsonl")
    f.write_bytes(gzip.compress(body.encode()) if compressed else body.encode())
    run = run_cli("ingest", "hub", str(f), "--db", str(db), "--json")
    assert run.code == 0, run.err
    (item,) = run.json()["skipped_items"]
    assert item.startswith("line 101: ") and why.removeprefix("line 101: ") in item, item
    assert run.json()["created"][0]["rows"] == 150


def test_negative_hub_downloads_are_skipped_items(tmp_path: Path, db: Path) -> None:
    f = tmp_path / "dump.jsonl"
    f.write_text(_model(1) + _model(2, downloads=-5))
    run = run_cli("ingest", "hub", str(f), "--db", str(db), "--json")
    assert run.code == 0, run.err
    assert run.json()["skipped_items"] == ["1 record(s): a negative downloads or likes count"]
    assert run.json()["created"][0]["rows"] == 1


def test_a_hub_csv_row_with_the_wrong_field_count_is_a_listed_item(tmp_path: Path,
                                                                    db: Path) -> None:
    f = tmp_path / "dump.csv"
    f.write_text('modelId,tags,lastModified\norg/a,"[\'pytorch\']",2022-01-01T00:00:00Z\n'
                 "org/b,oops\n"
                 'org/c,"[\'tf\']",2022-01-02T00:00:00Z\n')
    run = run_cli("ingest", "hub", str(f), "--db", str(db), "--json")
    assert run.code == 0, run.err
    (item,) = run.json()["skipped_items"]
    assert item == "row 'org/b,oops': 2 fields, expected 3", item
    assert run.json()["created"][0]["rows"] == 2


def test_a_hub_gzip_bomb_is_rejected_before_it_is_expanded(tmp_path: Path, db: Path) -> None:
    """Reading the first lines for the columns used to expand the gzip without a bound: one
    line of 80 MiB of spaces (80 KB packed) must hit the ratio bound, not fill memory."""
    f = tmp_path / "models.jsonl.gz"
    f.write_bytes(gzip.compress(b" " * (80 << 20), compresslevel=9))
    assert f.stat().st_size < 200_000
    run = run_cli("ingest", "hub", str(f), "--data-date", "2022-02-21", "--db", str(db))
    assert run.code == 2, run.err
    assert run.err.strip().count("\n") == 0 and "decompresses to more than" in run.err, run.err
    assert not db.exists() or unchanged(db) == ([], {})


# --- found by `make fuzz` -----------------------------------------------------------------------


@pytest.mark.parametrize("kind,name,body", [
    ("pypi-downloads", "series.csv",
     'last_update,"window,project,download_count,rank\n2024-01-01,30d,torch,500,1\n'
     '2024-01-01,30d,jax,100,2"\n'),
    ("qa", "questions.csv",
     'Id,"CreationDate,Tags\n1,2019-01-02T10:00:00,<keras>\n2,2019-02-03T11:00:00,<jax>"\n'),
    ("github", "stars.tsv", 'timestamp\t"name\tstargazers\n2022-01-01\tjax\t5\n'
                            '2022-01-02\tjax\t6"\n'),
])
def test_a_damaged_header_is_named_on_one_line_not_with_the_rows(kind: str, name: str,
                                                                  body: str, tmp_path: Path,
                                                                  db: Path) -> None:
    """A stray quote in the header swallows the rows into one "column"; the error used to
    paste them, newlines and all, into its "columns: …" list."""
    f = tmp_path / name
    f.write_text(body)
    run = run_cli("ingest", kind, str(f), "--db", str(db), "--data-date", "2024-03-01")
    assert run.code == 2, run.err
    lines = [line for line in run.err.splitlines() if line.strip()]
    assert len(lines) == 1 and "missing" in lines[0] and "columns: " in lines[0], run.err
    listed = lines[0].split("columns: ", 1)[1]
    assert len(listed) <= 121 and "2024-0" not in listed and "2022-0" not in listed \
        and "2019-0" not in listed, listed


def test_a_qa_count_year_outside_the_calendar_is_a_skipped_item(tmp_path: Path,
                                                                  db: Path) -> None:
    """A year the store's DATE cannot hold (20199) raised ValueError from datetime."""
    f = tmp_path / "frameworks_questions_count.csv"
    f.write_text("Date,Pytorch_Question_Count\n2018,100\n20199,300\n")
    run = run_cli("ingest", "qa", str(f), "--db", str(db), "--json", "--data-date",
                  "2020-06-01")
    assert run.code == 0, run.err
    (item,) = run.json()["skipped_items"]
    assert "line 3" in item and "year 20199 out of range" in item, item
