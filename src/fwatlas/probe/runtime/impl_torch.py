"""PyTorch's reference models and its deployment paths (probe env only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812
from refmodels import LN_EPS, weights
from runtimes import Runner, litert, onnx_runtime

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass


def _p(a: np.ndarray) -> torch.nn.Parameter:
    return torch.nn.Parameter(torch.from_numpy(np.ascontiguousarray(a)), requires_grad=False)


class CNN(torch.nn.Module):
    def __init__(self, w: dict[str, Any]) -> None:
        super().__init__()
        self.k1 = _p(w["conv1_k"].transpose(3, 2, 0, 1))  # HWIO -> OIHW
        self.b1 = _p(w["conv1_b"])
        self.k2 = _p(w["conv2_k"].transpose(3, 2, 0, 1))
        self.b2 = _p(w["conv2_b"])
        self.kd = _p(w["dense_k"].T)
        self.bd = _p(w["dense_b"])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.permute(0, 3, 1, 2)  # the shared NHWC input
        x = F.max_pool2d(F.relu(F.conv2d(x, self.k1, self.b1, padding=1)), 2)
        x = F.relu(F.conv2d(x, self.k2, self.b2, padding=1))
        return F.linear(x.mean(dim=(2, 3)), self.kd, self.bd)


class Block(torch.nn.Module):
    def __init__(self, w: dict[str, Any]) -> None:
        super().__init__()
        self.heads = int(w["hp"]["heads"])
        self.dim = int(w["hp"]["dim"])
        for name, value in w.items():
            if name != "hp":
                setattr(self, name, _p(value))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        h, dh = self.heads, self.dim // self.heads
        y = F.layer_norm(x, (d,), self.ln1_g, self.ln1_b, LN_EPS)
        q = (y @ self.q_k + self.q_b).reshape(b, t, h, dh).transpose(1, 2)
        k = (y @ self.k_k + self.k_b).reshape(b, t, h, dh).transpose(1, 2)
        v = (y @ self.v_k + self.v_b).reshape(b, t, h, dh).transpose(1, 2)
        att = torch.softmax(q @ k.transpose(-1, -2) / (dh ** 0.5), dim=-1)
        o = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = x + o @ self.o_k + self.o_b
        y = F.layer_norm(x, (d,), self.ln2_g, self.ln2_b, LN_EPS)
        return x + F.gelu(y @ self.fc1_k + self.fc1_b) @ self.fc2_k + self.fc2_b


class Source:
    """The eager model, called on numpy like every runtime."""

    def __init__(self, model: str, size: str, seed: int) -> None:
        w = weights(model, size, seed)
        self.module = (CNN(w) if model == "cnn" else Block(w)).eval()

    def __call__(self, x: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return self.module(torch.from_numpy(x)).numpy()

    def exported(self, x: np.ndarray) -> Any:
        return torch.export.export(self.module, (torch.from_numpy(x),))


def build(model: str, size: str, seed: int) -> Source:
    return Source(model, size, seed)


def _torch_runner(fn: Any) -> Runner:
    def run(x: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            out = fn(torch.from_numpy(x))
        return (out[0] if isinstance(out, list | tuple) else out).numpy()

    return run


@dataclass(frozen=True)
class Impl:
    export: Any
    load: Any
    prepare: Any = None  # imports the exporter, so export_s times the export, not an import


def _export_pt2(src: Source, x: np.ndarray, out: Path) -> Path:
    path = out / "model.pt2"
    torch.export.save(src.exported(x), str(path))
    return path


def _load_pt2(path: Path, x: np.ndarray) -> Runner:
    return _torch_runner(torch.export.load(str(path)).module())


def _export_onnx(src: Source, x: np.ndarray, out: Path) -> Path:
    path = out / "model.onnx"
    torch.onnx.export(src.module, (torch.from_numpy(x),), str(path), dynamo=True,
                      external_data=False)
    return path


def _export_executorch(src: Source, x: np.ndarray, out: Path) -> Path:
    from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
    from executorch.exir import to_edge_transform_and_lower

    program = to_edge_transform_and_lower(
        src.exported(x), partitioner=[XnnpackPartitioner()]).to_executorch()
    path = out / "model.pte"
    path.write_bytes(program.buffer)
    return path


def _load_executorch(path: Path, x: np.ndarray) -> Runner:
    from executorch.runtime import Runtime

    try:  # XNNPACK's threadpool: one thread like every other runtime
        from executorch.extension.pybindings import portable_lib

        portable_lib._unsafe_reset_threadpool(1)
    except (ImportError, AttributeError):
        pass
    method = Runtime.get().load_program(str(path)).load_method("forward")
    return _torch_runner(lambda t: method.execute([t]))


def _export_litert(src: Source, x: np.ndarray, out: Path) -> Path:
    import litert_torch

    path = out / "model.tflite"
    litert_torch.convert(src.module, (torch.from_numpy(x),)).export(str(path))
    return path


def _export_aoti(src: Source, x: np.ndarray, out: Path) -> Path:
    path = out / "model.pt2"
    torch._inductor.aoti_compile_and_package(src.exported(x), package_path=str(path))
    return path


def _load_aoti(path: Path, x: np.ndarray) -> Runner:
    return _torch_runner(torch._inductor.aoti_load_package(str(path)))


PATHS: dict[str, Impl] = {
    "export": Impl(_export_pt2, _load_pt2),
    "onnx": Impl(_export_onnx, lambda p, x: onnx_runtime(p),
                 lambda: __import__("onnxscript") and __import__("onnxruntime")),
    "executorch": Impl(_export_executorch, _load_executorch,
                       lambda: __import__("executorch.exir")
                       and __import__("executorch.backends.xnnpack.partition."
                                      "xnnpack_partitioner")),
    "litert": Impl(_export_litert, lambda p, x: litert(p),
                   lambda: __import__("litert_torch") and __import__("ai_edge_litert")),
    "aoti": Impl(_export_aoti, _load_aoti),
}
