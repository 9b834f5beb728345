"""The Earth-Mover (W1) distance between samples: 1-D samples and point clouds in any dimension.

`w1_samples` is exact for two 1-D samples (the integral of the gap between their empirical
CDFs, as scipy.stats.wasserstein_distance); `w1_point_clouds` is exact for small weighted
point clouds in any dimension (a linear program). They are the yardsticks against which a
critic's estimate of W1 is compared. Definition: Arjovsky, Chintala and Bottou,
"Wasserstein GAN" (2017, arXiv 1701.07875), Eq. 1.

Taught in notebooks/01_divergences_and_em_distance.ipynb.
"""

import math

import numpy as np
from scipy import optimize, sparse

from wgan_tutorial.divergences.checks import check_points, check_sample, check_weights
from wgan_tutorial.divergences.numerics import gap_integral

# Default cap on the number of transport-plan entries (n * m) of `w1_point_clouds`.
MAX_LP_VARIABLES = 250_000

# Clouds whose largest coordinate lies outside this range are rescaled by a power of 2
# (exact) before the distances are formed, so that they neither overflow nor underflow and
# the linear program sees costs of order 1.
_UNSCALED_RANGE = (2.0**-20, 2.0**20)


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
        float >= 0; inf only where W1 exceeds the largest float (values about 1e308 apart).

    Raises:
        ValueError: x or y is not 1-D, is empty or holds non-finite values.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    x = np.sort(check_sample("x", x))
    y = np.sort(check_sample("y", y))
    pooled = np.sort(np.concatenate([x, y]))
    cdf_x = np.searchsorted(x, pooled[:-1], side="right") / x.size
    cdf_y = np.searchsorted(y, pooled[:-1], side="right") / y.size
    return gap_integral(cdf_x - cdf_y, pooled)


def _power_of_two_scale(x, y):
    """1, or the power of 2 nearest the largest |coordinate| when that is outside the range."""
    largest = max(float(np.max(np.abs(x))), float(np.max(np.abs(y))))
    if largest == 0.0 or _UNSCALED_RANGE[0] <= largest <= _UNSCALED_RANGE[1]:
        return 1.0
    return math.ldexp(1.0, math.frexp(largest)[1])


def w1_point_clouds(
    x, y, x_weights=None, y_weights=None, *, max_variables=MAX_LP_VARIABLES, return_plan=False
):
    """Exact Earth-Mover (W1) distance between two weighted point clouds, by linear programming.

    Solves the primal of Arjovsky et al. 2017 (arXiv 1701.07875), Eq. 1 on discrete
    distributions: minimise sum_ij T_ij |x_i - y_j| (Euclidean) over transport plans T >= 0
    with row sums x_weights and column sums y_weights, with scipy.optimize.linprog
    (method "highs"). Meant for small clouds (a few hundred points each), to compare a
    critic's estimate of W1 with the truth. Clouds with coordinates beyond 2^20 or all
    below 2^-20 in size are solved in units of a power of 2 (exact), so coordinates from
    subnormal numbers to 1e308 neither overflow nor lose the solver's precision.

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
    x = check_points("x", x)
    y = check_points("y", y)
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
    a = check_weights("x_weights", x_weights, n, "x")
    b = check_weights("y_weights", y_weights, m, "y")
    scale = _power_of_two_scale(x, y)
    x, y = x / scale, y / scale
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
    with np.errstate(over="ignore"):  # inf only where W1 exceeds the float range
        value = max(float(result.fun), 0.0) * scale
    if return_plan:
        return value, np.maximum(result.x.reshape(n, m), 0.0)
    return value
