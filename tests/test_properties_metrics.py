"""Property-based tests of the Frechet distance (FID's formula), feature statistics and KID.

The oracles share no code with wgan_tutorial.metrics: the Frechet distance of Gaussians
whose covariances share eigenvectors is |mu1 - mu2|^2 + sum (sqrt a_i - sqrt b_i)^2 (the
Gaussian W2 formula, evaluated in 50-digit decimal arithmetic), and for general
covariances Tr sqrt(S1 S2) = Tr sqrt(S1^(1/2) S2 S1^(1/2)) by symmetric eigendecompositions
(not scipy's sqrtm); numpy.cov for the statistics; an explicit sum over pairs for KID's
unbiased MMD^2. Any warning is an error.

Examples per property: the hypothesis profile (tests/conftest.py); a longer local run is
`HYPOTHESIS_PROFILE=thorough pytest tests/test_properties_metrics.py`.
"""

import decimal
import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from wgan_tutorial import metrics

pytestmark = pytest.mark.filterwarnings("error")

CONTEXT = decimal.Context(prec=50, Emax=100_000, Emin=-100_000)


@st.composite
def commuting_gaussians(draw, largest=1e3):
    """(mu1, sigma1, mu2, sigma2, exact): covariances Q diag(a) Q^T and Q diag(b) Q^T."""
    d = draw(st.integers(1, 4))
    means = hnp.arrays(np.float64, d, elements=st.floats(-1e50, 1e50))
    variances = hnp.arrays(
        np.float64, d, elements=st.one_of(st.just(0.0), st.floats(1e-100, largest))
    )
    mu1, mu2, a, b = draw(means), draw(means), draw(variances), draw(variances)
    seed = draw(st.integers(0, 2**32 - 1))
    q = stats.ortho_group.rvs(d, random_state=seed) if d > 1 else np.ones((1, 1))
    sigma1 = (q * a) @ q.T
    sigma2 = (q * b) @ q.T
    sigma1, sigma2 = (sigma1 + sigma1.T) / 2, (sigma2 + sigma2.T) / 2
    with decimal.localcontext(CONTEXT):
        dec = [list(map(decimal.Decimal, map(float, v))) for v in (mu1, mu2, a, b)]
        exact = sum((x - y) ** 2 for x, y in zip(dec[0], dec[1], strict=False))
        exact += sum((x.sqrt() - y.sqrt()) ** 2 for x, y in zip(dec[2], dec[3], strict=False))
    scale = float(np.sum(a) + np.sum(b))
    return mu1, sigma1, mu2, sigma2, float(exact), scale


@st.composite
def same_width_sets(draw, low=-30.0, high=30.0, max_rows=8):
    """Two feature sets of the same width d and possibly different numbers of rows."""
    d = draw(st.integers(1, 4))
    elements = st.floats(low, high)
    return tuple(
        draw(hnp.arrays(np.float64, (draw(st.integers(2, max_rows)), d), elements=elements))
        for _ in range(2)
    )


# Variances up to 1e300 (and down to 1e-100 and 0): frechet_distance scales them.
@given(commuting_gaussians(largest=1e300))
def test_frechet_distance_is_the_gaussian_w2_formula(case):
    mu1, sigma1, mu2, sigma2, exact, scale = case
    value = metrics.frechet_distance(mu1, sigma1, mu2, sigma2)
    assert np.isfinite(value) and value >= 0.0
    # Rotating the covariances rounds them (relative 1e-16); the square root amplifies that
    # on nearly singular products: a tolerance relative to the traces.
    assert value == pytest.approx(exact, rel=1e-8, abs=1e-6 * scale)


def _trace_sqrt_product(sigma1, sigma2):
    """Tr sqrt(S1 S2) = Tr sqrt(S1^(1/2) S2 S1^(1/2)), by symmetric eigendecompositions."""
    values, vectors = np.linalg.eigh(sigma1)
    root1 = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    inner = root1 @ sigma2 @ root1
    return float(np.sum(np.sqrt(np.clip(np.linalg.eigvalsh((inner + inner.T) / 2), 0, None))))


@given(same_width_sets(-100.0, 100.0, max_rows=12))
def test_frechet_distance_of_feature_sets_matches_eigendecompositions(sets):
    a, b = sets
    mu1, sigma1 = metrics.feature_statistics(a)
    mu2, sigma2 = metrics.feature_statistics(b)
    np.testing.assert_allclose(mu1, a.mean(axis=0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        sigma1, np.cov(a, rowvar=False).reshape(sigma1.shape), rtol=1e-10, atol=1e-9
    )
    expected = (
        np.sum((mu1 - mu2) ** 2)
        + np.trace(sigma1)
        + np.trace(sigma2)
        - 2 * _trace_sqrt_product(sigma1, sigma2)
    )
    value = metrics.frechet_distance(mu1, sigma1, mu2, sigma2)
    scale = np.trace(sigma1) + np.trace(sigma2) + np.sum((mu1 - mu2) ** 2)
    assert value == pytest.approx(max(expected, 0.0), rel=1e-6, abs=1e-6 * max(scale, 1.0))


@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(2, 50), st.integers(1, 5)),
        elements=st.floats(-1e150, 1e150),
    ),
)
def test_feature_statistics_are_the_mean_and_unbiased_covariance(features):
    mu, sigma = metrics.feature_statistics(features)
    assert mu.shape == features.shape[1:] and sigma.shape == (features.shape[1],) * 2
    assert np.all(np.isfinite(mu)) and np.all(np.isfinite(sigma))
    scale = float(np.max(np.abs(features)))
    np.testing.assert_allclose(mu, np.mean(features, axis=0), rtol=1e-12, atol=1e-15 * scale)
    expected = np.atleast_2d(np.cov(features, rowvar=False))
    np.testing.assert_allclose(sigma, expected, rtol=1e-9, atol=1e-12 * scale**2)


def test_feature_statistics_of_a_constant_set_is_a_zero_covariance():
    mu, sigma = metrics.feature_statistics(np.full((5, 3), 1e300))
    np.testing.assert_array_equal(mu, np.full(3, 1e300))
    np.testing.assert_array_equal(sigma, np.zeros((3, 3)))
    assert metrics.frechet_distance(mu, sigma, mu, sigma) == 0.0


# Covariances far from 1 (found when frechet_distance worked on them unscaled: their product
# overflowed, or sqrtm lost the root) and singular ones (found when it offset them by 1e-6 I).
# The unit vector u = (0.48, 0.6, 0.64): sigma2 = c u u^T has the one eigenvalue c, and
# FD = Tr(c I) + Tr(c u u^T) - 2 Tr sqrt(c^2 u u^T) = 3c + c - 2c = 2c.
UNIT = np.array([0.48, 0.6, 0.64])


@pytest.mark.parametrize("c", [1e90, 1e200])
def test_regression_frechet_distance_of_large_covariances_is_finite(c):
    # Found by the W2-formula property with variances up to 1e100 (and 1e300): c = 1e90 was
    # refused ("imaginary part up to 8.55e+80"), c = 1e200 raised "Internal error in
    # scipy.linalg.sqrtm: -102"; other draws gave nan, or 0 for a true 4.85e99.
    value = metrics.frechet_distance(
        np.zeros(3), c * np.eye(3), np.zeros(3), c * np.outer(UNIT, UNIT)
    )
    assert value == pytest.approx(2 * c, rel=1e-8)


def test_regression_frechet_distance_of_a_rank_1_covariance_of_1e6_is_not_refused():
    # Found by the W2-formula property (thorough profile) with variances of 1.7e5: "the
    # square root of sigma1 @ sigma2 has an imaginary part up to 0.00106"; here 0.00137.
    u = np.array([np.cos(0.024 * np.pi), np.sin(0.024 * np.pi)])
    value = metrics.frechet_distance(
        np.zeros(2), 1e6 * np.eye(2), np.zeros(2), 1e6 * np.outer(u, u)
    )
    assert value == pytest.approx(1e6, rel=1e-8)  # 2c + c - 2 Tr sqrt(c^2 u u^T) = c


def test_regression_frechet_distance_of_a_degenerate_set_needs_no_offset():
    # Found by the feature-set property (thorough profile).
    mu1, sigma1 = metrics.feature_statistics([[0.0, 1.0], [1.0, 1.0]])
    mu2, sigma2 = metrics.feature_statistics([[0.0, 1.0], [1e-200, 1e-200]])
    # sigma1 = diag(1/2, 0) and sigma2 = [[0, -5e-201], [-5e-201, 1/2]]: S1^(1/2) sigma2
    # S1^(1/2) = 0, so Tr sqrt(sigma1 sigma2) = 0 and FD = 1/2 + 1/2 + 1/2 = 1.5.
    expected = np.sum((mu1 - mu2) ** 2) + np.trace(sigma1) + np.trace(sigma2)
    assert metrics.frechet_distance(mu1, sigma1, mu2, sigma2) == pytest.approx(expected, rel=1e-9)


def test_regression_frechet_distance_of_huge_variances_has_no_overflow_warning():
    # Found by the never-nan property: sigma1 @ sigma2 = 1e400 overflowed (RuntimeWarning)
    # although FD = |mu1 - mu2|^2 + (sqrt(1e200) - sqrt(1e200))^2 = 1.
    assert metrics.frechet_distance([0.0], [[1e200]], [1.0], [[1e200]]) == pytest.approx(1.0)


@given(commuting_gaussians(largest=1e300))
def test_frechet_distance_never_returns_nan(case):
    """Over the whole float range: a number, or a ValueError naming a parameter (and, as
    everywhere here, no warning)."""
    mu1, sigma1, mu2, sigma2, _, _ = case
    try:
        value = metrics.frechet_distance(mu1, sigma1, mu2, sigma2)
    except ValueError as error:  # a refusal must name what it refuses
        assert "sigma" in str(error) or "mu" in str(error)
        return
    assert not np.isnan(value)


# ---------------------------------------------------------------------------------------
# KID.
# ---------------------------------------------------------------------------------------


def _kid_by_pairs(a, b):
    """The unbiased MMD^2 of Gretton et al. 2012 (Lemma 6) as an explicit sum over pairs."""
    d = a.shape[1]

    def k(x, y):
        return (float(np.dot(x, y)) / d + 1.0) ** 3

    m, n = len(a), len(b)
    same_a = sum(k(a[i], a[j]) for i, j in itertools.permutations(range(m), 2))
    same_b = sum(k(b[i], b[j]) for i, j in itertools.permutations(range(n), 2))
    cross = sum(k(x, y) for x in a for y in b)
    return same_a / (m * (m - 1)) + same_b / (n * (n - 1)) - 2.0 * cross / (m * n)


feature_shapes = st.tuples(st.integers(2, 8), st.integers(1, 4))


@st.composite
def equal_feature_sets(draw):
    shape = draw(feature_shapes)
    elements = st.floats(-30.0, 30.0)
    return draw(hnp.arrays(np.float64, shape, elements=elements)), draw(
        hnp.arrays(np.float64, shape, elements=elements)
    )


@given(same_width_sets())
def test_kid_from_features_is_the_unbiased_mmd_over_pairs(sets):
    a, b = sets
    value = metrics.kid_from_features(a, b)
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))), 1.0) ** 6
    assert np.isfinite(value)
    assert value == pytest.approx(_kid_by_pairs(a, b), rel=1e-9, abs=1e-12 * scale)


@given(equal_feature_sets(), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_kid_with_subsets_as_large_as_the_sets_is_kid_of_the_sets(sets, subsets, seed):
    """Subsets of min(subset_size, m, n) rows: for m == n <= subset_size, the whole sets."""
    a, b = sets
    mean, std = metrics.kid(a, b, subsets=subsets, subset_size=100, seed=seed)
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))), 1.0) ** 6
    assert mean == pytest.approx(metrics.kid_from_features(a, b), rel=1e-9, abs=1e-12 * scale)
    assert 0.0 <= std <= 1e-9 * scale


@given(
    st.sampled_from(
        [
            ("subsets", 0),
            ("subsets", 1.5),
            ("subset_size", 1),
            ("subset_size", -3),
            ("subsets", True),
        ]
    )
)
def test_kid_names_a_count_out_of_range(option):
    name, value = option
    a = np.arange(6.0).reshape(3, 2)
    with pytest.raises(ValueError, match=name):
        metrics.kid(a, a, **{name: value})


def test_regression_kid_names_a_negative_seed():
    a = np.arange(6.0).reshape(3, 2)
    with pytest.raises(ValueError, match="seed"):
        metrics.kid(a, a, seed=-1)


def test_regression_kid_from_features_of_huge_features_is_not_nan():
    # Found by the never-nan property: features of 2.4e51 overflowed the cubic kernel.
    a = np.full((4, 2), 1e60)
    try:
        value = metrics.kid_from_features(a, 0.5 * a)
    except ValueError as error:
        assert "features" in str(error)
        return
    assert not np.isnan(value)
