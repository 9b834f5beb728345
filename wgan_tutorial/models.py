"""Generator and critic builders (convolutional for images, toy MLP) and batched sampling.

- Images of 28, 32 or 64 pixels with 1 or 3 channels: `image_generator` and `image_critic`
  (DCGAN-style, Radford et al. 2016, arXiv 1511.06434, without batch norm in the critic).
  28 px starts at 7x7 and doubles twice (the MNIST models below); 32 and 64 px start at
  4x4 and double three or four times, halving the channels at each doubling (critic: the
  mirror image, doubling the channels at each stride-2 convolution down to 4x4).
- MNIST: a DCGAN-style generator (Dense -> 7x7 -> Conv2DTranspose stride 2 -> 14x14 ->
  28x28, tanh output in [-1, 1], the range of `data.to_float_images`) and critic (strided
  5x5 convolutions with LeakyReLU(0.2), no batch norm and no dropout, a linear Dense(1)),
  shaped like the official WGAN-GP `gan_mnist.py` (Gulrajani et al. 2017, arXiv
  1704.00028): critic channels width / 2 width / 4 width.
- Toys: the MLPs of the official `gan_toy.py` (2-512-512-512-{2,1}, ReLU) with the width
  and depth configurable (the widgets use small ones).
- Critic normalisation (`CRITIC_NORMALIZATIONS`, the `normalization` argument of the critic
  builders, chosen by a loss's `losses.Loss.critic_normalization`): None (the models
  above), "spectral" (every Conv2D and Dense wrapped in `keras.layers.SpectralNormalization`,
  Miyato et al. 2018, arXiv 1802.05957) or "layer" (a layer normalisation after every
  hidden layer but the first, Gulrajani et al. 2017, Section 4).
- `sample` / `to_uint8_images`: generate any number of outputs in batches (memory flat).

Width 16 is the default for every shape (8 in fast mode): it runs hundreds of times the
images per second of the widely copied Keras example on a 2-core CPU. Measured:
benchmarks/RESULTS.md, sections "Model width and throughput" and "Colour throughput".

Taught in notebooks/02_wgan_weight_clipping.ipynb, notebooks/03_wgan_gp_mnist.ipynb and
notebooks/06_your_own_images.ipynb.
"""

import numpy as np

from wgan_tutorial import defaults, resources
from wgan_tutorial.config import check_number, import_tensorflow, pick
from wgan_tutorial.data.registry import CHANNELS, IMAGE_SIZES

tf = import_tensorflow()
import keras  # noqa: E402

DEFAULT_WIDTH_FULL = defaults.MNIST_WIDTH
DEFAULT_WIDTH_FAST = defaults.MNIST_WIDTH_FAST
IMAGE_SHAPE = (28, 28, 1)
CRITIC_NORMALIZATIONS = (None, "spectral", "layer")
GENERATOR_NORMALIZATIONS = (None, "batch")


def check_image_shape(image_shape):
    """(H, W, C) as a tuple of ints, H = W in (28, 32, 64) and C in (1, 3), or a ValueError."""
    try:
        shape = tuple(int(v) for v in image_shape)
    except (TypeError, ValueError):
        shape = None
    if (
        shape is None
        or len(shape) != 3
        or shape[0] != shape[1]
        or shape[0] not in IMAGE_SIZES
        or shape[2] not in CHANNELS
    ):
        raise ValueError(
            f"image_shape must be (S, S, C) with S in {IMAGE_SIZES} and C in "
            f"{CHANNELS}, got {image_shape!r}"
        )
    return shape


def _doublings(size):
    """(start side, number of stride-2 layers): 28 = 7 x 2^2, 32 = 4 x 2^3, 64 = 4 x 2^4."""
    return (7, 2) if size == 28 else (4, int(np.log2(size // 4)))


def image_generator(
    image_shape=IMAGE_SHAPE,
    noise_dim=defaults.NOISE_DIM,
    width=None,
    name="generator",
    num_classes=None,
    normalization=None,
):
    """DCGAN-style generator: z -> Dense s x s x (2^(k-1) width) -> k stride-2 5x5
    transposed convolutions (ReLU, channels halving down to width) -> H x W x C, tanh.

    Radford et al. 2016 (arXiv 1511.06434), Figure 1; for 28x28x1 it is exactly
    `mnist_generator` (start 7x7, k = 2). 32 px: 4 -> 8 -> 16 -> 32 (k = 3); 64 px:
    4 -> ... -> 64 (k = 4). normalization="batch" puts batch norm between every hidden
    layer's linear part (then without bias) and its ReLU, but not on the output layer
    (Radford et al. 2016, Section 3; the DCGAN generators that Arjovsky et al. 2017, arXiv
    1701.07875, and Gulrajani et al. 2017, arXiv 1704.00028, train have it too). Batch norm
    in the *generator* leaves the penalty per sample: the penalty differentiates the critic.

    Args:
        image_shape: (S, S, C), S in (28, 32, 64), C in (1, 3).
        noise_dim: int >= 1. width: int >= 1 (default `default_width()`). name: model name.
        num_classes: None, or int >= 2 for a class-conditional generator (inputs [z, label],
            see `_generator_inputs`).
        normalization: one of `GENERATOR_NORMALIZATIONS`: None (no normalisation) or
            "batch" (`keras.layers.BatchNormalization`, Keras' defaults).

    Returns:
        keras.Model float32 (B, noise_dim) -> float32 (B, S, S, C) in [-1, 1]; conditional:
        inputs [float32 (B, noise_dim), int32 (B,)].

    Raises:
        ValueError: image_shape, noise_dim or width out of range, or an unknown normalization.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    size, _, depth = check_image_shape(image_shape)
    noise_dim = check_number(noise_dim, "noise_dim", 1, integer=True)
    width = check_number(default_width() if width is None else width, "width", 1, integer=True)
    if normalization not in GENERATOR_NORMALIZATIONS:
        raise ValueError(
            f"normalization must be one of {GENERATOR_NORMALIZATIONS}, got {normalization!r}"
        )
    start, layers = _doublings(size)
    channels = width * 2 ** (layers - 1)
    _check_weight_memory(
        noise_dim * start * start * channels, f"noise_dim = {noise_dim} with width = {width}"
    )

    def hidden(layer, x, **options):  # linear part, [batch norm], ReLU
        if normalization is None:
            return layer(activation="relu", **options)(x)
        # batch norm's offset takes the place of the bias
        x = keras.layers.BatchNormalization()(layer(use_bias=False, **options)(x))
        return keras.layers.ReLU()(x)

    inputs, h = _generator_inputs(noise_dim, num_classes)
    x = hidden(keras.layers.Dense, h, units=start * start * channels)
    x = keras.layers.Reshape((start, start, channels))(x)
    for _ in range(layers - 1):
        channels //= 2
        x = hidden(
            keras.layers.Conv2DTranspose,
            x,
            filters=channels,
            kernel_size=5,
            strides=2,
            padding="same",
        )
    x = keras.layers.Conv2DTranspose(depth, 5, strides=2, padding="same", activation="tanh")(x)
    return keras.Model(inputs, x, name=name)


def image_critic(
    image_shape=IMAGE_SHAPE, width=None, name="critic", normalization=None, num_classes=None
):
    """DCGAN-style critic: k stride-2 5x5 convolutions (width, 2 width, ...), LeakyReLU(0.2),
    a linear Dense(1); no batch norm (the penalty is per sample, Gulrajani et al. 2017,
    arXiv 1704.00028, Section 4).

    k = 3 for 28 px (28 -> 14 -> 7 -> 4, exactly `mnist_critic`) and 32 px (-> 4), 4 for 64 px.

    Args:
        image_shape: (S, S, C), S in (28, 32, 64), C in (1, 3).
        width: int >= 1 (default `default_width()`). name: model name.
        normalization: one of `CRITIC_NORMALIZATIONS` (see `normalized_critic_layers`);
            None builds the critic above, unchanged.
        num_classes: None, or int >= 2 for a projection critic (inputs [image, label], see
            `_critic_head`).

    Returns:
        keras.Model float32 (B, S, S, C) -> float32 (B, 1); conditional: inputs
        [float32 (B, S, S, C), int32 (B,)].

    Raises:
        ValueError: image_shape or width out of range.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    shape = check_image_shape(image_shape)
    width = check_number(default_width() if width is None else width, "width", 1, integer=True)
    wrap, norm = normalized_critic_layers(normalization)
    layers = 3 if shape[0] in (28, 32) else 4
    x_in = keras.Input(shape, name="image")
    x = x_in
    for i in range(layers):
        x = norm(wrap(keras.layers.Conv2D(width * 2**i, 5, strides=2, padding="same"))(x), i)
        x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    x = keras.layers.Flatten()(x)
    return _critic_head(x_in, x, num_classes, name, wrap)


def normalized_critic_layers(normalization):
    """What a critic builder applies to its layers: (wrap(layer), norm(x, i)).

    - None: both are the identity (the critics of the papers, unchanged).
    - "spectral": wrap puts each weight layer (Conv2D, Dense, the output too) in
      `keras.layers.SpectralNormalization` (Miyato et al. 2018, arXiv 1802.05957,
      Algorithm 1: one power iteration per call, u kept between calls as the non-trainable
      weight `vector_u`). A convolution's kernel is normalised as the matrix
      (k k C_in, C_out), as Miyato et al. do; that bounds the matrix's spectral norm, not
      the convolution's own Lipschitz constant. Keras' wrapper, in training mode,
      overwrites the kernel with W / sigma(W) before the layer runs (`SpectralNormalization
      .call`), so the optimiser steps from the normalised kernel: a projection after each
      step rather than the paper's reparameterisation, which also differentiates sigma(W)
      (Miyato et al., Section 2.2).
    - "layer": norm adds a layer normalisation after the linear part of hidden layer
      i >= 1, `keras.layers.GroupNormalization(groups=1)`: each sample normalised over all
      its features (H, W, C, or the units), one scale and offset per channel, as the
      `Layernorm` of the official WGAN-GP code (Keras' `LayerNormalization` over several
      axes would learn one per feature). It is the critic normalisation Gulrajani et al.
      2017 (arXiv 1704.00028, Section 4, "No critic batch normalization") recommend
      instead of batch norm, which would couple the samples of a batch and invalidate the
      per-sample penalty; the input layer stays unnormalised, as in DCGAN (Radford et al.
      2016, arXiv 1511.06434, Section 3) and the official `gan_64x64.py`.

    Args:
        normalization: one of `CRITIC_NORMALIZATIONS`.

    Returns:
        (wrap, norm): wrap(layer) -> layer; norm(tensor, i) -> tensor.

    Raises:
        ValueError: an unknown normalization.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    if normalization not in CRITIC_NORMALIZATIONS:
        raise ValueError(
            f"normalization must be one of {CRITIC_NORMALIZATIONS}, got {normalization!r}"
        )
    wrap = keras.layers.SpectralNormalization if normalization == "spectral" else _identity

    def norm(x, i):
        if normalization != "layer" or i == 0:
            return x
        return keras.layers.GroupNormalization(groups=1)(x)

    return wrap, norm


def _identity(layer):
    return layer


def default_width():
    """The default MNIST width: 16 (8 in fast mode); see the module docstring for why."""
    return pick(DEFAULT_WIDTH_FULL, DEFAULT_WIDTH_FAST)


def _check_classes(num_classes):
    return (
        None if num_classes is None else check_number(num_classes, "num_classes", 2, integer=True)
    )


def _generator_inputs(noise_dim, num_classes):
    """The generator's inputs and its first hidden input: z, or [z, label] -> z ++ e(label).

    A conditional generator (Mirza & Osindero 2014, arXiv 1411.1784, Section 3.2) sees z
    concatenated with a learned embedding of the label (num_classes numbers per class).
    """
    z = keras.Input((noise_dim,), name="z")
    num_classes = _check_classes(num_classes)
    if num_classes is None:
        return z, z
    label = keras.Input((), dtype="int32", name="label")
    embedded = keras.layers.Embedding(num_classes, num_classes, name="label_embedding")(label)
    return [z, label], keras.layers.Concatenate()([z, embedded])


def _critic_head(x_in, features, num_classes, name, wrap=None):
    """The critic's linear output f(x) = w . phi(x) + b, or the projection critic's
    f(x, y) = w . phi(x) + b + v_y . phi(x) (Miyato & Koyama 2018, arXiv 1802.05637,
    Equation 3: the label's embedding v_y projected on the features phi(x)).

    The label enters only through v_y, so for a fixed y the critic is a function of x alone
    and the gradient penalty is taken at interpolates with the label held fixed. `wrap`
    (from `normalized_critic_layers`) wraps the Dense(1); the embedding is not normalised.
    """
    num_classes = _check_classes(num_classes)
    score = (wrap or _identity)(keras.layers.Dense(1))(features)
    if num_classes is None:
        return keras.Model(x_in, score, name=name)
    label = keras.Input((), dtype="int32", name="label")
    projection = keras.layers.Embedding(num_classes, features.shape[-1], name="label_projection")(
        label
    )
    score = keras.layers.Add()([score, keras.layers.Dot(axes=1)([projection, features])])
    return keras.Model([x_in, label], score, name=name)


def num_classes(model):
    """The classes a conditional generator or critic takes (its label layer's size), or None."""
    for layer_name in ("label_embedding", "label_projection"):
        try:
            return int(model.get_layer(layer_name).input_dim)
        except ValueError:
            continue
    return None


def mnist_generator(noise_dim=defaults.NOISE_DIM, width=None, name="generator", normalization=None):
    """DCGAN-style MNIST generator: z -> Dense 7x7x(2 width) -> 14x14x width -> 28x28x1, tanh.

    Shaped like the generator of Gulrajani et al. 2017 (arXiv 1704.00028, official
    `gan_mnist.py`), but starting at 7x7 (no cropping) and ending in tanh.

    Args:
        noise_dim: int >= 1, length of the latent vector z ~ N(0, I).
        width: int >= 1, channels of the last hidden layer (default `default_width()`).
        name: the Keras model's name.
        normalization: None or "batch": batch norm in the hidden layers (`image_generator`).

    Returns:
        keras.Model mapping float32 (B, noise_dim) to float32 (B, 28, 28, 1) in [-1, 1].

    Raises:
        ValueError: noise_dim or width not an integer >= 1, or an unknown normalization.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    return image_generator(IMAGE_SHAPE, noise_dim, width, name, normalization=normalization)


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
    return image_critic(IMAGE_SHAPE, width, name)


def _check_weight_memory(count, what):
    """Refuse, before Keras allocates them, weights that cannot fit in memory (float32)."""
    resources.check_allocation(4 * count, f"{what} ({count:,} float32 weights)")


def _mlp(
    input_dim, output_dim, hidden, depth, name, normalization=None, num_classes=None, critic=False
):
    input_dim = check_number(input_dim, "input_dim", 1, integer=True)
    hidden = check_number(hidden, "hidden", 1, integer=True)
    depth = check_number(depth, "depth", 1, integer=True)
    wrap, norm = normalized_critic_layers(normalization)
    _check_weight_memory(
        (input_dim + (depth - 1) * hidden) * hidden,
        f"an MLP of {input_dim} inputs and {depth} x {hidden} units",
    )
    if critic:
        x_in = x = keras.Input((input_dim,))
    else:
        x_in, x = _generator_inputs(input_dim, num_classes)
    for i in range(depth):
        if normalization == "layer" and i > 0:  # ReLU after the norm: Dense, norm, ReLU
            x = keras.layers.ReLU()(norm(keras.layers.Dense(hidden)(x), i))
        else:
            x = wrap(keras.layers.Dense(hidden, activation="relu"))(x)
    if critic:
        return _critic_head(x_in, x, num_classes, name, wrap)
    return keras.Model(x_in, wrap(keras.layers.Dense(output_dim))(x), name=name)


def toy_generator(
    noise_dim=2, hidden=512, depth=3, output_dim=2, name="generator", num_classes=None
):
    """MLP generator for the 2-D toy sets: noise_dim -> hidden x depth (ReLU) -> output_dim.

    The architecture of the official WGAN-GP `gan_toy.py` (Gulrajani et al. 2017, arXiv
    1704.00028, Section 3, Figure 1) is the default: 2-512-512-512-2.

    Args:
        noise_dim: int >= 1. hidden: int >= 1 units per layer. depth: int >= 1 hidden
            layers. output_dim: int >= 1 (2 for the toy sets).
        num_classes: None, or int >= 2: conditional (inputs [z, label], as `image_generator`).

    Returns:
        keras.Model mapping float32 (B, noise_dim) to float32 (B, output_dim), unbounded.

    Raises:
        ValueError: a size not an integer >= 1.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    check_number(output_dim, "output_dim", 1, integer=True)
    return _mlp(noise_dim, output_dim, hidden, depth, name, num_classes=num_classes)


def toy_critic(
    input_dim=2, hidden=512, depth=3, name="critic", normalization=None, num_classes=None
):
    """MLP critic for the 2-D toy sets: input_dim -> hidden x depth (ReLU) -> 1 (linear).

    As in the official WGAN-GP `gan_toy.py` (Gulrajani et al. 2017, arXiv 1704.00028):
    2-512-512-512-1 by default.

    Args:
        input_dim: int >= 1. hidden: int >= 1 units per layer. depth: int >= 1 layers.
        normalization: one of `CRITIC_NORMALIZATIONS` (see `normalized_critic_layers`);
            None builds the MLP above, unchanged.
        num_classes: None, or int >= 2: a projection critic on the last hidden layer
            (inputs [x, label], as `image_critic`).

    Returns:
        keras.Model mapping float32 (B, input_dim) to float32 (B, 1).

    Raises:
        ValueError: a size not an integer >= 1.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    return _mlp(input_dim, 1, hidden, depth, name, normalization, num_classes, critic=True)


# Drawing from a generator lives in `sampling`; these names stay importable from here.
from wgan_tutorial.sampling import check_labels, sample, to_uint8_images  # noqa: E402, F401
