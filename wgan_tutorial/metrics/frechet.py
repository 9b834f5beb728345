"""The distances between feature sets: the Frechet distance (FID's formula) and KID.

- `feature_statistics` (mean and unbiased covariance) and `frechet_distance` (Heusel et al.
  2017, arXiv 1706.08500, Section 3, the equation of the FID), with safeguards for
  covariances far from 1 (scaling by a power of 2) and singular ones (eigendecompositions).
- `kid_from_features` (the unbiased MMD^2 with the cubic polynomial kernel) and `kid`
  (averaged over random subsets): Binkowski et al. 2018, arXiv 1801.01401, Section 3 and
  Appendix A.

Everything here works on feature arrays (float64 inside); which network made the features is
the business of `extractors`. Taught in notebooks/04_fid_evaluation.ipynb and
notebooks/06_your_own_images.ipynb.
"""

import warnings

import numpy as np
from scipy import linalg

from wgan_tutorial.config import check_number

# Safeguards of the Frechet distance: the largest imaginary part on the diagonal of
# sqrtm(sigma1 @ sigma2) still taken as rounding (as in pytorch-fid); beyond it, or when that
# square root is not finite, the trace is computed by symmetric eigendecompositions instead.
IMAGINARY_TOLERANCE = 1e-3
# pytorch-fid's offset added to both covariances before retrying a square root that is not
# finite. `frechet_distance` no longer uses it (the eigendecomposition route is exact for
# singular covariances, the offset biased the distance); kept for code that imports it.
COVARIANCE_OFFSET = 1e-6
# Covariances may differ from their transpose by this much relative to their largest entry.
SYMMETRY_TOLERANCE = 1e-6
# An eigenvalue below -NEGATIVE_EIGENVALUE_TOLERANCE times the largest |eigenvalue| of a
# covariance is not rounding: the covariance is not positive semi-definite.
NEGATIVE_EIGENVALUE_TOLERANCE = 1e-6
# Covariances whose largest |entry| lies in [2^-SCALE_EXPONENT, 2^SCALE_EXPONENT] are used as
# they are; others are divided by a power of 2 (exact) so that sigma1 @ sigma2 neither
# overflows nor underflows.
SCALE_EXPONENT = 100
# KID's cubic kernel (x.y / d + 1)^3 is at most (M^2 + 1)^3 for entries |x| <= M: with
# M = 1e40 it stays below 1e241, and its sums over any number of pairs stay in float64.
KID_FEATURE_LIMIT = 1e40


def _finite_float64(name, value, ndim):
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a real {ndim}-D array, got {type(value).__name__}"
        ) from None
    if array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got a NaN or infinite entry")
    return array


def _check_gaussian(mu_name, mu, sigma_name, sigma):
    mu = _finite_float64(mu_name, mu, 1)
    sigma = _finite_float64(sigma_name, sigma, 2)
    if mu.size == 0:
        raise ValueError(f"{mu_name} must have at least one entry, got shape {mu.shape}")
    if sigma.shape[0] != sigma.shape[1]:
        raise ValueError(f"{sigma_name} must be square, got shape {sigma.shape}")
    if sigma.shape[0] != mu.size:
        raise ValueError(
            f"{sigma_name} must have shape ({mu.size}, {mu.size}) to match {mu_name}, "
            f"got {sigma.shape}"
        )
    asymmetry = float(np.max(np.abs(sigma - sigma.T)))
    if asymmetry > SYMMETRY_TOLERANCE * max(1.0, float(np.max(np.abs(sigma)))):
        raise ValueError(
            f"{sigma_name} must be a symmetric covariance matrix, got |S - S^T| up to "
            f"{asymmetry:.3g}"
        )
    return mu, sigma


def _quiet_sqrtm(matrix):
    """`scipy.linalg.sqrtm` without its LinAlgWarning for singular matrices: the product of
    two covariances of a degenerate set is singular, yet its square root is well defined
    (e.g. 0 for 0), and `frechet_distance` checks the result itself."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        return linalg.sqrtm(matrix)


def power_of_two_scale(sigma1, sigma2):
    """The power of 2, c, to divide both covariances by before the square root of their product.

    1.0 (no scaling: the arithmetic of ordinary covariances is untouched) when the largest
    |entry| is 0 or within [2^-100, 2^100]; otherwise 2^e with 2^(e-1) <= largest < 2^e, so
    the scaled entries are at most 1 and sigma1 @ sigma2 cannot overflow. Dividing by a
    power of 2 is exact in binary floating point (bar underflow of entries far below the
    largest), and Tr sqrt(sigma1 sigma2) = c Tr sqrt((sigma1 / c) (sigma2 / c)).

    Args:
        sigma1, sigma2: finite float64 arrays (d, d).

    Returns:
        float, a power of 2.
    """
    largest = max(float(np.max(np.abs(sigma1))), float(np.max(np.abs(sigma2))))
    if largest == 0.0 or 2.0**-SCALE_EXPONENT <= largest <= 2.0**SCALE_EXPONENT:
        return 1.0
    return float(np.ldexp(1.0, np.frexp(largest)[1]))


def _check_positive_semi_definite(name, values):
    smallest, largest = float(np.min(values)), float(np.max(np.abs(values)))
    if smallest < -NEGATIVE_EIGENVALUE_TOLERANCE * largest:
        raise ValueError(
            f"{name} must be positive semi-definite, got an eigenvalue of {smallest:.3g}: the "
            f"square root of sigma1 @ sigma2 would have an imaginary part"
        )


def trace_sqrt_product_by_eigh(sigma1, sigma2):
    """Tr (sigma1 sigma2)^(1/2) by symmetric eigendecompositions, exact for singular covariances.

    sigma1 sigma2 is similar to S1^(1/2) sigma2 S1^(1/2) (S1^(1/2) from `numpy.linalg.eigh`),
    a symmetric positive semi-definite matrix with the same eigenvalues; the trace of the
    square root is the sum of their square roots (those within rounding of 0 taken as 0,
    as `numpy.linalg.matrix_rank` does). Used by
    `frechet_distance` when `scipy.linalg.sqrtm` fails on a singular or ill-conditioned
    product.

    Args:
        sigma1, sigma2: finite symmetric float64 arrays (d, d).

    Returns:
        float >= 0.

    Raises:
        ValueError: a covariance with an eigenvalue below -1e-6 times its largest |eigenvalue|
            (not positive semi-definite), naming it.
    """
    values, vectors = np.linalg.eigh(sigma1)
    _check_positive_semi_definite("sigma1", values)
    _check_positive_semi_definite("sigma2", np.linalg.eigvalsh(sigma2))
    root1 = (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T
    inner = root1 @ sigma2 @ root1
    inner_values = np.linalg.eigvalsh((inner + inner.T) / 2.0)
    # eigenvalues within rounding of 0 (numpy.linalg.matrix_rank's threshold) are 0: their
    # square roots, ~1e-8 of the largest, would otherwise add up
    negligible = inner_values.size * np.finfo(np.float64).eps * np.max(np.abs(inner_values))
    inner_values[inner_values <= negligible] = 0.0
    return float(np.sum(np.sqrt(inner_values)))


def trace_sqrt_product(sigma1, sigma2):
    """Tr (sigma1 sigma2)^(1/2): `scipy.linalg.sqrtm`'s root, or eigendecompositions if it fails.

    The root of sigma1 @ sigma2 by `scipy.linalg.sqrtm` (pytorch-fid's route); an imaginary
    part (rounding) is dropped when its diagonal stays within 1e-3 in absolute value. When
    the root is not finite or its imaginary part is larger (a singular or ill-conditioned
    product), `trace_sqrt_product_by_eigh` computes the trace exactly.

    Args:
        sigma1, sigma2: finite symmetric float64 arrays (d, d), entries at most about 2^100.

    Returns:
        float.

    Raises:
        ValueError: from `trace_sqrt_product_by_eigh` (a covariance not positive
            semi-definite).
    """
    root = _quiet_sqrtm(sigma1 @ sigma2)
    if np.all(np.isfinite(root)):
        if not np.iscomplexobj(root):
            return np.trace(root)
        if float(np.max(np.abs(np.diag(root).imag))) <= IMAGINARY_TOLERANCE:
            return np.trace(root.real)
    return trace_sqrt_product_by_eigh(sigma1, sigma2)


def frechet_distance(mu1, sigma1, mu2, sigma2):
    """The Frechet (2-Wasserstein) distance squared between N(mu1, sigma1) and N(mu2, sigma2).

    d^2 = ||mu1 - mu2||^2 + Tr(sigma1 + sigma2 - 2 (sigma1 sigma2)^(1/2)), the equation of the
    FID in Heusel et al. 2017 (arXiv 1706.08500), Section 3. Computed in float64 with
    `scipy.linalg.sqrtm` (`trace_sqrt_product`). Safeguards: if that square root is not
    finite or has an imaginary part above 1e-3 on its diagonal (singular or ill-conditioned
    covariances), the trace of the root comes from symmetric eigendecompositions instead
    (`trace_sqrt_product_by_eigh`), exact where pytorch-fid's 1e-6 offset biased it;
    covariances with entries beyond 2^100 (or all below 2^-100) are divided by a power of 2
    first (`power_of_two_scale`), so nothing overflows or underflows, and take the
    eigendecomposition route.
    Rounding can bring identical Gaussians a hair below 0: the result is clipped at 0.

    Args:
        mu1, mu2: means, finite arrays of shape (d,).
        sigma1, sigma2: covariances, finite symmetric arrays of shape (d, d) (positive
            semi-definite, e.g. from `feature_statistics`).

    Returns:
        float >= 0, in squared feature units.

    Raises:
        ValueError: a wrong shape, a non-square, asymmetric or non-finite covariance, a
            non-finite mean (each naming the parameter), or a covariance that is not
            positive semi-definite (the square root would have an imaginary part).

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    mu1, sigma1 = _check_gaussian("mu1", mu1, "sigma1", sigma1)
    mu2, sigma2 = _check_gaussian("mu2", mu2, "sigma2", sigma2)
    if mu1.shape != mu2.shape:
        raise ValueError(f"mu1 and mu2 must have the same shape, got {mu1.shape} and {mu2.shape}")
    difference = mu1 - mu2
    scale = power_of_two_scale(sigma1, sigma2)
    if scale == 1.0:
        root_trace = trace_sqrt_product(sigma1, sigma2)
        value = difference @ difference + np.trace(sigma1) + np.trace(sigma2) - 2.0 * root_trace
    else:
        # the trace term in the scaled units first (it cancels when the covariances agree), by
        # eigendecompositions: sqrtm's root of a singular product is accurate to ~1e-8 only
        sigma1, sigma2 = sigma1 / scale, sigma2 / scale
        root_trace = trace_sqrt_product_by_eigh(sigma1, sigma2)
        traces = np.trace(sigma1) + np.trace(sigma2) - 2.0 * root_trace
        value = difference @ difference + scale * traces
    return max(float(value), 0.0)


def feature_statistics(features):
    """Mean and unbiased covariance of a set of feature vectors (the Gaussian FID fits).

    The Gaussian of Heusel et al. 2017 (arXiv 1706.08500), Section 3, fitted by its sample
    mean and unbiased (1 / (N - 1)) covariance, in float64.

    Args:
        features: finite array of shape (N, d) with N >= 2 (one row per image).

    Returns:
        (mu, sigma): float64 arrays of shapes (d,) and (d, d).

    Raises:
        ValueError: not a finite 2-D array, or fewer than 2 rows.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    features = _finite_float64("features", features, 2)
    if features.shape[0] < 2:
        raise ValueError(
            f"features must have at least 2 rows (N >= 2) for a covariance, got {features.shape[0]}"
        )
    mu = features.mean(axis=0)
    centred = features - mu
    sigma = centred.T @ centred / (features.shape[0] - 1)
    return mu, sigma


def fid_from_features(features_a, features_b):
    """The Frechet distance between Gaussians fitted to two feature sets (rows: images).

    `frechet_distance(*feature_statistics(features_a), *feature_statistics(features_b))`.

    Args:
        features_a, features_b: finite arrays (N_a, d) and (N_b, d), N >= 2 each.

    Returns:
        float >= 0.
    """
    return frechet_distance(*feature_statistics(features_a), *feature_statistics(features_b))


def kid_from_features(features_a, features_b):
    """KID: the unbiased estimate of MMD^2 with the kernel k(x, y) = (x.y / d + 1)^3.

    Binkowski et al. 2018 (arXiv 1801.01401), Section 3 (KID) with the unbiased MMD^2 of
    Gretton et al. 2012 (JMLR 13, Lemma 6): over all pairs,
    sum_{i != j} k(x_i, x_j) / (m (m - 1)) + sum_{i != j} k(y_i, y_j) / (n (n - 1))
    - 2 sum_{i, j} k(x_i, y_j) / (m n). It can be slightly negative when the sets agree.

    Args:
        features_a: (m, d) finite floats, m >= 2. features_b: (n, d), n >= 2.

    Returns:
        float.

    Raises:
        ValueError: not 2-D, fewer than 2 rows, different d, or an entry beyond +-1e40 (the
            kernel would overflow), naming features_a or features_b.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    a = _finite_float64("features_a", features_a, 2)
    b = _finite_float64("features_b", features_b, 2)
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"features_a and features_b must have the same width, got {a.shape[1]} and {b.shape[1]}"
        )
    if len(a) < 2 or len(b) < 2:
        raise ValueError(
            f"features_a and features_b need at least 2 rows each, got {len(a)} and {len(b)}"
        )
    for name, array in (("features_a", a), ("features_b", b)):
        largest = float(np.max(np.abs(array)))
        if largest > KID_FEATURE_LIMIT:
            raise ValueError(
                f"{name} must have entries within +-{KID_FEATURE_LIMIT:g} (the cubic kernel "
                f"(x.y / d + 1)^3 would overflow float64), got {largest:.3g}"
            )
    d = a.shape[1]
    m, n = len(a), len(b)
    k_aa = (a @ a.T / d + 1.0) ** 3
    k_bb = (b @ b.T / d + 1.0) ** 3
    k_ab = (a @ b.T / d + 1.0) ** 3
    return float(
        (k_aa.sum() - np.trace(k_aa)) / (m * (m - 1))
        + (k_bb.sum() - np.trace(k_bb)) / (n * (n - 1))
        - 2.0 * k_ab.mean()
    )


def kid(features_a, features_b, subsets=100, subset_size=1000, seed=0, progress=False):
    """KID averaged over random subsets, with its standard deviation (Binkowski et al. 2018).

    As their reference code: `subsets` times, draw min(subset_size, m, n) rows of each set
    without replacement and take `kid_from_features`; report the mean and the standard
    deviation over the subsets.

    Args:
        features_a, features_b: (m, d) and (n, d). subsets: int >= 1.
        subset_size: int >= 2. seed: int >= 0. progress: a tqdm bar over the subsets.

    Returns:
        (mean, std): floats.

    Raises:
        ValueError: from `kid_from_features`, or a count or the seed out of range (naming it).

    Taught in notebooks/06_your_own_images.ipynb.
    """
    subsets = check_number(subsets, "subsets", 1, integer=True)
    subset_size = check_number(subset_size, "subset_size", 2, integer=True)
    seed = check_number(seed, "seed", 0, integer=True)
    a = _finite_float64("features_a", features_a, 2)
    b = _finite_float64("features_b", features_b, 2)
    size = min(subset_size, len(a), len(b))
    rng = np.random.default_rng(seed)
    rounds = range(subsets)
    if progress:
        from tqdm.auto import tqdm

        rounds = tqdm(rounds, desc="KID subsets", unit="subset")
    values = [
        kid_from_features(
            a[rng.choice(len(a), size, replace=False)], b[rng.choice(len(b), size, replace=False)]
        )
        for _ in rounds
    ]
    return float(np.mean(values)), float(np.std(values))
