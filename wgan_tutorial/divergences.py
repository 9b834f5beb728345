"""KL, JS, TV and the Earth-Mover (W1) distance, the four ways to compare distributions.

The groups of functions in this module:

- Two 1-D Gaussians N(mu1, s1^2) and N(mu2, s2^2): `kl_gaussian`, `js_gaussian`,
  `tv_gaussian`, `w1_gaussian`, `w2_gaussian` (closed forms, JS by accurate numerical
  integration), `gaussian_distances` (the four at once) and `optimal_critic_1d` (the
  1-Lipschitz function that attains W1 in the Kantorovich-Rubinstein dual).
- Discrete distributions, probability vectors over the same support: `kl`, `js`, `tv`, `w1`.
- Samples: `w1_samples` (two 1-D samples, as `scipy.stats.wasserstein_distance`) and
  `w1_point_clouds` (exact W1 between small point clouds in any dimension, by linear
  programming), so that a critic's estimate can be compared with the truth.
- The parallel-lines example of the WGAN paper: `parallel_lines`.

Background: Arjovsky, Chintala and Bottou, "Wasserstein GAN" (2017, arXiv 1701.07875),
Section 2 (definitions of the four distances, Example 1) and Section 3 (Kantorovich-
Rubinstein duality, Eq. 2). All divergences are in nats (natural logarithms).

Taught in notebooks/01_divergences_and_em_distance.ipynb.
"""
import math
from typing import NamedTuple

import numpy as np
from scipy import integrate, optimize, sparse, special

LOG2 = math.log(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)

# Sums of probability vectors may differ from 1 by this much (rounding in their making).
PROBABILITY_SUM_TOLERANCE = 1e-6

# Default cap on the number of transport-plan entries (n * m) of `w1_point_clouds`.
MAX_LP_VARIABLES = 250_000

# JS integrates over mu +- _JS_Z_RANGE standard deviations of each density: beyond 38 the
# standard normal density is below the smallest float, so nothing is lost.
_JS_Z_RANGE = 40.0
_JS_Z_BREAKPOINTS = (0.0, -1.0, 1.0, -2.0, 2.0, -4.0, 4.0, -8.0, 8.0, -16.0, 16.0)


class Distances(NamedTuple):
    """The four ways to compare two distributions P and Q (KL is KL(P || Q)), in nats."""

    kl: object
    js: object
    tv: object
    w1: object


# ---------------------------------------------------------------------------------------
# Argument checks: each names the parameter and the allowed range.
# ---------------------------------------------------------------------------------------


def _as_float_array(name, value):
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{name} must be a real number or an array of them, got {value!r}"
        ) from error


def _first_bad(array, bad):
    return float(array[bad].flat[0])


def _check_finite(name, value):
    array = _as_float_array(name, value)
    bad = ~np.isfinite(array)
    if np.any(bad):
        raise ValueError(f"{name} must be finite, got {_first_bad(array, bad)}")
    return array


def _check_positive(name, value):
    array = _check_finite(name, value)
    bad = array <= 0
    if np.any(bad):
        raise ValueError(f"{name} must be > 0, got {_first_bad(array, bad)}")
    return array


def _check_gaussians(mu1, s1, mu2, s2):
    return np.broadcast_arrays(
        _check_finite("mu1", mu1),
        _check_positive("s1", s1),
        _check_finite("mu2", mu2),
        _check_positive("s2", s2),
    )


def _check_probability_vector(name, p):
    array = _as_float_array(name, p)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D probability vector, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty (a probability vector has >= 1 entry)")
    bad = ~np.isfinite(array)
    if np.any(bad):
        raise ValueError(f"{name} must be finite, got {_first_bad(array, bad)}")
    if np.any(array < 0):
        index = int(np.argmax(array < 0))
        raise ValueError(f"{name} must be >= 0 everywhere, got {array[index]} at index {index}")
    total = float(np.sum(array))
    if abs(total - 1.0) > PROBABILITY_SUM_TOLERANCE:
        raise ValueError(
            f"{name} must sum to 1 (within {PROBABILITY_SUM_TOLERANCE:g}), got a sum of {total!r}"
        )
    return array


def _check_probability_pair(p, q):
    p = _check_probability_vector("p", p)
    q = _check_probability_vector("q", q)
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same length, got {p.size} and {q.size}")
    return p, q


def _check_sample(name, x):
    array = _as_float_array(name, x)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sample (shape (n,)), got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty (a sample needs >= 1 value)")
    return _check_finite(name, array)


def _scalar_or_array(array):
    array = np.asarray(array, dtype=np.float64)
    return float(array) if array.ndim == 0 else array


# ---------------------------------------------------------------------------------------
# Two 1-D Gaussians.
# ---------------------------------------------------------------------------------------


def kl_gaussian(mu1, s1, mu2, s2):
    """KL(P || Q) between P = N(mu1, s1^2) and Q = N(mu2, s2^2), in nats (closed form).

    KL(P || Q) = log(s2 / s1) + (s1^2 + (mu1 - mu2)^2) / (2 s2^2) - 1/2. Not symmetric:
    swapping P and Q changes the value unless s1 == s2. KL is the first distance of
    Arjovsky et al. 2017 (arXiv 1701.07875), Section 2.

    Args:
        mu1, mu2: means, finite floats or arrays (broadcast together).
        s1, s2: standard deviations, floats or arrays > 0.

    Returns:
        float for scalar arguments, else an array of the broadcast shape; values >= 0.

    Raises:
        ValueError: a mean is not finite, or a standard deviation is not finite and > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    mu1, s1, mu2, s2 = _check_gaussians(mu1, s1, mu2, s2)
    ratio = s1 / s2
    value = -np.log(ratio) + 0.5 * (ratio**2 + ((mu1 - mu2) / s2) ** 2) - 0.5
    return _scalar_or_array(np.maximum(value, 0.0))


def _density_crossings(mu1, s1, mu2, s2):
    """The points where the densities of N(mu1, s1^2) and N(mu2, s2^2) are equal.

    With u = x - mu1 and delta = mu2 - mu1, p = q is the quadratic
    (s1^2 - s2^2) u^2 - 2 delta s1^2 u + s1^2 (delta^2 - 2 s2^2 log(s1 / s2)) = 0, whose
    discriminant is 4 s1^2 s2^2 R^2 with R^2 = delta^2 + 2 (s1^2 - s2^2) log(s1 / s2) >= 0:
    two crossings when s1 != s2, one (the midpoint) when s1 == s2. The roots are taken in a
    form without cancellation: q = delta s1 + sign(delta) s2 R, u_near = s1 (delta^2 -
    2 s2^2 log(s1 / s2)) / q, u_far = s1 q / (s1^2 - s2^2) (+-inf when s1 == s2).

    Returns:
        (x_near, x_far) arrays; nan where the two distributions are identical.
    """
    delta = mu2 - mu1
    log_ratio = np.log(s1 / s2)
    r = np.sqrt(np.maximum(delta**2 + 2.0 * (s1 - s2) * (s1 + s2) * log_ratio, 0.0))
    sign = np.where(delta >= 0, 1.0, -1.0)
    q = delta * s1 + sign * s2 * r
    with np.errstate(divide="ignore", invalid="ignore"):
        u_near = s1 * (delta**2 - 2.0 * s2**2 * log_ratio) / q
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

    Args:
        mu1, mu2: means, finite floats or arrays (broadcast together).
        s1, s2: standard deviations, floats or arrays > 0.

    Returns:
        float for scalar arguments, else an array of the broadcast shape; values in [0, 1].

    Raises:
        ValueError: a mean is not finite, or a standard deviation is not finite and > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    mu1, s1, mu2, s2 = _check_gaussians(mu1, s1, mu2, s2)
    x_near, x_far = _density_crossings(mu1, s1, mu2, s2)

    def cdf_gap(x):  # D(x) = F_P(x) - F_Q(x)
        with np.errstate(invalid="ignore"):
            return _normal_cdf_difference((x - mu1) / s1, (x - mu2) / s2)

    value = np.abs(cdf_gap(x_near) - cdf_gap(x_far))
    identical = (mu1 == mu2) & (s1 == s2)
    value = np.where(identical, 0.0, value)
    return _scalar_or_array(np.clip(value, 0.0, 1.0))


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
        log_b_over_a = log_s - 0.5 * ((x - mu_b) / s_b) ** 2 + 0.5 * z * z
        return math.exp(-0.5 * z * z) * _INV_SQRT_2PI * _log_half_mixture_ratio(log_b_over_a)

    points = set(_JS_Z_BREAKPOINTS)
    crossings = _density_crossings(*(np.float64(value) for value in (mu_a, s_a, mu_b, s_b)))
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
    Symmetric; bounded by log 2, which it reaches when the supports are (numerically)
    disjoint.

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
    mu1, s1, mu2, s2 = _check_gaussians(mu1, s1, mu2, s2)
    out = np.empty(mu1.shape, dtype=np.float64)
    for index in np.ndindex(mu1.shape):
        a = (float(mu1[index]), float(s1[index]))
        b = (float(mu2[index]), float(s2[index]))
        if a == b:
            out[index] = 0.0
            continue
        half_p = _expected_log_ratio_to_mixture(*a, *b)
        half_q = _expected_log_ratio_to_mixture(*b, *a)
        out[index] = 0.5 * (half_p + half_q)
    return _scalar_or_array(np.clip(out, 0.0, LOG2))


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
        float for scalar arguments, else an array of the broadcast shape; values >= 0.

    Raises:
        ValueError: a mean is not finite, or a standard deviation is not finite and > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    mu1, s1, mu2, s2 = _check_gaussians(mu1, s1, mu2, s2)
    m = np.abs(mu1 - mu2)
    sigma = np.abs(s1 - s2)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(sigma > 0, m / np.where(sigma > 0, sigma, 1.0), np.inf)
        folded = sigma * math.sqrt(2.0 / math.pi) * np.exp(-0.5 * ratio**2)
        folded = folded + m * special.erf(ratio / math.sqrt(2.0))
    value = np.where(sigma > 0, folded, m)
    return _scalar_or_array(value)


def w2_gaussian(mu1, s1, mu2, s2):
    """Wasserstein-2 distance between N(mu1, s1^2) and N(mu2, s2^2): sqrt(dmu^2 + ds^2).

    The quantile coupling of `w1_gaussian` is optimal for W2 too, and
    E[((mu1 - mu2) + (s1 - s2) z)^2] = (mu1 - mu2)^2 + (s1 - s2)^2. The 1-D case of the
    Frechet distance behind FID (Heusel et al. 2017, arXiv 1706.08500). W2 >= W1.

    Args:
        mu1, mu2: means, finite floats or arrays (broadcast together).
        s1, s2: standard deviations, floats or arrays > 0.

    Returns:
        float for scalar arguments, else an array of the broadcast shape; values >= 0.

    Raises:
        ValueError: a mean is not finite, or a standard deviation is not finite and > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    mu1, s1, mu2, s2 = _check_gaussians(mu1, s1, mu2, s2)
    return _scalar_or_array(np.hypot(mu1 - mu2, s1 - s2))


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


def optimal_critic_1d(x, mu1, s1, mu2, s2):
    """The 1-Lipschitz f attaining W1 = sup_f E_P f - E_Q f for P = N(mu1, s1^2), Q = N(mu2, s2^2).

    Kantorovich-Rubinstein duality (Arjovsky et al. 2017, arXiv 1701.07875, Eq. 2). In 1-D,
    E_P f - E_Q f = integral of f'(x) (F_Q(x) - F_P(x)) dx, which is largest for
    f' = sign(F_Q - F_P). For Gaussians F_P = F_Q only at x* = (mu2 s1 - mu1 s2) / (s1 - s2),
    so: f(x) = |x - x*| when s1 > s2 (P is wider: the critic rises on both tails),
    f(x) = -|x - x*| when s1 < s2, and f(x) = sign(mu1 - mu2) x when s1 == s2 (a straight
    line, the WGAN critic's shape in the paper's Figure 2). Defined up to a constant.

    Args:
        x: points where to evaluate f, finite float or array.
        mu1, mu2: means, finite floats (scalars).
        s1, s2: standard deviations, floats > 0 (scalars).

    Returns:
        f(x), float for scalar x, else an array of x's shape.

    Raises:
        ValueError: x or a mean is not finite, a standard deviation is not finite and > 0,
            or a Gaussian parameter is not a scalar.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    x = _check_finite("x", x)
    params = _check_gaussians(mu1, s1, mu2, s2)
    for name, value in zip(("mu1", "s1", "mu2", "s2"), params):
        if value.ndim != 0:
            raise ValueError(f"{name} must be a scalar, got shape {value.shape}")
    mu1, s1, mu2, s2 = (float(value) for value in params)
    if s1 == s2:
        return _scalar_or_array(np.sign(mu1 - mu2) * x)
    crossing = (mu2 * s1 - mu1 * s2) / (s1 - s2)
    return _scalar_or_array(np.sign(s1 - s2) * np.abs(x - crossing))


# ---------------------------------------------------------------------------------------
# Discrete distributions: probability vectors over the same support.
# ---------------------------------------------------------------------------------------


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
    p, q = _check_probability_pair(p, q)
    support = p > 0
    if np.any(q[support] == 0):
        return math.inf
    value = np.sum(p[support] * np.log(p[support] / q[support]))
    return max(float(value), 0.0)


def js(p, q):
    """Jensen-Shannon divergence KL(p || m) / 2 + KL(q || m) / 2, m = (p + q) / 2, in nats.

    Finite for any pair (m > 0 wherever p or q is); symmetric; log 2 exactly when p and q
    have disjoint supports. Arjovsky et al. 2017 (arXiv 1701.07875), Section 2.

    Args:
        p, q: 1-D arrays of the same length n >= 1, entries >= 0, each summing to 1 (within
            1e-6).

    Returns:
        float in [0, log 2].

    Raises:
        ValueError: p or q is not a valid probability vector, or their lengths differ.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    p, q = _check_probability_pair(p, q)
    m = 0.5 * (p + q)

    def half(a):
        mask = a > 0
        return np.sum(a[mask] * np.log(a[mask] / m[mask]))

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
    p, q = _check_probability_pair(p, q)
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
        float >= 0, in the units of the support.

    Raises:
        ValueError: p or q is not a valid probability vector, their lengths differ, or the
            support is not n finite points / a spacing > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    p, q = _check_probability_pair(p, q)
    support_array = _as_float_array("support", support)
    if support_array.ndim == 0:
        spacing = float(_check_positive("support", support_array))
        points = spacing * np.arange(p.size, dtype=np.float64)
    else:
        if support_array.shape != p.shape:
            raise ValueError(
                f"support must hold one point per entry of p (shape ({p.size},)) or be a "
                f"spacing > 0, got shape {support_array.shape}"
            )
        points = _check_finite("support", support_array)
    order = np.argsort(points, kind="stable")
    points, p, q = points[order], p[order], q[order]
    gaps = np.diff(points)
    cumulative_gap = np.cumsum(p)[:-1] - np.cumsum(q)[:-1]
    return float(np.sum(np.abs(cumulative_gap) * gaps))


# ---------------------------------------------------------------------------------------
# Samples and point clouds.
# ---------------------------------------------------------------------------------------


def w1_samples(x, y):
    """Earth-Mover (W1) distance between the empirical distributions of two 1-D samples.

    W1 = integral |F_x(t) - F_y(t)| dt with F_x, F_y the empirical CDFs (each point of a
    sample weighs 1/n); the two step functions are constant between consecutive values of
    the pooled sample, so the integral is an exact finite sum. For equal sizes it equals the
    mean of |sorted(x) - sorted(y)| (the quantile coupling). Gives the value of
    scipy.stats.wasserstein_distance(x, y). Arjovsky et al. 2017 (arXiv 1701.07875), Eq. 1.

    Args:
        x: 1-D array of n >= 1 finite values.
        y: 1-D array of m >= 1 finite values (m may differ from n).

    Returns:
        float >= 0.

    Raises:
        ValueError: x or y is not 1-D, is empty or holds non-finite values.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    x = np.sort(_check_sample("x", x))
    y = np.sort(_check_sample("y", y))
    pooled = np.sort(np.concatenate([x, y]))
    gaps = np.diff(pooled)
    cdf_x = np.searchsorted(x, pooled[:-1], side="right") / x.size
    cdf_y = np.searchsorted(y, pooled[:-1], side="right") / y.size
    return float(np.sum(np.abs(cdf_x - cdf_y) * gaps))


def _check_points(name, points):
    array = _as_float_array(name, points)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be an array of points of shape (n, d) (or (n,)), got shape {array.shape}"
        )
    if array.shape[0] == 0:
        raise ValueError(f"{name} must not be empty (a point cloud needs >= 1 point)")
    return _check_finite(name, array)


def _check_weights(name, weights, size, points_name):
    if weights is None:
        return np.full(size, 1.0 / size)
    array = _check_finite(name, weights)
    if array.shape != (size,):
        raise ValueError(
            f"{name} must have shape ({size},) (one weight per point of {points_name}), "
            f"got shape {array.shape}"
        )
    if np.any(array < 0):
        index = int(np.argmax(array < 0))
        raise ValueError(f"{name} must be >= 0 everywhere, got {array[index]} at index {index}")
    total = float(np.sum(array))
    if total <= 0:
        raise ValueError(f"{name} must have a sum > 0, got {total}")
    return array / total


def w1_point_clouds(
    x, y, x_weights=None, y_weights=None, *, max_variables=MAX_LP_VARIABLES, return_plan=False
):
    """Exact Earth-Mover (W1) distance between two weighted point clouds, by linear programming.

    Solves the primal of Arjovsky et al. 2017 (arXiv 1701.07875), Eq. 1 on discrete
    distributions: minimise sum_ij T_ij |x_i - y_j| (Euclidean) over transport plans T >= 0
    with row sums x_weights and column sums y_weights, with scipy.optimize.linprog
    (method "highs"). Meant for small clouds (a few hundred points each), to compare a
    critic's estimate of W1 with the truth.

    Args:
        x: array of shape (n, d) (or (n,) for 1-D points), finite.
        y: array of shape (m, d) (or (m,)), finite, same d as x.
        x_weights: None (uniform, 1/n each) or shape (n,), >= 0 with a positive sum;
            normalised to sum to 1, as scipy.stats.wasserstein_distance does.
        y_weights: None or shape (m,), likewise.
        max_variables: largest n * m allowed (the plan's size), int >= 1.
        return_plan: also return the optimal plan T, shape (n, m), entries summing to 1.

    Returns:
        float W1 >= 0 in the units of the points; with return_plan, (w1, plan).

    Raises:
        ValueError: a cloud is empty, not 2-D, non-finite, of another dimension than the
            other; weights of the wrong shape, negative or summing to 0; n * m >
            max_variables.
        RuntimeError: the linear-program solver failed.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    is_integer = isinstance(max_variables, (int, np.integer))
    is_integer = is_integer and not isinstance(max_variables, bool)
    if not is_integer or max_variables < 1:
        raise ValueError(f"max_variables must be an integer >= 1, got {max_variables!r}")
    x = _check_points("x", x)
    y = _check_points("y", y)
    if x.shape[1] != y.shape[1]:
        raise ValueError(
            f"x and y must have the same dimension d (columns), got {x.shape[1]} and {y.shape[1]}"
        )
    n, m = x.shape[0], y.shape[0]
    if n * m > max_variables:
        raise ValueError(
            f"x and y are too large for the exact linear program: n * m = {n} * {m} = {n * m} "
            f"plan entries, but max_variables = {max_variables}; subsample the clouds or raise "
            f"max_variables"
        )
    a = _check_weights("x_weights", x_weights, n, "x")
    b = _check_weights("y_weights", y_weights, m, "y")
    cost = np.sqrt(np.sum((x[:, None, :] - y[None, :, :]) ** 2, axis=-1))
    # Plan entry T_ij is variable i * m + j. Rows: sum_j T_ij = a_i. Columns: sum_i T_ij =
    # b_j, the last column left out (it follows from the others, and dropping it keeps
    # the system consistent under rounding).
    rows = sparse.kron(sparse.identity(n, format="csr"), np.ones((1, m)), format="csr")
    columns = sparse.kron(np.ones((1, n)), sparse.identity(m, format="csr"), format="csr")[: m - 1]
    a_eq = sparse.vstack([rows, columns], format="csr")
    b_eq = np.concatenate([a, b[: m - 1]])
    result = optimize.linprog(cost.ravel(), A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if result.status != 0:
        raise RuntimeError(f"the linear program for W1 failed: {result.message}")
    value = max(float(result.fun), 0.0)
    if return_plan:
        return value, np.maximum(result.x.reshape(n, m), 0.0)
    return value


# ---------------------------------------------------------------------------------------
# The parallel-lines example.
# ---------------------------------------------------------------------------------------


def parallel_lines(theta):
    """The four distances between P0 = (0, Z) and P_theta = (theta, Z), Z ~ U[0, 1].

    Example 1 of Arjovsky et al. 2017 (arXiv 1701.07875): two uniform distributions on
    parallel vertical segments at horizontal distance |theta|. For theta != 0 the supports
    are disjoint: KL = +inf, JS = log 2, TV = 1, whatever theta, while W1 = |theta| (every
    point moves horizontally by |theta|). At theta = 0 all four are 0. Only W1 is
    continuous in theta and gives a gradient that points theta back to 0.

    Args:
        theta: horizontal offset, finite float or array.

    Returns:
        Distances(kl, js, tv, w1), each a float for scalar theta, else an array of theta's
        shape.

    Raises:
        ValueError: theta is not finite.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    theta = _check_finite("theta", theta)
    apart = theta != 0
    return Distances(
        kl=_scalar_or_array(np.where(apart, np.inf, 0.0)),
        js=_scalar_or_array(np.where(apart, LOG2, 0.0)),
        tv=_scalar_or_array(np.where(apart, 1.0, 0.0)),
        w1=_scalar_or_array(np.abs(theta)),
    )
