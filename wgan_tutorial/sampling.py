"""Drawing samples from a trained generator: batched, seeded, memory flat.

`sample` generates any number of outputs for latent vectors z ~ N(0, I) batch by batch (with
labels for a conditional generator); `to_uint8_images` maps tanh outputs in [-1, 1] to
uint8 images.

Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/07_do_generated_digits_help.ipynb.
"""

import math

import numpy as np

from wgan_tutorial import resources
from wgan_tutorial.config import check_number, import_tensorflow

import_tensorflow()
import keras  # noqa: E402


def sample(generator, n, seed=0, batch_size=500, labels=None):
    """Generator outputs for n latent vectors z ~ N(0, I), computed batch by batch.

    The latent vectors come from `numpy.random.default_rng(seed)` in order, so the result
    does not depend on `batch_size`.

    Args:
        generator: keras.Model with input (B, noise_dim), or a conditional one ([z, label]).
        n: int >= 1. seed: int >= 0. batch_size: int >= 1.
        labels: conditional generators only: one class for all (int), one per sample (int
            array (n,)), or None for labels drawn uniformly (after the latent vectors, from
            the same generator of random numbers).

    Returns:
        float32 numpy array (n, *generator output shape) (images in [-1, 1] for MNIST).

    Raises:
        ValueError: n, seed or batch_size out of range; n samples too large for the
            available memory; labels given to an unconditional generator, or outside
            0..num_classes-1, or not one per sample.
    """
    n = check_number(n, "n", 1, integer=True)
    seed = check_number(seed, "seed", 0, integer=True)
    batch_size = check_number(batch_size, "batch_size", 1, integer=True)
    from wgan_tutorial.models import num_classes  # models re-exports this module

    classes = num_classes(generator)
    noise_dim = generator.inputs[0].shape[-1]
    shape = tuple(generator.outputs[0].shape[1:])
    # float32 outputs, float32 latent vectors and numpy's float64 draw of them
    resources.check_allocation(
        4 * n * math.prod(shape) + 12 * n * noise_dim, f"n = {n} samples of shape {shape}"
    )
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, noise_dim)).astype(np.float32)  # labels come after, if any
    if classes is not None:
        labels = check_labels(labels, n, classes, rng)
    elif labels is not None:
        raise ValueError("labels are for a conditional generator; this one takes no label")
    out = None
    for start in range(0, n, batch_size):
        end = min(start + batch_size, n)
        inputs = z[start:end] if classes is None else [z[start:end], labels[start:end]]
        batch = keras.ops.convert_to_numpy(generator(inputs, training=False))
        if out is None:
            out = np.empty((n,) + batch.shape[1:], dtype=np.float32)
        out[start:end] = batch
    return out


def check_labels(labels, n, classes, rng=None):
    """Labels for n samples of a conditional model, as int32 (n,).

    Args:
        labels: an int (every sample), an int array (n,), or None (uniform draws from `rng`).
        n: int >= 1. classes: the number of classes. rng: numpy Generator (labels=None).

    Raises:
        ValueError: a label outside 0..classes-1, a non-integer, or not one per sample.
    """
    if labels is None:
        return rng.integers(0, classes, size=n).astype(np.int32)
    array = np.asarray(labels)
    if array.ndim == 0:
        array = np.full(n, array)
    if array.shape != (n,) or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(
            f"labels must be one integer in 0..{classes - 1} or {n} of them, "
            f"got {np.asarray(labels).dtype} of shape {np.shape(labels)}"
        )
    if array.min() < 0 or array.max() >= classes:
        raise ValueError(
            f"labels must be integers in 0..{classes - 1}, got values from "
            f"{array.min()} to {array.max()}"
        )
    return array.astype(np.int32)


def to_uint8_images(images):
    """Map generator images in [-1, 1] (tanh) to uint8 [0, 255]: rint((x + 1) * 127.5).

    Args:
        images: float array (N, H, W, 1), (N, H, W) or (N, H, W, 3); values outside
            [-1, 1] are clipped.

    Returns:
        uint8 array (N, H, W) for greyscale, (N, H, W, 3) for colour.

    Raises:
        ValueError: wrong shape.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if (
        not (images.ndim == 3 or (images.ndim == 4 and images.shape[-1] == 3))
        or images.shape[0] == 0
    ):
        raise ValueError(
            f"images must have shape (N, H, W[, 1]) or (N, H, W, 3), got {images.shape}"
        )
    return np.rint((np.clip(images, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)
