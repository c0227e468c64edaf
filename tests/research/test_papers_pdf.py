"""A folder of generated PDFs and texts plus a metadata file: extraction in worker processes,
the text cache, unreadable PDFs as item-level problems, text-based research rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_cli

BODY = "We study deep networks for vision. " * 30

PAPERS = {  # id: (sentence inserted into the generated paper, frameworks expected)
    "p01": ("Our implementation uses PyTorch and torchvision.", ["pytorch"]),
    "p02": ("All models are trained with TensorFlow 1.15.", ["tensorflow"]),
    "p03": ("We use JAX with Flax and Optax on TPUs.", ["jax"]),
    "p04": ("Code in MXNet (GluonCV).", ["mxnet"]),
    "p05": ("Baselines in PyTorch; our model in TensorFlow.", ["pytorch", "tensorflow"]),
    "p06": ("A haiku about gradient descent opens this paper.", []),
    "p07": ("Implemented in Keras.", ["tensorflow"]),
    "p08": ("Haiku networks from DeepMind.", ["jax"]),
    "p09": ("Nothing about software here.", []),
}


def _pdf(path: Path, sentence: str, pages: int = 2) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for i in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 6, BODY, new_x="LMARGIN", new_y="NEXT")
        if i == pages - 1:
            pdf.multi_cell(0, 6, sentence, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


@pytest.fixture
def paper_folder(tmp_path: Path) -> tuple[Path, Path]:
    d = tmp_path / "pdfs"
    d.mkdir()
    rows = []
    for pid, (sentence, _) in PAPERS.items():
        if pid == "p09":
            (d / f"{pid}.txt").write_text(BODY + sentence, "utf-8")
        else:
            _pdf(d / f"{pid}.pdf", sentence)
        rows.append({"id": pid, "title": f"Title {pid}", "authors": "Ann Lee; Bo Chen",
                     "venue": "NeurIPS", "year": "2021"})
    (d / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    rows.append({"id": "broken", "title": "Broken", "authors": "X", "venue": "nips",
                 "year": "2021"})
    rows.append({"id": "absent", "title": "No file", "authors": "Y", "venue": "nips",
                 "year": "2021"})
    rows.append({"id": "noyear", "title": "No year", "authors": "Z", "venue": "nips",
                 "year": ""})
    (d / "stray.pdf").write_bytes(b"%PDF-1.4\n")
    meta = tmp_path / "meta.csv"
    with meta.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["id", "title", "authors", "venue", "year"])
        w.writeheader()
        w.writerows(rows)
    return d, meta


def _frameworks(db: Path) -> dict[str, list[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {pid: list(fws) for pid, fws in con.execute(
            "SELECT paper_id, frameworks FROM papers").fetchall()}
    finally:
        con.close()


def test_folder_ingest_in_worker_processes(db: Path, tmp_path: Path,
                                           paper_folder: tuple[Path, Path]) -> None:
    folder, meta = paper_folder
    cache = tmp_path / "cache"
    run = run_cli("ingest", "papers", str(folder), "--metadata", str(meta), "--db", str(db),
                  "--json", env={"FWATLAS_CACHE": str(cache), "FWATLAS_WORKERS": "2"})
    assert run.code == 0, run.err
    out = run.json()
    (snap,) = out["created"]
    assert snap["dataset"] == "papers/neurips_2021"
    assert snap["rows"] == len(PAPERS)
    items = "\n".join(out["skipped_items"])
    assert out["skipped"] == 3
    assert "broken.pdf: unreadable" in items
    assert "(absent): no file absent.pdf or absent.txt" in items
    assert "no year" in items
    assert "stray.pdf (not in the metadata)" in out["ignored"]
    assert _frameworks(db) == {pid: fws for pid, (_, fws) in PAPERS.items()}
    # the cache holds one text per extracted PDF (8 generated PDFs; the broken one failed)
    assert len(list(cache.rglob("*.txt"))) == 8

    research = run_cli("research", "--db", str(db), "--venue", "neurips", "--from", "2021",
                       "--json").json()
    (row,) = [r for r in research["rows"] if r["basis"] == "computed"]
    assert row["evidence"] == "text"
    expected = [fws for _, fws in PAPERS.values()]
    assert row["pytorch_only"] == sum(1 for f in expected if "pytorch" in f
                                      and "tensorflow" not in f)
    assert row["tensorflow_only"] == sum(1 for f in expected if "tensorflow" in f
                                         and "pytorch" not in f)
    assert row["both"] == 1
    assert row["jax"] == 2
    assert row["none"] == 2


def test_rerun_reads_the_cache_instead_of_extracting(tmp_path: Path,
                                                     paper_folder: tuple[Path, Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from fwatlas.ingestion import ingest
    from fwatlas.sources import papers_pdf

    folder, meta = paper_folder
    monkeypatch.setenv("FWATLAS_CACHE", str(tmp_path / "cache"))
    first = ingest("papers", folder, db=tmp_path / "a.duckdb", metadata=meta, workers=1)
    assert first.created[0].rows == len(PAPERS)

    def no_extraction(path: Path) -> tuple[str, int]:
        raise AssertionError(f"extracted {path} again")

    monkeypatch.setattr(papers_pdf, "extract_pdf_text", no_extraction)
    second = ingest("papers", folder, db=tmp_path / "b.duckdb", metadata=meta, workers=1)
    assert second.created[0].rows == len(PAPERS)
    assert _frameworks(tmp_path / "b.duckdb") == _frameworks(tmp_path / "a.duckdb")
    # the broken PDF is not cached: it fails again (through the patched extractor), item-level
    assert any("broken.pdf" in i for i in second.skipped_items)


def test_json_metadata_with_author_lists(db: Path, tmp_path: Path) -> None:
    d = tmp_path / "texts"
    d.mkdir()
    (d / "a.txt").write_text("Experiments use PaddlePaddle.")
    (d / "b.txt").write_text("We rely on pytorch.")
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps([
        {"id": "a", "title": "A", "authors": ["Li Wei"], "venue": "ICML", "year": 2024},
        {"id": "b", "title": "B", "authors": ["Li  Wei"], "venue": "ICML", "year": 2024},
    ]))
    run = run_cli("ingest", "papers", str(d), "--metadata", str(meta), "--db", str(db),
                  "--json")
    assert run.code == 0, run.err
    assert run.json()["created"][0]["dataset"] == "papers/icml_2024"
    assert _frameworks(db) == {"a": ["paddle"], "b": ["pytorch"]}
