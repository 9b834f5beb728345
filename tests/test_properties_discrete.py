"""Property-based tests of the discrete distances, W1 of samples and point clouds, and the
parallel lines (divergences).

Probability vectors with zeros and subnormal entries, supports and samples from -1.8e308 to
1.8e308: each result is checked against the defining sum in exact rational or 100-digit
decimal arithmetic (tests/exact.py), scipy.stats.wasserstein_distance, or the best matching
over all permutations (Birkhoff: the optimal plan between equal uniform clouds is one).
Where the true value is beyond the largest float the function must return inf; any warning
is an error.

Examples per property: the hypothesis profile (tests/conftest.py); a longer local run is
`HYPOTHESIS_PROFILE=thorough pytest tests/test_properties_discrete.py`.
"""

import decimal
import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy import stats

from tests import exact as ex
from wgan_tutorial import divergences as dv

pytestmark = pytest.mark.filterwarnings("error")

LOG2 = math.log(2.0)
means = ex.finite_floats
widths = ex.positive_floats

# ---------------------------------------------------------------------------------------
# Discrete distributions.
# ---------------------------------------------------------------------------------------

# Raw masses (subnormal to 1e300, and zeros), normalised into probability vectors.
masses = st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=1e300, exclude_min=True))


@st.composite
def probability_pairs(draw, min_size=1, max_size=8):
    size = draw(st.integers(min_size, max_size))
    vectors = []
    for _ in range(2):
        raw = np.array(draw(st.lists(masses, min_size=size, max_size=size)), dtype=np.float64)
        assume(raw.max() > 0)
        raw = raw / raw.max()
        vectors.append(raw / raw.sum())
    return vectors


@given(probability_pairs())
@example([np.array([0.5, 0.5]), np.array([1.0 - 5e-324, 5e-324])])  # p / q overflowed: KL inf
def test_discrete_kl_is_the_exact_sum_or_inf(pair):
    p, q = pair
    value = dv.kl(p, q)
    if any(a > 0 and b == 0 for a, b in zip(p, q, strict=False)):
        assert value == math.inf
        return
    with decimal.localcontext(ex.CONTEXT):
        exact = sum(
            (
                ex.to_decimal(a) * (ex.to_decimal(a) / ex.to_decimal(b)).ln()
                for a, b in zip(p, q, strict=False)
                if a > 0
            ),
            decimal.Decimal(0),
        )
    # The vectors sum to 1 within rounding, so a KL of 0 may come out as -1e-16: clipped.
    assert value == pytest.approx(max(float(exact), 0.0), rel=1e-9, abs=1e-14)


@given(probability_pairs())
@example([np.array([5e-324, 1.0]), np.array([0.0, 1.0])])  # (p + q) / 2 underflowed to 0
def test_discrete_js_and_tv_are_the_exact_sums(pair):
    p, q = pair
    js_exact = decimal.Decimal(0)
    with decimal.localcontext(ex.CONTEXT):
        for a, b in zip(p, q, strict=False):
            total = ex.to_decimal(a) + ex.to_decimal(b)
            for c in (a, b):
                if c > 0:
                    js_exact += ex.to_decimal(c) * (2 * ex.to_decimal(c) / total).ln() / 2
    assert dv.js(p, q) == pytest.approx(min(max(float(js_exact), 0.0), LOG2), abs=1e-14)
    tv_exact = (
        sum(abs(a - b) for a, b in zip(ex.fractions_of(p), ex.fractions_of(q), strict=False)) / 2
    )
    assert dv.tv(p, q) == pytest.approx(float(tv_exact), abs=1e-15)


@given(probability_pairs(min_size=2), st.data())
@example(
    [np.array([1.0, 0.0]), np.array([0.5, 0.5])], None
)  # a support from -1.7e308 to 1.7e308: the gap overflowed
def test_discrete_w1_is_the_exact_integral_of_the_cdf_gap(pair, data):
    p, q = pair
    if data is None:
        support = np.array([-1.7e308, 1.7e308])
    else:
        support = np.array(data.draw(st.lists(means, min_size=p.size, max_size=p.size)))
    order = np.argsort(support, kind="stable")
    points = ex.fractions_of(support[order])
    p_sorted, q_sorted = ex.fractions_of(p[order]), ex.fractions_of(q[order])
    exact = Fraction(0)
    for i in range(len(points) - 1):
        exact += abs(sum(p_sorted[: i + 1]) - sum(q_sorted[: i + 1])) * (points[i + 1] - points[i])
    span = points[-1] - points[0]
    # The cumulative sums are rounded: an absolute error of ~1e-16 per unit of span.
    tolerance = Fraction(1e-9) * exact + Fraction(1e-14) * span
    ex.expect_fraction(exact, dv.w1(p, q, support), tolerance)


@given(probability_pairs(min_size=2), widths)
def test_discrete_w1_on_a_grid_is_the_spacing_times_the_cdf_gaps(pair, spacing):
    p, q = pair
    exact = Fraction(spacing) * sum(
        abs(sum(ex.fractions_of(p)[: i + 1]) - sum(ex.fractions_of(q)[: i + 1]))
        for i in range(p.size - 1)
    )
    tolerance = Fraction(1e-9) * exact + Fraction(1e-14) * Fraction(spacing) * p.size
    ex.expect_fraction(exact, dv.w1(p, q, spacing), tolerance)


def test_regression_discrete_kl_with_a_subnormal_q_entry_is_finite():
    # Caught by the KL property: 0.5 / 5e-324 overflowed to inf, so KL was inf; the true
    # value is 0.5 log(0.5 / (1 - 5e-324)) + 0.5 log(0.5 / 5e-324) = 371.5...
    expected = 0.5 * math.log(0.5) + 0.5 * (math.log(0.5) - math.log(5e-324))
    assert dv.kl([0.5, 0.5], [1.0 - 5e-324, 5e-324]) == pytest.approx(expected, rel=1e-14)


def test_regression_discrete_js_with_a_subnormal_entry_has_no_warning():
    # Caught by the JS property: (5e-324 + 0) / 2 rounded to 0, a division by zero warned.
    assert dv.js([5e-324, 1.0], [0.0, 1.0]) == pytest.approx(0.0, abs=1e-300)


def test_regression_discrete_w1_on_the_widest_support_is_finite():
    # Caught by the W1 property: the gap 3.4e308 overflowed; W1 = 0.5 * 3.4e308 = 1.7e308.
    assert dv.w1([1.0, 0.0], [0.5, 0.5], [-1.7e308, 1.7e308]) == pytest.approx(1.7e308)


# ---------------------------------------------------------------------------------------
# Samples and point clouds.
# ---------------------------------------------------------------------------------------

samples = st.lists(means, min_size=1, max_size=12)
moderate_samples = st.lists(st.floats(-100.0, 100.0), min_size=1, max_size=30)


def _w1_samples_exact(x, y):
    """The integral of |F_x - F_y| over the pooled points, in exact rational arithmetic."""
    x, y = ex.fractions_of(x), ex.fractions_of(y)
    pooled = sorted(set(x + y))
    total = Fraction(0)
    for left, right in itertools.pairwise(pooled):
        cdf_x = Fraction(sum(v <= left for v in x), len(x))
        cdf_y = Fraction(sum(v <= left for v in y), len(y))
        total += abs(cdf_x - cdf_y) * (right - left)
    return total


@given(moderate_samples, moderate_samples)
def test_w1_samples_matches_scipy(x, y):
    expected = stats.wasserstein_distance(x, y)
    assert dv.w1_samples(x, y) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(samples, samples)
@example([-1.7e308, 1.7e308], [1.7e308, 1.7e308])  # the pooled gap overflowed; W1 = 1.7e308
@example([5e-324], [1e-323])  # subnormal values: W1 = 5e-324 exactly
def test_w1_samples_is_the_exact_integral_of_the_cdf_gap(x, y):
    exact = _w1_samples_exact(x, y)
    span = max(map(Fraction, x + y)) - min(map(Fraction, x + y))
    tolerance = Fraction(1e-12) * exact + Fraction(1e-15) * span
    ex.expect_fraction(exact, dv.w1_samples(x, y), tolerance)


def test_regression_w1_samples_on_the_widest_values_is_finite():
    # Caught by the samples property: np.diff of -1.7e308 and 1.7e308 overflowed to inf.
    assert dv.w1_samples([-1.7e308, 1.7e308], [1.7e308, 1.7e308]) == pytest.approx(1.7e308)


cloud_coordinates = st.floats(-10.0, 10.0)


@st.composite
def equal_clouds(draw):
    n = draw(st.integers(1, 5))
    d = draw(st.integers(1, 3))
    shape = st.lists(cloud_coordinates, min_size=d, max_size=d)
    x = np.array(draw(st.lists(shape, min_size=n, max_size=n)))
    y = np.array(draw(st.lists(shape, min_size=n, max_size=n)))
    return x, y


@given(equal_clouds(), st.integers(-1000, 1000))
@example((np.array([[1e-300], [0.0]]), np.array([[0.0], [0.0]])), 0)  # costs 1e-300
@example((np.array([[1e300, -1e300]]), np.array([[-1e300, 1e300]])), 0)  # squares overflowed
def test_w1_point_clouds_of_equal_sizes_is_the_best_matching(clouds, exponent):
    """Uniform clouds of equal size: the optimal plan is a permutation (Birkhoff), so W1 is
    the smallest mean distance over all matchings; scaled by 2^k, so are the values."""
    x, y = clouds
    factor = 2.0**exponent
    assume(np.all(np.isfinite(x * factor)) and np.all(np.isfinite(y * factor)))
    x, y = x * factor, y * factor
    scale = max(float(np.max(np.abs(x))), float(np.max(np.abs(y))), 1e-300)
    xs, ys = x / scale, y / scale
    best = min(
        np.mean([np.linalg.norm(xs[i] - ys[j]) for i, j in enumerate(perm)])
        for perm in itertools.permutations(range(len(y)))
    )
    value = dv.w1_point_clouds(x, y)
    assert math.isfinite(value)
    assert value == pytest.approx(best * scale, rel=1e-7, abs=1e-9 * scale)


@given(moderate_samples, moderate_samples, st.data())
def test_w1_point_clouds_of_weighted_1d_points_matches_scipy(x, y, data):
    weights = st.floats(0.0, 1e300)
    wx = np.array(data.draw(st.lists(weights, min_size=len(x), max_size=len(x))))
    wy = np.array(data.draw(st.lists(weights, min_size=len(y), max_size=len(y))))
    assume(wx.sum() > 0 and wy.sum() > 0)
    expected = stats.wasserstein_distance(x, y, wx / wx.max(), wy / wy.max())
    assert dv.w1_point_clouds(x, y, wx, wy) == pytest.approx(expected, rel=1e-6, abs=1e-7)


def test_regression_w1_point_clouds_with_huge_weights_is_not_zero():
    # Caught by the weights property: the sum 2e300 + 2e300 ... overflowed and the weights
    # became 0 (an infeasible or empty plan); weights are scale-free.
    value = dv.w1_point_clouds([0.0, 1.0], [0.0], [1e308, 1e308], None)
    assert value == pytest.approx(0.5, rel=1e-9)


def test_regression_w1_point_clouds_of_tiny_and_huge_points():
    # Caught by the matching property: costs of 1e-300 were below the solver's tolerance,
    # and (1e300)^2 overflowed; both are now solved in units of a power of 2.
    assert dv.w1_point_clouds([[1e-300], [0.0]], [[0.0], [0.0]]) == pytest.approx(5e-301)
    expected = math.hypot(2e300, 2e300)
    assert dv.w1_point_clouds([[1e300, -1e300]], [[-1e300, 1e300]]) == pytest.approx(expected)


# ---------------------------------------------------------------------------------------
# The parallel lines, and the checks.
# ---------------------------------------------------------------------------------------


@given(means)
def test_parallel_lines_follow_example_1_for_every_theta(theta):
    values = dv.parallel_lines(theta)
    apart = theta != 0
    assert values.kl == (math.inf if apart else 0.0)
    assert values.js == (LOG2 if apart else 0.0)
    assert values.tv == (1.0 if apart else 0.0)
    assert values.w1 == abs(theta)
    # W1 agrees with the exact W1 of the two segments' sample points (moved by theta).
    z = np.linspace(0.0, 1.0, 5)
    if abs(theta) < 1e300:
        cloud = np.stack([np.zeros(5), z], axis=1)
        moved = np.stack([np.full(5, theta), z], axis=1)
        assert dv.w1_point_clouds(cloud, moved) == pytest.approx(abs(theta), rel=1e-7)


@given(
    st.sampled_from([dv.kl, dv.js, dv.tv]),
    st.sampled_from(["p", "q"]),
    st.sampled_from([[math.nan, 1.0], [-0.5, 1.5], [0.5, 0.6], [], [[1.0]], ["x", 1]]),
)
def test_discrete_functions_name_the_bad_vector(function, name, bad):
    args = {"p": [0.5, 0.5], "q": [0.25, 0.75]}
    args[name] = bad
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        function(args["p"], args["q"])
