"""KL, JS, TV and W1 between two discrete distributions: probability vectors on one support.

Any entries >= 0 summing to 1 are accepted, subnormal ones included; the log-ratios are
formed without overflow (`kl`, `js`) and the Earth-Mover sum without overflow of the
support's gaps (`w1`), so every result is finite where the true value is (KL is +inf, as
it should be, where p has mass that q does not).

Background: Arjovsky, Chintala and Bottou, "Wasserstein GAN" (2017, arXiv 1701.07875),
Section 2 (definitions) and Eq. 1 (W1). All divergences are in nats.

Taught in notebooks/01_divergences_and_em_distance.ipynb.
"""

import math

import numpy as np

from wgan_tutorial.divergences.checks import (
    as_float_array,
    check_finite,
    check_positive,
    check_probability_pair,
)
from wgan_tutorial.divergences.numerics import gap_integral

LOG2 = math.log(2.0)


def _log_ratio(a, b):
    """log(a / b) for arrays a, b > 0, never inf: log a - log b where a / b leaves the range."""
    with np.errstate(over="ignore", under="ignore"):
        ratio = a / b
    normal = np.isfinite(ratio) & (ratio >= np.finfo(np.float64).tiny)
    with np.errstate(divide="ignore"):
        return np.where(normal, np.log(np.where(normal, ratio, 1.0)), np.log(a) - np.log(b))


def kl(p, q):
    """KL(p || q) = sum_i p_i log(p_i / q_i) of two probability vectors, in nats.

    0 log(0 / q) = 0; a positive p_i where q_i = 0 makes KL = +inf (never NaN). Arjovsky et
    al. 2017 (arXiv 1701.07875), Section 2.

    Args:
        p, q: 1-D arrays of the same length n >= 1, entries >= 0, each summing to 1 (within
            1e-6).

    Returns:
        float >= 0, or inf.

    Raises:
        ValueError: p or q is not a valid probability vector, or their lengths differ.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    p, q = check_probability_pair(p, q)
    support = p > 0
    if np.any(q[support] == 0):
        return math.inf
    value = np.sum(p[support] * _log_ratio(p[support], q[support]))
    return max(float(value), 0.0)


def js(p, q):
    """Jensen-Shannon divergence KL(p || m) / 2 + KL(q || m) / 2, m = (p + q) / 2, in nats.

    Finite for any pair (m > 0 wherever p or q is); symmetric; log 2 exactly when p and q
    have disjoint supports. Arjovsky et al. 2017 (arXiv 1701.07875), Section 2. The ratio
    a / m is formed as 2 a / (p + q), which stays exact for subnormal entries.

    Args:
        p, q: 1-D arrays of the same length n >= 1, entries >= 0, each summing to 1 (within
            1e-6).

    Returns:
        float in [0, log 2].

    Raises:
        ValueError: p or q is not a valid probability vector, or their lengths differ.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    p, q = check_probability_pair(p, q)
    total = p + q

    def half(a):
        mask = a > 0
        return np.sum(a[mask] * np.log(2.0 * a[mask] / total[mask]))

    value = 0.5 * (half(p) + half(q))
    return float(np.clip(value, 0.0, LOG2))


def tv(p, q):
    """Total variation sup_A |p(A) - q(A)| = sum_i |p_i - q_i| / 2 of two probability vectors.

    Arjovsky et al. 2017 (arXiv 1701.07875), Section 2.

    Args:
        p, q: 1-D arrays of the same length n >= 1, entries >= 0, each summing to 1 (within
            1e-6).

    Returns:
        float in [0, 1].

    Raises:
        ValueError: p or q is not a valid probability vector, or their lengths differ.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    p, q = check_probability_pair(p, q)
    return float(np.clip(0.5 * np.sum(np.abs(p - q)), 0.0, 1.0))


def w1(p, q, support):
    """Earth-Mover (W1) distance of two probability vectors on the same 1-D support points.

    In 1-D, W1 = integral |F_p(x) - F_q(x)| dx; for point masses at sorted x_0 <= ... <=
    x_{n-1} that is sum_i |P_i - Q_i| (x_{i+1} - x_i), with P, Q the cumulative sums.
    Arjovsky et al. 2017 (arXiv 1701.07875), Eq. 1.

    Args:
        p, q: 1-D arrays of the same length n >= 1, entries >= 0, each summing to 1 (within
            1e-6).
        support: the n finite points carrying p_i and q_i (any order), or a float > 0: the
            spacing h of the grid 0, h, 2h, ...

    Returns:
        float >= 0, in the units of the support; inf only where W1 exceeds the largest
        float (points about 1e308 apart).

    Raises:
        ValueError: p or q is not a valid probability vector, their lengths differ, or the
            support is not n finite points / a spacing > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    p, q = check_probability_pair(p, q)
    support_array = as_float_array("support", support)
    if support_array.ndim == 0:
        spacing = float(check_positive("support", support_array))
        cumulative_gap = np.cumsum(p)[:-1] - np.cumsum(q)[:-1]
        with np.errstate(over="ignore"):  # inf only where W1 itself exceeds the float range
            return float(spacing * np.sum(np.abs(cumulative_gap)))
    if support_array.shape != p.shape:
        raise ValueError(
            f"support must hold one point per entry of p (shape ({p.size},)) or be a "
            f"spacing > 0, got shape {support_array.shape}"
        )
    points = check_finite("support", support_array)
    order = np.argsort(points, kind="stable")
    points, p, q = points[order], p[order], q[order]
    cumulative_gap = np.cumsum(p)[:-1] - np.cumsum(q)[:-1]
    return gap_integral(cumulative_gap, points)
