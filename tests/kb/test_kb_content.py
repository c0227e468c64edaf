"""The bundled knowledge base: enough complete entries, every tool the article names, honest
check values. Expected values are computed here from the YAML with plain yaml/hashlib."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import yaml

import fwatlas
from fwatlas.kb import load_kb

KB_FILE = Path(fwatlas.__file__).parent / "data" / "kb" / "tools.yaml"

# Every tool ARTICLE.md names in its deployment and ecosystem rounds (by our entry names).
ARTICLE_TOOLS = {
    "tensorflow-serving", "tensorflow-lite", "torchserve", "pytorch-live", "pytorch-mobile",
    "onnx", "pytorch-hub", "speechbrain", "fastai", "torchelastic", "torchx",
    "pytorch-lightning", "tensorflow-hub", "tf-model-garden", "tfx", "vertex-ai", "mediapipe",
    "coral-edge-tpu", "tensorflow-js", "tensorflow-cloud", "colab", "tensorflow-playground",
    "google-research-datasets", "huggingface-hub", "tf-agents", "acme", "openai-baselines",
    "gym", "sonnet", "haiku", "flax", "keras",
}


def raw_entries() -> list[dict]:
    return yaml.safe_load(KB_FILE.read_text(encoding="utf-8"))["entries"]


def test_at_least_70_complete_entries() -> None:
    complete = [e["name"] for e in raw_entries()
                if e.get("status") and e.get("status_date")
                and any(not s.get("secondary") for s in e["sources"])]
    assert len(complete) >= 70
    kb = load_kb(None)
    assert sorted(n for n, e in kb.entries.items() if e.complete) == sorted(complete)


def test_every_article_tool_is_present_and_marked() -> None:
    names = {e["name"]: e for e in raw_entries()}
    missing = ARTICLE_TOOLS - set(names)
    assert not missing
    assert all(names[n].get("in_article") for n in ARTICLE_TOOLS)


def test_checks_are_honest() -> None:
    # fwatlas took every status from the 2026-11 landscape document and checked none itself.
    for e in raw_entries():
        assert str(e["checked_on"]) == "2026-11", e["name"]
        assert e["checked_via"] in ("primary-source", "secondary"), e["name"]
        if all(s.get("secondary") for s in e["sources"]):
            assert e["checked_via"] == "secondary", e["name"]


def test_snapshot_id_is_file_name_and_sha() -> None:
    sha = hashlib.sha256(KB_FILE.read_bytes()).hexdigest()
    kb = load_kb(None)
    assert kb.snapshot_id == f"kb:tools.yaml@{sha[:12]}"
    assert kb.sources()[0]["snapshot_id"] == kb.snapshot_id


def test_lookups() -> None:
    kb = load_kb(None)
    assert kb.by_package("pypi", "torch-model-archiver").name == "torchserve"
    assert kb.by_package("npm", "react-native-pytorch-core").name == "pytorch-live"
    assert kb.by_package("pypi", "no-such-package") is None
    assert kb.get("TorchServe").name == "torchserve"
    assert [h.name for h in kb.follow("tensorflow-lite")] == ["tensorflow-lite", "litert"]


def test_stale_is_judged_against_as_of() -> None:
    e = load_kb(None).get("torchserve")  # checked_on 2026-11 = read as 2026-11-01
    assert not e.is_stale(dt.date(2027, 11, 1))
    assert e.is_stale(dt.date(2027, 11, 2))
    assert not e.is_stale(dt.date(2026, 11, 26))
