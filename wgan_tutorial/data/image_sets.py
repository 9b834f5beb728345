"""Fashion-MNIST and CIFAR-10: finding and reading their published files.

Sources, in order: a folder (or archive) the user names, keras' cache, a download into
keras' cache (checked against the published SHA-256), else a one-line error saying how to
get the files.

- Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, arXiv 1708.07747): four IDX `.gz` files.
- CIFAR-10 (Krizhevsky 2009): from a user's path, the official binary version (its
  `.tar.gz` or its `cifar-10-batches-bin` folder: records of 1 label byte and 3,072 pixel
  bytes), never unpickled; keras' pickled batches are read only from keras' own cache, and
  then with `files.ArrayUnpickler`.

Taught in notebooks/06_your_own_images.ipynb.
"""

import pickle
import tarfile
import zlib
from pathlib import Path

import numpy as np

from wgan_tutorial.config import error_summary
from wgan_tutorial.data.checks import check_split
from wgan_tutorial.data.files import (
    download,
    keras_datasets_dir,
    read_gzip,
    read_idx,
    unpickle_arrays,
)

KERAS_DATA_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FASHION_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
# Published by Zalando Research (github.com/zalandoresearch/fashion-mnist), as served by keras.
FASHION_SHA256 = {
    "train-images-idx3-ubyte.gz": (
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"
    ),
    "train-labels-idx1-ubyte.gz": (
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"
    ),
    "t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
    "t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
}
CIFAR_BINARY_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
CIFAR_BINARY_SHA256 = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"
CIFAR_BINARY_FILES = {
    "train": tuple(f"data_batch_{i}.bin" for i in range(1, 6)),
    "test": ("test_batch.bin",),
}
CIFAR_RECORD_BYTES = 1 + 32 * 32 * 3  # one label byte, then R, G and B planes of 32x32


def _load_fashion_folder(folder, split):
    """Fashion-MNIST from a folder of its four IDX `.gz` files (keras' and Zalando's names)."""
    images_file, labels_file = (Path(folder) / name for name in FASHION_FILES[split])
    images = read_idx(read_gzip(images_file), images_file, 3)
    labels = read_idx(read_gzip(labels_file), labels_file, 1)
    if (
        images.shape[1:] != (28, 28)
        or len(labels) != len(images)
        or not len(labels)
        or labels.max() > 9
    ):
        raise ValueError(
            f"{folder}: Fashion-MNIST {split} files have images {images.shape} "
            f"and labels {labels.shape}; expected (N, 28, 28) and (N,) in [0, 9], N >= 1"
        )
    return images[..., None], labels


def _fashion_files_in(folder, split):
    return folder is not None and all(
        (Path(folder) / name).is_file() for name in FASHION_FILES[split]
    )


def load_fashion_mnist(split="train", data_dir=None):
    """Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, arXiv 1708.07747): 70,000 28x28 greyscale
    images of 10 kinds of clothing, in MNIST's IDX format.

    Sources, in order: `data_dir` (a folder holding `train-images-idx3-ubyte.gz`,
    `train-labels-idx1-ubyte.gz`, `t10k-images-idx3-ubyte.gz`, `t10k-labels-idx1-ubyte.gz`),
    keras' cache (`$KERAS_HOME/datasets/fashion-mnist`), a download into that cache (each
    file checked against `FASHION_SHA256`).

    Args:
        split: "train" (60,000) or "test" (10,000). data_dir: folder or None.

    Returns:
        (images, labels): uint8 (N, 28, 28, 1) in [0, 255] and uint8 (N,) in [0, 9].

    Raises:
        ValueError: bad split; files missing (saying how to get them) or unreadable; a
            downloaded file whose SHA-256 is not the published one.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    check_split(split)
    if data_dir is not None:
        if not _fashion_files_in(data_dir, split):
            raise ValueError(
                f"--data-dir {data_dir} must hold the Fashion-MNIST files {FASHION_FILES[split]}"
            )
        return _load_fashion_folder(data_dir, split)
    cache = keras_datasets_dir() / "fashion-mnist"
    if not _fashion_files_in(cache, split):
        for name in FASHION_FILES[split]:
            if (
                not (cache / name).is_file()
                and download(KERAS_DATA_URL + name, str(cache / name), FASHION_SHA256[name]) is None
            ):
                raise ValueError(
                    "Fashion-MNIST not found (no keras cache, download failed): get the four "
                    "files from https://github.com/zalandoresearch/fashion-mnist and pass "
                    "their folder with --data-dir (data_dir=)"
                )
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
        raise ValueError(
            f"{name} is not a CIFAR-10 binary batch: {len(blob)} bytes is not a "
            f"positive multiple of {CIFAR_RECORD_BYTES}"
        )
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
                raise ValueError(
                    f"{path} lacks {missing}: it must be the CIFAR-10 binary "
                    f"version ({CIFAR_BINARY_URL})"
                )
            blobs = [(n, archive.extractfile(members[n]).read()) for n in CIFAR_BINARY_FILES[split]]
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
                batch = unpickle_arrays(handle, "bytes")
            images = np.asarray(batch[b"data"], np.uint8).reshape(-1, 3, 32, 32)
            labels = np.asarray(batch[b"labels"], np.uint8)
        except (
            OSError,
            EOFError,
            KeyError,
            TypeError,
            ValueError,
            pickle.UnpicklingError,
        ) as error:
            raise ValueError(
                f"keras' CIFAR-10 file {folder / name} is unreadable: {error_summary(error)}"
            ) from None
        parts.append((np.ascontiguousarray(images.transpose(0, 2, 3, 1)), labels))
    return parts


def keras_cifar_folders():
    """Where keras puts the pickled CIFAR-10 batches: Keras >= 3.5 extracts into
    `cifar-10-batches-py_extracted/cifar-10-batches-py`, earlier versions into
    `cifar-10-batches-py`."""
    root = keras_datasets_dir()
    return (
        root / "cifar-10-batches-py_extracted" / "cifar-10-batches-py",
        root / "cifar-10-batches-py",
    )


def load_cifar10(split="train", data_dir=None):
    """CIFAR-10 (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images"):
    60,000 32x32 colour images of 10 classes.

    Sources, in order: `data_dir` (the binary version's `.tar.gz`, or a folder holding
    `data_batch_1.bin` ... `test_batch.bin` or the extracted `cifar-10-batches-bin`; never
    unpickled), keras' cache (its pickled batches, read with `ArrayUnpickler`, or the binary
    archive this package downloaded there), a download of the binary version into keras'
    cache (checked against `CIFAR_BINARY_SHA256`).

    Args:
        split: "train" (50,000) or "test" (10,000). data_dir: path or None.

    Returns:
        (images, labels): uint8 (N, 32, 32, 3) in [0, 255] and uint8 (N,) in [0, 9].

    Raises:
        ValueError: bad split; data not found (saying how to get it) or unreadable; a
            downloaded archive whose SHA-256 is not the published one.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    check_split(split)
    archive = keras_datasets_dir() / "cifar-10-binary.tar.gz"
    if data_dir is not None:
        path = Path(data_dir)
        if path.is_file():
            parts = _cifar_from_tar(path, split)
        elif path.is_dir() and _cifar_folder(path) is not None:
            parts = _cifar_from_folder(_cifar_folder(path), split)
        else:
            raise ValueError(
                f"--data-dir {data_dir} must be the CIFAR-10 binary version: its "
                f".tar.gz or a folder with data_batch_1.bin ... test_batch.bin"
            )
    elif any((folder / "test_batch").is_file() for folder in keras_cifar_folders()):
        folder = next(f for f in keras_cifar_folders() if (f / "test_batch").is_file())
        parts = _cifar_from_keras_pickles(folder, split)
    elif (
        archive.is_file()
        or download(CIFAR_BINARY_URL, str(archive), CIFAR_BINARY_SHA256) is not None
    ):
        parts = _cifar_from_tar(archive, split)
    else:
        raise ValueError(
            f"CIFAR-10 not found (no keras cache, download failed): download "
            f"{CIFAR_BINARY_URL} and pass it, or its extracted "
            f"cifar-10-batches-bin folder, with --data-dir (data_dir=)"
        )
    return (
        np.concatenate([images for images, _ in parts]),
        np.concatenate([labels for _, labels in parts]),
    )
