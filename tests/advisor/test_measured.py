"""The `current` rules read what the deployment probe measured (`measured_works`), and say so.

Expected values are counted here from the results files with the standard library (json), never
by the code under test: which of a framework's paths to a target kind passed every probe.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import fwatlas
from fwatlas.advisor import advise, situation
from fwatlas.advisor.conditions import Check, Context, evaluate
from fwatlas.kb import load_kb

BUNDLED = Path(fwatlas.__file__).parent / "data" / "reference" / "probe_results.jsonl"
AS_OF = dt.date(2026, 12, 3)
#: the declared paths per (framework, target kind), as paths.yaml lists them (literal sets)
MOBILE = {"pytorch": {"torch-executorch", "torch-litert"}, "tensorflow": {"tf-litert"},
          "keras": {"keras-tf-litert", "keras-jax-litert", "keras-torch-litert"},
          "jax": {"jax-litert"}}
SERVER = {"pytorch": {"torch-onnx", "torch-aoti"}}


def _records(path: Path = BUNDLED) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _working(records: list[dict], paths: set[str]) -> set[str]:
    """The paths whose every record is ok (a path counts once, over models and sizes)."""
    return {p for p in paths if (rs := [r for r in records if r["path"] == p])
            and all(r["ok"] for r in rs)}


def _check(advice, head: str) -> Check:
    return next(c for c in advice.checks if c.text.startswith(head))


def _tried(advice, rule: str) -> str:
    return next(why for rid, why in advice.tried if rid == rule)


def _store(tmp_path: Path, broken: set[str]) -> tuple[Path, list[dict]]:
    """A store holding the bundled run with every record of the ``broken`` paths failing at
    load; returns it and the records written."""
    from fwatlas.ingestion import ingest

    records = _records()
    for r in records:
        if r["path"] in broken:
            r.update(ok=False, stage="load", error="RuntimeError: written by the test",
                     latency_ms=None, latency_p10_ms=None, latency_p90_ms=None,
                     max_abs_diff=None)
    f = tmp_path / "results.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    db = tmp_path / "probe.duckdb"
    ingest("probe", f, db=db)
    return db, records


def test_offline_the_bundled_run_is_read_and_cited(tmp_path: Path) -> None:
    records = _records()
    day = max(r["machine"]["measured_at"][:10] for r in records)
    works = _working(records, MOBILE["pytorch"])
    a = advise(situation("industry", targets=["mobile"]), db=tmp_path / "none.duckdb",
               as_of=AS_OF)
    assert (a.recommendation, a.rule) == ("pytorch", "industry-pytorch")
    c = _check(a, "pytorch is not measured to fail")
    assert c.value is True
    snap = f"ref:probe/results@{fwatlas.__version__}"
    assert f"{len(works)} of {len(MOBILE['pytorch'])} measured paths work" in c.text
    assert f"probe snapshot {snap}, measured {day}" in c.text
    assert "mobile-edge (android, ios)" in c.text
    shown = {e.name: e for e in a.reasons[0].evidence}
    share = shown["probe.share_working.pytorch.mobile-edge"]
    assert share.status == len(works) / len(MOBILE["pytorch"])
    assert (share.data_date, share.source) == (day, snap)
    assert snap in [s["snapshot_id"] for s in a.sources]
    assert not (tmp_path / "none.duckdb").exists()


def test_offline_read_agrees_with_the_store_read() -> None:
    from fwatlas.facts import FactBook
    from fwatlas.probe.measured import bundled_facts
    from fwatlas.store.atlas import open_atlas

    assert sorted(bundled_facts(), key=lambda f: f.name) == \
        FactBook(open_atlas(Path("/nonexistent/atlas.duckdb"))).list("probe")


def test_a_failing_measurement_changes_the_answer_and_the_trace(tmp_path: Path) -> None:
    db, records = _store(tmp_path, MOBILE["pytorch"])
    assert _working(records, MOBILE["pytorch"]) == set()
    tf_works = _working(records, MOBILE["tensorflow"])
    assert tf_works == {"tf-litert"}
    before = advise(situation("industry", targets=["mobile"]), as_of=AS_OF)
    a = advise(situation("industry", targets=["mobile"]), db=db, as_of=AS_OF)
    assert before.recommendation == "pytorch"
    assert (a.recommendation, a.rule) == ("tensorflow", "industry-tensorflow")
    why = _tried(a, "industry-pytorch")
    assert why.endswith(": no")
    assert f"0 of {len(MOBILE['pytorch'])} measured paths work" in why
    assert "failed: " + ", ".join(p for p in ("torch-executorch", "torch-litert")) in why
    snap = next(s["snapshot_id"] for s in a.sources if s.get("kind") == "probe")
    assert not snap.startswith("ref:")  # the user's run outranks the bundled one
    assert f"probe snapshot {snap}" in why
    c = _check(a, "tensorflow is not measured to fail")
    assert c.value is True
    assert f"{len(tf_works)} of {len(MOBILE['tensorflow'])} measured paths work (tf-litert)" \
        in c.text
    # servers were measured fine: the default (server) answer is still PyTorch, and adding the
    # mobile target is what changes it
    servers = advise(situation("industry"), db=db, as_of=AS_OF)
    assert servers.recommendation == "pytorch"
    assert ("--target", "add", "mobile", "tensorflow") in [
        (ch.option, ch.change, ch.value, ch.recommendation) for ch in servers.changes_if]


def test_when_pytorch_and_tensorflow_fail_the_measured_framework_is_preferred(
        tmp_path: Path) -> None:
    db, records = _store(tmp_path, MOBILE["pytorch"] | MOBILE["tensorflow"])
    keras_works = _working(records, MOBILE["keras"])
    failed = sorted(MOBILE["keras"] - keras_works)
    assert keras_works  # Keras on tf and torch export to LiteRT in the bundled run
    a = advise(situation("industry", targets=["android"]), db=db, as_of=AS_OF)
    assert (a.recommendation, a.rule) == ("keras", "industry-measured-keras")
    c = _check(a, "keras has a deploy path measured to work")
    assert c.value is True
    assert f"{len(keras_works)} of {len(MOBILE['keras'])} measured paths work" in c.text
    assert f"failed: {', '.join(failed)}" in c.text
    assert "tensorflow is not measured to fail" in _tried(a, "industry-tensorflow")
    assert a.deploy_via and a.deploy_via[0]["chain"][0] == "keras"


def test_the_measured_rule_says_when_there_is_no_probe_data() -> None:
    kb = load_kb(None)
    s = situation("industry", targets=["ios", "browser"])
    checks: list[Check] = []
    value = evaluate({"measured_works": {"framework": "keras"}}, Context(s, kb, lambda _: None,
                                                                         AS_OF), checks)
    assert value is None  # unknown: a rule needing it does not fire
    assert "mobile-edge (ios): no probe data" in checks[0].text
    assert "browser: no probe path measures this kind of target" in checks[0].text
    checks = []
    lenient = {"measured_works": {"framework": "keras", "unmeasured": "pass"}}
    assert evaluate(lenient, Context(s, kb, lambda _: None, AS_OF), checks) is True
    assert checks[0].text.startswith("keras is not measured to fail on the asked targets")


@pytest.mark.parametrize("bad", [{"measured_works": "pytorch"},
                                 {"measured_works": {"default": ["android"]}},
                                 {"measured_works": {"framework": "jax", "unmeasured": "yes"}}])
def test_a_malformed_measured_condition_is_refused(bad: dict) -> None:
    from fwatlas.advisor.conditions import validate_condition

    with pytest.raises(ValueError, match="measured_works"):
        validate_condition(bad)


def test_article_2022_does_not_read_the_probe(tmp_path: Path) -> None:
    from fwatlas.advisor.conditions import referenced
    from fwatlas.advisor.ruleset import load_ruleset

    assert not [f for r in load_ruleset("article-2022").rules for f in referenced(r.when)[1]
                if f.startswith("probe.")]
    db, _ = _store(tmp_path, MOBILE["pytorch"] | MOBILE["tensorflow"] | SERVER["pytorch"])
    for s in (situation("industry", targets=["mobile"]), situation("industry")):
        plain = advise(s, "article-2022", as_of=AS_OF).as_dict()
        measured = advise(s, "article-2022", db=db, as_of=AS_OF).as_dict()
        assert measured == plain
