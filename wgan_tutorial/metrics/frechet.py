"""The distances between feature sets: the Frechet distance (FID's formula) and KID.

- `feature_statistics` (mean and unbiased covariance) and `frechet_distance` (Heusel et al.
  2017, arXiv 1706.08500, Section 3, the equation of the FID), with the safeguards of
  pytorch-fid for singular covariances.
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

# Safeguards of the Frechet distance (as in pytorch-fid): the offset added to both covariances
# when the square root of their product is not finite, and the largest imaginary part on the
# diagonal of that square root still taken as rounding.
COVARIANCE_OFFSET = 1e-6
IMAGINARY_TOLERANCE = 1e-3
# Covariances may differ from their transpose by this much relative to their largest entry.
SYMMETRY_TOLERANCE = 1e-6


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


def frechet_distance(mu1, sigma1, mu2, sigma2):
    """The Frechet (2-Wasserstein) distance squared between N(mu1, sigma1) and N(mu2, sigma2).

    d^2 = ||mu1 - mu2||^2 + Tr(sigma1 + sigma2 - 2 (sigma1 sigma2)^(1/2)), the equation of the
    FID in Heusel et al. 2017 (arXiv 1706.08500), Section 3. Computed in float64 with
    `scipy.linalg.sqrtm`. Safeguards: if the square root is not finite (singular
    covariances), it is recomputed with 1e-6 * I added to both covariances; an imaginary
    part (rounding) is dropped when its diagonal stays below 1e-3 in absolute value.
    Rounding can bring identical Gaussians a hair below 0: the result is clipped at 0.

    Args:
        mu1, mu2: means, finite arrays of shape (d,).
        sigma1, sigma2: covariances, finite symmetric arrays of shape (d, d) (positive
            semi-definite, e.g. from `feature_statistics`).

    Returns:
        float >= 0, in squared feature units.

    Raises:
        ValueError: a wrong shape, a non-square, asymmetric or non-finite covariance, a
            non-finite mean (each naming the parameter), or a square root whose imaginary
            part is not negligible (the covariances are not positive semi-definite).

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    mu1, sigma1 = _check_gaussian("mu1", mu1, "sigma1", sigma1)
    mu2, sigma2 = _check_gaussian("mu2", mu2, "sigma2", sigma2)
    if mu1.shape != mu2.shape:
        raise ValueError(f"mu1 and mu2 must have the same shape, got {mu1.shape} and {mu2.shape}")
    root = _quiet_sqrtm(sigma1 @ sigma2)
    if not np.all(np.isfinite(root)):
        offset = COVARIANCE_OFFSET * np.eye(mu1.size)
        root = _quiet_sqrtm((sigma1 + offset) @ (sigma2 + offset))
    if np.iscomplexobj(root):
        imaginary = float(np.max(np.abs(np.diag(root).imag)))
        if imaginary > IMAGINARY_TOLERANCE:
            raise ValueError(
                f"the square root of sigma1 @ sigma2 has an imaginary part up to "
                f"{imaginary:.3g} (> {IMAGINARY_TOLERANCE:g}): are the covariances "
                f"positive semi-definite?"
            )
        root = root.real
    difference = mu1 - mu2
    value = difference @ difference + np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(root)
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
        ValueError: not 2-D, fewer than 2 rows, or different d.

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


def kid(features_a, features_b, subsets=100, subset_size=1000, seed=0):
    """KID averaged over random subsets, with its standard deviation (Binkowski et al. 2018).

    As their reference code: `subsets` times, draw min(subset_size, m, n) rows of each set
    without replacement and take `kid_from_features`; report the mean and the standard
    deviation over the subsets.

    Args:
        features_a, features_b: (m, d) and (n, d). subsets: int >= 1.
        subset_size: int >= 2. seed: int >= 0.

    Returns:
        (mean, std): floats.

    Raises:
        ValueError: from `kid_from_features`, or a count out of range.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    subsets = check_number(subsets, "subsets", 1, integer=True)
    subset_size = check_number(subset_size, "subset_size", 2, integer=True)
    a = _finite_float64("features_a", features_a, 2)
    b = _finite_float64("features_b", features_b, 2)
    size = min(subset_size, len(a), len(b))
    rng = np.random.default_rng(seed)
    values = [
        kid_from_features(
            a[rng.choice(len(a), size, replace=False)], b[rng.choice(len(b), size, replace=False)]
        )
        for _ in range(subsets)
    ]
    return float(np.mean(values)), float(np.std(values))
