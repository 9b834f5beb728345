"""KL, JS, TV and the Earth-Mover (W1) distance, the four ways to compare distributions.

The modules of this package:

- `gaussian`: two 1-D Gaussians N(mu1, s1^2) and N(mu2, s2^2): `kl_gaussian`,
  `js_gaussian`, `tv_gaussian`, `w1_gaussian`, `w2_gaussian` (closed forms, JS by accurate
  numerical integration), `gaussian_distances` (the four at once) and `optimal_critic_1d`
  (the 1-Lipschitz function that attains W1 in the Kantorovich-Rubinstein dual).
- `discrete`: probability vectors over the same support: `kl`, `js`, `tv`, `w1`.
- `samples`: `w1_samples` (two 1-D samples, as `scipy.stats.wasserstein_distance`) and
  `w1_point_clouds` (exact W1 between small point clouds in any dimension, by linear
  programming), so that a critic's estimate can be compared with the truth.
- `parallel_lines`: the parallel-lines example of the WGAN paper.
- `checks` (argument validation, e.g. `check_finite`) and `numerics` (overflow-free
  building blocks).

Every function accepts the whole documented domain, from subnormal numbers to 1e308, and
returns a finite value wherever the true value is a float, inf where the true value is
infinite or beyond the largest float, or raises a ValueError naming the bad parameter.

Background: Arjovsky, Chintala and Bottou, "Wasserstein GAN" (2017, arXiv 1701.07875),
Section 2 (definitions of the four distances, Example 1) and Section 3 (Kantorovich-
Rubinstein duality, Eq. 2). All divergences are in nats (natural logarithms).

Taught in notebooks/01_divergences_and_em_distance.ipynb.
"""

from wgan_tutorial.divergences.checks import PROBABILITY_SUM_TOLERANCE, check_finite
from wgan_tutorial.divergences.discrete import js, kl, tv, w1
from wgan_tutorial.divergences.gaussian import (
    LOG2,
    Distances,
    gaussian_distances,
    js_gaussian,
    kl_gaussian,
    optimal_critic_1d,
    tv_gaussian,
    w1_gaussian,
    w2_gaussian,
)
from wgan_tutorial.divergences.parallel_lines import parallel_lines
from wgan_tutorial.divergences.samples import MAX_LP_VARIABLES, w1_point_clouds, w1_samples

__all__ = [
    "LOG2",
    "MAX_LP_VARIABLES",
    "PROBABILITY_SUM_TOLERANCE",
    "Distances",
    "check_finite",
    "gaussian_distances",
    "js",
    "js_gaussian",
    "kl",
    "kl_gaussian",
    "optimal_critic_1d",
    "parallel_lines",
    "tv",
    "tv_gaussian",
    "w1",
    "w1_gaussian",
    "w1_point_clouds",
    "w1_samples",
    "w2_gaussian",
]
