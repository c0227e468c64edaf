"""JAX's reference models (pure functions of a parameter dict) and its paths (probe env)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from refmodels import LN_EPS, weights
from runtimes import Runner, litert, onnx_runtime, saved_model


def _ln(x: Any, g: Any, b: Any) -> Any:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) * jax.lax.rsqrt(var + LN_EPS) * g + b


def _conv(x: Any, k: Any, b: Any) -> Any:
    y = jax.lax.conv_general_dilated(x, k, (1, 1), "SAME",
                                     dimension_numbers=("NHWC", "HWIO", "NHWC"))
    return y + b


def forward(model: str, hp: dict[str, int], p: dict[str, Any], x: Any) -> Any:
    if model == "cnn":
        y = jax.nn.relu(_conv(x, p["conv1_k"], p["conv1_b"]))
        y = jax.lax.reduce_window(y, -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
        y = jax.nn.relu(_conv(y, p["conv2_k"], p["conv2_b"]))
        return y.mean(axis=(1, 2)) @ p["dense_k"] + p["dense_b"]
    t, d, h = hp["tokens"], hp["dim"], hp["heads"]
    dh = d // h
    y = _ln(x, p["ln1_g"], p["ln1_b"])

    def heads(name: str) -> Any:
        return (y @ p[f"{name}_k"] + p[f"{name}_b"]).reshape(1, t, h, dh).transpose(0, 2, 1, 3)

    att = jax.nn.softmax(heads("q") @ heads("k").transpose(0, 1, 3, 2) / dh ** 0.5, axis=-1)
    o = (att @ heads("v")).transpose(0, 2, 1, 3).reshape(1, t, d)
    x = x + o @ p["o_k"] + p["o_b"]
    y = _ln(x, p["ln2_g"], p["ln2_b"])
    return x + jax.nn.gelu(y @ p["fc1_k"] + p["fc1_b"], approximate=False) @ p["fc2_k"] \
        + p["fc2_b"]


class Source:
    def __init__(self, model: str, size: str, seed: int) -> None:
        w = weights(model, size, seed)
        hp = w.pop("hp")
        params = {k: jnp.asarray(v) for k, v in w.items()}
        self.fn = jax.jit(lambda x: forward(model, hp, params, x))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.fn(x))


def build(model: str, size: str, seed: int) -> Source:
    return Source(model, size, seed)


@dataclass(frozen=True)
class Impl:
    export: Any
    load: Any
    prepare: Any = None  # imports the exporter, so export_s times the export, not an import


def _export_jax(src: Source, x: np.ndarray, out: Path) -> Path:
    exported = jax.export.export(src.fn)(jax.ShapeDtypeStruct(x.shape, jnp.float32))
    path = out / "model.jax_exported"
    path.write_bytes(exported.serialize())
    return path


def _load_jax(path: Path, x: np.ndarray) -> Runner:
    exported = jax.export.deserialize(bytearray(path.read_bytes()))
    call = jax.jit(exported.call)
    return lambda a: np.asarray(call(a))


def _tf_function(src: Source, x: np.ndarray) -> tuple[Any, Any]:
    from jax.experimental import jax2tf
    from runtimes import tf_pin_threads

    tf = tf_pin_threads()
    module = tf.Module()
    module.f = tf.function(jax2tf.convert(src.fn, with_gradient=False), autograph=False,
                           input_signature=[tf.TensorSpec(x.shape, tf.float32, "x")])
    return tf, module


def _export_saved_model(src: Source, x: np.ndarray, out: Path) -> Path:
    tf, module = _tf_function(src, x)
    path = out / "saved_model"
    tf.saved_model.save(module, str(path), signatures={"serving_default": module.f})
    return path


def _export_litert(src: Source, x: np.ndarray, out: Path) -> Path:
    tf, module = _tf_function(src, x)
    converter = tf.lite.TFLiteConverter.from_concrete_functions(
        [module.f.get_concrete_function()], module)
    path = out / "model.tflite"
    path.write_bytes(converter.convert())
    return path


def _export_tf2onnx(src: Source, x: np.ndarray, out: Path) -> Path:
    import tf2onnx

    tf, module = _tf_function(src, x)
    path = out / "model.onnx"
    tf2onnx.convert.from_function(module.f, input_signature=[
        tf.TensorSpec(x.shape, tf.float32, "x")], opset=17, output_path=str(path))
    return path


def _export_jax2onnx(src: Source, x: np.ndarray, out: Path) -> Path:
    from jax2onnx import to_onnx

    path = out / "model.onnx"
    to_onnx(src.fn, [jax.ShapeDtypeStruct(x.shape, jnp.float32)], return_mode="file",
            output_path=str(path))
    return path


PATHS: dict[str, Impl] = {
    "export": Impl(_export_jax, _load_jax),
    "savedmodel": Impl(_export_saved_model, lambda p, x: saved_model(p)),
    "litert": Impl(_export_litert, lambda p, x: litert(p)),
    "tf2onnx": Impl(_export_tf2onnx, lambda p, x: onnx_runtime(p), lambda: __import__("tf2onnx")),
    "onnx": Impl(_export_jax2onnx, lambda p, x: onnx_runtime(p),
                 lambda: __import__("jax2onnx") and __import__("onnxruntime")),
}
