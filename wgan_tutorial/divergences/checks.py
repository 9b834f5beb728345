"""Argument checks of the divergence functions: each names the parameter and the allowed range.

Every public function of `wgan_tutorial.divergences` validates its arguments here first, so a
bad value ends in a ValueError that says which parameter is wrong and what was expected, never
in a NaN further down. `check_finite` is also used by the figures of notebook 01 in
`wgan_tutorial.plotting`.
"""

import numpy as np

# Sums of probability vectors may differ from 1 by this much (rounding in their making).
PROBABILITY_SUM_TOLERANCE = 1e-6


def as_float_array(name, value):
    """`value` as a float64 array, or a ValueError naming `name` if it is not numeric."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{name} must be a real number or an array of them, got {value!r}"
        ) from error


def _first_bad(array, bad):
    return float(array[bad].flat[0])


def check_finite(name, value):
    """`value` as a float64 array of finite numbers, or a ValueError naming `name`.

    Args:
        name: the parameter's name, for the message.
        value: a real number or an array-like of them.

    Returns:
        float64 ndarray of value's shape.

    Raises:
        ValueError: e.g. "theta must be finite, got nan".
    """
    array = as_float_array(name, value)
    bad = ~np.isfinite(array)
    if np.any(bad):
        raise ValueError(f"{name} must be finite, got {_first_bad(array, bad)}")
    return array


def check_positive(name, value):
    """`value` as a float64 array of finite numbers > 0, or a ValueError naming `name`."""
    array = check_finite(name, value)
    bad = array <= 0
    if np.any(bad):
        raise ValueError(f"{name} must be > 0, got {_first_bad(array, bad)}")
    return array


def check_gaussians(mu1, s1, mu2, s2):
    """The parameters of two 1-D Gaussians as float64 arrays broadcast together."""
    return np.broadcast_arrays(
        check_finite("mu1", mu1),
        check_positive("s1", s1),
        check_finite("mu2", mu2),
        check_positive("s2", s2),
    )


def _finite_vector(name, value, what, why_not_empty):
    """A 1-D, non-empty float64 array of finite values, or a ValueError naming `name`."""
    array = as_float_array(name, value)
    if array.ndim != 1:
        raise ValueError(f"{name} must be {what}, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty ({why_not_empty})")
    return check_finite(name, array)


def check_probability_vector(name, p):
    """A 1-D float64 array of n >= 1 finite entries >= 0 summing to 1 (within 1e-6)."""
    array = _finite_vector(
        name, p, "a 1-D probability vector", "a probability vector has >= 1 entry"
    )
    if np.any(array < 0):
        index = int(np.argmax(array < 0))
        raise ValueError(f"{name} must be >= 0 everywhere, got {array[index]} at index {index}")
    total = float(np.sum(array))
    if abs(total - 1.0) > PROBABILITY_SUM_TOLERANCE:
        raise ValueError(
            f"{name} must sum to 1 (within {PROBABILITY_SUM_TOLERANCE:g}), got a sum of {total!r}"
        )
    return array


def check_probability_pair(p, q):
    """Two probability vectors `p` and `q` of the same length (see `check_probability_vector`)."""
    p = check_probability_vector("p", p)
    q = check_probability_vector("q", q)
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same length, got {p.size} and {q.size}")
    return p, q


def check_sample(name, x):
    """A 1-D float64 array of n >= 1 finite values."""
    return _finite_vector(name, x, "a 1-D sample (shape (n,))", "a sample needs >= 1 value")


def check_points(name, points):
    """A point cloud as a float64 array of shape (n, d), n >= 1 ((n,) becomes (n, 1))."""
    array = as_float_array(name, points)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be an array of points of shape (n, d) (or (n,)), got shape {array.shape}"
        )
    if array.shape[0] == 0:
        raise ValueError(f"{name} must not be empty (a point cloud needs >= 1 point)")
    return check_finite(name, array)


def check_weights(name, weights, size, points_name):
    """Weights of `size` points, normalised to sum to 1 (uniform when `weights` is None).

    Weights whose sum overflows (entries near the largest float) are first divided by their
    largest entry, so any finite weights >= 0 with a positive entry are accepted.
    """
    if weights is None:
        return np.full(size, 1.0 / size)
    array = check_finite(name, weights)
    if array.shape != (size,):
        raise ValueError(
            f"{name} must have shape ({size},) (one weight per point of {points_name}), "
            f"got shape {array.shape}"
        )
    if np.any(array < 0):
        index = int(np.argmax(array < 0))
        raise ValueError(f"{name} must be >= 0 everywhere, got {array[index]} at index {index}")
    with np.errstate(over="ignore"):
        total = float(np.sum(array))
    if total <= 0:
        raise ValueError(f"{name} must have a sum > 0, got {total}")
    if not np.isfinite(total):
        array = array / array.max()
        total = float(np.sum(array))
    return array / total


def scalar_or_array(array):
    """A 0-d result as a Python float, anything else as a float64 array."""
    array = np.asarray(array, dtype=np.float64)
    return float(array) if array.ndim == 0 else array
