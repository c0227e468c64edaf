"""Small, real-format evidence files the report, web and browser tests build themselves.

A Hub dump in the ``list_models`` JSON Lines layout (``modelId``, ``tags``, ``siblings``,
``downloads``, ``pipeline_tag``, ``lastModified``) and a conference-paper file in the tracker's
``<venue>_<year>.json`` layout – with hostile strings where a test needs them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
HOSTILE = (SCRIPT, IMG)

#: (id, tags, downloads, task): a known mix of exclusive and shared models
MODELS: list[tuple[str, list[str], int, str | None]] = [
    ("org/pt-only-a", ["pytorch", "transformers"], 900, "fill-mask"),
    ("org/pt-only-b", ["pytorch"], 50, "text-classification"),
    ("org/pt-only-c", ["pytorch"], 10, "text-classification"),
    ("org/tf-only", ["tf"], 400, "fill-mask"),
    ("org/pt-tf", ["pytorch", "tf"], 5000, "fill-mask"),
    ("org/pt-jax", ["pytorch", "jax"], 70, "text-generation"),
    ("org/all-three", ["pytorch", "tensorflow", "flax"], 3000, "text-generation"),
    ("org/jax-only", ["jax"], 5, None),
    ("org/none-a", ["transformers"], 1, None),
    ("org/none-b", [], 0, "translation"),
    (f"evil/{SCRIPT}", ["pytorch"], 8000, "fill-mask"),
    (f"evil/x{IMG}", ["tf", "pytorch"], 7000, SCRIPT),
]


def hub_records(models: list[tuple[str, list[str], int, str | None]] | None = None
                ) -> list[dict[str, Any]]:
    out = []
    for i, (mid, tags, downloads, task) in enumerate(models or MODELS):
        out.append({"modelId": mid, "tags": tags, "siblings": [{"rfilename": "README.md"}],
                    "downloads": downloads, "pipeline_tag": task, "likes": i,
                    "lastModified": f"202{i % 3 + 1}-0{i % 9 + 1}-15T10:00:00.000Z"})
    return out


def write_hub_dump(path: Path, records: list[dict[str, Any]] | None = None) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in (records or hub_records())) + "\n",
                    encoding="utf-8")
    return path


def write_papers(folder: Path, venue: str = "iclr", year: int = 2019) -> Path:
    """A tracker-layout paper file with hostile titles and author names."""
    folder.mkdir(parents=True, exist_ok=True)
    papers = [
        {"authors": [f"Ann {SCRIPT}", "Bob"], "conference": venue, "id": "p1",
         "metadata": {"affiliation": [], "words": ["pytorch"]}, "name": f"Title {SCRIPT}",
         "pdf_link": "https://example.org/p1.pdf", "year": str(year)},
        {"authors": ["Bob", f"Eve {IMG}"], "conference": venue, "id": "p2",
         "metadata": {"affiliation": [], "words": ["tensorflow"]}, "name": f"Other {IMG}",
         "pdf_link": "https://example.org/p2.pdf", "year": str(year)},
        {"authors": ["Carl"], "conference": venue, "id": "p3",
         "metadata": {"affiliation": [], "words": ["pytorch", "tf"]}, "name": "Plain",
         "pdf_link": "https://example.org/p3.pdf", "year": str(year)},
    ]
    path = folder / f"{venue}_{year}.json"
    path.write_text(json.dumps(papers), encoding="utf-8")
    return path


def expected_tags_cells(records: list[dict[str, Any]]) -> dict[str, int]:
    """Independent oracle: Venn cells under the tags method (pytorch; tf/tensorflow; jax/flax)."""
    names = {"pytorch": {"pytorch"}, "tensorflow": {"tf", "tensorflow"},
             "jax": {"jax", "flax"}}
    cells: dict[str, int] = {}
    for r in records:
        tags = set(r["tags"])
        combo = "+".join(fw for fw in ("pytorch", "tensorflow", "jax") if tags & names[fw])
        cells[combo or "none"] = cells.get(combo or "none", 0) + 1
    return cells


def build_store(tmp_path: Path, *, papers: bool = False) -> Path:
    """A store with the hostile Hub dump (and, optionally, the hostile papers) ingested."""
    from fwatlas.ingestion import ingest

    db = tmp_path / "atlas.duckdb"
    ingest("hub", write_hub_dump(tmp_path / "models.jsonl"), db=db)
    if papers:
        ingest("papers", write_papers(tmp_path / "papers"), db=db)
    return db
