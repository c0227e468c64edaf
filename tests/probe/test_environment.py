"""The probe environment's lock and setup plan: no framework is a fwatlas dependency, the
lock is complete (installed --no-deps), CPU-only, and setup says its size before starting."""

from __future__ import annotations

import re
from pathlib import Path

from fwatlas.probe.environment import lock_pins, plan_setup

ROOT = Path(__file__).resolve().parents[2]


def test_no_framework_is_a_fwatlas_dependency() -> None:
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    deps = re.findall(r'^\s*"([A-Za-z0-9_.\-]+)', text, flags=re.M)
    assert not {"torch", "tensorflow", "tensorflow-cpu", "jax", "jaxlib", "keras"} & set(deps)


def test_the_lock_pins_the_cpu_frameworks_and_no_cuda_package() -> None:
    pins = lock_pins()
    assert pins["torch"].endswith("+cpu")
    for name in ("tensorflow-cpu", "keras", "jax", "jaxlib", "onnxruntime", "executorch",
                 "litert-torch", "ai-edge-litert", "tf2onnx", "jax2onnx"):
        assert name in pins, name
    assert not [n for n in pins if n.startswith(("nvidia-", "cuda-", "triton"))]
    assert "tensorflow" not in pins and "tf-keras" not in pins  # one TensorFlow only


def test_setup_says_its_size_and_installs_without_resolving(tmp_path) -> None:
    plan = plan_setup(tmp_path / "env", installer="pip")
    assert "GiB installed" in plan.describe() and str(tmp_path / "env") in plan.describe()
    venv, torch_cmd, rest = plan.commands
    assert "--no-deps" in torch_cmd and f"torch=={lock_pins()['torch']}" in torch_cmd
    assert "--no-deps" in rest and "-r" in rest
    assert plan.packages == len(lock_pins())
