"""Loading an artifact in its deployment runtime, pinned to one thread (probe env only)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

Runner = Callable[[np.ndarray], np.ndarray]


def onnx_runtime(path: Path) -> Runner:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name

    def run(x: np.ndarray) -> np.ndarray:
        return np.asarray(sess.run(None, {name: x})[0])

    return run


def litert(path: Path) -> Runner:
    from ai_edge_litert.interpreter import Interpreter

    interp = Interpreter(model_path=str(path), num_threads=1)
    interp.allocate_tensors()
    inp = interp.get_input_details()[0]["index"]
    out = interp.get_output_details()[0]["index"]

    def run(x: np.ndarray) -> np.ndarray:
        interp.set_tensor(inp, x)
        interp.invoke()
        return np.array(interp.get_tensor(out))

    return run


def tf_pin_threads() -> Any:
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        pass  # already initialised: the environment variables pinned it
    return tf


def saved_model(path: Path) -> Runner:
    """What TF Serving reads: the ``serve`` tag's ``serving_default`` signature."""
    tf = tf_pin_threads()
    loaded = tf.saved_model.load(str(path), tags=["serve"])
    fn = loaded.signatures["serving_default"]
    (name, spec), = fn.structured_input_signature[1].items()

    def run(x: np.ndarray) -> np.ndarray:
        result = fn(**{name: tf.constant(x)})
        (value,) = result.values()
        return np.asarray(value)

    run.keep = loaded  # type: ignore[attr-defined]  # the signature needs its object alive
    return run


def find(out: Path, suffix: str) -> Path:
    """The one file an exporter wrote with this suffix."""
    found = sorted(out.rglob(f"*{suffix}"))
    if not found:
        raise FileNotFoundError(f"the exporter wrote no {suffix} file")
    return found[0]
