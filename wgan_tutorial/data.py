"""Data of the course: MNIST from the best source available, and the toy distributions.

- MNIST: `load_mnist` (uint8 arrays) and `mnist_dataset` (a `tf.data` pipeline in [-1, 1]).
  Sources, in order: a path the caller names, `WGAN_TUTORIAL_MNIST`, keras' cache, keras'
  download, and the subset shipped in the package (8,000 training and 2,000 test digits,
  balanced over the classes). Fast mode always uses the shipped subset.
- Toy samplers: two 1-D Gaussians (Arjovsky et al. 2017, arXiv 1701.07875, Figure 2) and
  the 2-D sets of Gulrajani et al. 2017 (arXiv 1704.00028, Section 5.1; scaled as in
  their `gan_toy.py`): 8 Gaussians, 25 Gaussians, Swiss roll.

MNIST: Yann LeCun, Corinna Cortes and Christopher J.C. Burges, licence CC BY-SA 3.0.

Taught in notebooks/00_start_here.ipynb.
"""
import functools
import gzip
import logging
import os
import pickle
import socket
from pathlib import Path

import numpy as np

from wgan_tutorial.config import assets_dir, check_number, fast_mode, import_tensorflow

MNIST_ENV = "WGAN_TUTORIAL_MNIST"
SPLITS = ("train", "test")
KERAS_MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
KERAS_MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
DOWNLOAD_TIMEOUT_SECONDS = 10

_log = logging.getLogger(__name__)


def subset_path():
    """Path of the MNIST subset shipped in the package."""
    return assets_dir() / "mnist_subset.npz"


def keras_cache_path():
    """Where keras keeps `mnist.npz` once downloaded (`$KERAS_HOME/datasets`)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets" / "mnist.npz"


def _check_split(split):
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


def _check_labels(labels, n, name):
    if not isinstance(labels, np.ndarray) or labels.shape != (n,):
        shape = getattr(labels, "shape", None)
        raise ValueError(f"{name} must be an array of shape ({n},), got shape {shape}")
    if not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0 or labels.max() > 9:
        raise ValueError(f"{name} must hold integer class labels in [0, 9]")
    return labels.astype(np.uint8)


def _read_npz(path):
    keys = ("x_train", "y_train", "x_test", "y_test")
    try:
        with np.load(path, allow_pickle=False) as archive:
            found = archive.files
            arrays = {k: archive[k] for k in keys if k in found}
    except (OSError, EOFError, ValueError, AttributeError) as error:
        raise ValueError(
            f"MNIST file {path} is not a readable .npz archive of plain arrays "
            f"(pickled objects are refused): {error}"
        ) from None
    missing = [k for k in keys if k not in arrays]
    if missing:
        raise ValueError(f"MNIST file {path} lacks the arrays {missing} (keras layout: {keys})")
    return arrays


def _read_pkl_gz(path):
    """The classic `mnist.pkl.gz` (train 50,000 / valid 10,000 / test 10,000, floats in
    [0, 1], rows of 784). Unpickling runs code from the file: only for a path the user
    names, never for a file found on their behalf."""
    try:
        with gzip.open(path, "rb") as handle:
            train, valid, test = pickle.load(handle, encoding="latin1")
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError) as error:
        raise ValueError(f"MNIST file {path} is not a readable mnist.pkl.gz: {error}") from None

    def images(x):
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != 784:
            raise ValueError(f"MNIST file {path}: images must be rows of 784, got {x.shape}")
        return np.rint(np.clip(x, 0, 1) * 255).astype(np.uint8).reshape(-1, 28, 28)

    return {
        "x_train": np.concatenate([images(train[0]), images(valid[0])]),
        "y_train": np.concatenate([np.asarray(train[1]), np.asarray(valid[1])]),
        "x_test": images(test[0]),
        "y_test": np.asarray(test[1]),
    }


@functools.lru_cache(maxsize=4)
def _read_file(path):
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"MNIST path {str(path)!r} does not exist or is not a file")
    arrays = _read_pkl_gz(path) if path.name.endswith(".pkl.gz") else _read_npz(path)
    for split in SPLITS:
        x = arrays[f"x_{split}"]
        if not np.issubdtype(x.dtype, np.integer) or x.ndim != 3 or x.shape[1:] != (28, 28):
            raise ValueError(
                f"MNIST file {path}: x_{split} must be integer images of shape (N, 28, 28), "
                f"got {x.dtype} {x.shape}"
            )
        if x.size and (x.min() < 0 or x.max() > 255):
            raise ValueError(f"MNIST file {path}: x_{split} values must lie in [0, 255]")
        arrays[f"x_{split}"] = check_images(x.astype(np.uint8), f"x_{split} in {path}")
        arrays[f"y_{split}"] = _check_labels(arrays[f"y_{split}"], len(x), f"y_{split} in {path}")
    return arrays


@functools.lru_cache(maxsize=1)
def _keras_download():
    """Keras' own download into its cache, or None when it fails (offline, blocked).

    Tried once per process, with a socket timeout of a few seconds: an offline session
    falls back to the shipped subset at once on every later call.
    """
    import_tensorflow()
    from keras.utils import get_file

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_SECONDS)
    try:
        return Path(get_file("mnist.npz", origin=KERAS_MNIST_URL, file_hash=KERAS_MNIST_SHA256))
    except Exception as error:  # any failure of the download means: use the subset
        reason = (str(error).splitlines() or [""])[0][:160] or type(error).__name__
        _log.info("keras' download failed (%s); using the shipped subset", reason)
        return None
    finally:
        socket.setdefaulttimeout(previous)


def mnist_source(path=None):
    """Decide where MNIST comes from, without reading it.

    Args:
        path: a file the caller names (keras `.npz` layout or `mnist.pkl.gz`), or None.

    Returns:
        (description, path or None): None means the shipped subset.
    """
    if path is not None:
        return "the file given", Path(path)
    if fast_mode():
        return "the shipped subset (fast mode)", None
    if os.environ.get(MNIST_ENV):
        return f"${MNIST_ENV}", Path(os.environ[MNIST_ENV])
    if keras_cache_path().is_file():
        return "keras' cache", keras_cache_path()
    downloaded = _keras_download()
    if downloaded is not None:
        return "keras' download", downloaded
    return "the shipped subset (no full MNIST found)", None


def load_mnist(split="train", path=None, verbose=True):
    """MNIST digits and labels from the best source available (see the module docstring).

    Args:
        split: "train" or "test".
        path: optional file (keras `.npz` layout, or the classic `mnist.pkl.gz`, which is
            unpickled and so must be a file you trust). `.npz` files are read with
            `allow_pickle=False`.
        verbose: log one line naming the source.

    Returns:
        (images, labels): uint8 arrays of shapes (N, 28, 28) in [0, 255] and (N,) in [0, 9].

    Raises:
        ValueError: unknown split; a missing or unreadable file; missing arrays; wrong
            shapes or ranges.
    """
    _check_split(split)
    description, source = mnist_source(path)
    arrays = _read_file(source if source is not None else subset_path())
    images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
    if verbose:
        where = f" ({source})" if source is not None else ""
        _log.info("MNIST %s: %d digits from %s%s", split, len(images), description, where)
    return images, labels


def to_float_images(images):
    """uint8 images (N, 28, 28) -> float32 (N, 28, 28, 1) in [-1, 1], the models' range."""
    return (check_images(images).astype(np.float32)[..., None] / 127.5) - 1.0


def mnist_dataset(batch_size, split="train", path=None, limit=None, seed=0, repeat=True):
    """A shuffled, batched `tf.data.Dataset` of MNIST images for GAN training.

    Args:
        batch_size: int >= 1.
        split: "train" or "test".
        path: optional MNIST file (see `load_mnist`).
        limit: use only the first `limit` digits (int >= 1), or all.
        seed: shuffling seed.
        repeat: repeat forever (training draws as many batches as it needs).

    Returns:
        Dataset of float32 tensors of shape (batch_size, 28, 28, 1) in [-1, 1]
        (incomplete last batches are dropped).

    Raises:
        ValueError: batch_size or limit out of range, or from `load_mnist`.
    """
    tf = import_tensorflow()
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1:
        raise ValueError(f"batch_size must be an integer >= 1, got {batch_size!r}")
    images, _ = load_mnist(split, path)
    if limit is not None:
        if limit < 1:
            raise ValueError(f"limit must be >= 1 or None, got {limit!r}")
        images = images[:limit]
    if batch_size > len(images):
        raise ValueError(f"batch_size must be <= the number of images ({len(images)}), "
                         f"got {batch_size}")
    dataset = tf.data.Dataset.from_tensor_slices(images)
    dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        dataset = dataset.repeat()
    dataset = dataset.batch(batch_size, drop_remainder=True)
    dataset = dataset.map(
        lambda x: tf.cast(x, tf.float32)[..., None] / 127.5 - 1.0,
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    return dataset.prefetch(tf.data.AUTOTUNE)


# --- toy distributions ---------------------------------------------------------------------

TOY_DATASETS = ("8gaussians", "25gaussians", "swissroll")


def gaussian_1d(n, mean=0.0, std=1.0, seed=None):
    """n draws from N(mean, std^2), shape (n, 1) float32 (a critic's input)."""
    check_number(n, "n", 1, integer=True)
    if not std > 0:
        raise ValueError(f"std must be > 0, got {std!r}")
    rng = np.random.default_rng(seed)
    return rng.normal(mean, std, size=(n, 1)).astype(np.float32)


def eight_gaussians(n, seed=None):
    """8 Gaussians on a circle of radius 2 (std 0.02), divided by 1.414; shape (n, 2)."""
    check_number(n, "n", 1, integer=True)
    rng = np.random.default_rng(seed)
    angles = np.arange(8) * np.pi / 4
    centres = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    points = centres[rng.integers(0, 8, size=n)] + 0.02 * rng.standard_normal((n, 2))
    return (points / 1.414).astype(np.float32)


def twenty_five_gaussians(n, seed=None):
    """25 Gaussians on a 5x5 grid of spacing 2 (std 0.05), divided by 2.828; shape (n, 2)."""
    check_number(n, "n", 1, integer=True)
    rng = np.random.default_rng(seed)
    grid = np.arange(-2, 3) * 2.0
    centres = np.stack(np.meshgrid(grid, grid), axis=-1).reshape(-1, 2)
    points = centres[rng.integers(0, 25, size=n)] + 0.05 * rng.standard_normal((n, 2))
    return (points / 2.828).astype(np.float32)


def swiss_roll(n, seed=None):
    """A 2-D Swiss roll: noise 0.25 on the 3-D roll, its (x, z) plane, divided by 7.5."""
    check_number(n, "n", 1, integer=True)
    rng = np.random.default_rng(seed)
    t = 1.5 * np.pi * (1 + 2 * rng.random(n))
    roll = np.stack([t * np.cos(t), 21 * rng.random(n), t * np.sin(t)], axis=1)
    roll += 0.25 * rng.standard_normal(roll.shape)
    return (roll[:, [0, 2]] / 7.5).astype(np.float32)


def toy_samples(name, n, seed=None):
    """n points of the 2-D toy set `name` (one of TOY_DATASETS), shape (n, 2) float32."""
    samplers = {"8gaussians": eight_gaussians, "25gaussians": twenty_five_gaussians,
                "swissroll": swiss_roll}
    if name not in samplers:
        raise ValueError(f"toy dataset must be one of {TOY_DATASETS}, got {name!r}")
    return samplers[name](n, seed=seed)
