"""Tests of wgan_tutorial.divergences (and its figures in wgan_tutorial.plotting).

Every expected value comes from outside the code under test: scipy.integrate.quad of the
defining integral, scipy.stats.wasserstein_distance, brute force, or a hand derivation
written next to it.
"""

import itertools
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import integrate, special, stats  # noqa: E402

from wgan_tutorial import divergences as dv  # noqa: E402
from wgan_tutorial import plotting  # noqa: E402

LOG2 = math.log(2.0)

# (mu1, s1, mu2, s2): equal widths, unequal widths both ways, a far pair, a narrow-wide pair.
GAUSSIAN_PAIRS = [
    (0.0, 1.0, 1.0, 1.0),
    (0.0, 1.0, 0.0, 2.0),
    (0.0, 2.0, 0.0, 1.0),
    (-1.5, 0.7, 2.0, 1.3),
    (3.0, 0.3, -2.0, 2.5),
    (0.0, 1.0, 6.0, 1.0),
]


def _pdf(x, mu, s):
    return stats.norm.pdf(x, loc=mu, scale=s)


def _quad(function, mu1, s1, mu2, s2, width=12.0):
    """Integral of function over the bulk of both densities, split at their means and +-k sigma."""
    low = min(mu1 - width * s1, mu2 - width * s2)
    high = max(mu1 + width * s1, mu2 + width * s2)
    points = sorted({mu + k * s for mu, s in ((mu1, s1), (mu2, s2)) for k in (-3, -1, 0, 1, 3)})
    value, _ = integrate.quad(
        function, low, high, points=points, limit=500, epsabs=1e-12, epsrel=1e-10
    )
    return value


def _binned_gaussian(edges, mu, s):
    """Probability of each bin [edges[i], edges[i+1]) under N(mu, s^2), renormalised."""
    mass = np.diff(stats.norm.cdf(edges, loc=mu, scale=s))
    return mass / mass.sum()


# ---------------------------------------------------------------------------------------
# KL between Gaussians.
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mu1, s1, mu2, s2", GAUSSIAN_PAIRS)
def test_kl_gaussian_matches_quad_of_p_log_p_over_q(mu1, s1, mu2, s2):
    def integrand(x):
        return _pdf(x, mu1, s1) * (stats.norm.logpdf(x, mu1, s1) - stats.norm.logpdf(x, mu2, s2))

    expected = _quad(integrand, mu1, s1, mu2, s2)
    assert dv.kl_gaussian(mu1, s1, mu2, s2) == pytest.approx(expected, rel=1e-8, abs=1e-10)


def test_kl_of_unit_shift_is_one_half_both_ways():
    # KL(N(0,1) || N(1,1)) = log 1 + (1 + 1) / 2 - 1/2 = 1/2, and the same swapped.
    assert dv.kl_gaussian(0.0, 1.0, 1.0, 1.0) == pytest.approx(0.5, abs=1e-15)
    assert dv.kl_gaussian(1.0, 1.0, 0.0, 1.0) == pytest.approx(0.5, abs=1e-15)


def test_kl_is_asymmetric_for_unequal_widths():
    # KL(N(0,1) || N(0,4)) = log 2 + 1/8 - 1/2; KL(N(0,4) || N(0,1)) = -log 2 + 4/2 - 1/2.
    forward = dv.kl_gaussian(0.0, 1.0, 0.0, 2.0)
    backward = dv.kl_gaussian(0.0, 2.0, 0.0, 1.0)
    assert forward == pytest.approx(LOG2 + 0.125 - 0.5, rel=1e-14)
    assert backward == pytest.approx(-LOG2 + 2.0 - 0.5, rel=1e-14)
    assert backward > 2 * forward


def test_kl_gaussian_broadcasts_and_returns_floats_for_scalars():
    values = dv.kl_gaussian(np.array([0.0, 1.0, 2.0]), 1.0, 0.0, np.array([[1.0], [2.0]]))
    assert values.shape == (2, 3)
    # Equal widths: KL = dmu^2 / 2.
    np.testing.assert_allclose(values[0], [0.0, 0.5, 2.0], atol=1e-15)
    assert isinstance(dv.kl_gaussian(0, 1, 0, 1), float)
    assert dv.kl_gaussian(0, 1, 0, 1) == 0.0


# ---------------------------------------------------------------------------------------
# JS between Gaussians.
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mu1, s1, mu2, s2", GAUSSIAN_PAIRS[:5])
def test_js_gaussian_matches_direct_quad_for_moderate_cases(mu1, s1, mu2, s2):
    def integrand(x):
        p, q = _pdf(x, mu1, s1), _pdf(x, mu2, s2)
        m = 0.5 * (p + q)
        return 0.5 * (special.rel_entr(p, m) + special.rel_entr(q, m))  # a log(a/b), 0 log 0 = 0

    expected = _quad(integrand, mu1, s1, mu2, s2, width=10.0)
    assert dv.js_gaussian(mu1, s1, mu2, s2) == pytest.approx(expected, rel=1e-7, abs=1e-10)


@pytest.mark.parametrize(
    "mu1, s1, mu2, s2",
    [
        (0.0, 1.0, 1.0, 1.0),
        (0.0, 0.5, 4.0, 3.0),
        # Narrow and wide, far apart: naive integration over the real line misses the spike.
        (0.0, 0.05, 60.0, 30.0),
        (0.0, 0.5, 3.0, 0.5),
    ],
)
def test_js_gaussian_matches_discrete_js_on_a_fine_grid(mu1, s1, mu2, s2):
    low = min(mu1 - 10 * s1, mu2 - 10 * s2)
    high = max(mu1 + 10 * s1, mu2 + 10 * s2)
    step = min(s1, s2) / 100.0
    edges = np.arange(low, high + step, step)
    p, q = _binned_gaussian(edges, mu1, s1), _binned_gaussian(edges, mu2, s2)
    # Binning loses information (data processing), by O(step^2): a small tolerance.
    assert dv.js_gaussian(mu1, s1, mu2, s2) == pytest.approx(dv.js(p, q), abs=3e-6)


def test_js_is_exactly_symmetric():
    for mu1, s1, mu2, s2 in GAUSSIAN_PAIRS:
        assert dv.js_gaussian(mu1, s1, mu2, s2) == dv.js_gaussian(mu2, s2, mu1, s1)


def test_js_saturates_at_log2_for_far_apart_means():
    # mu2 = 60, s = 0.5: 120 standard deviations apart, every density product underflows.
    assert dv.js_gaussian(0.0, 0.5, 60.0, 0.5) == pytest.approx(LOG2, abs=1e-13)
    assert dv.js_gaussian(0.0, 0.5, 60.0, 5.0) == pytest.approx(LOG2, abs=1e-13)
    # Increasing in the shift, and never above log 2.
    values = dv.js_gaussian(np.linspace(0.0, 30.0, 31), 1.0, 0.0, 1.0)
    assert np.all(np.diff(values) >= -1e-14)
    assert np.all(values <= LOG2)
    assert values[-1] == pytest.approx(LOG2, abs=1e-12)


def test_js_is_zero_for_identical_gaussians_and_finite_everywhere():
    assert dv.js_gaussian(1.5, 2.0, 1.5, 2.0) == 0.0
    values = dv.js_gaussian(np.array([0.0, 1e-6, 1e3]), np.array([1e-3, 1.0, 1e3]), 0.0, 1.0)
    assert np.all(np.isfinite(values))
    assert np.all((values >= 0) & (values <= LOG2))


# ---------------------------------------------------------------------------------------
# TV between Gaussians.
# ---------------------------------------------------------------------------------------


# Plus nearly equal widths (one crossing far away) and a narrow pair at a large mean.
@pytest.mark.parametrize(
    "mu1, s1, mu2, s2", GAUSSIAN_PAIRS + [(0.0, 1.0, 0.0, 1.001), (5.0, 1e-2, 5.01, 1e-2)]
)
def test_tv_gaussian_matches_half_integral_of_absolute_difference(mu1, s1, mu2, s2):
    expected = _quad(lambda x: 0.5 * abs(_pdf(x, mu1, s1) - _pdf(x, mu2, s2)), mu1, s1, mu2, s2)
    assert dv.tv_gaussian(mu1, s1, mu2, s2) == pytest.approx(expected, rel=1e-7, abs=1e-10)


def test_tv_of_equal_widths_is_two_phi_minus_one():
    # One crossing at the midpoint: TV = P(X > mid) - Q(X > mid) = 2 Phi(|dmu| / (2 s)) - 1.
    shifts = np.array([0.0, 0.3, 1.0, 4.0])
    expected = 2 * stats.norm.cdf(shifts / (2 * 1.5)) - 1
    values = dv.tv_gaussian(shifts, 1.5, 0.0, 1.5)
    np.testing.assert_allclose(values, expected, rtol=1e-12, atol=1e-15)


def test_tv_saturates_at_one_for_far_apart_means():
    assert dv.tv_gaussian(0.0, 0.5, 60.0, 0.5) == 1.0
    assert dv.tv_gaussian(0.0, 0.5, 60.0, 5.0) == pytest.approx(1.0, abs=1e-15)


# ---------------------------------------------------------------------------------------
# W1 and W2 between Gaussians.
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mu1, s1, mu2, s2", GAUSSIAN_PAIRS + [(0.0, 0.5, 60.0, 0.5)])
def test_w1_gaussian_matches_integral_of_cdf_difference(mu1, s1, mu2, s2):
    # The 1-D identity W1 = integral |F_P(x) - F_Q(x)| dx.
    def integrand(x):
        return abs(stats.norm.cdf(x, mu1, s1) - stats.norm.cdf(x, mu2, s2))

    expected = _quad(integrand, mu1, s1, mu2, s2)
    assert dv.w1_gaussian(mu1, s1, mu2, s2) == pytest.approx(expected, rel=1e-8)


def test_w1_gaussian_matches_scipy_on_large_samples():
    rng = np.random.default_rng(0)
    n = 200_000
    for mu1, s1, mu2, s2 in [(0.0, 1.0, 0.0, 3.0), (-1.0, 0.5, 2.0, 2.0)]:
        x = rng.normal(mu1, s1, n)
        y = rng.normal(mu2, s2, n)
        # Sampling error of the empirical W1 is O(max(s) / sqrt(n)) ~ 0.007 here: 5 of those.
        tolerance = 5 * max(s1, s2) / math.sqrt(n)
        expected = stats.wasserstein_distance(x, y)
        assert dv.w1_gaussian(mu1, s1, mu2, s2) == pytest.approx(expected, abs=tolerance)


@pytest.mark.parametrize("mu1, s1, mu2, s2", [(0.0, 1.0, 0.0, 2.0), (-1.0, 0.5, 2.0, 1.5)])
def test_w1_gaussian_matches_discrete_w1_on_a_fine_grid(mu1, s1, mu2, s2):
    step = 1e-3
    edges = np.arange(-12.0, 12.0 + step, step)
    centres = 0.5 * (edges[1:] + edges[:-1])
    p, q = _binned_gaussian(edges, mu1, s1), _binned_gaussian(edges, mu2, s2)
    assert dv.w1_gaussian(mu1, s1, mu2, s2) == pytest.approx(dv.w1(p, q, centres), abs=1e-5)


def test_w1_gaussian_of_equal_widths_is_the_mean_difference():
    assert dv.w1_gaussian(0.0, 2.0, -3.5, 2.0) == 3.5
    assert dv.w1_gaussian(1.0, 2.0, 1.0, 2.0) == 0.0
    # Same means, widths 1 and 3: W1 = E|X| for X ~ N(0, 2^2) = 2 sqrt(2 / pi).
    expected = 2 * math.sqrt(2 / math.pi)
    assert dv.w1_gaussian(0.0, 1.0, 0.0, 3.0) == pytest.approx(expected, rel=1e-15)
    np.testing.assert_allclose(dv.w1_gaussian(np.arange(4.0), 1.0, 0.0, 1.0), np.arange(4.0))


def test_w2_gaussian_is_root_of_squared_mean_and_width_differences():
    # sqrt(3^2 + 4^2) = 5.
    assert dv.w2_gaussian(0.0, 1.0, 3.0, 5.0) == pytest.approx(5.0, rel=1e-15)
    for pair in GAUSSIAN_PAIRS:
        assert dv.w2_gaussian(*pair) >= dv.w1_gaussian(*pair) - 1e-15


def test_gaussian_distances_gathers_the_four_closed_forms():
    values = dv.gaussian_distances(0.0, 1.0, 1.0, 1.0)
    pair = (0.0, 1.0, 1.0, 1.0)
    expected = (dv.kl_gaussian(*pair), dv.js_gaussian(*pair), dv.tv_gaussian(*pair), 1.0)
    assert values == expected
    assert values._fields == ("kl", "js", "tv", "w1")


# ---------------------------------------------------------------------------------------
# The optimal 1-Lipschitz critic (Kantorovich-Rubinstein).
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mu1, s1, mu2, s2", GAUSSIAN_PAIRS[:5])
def test_optimal_critic_attains_w1_in_the_dual(mu1, s1, mu2, s2):
    def integrand(x):
        return dv.optimal_critic_1d(x, mu1, s1, mu2, s2) * (_pdf(x, mu1, s1) - _pdf(x, mu2, s2))

    gap = _quad(integrand, mu1, s1, mu2, s2)
    assert gap == pytest.approx(dv.w1_gaussian(mu1, s1, mu2, s2), rel=1e-8)


def test_optimal_critic_is_1_lipschitz_and_linear_for_equal_widths():
    x = np.linspace(-10, 10, 2001)
    for pair in GAUSSIAN_PAIRS:
        slopes = np.diff(dv.optimal_critic_1d(x, *pair)) / np.diff(x)
        assert np.all(np.abs(slopes) <= 1 + 1e-12)
    np.testing.assert_allclose(dv.optimal_critic_1d(x, 2.0, 1.0, 0.0, 1.0), x)
    np.testing.assert_allclose(dv.optimal_critic_1d(x, -2.0, 1.0, 0.0, 1.0), -x)


# ---------------------------------------------------------------------------------------
# Discrete distributions.
# ---------------------------------------------------------------------------------------


def test_discrete_kl_matches_hand_derivation():
    # p = (1/2, 1/2), q = (1/4, 3/4): KL = 1/2 log(2) + 1/2 log(2/3) = 1/2 log(4/3).
    assert dv.kl([0.5, 0.5], [0.25, 0.75]) == pytest.approx(0.5 * math.log(4 / 3), rel=1e-14)
    # Zero entries of p contribute 0 (0 log 0 = 0): p = (1, 0), q = (1/2, 1/2) -> log 2.
    assert dv.kl([1.0, 0.0], [0.5, 0.5]) == pytest.approx(LOG2, rel=1e-15)


def test_discrete_kl_is_inf_for_disjoint_support_never_nan():
    assert dv.kl([1.0, 0.0], [0.0, 1.0]) == math.inf
    # q = 0 where p > 0, even with overlap elsewhere.
    assert dv.kl([0.5, 0.5, 0.0], [0.0, 0.5, 0.5]) == math.inf
    # The other way round is finite where p = 0 meets q = 0.
    assert dv.kl([0.0, 1.0, 0.0], [0.0, 0.5, 0.5]) == pytest.approx(LOG2)
    assert dv.kl([0.25, 0.75], [0.25, 0.75]) == 0.0


def test_discrete_js_matches_hand_derivation():
    # p = (1, 0), q = (1/2, 1/2): m = (3/4, 1/4); KL(p||m) = log(4/3);
    # KL(q||m) = 1/2 log(2/3) + 1/2 log(2) = 1/2 log(4/3); JS = 3/4 log(4/3).
    assert dv.js([1.0, 0.0], [0.5, 0.5]) == pytest.approx(0.75 * math.log(4 / 3), rel=1e-14)
    assert dv.js([0.5, 0.5], [1.0, 0.0]) == dv.js([1.0, 0.0], [0.5, 0.5])


def test_discrete_js_is_log2_for_disjoint_supports():
    # Disjoint: m = p/2 on p's support, so KL(p||m) = log 2, and the same for q.
    assert dv.js([0.3, 0.7, 0.0, 0.0], [0.0, 0.0, 0.9, 0.1]) == pytest.approx(LOG2, rel=1e-15)
    assert dv.js([0.3, 0.7], [0.3, 0.7]) == 0.0


def test_discrete_tv_matches_hand_derivation():
    # |0.2-0.4| + |0.5-0.4| + |0.3-0.2| = 0.4, halved: 0.2.
    assert dv.tv([0.2, 0.5, 0.3], [0.4, 0.4, 0.2]) == pytest.approx(0.2, rel=1e-14)
    assert dv.tv([1.0, 0.0], [0.0, 1.0]) == 1.0


def test_discrete_w1_matches_hand_derivation():
    # All mass moves from x = 0 to x = 3.
    assert dv.w1([1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 3.0]) == 3.0
    # Spacing 2: half the mass moves 0 -> 2 and half 2 -> 4; W1 = 0.5 * 2 + 0.5 * 2 = 2.
    assert dv.w1([0.5, 0.5, 0.0], [0.0, 0.5, 0.5], 2.0) == pytest.approx(2.0)
    # The support may come in any order.
    assert dv.w1([0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 3.0, 0.0]) == 3.0


def test_discrete_w1_matches_scipy_weighted_wasserstein():
    rng = np.random.default_rng(1)
    support = np.sort(rng.uniform(-5, 5, 40))
    p, q = rng.dirichlet(np.ones(40)), rng.dirichlet(np.ones(40))
    expected = stats.wasserstein_distance(support, support, p, q)
    assert dv.w1(p, q, support) == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------------------------------
# Samples and point clouds.
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_w1_samples_matches_scipy_for_unequal_sizes(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, rng.integers(1, 300))
    y = rng.standard_t(3, rng.integers(1, 300)) + 0.5
    assert abs(dv.w1_samples(x, y) - stats.wasserstein_distance(x, y)) < 1e-10


def test_w1_samples_handles_ties_like_scipy():
    rng = np.random.default_rng(5)
    x = rng.integers(0, 5, 37).astype(float)
    y = rng.integers(0, 7, 11).astype(float)
    assert abs(dv.w1_samples(x, y) - stats.wasserstein_distance(x, y)) < 1e-10


def test_w1_samples_of_equal_sizes_is_mean_gap_of_sorted_values():
    # Quantile coupling: the i-th smallest of x goes to the i-th smallest of y.
    x = np.array([3.0, -1.0, 2.0, 0.5])
    y = np.array([0.0, 10.0, 1.0, 1.0])
    expected = np.mean(np.abs(np.sort(x) - np.sort(y)))  # (1 + 0.5 + 1 + 7) / 4
    assert dv.w1_samples(x, y) == pytest.approx(expected, rel=1e-15)
    assert expected == 2.375


def test_w1_point_clouds_matches_brute_force_over_permutations():
    # Uniform weights and n = m: some optimal plan is a permutation (Birkhoff-von Neumann).
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(5, 2)), rng.normal(size=(5, 2)) + [1.0, 0.0]
    expected = min(
        np.mean(np.linalg.norm(x - y[list(order)], axis=1))
        for order in itertools.permutations(range(5))
    )
    assert dv.w1_point_clouds(x, y) == pytest.approx(expected, rel=1e-9)


def test_w1_point_clouds_of_1d_points_in_2d_matches_scipy():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=17), rng.normal(1.0, 2.0, size=11)
    x_weights, y_weights = rng.uniform(0.1, 1.0, 17), rng.uniform(0.1, 1.0, 11)
    x_2d = np.stack([x, np.zeros_like(x)], axis=1)
    y_2d = np.stack([y, np.zeros_like(y)], axis=1)
    expected = stats.wasserstein_distance(x, y)
    assert dv.w1_point_clouds(x_2d, y_2d) == pytest.approx(expected, rel=1e-9)
    expected = stats.wasserstein_distance(x, y, x_weights, y_weights)
    assert dv.w1_point_clouds(x, y, x_weights, y_weights) == pytest.approx(expected, rel=1e-9)


def test_w1_point_clouds_of_a_translated_cloud_is_the_shift_length():
    # W1(P, P + v) = |v|: the coupling x -> x + v costs |v|, and the 1-Lipschitz critic
    # f(x) = <x, v / |v|> gives E_{P+v} f - E_P f = |v| (the dual bound), so both agree.
    rng = np.random.default_rng(4)
    x = rng.normal(size=(30, 2))
    v = np.array([0.3, -0.4])
    assert dv.w1_point_clouds(x, x + v) == pytest.approx(0.5, rel=1e-9)


def test_w1_point_clouds_plan_has_the_given_marginals():
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(8, 2)), rng.normal(size=(6, 2))
    x_weights = np.arange(1.0, 9.0)
    value, plan = dv.w1_point_clouds(x, y, x_weights=x_weights, return_plan=True)
    np.testing.assert_allclose(plan.sum(axis=1), x_weights / x_weights.sum(), atol=1e-9)
    np.testing.assert_allclose(plan.sum(axis=0), np.full(6, 1 / 6), atol=1e-9)
    cost = np.linalg.norm(x[:, None] - y[None], axis=-1)
    assert value == pytest.approx(np.sum(plan * cost), rel=1e-9)


# ---------------------------------------------------------------------------------------
# Parallel lines (Arjovsky et al. 2017, Example 1).
# ---------------------------------------------------------------------------------------


def test_parallel_lines_distances_follow_example_1():
    values = dv.parallel_lines(np.array([-2.0, -0.5, 0.0, 0.25]))
    np.testing.assert_array_equal(values.w1, [2.0, 0.5, 0.0, 0.25])
    np.testing.assert_array_equal(values.js, [LOG2, LOG2, 0.0, LOG2])
    np.testing.assert_array_equal(values.kl, [math.inf, math.inf, 0.0, math.inf])
    np.testing.assert_array_equal(values.tv, [1.0, 1.0, 0.0, 1.0])
    assert dv.parallel_lines(0.0) == (0.0, 0.0, 0.0, 0.0)
    assert isinstance(dv.parallel_lines(0.3).w1, float)


def test_parallel_lines_w1_agrees_with_point_clouds_on_the_lines():
    # Two copies of the same 21 heights, at x = 0 and x = theta: a translated cloud.
    z = np.linspace(0.0, 1.0, 21)
    theta = 0.7
    lines = np.stack([np.zeros_like(z), z], axis=1), np.stack([np.full_like(z, theta), z], axis=1)
    assert dv.w1_point_clouds(*lines) == pytest.approx(dv.parallel_lines(theta).w1, rel=1e-9)


# ---------------------------------------------------------------------------------------
# Figures, and the function behind the sliders.
# ---------------------------------------------------------------------------------------


def test_show_gaussian_pair_returns_the_four_distances_and_a_figure(capsys):
    values, fig = plotting.show_gaussian_pair(0.0, 1.0, 1.0, 1.0)
    try:
        assert values == dv.gaussian_distances(0.0, 1.0, 1.0, 1.0)
        assert isinstance(fig, matplotlib.figure.Figure)
        ax = fig.axes[0]
        assert ax.get_xlabel() == "x" and ax.get_ylabel() == "density"
        printed = capsys.readouterr().out
        assert "KL(P‖Q) = 0.500000" in printed and "KL(Q‖P) = 0.500000" in printed
        assert "W1(P, Q) = 1.000000" in printed
    finally:
        plt.close(fig)


def test_plot_transport_plan_draws_an_optimal_plan_from_the_linear_program():
    # Entries equal to the largest once made the opacity round to 1.0000000000000002.
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(40, 2)), rng.normal(0.0, 0.5, size=(40, 2)) + [3.0, 1.0]
    _, plan = dv.w1_point_clouds(x, y, return_plan=True)
    fig = plotting.plot_transport_plan(x, y, plan)
    try:
        assert len(fig.axes[0].lines) == np.count_nonzero(plan > 1e-9)
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    "draw",
    [
        lambda: plotting.plot_distances_vs_shift(np.linspace(0, 4, 9)),
        lambda: plotting.plot_parallel_lines(0.5, np.linspace(-1, 1, 11)),
        lambda: plotting.plot_kl_asymmetry(0.0, 1.0, 0.0, 2.0),
        lambda: plotting.plot_optimal_critic_1d(0.0, 2.0, 1.0, 0.5),
        lambda: plotting.plot_transport_plan(
            np.zeros((2, 2)), np.ones((3, 2)), np.full((2, 3), 1 / 6)
        ),
    ],
)
def test_figures_of_notebook_01_have_labelled_axes(draw):
    fig = draw()
    try:
        for ax in fig.axes:
            assert ax.get_xlabel() or ax.get_ylabel()
        assert fig.axes[0].get_xlabel() and fig.axes[0].get_ylabel()
    finally:
        plt.close(fig)


# ---------------------------------------------------------------------------------------
# Invalid arguments.
# ---------------------------------------------------------------------------------------

_GAUSSIAN_FUNCTIONS = [
    dv.kl_gaussian,
    dv.js_gaussian,
    dv.tv_gaussian,
    dv.w1_gaussian,
    dv.w2_gaussian,
]


@pytest.mark.parametrize("function", _GAUSSIAN_FUNCTIONS)
@pytest.mark.parametrize(
    "args, message",
    [
        ((0.0, -1.0, 0.0, 1.0), r"s1 must be > 0, got -1\.0"),
        ((0.0, 1.0, 0.0, 0.0), r"s2 must be > 0, got 0\.0"),
        ((0.0, 1.0, 0.0, [1.0, -2.0]), r"s2 must be > 0, got -2\.0"),
        ((math.nan, 1.0, 0.0, 1.0), r"mu1 must be finite, got nan"),
        ((0.0, 1.0, math.inf, 1.0), r"mu2 must be finite, got inf"),
        ((0.0, math.inf, 0.0, 1.0), r"s1 must be finite, got inf"),
    ],
)
def test_gaussian_functions_reject_invalid_parameters(function, args, message):
    with pytest.raises(ValueError, match=message):
        function(*args)


@pytest.mark.parametrize(
    "function", [dv.kl, dv.js, dv.tv, lambda p, q: dv.w1(p, q, np.arange(len(p)))]
)
@pytest.mark.parametrize(
    "p, q, message",
    [
        ([0.5, 0.6, -0.1], [0.2, 0.3, 0.5], r"p must be >= 0 everywhere, got -0\.1 at index 2"),
        ([0.5, 0.5], [0.5, 0.6], r"q must sum to 1 \(within 1e-06\), got a sum of 1\.1"),
        ([0.5, 0.5], [0.2, 0.3, 0.5], r"p and q must have the same length, got 2 and 3"),
        ([], [], r"p must not be empty"),
        ([0.5, math.nan], [0.5, 0.5], r"p must be finite, got nan"),
        ([[0.5, 0.5]], [0.5, 0.5], r"p must be a 1-D probability vector, got shape \(1, 2\)"),
    ],
)
def test_discrete_functions_reject_invalid_probability_vectors(function, p, q, message):
    with pytest.raises(ValueError, match=message):
        function(p, q)


def test_discrete_w1_rejects_invalid_support():
    with pytest.raises(ValueError, match=r"support must hold one point per entry of p"):
        dv.w1([0.5, 0.5], [0.5, 0.5], [0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match=r"support must be > 0, got -1\.0"):
        dv.w1([0.5, 0.5], [0.5, 0.5], -1.0)
    with pytest.raises(ValueError, match=r"support must be finite, got inf"):
        dv.w1([0.5, 0.5], [0.5, 0.5], [0.0, math.inf])


@pytest.mark.parametrize(
    "x, y, message",
    [
        ([], [1.0], r"x must not be empty"),
        ([1.0], [], r"y must not be empty"),
        ([1.0, math.nan], [1.0], r"x must be finite, got nan"),
        ([1.0], [[1.0, 2.0]], r"y must be a 1-D sample"),
    ],
)
def test_w1_samples_rejects_invalid_samples(x, y, message):
    with pytest.raises(ValueError, match=message):
        dv.w1_samples(x, y)


X2, Y3 = np.zeros((2, 2)), np.ones((3, 2))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(x=np.zeros((0, 2)), y=Y3), r"x must not be empty"),
        (dict(x=X2, y=np.ones((3, 3))), r"x and y must have the same dimension d"),
        (dict(x=X2, y=np.full((3, 2), math.inf)), r"y must be finite, got inf"),
        (dict(x=X2, y=Y3, x_weights=[1.0]), r"x_weights must have shape \(2,\)"),
        (dict(x=X2, y=Y3, y_weights=[1.0, -1.0, 1.0]), r"y_weights must be >= 0"),
        (dict(x=X2, y=Y3, y_weights=[0.0, 0.0, 0.0]), r"y_weights must have a sum > 0"),
        (dict(x=X2, y=Y3, max_variables=0), r"max_variables must be an integer >= 1"),
        (dict(x=np.zeros((2, 2, 2)), y=Y3), r"x must be an array of points of shape \(n, d\)"),
    ],
)
def test_w1_point_clouds_rejects_invalid_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        dv.w1_point_clouds(**kwargs)


def test_w1_point_clouds_refuses_more_than_max_variables():
    x, y = np.zeros((600, 2)), np.ones((500, 2))
    with pytest.raises(ValueError, match=r"n \* m = 600 \* 500 = 300000 .*max_variables = 250000"):
        dv.w1_point_clouds(x, y)
    with pytest.raises(ValueError, match=r"max_variables = 10"):
        dv.w1_point_clouds(x[:4], y[:3], max_variables=10)


def test_parallel_lines_and_critic_reject_non_finite_or_array_parameters():
    with pytest.raises(ValueError, match=r"theta must be finite, got nan"):
        dv.parallel_lines([0.0, math.nan])
    with pytest.raises(ValueError, match=r"x must be finite, got inf"):
        dv.optimal_critic_1d(math.inf, 0.0, 1.0, 0.0, 1.0)
    with pytest.raises(ValueError, match=r"mu1 must be a scalar, got shape \(2,\)"):
        dv.optimal_critic_1d(0.0, [0.0, 1.0], 1.0, 0.0, 1.0)
    with pytest.raises(ValueError, match=r"s2 must be > 0, got -3\.0"):
        dv.optimal_critic_1d(0.0, 0.0, 1.0, 0.0, -3.0)
