"""Generator and critic builders (MNIST convolutional, toy MLP) and batched sampling.

- MNIST: a DCGAN-style generator (Dense -> 7x7 -> Conv2DTranspose stride 2 -> 14x14 ->
  28x28, tanh output in [-1, 1], the range of `data.to_float_images`) and critic (strided
  5x5 convolutions with LeakyReLU(0.2), no batch norm and no dropout, a linear Dense(1)),
  shaped like the official WGAN-GP `gan_mnist.py` (Gulrajani et al. 2017, arXiv
  1704.00028): critic channels width / 2 width / 4 width.
- Toys: the MLPs of the official `gan_toy.py` (2-512-512-512-{2,1}, ReLU) with the width
  and depth configurable (the widgets use small ones).
- `sample` / `to_uint8_images`: generate any number of outputs in batches (memory flat).

Why the default sizes (`benchmarks/throughput.py` on this 2-core CPU, TensorFlow 2.21,
little else running; one generator iteration = n_critic = 5 critic updates + 1 generator
update at batch 64; "images/s" counts the real images the critic sees, 5 x 64 per
iteration):

    width   parameters (G + D)   gp: images/s  iterations/s   clip: images/s  iterations/s
    16      0.28 M                    2065         6.5                4069         12.7
    32      0.72 M                     501         1.6                1312          4.1
    64      2.05 M                     249         0.8                 250          0.8

The widely copied Keras example runs 3.1 images/s here. Width 16 is the default: about
650 times that (130 times even counting only the 64 generated images per iteration), and
it draws recognisable digits after about 2,000 gp iterations, some 6 minutes on 2 cores.
Widths 32 and 64 (the official `gan_mnist.py` DIM) are there for longer runs that can
afford more capacity (e.g. pretrained models). Fast mode (`WGAN_TUTORIAL_FAST=1`) uses
width 8, so that tests and notebook checks take seconds.

Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
"""
import math

import numpy as np

from wgan_tutorial import defaults, resources
from wgan_tutorial.config import check_number, import_tensorflow, pick

tf = import_tensorflow()
import keras  # noqa: E402

DEFAULT_WIDTH_FULL = defaults.MNIST_WIDTH
DEFAULT_WIDTH_FAST = defaults.MNIST_WIDTH_FAST
IMAGE_SHAPE = (28, 28, 1)


def default_width():
    """The default MNIST width: 16 (8 in fast mode); see the module docstring for why."""
    return pick(DEFAULT_WIDTH_FULL, DEFAULT_WIDTH_FAST)


def mnist_generator(noise_dim=defaults.NOISE_DIM, width=None, name="generator"):
    """DCGAN-style MNIST generator: z -> Dense 7x7x(2 width) -> 14x14x width -> 28x28x1, tanh.

    Shaped like the generator of Gulrajani et al. 2017 (arXiv 1704.00028, official
    `gan_mnist.py`), but starting at 7x7 (no cropping) and ending in tanh.

    Args:
        noise_dim: int >= 1, length of the latent vector z ~ N(0, I).
        width: int >= 1, channels of the last hidden layer (default `default_width()`).
        name: the Keras model's name.

    Returns:
        keras.Model mapping float32 (B, noise_dim) to float32 (B, 28, 28, 1) in [-1, 1].

    Raises:
        ValueError: noise_dim or width not an integer >= 1.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    noise_dim = check_number(noise_dim, "noise_dim", 1, integer=True)
    width = check_number(default_width() if width is None else width, "width", 1, integer=True)
    _check_weight_memory(noise_dim * 7 * 7 * 2 * width,
                         f"noise_dim = {noise_dim} with width = {width}")
    z = keras.Input((noise_dim,), name="z")
    x = keras.layers.Dense(7 * 7 * 2 * width, activation="relu")(z)
    x = keras.layers.Reshape((7, 7, 2 * width))(x)
    x = keras.layers.Conv2DTranspose(width, 5, strides=2, padding="same",
                                     activation="relu")(x)
    x = keras.layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation="tanh")(x)
    return keras.Model(z, x, name=name)


def mnist_critic(width=None, name="critic"):
    """DCGAN-style MNIST critic: three 5x5 stride-2 convolutions, LeakyReLU(0.2), Dense(1).

    Channels width, 2 width, 4 width (28 -> 14 -> 7 -> 4), as in the official WGAN-GP
    `gan_mnist.py` (Gulrajani et al. 2017, arXiv 1704.00028). No batch norm and no dropout:
    the gradient penalty is taken per sample (Section 4, "No critic batch normalization").
    The output is linear (a score, not a probability).

    Args:
        width: int >= 1, channels of the first convolution (default `default_width()`).
        name: the Keras model's name.

    Returns:
        keras.Model mapping float32 (B, 28, 28, 1) to float32 (B, 1).

    Raises:
        ValueError: width not an integer >= 1.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    width = check_number(default_width() if width is None else width, "width", 1, integer=True)
    x_in = keras.Input(IMAGE_SHAPE, name="image")
    x = x_in
    for channels in (width, 2 * width, 4 * width):
        x = keras.layers.Conv2D(channels, 5, strides=2, padding="same")(x)
        x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    x = keras.layers.Flatten()(x)
    return keras.Model(x_in, keras.layers.Dense(1)(x), name=name)


def _check_weight_memory(count, what):
    """Refuse, before Keras allocates them, weights that cannot fit in memory (float32)."""
    resources.check_allocation(4 * count, f"{what} ({count:,} float32 weights)")


def _mlp(input_dim, output_dim, hidden, depth, name):
    input_dim = check_number(input_dim, "input_dim", 1, integer=True)
    hidden = check_number(hidden, "hidden", 1, integer=True)
    depth = check_number(depth, "depth", 1, integer=True)
    _check_weight_memory((input_dim + (depth - 1) * hidden) * hidden,
                         f"an MLP of {input_dim} inputs and {depth} x {hidden} units")
    x_in = keras.Input((input_dim,))
    x = x_in
    for _ in range(depth):
        x = keras.layers.Dense(hidden, activation="relu")(x)
    return keras.Model(x_in, keras.layers.Dense(output_dim)(x), name=name)


def toy_generator(noise_dim=2, hidden=512, depth=3, output_dim=2, name="generator"):
    """MLP generator for the 2-D toy sets: noise_dim -> hidden x depth (ReLU) -> output_dim.

    The architecture of the official WGAN-GP `gan_toy.py` (Gulrajani et al. 2017, arXiv
    1704.00028, Section 5.1) is the default: 2-512-512-512-2.

    Args:
        noise_dim: int >= 1. hidden: int >= 1 units per layer. depth: int >= 1 hidden
            layers. output_dim: int >= 1 (2 for the toy sets).

    Returns:
        keras.Model mapping float32 (B, noise_dim) to float32 (B, output_dim), unbounded.

    Raises:
        ValueError: a size not an integer >= 1.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    check_number(output_dim, "output_dim", 1, integer=True)
    return _mlp(noise_dim, output_dim, hidden, depth, name)


def toy_critic(input_dim=2, hidden=512, depth=3, name="critic"):
    """MLP critic for the 2-D toy sets: input_dim -> hidden x depth (ReLU) -> 1 (linear).

    As in the official WGAN-GP `gan_toy.py` (Gulrajani et al. 2017, arXiv 1704.00028):
    2-512-512-512-1 by default.

    Args:
        input_dim: int >= 1. hidden: int >= 1 units per layer. depth: int >= 1 layers.

    Returns:
        keras.Model mapping float32 (B, input_dim) to float32 (B, 1).

    Raises:
        ValueError: a size not an integer >= 1.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    return _mlp(input_dim, 1, hidden, depth, name)


def sample(generator, n, seed=0, batch_size=500):
    """Generator outputs for n latent vectors z ~ N(0, I), computed batch by batch.

    The latent vectors come from `numpy.random.default_rng(seed)` in order, so the result
    does not depend on `batch_size`, and memory stays flat for any n.

    Args:
        generator: keras.Model with input (B, noise_dim).
        n: int >= 1. seed: int >= 0. batch_size: int >= 1.

    Returns:
        float32 numpy array (n, *generator output shape) (images in [-1, 1] for MNIST).

    Raises:
        ValueError: n, seed or batch_size out of range; n samples too large for the
            available memory.
    """
    n = check_number(n, "n", 1, integer=True)
    seed = check_number(seed, "seed", 0, integer=True)
    batch_size = check_number(batch_size, "batch_size", 1, integer=True)
    noise_dim = generator.input_shape[-1]
    shape = tuple(generator.output_shape[1:])
    resources.check_allocation(4 * n * math.prod(shape), f"n = {n} samples of shape {shape}")
    rng = np.random.default_rng(seed)
    out = None
    for start in range(0, n, batch_size):
        size = min(batch_size, n - start)
        z = rng.standard_normal((size, noise_dim)).astype(np.float32)
        batch = keras.ops.convert_to_numpy(generator(z, training=False))
        if out is None:
            out = np.empty((n,) + batch.shape[1:], dtype=np.float32)
        out[start:start + size] = batch
    return out


def to_uint8_images(images):
    """Map generator images in [-1, 1] (tanh) to uint8 [0, 255]: rint((x + 1) * 127.5).

    Args:
        images: float array (N, 28, 28, 1) or (N, 28, 28); values outside [-1, 1] are
            clipped.

    Returns:
        uint8 array (N, 28, 28).

    Raises:
        ValueError: wrong shape.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(f"images must have shape (N, 28, 28[, 1]), got {images.shape}")
    return np.rint((np.clip(images, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)
