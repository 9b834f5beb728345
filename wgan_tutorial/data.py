"""Data of the course: a registry of data sets, their loaders, and the toy distributions.

- The registry `DATASETS` (name -> `Dataset`): one entry per data set with its image shape,
  value range, how it is found and its licence line; `get_dataset` resolves a name or alias
  (`cifar10` -> `cifar-10`). It is the only place that knows the data sets: `image_dataset`
  (a `tf.data` pipeline in [-1, 1]) and `real_images` (uint8 arrays for FID/KID) serve them
  all. Adding a data set is one entry plus its loader.
- `prefetched`: the last stage of every pipeline that `fit` reads (tf.data's autotuning off).
- MNIST: `load_mnist` (uint8 arrays) and `mnist_dataset`. Sources, in order: a path the
  caller names, `WGAN_TUTORIAL_MNIST`, keras' cache, a download into keras' cache (once per
  process, with a timeout, and only when the host answers), and the subset shipped in the
  package (8,000 training and 2,000 test digits, balanced over the classes). Fast mode
  always uses the shipped subset.
- Fashion-MNIST (Xiao et al. 2017, arXiv 1708.07747) and CIFAR-10 (Krizhevsky 2009): a folder
  the user names, keras' cache, a download into keras' cache, else a one-line error saying
  how to get the files. CIFAR-10 from a user's path is the official binary version (its
  `.tar.gz` or its `cifar-10-batches-bin` folder: records of 1 label byte and 3,072 pixel
  bytes); keras' pickled batches are read only from keras' own cache, and then with a
  restricted unpickler, as is a user's `mnist.pkl.gz`.
- Any folder of images (`ImageFolder`): PNG, JPEG, BMP and GIF found recursively, read with
  Pillow, centre-cropped to a square, resized, as 1 or 3 channels, streamed (never all in
  memory), unreadable files skipped and counted.
- Toy samplers: two 1-D Gaussians (Arjovsky et al. 2017, arXiv 1701.07875, Figure 2) and
  the 2-D sets of Gulrajani et al. 2017 (arXiv 1704.00028, Section 3, Figure 1; scaled as in
  their `gan_toy.py`): 8 Gaussians, 25 Gaussians, Swiss roll.

MNIST: Yann LeCun, Corinna Cortes and Christopher J.C. Burges, licence CC BY-SA 3.0.

Taught in notebooks/00_start_here.ipynb and notebooks/06_your_own_images.ipynb.
"""
import collections
import functools
import gzip
import hashlib
import logging
import os
import pickle
import socket
import tarfile
import urllib.parse
import urllib.request
import zipfile
import zlib
from pathlib import Path

import numpy as np

from wgan_tutorial.config import (assets_dir, check_number, error_summary, fast_mode,
                                  import_tensorflow)

MNIST_ENV = "WGAN_TUTORIAL_MNIST"
SPLITS = ("train", "test")
KERAS_MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
KERAS_MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
DOWNLOAD_TIMEOUT_SECONDS = 10

_log = logging.getLogger(__name__)


def subset_path():
    """Path of the MNIST subset shipped in the package."""
    return assets_dir() / "mnist_subset.npz"


def keras_datasets_dir():
    """keras' cache of data sets: `$KERAS_HOME/datasets` (default `~/.keras/datasets`)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets"


def keras_cache_path():
    """Where keras keeps `mnist.npz` once downloaded (`$KERAS_HOME/datasets`)."""
    return keras_datasets_dir() / "mnist.npz"


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
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):  # a .npy file: one bare array
            raise ValueError(f"it holds one {type(loaded).__name__}, not the arrays {keys}")
        with loaded as archive:
            found = archive.files
            arrays = {k: archive[k] for k in keys if k in found}
    except (OSError, EOFError, ValueError, AttributeError, KeyError, zipfile.BadZipFile,
            zlib.error) as error:  # truncated or corrupted archives raise the last three
        raise ValueError(
            f"MNIST file {path} is not a readable .npz archive of plain arrays "
            f"(pickled objects are refused): {error_summary(error)}"
        ) from None
    missing = [k for k in keys if k not in arrays]
    if missing:
        raise ValueError(f"MNIST file {path} lacks the arrays {missing} (keras layout: {keys})")
    return arrays


def _latin1_encode(text, encoding="latin1"):
    """`_codecs.encode` as pickles of numpy arrays use it (bytes written by Python 2)."""
    if encoding not in ("latin1", "latin-1"):
        raise pickle.UnpicklingError(f"refused _codecs.encode with encoding {encoding!r}")
    return text.encode("latin1")


# What a pickle of numpy arrays may name: array reconstruction, dtypes, scalars. Nothing else
# (no os.system, no builtins.eval): a crafted pickle cannot run code.
_PICKLE_ALLOWED = {
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer"),
}


class ArrayUnpickler(pickle.Unpickler):
    """An unpickler that builds only numpy arrays, dtypes, scalars and Python containers.

    Any other global a pickle names (a function to call, a class to build) is refused with
    `pickle.UnpicklingError`, so a crafted file cannot run code. Used for a user's
    `mnist.pkl.gz` and keras' pickled CIFAR-10 batches.
    """

    def find_class(self, module, name):
        if (module, name) == ("_codecs", "encode"):
            return _latin1_encode
        if (module, name) in _PICKLE_ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refused to load {module}.{name}: only numpy arrays, "
                                     f"dtypes and Python containers are allowed")


def _unpickle_arrays(handle, encoding):
    return ArrayUnpickler(handle, encoding=encoding).load()


def _read_pkl_gz(path):
    """The classic `mnist.pkl.gz` (train 50,000 / valid 10,000 / test 10,000, floats in
    [0, 1], rows of 784), read with `ArrayUnpickler` (arrays only; nothing else runs)."""
    try:
        with gzip.open(path, "rb") as handle:
            train, valid, test = _unpickle_arrays(handle, "latin1")
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, zlib.error,
            AttributeError, IndexError) as error:
        raise ValueError(f"MNIST file {path} is not a readable mnist.pkl.gz: "
                         f"{error_summary(error)}") from None

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


def _host_answers(url):
    """Whether the URL's host accepts a TCP connection within the timeout (offline: no)."""
    parts = urllib.parse.urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 443),
                                 timeout=DOWNLOAD_TIMEOUT_SECONDS).close()
        return True
    except OSError:
        return False


@functools.lru_cache(maxsize=None)
def download(url, target, sha256=None):
    """Download `url` to `target` (keras' cache) once per process; None when it fails.

    No TensorFlow is imported: an offline machine learns in milliseconds that the host does
    not answer, and falls back at once. The file is written to a temporary name, checked
    against `sha256` when given, then moved into place.

    Args:
        url: https URL. target: str path of the file to write. sha256: hex digest or None.

    Returns:
        Path of the file, or None (offline, blocked, wrong hash).
    """
    target = Path(target)
    if not _host_answers(url):
        _log.info("could not reach %s (offline?)", urllib.parse.urlsplit(url).hostname)
        return None
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _log.info("downloading %s", url)
        digest = hashlib.sha256()
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response, \
                open(partial, "wb") as out:
            for block in iter(lambda: response.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
        if sha256 is not None and digest.hexdigest() != sha256:
            raise OSError(f"SHA-256 mismatch for {url}")
        os.replace(partial, target)
        return target
    except (OSError, ValueError) as error:  # any failure of the download: fall back
        _log.info("download of %s failed (%s)", url, error_summary(error))
        partial.unlink(missing_ok=True)
        return None


def _keras_download():
    """MNIST downloaded into keras' cache (`download`), or None when that fails."""
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
    if verbose:  # the file's name only: a notebook's stored output names no folder of its machine
        where = f" ({source.name})" if source is not None else ""
        _log.info("MNIST %s: %d digits from %s%s", split, len(images), description, where)
    return images, labels


def to_float_images(images):
    """uint8 images (N, 28, 28) -> float32 (N, 28, 28, 1) in [-1, 1], the models' range."""
    return (check_images(images).astype(np.float32)[..., None] / 127.5) - 1.0


def prefetched(dataset):
    """The last stage of every pipeline that `fit` reads: prefetching, with tf.data's
    autotuning switched off (`tf.data.Options().autotune.enabled = False`).

    With autotuning on (TensorFlow's default) a thread re-tunes the pipeline at doubling
    intervals, and `fit` often returned only at that thread's next wake-up, seconds after its
    last step: on a 2-core CPU (TensorFlow 2.21), `fit` calls of 200 and 300 gp steps on MNIST
    that stalled took 10.23-10.27 s and 20.48-20.49 s in all (10 ms x 2^10 and 2^11), and
    `benchmarks/fit_stall.py --steps 150 --rounds 5` measured 2.04 and 3.18 s after the last
    step in 2 of 5 runs with autotuning on, 0.01 s in all 5 with it off (issue #14). The steps
    are as fast (medians 37.7-45.7 ms on, 39.4-44.1 off, in alternating calls).

    Args:
        dataset: a `tf.data.Dataset`.

    Returns:
        The dataset, prefetched (`tf.data.AUTOTUNE`), with autotuning off.
    """
    tf = import_tensorflow()
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.prefetch(tf.data.AUTOTUNE).with_options(options)


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
    return prefetched(dataset)


# --- Fashion-MNIST and CIFAR-10 ------------------------------------------------------------

KERAS_DATA_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FASHION_FILES = {"train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
                 "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")}
CIFAR_BINARY_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
CIFAR_BINARY_FILES = {"train": tuple(f"data_batch_{i}.bin" for i in range(1, 6)),
                      "test": ("test_batch.bin",)}
CIFAR_RECORD_BYTES = 1 + 32 * 32 * 3  # one label byte, then R, G and B planes of 32x32


def _read_idx(blob, name, ndim):
    """An IDX array (LeCun's MNIST format): magic 0x0000 08 ndim, ndim big-endian sizes."""
    if len(blob) < 4 + 4 * ndim or blob[:4] != bytes([0, 0, 8, ndim]):
        raise ValueError(f"{name} is not an IDX file of {ndim}-D uint8 data")
    shape = tuple(int.from_bytes(blob[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    body = np.frombuffer(blob, np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(shape)):
        raise ValueError(f"{name}: header says {shape}, found {body.size} bytes of data")
    return body.reshape(shape)


def _read_gzip(path):
    try:
        with gzip.open(path, "rb") as handle:
            return handle.read()
    except (OSError, EOFError, zlib.error) as error:
        raise ValueError(f"{path} is not a readable .gz file: {error_summary(error)}") from None


def _load_fashion_folder(folder, split):
    """Fashion-MNIST from a folder of its four IDX `.gz` files (keras' and Zalando's names)."""
    images_file, labels_file = (Path(folder) / name for name in FASHION_FILES[split])
    images = _read_idx(_read_gzip(images_file), images_file, 3)
    labels = _read_idx(_read_gzip(labels_file), labels_file, 1)
    if images.shape[1:] != (28, 28) or len(labels) != len(images) or labels.max() > 9:
        raise ValueError(f"{folder}: Fashion-MNIST {split} files have images {images.shape} "
                         f"and labels {labels.shape}; expected (N, 28, 28) and (N,) in [0, 9]")
    return images[..., None], labels


def _fashion_files_in(folder, split):
    return folder is not None and all((Path(folder) / name).is_file()
                                      for name in FASHION_FILES[split])


def load_fashion_mnist(split="train", data_dir=None):
    """Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, arXiv 1708.07747): 70,000 28x28 greyscale
    images of 10 kinds of clothing, in MNIST's IDX format.

    Sources, in order: `data_dir` (a folder holding `train-images-idx3-ubyte.gz`,
    `train-labels-idx1-ubyte.gz`, `t10k-images-idx3-ubyte.gz`, `t10k-labels-idx1-ubyte.gz`),
    keras' cache (`$KERAS_HOME/datasets/fashion-mnist`), a download into that cache.

    Args:
        split: "train" (60,000) or "test" (10,000). data_dir: folder or None.

    Returns:
        (images, labels): uint8 (N, 28, 28, 1) in [0, 255] and uint8 (N,) in [0, 9].

    Raises:
        ValueError: bad split; files missing (saying how to get them) or unreadable.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    _check_split(split)
    if data_dir is not None:
        if not _fashion_files_in(data_dir, split):
            raise ValueError(f"--data-dir {data_dir} must hold the Fashion-MNIST files "
                             f"{FASHION_FILES[split]}")
        return _load_fashion_folder(data_dir, split)
    cache = keras_datasets_dir() / "fashion-mnist"
    if not _fashion_files_in(cache, split):
        for name in FASHION_FILES[split]:
            if not (cache / name).is_file() and download(KERAS_DATA_URL + name,
                                                         str(cache / name)) is None:
                raise ValueError(
                    "Fashion-MNIST not found (no keras cache, download failed): get the four "
                    "files from https://github.com/zalandoresearch/fashion-mnist and pass "
                    "their folder with --data-dir (data_dir=)")
    return _load_fashion_folder(cache, split)


def read_cifar_binary(blob, name):
    """Records of the CIFAR-10 binary version: (label byte, 1,024 R, 1,024 G, 1,024 B bytes).

    Args:
        blob: bytes of one batch file (any number of records). name: for messages.

    Returns:
        (images, labels): uint8 (N, 32, 32, 3) and uint8 (N,).

    Raises:
        ValueError: a length that is not a multiple of 3,073, or a label above 9.
    """
    if len(blob) == 0 or len(blob) % CIFAR_RECORD_BYTES:
        raise ValueError(f"{name} is not a CIFAR-10 binary batch: {len(blob)} bytes is not a "
                         f"positive multiple of {CIFAR_RECORD_BYTES}")
    records = np.frombuffer(blob, np.uint8).reshape(-1, CIFAR_RECORD_BYTES)
    labels = records[:, 0].copy()
    if labels.max() > 9:
        raise ValueError(f"{name}: CIFAR-10 labels must lie in [0, 9], found {labels.max()}")
    images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), labels


def _cifar_from_tar(path, split):
    try:
        with tarfile.open(path, "r:*") as archive:
            members = {Path(m.name).name: m for m in archive.getmembers() if m.isfile()}
            missing = [n for n in CIFAR_BINARY_FILES[split] if n not in members]
            if missing:
                raise ValueError(f"{path} lacks {missing}: it must be the CIFAR-10 binary "
                                 f"version ({CIFAR_BINARY_URL})")
            blobs = [(n, archive.extractfile(members[n]).read())
                     for n in CIFAR_BINARY_FILES[split]]
    except (OSError, EOFError, tarfile.TarError, zlib.error) as error:
        raise ValueError(f"{path} is not a readable .tar.gz: {error_summary(error)}") from None
    return [read_cifar_binary(blob, f"{path}:{n}") for n, blob in blobs]


def _cifar_folder(folder):
    """The folder holding the binary batches: `folder` or its `cifar-10-batches-bin`."""
    for candidate in (Path(folder), Path(folder) / "cifar-10-batches-bin"):
        if (candidate / "test_batch.bin").is_file():
            return candidate
    return None


def _cifar_from_folder(folder, split):
    parts = []
    for name in CIFAR_BINARY_FILES[split]:
        path = folder / name
        if not path.is_file():
            raise ValueError(f"{folder} lacks {name} (CIFAR-10 binary version)")
        parts.append(read_cifar_binary(path.read_bytes(), path))
    return parts


def _cifar_from_keras_pickles(folder, split):
    """keras' own cache: the pickled Python version, read with `ArrayUnpickler`."""
    names = [f"data_batch_{i}" for i in range(1, 6)] if split == "train" else ["test_batch"]
    parts = []
    for name in names:
        try:
            with open(folder / name, "rb") as handle:
                batch = _unpickle_arrays(handle, "bytes")
            images = np.asarray(batch[b"data"], np.uint8).reshape(-1, 3, 32, 32)
            labels = np.asarray(batch[b"labels"], np.uint8)
        except (OSError, EOFError, KeyError, TypeError, ValueError,
                pickle.UnpicklingError) as error:
            raise ValueError(f"keras' CIFAR-10 file {folder / name} is unreadable: "
                             f"{error_summary(error)}") from None
        parts.append((np.ascontiguousarray(images.transpose(0, 2, 3, 1)), labels))
    return parts


def keras_cifar_folders():
    """Where keras puts the pickled CIFAR-10 batches: Keras >= 3.5 extracts into
    `cifar-10-batches-py_extracted/cifar-10-batches-py`, earlier versions into
    `cifar-10-batches-py`."""
    root = keras_datasets_dir()
    return (root / "cifar-10-batches-py_extracted" / "cifar-10-batches-py",
            root / "cifar-10-batches-py")


def load_cifar10(split="train", data_dir=None):
    """CIFAR-10 (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images"):
    60,000 32x32 colour images of 10 classes.

    Sources, in order: `data_dir` (the binary version's `.tar.gz`, or a folder holding
    `data_batch_1.bin` ... `test_batch.bin` or the extracted `cifar-10-batches-bin`; never
    unpickled), keras' cache (its pickled batches, read with `ArrayUnpickler`, or the binary
    archive this package downloaded there), a download of the binary version into keras'
    cache.

    Args:
        split: "train" (50,000) or "test" (10,000). data_dir: path or None.

    Returns:
        (images, labels): uint8 (N, 32, 32, 3) in [0, 255] and uint8 (N,) in [0, 9].

    Raises:
        ValueError: bad split; data not found (saying how to get it) or unreadable.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    _check_split(split)
    archive = keras_datasets_dir() / "cifar-10-binary.tar.gz"
    if data_dir is not None:
        path = Path(data_dir)
        if path.is_file():
            parts = _cifar_from_tar(path, split)
        elif path.is_dir() and _cifar_folder(path) is not None:
            parts = _cifar_from_folder(_cifar_folder(path), split)
        else:
            raise ValueError(f"--data-dir {data_dir} must be the CIFAR-10 binary version: its "
                             f".tar.gz or a folder with data_batch_1.bin ... test_batch.bin")
    elif any((folder / "test_batch").is_file() for folder in keras_cifar_folders()):
        folder = next(f for f in keras_cifar_folders() if (f / "test_batch").is_file())
        parts = _cifar_from_keras_pickles(folder, split)
    elif archive.is_file() or download(CIFAR_BINARY_URL, str(archive)) is not None:
        parts = _cifar_from_tar(archive, split)
    else:
        raise ValueError(f"CIFAR-10 not found (no keras cache, download failed): download "
                         f"{CIFAR_BINARY_URL} and pass it, or its extracted "
                         f"cifar-10-batches-bin folder, with --data-dir (data_dir=)")
    return (np.concatenate([images for images, _ in parts]),
            np.concatenate([labels for _, labels in parts]))


def load_mnist_images(split="train", data_dir=None):
    """MNIST as the registry serves it: `load_mnist` with a channel axis, (N, 28, 28, 1)."""
    images, labels = load_mnist(split, data_dir)
    return images[..., None], labels


# --- any folder of images --------------------------------------------------------------------

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
IMAGE_SIZES = (28, 32, 64)
CHANNELS = (1, 3)


def _check_choice(value, name, allowed):
    if isinstance(value, bool) or value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return int(value)


def read_image(path, image_size, channels):
    """One image file as uint8 (image_size, image_size, channels), or None if unreadable.

    Transparent pixels are laid on white; a GIF gives its first frame. The largest centred
    square is cut out and resized (Pillow's bicubic filter, antialiased when shrinking).
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.draft("RGB" if channels == 3 else "L", (image_size, image_size))  # JPEG
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                rgba = image.convert("RGBA")
                image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
            image = image.convert("RGB" if channels == 3 else "L")
            width, height = image.size
            side = min(width, height)
            left, top = (width - side) // 2, (height - side) // 2
            image = image.crop((left, top, left + side, top + side))
            image = image.resize((image_size, image_size), Image.Resampling.BICUBIC)
            pixels = np.asarray(image, dtype=np.uint8)
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError,
            SyntaxError, EOFError):
        return None
    return pixels.reshape(image_size, image_size, channels)


class ImageFolder:
    """A folder of images (searched recursively), streamed as uint8 squares.

    Only the list of file paths is held in memory; images are read one at a time, in a
    seeded random order per pass, so a folder of 200,000 images costs the memory of a
    shuffle buffer, not of the data set. Files that cannot be read are skipped; the count
    is logged in one line after the first full pass (and `skipped` holds it).

    Args:
        root: the folder.
        image_size: 28, 32 or 64 (pixels of the square).
        channels: 1 (greyscale) or 3 (RGB).
        max_images: use a random subset of this many files (int >= 1, seeded), or all.
        seed: int >= 0, seed of the subset and of the order.

    Raises:
        ValueError: not a folder, no image files in it, or a parameter out of range.

    Taught in notebooks/06_your_own_images.ipynb.
    """

    def __init__(self, root, image_size=64, channels=3, max_images=None, seed=0):
        self.root = Path(root)
        self.image_size = _check_choice(image_size, "image_size", IMAGE_SIZES)
        self.channels = _check_choice(channels, "channels", CHANNELS)
        self.seed = check_number(seed, "seed", 0, integer=True)
        if not self.root.is_dir():
            raise ValueError(f"--data-dir {root} is not a folder of images")
        files = sorted(path for path in self.root.rglob("*")
                       if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file())
        if not files:
            raise ValueError(f"--data-dir {root} holds no images ({', '.join(IMAGE_SUFFIXES)}, "
                             f"searched recursively)")
        if max_images is not None:
            max_images = check_number(max_images, "max_images", 1, integer=True)
            if max_images < len(files):
                keep = np.random.default_rng(self.seed).choice(len(files), max_images,
                                                               replace=False)
                files = [files[i] for i in np.sort(keep)]
        self.files = files
        self.skipped = None  # known after the first full pass
        self.image_shape = (self.image_size, self.image_size, self.channels)

    def __len__(self):
        return len(self.files)

    def images(self, pass_index=0, shuffle=True):
        """Yield the readable images of one pass, uint8 (S, S, C), in a seeded order."""
        order = np.arange(len(self.files))
        if shuffle:
            order = np.random.default_rng((self.seed, pass_index)).permutation(order)
        bad, yielded = [], 0
        for index in order:
            pixels = read_image(self.files[index], self.image_size, self.channels)
            if pixels is None:
                bad.append(self.files[index])
                continue
            yielded += 1
            yield pixels
        if self.skipped is None:
            self.skipped = len(bad)
            if bad:
                _log.info("image folder: skipped %d unreadable file(s) of %d (e.g. %s)",
                          len(bad), len(self.files), bad[0].relative_to(self.root))
        if not yielded:
            raise ValueError(f"--data-dir {self.root}: none of its {len(self.files)} image "
                             f"files could be read")

    def take(self, n):
        """n readable images (the first of pass 0's seeded order), uint8 (n', S, S, C), n' <= n."""
        n = check_number(n, "n", 1, integer=True)
        out = np.empty((min(n, len(self.files)),) + self.image_shape, np.uint8)
        count = 0
        for pixels in self.images():
            out[count] = pixels
            count += 1
            if count == len(out):
                break
        return out[:count]


# --- toy distributions ---------------------------------------------------------------------

def gaussian_1d(n, mean=0.0, std=1.0, seed=None):
    """n draws from N(mean, std^2), shape (n, 1) float32 (a critic's input)."""
    check_number(n, "n", 1, integer=True)
    if not std > 0:
        raise ValueError(f"std must be > 0, got {std!r}")
    rng = np.random.default_rng(seed)
    return rng.normal(mean, std, size=(n, 1)).astype(np.float32)


def _mixture(n, centres, std, scale, seed, labels):
    check_number(n, "n", 1, integer=True)
    rng = np.random.default_rng(seed)
    modes = rng.integers(0, len(centres), size=n)
    points = ((centres[modes] + std * rng.standard_normal((n, 2))) / scale).astype(np.float32)
    return (points, modes.astype(np.int32)) if labels else points


def eight_gaussian_centres():
    """The 8 modes of `eight_gaussians`, (8, 2) before scaling: radius 2, angles k pi / 4."""
    angles = np.arange(8) * np.pi / 4
    return 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def eight_gaussians(n, seed=None, labels=False):
    """8 Gaussians on a circle of radius 2 (std 0.02), divided by 1.414; shape (n, 2).

    With `labels`, also the mode of each point (int32 (n,), mode k at angle k pi / 4): the
    classes of a conditional model (notebooks/07_do_generated_digits_help.ipynb).
    """
    return _mixture(n, eight_gaussian_centres(), 0.02, 1.414, seed, labels)


def twenty_five_gaussians(n, seed=None, labels=False):
    """25 Gaussians on a 5x5 grid of spacing 2 (std 0.05), divided by 2.828; shape (n, 2).

    With `labels`, also the mode of each point (int32 (n,), row-major over the grid).
    """
    grid = np.arange(-2, 3) * 2.0
    centres = np.stack(np.meshgrid(grid, grid), axis=-1).reshape(-1, 2)
    return _mixture(n, centres, 0.05, 2.828, seed, labels)


def swiss_roll(n, seed=None):
    """A 2-D Swiss roll: noise 0.25 on the 3-D roll, its (x, z) plane, divided by 7.5."""
    check_number(n, "n", 1, integer=True)
    rng = np.random.default_rng(seed)
    t = 1.5 * np.pi * (1 + 2 * rng.random(n))
    roll = np.stack([t * np.cos(t), 21 * rng.random(n), t * np.sin(t)], axis=1)
    roll += 0.25 * rng.standard_normal(roll.shape)
    return (roll[:, [0, 2]] / 7.5).astype(np.float32)


# --- the registry ----------------------------------------------------------------------------

Dataset = collections.namedtuple(
    "Dataset", "name kind image_shape value_range source citation load num_classes")
Dataset.__doc__ = """One data set of the registry.

Fields: name; kind ("images" or "points"); image_shape ((H, W, C) of the stored images, None
for a folder, whose shape is chosen); value_range ("uint8" for images, "real" for points);
source (how it is found, one line); citation (licence/citation line); load (images:
`load(split, data_dir)` -> (uint8 (N, H, W, C), labels); points: `load(n, seed)` -> (n, 2),
and `load(n, seed, labels=True)` -> (points, modes) for sets with classes); num_classes (the
labels a conditional model can ask for, None for unlabelled sets: a folder, the Swiss roll).
"""

DATASETS = {
    "mnist": Dataset(
        "mnist", "images", (28, 28, 1), "uint8",
        "--data-dir FILE (keras .npz or mnist.pkl.gz), $WGAN_TUTORIAL_MNIST, keras' cache or "
        "download, else the shipped subset",
        "MNIST: Yann LeCun, Corinna Cortes and Christopher J.C. Burges, licence CC BY-SA 3.0",
        load_mnist_images, 10),
    "fashion-mnist": Dataset(
        "fashion-mnist", "images", (28, 28, 1), "uint8",
        "--data-dir FOLDER of the four IDX .gz files, keras' cache or download",
        "Fashion-MNIST: Xiao, Rasul and Vollgraf 2017 (arXiv 1708.07747), licence MIT",
        load_fashion_mnist, 10),
    "cifar-10": Dataset(
        "cifar-10", "images", (32, 32, 3), "uint8",
        "--data-dir (binary version .tar.gz or cifar-10-batches-bin), keras' cache or "
        "download",
        "CIFAR-10: Alex Krizhevsky 2009, Learning Multiple Layers of Features from Tiny "
        "Images (https://www.cs.toronto.edu/~kriz/cifar.html)",
        load_cifar10, 10),
    "folder": Dataset(
        "folder", "images", None, "uint8",
        "--data-dir FOLDER of PNG, JPEG, BMP or GIF files (searched recursively)",
        "your own images: their licence is yours to check",
        None, None),
    "8gaussians": Dataset("8gaussians", "points", (2,), "real", "sampled",
                          "Gulrajani et al. 2017 (arXiv 1704.00028), Section 3, Figure 1",
                          eight_gaussians, 8),
    "25gaussians": Dataset("25gaussians", "points", (2,), "real", "sampled",
                           "Gulrajani et al. 2017 (arXiv 1704.00028), Section 3, Figure 1",
                           twenty_five_gaussians, 25),
    "swissroll": Dataset("swissroll", "points", (2,), "real", "sampled",
                         "Gulrajani et al. 2017 (arXiv 1704.00028), Section 3, Figure 1",
                         swiss_roll, None),
}
DATASET_ALIASES = {"cifar10": "cifar-10", "fashion_mnist": "fashion-mnist"}
DATASET_NAMES = tuple(DATASETS) + tuple(DATASET_ALIASES)


def get_dataset(name):
    """The registry entry of `name` (aliases such as "cifar10" accepted).

    Raises:
        ValueError: unknown name, listing the known ones.
    """
    name = DATASET_ALIASES.get(name, name)
    if name not in DATASETS:
        raise ValueError(f"dataset must be one of {DATASET_NAMES}, got {name!r}")
    return DATASETS[name]


def dataset_image_shape(name, image_size=None, channels=None):
    """The (H, W, C) a data set is trained at: its own shape, or the size/channels asked.

    A folder defaults to 64x64x3 (the CelebA WGAN's default); other sets keep their shape
    unless `image_size` (28, 32 or 64) or `channels` (1 or 3) convert them.

    Raises:
        ValueError: unknown name, a toy set (no images), a size or channel count not allowed.
    """
    entry = get_dataset(name)
    if entry.kind != "images":
        raise ValueError(f"dataset {entry.name!r} holds 2-D points, not images")
    height, _, depth = entry.image_shape or (64, 64, 3)
    size = height if image_size is None else _check_choice(image_size, "image_size",
                                                           IMAGE_SIZES)
    depth = depth if channels is None else _check_choice(channels, "channels", CHANNELS)
    return (size, size, depth)


def convert_images(images, image_shape):
    """uint8 images (N, H, W, C) -> float32 (N, H', W', C') in [-1, 1] (a `tf` op).

    Channels: 3 -> 1 by ITU-R 601 luma (0.299 R + 0.587 G + 0.114 B), 1 -> 3 by repeating;
    size: bilinear resizing with antialiasing when it differs.
    """
    tf = import_tensorflow()
    x = tf.cast(images, tf.float32)
    height, width, depth = image_shape
    if x.shape[-1] == 3 and depth == 1:
        x = tf.reduce_sum(x * tf.constant([0.299, 0.587, 0.114]), axis=-1, keepdims=True)
    elif x.shape[-1] == 1 and depth == 3:
        x = tf.repeat(x, 3, axis=-1)
    if tuple(x.shape[1:3]) != (height, width):
        x = tf.image.resize(x, (height, width), method="bilinear", antialias=True)
    return tf.clip_by_value(x / 127.5 - 1.0, -1.0, 1.0)


def image_source(name, split="train", data_dir=None, image_size=None, channels=None,
                 max_images=None, seed=0):
    """The images of a registry data set, without converting them: an array or a folder.

    Returns:
        (source, image_shape): source a uint8 array (N, H, W, C) (the stored shape; labels
        dropped; `max_images` keeps a seeded random subset) or an `ImageFolder`;
        image_shape the (H, W, C) to train at (`dataset_image_shape`).

    Raises:
        ValueError: from the registry and the loaders.
    """
    entry = get_dataset(name)
    shape = dataset_image_shape(name, image_size, channels)
    if entry.name == "folder":
        if data_dir is None:
            raise ValueError("dataset 'folder' needs --data-dir (data_dir=) naming the folder")
        return ImageFolder(data_dir, shape[0], shape[2], max_images, seed), shape
    images, _ = _subset(entry.load(split, data_dir), max_images, seed)
    return images, shape


def _subset(images_and_labels, max_images, seed):
    images, labels = images_and_labels
    if max_images is not None:
        max_images = check_number(max_images, "max_images", 1, integer=True)
        if max_images < len(images):
            keep = np.sort(np.random.default_rng(seed).choice(len(images), max_images,
                                                              replace=False))
            images, labels = images[keep], labels[keep]
    return images, labels


def labelled_source(name, split="train", data_dir=None, image_size=None, channels=None,
                    max_images=None, seed=0):
    """The images of a labelled registry data set with their labels (conditional models).

    Returns:
        (images, labels, image_shape): uint8 (N, H, W, C) as stored, int32 (N,) in
        0..num_classes-1, and the (H, W, C) to train at (`dataset_image_shape`);
        `max_images` keeps the same seeded random subset as `image_source`.

    Raises:
        ValueError: a data set without labels (a folder, a toy set), or from the loaders.

    Taught in notebooks/07_do_generated_digits_help.ipynb.
    """
    entry = get_dataset(name)
    if entry.kind != "images" or entry.num_classes is None:
        labelled = [key for key, value in DATASETS.items()
                    if value.kind == "images" and value.num_classes]
        raise ValueError(f"a conditional model needs a labelled image data set "
                         f"{tuple(labelled)}, got dataset {entry.name!r}")
    shape = dataset_image_shape(name, image_size, channels)
    images, labels = _subset(entry.load(split, data_dir), max_images, seed)
    return images, np.asarray(labels).astype(np.int32).reshape(-1), shape


def image_dataset(source, image_shape, batch_size, seed=0, repeat=True):
    """A shuffled, batched `tf.data.Dataset` of float32 images in [-1, 1] for GAN training.

    Args:
        source: a uint8 array (N, H, W, C) or an `ImageFolder` (from `image_source`).
        image_shape: (H', W', C') to deliver (see `convert_images`).
        batch_size: int >= 1 and <= N. seed: shuffling seed. repeat: repeat forever.

    Returns:
        Dataset of float32 (batch_size, H', W', C') in [-1, 1] (last incomplete batch dropped).

    Raises:
        ValueError: batch_size out of range; a folder none of whose files can be read.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    tf = import_tensorflow()
    batch_size = check_number(batch_size, "batch_size", 1, integer=True)
    if batch_size > len(source):
        raise ValueError(f"batch_size must be <= the number of images ({len(source)}), "
                         f"got {batch_size}")
    if isinstance(source, ImageFolder):
        if not len(source.take(1)):  # fail now, not inside tf.data, when nothing is readable
            raise ValueError(f"--data-dir {source.root}: none of its image files could be read")
        passes = iter(range(10**9))
        dataset = tf.data.Dataset.from_generator(
            lambda: source.images(next(passes)),
            output_signature=tf.TensorSpec(source.image_shape, tf.uint8))
        dataset = dataset.shuffle(min(len(source), 2048), seed=seed)
    else:
        dataset = tf.data.Dataset.from_tensor_slices(source)
        dataset = dataset.shuffle(len(source), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        dataset = dataset.repeat()
    dataset = dataset.batch(batch_size, drop_remainder=True)
    dataset = dataset.map(lambda x: convert_images(x, image_shape),
                          num_parallel_calls=tf.data.AUTOTUNE)
    return prefetched(dataset)


def labelled_dataset(images, labels, image_shape, batch_size, seed=0):
    """As `image_dataset` for an array, with the labels: batches of (float32 images, int32).

    Args:
        images: uint8 (N, H, W, C). labels: int (N,). image_shape: (H', W', C').
        batch_size: int in 1..N. seed: shuffling seed.

    Returns:
        Repeating Dataset of (float32 (batch_size, H', W', C') in [-1, 1], int32 (batch_size,)).

    Raises:
        ValueError: batch_size out of range, or labels not one per image.
    """
    tf = import_tensorflow()
    batch_size = check_number(batch_size, "batch_size", 1, integer=True)
    if batch_size > len(images):
        raise ValueError(f"batch_size must be <= the number of images ({len(images)}), "
                         f"got {batch_size}")
    _check_labels(labels, len(images), "labels")
    dataset = tf.data.Dataset.from_tensor_slices((images, np.asarray(labels, np.int32)))
    dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True).repeat()
    dataset = dataset.batch(batch_size, drop_remainder=True)
    dataset = dataset.map(lambda x, y: (convert_images(x, image_shape), y),
                          num_parallel_calls=tf.data.AUTOTUNE)
    return prefetched(dataset)


def real_images(source, image_shape, n, seed=0):
    """n real images as uint8 (n', H', W', C') for FID/KID (n' = min(n, available)).

    A seeded random subset of an array, or n readable files of a folder (`ImageFolder.take`).
    """
    n = check_number(n, "n", 1, integer=True)
    if isinstance(source, ImageFolder):
        images = source.take(n)
    else:
        keep = np.random.default_rng(seed).permutation(len(source))[:n]
        images = source[np.sort(keep)]
    converted = convert_images(images, image_shape).numpy()
    return np.rint((converted + 1.0) * 127.5).astype(np.uint8)


TOY_DATASETS = tuple(name for name, entry in DATASETS.items() if entry.kind == "points")
IMAGE_DATASETS = tuple(name for name, entry in DATASETS.items() if entry.kind == "images")


def toy_samples(name, n, seed=None, labels=False):
    """n points of the 2-D toy set `name` (one of TOY_DATASETS), shape (n, 2) float32.

    With `labels`, (points, modes): the mode (int32 (n,)) each point was drawn from, for the
    sets that have modes (`num_classes` in the registry).

    Raises:
        ValueError: unknown set, or labels asked of a set without modes (the Swiss roll).
    """
    if name not in TOY_DATASETS:
        raise ValueError(f"toy dataset must be one of {TOY_DATASETS}, got {name!r}")
    if not labels:
        return DATASETS[name].load(n, seed=seed)
    if DATASETS[name].num_classes is None:
        moded = tuple(key for key in TOY_DATASETS if DATASETS[key].num_classes)
        raise ValueError(f"a conditional model needs a toy set with modes {moded}, "
                         f"got dataset {name!r}")
    return DATASETS[name].load(n, seed=seed, labels=True)
