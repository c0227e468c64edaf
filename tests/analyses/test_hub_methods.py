"""Table-driven tests pinning every rule of every availability method, through the real SQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

# (model id, tags, siblings, library_name, expected frameworks by method)
CASES = [
    ("tags/pytorch", ["pytorch"], [], None, {"tags": {"pytorch"}}),
    ("tags/tf", ["tf"], [], None, {"tags": {"tensorflow"}}),
    ("tags/tensorflow", ["tensorflow"], [], None, {"tags": {"tensorflow"}}),
    ("tags/jax", ["jax"], [], None, {"tags": {"jax"}}),
    ("tags/flax", ["flax"], [], None, {"tags": {"jax"}}),
    ("tags/formats-only", ["keras", "onnx", "safetensors", "tflite", "coreml", "gguf", "mlx"],
     [], None, {"tags": set()}),
    ("tags/all", ["pytorch", "tf", "jax"], [], None, {"tags": {"pytorch", "tensorflow", "jax"}}),
    ("files/bin", [], ["pytorch_model.bin"], None, {"files": {"pytorch"}}),
    ("files/sharded", [], ["pytorch_model-00001-of-00002.bin"], None, {"files": {"pytorch"}}),
    ("files/pt", [], ["weights/best.pt"], None, {"files": {"pytorch"}}),
    ("files/pth", [], ["model.pth"], None, {"files": {"pytorch"}}),
    ("files/h5", [], ["tf_model.h5"], None, {"files": {"tensorflow"}}),
    ("files/savedmodel", [], ["export/saved_model.pb"], None, {"files": {"tensorflow"}}),
    ("files/flax", [], ["flax_model.msgpack"], None, {"files": {"jax"}}),
    ("files/formats", [], ["model.safetensors", "m.onnx", "m.gguf", "m.tflite", "m.keras"], None,
     {"files": set()}),
    ("files/not-a-prefix-match", [], ["my_pytorch_model.bin.txt", "tf_model.h5.bak"], None,
     {"files": set()}),
    ("lib/transformers-safetensors", ["safetensors"], ["model.safetensors"], "transformers",
     {"library": {"pytorch"}}),
    ("lib/transformers-tf", ["tf"], ["tf_model.h5"], "transformers", {"library": {"tensorflow"}}),
    ("lib/transformers-flax", [], ["flax_model.msgpack"], "transformers", {"library": {"jax"}}),
    ("lib/diffusers", [], [], "diffusers", {"library": {"pytorch"}}),
    ("lib/keras-2022", [], [], "keras", {"library": {"tensorflow"}}),
    ("lib/tf-keras", [], [], "tf-keras", {"library": {"tensorflow"}}),
    ("lib/unknown", ["pytorch"], [], "some-lib", {"library": set()}),
]


def _store(tmp_path: Path, data_date: str) -> Path:
    path = tmp_path / "cases.jsonl"
    with path.open("w") as f:
        for model_id, tags, sib, lib, _ in CASES:
            f.write(json.dumps({"id": model_id, "tags": tags, "siblings": sib,
                                "library_name": lib}) + "\n")
    db = tmp_path / "cases.duckdb"
    run = run_cli("ingest", "hub", str(path), "--db", str(db), "--data-date", data_date)
    assert run.code == 0, run.err
    return db


@pytest.fixture(scope="module")
def store_2022(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _store(tmp_path_factory.mktemp("m22"), "2022-06-01")


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_rule(store_2022: Path, case: tuple) -> None:
    model_id, _, _, _, expected = case
    info = run_cli("model", model_id, "--db", str(store_2022), "--json").json()
    for method, frameworks in expected.items():
        assert set(info["frameworks"][method]) == frameworks, method


def test_formats_are_recorded_not_counted(store_2022: Path) -> None:
    info = run_cli("model", "tags/formats-only", "--db", str(store_2022), "--json").json()
    assert set(info["formats"]) >= {"keras", "onnx", "safetensors", "tflite", "coreml", "gguf",
                                    "mlx"}


def test_transformers_v5_makes_the_library_method_pytorch_only(tmp_path: Path) -> None:
    db = _store(tmp_path, "2026-01-15")
    tf = run_cli("model", "lib/transformers-tf", "--db", str(db), "--json").json()
    assert tf["frameworks"]["library"] == ["pytorch"]
    keras = run_cli("model", "lib/keras-2022", "--db", str(db), "--json").json()
    assert set(keras["frameworks"]["library"]) == {"pytorch", "tensorflow", "jax"}
    avail = run_cli("availability", "--db", str(db), "--method", "library", "--json").json()
    assert any("Transformers v5" in n and "PyTorch only" in n for n in avail["notes"])


def test_files_method_is_refused_without_sibling_lists(tmp_path: Path) -> None:
    path = tmp_path / "nosib.jsonl"
    path.write_text(json.dumps({"id": "a", "tags": ["pytorch"]}) + "\n")
    db = tmp_path / "n.duckdb"
    run_cli("ingest", "hub", str(path), "--db", str(db), "--data-date", "2024-01-01")
    run = run_cli("availability", "--db", str(db), "--method", "files")
    assert run.code == 2 and "supported methods: tags" in run.err
    run = run_cli("availability", "--db", str(db), "--weight", "downloads")
    assert run.code == 2 and "supported weights: count" in run.err


def test_unknown_model_exits_1_with_close_matches(store_2022: Path) -> None:
    run = run_cli("model", "files/shardd", "--db", str(store_2022))
    assert run.code == 1 and "files/sharded" in run.err


def test_the_cube_equals_the_per_model_computation(store_2022: Path) -> None:
    """Every method/weight/grouping read from the cube equals the raw per-model query."""
    from fwatlas.analyses import hub_cube
    from fwatlas.analyses.availability import store_cells
    from fwatlas.store.atlas import open_atlas

    atlas = open_atlas(store_2022)
    snap = atlas.snapshot("s1")
    assert hub_cube.is_current(atlas.con, snap.num)
    for method in ("tags", "files", "library"):
        for weight in ("count", "downloads"):
            for by in (None, "year", "task"):
                fast = store_cells(atlas, snap, method, weight, by)
                slow = store_cells(atlas, snap, method, weight, by, use_cube=False)
                assert fast == slow, (method, weight, by)
