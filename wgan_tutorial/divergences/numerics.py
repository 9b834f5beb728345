"""Overflow- and cancellation-free building blocks of the divergence formulas.

Textbook formulas for the distances overflow or lose every digit at the edges of their
domain: (mu1 - mu2)^2 / s^2 overflows for means near 1e300, s1 / s2 underflows to 0 for
widths 1e-300 and 1e300, -log r + (r^2 - 1) / 2 cancels for r near 1. The helpers here
compute the same quantities in forms that keep their digits (log space, expm1, exact
halving), so that every public function returns a finite value wherever the true value is a
float, and inf only where the true value is larger than the largest float (about 1.8e308).
"""

import numpy as np

# Taylor coefficients 1/k! for k = 2..13 of expm1(u) - u = sum_k u^k / k!.
_SERIES = tuple(1.0 / float(np.prod(np.arange(1, k + 1, dtype=np.float64))) for k in range(2, 14))
# Below this |u| the series (to u^13) is exact to rounding; above it expm1(u) - u loses
# at most a factor 2 / |u| <= 20 of the last digit.
_SERIES_RANGE = 0.1


def log_ratio(a, b):
    """log(a / b) for a, b > 0, accurate to the last digit and never +-inf.

    For a and b within a factor 2 of each other (a - b is then exact), log1p((a - b) / b)
    keeps the digits of a ratio near 1; otherwise log a - log b, which does not overflow or
    underflow whatever the two magnitudes.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    near = (0.5 * a <= b) & (0.5 * b <= a)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(near, np.log1p((a - b) / b), np.log(a) - np.log(b))


def expm1_minus_identity(u):
    """e^u - 1 - u >= 0 without cancellation (a Taylor series for |u| < 0.1); inf on overflow."""
    u = np.asarray(u, dtype=np.float64)
    small = np.abs(u) < _SERIES_RANGE
    series = np.zeros_like(u)
    for coefficient in reversed(_SERIES):
        series = (series + coefficient) * u
    series = series * u
    with np.errstate(over="ignore"):
        direct = np.expm1(u) - u
    return np.where(small, series, direct)


def difference_over(a, b, scale):
    """(a - b) / scale without overflow in a - b (a, b finite, scale > 0).

    a - b overflows only for |a - b| > 1.8e308; then (a / 2 - b / 2) / scale * 2 is used
    (halving a number that large is exact). The result is +-inf only where the true value is
    beyond the float range.
    """
    with np.errstate(over="ignore"):
        gap = np.asarray(a, dtype=np.float64) - b
        halves = (0.5 * np.asarray(a, dtype=np.float64) - 0.5 * np.asarray(b)) / scale * 2.0
        return np.where(np.isfinite(gap), gap / scale, halves)


def gap_integral(heights, points):
    """sum_i |heights_i| (points_{i+1} - points_i) for sorted finite points, without overflow.

    The integral of a step function: W1 between two distributions on the line, with
    heights the gap between their CDFs on each interval. A gap between points of opposite
    sign near the largest float is formed as twice a difference of halves; the result is
    inf only where the true sum exceeds the largest float.

    Args:
        heights: array (n - 1,), the step function's value on each interval.
        points: sorted array (n,), finite.

    Returns:
        float >= 0.
    """
    heights = np.abs(np.asarray(heights, dtype=np.float64))
    with np.errstate(over="ignore"):
        gaps = np.diff(points)
        halves = np.diff(0.5 * np.asarray(points, dtype=np.float64))
        terms = np.where(np.isfinite(gaps), heights * gaps, (heights * halves) * 2.0)
        return float(np.sum(terms))
