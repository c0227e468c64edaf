"""A store with evidence of every kind a read command shows, for the tests that run every read
command (the 80-column fit, the --json envelope).

Real files from ../shared/data (their trimmed stand-ins under tests/data where ../shared is
absent), the hostile Hub dump and papers the report tests write, two Hub snapshots (so
``compare`` compares two ingests) and the recorded registry answers of the signals tests.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import zipfile
from pathlib import Path

from tests.conftest import ROOT, run_cli, shared_path
from tests.report.helpers import MODELS, build_store, hub_records, write_hub_dump

AS_OF = "2026-11-01"


def _data(folder: str, file: str, sample: str | None = None) -> Path:
    return shared_path("data", folder, file, sample=f"{folder}/{sample}" if sample else None)


#: a Papers with Code links dump: (arXiv month, framework, repositories)
PWC = [(f"{yy:02d}{mm:02d}", fw, n) for yy in (18, 19, 20, 21) for mm in (2, 5, 8, 11)
       for fw, n in (("pytorch", 30 + 40 * (yy - 18)), ("tf", 60 - 10 * (yy - 18)),
                     ("jax", yy - 17), ("mxnet", 2), ("none", 5))]
#: scanned archives: (name, date, the import their code makes)
ARCHIVES = [("torch-a", (2024, 2, 1), "torch"), ("torch-b", (2024, 5, 1), "torch"),
            ("tf-a", (2024, 2, 9), "tensorflow"), ("jax-a", (2024, 8, 3), "jax"),
            ("keras-a", (2024, 4, 4), "keras")]


def _pwc_dump(path: Path) -> Path:
    links = [{"paper_url": f"https://paperswithcode.com/paper/p{month}-{fw}-{i}",
              "paper_title": f"Paper {month} {i}", "paper_arxiv_id": f"{month}.{10000 + i:05d}",
              "paper_url_abs": None, "paper_url_pdf": None,
              "repo_url": f"https://github.com/u/{month}-{fw}-{i}", "is_official": i % 2 == 0,
              "mentioned_in_paper": True, "mentioned_in_github": True, "framework": fw}
             for month, fw, n in PWC for i in range(n)]
    path.write_bytes(gzip.compress(json.dumps(links).encode(), mtime=0))
    return path


def _archives(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, day, module in ARCHIVES:
        path = folder / f"{name}.zip"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr(zipfile.ZipInfo(f"{name}/model.py", (*day, 12, 0, 0)),
                       f"import {module}\n")
        out.append(path)
    return out


def build_full_store(tmp: Path) -> Path:
    """Hub ×2, papers, PyPI downloads, jobs, Q&A, GitHub stars, the package registries, a
    Papers with Code dump and scanned repositories."""
    from fwatlas.ingestion import ingest

    db = build_store(tmp, papers=True)
    later = hub_records([*MODELS, ("org/new-keras", ["keras", "tf-keras"], 12, "fill-mask")])
    ingest("hub", write_hub_dump(tmp / "models-later.jsonl", later), db=db,
           data_date=dt.date(2026, 10, 1))
    inputs: list[tuple[str, Path]] = [
        ("pypi-downloads",
         _data("pypi_downloads_monthly", "pypi_framework_downloads_2018-2026.csv")),
        ("jobs",
         _data("hn_whoishiring_terms", "hn_whoishiring_terms_monthly_2011-04_to_2024-05.csv")),
        ("qa", _data("dsse_questions", "all_questions_2014-05_to_2024-08.csv",
                     "all_questions_2014-05_to_2024-08.every10th.csv")),
        ("github", _data("github_stars_dl_frameworks_daily",
                         "repositories_2021-09-30_to_2023-09-18.tsv",
                         "repositories_2021-09-30_to_2023-09-18.every10thday.tsv")),
    ]
    registry = ROOT / "tests/signals/fixtures/registry"
    if registry.is_dir():
        inputs.append(("registry", registry))
    for kind, path in inputs:
        ingest(kind, path, db=db)
    ingest("pwc", _pwc_dump(tmp / "links-between-papers-and-code.json.gz"), db=db)
    scan = run_cli("scan", *map(str, _archives(tmp / "archives")), "--db", str(db),
                   "--workers", "1", "--data-date", AS_OF)
    assert scan.code == 0, scan.err
    return db


#: every read command (with the arguments it needs on the store above); `report` writes a
#: document and is tested by the report tests
READ_COMMANDS: dict[str, list[str]] = {
    "status": ["status", "--as-of", AS_OF],
    "snapshots": ["snapshots"],
    "research": ["research"],
    "availability": ["availability"],
    "model": ["model", "org/pt-jax"],
    "migration": ["migration"],
    "trends pwc": ["trends", "pwc"],
    "trends repos": ["trends", "repos"],
    "deploy-matrix": ["deploy-matrix"],
    "kb list": ["kb", "list", "--as-of", AS_OF],
    "kb show": ["kb", "show", "torchserve", "--as-of", AS_OF],
    "kb changes": ["kb", "changes", "--as-of", AS_OF],
    "signals": ["signals"],
    "vitality": ["vitality", "--as-of", AS_OF],
    "support": ["support"],
    "compare": ["compare", "--old", "s1", "--new", "s3"],
    "facts": ["facts"],
    "verdict": ["verdict", "--as-of", AS_OF],
    "advise": ["advise", "--persona", "industry", "--as-of", AS_OF],
    "coverage": ["coverage"],
    "probe results": ["probe", "results"],
}
