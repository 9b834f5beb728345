"""The registry of data sets: one `Dataset` entry per set, and the names that reach them.

`DATASETS` (name -> `Dataset`) is the only place that knows the data sets: each entry says
its image shape, value range, how it is found, its licence or citation line, its loader, its
classes and the files a download fetches with their published SHA-256 (as d2l's `DATA_HUB`).
`get_dataset` resolves a name or an alias (`cifar10` -> `cifar-10`) once; below that the
entry itself travels, and every function here and in `pipeline` that takes a name also takes
an entry. Adding a data set is one entry plus its loader.

Taught in notebooks/06_your_own_images.ipynb.
"""

import collections

from wgan_tutorial.data.checks import check_choice
from wgan_tutorial.data.image_sets import (
    CIFAR_BINARY_SHA256,
    CIFAR_BINARY_URL,
    FASHION_SHA256,
    KERAS_DATA_URL,
    load_cifar10,
    load_fashion_mnist,
)
from wgan_tutorial.data.mnist import KERAS_MNIST_SHA256, KERAS_MNIST_URL, load_mnist_images
from wgan_tutorial.data.toys import eight_gaussians, swiss_roll, twenty_five_gaussians

IMAGE_SIZES = (28, 32, 64)  # the square sizes (pixels) the models are built for
CHANNELS = (1, 3)  # greyscale or RGB

Dataset = collections.namedtuple(
    "Dataset",
    "name kind image_shape value_range source citation load num_classes downloads",
    defaults=((),),
)
Dataset.__doc__ = """One data set of the registry.

Fields: name; kind ("images" or "points"); image_shape ((H, W, C) of the stored images, None
for a folder, whose shape is chosen); value_range ("uint8" for images, "real" for points);
source (how it is found, one line); citation (licence/citation line); load (images:
`load(split, data_dir)` -> (uint8 (N, H, W, C), labels); points: `load(n, seed)` -> (n, 2),
and `load(n, seed, labels=True)` -> (points, modes) for sets with classes); num_classes (the
labels a conditional model can ask for, None for unlabelled sets: a folder, the Swiss roll);
downloads (the (url, sha256) pairs the loader may download, each checked against its
published SHA-256 before it is kept; empty when nothing is downloaded).
"""

_GULRAJANI = "Gulrajani et al. 2017 (arXiv 1704.00028), Section 3, Figure 1"

DATASETS = {
    "mnist": Dataset(
        "mnist",
        "images",
        (28, 28, 1),
        "uint8",
        "--data-dir FILE (keras .npz or mnist.pkl.gz), $WGAN_TUTORIAL_MNIST, keras' cache or "
        "download, else the shipped subset",
        "MNIST: Yann LeCun, Corinna Cortes and Christopher J.C. Burges, licence CC BY-SA 3.0",
        load_mnist_images,
        10,
        ((KERAS_MNIST_URL, KERAS_MNIST_SHA256),),
    ),
    "fashion-mnist": Dataset(
        "fashion-mnist",
        "images",
        (28, 28, 1),
        "uint8",
        "--data-dir FOLDER of the four IDX .gz files, keras' cache or download",
        "Fashion-MNIST: Xiao, Rasul and Vollgraf 2017 (arXiv 1708.07747), licence MIT",
        load_fashion_mnist,
        10,
        tuple((KERAS_DATA_URL + name, sha256) for name, sha256 in FASHION_SHA256.items()),
    ),
    "cifar-10": Dataset(
        "cifar-10",
        "images",
        (32, 32, 3),
        "uint8",
        "--data-dir (binary version .tar.gz or cifar-10-batches-bin), keras' cache or download",
        "CIFAR-10: Alex Krizhevsky 2009, Learning Multiple Layers of Features from Tiny "
        "Images (https://www.cs.toronto.edu/~kriz/cifar.html)",
        load_cifar10,
        10,
        ((CIFAR_BINARY_URL, CIFAR_BINARY_SHA256),),
    ),
    "folder": Dataset(
        "folder",
        "images",
        None,
        "uint8",
        "--data-dir FOLDER of PNG, JPEG, BMP or GIF files (searched recursively)",
        "your own images: their licence is yours to check",
        None,
        None,
    ),
    "8gaussians": Dataset(
        "8gaussians", "points", (2,), "real", "sampled", _GULRAJANI, eight_gaussians, 8
    ),
    "25gaussians": Dataset(
        "25gaussians", "points", (2,), "real", "sampled", _GULRAJANI, twenty_five_gaussians, 25
    ),
    "swissroll": Dataset(
        "swissroll", "points", (2,), "real", "sampled", _GULRAJANI, swiss_roll, None
    ),
}
DATASET_ALIASES = {"cifar10": "cifar-10", "fashion_mnist": "fashion-mnist"}
DATASET_NAMES = tuple(DATASETS) + tuple(DATASET_ALIASES)
TOY_DATASETS = tuple(name for name, entry in DATASETS.items() if entry.kind == "points")
IMAGE_DATASETS = tuple(name for name, entry in DATASETS.items() if entry.kind == "images")


def get_dataset(name):
    """The registry entry of `name` (aliases such as "cifar10" accepted).

    Args:
        name: a name or alias of `DATASETS`, or a `Dataset` entry (returned as it is).

    Raises:
        ValueError: unknown name, listing the known ones.
    """
    if isinstance(name, Dataset):
        return name
    name = DATASET_ALIASES.get(name, name)
    if name not in DATASETS:
        raise ValueError(f"dataset must be one of {DATASET_NAMES}, got {name!r}")
    return DATASETS[name]


def dataset_image_shape(name, image_size=None, channels=None):
    """The (H, W, C) a data set is trained at: its own shape, or the size/channels asked.

    A folder defaults to 64x64x3 (the CelebA WGAN's default); other sets keep their shape
    unless `image_size` (one of `IMAGE_SIZES`) or `channels` (one of `CHANNELS`) convert them.

    Args:
        name: a name or alias of `DATASETS`, or a `Dataset` entry.

    Raises:
        ValueError: unknown name, a toy set (no images), a size or channel count not allowed.
    """
    entry = get_dataset(name)
    if entry.kind != "images":
        raise ValueError(f"dataset {entry.name!r} holds 2-D points, not images")
    height, _, depth = entry.image_shape or (64, 64, 3)
    size = height if image_size is None else check_choice(image_size, "image_size", IMAGE_SIZES)
    depth = depth if channels is None else check_choice(channels, "channels", CHANNELS)
    return (size, size, depth)


def toy_samples(name, n, seed=None, labels=False):
    """n points of the 2-D toy set `name` (one of TOY_DATASETS, or its entry), (n, 2) float32.

    With `labels`, (points, modes): the mode (int32 (n,)) each point was drawn from, for the
    sets that have modes (`num_classes` in the registry).

    Raises:
        ValueError: unknown set, or labels asked of a set without modes (the Swiss roll).

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    entry = get_dataset(name) if isinstance(name, Dataset) or name in TOY_DATASETS else None
    if entry is None or entry.kind != "points":
        shown = name if entry is None else entry.name
        raise ValueError(f"toy dataset must be one of {TOY_DATASETS}, got {shown!r}")
    if not labels:
        return entry.load(n, seed=seed)
    if entry.num_classes is None:
        moded = tuple(key for key in TOY_DATASETS if DATASETS[key].num_classes)
        raise ValueError(
            f"a conditional model needs a toy set with modes {moded}, got dataset {entry.name!r}"
        )
    return entry.load(n, seed=seed, labels=True)
