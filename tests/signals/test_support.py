"""Platform support: pip's tag rules on real wheel names from the recorded PyPI responses."""

from __future__ import annotations

import json

import pytest

from fwatlas.analyses.support import gpu_variant, parse_target, wheel_installs
from fwatlas.facts import list_facts
from fwatlas.ingestion import ingest
from fwatlas.store.atlas import open_atlas
from tests.signals.conftest import REGISTRY, recorded

# (wheel file name from the recorded responses, python, os, arch) -> installs?
CASES = [
    ("torch-2.15.0-cp313-cp313-manylinux_2_28_aarch64.whl", "3.13", "linux", "arm64", True),
    ("torch-2.15.0-cp313-cp313-manylinux_2_28_aarch64.whl", "3.12", "linux", "arm64", False),
    ("torch-2.15.0-cp313-cp313-manylinux_2_28_aarch64.whl", "3.13", "linux", "x86_64", False),
    ("torch-2.15.0-cp314-cp314t-manylinux_2_28_x86_64.whl", "3.14", "linux", "x86_64", False),
    ("torch-2.15.0-cp313-cp313-win_amd64.whl", "3.13", "windows", "x86_64", True),
    ("torch-2.15.0-cp313-cp313-win_amd64.whl", "3.13", "windows", "arm64", False),
    ("torch-2.15.0-cp313-cp313-macosx_14_0_arm64.whl", "3.13", "macos", "arm64", True),
    ("torch-2.15.0-cp313-cp313-macosx_14_0_arm64.whl", "3.13", "macos", "x86_64", False),
    ("tensorflow-2.21.0-cp310-cp310-macosx_12_0_arm64.whl", "3.10", "macos", "arm64", True),
    # abi3: one cp310 wheel serves every later CPython
    ("safetensors-0.8.0-cp310-abi3-win_arm64.whl", "3.13", "windows", "arm64", True),
    ("safetensors-0.8.0-cp310-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
     "3.14", "linux", "x86_64", True),
    ("safetensors-0.8.0-cp310-abi3-musllinux_1_2_x86_64.whl", "3.12", "linux", "x86_64", False),
    # macOS minimum versions: an older minimum installs on the newer macOS
    ("safetensors-0.8.0-cp310-abi3-macosx_10_12_x86_64.whl", "3.11", "macos", "x86_64", True),
    ("safetensors-0.8.0-cp310-abi3-macosx_10_12_x86_64.whl", "3.11", "macos", "arm64", False),
    # none-any installs everywhere
    ("jax-0.12.0.1-py3-none-any.whl", "3.13", "windows", "arm64", True),
    ("keras-3.15.1-py3-none-any.whl", "3.10", "linux", "arm64", True),
    # manylinux: a legacy manylinux2014 tag and a glibc 2.34 tag on a glibc 2.35 machine
    ("tflite_runtime-2.14.0-cp311-cp311-manylinux2014_x86_64.whl", "3.11", "linux", "x86_64",
     True),
    ("tflite_runtime-2.14.0-cp311-cp311-manylinux_2_34_aarch64.whl", "3.11", "linux", "arm64",
     True),
    ("tflite_runtime-2.14.0-cp38-cp38-manylinux_2_34_armv7l.whl", "3.8", "linux", "arm64",
     False),
    ("torchvision-0.29.2-py3-none-manylinux_2_28_aarch64.whl", "3.12", "linux", "aarch64", True),
]


@pytest.mark.parametrize(("wheel", "python", "os", "arch", "expected"), CASES)
def test_wheel_tags(wheel, python, os, arch, expected):
    names = {f["filename"] for p in REGISTRY.joinpath("pypi").glob("*.json")
             for f in json.loads(p.read_text())["urls"]}
    assert wheel in names  # a real file name, not an invented one
    assert wheel_installs(wheel, parse_target(python, os, arch)) is expected


def test_gpu_claims_only_where_requires_dist_says_so():
    torch = recorded("pypi", "torch")["info"]["requires_dist"]
    tf = recorded("pypi", "tensorflow")["info"]["requires_dist"]
    keras = recorded("pypi", "keras")["info"]["requires_dist"]
    assert gpu_variant(torch, parse_target("3.13", "linux", "x86_64")) == "cuda"
    assert gpu_variant(torch, parse_target("3.13", "macos", "arm64")) is None
    assert gpu_variant(tf, parse_target("3.12", "linux", "x86_64")) == "cuda via [and-cuda]"
    assert gpu_variant(keras, parse_target("3.12", "linux", "x86_64")) is None


def test_bad_platform_options_are_usage_errors(cli, db):
    for args in (["--os", "beos"], ["--arch", "riscv"], ["--python", "three"]):
        run = cli("support", *args, "--db", str(db))
        assert run.code == 2, args


def _installable_oracle(package: str, tag_part: str, cp: str) -> bool:
    files = [f["filename"] for f in recorded("pypi", package)["urls"]]
    return any(f.endswith("-none-any.whl") or (tag_part in f and f"-{cp}-{cp}-" in f)
               for f in files)


def test_support_command_and_installable_facts(cli, db):
    ingest("registry", REGISTRY, db=db)
    run = cli("support", "--python", "3.13", "--os", "windows", "--arch", "aarch64",
              "--db", str(db), "--json")
    assert run.code == 0, run.err
    out = run.json()
    assert out["arch"] == "arm64" and out["sources"][0]["kind"] == "registry"
    rows = {r["package"]: r for r in out["rows"]}
    want_tf = _installable_oracle("tensorflow", "win_arm64", "cp313")
    assert rows["tensorflow"]["installable"] is want_tf is False
    assert rows["jax"]["wheel"] == "jax-0.12.0.1-py3-none-any.whl"
    # jax needs jaxlib, which has no win_arm64 wheel; Keras needs a backend
    assert out["frameworks"] == {"pytorch": False, "tensorflow": False, "jax": False,
                                 "keras": False}
    facts = {f.name: f for f in list_facts(open_atlas(db), "registry.installable")}
    fact = facts["registry.installable.tensorflow.py3.13.windows.arm64"]
    assert fact.value is want_tf and fact.sources[0]["kind"] == "registry"
    assert facts["registry.installable.tensorflow.py3.13.linux.x86_64"].value is \
        _installable_oracle("tensorflow", "manylinux_2_27_x86_64", "cp313") is True
    assert facts["registry.installable.pytorch.py3.10.linux.x86_64"].value is False  # >=3.11
    assert facts["registry.installable.keras.py3.12.macos.arm64"].value is True


def test_support_without_registry_evidence_says_what_fills_it(cli, db):
    out = cli("support", "--db", str(db), "--json").json()
    assert out["rows"] == [] and "fwatlas refresh registry" in out["missing"]
