"""TensorFlow's own reference models (a ``tf.Module``, no Keras) and its paths (probe env)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf
from refmodels import LN_EPS, SIZES, weights
from runtimes import Runner, litert, onnx_runtime, saved_model, tf_pin_threads

tf_pin_threads()


def _ln(x: Any, g: Any, b: Any) -> Any:
    mean, var = tf.nn.moments(x, axes=[-1], keepdims=True)
    return (x - mean) * tf.math.rsqrt(var + LN_EPS) * g + b


class Model(tf.Module):
    def __init__(self, model: str, size: str, seed: int) -> None:
        super().__init__()
        w = weights(model, size, seed)
        self.kind = model
        self.hp = w["hp"]
        self.vars = {k: tf.Variable(v, trainable=False, name=k)
                     for k, v in w.items() if k != "hp"}
        hp = SIZES[model][size]
        shape = ([1, hp["hw"], hp["hw"], 3] if model == "cnn"
                 else [1, hp["tokens"], hp["dim"]])
        self.serve = tf.function(self.forward,
                                 input_signature=[tf.TensorSpec(shape, tf.float32, "x")])

    def forward(self, x: Any) -> Any:
        v = self.vars
        if self.kind == "cnn":
            y = tf.nn.relu(tf.nn.conv2d(x, v["conv1_k"], 1, "SAME") + v["conv1_b"])
            y = tf.nn.max_pool2d(y, 2, 2, "VALID")
            y = tf.nn.relu(tf.nn.conv2d(y, v["conv2_k"], 1, "SAME") + v["conv2_b"])
            return tf.matmul(tf.reduce_mean(y, axis=[1, 2]), v["dense_k"]) + v["dense_b"]
        t, d, h = self.hp["tokens"], self.hp["dim"], self.hp["heads"]
        dh = d // h
        y = _ln(x, v["ln1_g"], v["ln1_b"])

        def heads(name: str) -> Any:
            z = tf.matmul(y, v[f"{name}_k"]) + v[f"{name}_b"]
            return tf.transpose(tf.reshape(z, [1, t, h, dh]), [0, 2, 1, 3])

        att = tf.nn.softmax(tf.matmul(heads("q"), heads("k"), transpose_b=True) / dh ** 0.5)
        o = tf.reshape(tf.transpose(tf.matmul(att, heads("v")), [0, 2, 1, 3]), [1, t, d])
        x = x + tf.matmul(o, v["o_k"]) + v["o_b"]
        y = _ln(x, v["ln2_g"], v["ln2_b"])
        hid = tf.nn.gelu(tf.matmul(y, v["fc1_k"]) + v["fc1_b"], approximate=False)
        return x + tf.matmul(hid, v["fc2_k"]) + v["fc2_b"]


class Source:
    def __init__(self, model: str, size: str, seed: int) -> None:
        self.module = Model(model, size, seed)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.module.serve(tf.constant(x)).numpy()


def build(model: str, size: str, seed: int) -> Source:
    return Source(model, size, seed)


@dataclass(frozen=True)
class Impl:
    export: Any
    load: Any
    prepare: Any = None  # imports the exporter, so export_s times the export, not an import


def _export_saved_model(src: Source, x: np.ndarray, out: Path) -> Path:
    path = out / "saved_model"
    tf.saved_model.save(src.module, str(path), signatures={"serving_default": src.module.serve})
    return path


def _export_litert(src: Source, x: np.ndarray, out: Path) -> Path:
    fn = src.module.serve.get_concrete_function()
    converter = tf.lite.TFLiteConverter.from_concrete_functions([fn], src.module)
    path = out / "model.tflite"
    path.write_bytes(converter.convert())
    return path


def _export_onnx(src: Source, x: np.ndarray, out: Path) -> Path:
    import tf2onnx

    path = out / "model.onnx"
    tf2onnx.convert.from_function(src.module.serve, input_signature=[
        tf.TensorSpec(x.shape, tf.float32, "x")], opset=17, output_path=str(path))
    return path


def _load_saved_model(path: Path, x: np.ndarray) -> Runner:
    return saved_model(path)


PATHS: dict[str, Impl] = {
    "savedmodel": Impl(_export_saved_model, _load_saved_model),
    "litert": Impl(_export_litert, lambda p, x: litert(p)),
    "onnx": Impl(_export_onnx, lambda p, x: onnx_runtime(p), lambda: __import__("tf2onnx")),
}
