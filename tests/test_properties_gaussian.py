"""Property-based tests of the 1-D Gaussian distances and the optimal critic (divergences).

Each property draws (mu1, s1, mu2, s2) with hypothesis, from moderate values to the edges of
the float range (0, subnormal numbers, 1e-300, 1e300, the largest float), and checks the
result against a computation that shares no code with the package: the closed form in
100-digit decimal or exact rational arithmetic (tests/exact.py), scipy.integrate.quad of the
defining integral, or bounds between the distances (Pinsker, Hellinger). Where the true
value is beyond the largest float the function must return inf; any warning is an error.

Examples per property: the hypothesis profile (tests/conftest.py); a longer local run is
`HYPOTHESIS_PROFILE=thorough pytest tests/test_properties_gaussian.py`.
"""

import decimal
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy import integrate, special

from tests.exact import (
    CONTEXT,
    EDGE,
    LARGEST,
    UNDERFLOW,
    expect_float,
    finite_floats,
    positive_floats,
    to_decimal,
)
from wgan_tutorial import divergences as dv

pytestmark = pytest.mark.filterwarnings("error")

LOG2 = math.log(2.0)

# Any finite float, from -1.8e308 to 1.8e308, subnormal numbers and -0.0 included.
means = finite_floats
# Any finite float > 0, subnormal numbers included.
widths = positive_floats
# The values notebooks and users pass: where quad is a reliable oracle.
moderate_means = st.floats(-8.0, 8.0)
moderate_widths = st.floats(0.1, 8.0)
gaussian_pairs = st.tuples(means, widths, means, widths)
moderate_pairs = st.tuples(moderate_means, moderate_widths, moderate_means, moderate_widths)
# The edge cases named in the issue, each as (mu1, s1, mu2, s2).
EXTREME_PAIRS = [
    (0.0, 1e-300, 1.0, 1e-300),
    (0.0, 1e-300, 0.0, 1e300),
    (0.0, 1e300, 0.0, 1e-300),
    (1e300, 1e-300, -1e300, 1.0),
    (0.0, 5e-324, 1.0, 5e-324),
    (0.0, 5e-324, 0.0, 1.0),
    (1.7e308, 1.0, -1.7e308, 1e308),
    (0.0, 1e300, 1e-300, 1e300),
    (0.0, 1.0, 0.0, 1.0 + 2.0**-52),
]


def _pdf(x, mu, s):
    """The normal density, in plain floats (scipy.stats is 100 times slower per point)."""
    z = (x - mu) / s
    return math.exp(-0.5 * z * z) / (s * math.sqrt(2.0 * math.pi))


def _kl_exact(mu1, s1, mu2, s2):
    """KL(N(mu1, s1^2) || N(mu2, s2^2)) from the closed form in 100-digit decimal arithmetic."""
    mu1, s1, mu2, s2 = map(to_decimal, (mu1, s1, mu2, s2))
    with decimal.localcontext(CONTEXT):
        return (
            (s2 / s1).ln() + (s1 * s1 + (mu1 - mu2) ** 2) / (2 * s2 * s2) - decimal.Decimal("0.5")
        )


def _bhattacharyya(mu1, s1, mu2, s2):
    """The Bhattacharyya coefficient of two Gaussians, sum sqrt(p q), in decimal arithmetic."""
    mu1, s1, mu2, s2 = map(to_decimal, (mu1, s1, mu2, s2))
    with decimal.localcontext(CONTEXT):
        squares = s1 * s1 + s2 * s2
        root = (2 * s1 * s2 / squares).sqrt()
        return float(root * (-((mu1 - mu2) ** 2) / (4 * squares)).exp())


def _density_roots(mu1, s1, mu2, s2):
    """Where log p = log q: the real roots of the quadratic, by numpy.roots."""
    a = 0.5 / s2**2 - 0.5 / s1**2
    b = mu1 / s1**2 - mu2 / s2**2
    c = 0.5 * mu2**2 / s2**2 - 0.5 * mu1**2 / s1**2 + math.log(s2 / s1)
    roots = np.roots([a, b, c]) if a != 0 else np.roots([b, c])
    return [float(r.real) for r in np.atleast_1d(roots) if abs(r.imag) < 1e-9]


def _quad_between(function, mu1, s1, mu2, s2, width=12.0):
    """Integral of function over the bulk of both densities, split at means, +-k widths and
    the points where the densities cross (kinks of |p - q|)."""
    low = min(mu1 - width * s1, mu2 - width * s2)
    high = max(mu1 + width * s1, mu2 + width * s2)
    points = {mu + k * s for mu, s in ((mu1, s1), (mu2, s2)) for k in (-3, -1, 0, 1, 3)}
    points.update(x for x in _density_roots(mu1, s1, mu2, s2) if low < x < high)
    value, _ = integrate.quad(
        function, low, high, points=sorted(points), limit=500, epsabs=1e-13, epsrel=1e-10
    )
    return value


# ---------------------------------------------------------------------------------------
# KL, W1, W2 between Gaussians: exact oracles everywhere.
# ---------------------------------------------------------------------------------------


@given(gaussian_pairs)
@example((0.0, 1e-300, 0.0, 1e300))  # was inf (s1 / s2 underflowed to 0); true 1381.05
@example((0.0, 1e-300, 1.0, 1e-300))  # was an overflow warning; true 5e599 -> inf
@example((0.0, 1.0, 0.0, 1.0 + 2.0**-40))  # cancellation: true 8.1e-25, was off by 1e-16
def test_kl_gaussian_is_the_closed_form_in_exact_arithmetic(pair):
    expect_float(_kl_exact(*pair), dv.kl_gaussian(*pair), rel=1e-9, abs_tol=1e-80)


@given(gaussian_pairs)
@example((1e300, 1e-300, -1e300, 1.0))  # was an overflow warning in m / sigma
@example((1.7e308, 1.0, -1.7e308, 1.0))  # |mu1 - mu2| = 3.4e308: inf is the true value
def test_w1_gaussian_is_the_mean_of_the_folded_normal_by_quad(pair):
    mu1, s1, mu2, s2 = pair
    with decimal.localcontext(CONTEXT):
        m = abs(to_decimal(mu1) - to_decimal(mu2))
        sigma = abs(to_decimal(s1) - to_decimal(s2))
    scale = max(m, sigma)
    if scale == 0:
        assert dv.w1_gaussian(*pair) == 0.0
        return
    a, b = float(m / scale), float(sigma / scale)  # E|a + b Z|, one of a, b is 1
    if b == 0:
        unit = a
    else:
        kink = -a / b

        def folded(z):
            return abs(a + b * z) * math.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)

        unit, _ = integrate.quad(
            folded,
            -40.0,
            40.0,
            points=[kink] if abs(kink) < 40 else None,
            limit=200,
            epsabs=1e-15,
            epsrel=1e-12,
        )
    expect_float(scale * to_decimal(unit), dv.w1_gaussian(*pair), rel=1e-9, abs_tol=1e-300)


@given(gaussian_pairs)
def test_w2_gaussian_is_the_root_of_squared_gaps_in_exact_arithmetic(pair):
    mu1, s1, mu2, s2 = map(to_decimal, pair)
    with decimal.localcontext(CONTEXT):
        exact = ((mu1 - mu2) ** 2 + (s1 - s2) ** 2).sqrt()
    expect_float(exact, dv.w2_gaussian(*pair), rel=1e-14, abs_tol=1e-320)


@given(gaussian_pairs)
def test_w1_never_exceeds_w2(pair):
    w1, w2 = dv.w1_gaussian(*pair), dv.w2_gaussian(*pair)
    assert w1 >= 0.0
    assert w1 <= w2 * (1 + 1e-12) + 1e-320


# ---------------------------------------------------------------------------------------
# TV and JS between Gaussians: quad for moderate pairs, bounds everywhere.
# ---------------------------------------------------------------------------------------


@given(moderate_pairs)
def test_tv_gaussian_is_half_the_l1_distance_of_the_densities(pair):
    mu1, s1, mu2, s2 = pair
    expected = _quad_between(lambda x: 0.5 * abs(_pdf(x, mu1, s1) - _pdf(x, mu2, s2)), *pair)
    assert dv.tv_gaussian(*pair) == pytest.approx(expected, rel=1e-7, abs=1e-9)


@given(moderate_pairs)
def test_js_gaussian_is_the_defining_integral(pair):
    mu1, s1, mu2, s2 = pair

    def integrand(x):
        p, q = _pdf(x, mu1, s1), _pdf(x, mu2, s2)
        m = 0.5 * (p + q)
        return 0.5 * (special.rel_entr(p, m) + special.rel_entr(q, m))

    expected = _quad_between(integrand, *pair)
    assert dv.js_gaussian(*pair) == pytest.approx(expected, rel=1e-6, abs=1e-9)


@given(gaussian_pairs)
@example(EXTREME_PAIRS[0])  # was nan (tv) and OverflowError (js); true 1 and log 2
@example(EXTREME_PAIRS[7])  # was nan: means 1e-300 apart at width 1e300 (identical here)
@example((0.0, 1e-300, 0.0, 1e-10))  # js raised OverflowError
def test_tv_and_js_obey_the_hellinger_and_pinsker_bounds(pair):
    """1 - BC <= TV <= sqrt(1 - BC^2) (BC the Bhattacharyya coefficient, Hellinger bounds),
    TV^2 / 2 <= JS <= TV log 2, and TV <= sqrt(KL / 2) both ways (Pinsker)."""
    tv, js = dv.tv_gaussian(*pair), dv.js_gaussian(*pair)
    assert 0.0 <= tv <= 1.0 and 0.0 <= js <= LOG2
    bc = _bhattacharyya(*pair)
    assert 1.0 - bc - 1e-9 <= tv <= math.sqrt(max(1.0 - bc * bc, 0.0)) + 1e-9
    assert 0.5 * tv * tv - 1e-9 <= js <= tv * LOG2 + 1e-9
    mu1, s1, mu2, s2 = pair
    for kl in (dv.kl_gaussian(*pair), dv.kl_gaussian(mu2, s2, mu1, s1)):
        assert tv <= math.sqrt(kl / 2.0) + 1e-9


@given(moderate_pairs, st.integers(-1000, 1000))
def test_tv_js_kl_are_invariant_and_w1_w2_equivariant_under_scaling(pair, exponent):
    """Scaling all four parameters by 2^k (exact in floats) keeps TV, JS, KL and scales the
    Wasserstein distances by 2^k: the extremes agree with the moderate values (checked by
    quad above), down to 1e-300 and up to 1e300."""
    factor = 2.0**exponent
    scaled = tuple(value * factor for value in pair)
    assume(all(v == 0 or np.finfo(np.float64).tiny <= abs(v) < 1e307 for v in scaled))
    assert dv.tv_gaussian(*scaled) == pytest.approx(dv.tv_gaussian(*pair), rel=1e-12, abs=1e-15)
    assert dv.js_gaussian(*scaled) == pytest.approx(dv.js_gaussian(*pair), rel=1e-9, abs=1e-15)
    assert dv.kl_gaussian(*scaled) == pytest.approx(dv.kl_gaussian(*pair), rel=1e-12, abs=1e-15)
    for function in (dv.w1_gaussian, dv.w2_gaussian):
        assert function(*scaled) == pytest.approx(function(*pair) * factor, rel=1e-12)


@pytest.mark.parametrize("pair", EXTREME_PAIRS)
def test_gaussian_distances_at_the_extremes_are_finite_or_truly_infinite(pair):
    values = dv.gaussian_distances(*pair)
    assert 0.0 <= values.tv <= 1.0 and 0.0 <= values.js <= LOG2
    expect_float(_kl_exact(*pair), values.kl, rel=1e-9, abs_tol=1e-80)
    assert values.w1 >= 0 and not math.isnan(values.w1)


def test_regression_kl_of_a_narrow_p_against_a_wide_q_is_finite():
    # Caught by the KL property: s1 / s2 = 1e-600 underflowed to 0 and KL came out inf.
    # KL = log(1e600) + (1e-600 + 0) / 2 - 1/2 = 1381.0510557964274.
    assert dv.kl_gaussian(0.0, 1e-300, 0.0, 1e300) == pytest.approx(1381.0510557964274, rel=1e-14)


def test_regression_tv_and_js_of_narrow_gaussians_apart_are_one_and_log2():
    # Caught by the bounds property: TV was nan, JS raised OverflowError.
    assert dv.tv_gaussian(0.0, 1e-300, 1.0, 1e-300) == 1.0
    assert dv.js_gaussian(0.0, 1e-300, 1.0, 1e-300) == LOG2
    assert dv.js_gaussian(0.0, 1e-300, 0.0, 1e-10) == pytest.approx(LOG2, abs=1e-12)


def test_regression_tv_of_wide_gaussians_a_subnormal_gap_apart_is_zero():
    # Caught by the bounds property: the means 1e-300 apart at width 1e300 gave nan.
    assert dv.tv_gaussian(0.0, 1e300, 1e-300, 1e300) == 0.0
    assert dv.js_gaussian(0.0, 1e300, 1e-300, 1e300) == 0.0


def test_regression_huge_kl_is_inf_without_a_warning():
    # KL = 5e599 is beyond the largest float: inf, documented, with no overflow warning.
    assert dv.kl_gaussian(0.0, 1e-300, 1.0, 1e-300) == math.inf
    assert dv.w1_gaussian(1e300, 1e-300, -1e300, 1.0) == pytest.approx(2e300, rel=1e-15)


# ---------------------------------------------------------------------------------------
# The optimal critic.
# ---------------------------------------------------------------------------------------


@given(moderate_pairs)
def test_optimal_critic_attains_w1_and_is_1_lipschitz(pair):
    mu1, s1, mu2, s2 = pair

    def integrand(x):
        f = dv.optimal_critic_1d(x, *pair)
        return f * (_pdf(x, mu1, s1) - _pdf(x, mu2, s2))

    gap = _quad_between(integrand, *pair)
    assert gap == pytest.approx(dv.w1_gaussian(*pair), rel=1e-7, abs=1e-9)
    x = np.linspace(-30.0, 30.0, 601)
    slopes = np.diff(dv.optimal_critic_1d(x, *pair)) / np.diff(x)
    assert np.all(np.abs(slopes) <= 1.0 + 1e-9)


@given(gaussian_pairs, st.floats(-1e300, 1e300))
@example((1e300, 1e300, -1e300, 5e299), 0.0)  # the products mu s overflowed: f was inf
@example((0.3, 5e-324, 0.0, 1e-323), 0.0)  # subnormal products lost the crossing
@example((0.0, 1e-05, 40.0, 1.3127178456815286e304), 0.0)  # s1 / (s1 - s2) was subnormal
def test_optimal_critic_is_the_distance_to_the_exact_cdf_crossing(pair, x):
    """f(x) = sign(s1 - s2) |x - x*| with x* = (mu2 s1 - mu1 s2) / (s1 - s2) in exact
    rational arithmetic; where x* is beyond the float range, f is the line it is on floats."""
    mu1, s1, mu2, s2 = pair
    f = dv.optimal_critic_1d(x, *pair)
    if s1 == s2:
        assert f == np.sign(mu1 - mu2) * x
        return
    mu1, s1, mu2, s2 = map(Fraction, pair)
    crossing = (mu2 * s1 - mu1 * s2) / (s1 - s2)
    sign = 1 if s1 > s2 else -1
    if abs(crossing) > LARGEST * (1 + EDGE):
        assert f == -sign * (1 if crossing > 0 else -1) * x
        return
    exact = sign * abs(Fraction(x) - crossing)
    if abs(exact) > LARGEST * (1 - EDGE):  # at the edge of the float range
        assert f in (sign * math.inf, -sign * (1 if crossing > 0 else -1) * x) or (
            abs(Fraction(f) - exact) <= abs(exact) * EDGE
        )
        return
    # f is exact to the rounding of x* = mu_n + (mu2 - mu1) s_n / (s1 - s2) (a few ulps of
    # its two terms, mu_n the mean of the narrower density) and of |x - x*|.
    mu_n, s_n = (mu1, s1) if s1 < s2 else (mu2, s2)
    step = abs((mu2 - mu1) * s_n / (s1 - s2))
    tolerance = Fraction(1, 2**50) * (abs(Fraction(x)) + abs(crossing) + abs(mu_n) + step)
    assert abs(Fraction(f) - exact) <= tolerance + UNDERFLOW


@given(
    st.sampled_from(
        [dv.kl_gaussian, dv.js_gaussian, dv.tv_gaussian, dv.w1_gaussian, dv.w2_gaussian]
    ),
    st.integers(0, 3),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -1.0, -5e-324, "a", None]),
)
def test_gaussian_functions_name_the_bad_parameter(function, position, bad):
    names = ("mu1", "s1", "mu2", "s2")
    args = [0.0, 1.0, 1.0, 2.0]
    args[position] = bad
    is_width = position in (1, 3)
    assume(is_width or not (isinstance(bad, float) and math.isfinite(bad)))
    with pytest.raises(ValueError, match=names[position]):
        function(*args)
