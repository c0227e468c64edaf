"""Bad whole inputs reject the ingest (exit 2, one line naming the file, store unchanged);
item-level problems are skipped, listed, counted, warned, exit 0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fwatlas.errors import InputError
from fwatlas.ingestion import ingest
from tests.conftest import run_cli
from tests.research.conftest import store_state


def _paper(pid: str, year: object = 2019, words: list[str] | None = None,
           authors: list[str] | None = None) -> dict:
    return {"id": pid, "name": f"Paper {pid}", "authors": authors or ["A. Author"],
            "conference": "icml", "year": year, "pdf_link": "x",
            "metadata": {"words": words or [], "affiliation": []}}


@pytest.fixture
def seeded(db: Path, tmp_path: Path) -> Path:
    good = tmp_path / "seed" / "icml_2019.json"
    good.parent.mkdir()
    good.write_text(json.dumps([_paper("a", words=["pt"]), _paper("b", words=["tf"])]))
    ingest("papers", good.parent, db=db)
    return db


def _broken(tmp: Path) -> dict[str, tuple[Path, list[str]]]:
    d = tmp / "broken"
    d.mkdir()
    obj = d / "cvpr_2018.json"
    obj.write_text(json.dumps({"papers": [_paper("x")]}))
    truncated = d / "iclr_2018.json"
    truncated.write_text(json.dumps([_paper(str(i)) for i in range(50)])[:700])
    not_objects = d / "acl_2018.json"
    not_objects.write_text(json.dumps([_paper("x"), "a string", 3]))
    empty = d / "nips_2018.json"
    empty.write_text("[]")
    meta_dir = d / "pdfs"
    meta_dir.mkdir()
    (meta_dir / "p1.txt").write_text("We use PyTorch.")
    no_ids = d / "meta.csv"
    no_ids.write_text("title,authors,venue,year\nA paper,A. B,icml,2020\n")
    published = d / "published_counts.csv"
    published.write_text("venue,date,pt,tf,total\nICML,06/19,1,2,10\n")
    return {
        "json object": (obj, []), "truncated json": (truncated, []),
        "list of non-objects": (not_objects, []), "empty list": (empty, []),
        "metadata without ids": (meta_dir, ["--metadata", str(no_ids)]),
        "published with a header": (published, []),
    }


@pytest.mark.parametrize("which", ["json object", "truncated json", "list of non-objects",
                                   "empty list", "metadata without ids",
                                   "published with a header"])
def test_broken_input_is_rejected_and_leaves_the_store_unchanged(seeded: Path, tmp_path: Path,
                                                                 which: str) -> None:
    path, extra = _broken(tmp_path)[which]
    options = {"metadata": Path(extra[1])} if extra else {}
    before = store_state(seeded)
    with pytest.raises(InputError) as err:
        ingest("papers", path, db=seeded, **options)
    assert err.value.exit_code == 2
    assert str(err.value).startswith(extra[1] if extra else str(path))
    assert "\n" not in str(err.value)
    assert store_state(seeded) == before


def test_the_cli_says_one_line_and_exits_2(seeded: Path, tmp_path: Path) -> None:
    path, _ = _broken(tmp_path)["truncated json"]
    before = store_state(seeded)
    run = run_cli("ingest", "papers", str(path), "--db", str(seeded))
    assert run.code == 2, (run.out, run.err)
    lines = [ln for ln in run.err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and str(path) in lines[0], run.err
    assert store_state(seeded) == before


def test_one_bad_file_in_a_directory_rejects_the_whole_directory(seeded: Path,
                                                                 tmp_path: Path) -> None:
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "cvpr_2019.json").write_text(json.dumps([_paper("ok", words=["pt"])]))
    (d / "eccv_2018.json").write_text("{not json")
    before = store_state(seeded)
    with pytest.raises(InputError, match="eccv_2018.json"):
        ingest("papers", d, db=seeded)
    assert store_state(seeded) == before


def test_item_level_problems_are_skipped_listed_counted(db: Path, tmp_path: Path) -> None:
    d = tmp_path / "lists"
    d.mkdir()
    papers = [_paper("ok1", words=["pt"]), _paper("noyear", year=None),
              _paper("badyear", year="soon"), _paper("ok2", year="2019", words=["tf"]),
              {"name": "no id", "year": 2019}]
    (d / "NeurIPS_2019.json").write_text(json.dumps(papers))
    (d / "README.md").write_text("not a paper list")
    run = run_cli("ingest", "papers", str(d), "--db", str(db), "--json")
    assert run.code == 0, run.err
    out = run.json()
    assert out["ignored"] == ["README.md"]
    (snap,) = out["created"]
    assert snap["dataset"] == "papers/neurips_2019"  # canonical venue id
    assert snap["rows"] == 2 and snap["skipped"] == 3
    items = "\n".join(out["skipped_items"])
    assert "noyear: no year" in items and "badyear: year 'soon'" in items
    assert "no paper id" in items
    table = run_cli("ingest", "papers", str(d / "NeurIPS_2019.json"), "--db", str(db))
    assert table.code == 0 and "already ingested" in table.out  # same content: a no-op


def test_published_counts_ingest_with_item_level_rows(db: Path, tmp_path: Path) -> None:
    f = tmp_path / "published_counts.csv"
    # NeurIPS 2019 differs from the bundled reference (182) so the test sees which one is read
    f.write_text("ICML,06/19,76,76,773\nNeurIPS,12/19,180,104,1427\nCVPR,13/19,1,1,5\n"
                 "ACL,08/19,x,1,5\nICLR,05/22,1091,208,3388\n")
    run = run_cli("ingest", "papers", str(f), "--db", str(db), "--json")
    assert run.code == 0, run.err
    out = run.json()
    (snap,) = out["created"]
    assert snap["dataset"] == "papers/published"
    assert snap["rows"] == 3 and snap["skipped"] == 2
    assert snap["data_date"] == "2022-05-01"  # the latest venue MM/YY
    research = run_cli("research", "--db", str(db), "--json", "--from", "2019", "--to", "2019")
    rows = {r["venue"]: r for r in research.json()["rows"] if r["basis"] == "published"}
    # same data date as the bundled reference: the user's snapshot outranks it
    assert set(rows) == {"icml", "neurips", "all"}
    assert rows["neurips"]["pytorch_only"] == 180
    assert rows["neurips"]["pytorch_share"] == pytest.approx(180 / 284)
    (src,) = [s for s in research.json()["sources"] if s["snapshot_id"] == snap["snapshot_id"]]
    assert src["basis"] == "published"


def test_research_offline_on_a_fresh_store_uses_the_bundled_published_counts(
        db: Path) -> None:
    run = run_cli("research", "--db", str(db), "--venue", "nips", "--json")
    assert run.code == 0, run.err
    out = run.json()
    assert not db.exists()  # a read command never writes
    years = {r["year"]: r for r in out["rows"]}
    assert set(years) == {2015, 2016, 2017, 2018, 2019, 2020}
    assert (years[2019]["pytorch_only"], years[2019]["tensorflow_only"]) == (182, 104)
    assert years[2015]["pytorch_share"] is None  # 0 and 0: no share, not 0 %
    assert {s["snapshot_id"].split("@")[0] for s in out["sources"]} == {"ref:papers/published",
                                                                      "ref:article"}
    assert all(s["data_date"] and s["basis"] == "published" for s in out["sources"])
    assert out["hint"]
    bad = run_cli("research", "--db", str(db), "--venue", "nowhere")
    assert bad.code == 2 and "unknown venue" in bad.err
