"""Every default hyper-parameter of the package as data: the papers' values and tuned presets.

- The papers' values are the baseline. Weight clipping, Arjovsky et al. 2017 (arXiv
  1701.07875), Algorithm 1: RMSProp with alpha = 5e-5, c = 0.01, n_critic = 5, m = 64.
  Gradient penalty, Gulrajani et al. 2017 (arXiv 1704.00028), Algorithm 1: lambda = 10,
  n_critic = 5, Adam alpha = 1e-4, beta_2 = 0.9 (beta_1 = 0 in the paper, 0.5 in the
  official `gan_mnist.py`, used here), m = 64. The baselines: the standard GAN with DCGAN's
  Adam (Radford et al. 2016, arXiv 1511.06434, Section 4: 2e-4, beta = (0.5, 0.999));
  spectral normalisation with WGAN-GP's Adam (Miyato et al. 2018, arXiv 1802.05957, Table 1,
  setting A). Each loss's own values live in its `losses.LOSSES` entry.
- `PRESETS`: where the course departs from the papers on a CPU, one row each, applied in
  order over the baseline by `run_config.RunConfig.resolve`. Each row says when it applies,
  what it sets, why in one line, and where the measurement is recorded.

No TensorFlow is imported here, so the command line's help can quote these values.

Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
"""

from typing import NamedTuple

# The papers' values. The one-sided penalty (lp, Petzka et al. 2018, arXiv 1709.08894) is run
# with WGAN-GP's Adam.
PAPER_LEARNING_RATES = {"clip": 5e-5, "gp": 1e-4, "lp": 1e-4, "sn": 1e-4, "gan": 2e-4}
PAPER_BATCH_SIZE = 64
N_CRITIC = 5
CLIP_VALUE = 0.01
GP_WEIGHT = 10.0
BETA_1 = 0.5
BETA_2 = 0.9
DCGAN_BETA_2 = 0.999
NOISE_DIM = 128

# Model sizes.
PAPER_WIDTH = 64  # DIM of the official WGAN-GP gan_mnist.py and gan_cifar.py
MNIST_WIDTH = 16
MNIST_WIDTH_FAST = 8  # fast mode (WGAN_TUTORIAL_FAST=1)
GENERATOR_NORMS = ("none", "batch")  # a run config's "generator_norm"

# The tuned values the presets below set (named, because the course's text quotes them).
GP_IMAGE_LEARNING_RATE = 1e-3
GP_MNIST_LEARNING_RATE = 1.5e-3
GP_MNIST_BATCH_SIZE = 32
GP_MNIST_EMA = 0.999
GP_MNIST_N_CRITIC = 1
GP_MNIST_CRITIC_LR_SCALE = 2.0
GP_MNIST_CRITIC_LR_FADE = 10000
GP_MNIST_GENERATOR_NORM = "batch"
TOY_NOISE_DIM = 2
TOY_BATCH_SIZE = 256
TOY_WIDTH = 512
TOY_WIDTH_FAST = 64
TOY_DEPTH = 3
SWEEP_LEARNING_RATE = 1e-3  # the shipped notebook 05 sweep's Adam rate (no batch norm)


HARDWARE_PRESETS = ("cpu", "gpu")  # a run's `preset`: which rows of `PRESETS` it takes


class Preset(NamedTuple):
    """One tuned departure from the papers' values.

    Fields: name; applies (a predicate of (loss entry, dataset entry, conditional));
    values (field -> value; a callable value is called with no argument when applied, for
    sizes that shrink in fast mode); reason (one line); record (the section of
    benchmarks/RESULTS.md that holds the measurement); hardware (the `HARDWARE_PRESETS`
    entry it belongs to, or "any").
    """

    name: str
    applies: object
    values: dict
    reason: str
    record: str
    hardware: str = "cpu"


def _fast_or_full(full, fast):
    def value():
        from wgan_tutorial.config import pick

        return pick(full, fast)

    return value


PRESETS = (
    Preset(
        "toy",
        lambda loss, dataset, conditional: dataset.kind == "points",
        {
            "noise_dim": TOY_NOISE_DIM,
            "width": _fast_or_full(TOY_WIDTH, TOY_WIDTH_FAST),
            "depth": TOY_DEPTH,
            "batch_size": TOY_BATCH_SIZE,
        },
        "the official gan_toy.py: 2-512-512-512 MLPs, batch 256, noise of size 2",
        "Toy data sets",
        "any",
    ),
    Preset(
        "penalty on images, CPU",
        lambda loss, dataset, conditional: loss.penalised and dataset.kind == "images",
        {
            "batch_size": GP_MNIST_BATCH_SIZE,
            "learning_rate": GP_IMAGE_LEARNING_RATE,
            "ema": GP_MNIST_EMA,
        },
        "batch 32 runs twice the steps per second; Adam 1e-3 reaches a lower FID in the same "
        "time; samples from a moving average of the generator",
        "Batch size and learning rate",
    ),
    Preset(
        "penalty on MNIST, CPU",
        lambda loss, dataset, conditional: loss.penalised and dataset.name == "mnist",
        {
            "n_critic": GP_MNIST_N_CRITIC,
            "critic_lr_scale": GP_MNIST_CRITIC_LR_SCALE,
            "critic_lr_fade": GP_MNIST_CRITIC_LR_FADE,
        },
        "one critic update per generator update learns most per CPU second; a critic rate "
        "twice the generator's, fading to it over 10,000 steps, makes up for the rest",
        "n_critic and the critic's learning rate",
    ),
    Preset(
        "gp on MNIST without labels, CPU",
        lambda loss, dataset, conditional: (
            loss.name == "gp" and dataset.name == "mnist" and not conditional
        ),
        {"generator_norm": GP_MNIST_GENERATOR_NORM, "learning_rate": GP_MNIST_LEARNING_RATE},
        "batch norm in the generator (DCGAN's, Radford et al. 2016, Section 3) at Adam 1.5e-3; "
        "measured worse for lp, gp-ln and the conditional model",
        "Batch norm in the generator",
    ),
    Preset(
        "images, GPU",
        lambda loss, dataset, conditional: dataset.kind == "images",
        {"width": PAPER_WIDTH},
        "the papers' networks and settings (width 64, batch 64, n_critic 5, one learning "
        "rate): a GPU runs them at full size; not yet measured against the CPU rows",
        "On a GPU",
        "gpu",
    ),
)
