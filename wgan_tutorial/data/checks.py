"""Checks of what the data loaders are given: splits, MNIST-like images, labels, choices.

Each raises a `ValueError` that names the argument and what was expected, so a wrong call
fails at once with a one-line message instead of deep inside TensorFlow.
"""

import numpy as np

SPLITS = ("train", "test")


def check_split(split):
    """Raise a ValueError unless `split` is one of `SPLITS` ("train", "test")."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")


def check_images(images, name="images"):
    """Check that `images` is an MNIST-like uint8 array of shape (N, 28, 28) with N >= 1.

    Raises:
        ValueError: wrong type, dtype or shape, naming `name`.
    """
    if not isinstance(images, np.ndarray) or images.dtype != np.uint8:
        kind = getattr(images, "dtype", type(images).__name__)
        raise ValueError(f"{name} must be a uint8 array of shape (N, 28, 28), got {kind}")
    if images.ndim != 3 or images.shape[1:] != (28, 28) or images.shape[0] == 0:
        raise ValueError(f"{name} must have shape (N, 28, 28) with N >= 1, got {images.shape}")
    return images


def check_labels(labels, n, name):
    """Class labels, one per image: an integer array of shape (n,) in [0, 9], as uint8.

    Raises:
        ValueError: wrong shape, dtype or range, naming `name`.
    """
    if not isinstance(labels, np.ndarray) or labels.shape != (n,):
        shape = getattr(labels, "shape", None)
        raise ValueError(f"{name} must be an array of shape ({n},), got shape {shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{name} must hold integer class labels in [0, 9], got {labels.dtype}")
    if n and (labels.min() < 0 or labels.max() > 9):
        raise ValueError(
            f"{name} must hold integer class labels in [0, 9], found labels from "
            f"{labels.min()} to {labels.max()}"
        )
    return labels.astype(np.uint8)


def check_choice(value, name, allowed):
    """`value` as an int if it is one of `allowed` (bools refused), else a ValueError."""
    if isinstance(value, bool) or value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return int(value)
