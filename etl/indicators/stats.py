"""Survey statistics of brief §5.1: Wilson interval, Kish effective sample size, weighted median, raking.

Kept apart from the indicator modules so each formula is defined once, in plain numpy/pandas, and can be
checked against hand-worked examples and reference implementations (statsmodels) in isolation. Every
function works on whole arrays or grouped frames at once: the network has ~100 towns × 10 years, and a
Python loop per group or respondent would dominate the ETL's run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# Two-sided 95 %: scipy.stats.norm.ppf(0.975), the value statsmodels' proportion_confint uses.
Z_95 = 1.959963984540054


def kish_n_eff(sum_w: np.ndarray | float, sum_w2: np.ndarray | float) -> np.ndarray:
    """Kish's effective sample size (Σw)² / Σw²: how many unweighted answers the weighted ones are worth.

    With all weights equal it is the number of answers; unequal weights make it smaller, which widens the
    interval honestly. Zero weight sums give NaN (no answers, no interval). It is at least 1 wherever there is a
    weight: raking towards an almost empty population cell can leave a respondent a weight so small (1e-163)
    that Σw² underflows to 0 in floating point; that answer then counts as the one it is, not as NaN.
    """
    sw = np.asarray(sum_w, dtype=float)
    sw2 = np.asarray(sum_w2, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = sw * sw / np.where(sw2 > 0, sw2, 1.0)
    return np.where(sw > 0, np.maximum(np.where(sw2 > 0, ratio, 1.0), 1.0), np.nan)


def wilson_interval(p: np.ndarray | float, n: np.ndarray | float, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval for a share ``p`` observed on ``n`` (effective) answers.

    Chosen over the normal approximation because it stays inside [0, 1] and behaves at shares near 0 or 1
    and at small n, which small towns and subgroups produce. Where n is not positive the bounds are NaN.
    The bounds are clipped so that ``low ≤ p ≤ high`` also holds in floating point.
    """
    p = np.asarray(p, dtype=float)
    n = np.asarray(n, dtype=float)
    valid = n > 0
    n_safe = np.where(valid, n, 1.0)
    z2 = z * z
    denom = 1.0 + z2 / n_safe
    centre = (p + z2 / (2.0 * n_safe)) / denom
    half = z * np.sqrt(np.clip(p * (1.0 - p), 0.0, None) / n_safe + z2 / (4.0 * n_safe * n_safe)) / denom
    low = np.clip(np.minimum(centre - half, p), 0.0, 1.0)
    high = np.clip(np.maximum(centre + half, p), 0.0, 1.0)
    return np.where(valid, low, np.nan), np.where(valid, high, np.nan)


def weighted_median(values: Sequence[float] | np.ndarray, weights: Sequence[float] | np.ndarray) -> float:
    """The smallest value whose cumulative weight (values sorted ascending) reaches half the total weight.

    This is the lower weighted median of §5.1: it is always one of the observed values (an answer someone
    gave), never an interpolation. NaN for no values.
    """
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    if v.size == 0:
        return float("nan")
    frame = pd.DataFrame({"g": 0, "v": v, "w": w})
    return float(grouped_weighted_median(frame, ["g"], "v", "w")["median"].iloc[0])


def grouped_weighted_median(frame: pd.DataFrame, keys: list[str], value: str, weight: str) -> pd.DataFrame:
    """The weighted median (see :func:`weighted_median`) of ``value`` per group of ``keys``, vectorised.

    Returns one row per group with the keys, ``median`` and ``n`` (number of values). A relative tolerance
    of 1e-12 absorbs the rounding of the cumulative sum, so that e.g. weights 0.1 + 0.2 + 0.2 reach half
    of 1.0 as they do in exact arithmetic.
    """
    data = frame[[*keys, value, weight]].dropna(subset=[value, weight])
    data = data.sort_values([*keys, value], kind="mergesort")
    grouped = data.groupby(keys, sort=False, observed=True)
    cum = grouped[weight].cumsum()
    total = grouped[weight].transform("sum")
    reached = cum >= total / 2.0 - 1e-12 * total.abs()
    first = data.loc[reached].groupby(keys, sort=False, observed=True)[value].first().rename("median")
    n = grouped.size().rename("n")
    return pd.concat([first, n], axis=1).reset_index()


@dataclass(frozen=True)
class RakeResult:
    """Raking factors of G independent groups.

    ``cell_weights[g, i, j]`` is the weight of every respondent in row category i and column category j of
    group g (raking from weight 1 gives all respondents of a cell the same weight); ``converged[g]`` says
    whether every margin of group g was within the tolerance; ``iterations[g]`` how many passes it took.
    """

    cell_weights: np.ndarray
    converged: np.ndarray
    iterations: np.ndarray


def rake(
    counts: np.ndarray,
    row_targets: np.ndarray,
    col_targets: np.ndarray,
    tol: float = 1e-6,
    max_iter: int = 100,
) -> RakeResult:
    """Iterative proportional fitting of a two-margin raking, for many groups at once.

    ``counts`` has shape (G, R, C): respondents per group, row category (age band) and column category
    (gender). ``row_targets`` (G, R) and ``col_targets`` (G, C) are the weight totals each margin must
    reach. One pass scales the rows to their targets, then the columns; a group stops as soon as both
    margins are within ``tol`` (absolute, in respondent units) and is not touched afterwards, at most
    ``max_iter`` passes. Categories without respondents cannot be scaled and keep factor 1; a caller that
    wants convergence gives them target 0 and spreads their share over the others.
    """
    counts = np.asarray(counts, dtype=float)
    row_targets = np.asarray(row_targets, dtype=float)
    col_targets = np.asarray(col_targets, dtype=float)
    g = counts.shape[0]
    r = np.ones(counts.shape[:2])
    c = np.ones((g, counts.shape[2]))
    converged = np.zeros(g, dtype=bool)
    iterations = np.zeros(g, dtype=int)
    row_has = counts.sum(axis=2) > 0
    col_has = counts.sum(axis=1) > 0

    def margin_error(r_: np.ndarray, c_: np.ndarray, cnt: np.ndarray, rt: np.ndarray, ct: np.ndarray) -> np.ndarray:
        w = cnt * r_[:, :, None] * c_[:, None, :]
        row_err = np.abs(w.sum(axis=2) - rt) * (cnt.sum(axis=2) > 0)
        col_err = np.abs(w.sum(axis=1) - ct) * (cnt.sum(axis=1) > 0)
        return np.maximum(row_err.max(axis=1, initial=0.0), col_err.max(axis=1, initial=0.0))

    converged = margin_error(r, c, counts, row_targets, col_targets) <= tol
    for step in range(1, max_iter + 1):
        active = ~converged
        if not active.any():
            break
        cnt, ca = counts[active], c[active]
        row_sum = (cnt * ca[:, None, :]).sum(axis=2)
        ra = np.where(row_has[active], row_targets[active] / np.where(row_sum > 0, row_sum, 1.0), 1.0)
        col_sum = (cnt * ra[:, :, None]).sum(axis=1)
        ca = np.where(col_has[active], col_targets[active] / np.where(col_sum > 0, col_sum, 1.0), 1.0)
        r[active], c[active] = ra, ca
        iterations[active] = step
        converged[active] = margin_error(ra, ca, cnt, row_targets[active], col_targets[active]) <= tol
    return RakeResult(cell_weights=r[:, :, None] * c[:, None, :], converged=converged, iterations=iterations)
