"""The Wilson interval against values worked out by hand from the formula, and its edges."""

import math

import pytest

from fwatlas.stats import intervals_overlap, sample_phrase, shares_with_intervals, wilson_interval


def _by_formula(k: int, n: int) -> tuple[float, float]:
    z = 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = (z / (1 + z * z / n)) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize(("k", "n"), [(4, 7), (3, 7), (1, 1), (50, 100), (600, 4500)])
def test_wilson_matches_the_formula(k: int, n: int) -> None:
    low, high = wilson_interval(k, n)  # type: ignore[misc]
    exp_low, exp_high = _by_formula(k, n)
    assert low == pytest.approx(max(0.0, exp_low), abs=1e-12)
    assert high == pytest.approx(min(1.0, exp_high), abs=1e-12)


def test_known_value_4_of_7() -> None:
    # 4 of 7: the Wilson interval is about [0.2505, 0.8418] (0.25046, 0.84178)
    low, high = wilson_interval(4, 7)  # type: ignore[misc]
    assert (round(low, 4), round(high, 4)) == (0.2505, 0.8418)


def test_edges() -> None:
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(0, 10)  # type: ignore[misc]
    assert low == 0.0 and 0.0 < high < 0.31
    with pytest.raises(ValueError):
        wilson_interval(8, 7)


def test_shares_with_intervals_sum_and_empty() -> None:
    shares, ci = shares_with_intervals({"pytorch": 4, "tensorflow": 3})
    assert shares == {"pytorch": 4 / 7, "tensorflow": 3 / 7}
    assert ci["pytorch"] is not None and ci["pytorch"][0] < 4 / 7 < ci["pytorch"][1]
    assert shares_with_intervals({"pytorch": 0}) == ({"pytorch": None}, {"pytorch": None})


def test_overlap_and_phrase() -> None:
    assert intervals_overlap(wilson_interval(4, 7), wilson_interval(3, 7))  # type: ignore[arg-type]
    assert not intervals_overlap((0.1, 0.2), (0.3, 0.4))
    assert sample_phrase(4, 7, "job posts") == "4 of 7 job posts (n = 7)"
    assert sample_phrase(4000, 7000, "job posts") == "4,000 of 7,000 job posts"
