"""KL, JS, TV, W1 and W2 between two 1-D Gaussians, and the optimal critic between them.

P = N(mu1, s1^2) and Q = N(mu2, s2^2): `kl_gaussian`, `js_gaussian`, `tv_gaussian`,
`w1_gaussian`, `w2_gaussian` (closed forms; JS by accurate numerical integration),
`gaussian_distances` (the four of Arjovsky et al. at once) and `optimal_critic_1d` (the
1-Lipschitz function that attains W1 in the Kantorovich-Rubinstein dual).

Every function accepts any finite means and any finite widths > 0, from subnormal numbers to
1e308, and returns a finite value wherever the true value is a float: the formulas are
evaluated in log space or in the standard coordinates of the wider density (see
`numerics`). KL, W1 and W2 are unbounded; where their true value exceeds the largest float
(about 1.8e308; for KL e.g. a width ratio s1 / s2 above 1e154) they return inf.

Background: Arjovsky, Chintala and Bottou, "Wasserstein GAN" (2017, arXiv 1701.07875),
Section 2 (the four distances) and Section 3 (Kantorovich-Rubinstein duality, Eq. 2).
All divergences are in nats (natural logarithms).

Taught in notebooks/01_divergences_and_em_distance.ipynb.
"""

import math
import sys
from typing import NamedTuple

import numpy as np
from scipy import integrate, special

from wgan_tutorial.divergences.checks import check_finite, check_gaussians, scalar_or_array
from wgan_tutorial.divergences.numerics import (
    difference_over,
    expm1_minus_identity,
    log_ratio,
)

LOG2 = math.log(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)

# JS integrates over mu +- _JS_Z_RANGE standard deviations of each density: beyond 38 the
# standard normal density is below the smallest float, so nothing is lost.
_JS_Z_RANGE = 40.0
_JS_Z_BREAKPOINTS = (0.0, -1.0, 1.0, -2.0, 2.0, -4.0, 4.0, -8.0, 8.0, -16.0, 16.0)

# In the standard coordinates of the wider density (its width 1), JS and TV are at their
# limits log 2 and 1 to double precision when the means are further apart than this...
_DISJOINT_GAP = 100.0
# ... or when the narrower density is narrower than this (its whole mass sits where the
# other density carries less than 1e-98 of probability).
_NEGLIGIBLE_WIDTH = 1e-100


class Distances(NamedTuple):
    """The four ways to compare two distributions P and Q (KL is KL(P || Q)), in nats."""

    kl: object
    js: object
    tv: object
    w1: object


def _standardized(mu1, s1, mu2, s2):
    """(d1, t1, d2, t2, saturated, identical): P and Q in the wider density's standard units.

    x -> (x - mu_n) / max(s1, s2), with mu_n the mean of the narrower density: JS and TV do
    not change under this map; afterwards P = N(d1, t1^2), Q = N(d2, t2^2) with
    max(t1, t2) = 1 and the narrower density centred at 0, where its crossings with the
    other keep their digits. `saturated` marks the pairs that are disjoint to double
    precision (see _DISJOINT_GAP, _NEGLIGIBLE_WIDTH); their values are replaced by harmless
    ones. `identical` marks equal pairs, and pairs whose means are closer than the smallest
    float in these units.
    """
    scale = np.maximum(s1, s2)
    p_narrower = s1 <= s2
    gap = difference_over(mu1, mu2, scale)  # d1 - d2
    t1, t2 = s1 / scale, s2 / scale
    saturated = (np.abs(gap) > _DISJOINT_GAP) | (np.minimum(t1, t2) < _NEGLIGIBLE_WIDTH)
    gap = np.where(saturated, 1.0, gap)
    d1 = np.where(p_narrower, 0.0, gap)
    d2 = np.where(p_narrower, -gap, 0.0)
    t1 = np.where(saturated, 1.0, t1)
    t2 = np.where(saturated, 1.0, t2)
    identical = ((mu1 == mu2) & (s1 == s2)) | ((d1 == d2) & (t1 == t2) & ~saturated)
    return d1, t1, d2, t2, saturated, identical


def _crossings(mu1, s1, mu2, s2):
    """`_density_crossings`, with the narrower density first (its formula then has no
    cancellation, and the crossings are formed from that density's mean)."""
    first = s1 <= s2
    return _density_crossings(
        np.where(first, mu1, mu2),
        np.where(first, s1, s2),
        np.where(first, mu2, mu1),
        np.where(first, s2, s1),
    )


def kl_gaussian(mu1, s1, mu2, s2):
    """KL(P || Q) between P = N(mu1, s1^2) and Q = N(mu2, s2^2), in nats (closed form).

    KL(P || Q) = log(s2 / s1) + (s1^2 + (mu1 - mu2)^2) / (2 s2^2) - 1/2. Not symmetric:
    swapping P and Q changes the value unless s1 == s2. KL is the first distance of
    Arjovsky et al. 2017 (arXiv 1701.07875), Section 2. Evaluated as
    (e^(2t) - 1 - 2t) / 2 + ((mu1 - mu2) / s2)^2 / 2 with t = log(s1 / s2): two terms >= 0,
    neither of which cancels, overflows or underflows before the result does.

    Args:
        mu1, mu2: means, finite floats or arrays (broadcast together).
        s1, s2: standard deviations, floats or arrays > 0.

    Returns:
        float for scalar arguments, else an array of the broadcast shape; values >= 0, inf
        where KL exceeds the largest float (about 1.8e308), e.g. s1 / s2 > 1e154 or
        |mu1 - mu2| / s2 > 1e154: the limit of KL for a Q of width -> 0 is +inf.

    Raises:
        ValueError: a mean is not finite, or a standard deviation is not finite and > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    mu1, s1, mu2, s2 = check_gaussians(mu1, s1, mu2, s2)
    width_term = expm1_minus_identity(2.0 * log_ratio(s1, s2))
    z = difference_over(mu1, mu2, s2)
    with np.errstate(over="ignore"):
        value = 0.5 * width_term + 0.5 * (z * z)
    return scalar_or_array(np.maximum(value, 0.0))


def _density_crossings(mu1, s1, mu2, s2):
    """The points where the densities of N(mu1, s1^2) and N(mu2, s2^2) are equal.

    With u = x - mu1 and delta = mu2 - mu1, p = q is the quadratic
    (s1^2 - s2^2) u^2 - 2 delta s1^2 u + s1^2 (delta^2 - 2 s2^2 log(s1 / s2)) = 0, whose
    discriminant is 4 s1^2 s2^2 R^2 with R^2 = delta^2 + 2 (s1^2 - s2^2) log(s1 / s2) >= 0:
    two crossings when s1 != s2, one (the midpoint) when s1 == s2. The roots are taken in a
    form without cancellation: q = delta s1 + sign(delta) s2 R, u_near = s1 (delta^2 -
    2 s2^2 log(s1 / s2)) / q, u_far = s1 q / (s1^2 - s2^2) (+-inf when s1 == s2).

    Args:
        mu1, s1, mu2, s2: float64 arrays (broadcast together) of moderate size: means
            within 1e100 of each other in units of the widths, widths within a factor
            1e100 (the standard coordinates of `_standardized` are).

    Returns:
        (x_near, x_far) arrays; nan where the two distributions are identical.
    """
    delta = mu2 - mu1
    log_s = np.log(s1 / s2)
    r = np.sqrt(np.maximum(delta**2 + 2.0 * (s1 - s2) * (s1 + s2) * log_s, 0.0))
    sign = np.where(delta >= 0, 1.0, -1.0)
    q = delta * s1 + sign * s2 * r
    with np.errstate(divide="ignore", invalid="ignore"):
        u_near = s1 * (delta**2 - 2.0 * s2**2 * log_s) / q
        u_far = s1 * q / ((s1 - s2) * (s1 + s2))
    return mu1 + u_near, mu1 + u_far


def _normal_cdf_difference(z1, z2):
    """Phi(z1) - Phi(z2), computed on the side of the tails where it keeps its digits."""
    upper = (z1 + z2) > 0
    with np.errstate(invalid="ignore"):
        upper_gap = special.ndtr(-z2) - special.ndtr(-z1)
        lower_gap = special.ndtr(z1) - special.ndtr(z2)
        return np.where(upper, upper_gap, lower_gap)


def tv_gaussian(mu1, s1, mu2, s2):
    """Total variation sup_A |P(A) - Q(A)| between N(mu1, s1^2) and N(mu2, s2^2) (closed form).

    The densities cross at one point (equal widths) or two (unequal widths); between
    crossings p - q keeps its sign, so TV = |D(x_a) - D(x_b)| with D = F_P - F_Q (normal
    CDFs) at the crossings (D = 0 at +-inf). TV is the second distance of Arjovsky et al.
    2017 (arXiv 1701.07875), Section 2; it saturates at 1 for far-apart distributions.
    Computed in the standard coordinates of the wider density, where it is exactly 1 to
    double precision beyond 100 widths apart or for a width ratio below 1e-100.

    Args:
        mu1, mu2: means, finite floats or arrays (broadcast together).
        s1, s2: standard deviations, floats or arrays > 0.

    Returns:
        float for scalar arguments, else an array of the broadcast shape; values in [0, 1].

    Raises:
        ValueError: a mean is not finite, or a standard deviation is not finite and > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    mu1, s1, mu2, s2 = check_gaussians(mu1, s1, mu2, s2)
    d1, t1, d2, t2, saturated, identical = _standardized(mu1, s1, mu2, s2)
    x_near, x_far = _crossings(d1, t1, d2, t2)

    def cdf_gap(x):  # D(x) = F_P(x) - F_Q(x)
        with np.errstate(invalid="ignore"):
            return _normal_cdf_difference((x - d1) / t1, (x - d2) / t2)

    value = np.abs(cdf_gap(x_near) - cdf_gap(x_far))
    value = np.where(saturated, 1.0, value)
    value = np.where(identical, 0.0, value)
    return scalar_or_array(np.clip(value, 0.0, 1.0))


def _log_half_mixture_ratio(d):
    """h(d) = log(2 / (1 + e^d)) = log(2 a / (a + b)) for d = log(b / a), without overflow.

    Near d = 0, -log1p(expm1(d) / 2) keeps the digits of small values (h(0) = 0 exactly).
    """
    if d <= 30.0:
        return -math.log1p(0.5 * math.expm1(d))
    return LOG2 - d - math.log1p(math.exp(-d))


def _expected_log_ratio_to_mixture(mu_a, s_a, mu_b, s_b):
    """E_A[log(2 a / (a + b))] for Gaussians A, B, integrated in A's standard coordinate z.

    x = mu_a + s_a z turns E_A into an integral against the standard normal density; the
    log-ratio log(b / a) is evaluated in log space, so nothing underflows however far apart
    or unequal in width the two densities are.
    """
    log_s = math.log(s_a / s_b)

    def integrand(z):
        x = mu_a + s_a * z
        y = (x - mu_b) / s_b
        log_b_over_a = log_s - 0.5 * y * y + 0.5 * z * z
        return math.exp(-0.5 * z * z) * _INV_SQRT_2PI * _log_half_mixture_ratio(log_b_over_a)

    points = set(_JS_Z_BREAKPOINTS)
    crossings = _crossings(*(np.float64(value) for value in (mu_a, s_a, mu_b, s_b)))
    for crossing in crossings:
        z = (float(crossing) - mu_a) / s_a
        if np.isfinite(z) and abs(z) < _JS_Z_RANGE:
            points.add(z)
    value, _ = integrate.quad(
        integrand,
        -_JS_Z_RANGE,
        _JS_Z_RANGE,
        points=sorted(points),
        limit=500,
        epsabs=1e-14,
        epsrel=1e-12,
    )
    return value


def js_gaussian(mu1, s1, mu2, s2):
    """Jensen-Shannon divergence between N(mu1, s1^2) and N(mu2, s2^2), in nats.

    JS(P, Q) = KL(P || M) / 2 + KL(Q || M) / 2 with M = (P + Q) / 2 (Arjovsky et al. 2017,
    arXiv 1701.07875, Section 2). It has no closed form: each half is integrated with
    scipy.integrate.quad in the standard coordinate of its density, over +-40 standard
    deviations, split at the crossing points of the densities, with the log-ratio to the
    mixture computed in log space (accurate for unequal widths and large separations).
    Both densities are first mapped to the standard coordinates of the wider one, where JS
    is log 2 to double precision beyond 100 widths apart or for a width ratio below
    1e-100. Symmetric; bounded by log 2, which it reaches when the supports are
    (numerically) disjoint.

    Args:
        mu1, mu2: means, finite floats or arrays (broadcast together).
        s1, s2: standard deviations, floats or arrays > 0.

    Returns:
        float for scalar arguments, else an array of the broadcast shape; values in
        [0, log 2].

    Raises:
        ValueError: a mean is not finite, or a standard deviation is not finite and > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    mu1, s1, mu2, s2 = check_gaussians(mu1, s1, mu2, s2)
    d1, t1, d2, t2, saturated, identical = _standardized(mu1, s1, mu2, s2)
    out = np.empty(mu1.shape, dtype=np.float64)
    for index in np.ndindex(mu1.shape):
        if identical[index]:
            out[index] = 0.0
            continue
        if saturated[index]:
            out[index] = LOG2
            continue
        a = (float(d1[index]), float(t1[index]))
        b = (float(d2[index]), float(t2[index]))
        half_p = _expected_log_ratio_to_mixture(*a, *b)
        half_q = _expected_log_ratio_to_mixture(*b, *a)
        out[index] = 0.5 * (half_p + half_q)
    return scalar_or_array(np.clip(out, 0.0, LOG2))


def w1_gaussian(mu1, s1, mu2, s2):
    """Earth-Mover (Wasserstein-1) distance between N(mu1, s1^2) and N(mu2, s2^2) (closed form).

    In 1-D the optimal coupling pairs equal quantiles: F_P^-1(u) - F_Q^-1(u) =
    (mu1 - mu2) + (s1 - s2) z with z standard normal, so W1 = E|X| for
    X ~ N(mu1 - mu2, (s1 - s2)^2), the mean of a folded normal:
    sigma sqrt(2 / pi) exp(-m^2 / (2 sigma^2)) + |m| erf(|m| / (sigma sqrt 2)), which is |m|
    when sigma = |s1 - s2| = 0. Definition: Arjovsky et al. 2017 (arXiv 1701.07875), Eq. 1.

    Args:
        mu1, mu2: means, finite floats or arrays (broadcast together).
        s1, s2: standard deviations, floats or arrays > 0.

    Returns:
        float for scalar arguments, else an array of the broadcast shape; values >= 0, inf
        only where W1 exceeds the largest float (means about 1e308 apart).

    Raises:
        ValueError: a mean is not finite, or a standard deviation is not finite and > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    mu1, s1, mu2, s2 = check_gaussians(mu1, s1, mu2, s2)
    m = np.abs(difference_over(mu1, mu2, 1.0))
    sigma = np.abs(s1 - s2)
    # m / sigma may be inf (sigma subnormal, or m inf): the formula's limit is then m.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(sigma > 0, m / np.where(sigma > 0, sigma, 1.0), np.inf)
        folded = sigma * math.sqrt(2.0 / math.pi) * np.exp(-0.5 * ratio**2)
        folded = folded + m * special.erf(ratio / math.sqrt(2.0))
    value = np.where(sigma > 0, folded, m)
    return scalar_or_array(value)


def w2_gaussian(mu1, s1, mu2, s2):
    """Wasserstein-2 distance between N(mu1, s1^2) and N(mu2, s2^2): sqrt(dmu^2 + ds^2).

    The quantile coupling of `w1_gaussian` is optimal for W2 too, and
    E[((mu1 - mu2) + (s1 - s2) z)^2] = (mu1 - mu2)^2 + (s1 - s2)^2. The 1-D case of the
    Frechet distance behind FID (Heusel et al. 2017, arXiv 1706.08500). W2 >= W1.

    Args:
        mu1, mu2: means, finite floats or arrays (broadcast together).
        s1, s2: standard deviations, floats or arrays > 0.

    Returns:
        float for scalar arguments, else an array of the broadcast shape; values >= 0, inf
        only where W2 exceeds the largest float.

    Raises:
        ValueError: a mean is not finite, or a standard deviation is not finite and > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    mu1, s1, mu2, s2 = check_gaussians(mu1, s1, mu2, s2)
    with np.errstate(over="ignore"):
        return scalar_or_array(np.hypot(difference_over(mu1, mu2, 1.0), s1 - s2))


def gaussian_distances(mu1, s1, mu2, s2):
    """All four distances between P = N(mu1, s1^2) and Q = N(mu2, s2^2), as `Distances`.

    Args:
        mu1, mu2: means, finite floats or arrays (broadcast together).
        s1, s2: standard deviations, floats or arrays > 0.

    Returns:
        Distances(kl=KL(P || Q), js, tv, w1), each a float (or array for array arguments).

    Raises:
        ValueError: a mean is not finite, or a standard deviation is not finite and > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    return Distances(
        kl=kl_gaussian(mu1, s1, mu2, s2),
        js=js_gaussian(mu1, s1, mu2, s2),
        tv=tv_gaussian(mu1, s1, mu2, s2),
        w1=w1_gaussian(mu1, s1, mu2, s2),
    )


def _cdf_crossing(mu1, s1, mu2, s2):
    """x* = (mu2 s1 - mu1 s2) / (s1 - s2), where F_P = F_Q (s1 != s2), without overflow.

    Written as mu_n + (mu2 - mu1) s_n / (s1 - s2) from the mean mu_n of the narrower
    density (the multiplier is then the smaller one); the gap of the means is formed from
    halves where it overflows, and multiplied before the division where the multiplier
    alone would be subnormal. +-inf where x* lies beyond the float range. (Python floats:
    an overflow gives inf, silently.)
    """
    if mu1 == mu2:
        return mu1
    base, width = (mu2, s2) if s2 < s1 else (mu1, s1)
    weight = width / (s1 - s2)
    gap = mu2 - mu1
    if not math.isfinite(gap):
        return base + 2.0 * ((0.5 * mu2 - 0.5 * mu1) * weight)
    if abs(weight) < sys.float_info.min and math.isfinite(gap * width):
        return base + gap * width / (s1 - s2)
    return base + gap * weight


def optimal_critic_1d(x, mu1, s1, mu2, s2):
    """The 1-Lipschitz f attaining W1 = sup_f E_P f - E_Q f for P = N(mu1, s1^2), Q = N(mu2, s2^2).

    Kantorovich-Rubinstein duality (Arjovsky et al. 2017, arXiv 1701.07875, Eq. 2). In 1-D,
    E_P f - E_Q f = integral of f'(x) (F_Q(x) - F_P(x)) dx, which is largest for
    f' = sign(F_Q - F_P). For Gaussians F_P = F_Q only at x* = (mu2 s1 - mu1 s2) / (s1 - s2),
    so: f(x) = |x - x*| when s1 > s2 (P is wider: the critic rises on both tails),
    f(x) = -|x - x*| when s1 < s2, and f(x) = sign(mu1 - mu2) x when s1 == s2 (a straight
    line, the WGAN critic's shape in the paper's Figure 2). Defined up to a constant: where
    x* lies beyond the float range (nearly equal widths far from it), the constant |x*| is
    dropped and f is the straight line it is on every float.

    Args:
        x: points where to evaluate f, finite float or array.
        mu1, mu2: means, finite floats (scalars).
        s1, s2: standard deviations, floats > 0 (scalars).

    Returns:
        f(x), float for scalar x, else an array of x's shape; inf only where |x - x*|
        exceeds the largest float.

    Raises:
        ValueError: x or a mean is not finite, a standard deviation is not finite and > 0,
            or a Gaussian parameter is not a scalar.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    x = check_finite("x", x)
    params = check_gaussians(mu1, s1, mu2, s2)
    for name, value in zip(("mu1", "s1", "mu2", "s2"), params, strict=True):
        if value.ndim != 0:
            raise ValueError(f"{name} must be a scalar, got shape {value.shape}")
    mu1, s1, mu2, s2 = (float(value) for value in params)
    if s1 == s2:
        return scalar_or_array(np.sign(mu1 - mu2) * x)
    crossing = _cdf_crossing(mu1, s1, mu2, s2)
    if not math.isfinite(crossing):
        return scalar_or_array(-np.sign(s1 - s2) * math.copysign(1.0, crossing) * x)
    with np.errstate(over="ignore"):
        return scalar_or_array(np.sign(s1 - s2) * np.abs(x - crossing))
