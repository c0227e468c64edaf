"""The situations the 0.1 advisor got wrong or could not express, against the current ruleset."""

from __future__ import annotations

import datetime as dt

import pytest

from fwatlas.advisor import advise, situation
from fwatlas.advisor.situation import FOCUS, PERSONAS
from fwatlas.errors import InputError
from fwatlas.kb import load_kb

KB = load_kb(None)
AS_OF = dt.date(2026, 11, 26)
WIN_ARM = {"python": "3.13", "os": "windows", "arch": "arm64"}


def persona_args(persona: str) -> dict:
    return {"focus": FOCUS[persona][0]} if persona in FOCUS else {}


def test_windows_arm64_never_gets_a_framework_without_a_wheel(registry) -> None:
    db = registry({"pytorch.py3.13.windows.arm64": True,
                   "tensorflow.py3.13.windows.arm64": False,
                   "jax.py3.13.windows.arm64": True, "keras.py3.13.windows.arm64": True})
    for persona in PERSONAS:
        for extra in ({}, {"needs": ["end-to-end-platform"]}, {"experience": "tensorflow"},
                      {"existing": "tensorflow"}):
            a = advise(situation(persona, **persona_args(persona), **WIN_ARM, **extra), db=db,
                       kb=KB, as_of=AS_OF)
            assert a.recommendation != "tensorflow", (persona, extra, a.rule)
            assert a.platform["recommended_installs"] is True
    # the skipped rule is named, with the evidence that made it skip
    a = advise(situation("industry", needs=["end-to-end-platform"], **WIN_ARM), db=db, kb=KB)
    why = dict(a.tried)["industry-end-to-end-platform"]
    assert "tensorflow" in why and "uninstallable" in why and why.endswith(": no")
    assert "s77" in {s["snapshot_id"] for s in a.sources}


def test_when_nothing_installs_the_answer_says_so_and_names_the_nearest_platforms(registry):
    table = {f"{fw}.py3.13.windows.arm64": False for fw in ("pytorch", "tensorflow", "jax",
                                                              "keras")}
    table |= {"pytorch.py3.13.windows.x86_64": True, "pytorch.py3.13.linux.arm64": True,
              "pytorch.py3.12.windows.arm64": True, "pytorch.py3.14.windows.arm64": False}
    db = registry(table)
    a = advise(situation("industry", **WIN_ARM), db=db, kb=KB)
    assert a.recommendation == "pytorch" and a.platform["none_installs"] is True
    assert a.platform["nearest"] == ["x86_64 emulation: py3.13.windows.x86_64",
                                     "WSL (Linux): py3.13.linux.arm64",
                                     "Python 3.12: py3.12.windows.arm64"]
    assert "installs natively" in a.reasons[1].text


def test_unknown_installability_never_moves_the_answer(registry) -> None:
    db = registry({"tensorflow.py3.12.linux.x86_64": True})
    a = advise(situation("industry", python="3.13", os="windows", arch="arm64"), db=db, kb=KB)
    assert (a.recommendation, a.rule) == ("pytorch", "industry-pytorch")
    assert a.platform["recommended_installs"] is None


def test_keras_backend_that_does_not_install_takes_keras_off(registry) -> None:
    db = registry({"keras.py3.13.windows.arm64": True, "tensorflow.py3.13.windows.arm64": False,
                   "pytorch.py3.13.windows.arm64": True})
    ok = advise(situation("beginner", keras_backend="torch", **WIN_ARM), db=db, kb=KB)
    assert ok.recommendation == "keras"
    assert any("Keras 3 on the torch backend: PyTorch is active" in r.text for r in ok.reasons)
    bad = advise(situation("beginner", keras_backend="tensorflow", **WIN_ARM), db=db, kb=KB)
    assert bad.recommendation == "pytorch" and bad.rule == "installs-pytorch"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("how", [{"needs": ["tpu"]}, {"accelerator": "tpu"}])
def test_tpu_means_jax_for_every_persona_with_pytorch_xla_and_its_status(persona, how) -> None:
    a = advise(situation(persona, **persona_args(persona), **how), kb=KB)
    assert (a.recommendation, a.rule) == ("jax", "tpu-jax")
    xla = [x for x in a.alternatives if x["entry"] == "pytorch-xla"]
    assert xla and xla[0]["framework"] == "pytorch"
    assert xla[0]["status"] == KB.entries["pytorch-xla"].status  # None: unconfirmed
    assert "status unknown" in xla[0]["text"]
    assert "--need" in a.options_used or "--accelerator" in a.options_used


def test_existing_tensorflow_stays_and_says_what_a_migration_touches() -> None:
    a = advise(situation("industry", existing="tensorflow"), kb=KB, as_of=AS_OF)
    assert (a.recommendation, a.rule) == ("tensorflow", "existing-tensorflow-stay")
    m = a.migration
    assert m["stay"] is True and m["from"] == "tensorflow"
    assert {t["name"] for t in m["tools"]} >= {"tensorflow", "tensorflow-serving", "tfx"}
    assert any(t.startswith("serving") for t in m["touches"])
    assert any(t.startswith("export formats") for t in m["touches"])
    assert any(t.startswith("training code") for t in m["touches"])
    assert m["worth_it_if"]
    # 12 months after TF 2.21 (2026-03-06) with no newer release, staying is no longer advised
    later = advise(situation("industry", existing="tensorflow"), kb=KB,
                   as_of=dt.date(2027, 4, 1))
    assert later.rule != "existing-tensorflow-stay" and later.migration["stay"] is False
    assert later.migration["to"] == later.recommendation


def test_llm_serving_names_the_engines_with_their_statuses() -> None:
    a = advise(situation("industry", workloads=["llm-serving"]), kb=KB)
    assert (a.recommendation, a.rule) == ("pytorch", "llm-serving-pytorch")
    for name in ("vllm", "sglang", "dynamo-triton"):
        e = KB.entries[name]
        assert f"{e.display} ({e.status}, {e.status_date})" in a.reasons[0].text
        assert any(x["entry"] == name and x["status"] == e.status for x in a.alternatives)


def test_llm_finetuning_names_its_libraries_and_torchtune_is_maintenance() -> None:
    a = advise(situation("researcher", workloads=["llm-finetuning"]), kb=KB)
    assert a.rule == "llm-finetuning-pytorch"
    assert "torchtune (maintenance, 2025-07-15)" in a.reasons[0].text


def test_alternatives_come_from_the_deploy_matrix_for_the_asked_targets() -> None:
    for targets, wanted in ((["android"], "LiteRT"), (["microcontroller"],
                                                      "LiteRT for Microcontrollers"),
                            (["browser"], "Transformers.js"), (["ios"], "Core ML Tools")):
        a = advise(situation("industry", targets=targets), kb=KB)
        texts = " | ".join(x["text"] for x in a.alternatives)
        assert "TensorFlow Serving" not in texts, targets
        assert wanted in texts, (targets, texts)
        assert all(x["from"] in ("rule", "deploy-matrix") for x in a.alternatives)


def test_an_inactive_path_says_its_status() -> None:
    import tempfile
    from pathlib import Path

    from tests.advisor.test_current import overlay

    with tempfile.TemporaryDirectory() as d:
        kb = load_kb(overlay(Path(d), "litert-micro", "deprecated"))
        a = advise(situation("industry", targets=["microcontroller"]), kb=kb)
    tf = [x for x in a.alternatives if x["framework"] == "tensorflow"]
    assert tf and "deprecated" in tf[0]["text"]


def test_career_changer_wording_is_the_kb_status() -> None:
    a = advise(situation("career-changer"), kb=KB)
    assert "no longer active" not in a.reasons[0].text
    assert f"TensorFlow's is {KB.entries['tensorflow'].status}" in a.reasons[0].text


def test_changes_if_covers_the_new_options() -> None:
    a = advise(situation("industry"), kb=KB)
    options = {c.option for c in a.changes_if}
    assert {"--accelerator", "--existing"} <= options
    assert "--accelerator tpu gives jax" in [c.text for c in a.changes_if]
    b = advise(situation("beginner"), kb=KB)
    assert "adding --workload llm-serving gives pytorch" in [c.text for c in b.changes_if]
    assert "--keras-backend" not in {c.option for c in b.changes_if}  # read, never decisive


def test_article_ruleset_ignores_the_new_options_and_says_so() -> None:
    plain = advise(situation("industry"), "article-2022", kb=KB)
    loaded = advise(situation("industry", accelerator="tpu", workloads=["llm-serving"],
                              existing="pytorch", cloud="aws", keras_backend="jax"),
                    "article-2022", kb=KB)
    assert (plain.recommendation, plain.rule) == (loaded.recommendation, loaded.rule)
    assert set(loaded.options_ignored) == {"--accelerator", "--workload", "--existing",
                                           "--cloud", "--keras-backend"}
    assert "article-2022 ruleset does not read" in loaded.reasons[-1].text
    assert plain.alternatives == loaded.alternatives


def test_npu_and_cloud_reach_the_deploy_paths() -> None:
    a = advise(situation("industry", accelerator="npu"), kb=KB)
    assert [d["target"] for d in a.deploy_via] == ["edge-accelerator"]
    assert "--accelerator" in a.options_used
    g = advise(situation("industry", cloud="gcp"), kb=KB)
    assert "cloud" in [d["target"] for d in g.deploy_via]
    assert any(x["entry"] == "gemini-enterprise-agent-platform" for x in g.alternatives)
    aws = advise(situation("industry", cloud="aws"), kb=KB)
    assert any("lists no tool specific" in x["text"] for x in aws.alternatives)


@pytest.mark.parametrize("option, value", [("accelerator", "quantum"), ("workloads", ["poetry"]),
                                           ("existing", "theano"), ("cloud", "oracle"),
                                           ("keras_backend", "numpy")])
def test_bad_new_option_values_are_usage_errors(option, value) -> None:
    with pytest.raises(InputError) as e:
        situation("industry", **{option: value})
    assert "is not one of" in str(e.value) and "\n" not in str(e.value)


def test_career_changer_reads_the_job_posts_where_the_store_has_them(signals) -> None:
    db = signals({"jobs.value.pytorch": 120, "jobs.value.tensorflow": 80,
                  "downloads.value.pytorch": 9e8, "downloads.value.tensorflow": 2e8})
    a = advise(situation("career-changer"), kb=KB, db=db)
    assert a.rule == "career-changer-job-posts-pytorch"
    ev = {e.name: e for e in a.reasons[0].evidence}
    assert ev["signals.jobs.value.pytorch"].status == 120
    assert ev["signals.jobs.value.tensorflow"].data_date == "2026-10-01"
    assert ev["signals.jobs.value.tensorflow"].source == "s88"
    assert "signals.downloads.value.pytorch" in ev
    b = advise(situation("career-changer"), kb=KB, db=signals(
        {"jobs.value.pytorch": 50, "jobs.value.tensorflow": 80}))
    assert (b.recommendation, b.rule) == ("tensorflow", "career-changer-job-posts-tensorflow")


def test_industry_shows_adoption_evidence_where_the_store_has_it(signals) -> None:
    db = signals({"jobs.value.pytorch": 120, "jobs.value.tensorflow": 80,
                  "downloads.value.pytorch": 9e8, "downloads.value.tensorflow": 2e8})
    a = advise(situation("industry"), kb=KB, db=db)
    ev = {e.name: e for e in a.reasons[0].evidence}
    assert ev["signals.downloads.value.tensorflow"].status == 2e8
    assert ev["signals.jobs.value.pytorch"].data_date == "2026-10-01"
