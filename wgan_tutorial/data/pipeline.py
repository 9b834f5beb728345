"""From a registry data set to what training and scoring read: `tf.data` pipelines in
[-1, 1] and uint8 arrays of real images.

- `image_source` / `labelled_source`: a data set's images (and labels) as stored, with the
  shape to train at; `image_dataset` / `labelled_dataset`: shuffled, batched, converted
  (`convert_images`) pipelines; `mnist_dataset`: the same pipeline for MNIST digits;
  `real_images`: real images for FID/KID.
- `prefetched`: the last stage of every pipeline that `fit` reads.
- `check_batch_size`: a set smaller than a batch is cycled through, not refused; fewer
  than `MIN_IMAGES` images are refused, saying which option to change.

TensorFlow is imported inside the functions that need it, so importing this module is cheap.

Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/06_your_own_images.ipynb.
"""

import numpy as np

from wgan_tutorial.config import check_number, import_tensorflow
from wgan_tutorial.data.checks import check_labels
from wgan_tutorial.data.folder import ImageFolder
from wgan_tutorial.data.mnist import load_mnist
from wgan_tutorial.data.registry import DATASETS, dataset_image_shape, get_dataset


def prefetched(dataset):
    """The last stage of every pipeline that `fit` reads: prefetching, with tf.data's
    autotuning switched off (`tf.data.Options().autotune.enabled = False`).

    With autotuning on (TensorFlow's default) a thread re-tunes the pipeline at doubling
    intervals, and `fit` often returned only at that thread's next wake-up, seconds after its
    last step (issue #14); with it off the steps are as fast.
    Measured: benchmarks/RESULTS.md, section 'tf.data autotuning and the stall after fit'.

    Args:
        dataset: a `tf.data.Dataset`.

    Returns:
        The dataset, prefetched (`tf.data.AUTOTUNE`), with autotuning off.
    """
    tf = import_tensorflow()
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.prefetch(tf.data.AUTOTUNE).with_options(options)


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


def _subset(images_and_labels, max_images, seed):
    images, labels = images_and_labels
    if max_images is not None:
        max_images = check_number(max_images, "max_images", 1, integer=True)
        if max_images < len(images):
            keep = np.sort(
                np.random.default_rng(seed).choice(len(images), max_images, replace=False)
            )
            images, labels = images[keep], labels[keep]
    return images, labels


def image_source(
    name, split="train", data_dir=None, image_size=None, channels=None, max_images=None, seed=0
):
    """The images of a registry data set, without converting them: an array or a folder.

    Args:
        name: a name or alias of `DATASETS`, or a `Dataset` entry.

    Returns:
        (source, image_shape): source a uint8 array (N, H, W, C) (the stored shape; labels
        dropped; `max_images` keeps a seeded random subset) or an `ImageFolder`;
        image_shape the (H, W, C) to train at (`dataset_image_shape`).

    Raises:
        ValueError: from the registry and the loaders.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    entry = get_dataset(name)
    shape = dataset_image_shape(entry, image_size, channels)
    if entry.name == "folder":
        if data_dir is None:
            raise ValueError("dataset 'folder' needs --data-dir (data_dir=) naming the folder")
        return ImageFolder(data_dir, shape[0], shape[2], max_images, seed), shape
    images, _ = _subset(entry.load(split, data_dir), max_images, seed)
    return images, shape


def labelled_source(
    name, split="train", data_dir=None, image_size=None, channels=None, max_images=None, seed=0
):
    """The images of a labelled registry data set with their labels (conditional models).

    Args:
        name: a name or alias of `DATASETS`, or a `Dataset` entry.

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
        labelled = [
            key for key, value in DATASETS.items() if value.kind == "images" and value.num_classes
        ]
        raise ValueError(
            f"a conditional model needs a labelled image data set "
            f"{tuple(labelled)}, got dataset {entry.name!r}"
        )
    shape = dataset_image_shape(entry, image_size, channels)
    images, labels = _subset(entry.load(split, data_dir), max_images, seed)
    return images, np.asarray(labels).astype(np.int32).reshape(-1), shape


# The fewest images a data set may have: a batch of copies of one image teaches a critic
# nothing about a distribution.
MIN_IMAGES = 2


def check_batch_size(batch_size, count):
    """`batch_size` as an int >= 1; a data set of fewer than `MIN_IMAGES` is refused.

    A batch larger than the `count` images is allowed: the pipelines then cycle through the
    images (`image_dataset`), so a small folder trains with the default batch size.
    """
    batch_size = check_number(batch_size, "batch_size", 1, integer=True)
    if count < MIN_IMAGES:
        raise ValueError(
            f"a data set needs at least {MIN_IMAGES} images to train on, found {count}: "
            f"add images to --data-dir, or give a larger --max-images"
        )
    return batch_size


def _batched(dataset, batch_size, repeat, convert, count):
    """repeat (forever, if asked), batch (dropping an incomplete last batch), convert, prefetch.

    With fewer than `batch_size` images (`count`), the images are repeated before batching
    even when `repeat` is False (enough passes for one batch), so a small set still gives
    batches; larger sets take the same path as before, batch for batch.
    """
    tf = import_tensorflow()
    if repeat:
        dataset = dataset.repeat()
    elif batch_size > count:
        dataset = dataset.repeat(-(-batch_size // count))
    dataset = dataset.batch(batch_size, drop_remainder=True)
    return prefetched(dataset.map(convert, num_parallel_calls=tf.data.AUTOTUNE))


def image_dataset(source, image_shape, batch_size, seed=0, repeat=True):
    """A shuffled, batched `tf.data.Dataset` of float32 images in [-1, 1] for GAN training.

    Args:
        source: a uint8 array (N, H, W, C) or an `ImageFolder` (from `image_source`).
        image_shape: (H', W', C') to deliver (see `convert_images`).
        batch_size: int >= 1; larger than N, the images are cycled through (a batch holds
            some twice). seed: shuffling seed. repeat: repeat forever.

    Returns:
        Dataset of float32 (batch_size, H', W', C') in [-1, 1] (last incomplete batch dropped).

    Raises:
        ValueError: batch_size out of range; fewer than `MIN_IMAGES` images; a folder none of
            whose files can be read.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    tf = import_tensorflow()
    batch_size = check_number(batch_size, "batch_size", 1, integer=True)
    if isinstance(source, ImageFolder) and not len(source.take(1)):
        # fail now, not inside tf.data, when nothing is readable
        raise ValueError(f"--data-dir {source.root}: none of its image files could be read")
    check_batch_size(batch_size, len(source))
    if isinstance(source, ImageFolder):
        passes = iter(range(10**9))
        dataset = tf.data.Dataset.from_generator(
            lambda: source.images(next(passes)),
            output_signature=tf.TensorSpec(source.image_shape, tf.uint8),
        )
        dataset = dataset.shuffle(min(len(source), 2048), seed=seed)
    else:
        dataset = tf.data.Dataset.from_tensor_slices(source)
        dataset = dataset.shuffle(len(source), seed=seed, reshuffle_each_iteration=True)
    return _batched(
        dataset, batch_size, repeat, lambda x: convert_images(x, image_shape), len(source)
    )


def labelled_dataset(images, labels, image_shape, batch_size, seed=0):
    """As `image_dataset` for an array, with the labels: batches of (float32 images, int32).

    Args:
        images: uint8 (N, H, W, C). labels: int (N,). image_shape: (H', W', C').
        batch_size: int >= 1 (cycling through the images when larger than N). seed: shuffling
            seed.

    Returns:
        Repeating Dataset of (float32 (batch_size, H', W', C') in [-1, 1], int32 (batch_size,)).

    Raises:
        ValueError: batch_size out of range, fewer than `MIN_IMAGES` images, or labels not
            one per image.

    Taught in notebooks/07_do_generated_digits_help.ipynb.
    """
    tf = import_tensorflow()
    batch_size = check_batch_size(batch_size, len(images))
    check_labels(labels, len(images), "labels")
    dataset = tf.data.Dataset.from_tensor_slices((images, np.asarray(labels, np.int32)))
    dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    return _batched(
        dataset, batch_size, True, lambda x, y: (convert_images(x, image_shape), y), len(images)
    )


def mnist_dataset(batch_size, split="train", path=None, limit=None, seed=0, repeat=True):
    """A shuffled, batched `tf.data.Dataset` of MNIST images for GAN training.

    `image_dataset` on the digits of `load_mnist` with a channel axis: the same batches, in
    the same order for the same seed, as every other image data set gets.

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

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    check_number(batch_size, "batch_size", 1, integer=True)  # before reading any file
    images, _ = load_mnist(split, path)
    if limit is not None:
        if limit < 1:
            raise ValueError(f"limit must be >= 1 or None, got {limit!r}")
        images = images[:limit]
    return image_dataset(images[..., None], (28, 28, 1), batch_size, seed=seed, repeat=repeat)


def real_images(source, image_shape, n, seed=0):
    """n real images as uint8 (n', H', W', C') for FID/KID (n' = min(n, available)).

    A seeded random subset of an array, or n readable files of a folder (`ImageFolder.take`).

    Taught in notebooks/06_your_own_images.ipynb.
    """
    n = check_number(n, "n", 1, integer=True)
    if isinstance(source, ImageFolder):
        images = source.take(n)
    else:
        keep = np.random.default_rng(seed).permutation(len(source))[:n]
        images = source[np.sort(keep)]
    converted = convert_images(images, image_shape).numpy()
    return np.rint((converted + 1.0) * 127.5).astype(np.uint8)
