"""Toy distributions: samplers of the small examples the papers draw.

- `gaussian_1d`: the 1-D Gaussians of Arjovsky et al. 2017 (arXiv 1701.07875, Figure 2).
- `eight_gaussians`, `twenty_five_gaussians`, `swiss_roll`: the 2-D sets of Gulrajani et al.
  2017 (arXiv 1704.00028, Section 3, Figure 1), scaled as in their `gan_toy.py`.

All are numpy only, float32, seeded by `seed` (None: fresh randomness). Taught in
notebooks/02_wgan_weight_clipping.ipynb and notebooks/05_interactive_lambda_and_n_critic.ipynb.
"""

import math

import numpy as np

from wgan_tutorial.config import check_number

FLOAT32_MAX = float(np.finfo(np.float32).max)
# gaussian_1d's samples must fit in float32 up to this many standard deviations from the mean
# (a draw beyond 10 std has probability about 1.5e-23).
STDS_IN_RANGE = 10


def random_generator(seed):
    """`numpy.random.default_rng(seed)` for seed None (fresh randomness) or an int >= 0.

    Raises:
        ValueError: any other seed, naming seed.
    """
    if seed is None:
        return np.random.default_rng()
    return np.random.default_rng(check_number(seed, "seed", 0, integer=True))


def _is_finite(value):
    try:
        return math.isfinite(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond a float
        return False


def gaussian_1d(n, mean=0.0, std=1.0, seed=None):
    """n draws from N(mean, std^2), shape (n, 1) float32 (a critic's input).

    Raises:
        ValueError: n not an int >= 1; mean not finite; std not > 0; |mean| + 10 std beyond
            the float32 maximum (3.4e38); seed not None or an int >= 0 (each naming it).
    """
    check_number(n, "n", 1, integer=True)
    if not _is_finite(mean):
        raise ValueError(f"mean must be a finite number, got {mean!r}")
    if not std > 0:
        raise ValueError(f"std must be > 0, got {std!r}")
    if not _is_finite(std) or not abs(mean) + STDS_IN_RANGE * std <= FLOAT32_MAX:
        raise ValueError(
            f"mean and std must keep the samples in float32: |mean| + {STDS_IN_RANGE} std <= "
            f"{FLOAT32_MAX:.4g}, got mean {mean!r} and std {std!r}"
        )
    rng = random_generator(seed)
    return rng.normal(mean, std, size=(n, 1)).astype(np.float32)


def _mixture(n, centres, std, scale, seed, labels):
    check_number(n, "n", 1, integer=True)
    rng = random_generator(seed)
    modes = rng.integers(0, len(centres), size=n)
    points = ((centres[modes] + std * rng.standard_normal((n, 2))) / scale).astype(np.float32)
    return (points, modes.astype(np.int32)) if labels else points


def eight_gaussian_centres():
    """The 8 modes of `eight_gaussians`, (8, 2) before scaling: radius 2, angles k pi / 4."""
    angles = np.arange(8) * np.pi / 4
    return 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def eight_gaussians(n, seed=None, labels=False):
    """8 Gaussians on a circle of radius 2 (std 0.02), divided by 1.414; shape (n, 2).

    With `labels`, also the mode of each point (int32 (n,), mode k at angle k pi / 4): the
    classes of a conditional model (notebooks/07_do_generated_digits_help.ipynb).
    """
    return _mixture(n, eight_gaussian_centres(), 0.02, 1.414, seed, labels)


def twenty_five_gaussians(n, seed=None, labels=False):
    """25 Gaussians on a 5x5 grid of spacing 2 (std 0.05), divided by 2.828; shape (n, 2).

    With `labels`, also the mode of each point (int32 (n,), row-major over the grid).
    """
    grid = np.arange(-2, 3) * 2.0
    centres = np.stack(np.meshgrid(grid, grid), axis=-1).reshape(-1, 2)
    return _mixture(n, centres, 0.05, 2.828, seed, labels)


def swiss_roll(n, seed=None):
    """A 2-D Swiss roll: noise 0.25 on the 3-D roll, its (x, z) plane, divided by 7.5."""
    check_number(n, "n", 1, integer=True)
    rng = random_generator(seed)
    t = 1.5 * np.pi * (1 + 2 * rng.random(n))
    roll = np.stack([t * np.cos(t), 21 * rng.random(n), t * np.sin(t)], axis=1)
    roll += 0.25 * rng.standard_normal(roll.shape)
    return (roll[:, [0, 2]] / 7.5).astype(np.float32)
