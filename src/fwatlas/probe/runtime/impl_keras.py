"""Keras 3's reference models and export formats, on the backend ``KERAS_BACKEND`` names.

The path's ``env`` sets the backend before this module imports Keras (one process per path).
Export goes through ``Model.export(format=...)`` – Keras's own deployment entry point – so a
refusal by design is Keras's own error message (``unsupported_when`` in the paths file).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

if os.environ.get("KERAS_BACKEND") == "tensorflow":
    from runtimes import tf_pin_threads

    tf_pin_threads()
elif os.environ.get("KERAS_BACKEND") == "torch":
    import torch

    torch.set_num_threads(1)

import keras
from refmodels import LN_EPS, weights
from runtimes import Runner, find, litert, onnx_runtime, saved_model


def _gelu(t: Any) -> Any:
    return keras.activations.gelu(t, approximate=False)


def _cnn(w: dict[str, Any]) -> keras.Model:
    hp = w["hp"]
    x = inp = keras.Input((hp["hw"], hp["hw"], 3), batch_size=1)
    c1 = keras.layers.Conv2D(hp["c1"], 3, padding="same", activation="relu")
    x = keras.layers.MaxPooling2D(2)(c1(x))
    c2 = keras.layers.Conv2D(hp["c2"], 3, padding="same", activation="relu")
    x = keras.layers.GlobalAveragePooling2D()(c2(x))
    dense = keras.layers.Dense(hp["classes"])
    model = keras.Model(inp, dense(x))
    c1.set_weights([w["conv1_k"], w["conv1_b"]])
    c2.set_weights([w["conv2_k"], w["conv2_b"]])
    dense.set_weights([w["dense_k"], w["dense_b"]])
    return model


def _block(w: dict[str, Any]) -> keras.Model:
    hp = w["hp"]
    d, h = hp["dim"], hp["heads"]
    dh = d // h
    x = inp = keras.Input((hp["tokens"], d), batch_size=1)
    ln1 = keras.layers.LayerNormalization(epsilon=LN_EPS)
    mha = keras.layers.MultiHeadAttention(num_heads=h, key_dim=dh)
    y = ln1(x)
    x = x + mha(y, y)
    ln2 = keras.layers.LayerNormalization(epsilon=LN_EPS)
    fc1 = keras.layers.Dense(4 * d, activation=_gelu)
    fc2 = keras.layers.Dense(d)
    x = x + fc2(fc1(ln2(x)))
    model = keras.Model(inp, x)
    ln1.set_weights([w["ln1_g"], w["ln1_b"]])
    ln2.set_weights([w["ln2_g"], w["ln2_b"]])
    mha.set_weights([
        w["q_k"].reshape(d, h, dh), w["q_b"].reshape(h, dh),
        w["k_k"].reshape(d, h, dh), w["k_b"].reshape(h, dh),
        w["v_k"].reshape(d, h, dh), w["v_b"].reshape(h, dh),
        w["o_k"].reshape(h, dh, d), w["o_b"],
    ])
    fc1.set_weights([w["fc1_k"], w["fc1_b"]])
    fc2.set_weights([w["fc2_k"], w["fc2_b"]])
    return model


class Source:
    def __init__(self, model: str, size: str, seed: int) -> None:
        w = weights(model, size, seed)
        self.model = _cnn(w) if model == "cnn" else _block(w)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(keras.ops.convert_to_numpy(self.model(x, training=False)))


def build(model: str, size: str, seed: int) -> Source:
    return Source(model, size, seed)


@dataclass(frozen=True)
class Impl:
    export: Any
    load: Any
    prepare: Any = None  # imports the exporter, so export_s times the export, not an import


def _exporter(fmt: str, name: str) -> Any:
    def export(src: Source, x: np.ndarray, out: Path) -> Path:
        path = out / name
        src.model.export(str(path), format=fmt, verbose=False)
        return path

    return export


def _load_pt2(path: Path, x: np.ndarray) -> Runner:
    import torch

    module = torch.export.load(str(find(path.parent, ".pt2"))).module()

    def run(a: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            res = module(torch.from_numpy(a))
        return (res[0] if isinstance(res, list | tuple) else res).numpy()

    return run


PATHS: dict[str, Impl] = {
    "savedmodel": Impl(_exporter("tf_saved_model", "saved_model"),
                       lambda p, x: saved_model(p)),
    "onnx": Impl(_exporter("onnx", "model.onnx"), lambda p, x: onnx_runtime(p)),
    "litert": Impl(_exporter("litert", "model.tflite"),
                   lambda p, x: litert(find(p.parent, ".tflite"))),
    "torch": Impl(_exporter("torch", "model.pt2"), _load_pt2),
}
