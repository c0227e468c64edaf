"""Sample-size arithmetic shared by every share fwatlas shows.

A share computed from counted items is only as good as its count, so every such share carries its
``n`` and a 95 % Wilson score interval (DESIGN's contract). The Wilson interval is used rather
than the normal approximation because it stays inside [0, 1] and behaves at small n and at shares
near 0 or 1 – exactly the job-post months and sparse venues where the warning matters.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

Z95 = 1.959963984540054
"""The two-sided 95 % normal quantile."""

SMALL_SAMPLE = 100
"""Below this many items a reading says how big its sample is."""


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval ``(low, high)`` for ``successes`` of ``n``; None when n is 0."""
    if n <= 0:
        return None
    if successes < 0 or successes > n:
        raise ValueError(f"successes {successes} outside 0..{n}")
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def shares_with_intervals(
    counts: Mapping[str, int], n: int | None = None
) -> tuple[dict[str, float | None], dict[str, list[float] | None]]:
    """Each key's share of ``n`` (default: the sum of the counts) and its 95 % interval.

    Returns ``(shares, ci95)``, both keyed like ``counts``; with n = 0 every share and interval
    is None (the evidence cannot say), never a made-up 0.
    """
    total = sum(counts.values()) if n is None else n
    shares: dict[str, float | None] = {}
    intervals: dict[str, list[float] | None] = {}
    for key, count in counts.items():
        if total <= 0:
            shares[key], intervals[key] = None, None
            continue
        shares[key] = count / total
        interval = wilson_interval(count, total)
        intervals[key] = list(interval) if interval else None
    return shares, intervals


Interval = tuple[float, float] | list[float]


def intervals_overlap(a: Interval, b: Interval) -> bool:
    """True when two intervals share any point: a lead between them is not 'clear'."""
    return a[0] <= b[1] and b[0] <= a[1]


def sample_phrase(count: int, n: int, unit: str) -> str:
    """'4 of 7 job posts (n = 7)' for a small sample, '4,000 of 7,000 job posts' otherwise."""
    text = f"{count:,} of {n:,} {unit}"
    return f"{text} (n = {n:,})" if n < SMALL_SAMPLE else text
