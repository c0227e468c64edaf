"""Words and tags read as they meant then: `torch` before PyTorch's first release is Lua Torch.

The DS.SE dump's 2016 `torch` questions are the real case: the report once said "PyTorch first
passed TensorFlow on 2016-06-01" on a 1-vs-0 month of them. Expected values are counted here
from the CSV with the standard library.
"""

from __future__ import annotations

import csv
import datetime as dt

import duckdb

from fwatlas import vocabulary as vocab
from fwatlas.ingestion import ingest
from fwatlas.sources.qa import so_rows
from fwatlas.textscan import TextScanner, frameworks_from_words
from fwatlas.vocabulary import TextTerm
from tests.conftest import shared_path

PYTORCH_FIRST_RELEASE = "2017-01-18"


def test_torch_before_pytorch_is_lua_torch_and_after_is_pytorch():
    assert vocab.term_category("torch", "pytorch", dt.date(2016, 6, 1)) == "other"
    assert vocab.term_category("torch", "pytorch", dt.date(2017, 1, 17)) == "other"
    assert vocab.term_category("torch", "pytorch", dt.date(2017, 1, 18)) == "pytorch"
    assert vocab.term_category("Torch", "pytorch", 2016) == "other"
    assert vocab.term_category("torch", "pytorch", 2017) == "pytorch"  # most of 2017 is after
    assert vocab.term_category("torch", "pytorch", None) == "pytorch"  # undated: today's meaning
    # undated terms keep their framework; keras keeps its own rule
    assert vocab.term_category("pytorch", "pytorch", 2010) == "pytorch"
    assert vocab.term_category("keras", "keras", dt.date(2023, 11, 27)) == "tensorflow"
    assert vocab.term_category("keras", "keras", dt.date(2023, 11, 28)) == "keras"
    # a name before the library existed names no framework
    assert vocab.term_category("jax", "jax", 2016) is None
    assert vocab.term_category("jax", "jax", 2019) == "jax"


def test_every_dated_term_is_a_vocabulary_term_with_a_known_category():
    words = set(vocab.raw()["words"])
    text = {t.term for t in vocab.text_terms()}
    for term, rule in vocab.dated_terms().items():
        assert term in words | text, term
        assert rule.then is None or rule.then in vocab.categories()
        assert rule.why


def test_tracker_words_and_paper_text_are_dated():
    assert frameworks_from_words(["torch"], 2016).frameworks == ("other",)
    assert frameworks_from_words(["torch"], 2018).frameworks == ("pytorch",)
    scanner = TextScanner([TextTerm("torch.nn", "pytorch", True), TextTerm("jax", "jax", True)])
    old = scanner.scan("we use torch.nn and Jax", 2016)
    assert old.frameworks == ("other",) and old.terms == ("jax", "torch.nn")
    assert scanner.scan("we use torch.nn and Jax", 2020).frameworks == ("pytorch", "jax")


def test_stack_overflow_tag_counts_are_dated():
    rows = list(so_rows({(2016, "torch"): 5, (2018, "torch"): 7}))
    fw = {(r["period_start"].year, r["subject_kind"], r["subject"]): r["framework"]
          for r in rows}
    assert fw[(2016, "term", "torch")] == "other"
    assert fw[(2018, "term", "torch")] == "pytorch"
    assert (2016, "framework", "pytorch") not in fw


def test_dsse_2016_torch_questions_are_not_pytorch(db):
    dump = shared_path("data", "dsse_questions", "all_questions_2014-05_to_2024-08.csv")
    lua: dict[str, int] = {}
    pytorch: dict[str, int] = {}
    for r in csv.DictReader(dump.open(encoding="utf-8")):
        tags = set(r["Tags"].strip("<>").split("><"))
        day, month = r["CreationDate"][:10], r["CreationDate"][:7] + "-01"
        if "torch" in tags and day < PYTORCH_FIRST_RELEASE:
            lua[month] = lua.get(month, 0) + 1
        if "pytorch" in tags or "allennlp" in tags or (
                "torch" in tags and day >= PYTORCH_FIRST_RELEASE):
            pytorch[month] = pytorch.get(month, 0) + 1
    assert sum(lua.values()) == 5  # 2016-05, 2016-06, 2016-10 (2), 2016-11
    ingest("qa", dump, db=db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        framework_rows = dict(con.execute(
            "SELECT strftime(period_start, '%Y-%m-%d'), questions FROM qa_counts "
            "WHERE subject_kind = 'framework' AND subject = 'pytorch'").fetchall())
        torch_terms = dict(con.execute(
            "SELECT strftime(period_start, '%Y-%m-%d'), framework FROM qa_counts "
            "WHERE subject_kind = 'term' AND subject = 'torch'").fetchall())
    finally:
        con.close()
    for month in lua:
        assert framework_rows.get(month, 0) == pytorch.get(month, 0), month
        assert torch_terms[month] == "other"
    # no PyTorch question at all before PyTorch existed
    assert all(v == 0 for m, v in framework_rows.items() if m < "2017-01-01")
    assert {m: v for m, v in framework_rows.items() if v} == pytorch
