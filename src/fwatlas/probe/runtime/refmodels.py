"""The reference models' shapes and weights, framework-free (numpy only).

Every framework builds the same two architectures from the same arrays, drawn from one seed,
so "the same model" means the same numbers, not the same recipe:

- ``cnn``: conv3x3 → ReLU → max-pool 2 → conv3x3 → ReLU → global average → dense(10), NHWC
  weights (HWIO kernels); PyTorch transposes them to its NCHW layout.
- ``block``: a pre-norm transformer encoder block: LayerNorm → multi-head self-attention →
  residual → LayerNorm → MLP (exact-erf GELU) → residual.

``medium`` is sized so compute, not per-call overhead, dominates latency (~1–3 MiB of weights).
"""

from __future__ import annotations

from typing import Any

import numpy as np

SIZES: dict[str, dict[str, dict[str, int]]] = {
    "cnn": {"tiny": {"hw": 32, "c1": 8, "c2": 16, "classes": 10},
            "medium": {"hw": 64, "c1": 128, "c2": 256, "classes": 10}},
    "block": {"tiny": {"tokens": 16, "dim": 32, "heads": 4},
              "medium": {"tokens": 64, "dim": 256, "heads": 8}},
}
LN_EPS = 1e-5


def _draw(rng: np.random.RandomState, *shape: int, fan_in: int) -> np.ndarray:
    return (rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32)


def weights(model: str, size: str, seed: int) -> dict[str, Any]:
    """The model's hyper-parameters and float32 weights (dense kernels are [in, out])."""
    hp = SIZES[model][size]
    rng = np.random.RandomState(seed)
    w: dict[str, Any] = {"hp": dict(hp)}
    if model == "cnn":
        c1, c2, k = hp["c1"], hp["c2"], hp["classes"]
        w["conv1_k"] = _draw(rng, 3, 3, 3, c1, fan_in=27)
        w["conv1_b"] = _draw(rng, c1, fan_in=c1) * 0.1
        w["conv2_k"] = _draw(rng, 3, 3, c1, c2, fan_in=9 * c1)
        w["conv2_b"] = _draw(rng, c2, fan_in=c2) * 0.1
        w["dense_k"] = _draw(rng, c2, k, fan_in=c2)
        w["dense_b"] = _draw(rng, k, fan_in=k) * 0.1
    else:
        d = hp["dim"]
        for name in ("q", "k", "v", "o"):
            w[f"{name}_k"] = _draw(rng, d, d, fan_in=d)
            w[f"{name}_b"] = _draw(rng, d, fan_in=d) * 0.1
        w["ln1_g"] = (1 + 0.1 * rng.standard_normal(d)).astype(np.float32)
        w["ln1_b"] = (0.1 * rng.standard_normal(d)).astype(np.float32)
        w["ln2_g"] = (1 + 0.1 * rng.standard_normal(d)).astype(np.float32)
        w["ln2_b"] = (0.1 * rng.standard_normal(d)).astype(np.float32)
        w["fc1_k"] = _draw(rng, d, 4 * d, fan_in=d)
        w["fc1_b"] = _draw(rng, 4 * d, fan_in=d) * 0.1
        w["fc2_k"] = _draw(rng, 4 * d, d, fan_in=4 * d)
        w["fc2_b"] = _draw(rng, d, fan_in=d) * 0.1
    return w


def example_input(model: str, size: str, seed: int) -> np.ndarray:
    """The batch-1 input every runtime gets (NHWC image, or [1, tokens, dim])."""
    hp = SIZES[model][size]
    rng = np.random.RandomState(seed + 1)
    if model == "cnn":
        return rng.standard_normal((1, hp["hw"], hp["hw"], 3)).astype(np.float32)
    return rng.standard_normal((1, hp["tokens"], hp["dim"])).astype(np.float32)
