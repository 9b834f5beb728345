"""Example 1 of the WGAN paper: the four distances between two parallel line segments.

P0 = (0, Z) and P_theta = (theta, Z), Z ~ U[0, 1]: for theta != 0 the supports are
disjoint, so KL, JS and TV jump to their maxima, while W1 = |theta| shrinks smoothly to 0.
Arjovsky, Chintala and Bottou, "Wasserstein GAN" (2017, arXiv 1701.07875), Example 1.

Taught in notebooks/01_divergences_and_em_distance.ipynb.
"""

import math

import numpy as np

from wgan_tutorial.divergences.checks import check_finite, scalar_or_array
from wgan_tutorial.divergences.gaussian import Distances

LOG2 = math.log(2.0)


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
        shape. KL is +inf (its true value) for every theta != 0.

    Raises:
        ValueError: theta is not finite.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    theta = check_finite("theta", theta)
    apart = theta != 0
    return Distances(
        kl=scalar_or_array(np.where(apart, np.inf, 0.0)),
        js=scalar_or_array(np.where(apart, LOG2, 0.0)),
        tv=scalar_or_array(np.where(apart, 1.0, 0.0)),
        w1=scalar_or_array(np.abs(theta)),
    )
