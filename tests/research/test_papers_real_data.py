"""The real conference paper lists: per-venue counts and 2018→2019 author transitions against
oracles computed here with the standard library (nothing from fwatlas)."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_cli

# The tracker's words, mapped as docs/research.md states (bare `opennmt` names no framework).
PT_WORDS = {"pytorch", "pt", "torch", "allennlp", "fairseq", "opennmt-py"}
TF_WORDS = {"tensorflow", "tf", "opennmt-tf", "tensor2tensor", "keras"}


def _load(papers_dir: Path, name: str) -> list[dict]:
    return json.loads((papers_dir / name).read_text("utf-8"))


def _labels(paper: dict) -> set[str]:
    words = {w.lower() for w in (paper.get("metadata") or {}).get("words") or []}
    out = set()
    if words & PT_WORDS:
        out.add("pytorch")
    if words & TF_WORDS:
        out.add("tensorflow")
    return out


def _oracle_counts(papers: list[dict]) -> dict[str, int]:
    labels = [_labels(p) for p in papers]
    return {
        "papers": len(papers),
        "pytorch_only": sum(1 for s in labels if s == {"pytorch"}),
        "tensorflow_only": sum(1 for s in labels if s == {"tensorflow"}),
        "both": sum(1 for s in labels if s == {"pytorch", "tensorflow"}),
        "none": sum(1 for s in labels if not s),
    }


@pytest.fixture(scope="module")
def research_json(real_db: Path) -> dict:
    run = run_cli("research", "--db", str(real_db), "--json")
    assert run.code == 0, run.err
    return run.json()


@pytest.mark.parametrize("venue, year, file", [
    ("cvpr", 2018, "cvpr_2018.json"), ("iclr", 2019, "iclr_2019.json"),
    ("neurips", 2018, "nips_2018.json"), ("icml", 2019, "icml_2019.json"),
    ("acl", 2018, "acl_2018.json"),
])
def test_edition_counts_match_an_independent_count(research_json: dict, papers_dir: Path,
                                                   venue: str, year: int, file: str) -> None:
    rows = [r for r in research_json["rows"]
            if r["venue"] == venue and r["year"] == year and r["basis"] == "computed"]
    assert len(rows) == 1
    row = rows[0]
    expected = _oracle_counts(_load(papers_dir, file))
    assert {k: row[k] for k in expected} == expected
    assert row["evidence"] == "words"
    assert row["jax"] is None  # the tracker's words never looked for JAX
    pt, tf = expected["pytorch_only"], expected["tensorflow_only"]
    assert row["pytorch_share"] == pytest.approx(pt / (pt + tf))


def test_editions_without_words_have_null_counts_not_zeros(research_json: dict) -> None:
    for venue, year, papers in (("neurips", 2020, 1898), ("iclr", 2021, 3012),
                                ("icml", 2020, 1084)):
        (row,) = [r for r in research_json["rows"] if r["venue"] == venue
                  and r["year"] == year and r["basis"] == "computed"]
        assert row["papers"] == papers  # still counted for the venue's size
        assert row["evidence"] is None
        for k in ("pytorch_only", "tensorflow_only", "both", "jax", "none", "pytorch_share"):
            assert row[k] is None


def test_published_rows_are_shown_beside_computed_ones_never_summed(research_json: dict,
                                                                    papers_dir: Path) -> None:
    import csv

    published = {}
    for venue, mmyy, pt, tf, total in csv.reader(
            (papers_dir / "published_counts.csv").read_text().splitlines()):
        v = {"nips": "neurips"}.get(venue.lower(), venue.lower())
        published[(v, 2000 + int(mmyy.split("/")[1]))] = (int(pt), int(tf), int(total))
    rows = {(r["venue"], r["year"]): r for r in research_json["rows"]
            if r["basis"] == "published" and r["venue"] != "all"}
    assert set(rows) == set(published)
    for key, (pt, tf, total) in published.items():
        r = rows[key]
        assert (r["pytorch_only"], r["tensorflow_only"], r["papers"]) == (pt, tf, total)
        assert r["both"] is None and r["jax"] is None and r["none"] is None
        assert r["evidence"] == "published"
    # the 2019 aggregates: one per basis, each over its own venues only
    agg = {r["basis"]: r for r in research_json["rows"] if r["venue"] == "all"
           and r["year"] == 2019}
    assert set(agg) == {"computed", "published"}
    pub_2019 = [k for k in published if k[1] == 2019]
    assert agg["published"]["pytorch_only"] == sum(published[k][0] for k in pub_2019)
    assert sorted(agg["published"]["venues"]) == sorted(v for v, _ in pub_2019)
    # computed 2019 editions with words: aistats, cvpr, iclr, icml (acl, iccv, nips have none)
    assert agg["computed"]["venues"] == ["aistats", "cvpr", "iclr", "icml"]
    kinds = {s["basis"] for s in research_json["sources"]}
    assert kinds == {"computed", "published"}


def test_string_and_integer_years_both_read(real_db: Path, papers_dir: Path) -> None:
    # cvpr_2018 stores year as a string, icml_2018 as an integer
    assert isinstance(_load(papers_dir, "cvpr_2018.json")[0]["year"], str)
    assert isinstance(_load(papers_dir, "icml_2018.json")[0]["year"], int)
    con = duckdb.connect(str(real_db), read_only=True)
    got = dict(con.execute("SELECT venue, count(*) FROM papers WHERE year = 2018 "
                           "AND venue IN ('cvpr', 'icml') GROUP BY venue").fetchall())
    con.close()
    assert got == {"cvpr": 979, "icml": 621}


# --- migration 2018 -> 2019 ----------------------------------------------------------------------


def _norm(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).split())


def _oracle_migration(papers_dir: Path) -> tuple[Counter, dict]:
    labels: dict[int, dict[str, set[str]]] = {2018: defaultdict(set), 2019: defaultdict(set)}
    for f in sorted(papers_dir.glob("*_20*.json")):
        year = int(f.stem.rsplit("_", 1)[1])
        if year not in labels:
            continue
        for p in json.loads(f.read_text("utf-8")):
            fws = _labels(p)
            if not fws or int(p["year"]) != year:
                continue
            for a in p.get("authors") or []:
                if _norm(a):
                    labels[year][_norm(a)].update(fws)
    both = set(labels[2018]) & set(labels[2019])

    def name(s: set[str]) -> str:
        return "+".join(x for x in ("pytorch", "tensorflow") if x in s)

    transitions = Counter((name(labels[2018][a]), name(labels[2019][a])) for a in both)
    tf_only = [a for a in both if labels[2018][a] == {"tensorflow"}]
    pt_only = [a for a in both if labels[2018][a] == {"pytorch"}]
    numbers = {
        "authors": len(both),
        "tensorflow_to_pytorch": (sum("pytorch" in labels[2019][a] for a in tf_only),
                                  len(tf_only)),
        "pytorch_stayed": (sum("pytorch" in labels[2019][a] for a in pt_only), len(pt_only)),
    }
    return transitions, numbers


def test_migration_2018_2019_matches_an_independent_count(real_db: Path,
                                                          papers_dir: Path) -> None:
    run = run_cli("migration", "--from", "2018", "--to", "2019", "--db", str(real_db),
                  "--json")
    assert run.code == 0, run.err
    got = run.json()
    transitions, numbers = _oracle_migration(papers_dir)
    assert got["authors"] == numbers["authors"]
    assert {(r["source"], r["target"]): r["authors"] for r in got["rows"]} == dict(transitions)
    for key in ("tensorflow_to_pytorch", "pytorch_stayed"):
        hits, of = numbers[key]
        assert (got[key]["authors"], got[key]["of"]) == (hits, of)
        assert got[key]["value"] == pytest.approx(hits / of)
    per_source = Counter()
    for (s, _), n in transitions.items():
        per_source[s] += n
    for r in got["rows"]:
        assert r["fraction"] == pytest.approx(r["authors"] / per_source[r["source"]])
    # the Sankey: links point into nodes and carry the same counts
    nodes = {n["id"]: n for n in got["nodes"]}
    for link in got["links"]:
        s, t = nodes[link["source"]], nodes[link["target"]]
        assert (s["year"], t["year"]) == (2018, 2019)
        assert transitions[(s["label"], t["label"])] == link["value"]
    assert "neurips" in got["venues"]["2018"] and "neurips" not in got["venues"]["2019"]
    assert {(e["venue"], e["reason"]) for e in got["excluded_editions"]} >= {
        ("neurips", "no framework evidence"), ("acl", "no framework evidence")}
    assert got["sources"] and all(s["data_date"] for s in got["sources"])
