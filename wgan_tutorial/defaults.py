"""Every default hyper-parameter of the package, in one place (no TensorFlow import).

`training.WGAN`, `training.default_optimizers`, `training.default_config`, `models` and
the command line's help all quote these names, so a default is changed here only.

- The papers' values: weight clipping, Arjovsky et al. 2017 (arXiv 1701.07875),
  Algorithm 1: RMSProp with alpha = 5e-5, c = 0.01, n_critic = 5, m = 64. Gradient
  penalty, Gulrajani et al. 2017 (arXiv 1704.00028), Algorithm 1: lambda = 10,
  n_critic = 5, Adam alpha = 1e-4, beta_2 = 0.9 (beta_1 = 0 in the paper, 0.5 in the
  official `gan_mnist.py`, used here), m = 64.
- The baselines: the standard GAN with DCGAN's Adam (Radford et al. 2016, arXiv 1511.06434,
  Section 4: alpha = 2e-4, beta_1 = 0.5, beta_2 = Adam's default 0.999); spectral
  normalisation with the WGAN-GP paper's Adam (Miyato et al. 2018, arXiv 1802.05957,
  Table 1, setting A: alpha = 1e-4, beta = (0.5, 0.9)).
- Where the course departs from them, measured on a 2-core CPU (see
  `training.default_config`): WGAN-GP on MNIST with Adam 1.5e-3 (1e-3 on other image sets,
  with labels, and for lp and gp-ln), batch 32, one critic update per generator update
  (n_critic = 1), a critic learning rate twice the generator's at the start (the two
  time-scale update rule, Heusel et al. 2017, arXiv 1706.08500, Section 2), falling linearly
  to the generator's over the first 10,000 steps, batch norm in the generator (DCGAN's,
  Radford et al. 2016, Section 3; gp without labels only) and a moving average of the
  generator's weights.

Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
"""

# The one-sided penalty (lp, Petzka et al. 2018, arXiv 1709.08894) is run with WGAN-GP's Adam.
PAPER_LEARNING_RATES = {"clip": 5e-5, "gp": 1e-4, "lp": 1e-4, "sn": 1e-4, "gan": 2e-4}
PAPER_BATCH_SIZE = 64
N_CRITIC = 5
CLIP_VALUE = 0.01
GP_WEIGHT = 10.0
BETA_1 = 0.5
BETA_2 = 0.9
DCGAN_BETA_2 = 0.999

GP_IMAGE_LEARNING_RATE = 1e-3  # penalties on image sets without the generator's batch norm
GP_MNIST_LEARNING_RATE = 1.5e-3  # gp on MNIST without labels, with that batch norm (below)
GP_MNIST_BATCH_SIZE = 32
GP_MNIST_EMA = 0.999
GP_MNIST_N_CRITIC = 1  # MNIST only: measured there (benchmarks/fid_vs_time.py, 300 s runs)
GP_MNIST_CRITIC_LR_SCALE = 2.0  # the critic's rate / the generator's at the start, MNIST only
GP_MNIST_CRITIC_LR_FADE = 10000  # steps over which that extra rate fades to 1 (issue #14)
GENERATOR_NORMS = ("none", "batch")  # a run config's "generator_norm"
GP_MNIST_GENERATOR_NORM = "batch"  # batch norm in the generator: gp on MNIST without labels

SWEEP_LEARNING_RATE = 1e-3  # the shipped notebook 05 sweep's Adam rate (no batch norm)

NOISE_DIM = 128
MNIST_WIDTH = 16
MNIST_WIDTH_FAST = 8  # fast mode (WGAN_TUTORIAL_FAST=1)
TOY_NOISE_DIM = 2
TOY_BATCH_SIZE = 256
TOY_WIDTH = 512
