"""The survey statistics of brief §5.1 against published values, statsmodels and hand-worked examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from etl.indicators.stats import (
    Z_95,
    grouped_weighted_median,
    kish_n_eff,
    rake,
    weighted_median,
    wilson_interval,
)

# --- Wilson interval ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (29, 29, 0.8830, 1.0000),
    ],
)
def test_wilson_matches_published_examples(x: int, n: int, low: float, high: float) -> None:
    lo, hi = wilson_interval(x / n, n)
    assert round(float(lo), 4) == low
    assert round(float(hi), 4) == high


def test_wilson_hand_computed() -> None:
    # p = 0.5, n = 4: centre = (0.5 + z²/8) / (1 + z²/4) = 0.5, half = z·sqrt(0.25/4 + z²/64) / (1 + z²/4)
    z = Z_95
    half = z * math.sqrt(0.25 / 4 + z * z / 64) / (1 + z * z / 4)
    lo, hi = wilson_interval(0.5, 4)
    assert float(lo) == pytest.approx(0.5 - half, abs=1e-12)
    assert float(hi) == pytest.approx(0.5 + half, abs=1e-12)
    assert float(lo) == pytest.approx(0.1500, abs=5e-5)  # 2 of 4: the textbook 0.150 - 0.850
    assert float(hi) == pytest.approx(0.8500, abs=5e-5)


@settings(max_examples=80, deadline=None)
@given(n=st.integers(min_value=1, max_value=5000), data=st.data())
def test_wilson_equals_statsmodels_on_unweighted_data(n: int, data: st.DataObject) -> None:
    x = data.draw(st.integers(min_value=0, max_value=n))
    lo, hi = wilson_interval(x / n, kish_n_eff(float(n), float(n)))  # unit weights: n_eff = n
    ref_lo, ref_hi = proportion_confint(x, n, alpha=0.05, method="wilson")
    assert float(lo) == pytest.approx(ref_lo, abs=1e-12)
    assert float(hi) == pytest.approx(ref_hi, abs=1e-12)


def test_wilson_vectorised_and_empty_n() -> None:
    lo, hi = wilson_interval(np.array([0.2, 0.0, 0.7]), np.array([10.0, 0.0, 3.5]))
    assert np.isnan(lo[1]) and np.isnan(hi[1])
    assert lo[0] < 0.2 < hi[0] and lo[2] < 0.7 < hi[2]


# --- Kish effective sample size -------------------------------------------------------------------------


def test_kish_hand_computed() -> None:
    w = np.array([0.5, 1.0, 1.5, 1.0])  # Σw = 4, Σw² = 0.25 + 1 + 2.25 + 1 = 4.5 → 16 / 4.5
    assert float(kish_n_eff(w.sum(), (w * w).sum())) == pytest.approx(16 / 4.5)
    assert float(kish_n_eff(7.0, 7.0)) == 7.0  # unit weights: the number of answers
    assert np.isnan(kish_n_eff(0.0, 0.0))


# --- weighted median ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "weights", "expected"),
    [
        ([1, 2, 3, 4], [1, 1, 1, 1], 2),  # cumulative 1, 2 of 4: reaches half at 2 (lower median)
        ([3, 1, 2], [3, 1, 1], 3),  # sorted 1, 2, 3 with weights 1, 1, 3: cumulative 1, 2, 5 ≥ 2.5 at 3
        ([10, 20, 30, 40], [0.1, 0.2, 0.2, 0.5], 30),  # 0.1 + 0.2 + 0.2 = 0.5 reaches half despite rounding
        ([5, 8], [0.9, 0.1], 5),
        ([4], [2.5], 4),
        ([2, 2, 9], [1, 1, 1], 2),
    ],
)
def test_weighted_median_cases(values: list[float], weights: list[float], expected: float) -> None:
    assert weighted_median(values, weights) == expected


def test_weighted_median_empty_is_nan() -> None:
    assert math.isnan(weighted_median([], []))


def test_grouped_weighted_median_per_group() -> None:
    frame = pd.DataFrame(
        {
            "town": ["a", "a", "a", "b", "b", "b", "b"],
            "v": [3.0, 1.0, 2.0, 10.0, 20.0, 30.0, np.nan],
            "w": [3.0, 1.0, 1.0, 1.0, 1.0, 1.0, 5.0],
        }
    )
    out = grouped_weighted_median(frame, ["town"], "v", "w").set_index("town")
    assert out.loc["a", "median"] == 3.0 and out.loc["a", "n"] == 3
    assert out.loc["b", "median"] == 20.0 and out.loc["b", "n"] == 3  # the missing value does not count


# --- raking ---------------------------------------------------------------------------------------------


def test_rake_two_by_two_closed_form() -> None:
    """A hand-worked 2×2 IPF: the fitted table keeps the seed's odds ratio and has the target margins.

    Seed counts [[2, 1], [1, 2]] (odds ratio 4), row targets [4, 2], column targets [3, 3]. With W11 = a the
    margins force W12 = 4 − a, W21 = 3 − a, W22 = a − 1, and a(a − 1) / ((4 − a)(3 − a)) = 4 gives
    a² − 9a + 16 = 0, so a = (9 − √17) / 2 (the root with 1 < a < 3).
    """
    counts = np.array([[[2.0, 1.0], [1.0, 2.0]]])
    result = rake(counts, np.array([[4.0, 2.0]]), np.array([[3.0, 3.0]]))
    a = (9 - math.sqrt(17)) / 2
    fitted = counts[0] * result.cell_weights[0]
    expected = np.array([[a, 4 - a], [3 - a, a - 1]])
    assert result.converged[0]
    np.testing.assert_allclose(fitted, expected, atol=1e-6)


def _plain_ipf(band: np.ndarray, gender: np.ndarray, row_t: np.ndarray, col_t: np.ndarray) -> np.ndarray:
    """An independent raking on individual respondents: alternately scale weights to each margin."""
    w = np.ones(len(band))
    for _ in range(1000):
        for codes, targets in ((band, row_t), (gender, col_t)):
            sums = np.bincount(codes, weights=w, minlength=len(targets))
            w = w * (targets / sums)[codes]
    return w


def test_rake_matches_independent_ipf_and_reaches_margins() -> None:
    rng = np.random.default_rng(7)
    band = rng.integers(0, 4, 300)
    gender = rng.integers(0, 2, 300)
    shares_band = np.array([0.22, 0.31, 0.26, 0.21])
    shares_gender = np.array([0.52, 0.48])
    row_t, col_t = shares_band * 300, shares_gender * 300
    counts = np.zeros((1, 4, 2))
    np.add.at(counts, (0, band, gender), 1)
    result = rake(counts, row_t[None, :], col_t[None, :])
    w = result.cell_weights[0][band, gender]
    assert result.converged[0] and result.iterations[0] <= 100
    np.testing.assert_allclose(np.bincount(band, weights=w), row_t, atol=1e-6)
    np.testing.assert_allclose(np.bincount(gender, weights=w), col_t, atol=1e-6)
    np.testing.assert_allclose(w, _plain_ipf(band, gender, row_t, col_t), atol=1e-6)


def test_rake_groups_independent_and_missing_category_kept_at_one() -> None:
    counts = np.array(
        [
            [[2.0, 1.0], [1.0, 2.0]],
            [[3.0, 0.0], [0.0, 0.0]],  # only one cell has respondents: it takes both targets' total
        ]
    )
    rows = np.array([[4.0, 2.0], [3.0, 0.0]])
    cols = np.array([[3.0, 3.0], [3.0, 0.0]])
    result = rake(counts, rows, cols)
    assert result.converged.all()
    assert result.cell_weights[1, 0, 0] == pytest.approx(1.0)
    single = rake(counts[:1], rows[:1], cols[:1])
    np.testing.assert_allclose(result.cell_weights[0], single.cell_weights[0])


def test_rake_stops_after_max_iter_when_infeasible() -> None:
    # Structural zeros make the targets unreachable: rows want [1, 1] but the only respondents sit on the
    # diagonal of a table whose columns want [2, 0].
    counts = np.array([[[1.0, 0.0], [0.0, 1.0]]])
    result = rake(counts, np.array([[1.0, 1.0]]), np.array([[2.0, 0.0]]), max_iter=100)
    assert not result.converged[0]
    assert result.iterations[0] == 100
