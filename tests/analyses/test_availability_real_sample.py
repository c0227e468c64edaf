"""The real Feb-2022 Hub sample: fwatlas's counts equal an independent standard-library oracle
under every method, weight and framework view the sample supports."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import run_cli, shared_path

FWS = ("pytorch", "tensorflow", "jax")

# literal sets, written from DESIGN's vocabulary section – not read from fwatlas
TAGS = {"pytorch": {"pytorch"}, "tensorflow": {"tf", "tensorflow"}, "jax": {"jax", "flax"}}
PT_LIBS = {"sentence-transformers", "diffusers", "peft", "timm", "open_clip", "speechbrain",
           "espnet", "pyannote-audio", "fairseq", "flair", "nemo", "stable-baselines3",
           "ultralytics", "asteroid", "allennlp", "pytorch", "torch", "PyTorch"}
# keras counts as TensorFlow before Keras 3 (2023-11), and the sample is of 2022
TF_LIBS = {"tf-keras", "tensorflow", "tf", "TensorFlow", "tensorflowtts", "keras"}
JAX_LIBS = {"jax", "flax", "Flax"}


def _files(names: list[str]) -> dict[str, bool]:
    base = [n.rsplit("/", 1)[-1] for n in names]
    return {
        "pytorch": any(b == "pytorch_model.bin" or (b.startswith("pytorch_model-")
                       and b.endswith(".bin")) or b.endswith((".pt", ".pth")) for b in base),
        "tensorflow": any(b in ("tf_model.h5", "saved_model.pb") or (b.startswith("tf_model-")
                          and b.endswith(".h5")) for b in base),
        "jax": any(b == "flax_model.msgpack" or (b.startswith("flax_model-")
                   and b.endswith(".msgpack")) for b in base),
    }


def _methods(rec: dict) -> dict[str, dict[str, bool]]:
    tags = set(rec.get("tags") or [])
    sib = [s["rfilename"] for s in rec.get("siblings") or []]
    by_tags = {fw: bool(tags & TAGS[fw]) for fw in FWS}
    by_files = _files(sib)
    lib = rec.get("library_name")
    if lib == "transformers":
        safetensors = "safetensors" in tags or any(n.endswith(".safetensors") for n in sib)
        by_lib = {fw: by_tags[fw] or by_files[fw] for fw in FWS}
        by_lib["pytorch"] = by_lib["pytorch"] or safetensors
    else:
        by_lib = {"pytorch": lib in PT_LIBS, "tensorflow": lib in TF_LIBS, "jax": lib in JAX_LIBS}
    return {"tags": by_tags, "files": by_files, "library": by_lib}


@pytest.fixture(scope="module")
def sample() -> Path:
    return shared_path("data", "hf_models_2022_sample", "hf_models_2022-02-21.sample.jsonl.gz")


@pytest.fixture(scope="module")
def records(sample: Path) -> list[dict]:
    with gzip.open(sample, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.fixture(scope="module")
def store(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("real") / "atlas.duckdb"
    run = run_cli("ingest", "hub", str(sample), "--db", str(db), "--json")
    assert run.code == 0, run.err
    return db


def _oracle(records: list[dict], method: str, frameworks: tuple[str, ...], weight: str) -> dict:
    available: Counter = Counter()
    exclusive: Counter = Counter()
    exact: Counter = Counter()
    total = 0.0
    for rec in records:
        w = 1 if weight == "count" else (rec.get(weight) or 0)
        total += w
        on = _methods(rec)[method]
        listed = tuple(fw for fw in frameworks if on[fw])
        for fw in FWS:
            if on[fw]:
                available[fw] += w
        if len(listed) == 1:
            exclusive[listed[0]] += w
        exact["+".join(listed) or "none"] += w
    return {"total": total, "available": available, "exclusive": exclusive, "exact": exact}


@pytest.mark.parametrize("method", ["tags", "files", "library"])
@pytest.mark.parametrize("weight", ["count", "downloads"])
@pytest.mark.parametrize("frameworks", [FWS, ("pytorch", "tensorflow")])
def test_counts_match_the_oracle(store: Path, records: list[dict], method: str, weight: str,
                                 frameworks: tuple[str, ...]) -> None:
    got = run_cli("availability", "--db", str(store), "--snapshot", "s1", "--method", method,
                  "--weight", weight, "--frameworks", ",".join(frameworks), "--json").json()
    want = _oracle(records, method, frameworks, weight)
    assert got["total"] == want["total"] == (len(records) if weight == "count" else got["total"])
    for fw in FWS:
        assert got["available"][fw] == want["available"][fw], fw
        if fw in frameworks:
            assert got["exclusive"][fw] == want["exclusive"][fw], fw
        else:
            assert got["exclusive"][fw] is None
    for name, value in got["overlaps"].items():
        members = name.split("+")
        if all(m in frameworks for m in members):
            assert value == want["exact"][name], name
        else:
            assert value is None, name
    assert got["none"] == want["exact"]["none"]
    with_fw = want["total"] - want["exact"]["none"]
    share = want["exclusive"]["pytorch"] / with_fw
    assert got["share_exclusive"]["pytorch"] == pytest.approx(share)


def test_sample_tag_counts_are_the_known_ones(records: list[dict], store: Path) -> None:
    """Plain tag counts: the simplest reading, checked against the raw tags."""
    tagged = Counter(t for r in records for t in set(r.get("tags") or []))
    got = run_cli("availability", "--db", str(store), "--snapshot", "s1", "--json").json()
    assert got["available"]["pytorch"] == tagged["pytorch"]
    assert got["available"]["jax"] == len([r for r in records
                                           if {"jax", "flax"} & set(r.get("tags") or [])])


def test_by_year_uses_last_modified_and_says_so(store: Path, records: list[dict]) -> None:
    got = run_cli("availability", "--db", str(store), "--snapshot", "s1", "--by", "year",
                  "--json").json()
    years = Counter(r["lastModified"][:4] for r in records)
    assert {row["group"]: row["total"] for row in got["rows"]} == dict(years)
    jax_2021 = sum(1 for r in records if r["lastModified"].startswith("2021")
                   and {"jax", "flax"} & set(r.get("tags") or []))
    assert next(row["available"] for row in got["rows"]
                if row["group"] == "2021" and row["framework"] == "jax") == jax_2021
    assert any("lastModified" in n for n in got["notes"])


def test_by_task_groups_by_pipeline_tag(store: Path, records: list[dict]) -> None:
    got = run_cli("availability", "--db", str(store), "--snapshot", "s1", "--by", "task",
                  "--json").json()
    tasks = Counter(r.get("pipeline_tag") or "(none)" for r in records)
    assert {row["group"]: row["total"] for row in got["rows"]} == dict(tasks)


def test_top_n_matches_a_sort_of_the_raw_records(store: Path, records: list[dict]) -> None:
    got = run_cli("availability", "--db", str(store), "--snapshot", "s1", "--top", "30",
                  "--json").json()
    ranked = sorted(records, key=lambda r: (-(r.get("downloads") or 0), r["modelId"]))[:30]
    assert [row["id"] for row in got["rows"]] == [r["modelId"] for r in ranked]
    not_tf = sum(not (set(r.get("tags") or []) & TAGS["tensorflow"]) for r in ranked)
    assert got["summary"]["not_in.tensorflow"] == not_tf
    assert got["basis"] == "computed"


def test_the_bundled_reference_equals_the_oracle(records: list[dict], tmp_path: Path) -> None:
    """The shipped reference rows (computed from this sample) still match the oracle."""
    got = run_cli("availability", "--db", str(tmp_path / "empty.duckdb"), "--method", "files",
                  "--json").json()
    assert got["snapshot_id"].startswith("ref:hub/models@")
    want = _oracle(records, "files", FWS, "count")
    assert got["available"] == {fw: want["available"][fw] for fw in FWS}
    assert got["exclusive"] == {fw: want["exclusive"][fw] for fw in FWS}


def test_the_default_table_sets_the_article_beside_the_two_framework_view(
        records: list[dict], store: Path) -> None:
    """The article compared PyTorch with TensorFlow only: its 85 % / 16 % / 8 % sit beside this
    snapshot's two-framework shares (the oracle's), never beside the three-framework 69 %."""
    want = _oracle(records, "tags", ("pytorch", "tensorflow"), "count")
    with_fw = sum(1 for r in records if _methods(r)["tags"]["pytorch"]
                  or _methods(r)["tags"]["tensorflow"])
    text = run_cli("availability", "--db", str(store), "--snapshot", "s1").out
    line = " ".join(text.split("This snapshot in the same two-framework view:", 1)[1]
                    .split("\n\n", 1)[0].split())
    pt, tf = (100 * want["exclusive"][fw] / with_fw for fw in ("pytorch", "tensorflow"))
    tf_avail = 100 * want["available"]["tensorflow"] / with_fw
    assert line.startswith(f"pytorch exclusive {pt:.1f}%; tensorflow exclusive {tf:.1f}%; "
                           f"tensorflow available {tf_avail:.1f}% (n = {with_fw:,})")
    got = run_cli("availability", "--db", str(store), "--snapshot", "s1", "--json").json()
    like = got["article_2022_like_for_like"]
    assert like["frameworks"] == ["pytorch", "tensorflow"] and like["n"] == with_fw
    assert like["share_exclusive"]["pytorch"] == pytest.approx(pt / 100)
