"""Papers with Code: small dumps written here in the real format (gzip, nulls, unknown values,
truncation), quarterly shares checked against a count done here with the standard library."""

from __future__ import annotations

import gzip
import json
import random
from collections import defaultdict
from pathlib import Path

import pytest

from fwatlas.analyses.pwc_trends import pwc_trends
from fwatlas.errors import InputError
from fwatlas.ingestion import ingest
from fwatlas.store.atlas import open_atlas
from tests.conftest import run_cli
from tests.research.conftest import store_state

FRAMEWORK_VALUES = ["pytorch", "tf", "jax", "mxnet", "none", None, "paddle", "caffe9"]
CATEGORY = {"pytorch": "pytorch", "tf": "tensorflow", "jax": "jax", "mxnet": "mxnet",
            "paddle": "paddle", "none": "none", None: "none"}


def _links(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        yy, mm = rng.choice([17, 18, 19, 20, 21]), rng.randint(1, 12)
        out.append({
            "paper_url": f"https://paperswithcode.com/paper/p{i % (n // 2)}",
            "paper_title": f"Paper {i}",
            "paper_arxiv_id": None if i % 97 == 0 else f"{yy:02d}{mm:02d}.{10000 + i:05d}",
            "paper_url_abs": f"https://arxiv.org/abs/{yy:02d}{mm:02d}.{10000 + i:05d}",
            "paper_url_pdf": None,
            "repo_url": f"https://github.com/u/r{rng.randint(0, n // 3)}",
            "is_official": rng.random() < 0.4,
            "mentioned_in_paper": rng.random() < 0.5,
            "mentioned_in_github": True,
            "framework": rng.choice(FRAMEWORK_VALUES),
        })
    return out


def _write(path: Path, links: list, *, indent: int | None = None) -> Path:
    path.write_bytes(gzip.compress(json.dumps(links, indent=indent).encode(), mtime=0))
    return path


def _oracle(links: list[dict], dates: dict[str, str] | None = None,
            official_only: bool = False) -> dict[str, dict[str, int]]:
    """quarter -> category -> repositories, as docs/research.md defines F5."""
    per: dict[tuple[str, str], set[str]] = defaultdict(set)
    for link in links:
        fw = link["framework"]
        if fw not in CATEGORY or (official_only and not link["is_official"]):
            continue
        date = (dates or {}).get(link["paper_url"])
        if date:
            year, month = int(date[:4]), int(date[5:7])
        elif link["paper_arxiv_id"]:
            year, month = 2000 + int(link["paper_arxiv_id"][:2]), int(link["paper_arxiv_id"][2:4])
        else:
            continue
        quarter = f"{year}-Q{(month - 1) // 3 + 1}"
        key = (quarter, link["repo_url"])
        per[key]  # noqa: B018 - a repository with only `none` still counts
        if CATEGORY[fw] != "none":
            per[key].add(CATEGORY[fw])
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (quarter, _), fws in per.items():
        cat = "none" if not fws else (next(iter(fws)) if len(fws) == 1 else "multi")
        out[quarter][cat] += 1
    return out


def _check(rows: list[dict], expected: dict[str, dict[str, int]]) -> None:
    rows = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
            for r in rows]
    assert [r["quarter"] for r in rows] == sorted(expected)
    for r in rows:
        exp = expected[r["quarter"]]
        total = sum(exp.values())
        assert r["repositories"] == total
        for cat in ("pytorch", "tensorflow", "jax", "mxnet", "paddle", "multi", "none"):
            assert r[cat] == exp.get(cat, 0), (r["quarter"], cat)
            assert r[f"{cat}_share"] == pytest.approx(exp.get(cat, 0) / total)
        assert r["keras"] is None and r["other"] is None  # the dump cannot show them


def test_quarterly_shares_match_an_independent_count(db: Path, tmp_path: Path) -> None:
    links = _links(4000)
    dump = _write(tmp_path / "links-between-papers-and-code.json.gz", links)
    run = run_cli("ingest", "pwc", str(dump), "--db", str(db), "--json")
    assert run.code == 0, run.err
    out = run.json()
    unknown = sum(1 for link in links if link["framework"] == "caffe9")
    assert out["skipped"] == unknown > 0
    assert all("unknown framework value 'caffe9'" in i for i in out["skipped_items"])
    assert out["created"][0]["rows"] == len(links) - unknown
    assert out["created"][0]["data_date"] == "2021-12-01"  # latest arXiv month in the dump
    trends = run_cli("trends", "pwc", "--db", str(db), "--json")
    assert trends.code == 0, trends.err
    got = trends.json()
    _check(got["rows"], _oracle(links))
    assert got["dump_date"] == "2021-12-01"
    assert got["sources"][0]["data_date"] == "2021-12-01"
    official = pwc_trends(open_atlas(db), official_only=True).as_dict()
    _check(official["rows"], _oracle(links, official_only=True))


def test_abstracts_dates_win_over_arxiv_months(db: Path, tmp_path: Path) -> None:
    links = _links(400, seed=3)
    folder = tmp_path / "dump"
    folder.mkdir()
    _write(folder / "links-between-papers-and-code.json.gz", links, indent=2)  # pretty-printed
    dates = {f"https://paperswithcode.com/paper/p{i}": f"2022-{i % 12 + 1:02d}-15"
             for i in range(0, 200, 2)}
    abstracts = [{"paper_url": u, "arxiv_id": None, "title": "t", "abstract": "a",
                  "date": d} for u, d in dates.items()] + [
        {"paper_url": "https://paperswithcode.com/paper/p1", "date": None}]
    _write(folder / "papers-with-abstracts.json.gz", abstracts)
    ingest("pwc", folder, db=db)
    got = pwc_trends(open_atlas(db)).as_dict()
    _check(got["rows"], _oracle(links, dates))


@pytest.fixture
def seeded(db: Path, tmp_path: Path) -> Path:
    ingest("pwc", _write(tmp_path / "seed.json.gz", _links(50)), db=db)
    return db


def _broken(tmp: Path, which: str) -> Path:
    path = tmp / f"{which.replace(' ', '-')}.json.gz"
    if which == "truncated gzip":  # cut inside the compressed stream, past the first links
        full = gzip.compress(json.dumps(_links(8000)).encode(), mtime=0)
        path.write_bytes(full[: len(full) // 2])
    elif which == "truncated json":  # a complete gzip of an unfinished array
        path.write_bytes(gzip.compress(json.dumps(_links(300)).encode()[:-40]))
    elif which == "missing framework":
        _write(path, [{"paper_url": "x", "repo_url": "y"}])
    elif which == "empty":
        _write(path, [])
    else:
        _write(path, [1, 2, 3])
    return path


@pytest.mark.parametrize("which", ["truncated gzip", "truncated json", "missing framework",
                                   "empty", "not objects"])
def test_broken_dump_is_rejected_and_leaves_the_store_unchanged(seeded: Path, tmp_path: Path,
                                                                which: str) -> None:
    path = _broken(tmp_path, which)
    before = store_state(seeded)
    with pytest.raises(InputError) as err:
        ingest("pwc", path, db=seeded)
    assert err.value.exit_code == 2
    assert str(err.value).startswith(str(path)) and "\n" not in str(err.value)
    assert store_state(seeded) == before


def test_a_truncated_gzip_exits_2_with_one_line(seeded: Path, tmp_path: Path) -> None:
    path = _broken(tmp_path, "truncated gzip")
    before = store_state(seeded)
    run = run_cli("ingest", "pwc", str(path), "--db", str(seeded))
    assert run.code == 2, (run.out, run.err)
    lines = [ln for ln in run.err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and str(path) in lines[0] and "truncated" in lines[0], run.err
    assert store_state(seeded) == before


def test_trends_without_a_dump_says_what_to_ingest(db: Path) -> None:
    run = run_cli("trends", "pwc", "--db", str(db), "--json")
    assert run.code == 0
    out = run.json()
    assert out["rows"] == [] and "fwatlas ingest pwc" in out["hint"]
    assert out["article_2022"]["pwc.share.pytorch.latest_quarter"]["value"] == 0.60
