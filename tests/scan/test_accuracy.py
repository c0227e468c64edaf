"""Accuracy on real code nobody here wrote: the 38 labelled packages of ../shared/data/code_corpus.

The rule was written in docs/scan.md before this test first ran. Every single-framework package
must come out as its label (a `keras` package as keras), the `multi` ones as multi, the `none`
ones as none. The confusion table is printed (run with -s to see it).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from tests.conftest import run_cli, shared_path

LABELS = ("pytorch", "tensorflow", "jax", "keras", "multi", "none")


def confusion_table(pairs: list[tuple[str, str]]) -> str:
    extra = sorted({p for _, p in pairs} - set(LABELS))
    predicted = [*LABELS, *extra]
    counts = Counter(pairs)
    lines = ["label \\ primary | " + " | ".join(predicted) + " | n",
             "---|" + "---|" * len(predicted) + "---"]
    for label in LABELS:
        row = [counts[(label, p)] for p in predicted]
        lines.append(f"{label} | " + " | ".join(str(n) for n in row) + f" | {sum(row)}")
    return "\n".join(lines)


def test_every_package_of_the_corpus_gets_its_label(db: Path):
    folder = shared_path("data", "code_corpus")
    with (folder / "labels.csv").open(newline="", encoding="utf-8") as f:
        labels = {row["file"]: row["label"] for row in csv.DictReader(f)}
    assert len(labels) == 38
    res = run_cli("scan", *(str(folder / name) for name in labels), "--db", str(db),
                  "--workers", "2", "--json")
    assert res.code == 0, res.err
    rows = {Path(r["path"]).name: r for r in res.json()["rows"]}
    assert set(rows) == set(labels)
    pairs = [(labels[name], rows[name]["primary"]) for name in labels]
    print("\n" + confusion_table(pairs))
    wrong = {name: (labels[name], rows[name]["primary"], rows[name]["frameworks"])
             for name in labels if rows[name]["primary"] != labels[name]}
    assert wrong == {}
    # multi packages list several frameworks with their weights
    for name, label in labels.items():
        if label == "multi":
            assert len(rows[name]["frameworks"]) >= 2


def test_the_cheap_pass_and_a_full_parse_agree_on_whole_packages(tmp_path: Path):
    folder = shared_path("data", "code_corpus")
    names = ["einops-0.8.2-py3-none-any.whl", "trax-1.4.1-py2.py3-none-any.whl",
             "keras_tuner-1.4.8-py3-none-any.whl", "imbalanced_learn-0.14.2-py3-none-any.whl",
             "tflearn-0.5.0.tar.gz", "umap_learn-0.5.12-py3-none-any.whl"]
    paths = [str(folder / n) for n in names]
    cheap = run_cli("scan", *paths, "--db", str(tmp_path / "a.duckdb"), "--json",
                    "--workers", "1").json()["rows"]
    full = run_cli("scan", *paths, "--db", str(tmp_path / "b.duckdb"), "--json", "--workers",
                   "1", "--full-parse").json()["rows"]
    for a, b in zip(cheap, full, strict=True):
        assert (a["primary"], a["frameworks"], a["evidence"]) == \
            (b["primary"], b["frameworks"], b["evidence"])
