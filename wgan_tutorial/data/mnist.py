"""MNIST: where it comes from, reading its files, and its digits as the models see them.

Sources, in order (`mnist_source`): a path the caller names, `WGAN_TUTORIAL_MNIST`, keras'
cache, a download into keras' cache (once per process, with a timeout, checked against its
published SHA-256, and only when the host answers), and the subset shipped in the package
(8,000 training and 2,000 test digits, balanced over the classes). Fast mode always uses the
shipped subset. A named file is keras' `.npz` layout (read with `allow_pickle=False`) or the
classic `mnist.pkl.gz` (read with `files.ArrayUnpickler`: arrays only, nothing else runs).

MNIST: Yann LeCun, Corinna Cortes and Christopher J.C. Burges, licence CC BY-SA 3.0.

Taught in notebooks/00_start_here.ipynb.
"""

import functools
import gzip
import logging
import os
import pickle
import zipfile
import zlib
from pathlib import Path

import numpy as np

from wgan_tutorial.config import assets_dir, error_summary, fast_mode
from wgan_tutorial.data.checks import SPLITS, check_images, check_labels, check_split
from wgan_tutorial.data.files import download, keras_datasets_dir, unpickle_arrays

MNIST_ENV = "WGAN_TUTORIAL_MNIST"
KERAS_MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
KERAS_MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

_log = logging.getLogger(__name__)


def subset_path():
    """Path of the MNIST subset shipped in the package."""
    return assets_dir() / "mnist_subset.npz"


def keras_cache_path():
    """Where keras keeps `mnist.npz` once downloaded (`$KERAS_HOME/datasets`)."""
    return keras_datasets_dir() / "mnist.npz"


def _read_npz(path):
    keys = ("x_train", "y_train", "x_test", "y_test")
    try:
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):  # a .npy file: one bare array
            raise ValueError(f"it holds one {type(loaded).__name__}, not the arrays {keys}")
        with loaded as archive:
            found = archive.files
            arrays = {k: archive[k] for k in keys if k in found}
    except (
        OSError,
        EOFError,
        ValueError,
        AttributeError,
        KeyError,
        zipfile.BadZipFile,
        zlib.error,
    ) as error:  # truncated or corrupted archives raise the last three
        raise ValueError(
            f"MNIST file {path} is not a readable .npz archive of plain arrays "
            f"(pickled objects are refused): {error_summary(error)}"
        ) from None
    missing = [k for k in keys if k not in arrays]
    if missing:
        raise ValueError(f"MNIST file {path} lacks the arrays {missing} (keras layout: {keys})")
    return arrays


def _read_pkl_gz(path):
    """The classic `mnist.pkl.gz` (train 50,000 / valid 10,000 / test 10,000, floats in
    [0, 1], rows of 784), read with `ArrayUnpickler` (arrays only; nothing else runs)."""
    try:
        with gzip.open(path, "rb") as handle:
            train, valid, test = unpickle_arrays(handle, "latin1")
    except (
        OSError,
        EOFError,
        ValueError,
        TypeError,
        pickle.UnpicklingError,
        zlib.error,
        AttributeError,
        IndexError,
    ) as error:
        raise ValueError(
            f"MNIST file {path} is not a readable mnist.pkl.gz: {error_summary(error)}"
        ) from None

    def images(x):
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != 784:
            raise ValueError(f"MNIST file {path}: images must be rows of 784, got {x.shape}")
        if x.size and not (np.isfinite(x).all() and x.min() >= 0 and x.max() <= 1):
            raise ValueError(
                f"MNIST file {path}: pixels must be finite numbers in [0, 1] (the classic "
                f"mnist.pkl.gz), found values from {np.nanmin(x):g} to {np.nanmax(x):g}"
            )
        return np.rint(x * 255).astype(np.uint8).reshape(-1, 28, 28)

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
        arrays[f"y_{split}"] = check_labels(arrays[f"y_{split}"], len(x), f"y_{split} in {path}")
    return arrays


def keras_download():
    """MNIST downloaded into keras' cache (`files.download`), or None when that fails.

    Raises:
        ValueError: the downloaded file's SHA-256 is not the published one.
    """
    return download(KERAS_MNIST_URL, str(keras_cache_path()), KERAS_MNIST_SHA256)


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
    downloaded = keras_download()
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

    Taught in notebooks/00_start_here.ipynb.
    """
    check_split(split)
    description, source = mnist_source(path)
    arrays = _read_file(source if source is not None else subset_path())
    images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
    if verbose:  # the file's name only: a notebook's stored output names no folder of its machine
        where = f" ({source.name})" if source is not None else ""
        _log.info("MNIST %s: %d digits from %s%s", split, len(images), description, where)
    return images, labels


def load_mnist_images(split="train", data_dir=None):
    """MNIST as the registry serves it: `load_mnist` with a channel axis, (N, 28, 28, 1)."""
    images, labels = load_mnist(split, data_dir)
    return images[..., None], labels


def to_float_images(images):
    """uint8 images (N, 28, 28) -> float32 (N, 28, 28, 1) in [-1, 1], the models' range.

    Taught in notebooks/00_start_here.ipynb.
    """
    return (check_images(images).astype(np.float32)[..., None] / 127.5) - 1.0
