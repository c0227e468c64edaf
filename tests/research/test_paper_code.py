"""Paper → code links and the code rows of `research`: inputs in their real formats written
here, a small made-up venue whose shares and intervals are computed here independently, and the
bundled sample rows recomputed from the shared data set with the standard library."""

from __future__ import annotations

import csv
import gzip
import json
import math
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import run_cli, shared_path
from tests.research.conftest import store_state


def _wilson(k: int, n: int) -> tuple[float, float]:
    z = 1.959963984540054
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def _csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["venue", "year", "title", "repo_url"])
        w.writerows(rows)
    return path


def _snapshots(db: Path) -> list[dict]:
    run = run_cli("snapshots", "--kind", "paper-code", "--json", "--db", str(db))
    assert run.code == 0, run.err
    return [s for s in run.json()["rows"] if not s["snapshot_id"].startswith("ref:")]


def test_csv_links_one_snapshot_per_edition_repeats_once_bad_records_skipped(tmp_path, db):
    path = _csv(tmp_path / "links.csv", [
        ("CVPR", "2024", "A", "https://github.com/alice/a"),
        ("cvpr", "2024", "A", "https://github.com/alice/a.git"),  # the same link again
        ("cvpr", "2024", "B", "bob/b"),
        ("cvpr", "2024", "C", "https://gitlab.com/c/c"),  # not a GitHub repository
        ("cvpr", "2024", "D", ""),
        ("iccv", "2023", "E", "https://github.com/eve/e/tree/main/src"),
    ])
    run = run_cli("ingest", "paper-code", str(path), "--db", str(db), "--json",
                  "--data-date", "2026-12-01")
    assert run.code == 0, run.err
    created = {s["dataset"]: s for s in run.json()["created"]}
    assert set(created) == {"paper-code/cvpr_2024", "paper-code/iccv_2023"}
    assert created["paper-code/cvpr_2024"]["rows"] == 2
    assert created["paper-code/iccv_2023"]["rows"] == 1
    assert run.json()["skipped"] == 2
    again = run_cli("ingest", "paper-code", str(path), "--db", str(db), "--json")
    assert again.code == 0 and not again.json()["created"]
    assert len(_snapshots(db)) == 2


def test_paper_copilot_list_and_pwc_dump(tmp_path, db):
    copilot = tmp_path / "wacv2025.json"
    copilot.write_text(json.dumps([
        {"title": "P1", "author": "x", "status": "Poster", "site": "", "github":
         "https://github.com/o1/r1"},
        {"title": "P2", "author": "y", "status": "Poster", "site": "", "github": ""},
        {"title": "P3", "author": "z", "status": "Oral", "site": "",
         "github": "https://github.com/o3/r3; https://github.com/o3/extra"},
    ]), encoding="utf-8")
    run = run_cli("ingest", "paper-code", str(copilot), "--db", str(db), "--json")
    assert run.code == 0, run.err
    [made] = run.json()["created"]
    assert made["dataset"] == "paper-code/wacv_2025" and made["rows"] == 2
    assert run.json()["skipped"] == 1
    dump = tmp_path / "links-between-papers-and-code.json.gz"
    dump.write_bytes(gzip.compress(json.dumps([
        {"paper_url": "u1", "paper_title": "T1", "paper_arxiv_id": "2203.01234",
         "repo_url": "https://github.com/p/one", "is_official": True, "framework": "pytorch"},
        {"paper_url": "u2", "paper_title": "T2", "paper_arxiv_id": "2301.01234",
         "repo_url": "https://github.com/p/two", "is_official": False, "framework": "tf"},
        {"paper_url": "u3", "paper_title": "T3", "paper_arxiv_id": None,
         "repo_url": "https://github.com/p/three", "is_official": True, "framework": "none"},
    ]).encode(), mtime=0))
    run = run_cli("ingest", "paper-code", str(dump), "--db", str(db), "--json",
                  "--data-date", "2025-07-24")
    assert run.code == 0, run.err
    [made] = run.json()["created"]
    assert made["dataset"] == "paper-code/pwc_2022" and made["rows"] == 1
    assert run.json()["skipped"] == 1  # the undated official link


@pytest.mark.parametrize("name, body", [
    ("cvpr2024.json", '{"title": "not a list"}'),
    ("cvpr2024.json", '[{"title": "no github field"}]'),
    ("cvpr2024.json", '[{"title": "x", "github": "https://github.com/a/b"}'),  # truncated
    ("papers.json", '[{"title": "x", "github": "https://github.com/a/b"}]'),  # no venue/year
    ("links.csv", "title,url\nx,https://github.com/a/b\n"),
    ("links.csv", "venue,year,title,repo_url\n"),
    ("links.csv", "venue,year,title,repo_url\ncvpr,2024,x,not a repo url at all\n"),
])
def test_not_such_a_list_is_rejected_whole_and_the_store_is_unchanged(tmp_path, db, name, body):
    good = _csv(tmp_path / "good.csv", [("cvpr", "2023", "A", "a/b")])
    assert run_cli("ingest", "paper-code", str(good), "--db", str(db)).code == 0
    before = store_state(db)
    bad = tmp_path / name
    bad.write_text(body, encoding="utf-8")
    run = run_cli("ingest", "paper-code", str(bad), "--db", str(db))
    assert run.code == 2, (run.out, run.err)
    assert run.err.startswith("fwatlas: error:") and len(run.err.strip().splitlines()) == 1
    assert store_state(db) == before


def _repo(root: Path, name: str, files: dict[str, str]) -> Path:
    d = root / name
    for rel, text in files.items():
        (d / rel).parent.mkdir(parents=True, exist_ok=True)
        (d / rel).write_text(text, encoding="utf-8")
    return d


def test_code_rows_of_a_made_up_venue_match_an_independent_count(tmp_path, db):
    torch_code = "import torch\nimport torch.nn as nn\n\nclass M(nn.Module):\n    pass\n"
    jax_code = "import jax\nimport jax.numpy as jnp\n\nx = jnp.ones(3)\n"
    plain_code = "import numpy as np\n\nx = np.ones(3)\n"
    plan = {"pt1": torch_code, "pt2": torch_code, "pt3": torch_code, "jx1": jax_code,
            "plain1": plain_code, "readme1": None}
    dirs, mapping = [], [("path", "url")]
    for name, code in plan.items():
        files = {"README.md": "# paper\n"} if code is None else {
            "train.py": code, "requirements.txt": "numpy\n"}
        d = _repo(tmp_path / "repos", name, files)
        dirs.append(str(d))
        mapping.append((str(d), f"https://github.com/lab/{name}"))
    urls = tmp_path / "urls.csv"
    with urls.open("w", newline="") as f:
        csv.writer(f).writerows(mapping)
    scan = run_cli("scan", *dirs, "--urls", str(urls), "--workers", "1", "--json", "--db",
                   str(db), "--data-date", "2026-12-01")
    assert scan.code == 0, scan.err
    # a README-only repository has no scannable file: a listed skip, never a stored row
    assert [s.split(":")[0] for s in scan.json()["skipped"]] == [dirs[-1]]
    links = _csv(tmp_path / "toyconf.csv",
                 [("toyconf", "2024", f"Paper {n}", f"lab/{n}") for n in plan]
                 + [("toyconf", "2024", "Unscanned", "lab/not-scanned")])
    assert run_cli("ingest", "paper-code", str(links), "--db", str(db),
                   "--data-date", "2026-12-01").code == 0
    run = run_cli("research", "--evidence", "code", "--venue", "toyconf", "--json",
                  "--db", str(db))
    assert run.code == 0, run.err
    [row] = [r for r in run.json()["rows"] if r["venue"] == "toyconf"]
    # by hand: 5 stored (the README-only one is not), 1 with code of no framework (none),
    # 4 with a framework: 3 PyTorch, 1 JAX
    assert (row["repositories"], row["none"], row["n"]) == (5, 1, 4)
    assert (row["pytorch"], row["jax"], row["tensorflow"], row["multi"]) == (3, 1, 0, 0)
    assert row["pytorch_share"] == pytest.approx(3 / 4)
    assert row["jax_share"] == pytest.approx(1 / 4)
    assert row["pytorch_share_ci95"] == pytest.approx(list(_wilson(3, 4)))
    assert row["tensorflow_share_ci95"] == pytest.approx(list(_wilson(0, 4)))
    assert row["evidence"] == "code" and row["sample"] is None and row["links"] == 7
    assert "2 linked repositories are not scanned" in run.json()["code_hint"]
    kinds = {s["kind"] for s in run.json()["sources"]}
    assert {"paper-code", "repos"} <= kinds


def _oracle_sample() -> dict[tuple[str, int], Counter]:
    out: dict[tuple[str, int], Counter] = {}
    path = shared_path("data", "paper_code_2022_2025", "repo_scans.csv")
    with path.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["sample"] != "random" or r["status"] == "not_fetchable":
                continue
            label = "none" if r["status"] == "empty" else r["fwatlas_primary"]
            out.setdefault((r["venue"], int(r["year"])), Counter())[label] += 1
    return out


def test_the_bundled_sample_rows_are_present_in_a_fresh_store(db):
    run = run_cli("research", "--evidence", "code", "--json", "--db", str(db))
    assert run.code == 0, run.err
    rows = {(r["venue"], r["year"]): r for r in run.json()["rows"] if r["venue"] != "all"}
    oracle = _oracle_sample()
    assert set(rows) == set(oracle) and len(oracle) == 10
    for key, counts in oracle.items():
        r = rows[key]
        assert r["repositories"] == sum(counts.values())
        with_fw = sum(v for k, v in counts.items() if k != "none")
        assert r["n"] == with_fw
        assert r["pytorch"] == counts["pytorch"]
        assert r["pytorch_share"] == pytest.approx(counts["pytorch"] / with_fw)
        assert r["pytorch_share_ci95"] == pytest.approx(list(_wilson(counts["pytorch"],
                                                                       with_fw)))
        assert "random sample of 30" in r["sample"] and r["basis"] == "computed"
    assert run.json()["sources"][0]["snapshot_id"].startswith("ref:paper-code/sample@")
    all_2024 = next(r for r in run.json()["rows"] if (r["venue"], r["year"]) == ("all", 2024))
    pt = sum(c["pytorch"] for (v, y), c in oracle.items() if y == 2024)
    n = sum(v for (_, y), c in oracle.items() if y == 2024 for k, v in c.items() if k != "none")
    assert all_2024["pytorch_share"] == pytest.approx(pt / n)


def test_evidence_text_keeps_the_paper_rows_and_a_bad_value_exits_2(db):
    text = run_cli("research", "--evidence", "text", "--json", "--db", str(db)).json()
    assert text["rows"] and {r["series"] for r in text["rows"]} == {"text"}
    both = run_cli("research", "--json", "--db", str(db)).json()
    assert {r["series"] for r in both["rows"]} == {"text", "code"}
    assert max(r["year"] for r in text["rows"]) == 2022
    bad = run_cli("research", "--evidence", "pdf", "--db", str(db))
    assert bad.code == 2 and "--evidence" in bad.err
