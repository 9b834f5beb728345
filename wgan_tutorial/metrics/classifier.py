"""The package's MNIST classifier: building, loading and what it reads in images.

A small Keras CNN whose 128-d last hidden layer gives the "mnist" features of FID
(`extractors`): `build_classifier`, the shipped weights (`classifier_weights_path`,
`classifier_weights_hash`), `feature_extractor` (the trained model, cached), `classifier_outputs`
(its features and logits of a batch), and on MNIST-like images `features`,
`class_probabilities`, `classify`, `class_coverage` and `inception_score` (Salimans et al.
2016, arXiv 1606.03498, Section 4, computed with this classifier instead of Inception).
Training it (the `wgan-tutorial train-classifier` command) is in `classifier_training`.

Taught in notebooks/04_fid_evaluation.ipynb.
"""

import functools
import hashlib
from pathlib import Path

import numpy as np

from wgan_tutorial.config import assets_dir, check_number, import_tensorflow
from wgan_tutorial.metrics.images import (
    DEFAULT_BATCH_SIZE,
    MNIST_SHAPE,
    check_images,
    run_batches,
)

FEATURE_DIM = 128
NUM_CLASSES = 10
FEATURE_LAYER = "features"
WEIGHTS_FILE = "mnist_classifier.weights.h5"


def build_classifier():
    """The package's MNIST classifier (untrained): a small CNN whose 128-d layer gives features.

    Two 3x3 convolutions (32), max-pooling, two 3x3 convolutions (64), max-pooling, a dense
    layer of 128 units named "features" followed by a ReLU, dropout 0.5 (active in training
    only) and 10 logits. 197,482 parameters (0.8 MB in float32). The FID features are the
    dense layer's outputs before the ReLU (a classifier's late features, as the TTUR authors
    advise for MNIST, Heusel et al. 2017, arXiv 1706.08500): unlike the ReLU outputs, where
    units that never fire make the covariance singular, they span all 128 dimensions.

    Returns:
        An uncompiled `keras.Model` from float32 (B, 28, 28, 1) in [-1, 1] to logits (B, 10).

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    import_tensorflow()
    import keras
    from keras import layers

    inputs = keras.Input((28, 28, 1), name="images")
    x = layers.Conv2D(32, 3, activation="relu", name="conv1a")(inputs)
    x = layers.Conv2D(32, 3, activation="relu", name="conv1b")(x)
    x = layers.MaxPooling2D(name="pool1")(x)
    x = layers.Conv2D(64, 3, activation="relu", name="conv2a")(x)
    x = layers.Conv2D(64, 3, activation="relu", name="conv2b")(x)
    x = layers.MaxPooling2D(name="pool2")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(FEATURE_DIM, name=FEATURE_LAYER)(x)
    x = layers.Activation("relu", name="features_relu")(x)
    x = layers.Dropout(0.5, name="dropout")(x)
    logits = layers.Dense(NUM_CLASSES, name="logits")(x)
    return keras.Model(inputs, logits, name="mnist_classifier")


def with_features(classifier):
    """A model sharing `classifier`'s weights that returns (features, logits)."""
    import keras

    outputs = [classifier.get_layer(FEATURE_LAYER).output, classifier.outputs[0]]
    return keras.Model(classifier.inputs, outputs, name="mnist_features_and_logits")


def classifier_weights_path():
    """Path of the shipped classifier weights (`assets/classifier/mnist_classifier.weights.h5`)."""
    return assets_dir() / "classifier" / WEIGHTS_FILE


@functools.lru_cache(maxsize=4)
def _file_sha256(path, size, modified):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def classifier_weights_hash(path=None):
    """SHA-256 of the classifier weights file (a cache key for statistics of its features)."""
    path = Path(path) if path is not None else classifier_weights_path()
    stat = path.stat()
    return _file_sha256(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=2)
def _load_extractor(path):
    classifier = build_classifier()
    classifier.load_weights(path)
    return with_features(classifier)


def feature_extractor(weights=None):
    """The trained classifier as a model returning (features, logits), loaded once and cached.

    Args:
        weights: a `.weights.h5` file written by `wgan-tutorial train-classifier`, or None for
            the weights shipped in the package.

    Returns:
        `keras.Model` from float32 (B, 28, 28, 1) in [-1, 1] to (features (B, 128), logits
        (B, 10)). Call it with training=False (the functions of this package do).

    Raises:
        FileNotFoundError: the weights file does not exist.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    path = Path(weights) if weights is not None else classifier_weights_path()
    if not path.is_file():
        raise FileNotFoundError(
            f"classifier weights {path} not found; train them with "
            f"`wgan-tutorial train-classifier --out {path.parent}`"
        )
    return _load_extractor(str(path.resolve()))


@functools.lru_cache(maxsize=4)
def _inference_function(model):
    """`model(x, training=False)` as one traced graph for any batch size (no dropout)."""
    tf = import_tensorflow()
    return tf.function(
        lambda x: model(x, training=False),
        input_signature=[tf.TensorSpec((None, 28, 28, 1), tf.float32)],
    )


def classifier_outputs(batch, model=None):
    """The classifier's features and logits of a batch of images in [-1, 1].

    Images that are not 28x28 greyscale are converted first (`data.convert_images`: colour
    to luma 0.299 R + 0.587 G + 0.114 B, other sizes resized bilinearly with antialiasing):
    meaningful for digit-like images only.

    Args:
        batch: float32 (B, H, W, C) in [-1, 1], C in (1, 3).
        model: a model from `with_features`, or None for `feature_extractor()`.

    Returns:
        (features float32 (B, 128), logits float32 (B, 10)).
    """
    if batch.shape[1:] != MNIST_SHAPE:
        from wgan_tutorial.data import convert_images

        batch = convert_images((batch + 1.0) * 127.5, MNIST_SHAPE)
    forward = _inference_function(model if model is not None else feature_extractor())
    rows, logits = forward(batch)
    return rows.numpy(), logits.numpy()


def features_and_logits(
    images,
    batch_size=DEFAULT_BATCH_SIZE,
    value_range=None,
    progress=None,
    model=None,
    name="images",
):
    """Features (N, 128) float32 and logits (N, 10) float32 of MNIST-like images, batch by batch.

    Args: as `features`; model: as `classifier_outputs`; name: for error messages.
    """
    check_number(batch_size, "batch_size", 1, integer=True)
    images, value_range = check_images(images, value_range, name, MNIST_SHAPE)
    return run_batches(
        images,
        value_range,
        lambda batch: classifier_outputs(batch, model),
        batch_size,
        progress,
        "MNIST features",
    )


def features(images, batch_size=DEFAULT_BATCH_SIZE, value_range=None, progress=None):
    """The classifier's 128-d features of MNIST-like digits (its last hidden layer, before ReLU).

    The "mnist" features of `extractors.FEATURE_EXTRACTORS`, for 28x28 greyscale images only.
    Computed batch by batch (memory stays flat in N) with training=False (no dropout).

    Args:
        images: (N, 28, 28) or (N, 28, 28, 1), uint8 in [0, 255] or float in [-1, 1] or
            [0, 1] (see `image_value_range` for the rule when value_range is None).
        batch_size: images per forward pass, int >= 1.
        value_range: None (infer), "uint8", "[-1,1]" or "[0,1]".
        progress: show a progress bar (None: from 10,000 images on).

    Returns:
        float32 array (N, 128) (the "features" layer before its ReLU).

    Raises:
        ValueError: from `image_value_range`, or batch_size < 1.
        FileNotFoundError: the shipped classifier weights are missing.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    return features_and_logits(images, batch_size, value_range, progress)[0]


def softmax(logits):
    """Row-wise softmax of logits (N, K), in float64."""
    logits = np.asarray(logits, dtype=np.float64)
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def class_probabilities(images, batch_size=DEFAULT_BATCH_SIZE, value_range=None, progress=None):
    """p(y | x): the classifier's softmax probabilities of the 10 digit classes.

    Args: as `features`.

    Returns:
        float64 array (N, 10), rows summing to 1.

    Raises:
        ValueError: as `features`.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    return softmax(features_and_logits(images, batch_size, value_range, progress)[1])


def classify(images, batch_size=DEFAULT_BATCH_SIZE, value_range=None, progress=None):
    """The digit the classifier sees in each image (the argmax of its logits).

    Args: as `features`.

    Returns:
        int64 array (N,) of labels in [0, 9].

    Raises:
        ValueError: as `features`.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    return np.argmax(features_and_logits(images, batch_size, value_range, progress)[1], axis=1)


def coverage_from_logits(logits):
    """The fraction of rows whose argmax is each class: float64 (10,), from logits (N, 10)."""
    return np.bincount(np.argmax(logits, axis=1), minlength=NUM_CLASSES) / len(logits)


def class_coverage(images, batch_size=DEFAULT_BATCH_SIZE, value_range=None, progress=None):
    """Fraction of the images the classifier assigns to each digit (mode collapse shows here).

    A healthy MNIST generator gives about 0.1 per class; a collapsed one puts its mass on a
    few classes and leaves others near 0.

    Args: as `features`.

    Returns:
        float64 array (10,) of fractions in [0, 1] summing to 1; entry k is for digit k.

    Raises:
        ValueError: as `features`.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    labels = classify(images, batch_size, value_range, progress)
    return np.bincount(labels, minlength=NUM_CLASSES) / labels.size


def inception_score_from_logits(logits):
    """exp(E_x KL(p(y|x) || p(y))) from classifier logits (N, K); see `inception_score`."""
    p_given_x = softmax(logits)
    log_p_given_x = np.log(np.clip(p_given_x, 1e-30, None))
    log_p = np.log(np.clip(p_given_x.mean(axis=0), 1e-30, None))
    mean_kl = float(np.mean(np.sum(p_given_x * (log_p_given_x - log_p), axis=1)))
    return float(np.exp(max(mean_kl, 0.0)))


def inception_score(images, batch_size=DEFAULT_BATCH_SIZE, value_range=None, progress=None):
    """The Inception Score with the package's MNIST classifier: exp(E_x KL(p(y|x) || p(y))).

    Salimans et al. 2016 (arXiv 1606.03498), Section 4, with p(y | x) from this MNIST
    classifier instead of the Inception network and p(y) the mean of p(y | x) over the
    images. It lies in [1, 10]: high when each image is classified confidently (sharp
    p(y | x)) and all digits appear equally often (flat p(y)); real MNIST scores close to 10.
    It never looks at real data, so it cannot tell a copy of the training set from a good
    generator; not comparable with Inception-network scores.

    Args: as `features`.

    Returns:
        float in [1, 10].

    Raises:
        ValueError: as `features`.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    logits = features_and_logits(images, batch_size, value_range, progress)[1]
    return inception_score_from_logits(logits)
