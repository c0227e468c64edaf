"""An input whose every record is bad is rejected whole, for every ingest kind and ``scan``.

Issue 15's worst silent loss: an ingest in which every item was skipped committed an empty
snapshot with exit 0, and that snapshot became the newest one – an edition's 621 papers read as
0. The rule is now one for every reader: records that cannot be read as the declared types
(wrong types, negative counts, bad years) are skipped items, and when nothing is left the
ingest is rejected whole – exit 2, one line, the store file byte for byte as it was.

Each case writes its own small file in the reader's real format with every record bad. The
test runs against a store that already holds one snapshot, so "unchanged" is a real check.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from fwatlas import kinds
from tests.conftest import run_cli
from tests.research.conftest import store_state


def _write(tmp: Path, name: str, body: str | bytes) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8")
    return path


def _jsonl(rows: list[object]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def _hub_jsonl(tmp: Path) -> list[str]:
    rows = [{"modelId": f"org/m{i}", "tags": ["pytorch"], "downloads": d,
             "lastModified": "2022-01-01T00:00:00.000Z"}
            for i, d in enumerate(["many", -5, [1], 1.5, True])]
    return ["hub", str(_write(tmp, "models.jsonl", _jsonl(rows)))]


def _hub_jsonl_gz(tmp: Path) -> list[str]:
    rows = [{"modelId": f"org/m{i}", "tags": "pytorch", "downloads": 1} for i in range(5)]
    return ["hub", str(_write(tmp, "models.jsonl.gz", gzip.compress(_jsonl(rows).encode())))]


def _hub_csv(tmp: Path) -> list[str]:
    body = ("modelId,tags,downloads,lastModified\n"
            "org/a,\"['pytorch']\",-5,2022-01-01T00:00:00Z\n"
            "org/b,\"['tf']\",many,2022-01-02T00:00:00Z\n"
            "org/c,oops\n")
    return ["hub", str(_write(tmp, "models.csv", body))]


def _hub_parquet(tmp: Path) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp / "models.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({
        "id": ["org/a", "org/b"], "tags": [["pytorch"], ["tf"]], "downloads": [-5, -7],
        "likes": [1, 2], "library_name": ["transformers", "keras"],
        "createdAt": ["2022-01-01T00:00:00Z", "2022-01-02T00:00:00Z"]}), path)
    return ["hub", str(path), "--data-date", "2022-02-01"]


def _paper(pid: str, **extra: object) -> dict[str, object]:
    return {"id": pid, "name": f"Paper {pid}", "authors": ["A. Author"], "conference": "icml",
            "year": 2019, "pdf_link": "x", "metadata": {"words": ["pt"]}, **extra}


def _papers_list(tmp: Path) -> list[str]:
    bad = [_paper("a", year="20l9"), _paper("b", year=-2019), _paper("c", authors="A. B"),
           _paper("d", metadata={"words": "pt tf"}), _paper("", year=2019)]
    return ["papers", str(_write(tmp, "icml_2019.json", json.dumps(bad)))]


def _papers_published(tmp: Path) -> list[str]:
    # the first row must be well-formed to be recognised as this table; bad counts after it
    body = "ICML,06/19,-1,2,10\nNeurIPS,12/19,x,2,10\nICLR,05/20,9,9,10\n"
    return ["papers", str(_write(tmp, "published_counts.csv", body))]


def _papers_metadata(tmp: Path) -> list[str]:
    folder = tmp / "pdfs"
    _write(folder, "p1.txt", "We use PyTorch.")
    _write(folder, "p2.txt", "We use JAX.")
    meta = _write(tmp, "meta.csv", "id,title,authors,venue,year\n"
                                   "p1,A,A. B,icml,20l9\np2,B,C. D,icml,-5\n")
    return ["papers", str(folder), "--metadata", str(meta)]


def _pwc_links(tmp: Path) -> list[str]:
    base_rec = {"paper_title": "A", "paper_arxiv_id": "1901.00001", "is_official": True,
                "mentioned_in_paper": True, "mentioned_in_github": False,
                "framework": "pytorch"}
    rows = [{**base_rec, "paper_url": ["https://paperswithcode.com/paper/a"],
             "repo_url": "https://github.com/a/a"},
            {**base_rec, "paper_url": "https://paperswithcode.com/paper/b",
             "repo_url": {"url": "https://github.com/b/b"}},
            {**base_rec, "paper_url": "https://paperswithcode.com/paper/c",
             "repo_url": "https://github.com/c/c", "is_official": "yes"}]
    return ["pwc", str(_write(tmp, "links.json", json.dumps(rows)))]


def _pypi_dump(tmp: Path) -> list[str]:
    doc = {"last_update": "2024-01-01 00:00:00",
           "rows": [{"project": "torch", "download_count": -5},
                    {"project": "keras", "download_count": "many"},
                    {"project": ["jax"], "download_count": 5}]}
    return ["pypi-downloads", str(_write(tmp, "top-pypi-packages-30-days.json",
                                          json.dumps(doc)))]


def _pypi_series(tmp: Path) -> list[str]:
    body = ("last_update,window,project,download_count\n2024-01-01,30d,torch,-5\n"
            "2024-01-01,30d,jax,many\n2024-13-45,30d,keras,5\n")
    return ["pypi-downloads", str(_write(tmp, "series.csv", body))]


def _github_daily(tmp: Path) -> list[str]:
    body = ("timestamp\tname\tstargazers\n2022-01-01\tjax\t-5\n2022-01-02\tjax\tmany\n"
            "2022-13-45\tjax\t5\n")
    return ["github", str(_write(tmp, "stars.tsv", body))]


def _github_best_of(tmp: Path) -> list[str]:
    body = ("name,github_id,stargazers_count,category\n"
            "torch,pytorch/pytorch,-5,ml\njax,google/jax,many,ml\n")
    return ["github", str(_write(tmp, "2024-01-01_projects.csv", body))]


def _jobs_sites(tmp: Path) -> list[str]:
    body = ("date,site,framework,postings\n2024-01,a.example,pytorch,-5\n"
            "2024-01,b.example,jax,many\n2024-13,c.example,tensorflow,5\n")
    return ["jobs", str(_write(tmp, "sites.csv", body)), "--data-date", "2024-02-01"]


def _jobs_hn(tmp: Path) -> list[str]:
    body = ("month,term,count,num_comments\n2020-01,pytorch,-5,400\n2020-01,tensorflow,x,400\n"
            "2020-13,keras,2,380\n")
    return ["jobs", str(_write(tmp, "hn.csv", body))]


def _qa_counts(tmp: Path) -> list[str]:
    body = ("Date,Pytorch_Question_Count,Tensorflow_Question_Count\n2018,-100,x\n"
            "20l9,300,1000\n")
    return ["qa", str(_write(tmp, "frameworks_questions_count.csv", body)),
            "--data-date", "2020-06-01"]


def _qa_dump(tmp: Path) -> list[str]:
    body = ("Id,CreationDate,Tags\n1,yesterday,<keras>\n2,2019-13-45T11:00:00,<pytorch>\n"
            "3,,<jax>\n")
    return ["qa", str(_write(tmp, "questions.csv", body))]


def _registry_doc(doc: object) -> str:
    return json.dumps(doc)


def _registry_folder(tmp: Path) -> list[str]:
    folder = tmp / "reg"
    _write(folder, "pypi/torch.json", _registry_doc({"info": "torch", "releases": []}))
    _write(folder, "pypi/jax.json", _registry_doc(
        {"info": {"name": "jax", "version": 2}, "releases": {"1": "x"}}))
    manifest = {"packages": [
        {"registry": "pypi", "package": "torch", "file": "pypi/torch.json", "status": 200,
         "fetched_at": "2024-01-01T00:00:00Z"},
        {"registry": "pypi", "package": "jax", "file": "pypi/jax.json", "status": 200,
         "fetched_at": "2024-01-01T00:00:00Z"},
        {"registry": "pypi", "package": "keras", "file": "../../etc/passwd", "status": 200,
         "fetched_at": "2024-01-01T00:00:00Z"}]}
    _write(folder, "manifest.json", json.dumps(manifest))
    return ["registry", str(folder)]


def _paper_code_csv(tmp: Path) -> list[str]:
    body = ("venue,year,title,repo_url\nicml,20l9,A,https://github.com/a/a\n"
            "icml,-2019,B,https://github.com/b/b\nicml,2019,C,not a repository\n")
    return ["paper-code", str(_write(tmp, "links.csv", body))]


def _paper_code_copilot(tmp: Path) -> list[str]:
    rows = [{"title": "A", "github": ["https://github.com/a/a"]},
            {"title": "B", "github": 5}, {"title": "C", "github": "nowhere"}]
    return ["paper-code", str(_write(tmp, "cvpr2024.json", json.dumps(rows)))]


def _coverage(tmp: Path) -> list[str]:
    body = ("version,wheel_build_date,n_arch_any,n_pytorch,n_tensorflow,n_flax,wheel,sha256\n"
            "4.0.0,2020-01-01,-5,1,1,1,w.whl,ab\n4.1.0,2020-13-45,10,5,5,5,w.whl,ab\n"
            "4.2.0,2020-03-01,many,5,5,5,w.whl,ab\n")
    return ["coverage", str(_write(tmp, "transformers_coverage.csv", body))]


def _probe(tmp: Path) -> list[str]:
    rec = {"path": "onnx", "model": "m", "size": "s", "ok": "yes", "supported": True,
           "stage": None, "error": None, "export_s": 1.0, "artifact_bytes": -5,
           "latency_ms": 1.0, "latency_p10_ms": 1.0, "latency_p90_ms": 1.0,
           "source_latency_ms": 1.0, "max_abs_diff": 0.0, "versions": {}, "machine": {}}
    rows = [rec, {**rec, "ok": True, "artifact_bytes": -5}, {**rec, "ok": True, "path": 5}]
    return ["probe", str(_write(tmp, "results.jsonl", _jsonl(rows)))]


def _zip_without_code(tmp: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("README.md", "nothing to scan")
    return buf.getvalue()


def _repos(tmp: Path) -> list[str]:
    _write(tmp, "repos/broken.zip", b"PK\x03\x04 not really a zip")
    _write(tmp, "repos/empty.zip", _zip_without_code(tmp))
    return ["repos", str(tmp / "repos" / "broken.zip")]


#: case -> a builder returning the arguments after ``fwatlas ingest`` (or ``scan``)
CASES: dict[str, Callable[[Path], list[str]]] = {
    "hub jsonl": _hub_jsonl,
    "hub jsonl.gz": _hub_jsonl_gz,
    "hub csv": _hub_csv,
    "hub parquet": _hub_parquet,
    "papers list": _papers_list,
    "papers published counts": _papers_published,
    "papers --metadata": _papers_metadata,
    "pwc links": _pwc_links,
    "pypi-downloads dump": _pypi_dump,
    "pypi-downloads series": _pypi_series,
    "github daily stars": _github_daily,
    "github best-of projects": _github_best_of,
    "jobs sites": _jobs_sites,
    "jobs hn terms": _jobs_hn,
    "qa counts": _qa_counts,
    "qa dump": _qa_dump,
    "registry folder": _registry_folder,
    "paper-code csv": _paper_code_csv,
    "paper-code copilot": _paper_code_copilot,
    "coverage csv": _coverage,
    "probe results": _probe,
    "repos": _repos,
}


def test_every_ingest_kind_has_a_case() -> None:
    """A kind added to the registry without a case here fails, so the rule stays checked."""
    covered = {name.split()[0] for name in CASES}
    assert set(kinds.KINDS) <= covered, set(kinds.KINDS) - covered


def _fingerprint(db: Path) -> tuple[str, object]:
    return hashlib.sha256(db.read_bytes()).hexdigest(), store_state(db)


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A store that already holds one snapshot (so "unchanged" can fail)."""
    db = tmp_path / "store.duckdb"
    seed = tmp_path / "seed" / "stars.tsv"
    seed.parent.mkdir()
    seed.write_text("timestamp\tname\tstargazers\n2022-01-01\tjax\t5\n")
    assert run_cli("ingest", "github", str(seed), "--db", str(db)).code == 0
    return db


def _assert_rejected_whole(args: list[str], db: Path) -> None:
    before = _fingerprint(db)
    run = run_cli(*args, "--db", str(db))
    assert run.code == 2, (run.code, run.out[-1000:], run.err[-2000:])
    assert "Traceback" not in run.err
    lines = [line for line in run.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("fwatlas: error: "), run.err
    assert _fingerprint(db) == before, "a rejected ingest changed the store file"


@pytest.mark.parametrize("case", list(CASES))
def test_an_input_whose_every_record_is_bad_is_rejected_whole(case: str, tmp_path: Path,
                                                              seeded: Path) -> None:
    _assert_rejected_whole(["ingest", *CASES[case](tmp_path / "in")], seeded)


def test_a_scan_where_every_input_is_bad_is_rejected_whole(tmp_path: Path,
                                                           seeded: Path) -> None:
    broken = _write(tmp_path, "in/broken.zip", b"PK\x03\x04 not really a zip")
    empty = _write(tmp_path, "in/empty.zip", _zip_without_code(tmp_path))
    _assert_rejected_whole(["scan", str(broken), str(empty), "--workers", "1"], seeded)
