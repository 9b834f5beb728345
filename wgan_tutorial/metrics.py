"""Scoring generated images: the Frechet distance, KID and the package's MNIST classifier.

The groups of functions in this module:

- The Frechet distance between two Gaussians fitted to features: `feature_statistics`
  (mean and unbiased covariance) and `frechet_distance` (Heusel et al. 2017, arXiv
  1706.08500, Section 3, the equation of the FID).
- The package's own MNIST classifier, a small Keras CNN whose 128-d last hidden layer gives
  the features: `build_classifier`, `train_classifier` (the `wgan-tutorial train-classifier`
  command; the shipped weights and the command that made them are in
  `assets/classifier/`), `feature_extractor`, `features`, `class_probabilities`,
  `classify`, `class_coverage` and `inception_score` (Salimans et al. 2016, arXiv
  1606.03498, Section 4, computed with this classifier instead of Inception).
- FID on images: `image_value_range` (the range rule), `fid`, `fid_to_real`,
  `real_statistics` (the MNIST side, cached in memory and on disk, of a fixed random subset
  `real_subset`) and `sample_report` (what `wgan-tutorial fid` prints).
- FID as a tool of the course: `real_vs_real_fid` (the sample-size bias; Chong and Forsyth
  2020, arXiv 1911.07023), `fid_tracker` (a Keras callback scoring a WGAN along training) and
  `w_estimate_vs_fid` (does the critic's W estimate track the FID?).

- Beyond MNIST: the feature-extractor registry `FEATURE_EXTRACTORS` ("mnist": this
  classifier; "inception": Keras' InceptionV3 with ImageNet weights, 2048-d pool features at
  299x299) behind `image_features`, and KID (Binkowski et al. 2018, arXiv 1801.01401,
  Section 3 and Appendix A): `kid_from_features` (the unbiased MMD^2 with the cubic
  polynomial kernel) and `kid` (averaged over random subsets, with its standard deviation).

FIDs computed with the "mnist" features compare models scored with this package, not
numbers from papers that used Inception features (the TTUR authors advise an own MNIST
classifier's late features for MNIST). The "inception" features come from Keras' InceptionV3,
whose numbers are close to, not identical with, those of the reference TF-FID graph (other
weights export and resizing); their weights need a network once (or keras' cache), and
without them the extractor says so in one line - it never switches to other features. Like
every FID, the value is biased upwards for small samples: compare models at equal sample
size only. KID has no such bias (its estimate is unbiased), which is why small runs quote it.

Taught in notebooks/04_fid_evaluation.ipynb and notebooks/06_your_own_images.ipynb.
"""
import collections
import functools
import hashlib
import os
import time
import warnings
from pathlib import Path

import numpy as np
from scipy import linalg

from wgan_tutorial.config import assets_dir, cache_dir, check_number, import_tensorflow
from wgan_tutorial.data import load_mnist

FEATURE_DIM = 128
NUM_CLASSES = 10
FEATURE_LAYER = "features"
WEIGHTS_FILE = "mnist_classifier.weights.h5"
LOG_FILE = "train_log.txt"

# Value ranges an image array may come in: name -> (low, high).
VALUE_RANGES = {"uint8": (0.0, 255.0), "[-1,1]": (-1.0, 1.0), "[0,1]": (0.0, 1.0)}
# Values may overshoot a range by this fraction of its width (float rounding), then are clipped.
RANGE_TOLERANCE = 1e-3

# Safeguards of the Frechet distance (as in pytorch-fid): the offset added to both covariances
# when the square root of their product is not finite, and the largest imaginary part on the
# diagonal of that square root still taken as rounding.
COVARIANCE_OFFSET = 1e-6
IMAGINARY_TOLERANCE = 1e-3
# Covariances may differ from their transpose by this much relative to their largest entry.
SYMMETRY_TOLERANCE = 1e-6

DEFAULT_BATCH_SIZE = 500
# `features` and friends show a progress bar from this many images on (progress=None).
PROGRESS_MIN_IMAGES = 10_000

# The seed of the fixed random subsets of real digits (`real_subset`).
REAL_SUBSET_SEED = 0

# In-memory cache of `real_statistics`: key -> (mu, sigma).
_REAL_STATISTICS = {}


# ---------------------------------------------------------------------------------------
# The Frechet distance between two Gaussians.
# ---------------------------------------------------------------------------------------


def _finite_float64(name, value, ndim):
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real {ndim}-D array, got {type(value).__name__}") from None
    if array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got a NaN or infinite entry")
    return array


def _check_gaussian(mu_name, mu, sigma_name, sigma):
    mu = _finite_float64(mu_name, mu, 1)
    sigma = _finite_float64(sigma_name, sigma, 2)
    if mu.size == 0:
        raise ValueError(f"{mu_name} must have at least one entry, got shape {mu.shape}")
    if sigma.shape[0] != sigma.shape[1]:
        raise ValueError(f"{sigma_name} must be square, got shape {sigma.shape}")
    if sigma.shape[0] != mu.size:
        raise ValueError(f"{sigma_name} must have shape ({mu.size}, {mu.size}) to match {mu_name}, "
                         f"got {sigma.shape}")
    asymmetry = float(np.max(np.abs(sigma - sigma.T)))
    if asymmetry > SYMMETRY_TOLERANCE * max(1.0, float(np.max(np.abs(sigma)))):
        raise ValueError(f"{sigma_name} must be a symmetric covariance matrix, got |S - S^T| up to "
                         f"{asymmetry:.3g}")
    return mu, sigma


def _quiet_sqrtm(matrix):
    """`scipy.linalg.sqrtm` without its LinAlgWarning for singular matrices: the product of
    two covariances of a degenerate set is singular, yet its square root is well defined
    (e.g. 0 for 0), and `frechet_distance` checks the result itself."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        return linalg.sqrtm(matrix)


def frechet_distance(mu1, sigma1, mu2, sigma2):
    """The Frechet (2-Wasserstein) distance squared between N(mu1, sigma1) and N(mu2, sigma2).

    d^2 = ||mu1 - mu2||^2 + Tr(sigma1 + sigma2 - 2 (sigma1 sigma2)^(1/2)), the equation of the
    FID in Heusel et al. 2017 (arXiv 1706.08500), Section 3. Computed in float64 with
    `scipy.linalg.sqrtm`. Safeguards: if the square root is not finite (singular
    covariances), it is recomputed with 1e-6 * I added to both covariances; an imaginary
    part (rounding) is dropped when its diagonal stays below 1e-3 in absolute value.
    Rounding can bring identical Gaussians a hair below 0: the result is clipped at 0.

    Args:
        mu1, mu2: means, finite arrays of shape (d,).
        sigma1, sigma2: covariances, finite symmetric arrays of shape (d, d) (positive
            semi-definite, e.g. from `feature_statistics`).

    Returns:
        float >= 0, in squared feature units.

    Raises:
        ValueError: a wrong shape, a non-square, asymmetric or non-finite covariance, a
            non-finite mean (each naming the parameter), or a square root whose imaginary
            part is not negligible (the covariances are not positive semi-definite).

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    mu1, sigma1 = _check_gaussian("mu1", mu1, "sigma1", sigma1)
    mu2, sigma2 = _check_gaussian("mu2", mu2, "sigma2", sigma2)
    if mu1.shape != mu2.shape:
        raise ValueError(f"mu1 and mu2 must have the same shape, got {mu1.shape} and {mu2.shape}")
    root = _quiet_sqrtm(sigma1 @ sigma2)
    if not np.all(np.isfinite(root)):
        offset = COVARIANCE_OFFSET * np.eye(mu1.size)
        root = _quiet_sqrtm((sigma1 + offset) @ (sigma2 + offset))
    if np.iscomplexobj(root):
        imaginary = float(np.max(np.abs(np.diag(root).imag)))
        if imaginary > IMAGINARY_TOLERANCE:
            raise ValueError(f"the square root of sigma1 @ sigma2 has an imaginary part up to "
                             f"{imaginary:.3g} (> {IMAGINARY_TOLERANCE:g}): are the covariances "
                             f"positive semi-definite?")
        root = root.real
    difference = mu1 - mu2
    value = difference @ difference + np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(root)
    return max(float(value), 0.0)


def feature_statistics(features):
    """Mean and unbiased covariance of a set of feature vectors (the Gaussian FID fits).

    The Gaussian of Heusel et al. 2017 (arXiv 1706.08500), Section 3, fitted by its sample
    mean and unbiased (1 / (N - 1)) covariance, in float64.

    Args:
        features: finite array of shape (N, d) with N >= 2 (one row per image).

    Returns:
        (mu, sigma): float64 arrays of shapes (d,) and (d, d).

    Raises:
        ValueError: not a finite 2-D array, or fewer than 2 rows.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    features = _finite_float64("features", features, 2)
    if features.shape[0] < 2:
        raise ValueError(f"features must have at least 2 rows (N >= 2) for a covariance, "
                         f"got {features.shape[0]}")
    mu = features.mean(axis=0)
    centred = features - mu
    sigma = centred.T @ centred / (features.shape[0] - 1)
    return mu, sigma


# ---------------------------------------------------------------------------------------
# Image arrays: shapes and value ranges.
# ---------------------------------------------------------------------------------------


def image_value_range(images, value_range=None, name="images"):
    """Check the shape and value range of MNIST-like images; infer the range if not given.

    The rule when `value_range` is None: an integer array is read as [0, 255] (uint8);
    a float array with a negative value as [-1, 1] (the models' tanh range); a float array
    with no negative value as [0, 1] - a [-1, 1] MNIST digit has its background at -1, so
    it always has negative values. Values outside the range (beyond 0.1 % of its width)
    raise, naming the range found; there is no silent rescaling.

    Args:
        images: array of shape (N, 28, 28) or (N, 28, 28, 1), N >= 1, finite, integer or
            float.
        value_range: None (infer), "uint8" (0-255, integer or float dtype), "[-1,1]" or
            "[0,1]".
        name: the parameter name used in error messages.

    Returns:
        (images of shape (N, 28, 28), the range name).

    Raises:
        ValueError: unknown value_range; wrong shape or dtype; non-finite values; values
            outside the given or inferred range (the message gives the range found).

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    if value_range is not None and value_range not in VALUE_RANGES:
        raise ValueError(f"value_range must be None or one of {tuple(VALUE_RANGES)}, got {value_range!r}")
    if not hasattr(images, "shape") or not hasattr(images, "dtype"):
        raise ValueError(f"{name} must be an array of shape (N, 28, 28) or (N, 28, 28, 1), "
                         f"got {type(images).__name__}")
    images = np.asarray(images)
    shape = images.shape
    if images.ndim == 4 and shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3 or images.shape[1:] != (28, 28) or images.shape[0] == 0:
        raise ValueError(f"{name} must have shape (N, 28, 28) or (N, 28, 28, 1) with N >= 1, got {shape}")
    integer = np.issubdtype(images.dtype, np.integer)
    if not (integer or np.issubdtype(images.dtype, np.floating)) or images.dtype == np.bool_:
        raise ValueError(f"{name} must hold integers or floats, got dtype {images.dtype}")
    low, high = float(images.min()), float(images.max())
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError(f"{name} must be finite, got NaN or infinite values")
    if value_range is None:
        value_range = "uint8" if integer else ("[-1,1]" if low < 0 else "[0,1]")
    allowed_low, allowed_high = VALUE_RANGES[value_range]
    slack = RANGE_TOLERANCE * (allowed_high - allowed_low)
    if low < allowed_low - slack or high > allowed_high + slack:
        shown = f"0-255 ({value_range})" if value_range == "uint8" else value_range
        raise ValueError(f"{name} values lie in [{low:.4g}, {high:.4g}], outside the range {shown}; "
                         f"give images as uint8 in [0, 255] or floats in [-1, 1] or [0, 1]")
    return images, value_range


def _to_model_range(batch, value_range):
    """A batch (B, 28, 28) in `value_range` -> float32 (B, 28, 28, 1) in [-1, 1]."""
    batch = batch.astype(np.float32)
    if value_range == "uint8":
        batch = batch / 127.5 - 1.0
    elif value_range == "[0,1]":
        batch = 2.0 * batch - 1.0
    return np.clip(batch, -1.0, 1.0)[..., None]


# ---------------------------------------------------------------------------------------
# The MNIST classifier.
# ---------------------------------------------------------------------------------------


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


def _with_features(classifier):
    """A model sharing `classifier`'s weights that returns (features, logits)."""
    import keras

    return keras.Model(classifier.inputs, [classifier.get_layer(FEATURE_LAYER).output, classifier.outputs[0]],
                       name="mnist_features_and_logits")


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
    return _with_features(classifier)


def feature_extractor(weights=None):
    """The trained classifier as a model returning (features, logits), loaded once and cached.

    Args:
        weights: a `.weights.h5` file written by `wgan-tutorial train-classifier`, or None for
            the weights shipped in the package.

    Returns:
        `keras.Model` from float32 (B, 28, 28, 1) in [-1, 1] to (features (B, 128), logits
        (B, 10)). Call it with training=False (the functions of this module do).

    Raises:
        FileNotFoundError: the weights file does not exist.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    path = Path(weights) if weights is not None else classifier_weights_path()
    if not path.is_file():
        raise FileNotFoundError(f"classifier weights {path} not found; train them with "
                                f"`wgan-tutorial train-classifier --out {path.parent}`")
    return _load_extractor(str(path.resolve()))


@functools.lru_cache(maxsize=4)
def _inference_function(model):
    """`model(x, training=False)` as one traced graph for any batch size (no dropout)."""
    tf = import_tensorflow()
    return tf.function(lambda x: model(x, training=False),
                       input_signature=[tf.TensorSpec((None, 28, 28, 1), tf.float32)])


def _features_and_logits(images, batch_size=DEFAULT_BATCH_SIZE, value_range=None, progress=None,
                         model=None, name="images"):
    """Features (N, 128) float32 and logits (N, 10) float32, batch by batch (flat memory)."""
    from tqdm.auto import tqdm

    check_number(batch_size, "batch_size", 1, integer=True)
    images, value_range = image_value_range(images, value_range, name)
    forward = _inference_function(model if model is not None else feature_extractor())
    count = images.shape[0]
    feature_rows = np.empty((count, FEATURE_DIM), np.float32)
    logit_rows = np.empty((count, NUM_CLASSES), np.float32)
    show = count >= PROGRESS_MIN_IMAGES if progress is None else bool(progress)
    for start in tqdm(range(0, count, batch_size), desc="MNIST features", unit="batch",
                      disable=not show, leave=False):
        stop = min(start + batch_size, count)
        batch_features, batch_logits = forward(_to_model_range(images[start:stop], value_range))
        feature_rows[start:stop] = batch_features.numpy()
        logit_rows[start:stop] = batch_logits.numpy()
    return feature_rows, logit_rows


def features(images, batch_size=DEFAULT_BATCH_SIZE, value_range=None, progress=None):
    """The classifier's 128-d features of MNIST-like images (its last hidden layer, before the ReLU).

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
    return _features_and_logits(images, batch_size, value_range, progress)[0]


def _softmax(logits):
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
    return _softmax(_features_and_logits(images, batch_size, value_range, progress)[1])


def classify(images, batch_size=DEFAULT_BATCH_SIZE, value_range=None, progress=None):
    """The digit the classifier sees in each image (the argmax of its logits).

    Args: as `features`.

    Returns:
        int64 array (N,) of labels in [0, 9].

    Raises:
        ValueError: as `features`.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    return np.argmax(_features_and_logits(images, batch_size, value_range, progress)[1], axis=1)


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


def per_class_scores(images, requested, real_images, real_labels, value_range=None,
                     batch_size=DEFAULT_BATCH_SIZE):
    """How well a conditional generator draws each class: label agreement and per-class FID.

    Agreement: the share of the images of requested class k that the classifier reads as k.
    FID of class k: between the features of the images requested as k and those of the real
    images labelled k (Heusel et al. 2017, arXiv 1706.08500, Section 3, per class; biased
    upwards at small sizes like any FID, so compare at equal sizes).

    Args:
        images: generated digits (N, 28, 28[, 1]). requested: int (N,), the labels asked for.
        real_images, real_labels: the reference digits (e.g. the MNIST test split) and labels.
        value_range, batch_size: as `features`.

    Returns:
        dict: "agreement" float64 (10,), "overall_agreement" float, "fid" float64 (10,).

    Raises:
        ValueError: labels not one per image, or a class with fewer than 2 images.

    Taught in notebooks/07_do_generated_digits_help.ipynb.
    """
    requested = np.asarray(requested).reshape(-1)
    real_labels = np.asarray(real_labels).reshape(-1)
    features_fake, logits = _features_and_logits(images, batch_size, value_range, False)
    features_real = _features_and_logits(real_images, batch_size, None, False,
                                         name="real_images")[0]
    for name, labels, rows in (("requested", requested, features_fake),
                               ("real_labels", real_labels, features_real)):
        if labels.shape != (len(rows),):
            raise ValueError(f"{name} must hold one label per image ({len(rows)}), got "
                             f"shape {labels.shape}")
    agreement, fids = np.zeros(NUM_CLASSES), np.zeros(NUM_CLASSES)
    for k in range(NUM_CLASSES):
        fake_k, real_k = features_fake[requested == k], features_real[real_labels == k]
        if len(fake_k) < 2 or len(real_k) < 2:
            raise ValueError(f"class {k} needs at least 2 generated and 2 real images, got "
                             f"{len(fake_k)} and {len(real_k)}")
        agreement[k] = np.mean(np.argmax(logits[requested == k], axis=1) == k)
        fids[k] = frechet_distance(*feature_statistics(fake_k), *feature_statistics(real_k))
    overall = float(np.mean(np.argmax(logits, axis=1) == requested))
    return {"agreement": agreement, "overall_agreement": overall, "fid": fids}


def inception_score(images, batch_size=DEFAULT_BATCH_SIZE, value_range=None, progress=None):
    """The Inception Score computed with the package's MNIST classifier: exp(E_x KL(p(y|x) || p(y))).

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
    return _inception_score_from_logits(_features_and_logits(images, batch_size, value_range, progress)[1])


# ---------------------------------------------------------------------------------------
# FID on images, and the cached statistics of real MNIST.
# ---------------------------------------------------------------------------------------


def _check_sample_count(name, n, available=None):
    if n is None:
        return None
    n = check_number(n, name, 2, integer=True)
    if available is not None and n > available:
        raise ValueError(f"{name} must be <= {available} (the images available), got {n}")
    return int(n)


def real_subset(count, n):
    """Indices of the fixed random subset of n of `count` real digits that `real_statistics` uses.

    Drawn without replacement with the seed `REAL_SUBSET_SEED`, so that every call (and the
    cache) sees the same digits.

    Args:
        count: the number of digits available, int >= 1.
        n: int in [1, count].

    Returns:
        int64 array (n,) of distinct indices in [0, count).

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    return np.random.default_rng(REAL_SUBSET_SEED).permutation(count)[:n]


def real_statistics(split="test", n=None, path=None, batch_size=DEFAULT_BATCH_SIZE):
    """Feature statistics (mu, sigma) of real MNIST digits, cached in memory and on disk.

    n digits of the split drawn without replacement with a fixed seed (all when n is None),
    from `data.load_mnist`: MNIST's files are ordered by writer group (the first 5,000 test
    digits are cleaner than the last 5,000), so a prefix is no fair sample. The cache key is
    the digits' bytes (so the data source), n, and the classifier weights' SHA-256; the file
    lives in `config.cache_dir() / "fid_statistics"`.

    Args:
        split: "train" or "test".
        n: number of digits, int >= 2 and <= the split's size, or None for all.
        path: an MNIST file (see `data.load_mnist`), or None for the usual sources.
        batch_size: images per forward pass when computing.

    Returns:
        (mu, sigma): float64 arrays (128,) and (128, 128) (copies: safe to modify).

    Raises:
        ValueError: bad split, n or path.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    images, _ = load_mnist(split, path, verbose=False)
    n = _check_sample_count("n", n, len(images))
    if n is not None:
        images = images[real_subset(len(images), n)]
    digest = hashlib.sha256(images.tobytes())
    digest.update(classifier_weights_hash().encode())
    key = f"mnist_{split}_n{len(images)}_{digest.hexdigest()[:20]}"
    if key not in _REAL_STATISTICS:
        file = cache_dir() / "fid_statistics" / f"{key}.npz"
        try:
            with np.load(file, allow_pickle=False) as stored:
                statistics = (stored["mu"], stored["sigma"])
        except (OSError, KeyError, ValueError):  # absent or unreadable: compute and store
            statistics = feature_statistics(features(images, batch_size=batch_size))
            file.parent.mkdir(parents=True, exist_ok=True)
            partial = file.with_name(f"{key}.{os.getpid()}.partial.npz")
            np.savez(partial, mu=statistics[0], sigma=statistics[1])
            os.replace(partial, file)
        _REAL_STATISTICS[key] = statistics
    mu, sigma = _REAL_STATISTICS[key]
    return mu.copy(), sigma.copy()


def fid(images_a, images_b, value_range=None, batch_size=DEFAULT_BATCH_SIZE, progress=None):
    """FID between two sets of MNIST-like images, with the package's classifier features.

    The Frechet distance (Heusel et al. 2017, arXiv 1706.08500, Section 3) between Gaussians
    fitted to the 128-d features of each set. Biased upwards for small sets: compare FIDs
    computed at equal sizes.

    Args:
        images_a, images_b: (N, 28, 28) or (N, 28, 28, 1) with N >= 2, uint8 in [0, 255] or
            float in [-1, 1] or [0, 1].
        value_range: None (each array's range inferred by the rule of `image_value_range`)
            or one of "uint8", "[-1,1]", "[0,1]" for both.
        batch_size: images per forward pass, int >= 1.
        progress: show progress bars (None: from 10,000 images on).

    Returns:
        float >= 0.

    Raises:
        ValueError: fewer than 2 images, a bad shape or range (naming images_a or images_b).

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    statistics = []
    for name, images in (("images_a", images_a), ("images_b", images_b)):
        rows = _features_and_logits(images, batch_size, value_range, progress, name=name)[0]
        if rows.shape[0] < 2:
            raise ValueError(f"{name} must hold at least 2 images for a covariance, got {rows.shape[0]}")
        statistics.append(feature_statistics(rows))
    return frechet_distance(*statistics[0], *statistics[1])


def fid_to_real(images, split="test", n=None, path=None, value_range=None, batch_size=DEFAULT_BATCH_SIZE,
                progress=None):
    """FID between images and real MNIST digits, with the real statistics cached.

    Args:
        images: (N, 28, 28) or (N, 28, 28, 1) with N >= 2 (see `fid` for ranges).
        split, n, path: which real digits, as in `real_statistics` (n: a fixed random subset).
        value_range: None (infer) or one of "uint8", "[-1,1]", "[0,1]".
        batch_size: images per forward pass.
        progress: show a progress bar (None: from 10,000 images on).

    Returns:
        float >= 0.

    Raises:
        ValueError: fewer than 2 images, a bad shape or range, or from `real_statistics`.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    rows = _features_and_logits(images, batch_size, value_range, progress)[0]
    if rows.shape[0] < 2:
        raise ValueError(f"images must hold at least 2 images for a covariance, got {rows.shape[0]}")
    return frechet_distance(*feature_statistics(rows), *real_statistics(split, n, path, batch_size))


def _inception_score_from_logits(logits):
    p_given_x = _softmax(logits)
    log_p_given_x = np.log(np.clip(p_given_x, 1e-30, None))
    log_p = np.log(np.clip(p_given_x.mean(axis=0), 1e-30, None))
    mean_kl = float(np.mean(np.sum(p_given_x * (log_p_given_x - log_p), axis=1)))
    return float(np.exp(max(mean_kl, 0.0)))


def sample_report(images, real="test", n=None, path=None, value_range=None, batch_size=DEFAULT_BATCH_SIZE,
                  progress=None):
    """Everything the `wgan-tutorial fid` command prints about a set of generated digits.

    The FID to the real reference, the real-vs-real floor at the same N (the FID of a fixed random
    subset of N real digits of the other split against the same reference: what a perfect generator would
    score at this sample size), the class coverage and the Inception Score with the MNIST
    classifier - all from one pass of the classifier over the images.

    Args:
        images: generated digits, (N, 28, 28) or (N, 28, 28, 1) with N >= 2 (ranges as `fid`).
        real: "test" or "train" (the cached statistics of that split) or an array of real
            digits (same layout as images).
        n: use the first n images only (int >= 2), or all.
        path: an MNIST file (see `data.load_mnist`), or None for the usual sources.
        value_range: None (infer) or one of "uint8", "[-1,1]", "[0,1]", for `images`.
        batch_size: images per forward pass.
        progress: show progress bars (None: from 10,000 images on).

    Returns:
        dict: "n", "value_range", "fid", "floor", "floor_n" (the floor's N: less than n when
        the other split is smaller), "floor_split", "reference" (a description),
        "coverage" (float64 (10,)), "inception_score".

    Raises:
        ValueError: bad images, real or n.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    images, value_range = image_value_range(images, value_range)
    n = _check_sample_count("n", n, len(images))
    if n is not None:
        images = images[:n]
    if len(images) < 2:
        raise ValueError(f"images must hold at least 2 images for a covariance, got {len(images)}")
    rows, logits = _features_and_logits(images, batch_size, value_range, progress)
    if isinstance(real, str):
        if real not in ("train", "test"):
            raise ValueError(f"real must be 'train', 'test' or an array of images, got {real!r}")
        reference = real_statistics(real, None, path, batch_size)
        floor_split = "train" if real == "test" else "test"
        description = f"MNIST {real} split"
    else:
        real_rows = _features_and_logits(real, batch_size, None, progress, name="real")[0]
        if len(real_rows) < 2:
            raise ValueError(f"real must hold at least 2 images for a covariance, got {len(real_rows)}")
        reference = feature_statistics(real_rows)
        floor_split = "train"
        description = f"{len(real_rows)} real images given"
    available = len(load_mnist(floor_split, path, verbose=False)[0])
    floor_n = min(len(images), available)
    floor = frechet_distance(*real_statistics(floor_split, floor_n, path, batch_size), *reference)
    return {
        "n": len(images),
        "value_range": value_range,
        "fid": frechet_distance(*feature_statistics(rows), *reference),
        "floor": floor,
        "floor_n": floor_n,
        "floor_split": floor_split,
        "reference": description,
        "coverage": np.bincount(np.argmax(logits, axis=1), minlength=NUM_CLASSES) / len(images),
        "inception_score": _inception_score_from_logits(logits),
    }


def real_vs_real_fid(sizes, repeats=3, seed=0, path=None, pool=20_000, batch_size=DEFAULT_BATCH_SIZE):
    """FID between N training and N test digits for several N: the sample-size bias of FID.

    Both sets are real MNIST, so the true distance is close to 0 (the two splits differ a
    little); what is measured at size N is mostly the bias of the plug-in estimate, which
    falls like 1/N (Chong and Forsyth 2020, arXiv 1911.07023, Section 3). A straight-line
    fit of FID against 1/N extrapolates to N -> infinity. Features are computed once: for
    all test digits and for a random pool of training digits; each repeat draws fresh
    random subsets of both.

    Args:
        sizes: at least two increasing ints >= 2, each <= the test split's size.
        repeats: int >= 1, random draws per size.
        seed: int >= 0, seed of the draws.
        path: an MNIST file (see `data.load_mnist`), or None for the usual sources.
        pool: int >= max(sizes), training digits whose features are computed (or all).
        batch_size: images per forward pass.

    Returns:
        dict: "sizes" (int64 (K,)), "fid" (float64 (K, repeats)), "mean" and "std"
        ((K,), over the repeats), "slope" and "intercept" of the least-squares line
        mean FID = intercept + slope / N (the intercept is the extrapolated FID at N = inf).

    Raises:
        ValueError: sizes, repeats or pool out of range.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    train_images = load_mnist("train", path, verbose=False)[0]
    test_images = load_mnist("test", path, verbose=False)[0]
    sizes = np.asarray(sizes)
    if sizes.ndim != 1 or sizes.size < 2 or not np.issubdtype(sizes.dtype, np.integer) \
            or sizes.min() < 2 or np.any(np.diff(sizes) <= 0) or sizes.max() > len(test_images):
        raise ValueError(f"sizes must be at least two increasing integers in [2, {len(test_images)}] (a line is "
                         f"fitted through them), got {sizes.tolist()}")
    repeats = check_number(repeats, "repeats", 1, integer=True)
    pool = check_number(pool, "pool", int(sizes.max()), integer=True)  # at least the largest size
    rng = np.random.default_rng(seed)
    train_rows = features(train_images[rng.permutation(len(train_images))[:pool]], batch_size=batch_size)
    test_rows = features(test_images, batch_size=batch_size)
    values = np.empty((len(sizes), repeats))
    for i, size in enumerate(sizes):
        for r in range(repeats):
            a = train_rows[rng.choice(len(train_rows), size, replace=False)]
            b = test_rows[rng.choice(len(test_rows), size, replace=False)]
            values[i, r] = frechet_distance(*feature_statistics(a), *feature_statistics(b))
    mean = values.mean(axis=1)
    slope, intercept = np.polyfit(1.0 / sizes, mean, 1)
    return {"sizes": sizes.astype(np.int64), "fid": values, "mean": mean, "std": values.std(axis=1),
            "slope": float(slope), "intercept": float(intercept)}


def fid_tracker(every, n=2000, split="test", seed=0, path=None, batch_size=DEFAULT_BATCH_SIZE):
    """A Keras callback scoring a WGAN's generator with the FID along training.

    At the start, every `every` generator steps and at the end, it draws n images from the
    same fixed latent vectors (`models.sample` with `seed`) and computes their FID to the
    real split (`fid_to_real`, statistics cached), so that the curve shows the generator
    changing, not the sampling noise. Pass it to `training.train(callbacks=[...])`.

    Args:
        every: int >= 1, generator steps between two scores.
        n: images per score, int >= 2 (keep it fixed within a comparison: FID depends on n).
        split, path: the real reference, as in `real_statistics`.
        seed: int >= 0, seed of the latent vectors.
        batch_size: images per forward pass.

    Returns:
        A `keras.callbacks.Callback` for a `training.WGAN`; after training its `steps` and
        `fids` attributes hold the generator steps and the FIDs (lists of equal length).

    Raises:
        ValueError: every or n out of range.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    import_tensorflow()
    import keras

    every = check_number(every, "every", 1, integer=True)
    n = check_number(n, "n", 2, integer=True)

    class FIDTracker(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.steps, self.fids = [], []

        def _score(self):
            from wgan_tutorial.models import sample

            step = int(self.model.step)
            if self.steps and self.steps[-1] == step:
                return
            images = sample(self.model.sampler, n, seed=seed)
            self.fids.append(fid_to_real(images, split, None, path, "[-1,1]", batch_size, progress=False))
            self.steps.append(step)

        def on_train_begin(self, logs=None):
            self._score()

        def on_train_batch_end(self, batch, logs=None):
            if self.model.step % every == 0:
                self._score()

        def on_train_end(self, logs=None):
            self._score()

    return FIDTracker()


def w_estimate_vs_fid(steps, w_estimates, fid_steps, fid_values, window=50):
    """Does the critic's W estimate track the FID? Both at the same steps, and correlations.

    The W estimate of one step is noisy, so each FID step s gets the mean W estimate over
    the steps in (s - window, s]; FID steps with no W estimate there (step 0, before any
    training) are left out. Pearson's r measures a linear relation, Spearman's rho a
    monotone one (both `scipy.stats`).

    Args:
        steps, w_estimates: arrays (S,) of generator steps and the W estimate logged at
            each (as in `training.train`'s history); NaN estimates are skipped.
        fid_steps, fid_values: arrays (F,) (as a `fid_tracker`'s steps and fids).
        window: int >= 1, steps averaged per FID step.

    Returns:
        dict: "steps" and "fid" (the FID steps kept, (K,)), "w_estimate" ((K,), the mean
        W estimates), "pearson" and "spearman" (floats; NaN when K < 3).

    Raises:
        ValueError: shapes that do not match, or window < 1.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    from scipy import stats

    steps, w_estimates = np.asarray(steps), np.asarray(w_estimates, dtype=np.float64)
    fid_steps, fid_values = np.asarray(fid_steps), np.asarray(fid_values, dtype=np.float64)
    if steps.shape != w_estimates.shape or steps.ndim != 1:
        raise ValueError(f"steps and w_estimates must be 1-D of equal length, got {steps.shape} and "
                         f"{w_estimates.shape}")
    if fid_steps.shape != fid_values.shape or fid_steps.ndim != 1:
        raise ValueError(f"fid_steps and fid_values must be 1-D of equal length, got {fid_steps.shape} and "
                         f"{fid_values.shape}")
    window = check_number(window, "window", 1, integer=True)
    kept_steps, kept_fid, kept_w = [], [], []
    for step, value in zip(fid_steps, fid_values):
        inside = (steps > step - window) & (steps <= step) & np.isfinite(w_estimates)
        if inside.any():
            kept_steps.append(step)
            kept_fid.append(value)
            kept_w.append(w_estimates[inside].mean())
    kept_fid, kept_w = np.asarray(kept_fid), np.asarray(kept_w)
    enough = len(kept_fid) >= 3
    return {
        "steps": np.asarray(kept_steps, dtype=np.int64),
        "fid": kept_fid,
        "w_estimate": kept_w,
        "pearson": float(stats.pearsonr(kept_w, kept_fid)[0]) if enough else float("nan"),
        "spearman": float(stats.spearmanr(kept_w, kept_fid)[0]) if enough else float("nan"),
    }


# ---------------------------------------------------------------------------------------
# Training the classifier (the `wgan-tutorial train-classifier` command).
# ---------------------------------------------------------------------------------------


def _epoch_logger(epochs, steps, log):
    """A Keras callback: a tqdm bar per epoch and one summary line through `log`."""
    import keras
    from tqdm.auto import tqdm

    class EpochLog(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()
            self.bar = tqdm(total=steps, desc=f"epoch {epoch + 1}/{epochs}", unit="batch", leave=False)

        def on_train_batch_end(self, batch, logs=None):
            self.bar.update(1)

        def on_epoch_end(self, epoch, logs=None):
            self.bar.close()
            log(f"epoch {epoch + 1}/{epochs}: loss {logs['loss']:.4f}, training accuracy "
                f"{100 * logs['accuracy']:.2f} %, {time.perf_counter() - self.started:.0f} s")

    return EpochLog()


def classifier_weights_file(dataset="mnist"):
    """The weights file name `train-classifier` writes: mnist_classifier.weights.h5, or
    fashion_mnist_classifier.weights.h5 for Fashion-MNIST."""
    return WEIGHTS_FILE if dataset == "mnist" else f"{dataset.replace('-', '_')}_classifier.weights.h5"


def train_classifier(path=None, epochs=8, batch_size=128, learning_rate=1e-3, seed=0, limit=None, log=print,
                     dataset="mnist"):
    """Train the package's classifier on a training split and score it on the test split.

    Adam with a cosine decay of the learning rate to 0 over the run, cross-entropy on the
    logits, shuffling seeded by `seed` (`config.seed_everything`). The test split is used
    only for the final accuracy, never for choices during training.

    Args:
        path: an MNIST file (see `data.load_mnist`), or None for the usual sources.
        epochs: passes over the training digits, int >= 1.
        batch_size: int >= 1.
        learning_rate: Adam's initial learning rate, float > 0.
        seed: int >= 0.
        limit: train on the first `limit` training digits only (int >= 1), or all.
        log: called with each line of the report (epochs, test accuracy).
        dataset: "mnist" or another 28x28 greyscale set of the registry ("fashion-mnist"), whose
            `path` is then its `data_dir`.

    Returns:
        (classifier, report): the trained `keras.Model` (logits, uncompiled: saving its
        weights stores no optimizer state) and a dict with
        "test_accuracy" (fraction), "train_size", "test_size", "seconds".

    Raises:
        ValueError: an argument out of range, or from `load_mnist`.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    from wgan_tutorial.config import seed_everything
    from wgan_tutorial.data import prefetched, to_float_images

    tf = import_tensorflow()
    import keras

    epochs = check_number(epochs, "epochs", 1, integer=True)
    batch_size = check_number(batch_size, "batch_size", 1, integer=True)
    if not (isinstance(learning_rate, (int, float)) and np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a finite number > 0, got {learning_rate!r}")
    if limit is not None:
        limit = check_number(limit, "limit", 1, integer=True)
    from wgan_tutorial.data import get_dataset

    entry = get_dataset(dataset)
    if entry.image_shape != (28, 28, 1):
        raise ValueError(f"dataset must be a 28x28 greyscale set (mnist, fashion-mnist), got {dataset!r}")
    seed_everything(seed)
    started = time.perf_counter()
    (train_images, train_labels), (test_images, test_labels) = (
        (images[..., 0], labels) for images, labels in (entry.load(split, path) for split in ("train", "test")))
    if limit is not None:
        train_images, train_labels = train_images[:limit], train_labels[:limit]
    steps = -(-len(train_images) // batch_size)
    dataset = prefetched(
        tf.data.Dataset.from_tensor_slices((to_float_images(train_images), train_labels.astype(np.int32)))
        .shuffle(len(train_images), seed=seed, reshuffle_each_iteration=True)
        .batch(batch_size))
    classifier = build_classifier()
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=epochs * steps)
    classifier.compile(optimizer=keras.optimizers.Adam(schedule),
                       loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                       metrics=["accuracy"])
    log(f"training on {len(train_images)} digits, testing on {len(test_images)}: {epochs} epochs of "
        f"{steps} batches of {batch_size}, Adam({learning_rate:g}) with cosine decay, seed {seed}")
    classifier.fit(dataset, epochs=epochs, verbose=0, shuffle=False,  # the dataset shuffles itself
                   callbacks=[_epoch_logger(epochs, steps, log)])
    logits = _features_and_logits(test_images, model=_with_features(classifier), progress=False)[1]
    accuracy = float(np.mean(np.argmax(logits, axis=1) == test_labels))
    seconds = time.perf_counter() - started
    log(f"test accuracy: {100 * accuracy:.2f} % ({int(round(accuracy * len(test_images)))}/{len(test_images)}), "
        f"{seconds:.0f} s in all")
    inference_only = build_classifier()  # without the optimizer's state: a third of the size on disk
    inference_only.set_weights(classifier.get_weights())
    return inference_only, {"test_accuracy": accuracy, "train_size": len(train_images),
                        "test_size": len(test_images), "seconds": seconds}


# ---------------------------------------------------------------------------------------
# Feature extractors beyond MNIST, and KID.
# ---------------------------------------------------------------------------------------

INCEPTION_SIZE = 299
INCEPTION_DIM = 2048
INCEPTION_BATCH_SIZE = 50
INCEPTION_WEIGHTS_FILE = "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"
INCEPTION_WEIGHTS_URL = ("https://storage.googleapis.com/tensorflow/keras-applications/"
                         "inception_v3/" + INCEPTION_WEIGHTS_FILE)


def _as_model_input(images, value_range, name):
    """Any (N, H, W[, C]) image array in a known range -> float32 (N, H, W, C) in [-1, 1]."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3) or images.shape[0] == 0:
        raise ValueError(f"{name} must have shape (N, H, W), (N, H, W, 1) or (N, H, W, 3) "
                         f"with N >= 1, got {images.shape}")
    if not (np.issubdtype(images.dtype, np.integer) or np.issubdtype(images.dtype, np.floating)):
        raise ValueError(f"{name} must hold integers or floats, got dtype {images.dtype}")
    low, high = float(images.min()), float(images.max())
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError(f"{name} must be finite, got NaN or infinite values")
    if value_range is None:
        integer = np.issubdtype(images.dtype, np.integer)
        value_range = "uint8" if integer else ("[-1,1]" if low < 0 else "[0,1]")
    if value_range not in VALUE_RANGES:
        raise ValueError(f"value_range must be None or one of {tuple(VALUE_RANGES)}, "
                         f"got {value_range!r}")
    allowed_low, allowed_high = VALUE_RANGES[value_range]
    slack = RANGE_TOLERANCE * (allowed_high - allowed_low)
    if low < allowed_low - slack or high > allowed_high + slack:
        raise ValueError(f"{name} values lie in [{low:.4g}, {high:.4g}], outside {value_range}")
    return images, value_range


def _batched(images, value_range, batch_size, forward, dim, desc, progress):
    """forward(float32 batch in [-1, 1], (B, H, W, C)) -> (B, dim), over all images."""
    from tqdm.auto import tqdm

    rows = np.empty((len(images), dim), np.float32)
    show = len(images) >= PROGRESS_MIN_IMAGES if progress is None else bool(progress)
    for start in tqdm(range(0, len(images), batch_size), desc=desc, unit="batch",
                      disable=not show, leave=False):
        batch = images[start:start + batch_size].astype(np.float32)
        low, high = VALUE_RANGES[value_range]
        batch = np.clip(2.0 * (batch - low) / (high - low) - 1.0, -1.0, 1.0)
        rows[start:start + len(batch)] = forward(batch)
    return rows


def mnist_features(images, batch_size=DEFAULT_BATCH_SIZE, value_range=None, progress=None):
    """The MNIST classifier's 128-d features of any images, converted to 28x28 greyscale.

    Colour images become their luma (0.299 R + 0.587 G + 0.114 B), other sizes are resized
    (bilinear, antialiased) to 28x28: meaningful for digit-like images; for photographs use
    "inception".

    Args:
        images: (N, H, W[, C]), C in (1, 3), uint8 or floats in [-1, 1] / [0, 1].
        batch_size, value_range, progress: as `features`.

    Returns:
        float32 array (N, 128).

    Taught in notebooks/06_your_own_images.ipynb.
    """
    from wgan_tutorial.data import convert_images

    check_number(batch_size, "batch_size", 1, integer=True)
    images, value_range = _as_model_input(images, value_range, "images")
    forward = _inference_function(feature_extractor())

    def to_features(batch):
        batch = convert_images((batch + 1.0) * 127.5, (28, 28, 1))
        return forward(batch)[0].numpy()

    return _batched(images, value_range, batch_size, to_features, FEATURE_DIM, "MNIST features",
                    progress)


def inception_weights_path():
    """Where keras keeps InceptionV3's ImageNet weights (no classifier top)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "models" / INCEPTION_WEIGHTS_FILE


@functools.lru_cache(maxsize=2)
def inception_model(weights="imagenet"):
    """Keras' InceptionV3 without its top, average-pooled: (B, 299, 299, 3) in [-1, 1] -> (B, 2048).

    Szegedy et al. 2016 (arXiv 1512.00567); the pool_3 features of Heusel et al. 2017
    (arXiv 1706.08500). `weights=None` gives random weights (for tests of the plumbing only:
    their numbers mean nothing).

    Raises:
        ValueError: the ImageNet weights are not in keras' cache and cannot be downloaded,
            in one line that says how to get them.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    from wgan_tutorial.data import _host_answers

    if weights == "imagenet" and not inception_weights_path().is_file() \
            and not _host_answers(INCEPTION_WEIGHTS_URL):
        raise ValueError(
            f"Inception features need the InceptionV3 ImageNet weights, which are not in "
            f"keras' cache and cannot be downloaded here (offline): download "
            f"{INCEPTION_WEIGHTS_URL} into $KERAS_HOME/models (~/.keras/models), or use "
            f"--features mnist")
    import_tensorflow()
    import keras

    try:
        return keras.applications.InceptionV3(include_top=False, weights=weights,
                                              input_shape=(INCEPTION_SIZE, INCEPTION_SIZE, 3),
                                              pooling="avg")
    except Exception as error:  # a failed download or a damaged weights file
        from wgan_tutorial.config import error_summary

        raise ValueError(f"Inception weights could not be loaded ({error_summary(error)}); "
                         f"download {INCEPTION_WEIGHTS_URL} into $KERAS_HOME/models") from None


def inception_features(images, batch_size=INCEPTION_BATCH_SIZE, value_range=None,
                       progress=None, weights="imagenet"):
    """InceptionV3 2048-d pool features of any images (resized to 299x299, grey -> RGB).

    Images in [-1, 1] are InceptionV3's own input range (keras' `preprocess_input`).
    Close to, not identical with, the reference TF-FID graph's features.

    Args:
        images: (N, H, W[, C]), C in (1, 3), uint8 or floats in [-1, 1] / [0, 1].
        batch_size: images per forward pass (default 50: 299x299 inputs are large).
        value_range, progress: as `features`.
        weights: "imagenet", or None for random weights (tests of the plumbing only).

    Returns:
        float32 array (N, 2048).

    Raises:
        ValueError: bad images; weights unavailable (see `inception_model`).

    Taught in notebooks/06_your_own_images.ipynb.
    """
    check_number(batch_size, "batch_size", 1, integer=True)
    images, value_range = _as_model_input(images, value_range, "images")
    model = inception_model(weights)
    tf = import_tensorflow()
    resize = tf.function(lambda x: model(tf.image.resize(
        tf.repeat(x, 3 // x.shape[-1], axis=-1), (INCEPTION_SIZE, INCEPTION_SIZE),
        method="bilinear"), training=False), reduce_retracing=True)
    return _batched(images, value_range, batch_size, lambda b: resize(b).numpy(),
                    INCEPTION_DIM, "Inception features", progress)


FeatureExtractor = collections.namedtuple("FeatureExtractor", "name dim description features")
FEATURE_EXTRACTORS = {
    "mnist": FeatureExtractor("mnist", FEATURE_DIM, "the package's MNIST classifier (128-d)",
                              mnist_features),
    "inception": FeatureExtractor("inception", INCEPTION_DIM,
                                  "Keras InceptionV3, ImageNet weights (2048-d pool features)",
                                  inception_features),
}


def image_features(images, features="mnist", value_range=None, progress=None):
    """Features of images from the extractor named `features` (see `FEATURE_EXTRACTORS`).

    Raises:
        ValueError: unknown extractor, bad images, or the extractor unavailable.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    if features not in FEATURE_EXTRACTORS:
        raise ValueError(f"features must be one of {tuple(FEATURE_EXTRACTORS)}, "
                         f"got {features!r}")
    return FEATURE_EXTRACTORS[features].features(images, value_range=value_range,
                                                 progress=progress)


def kid_from_features(features_a, features_b):
    """KID: the unbiased estimate of MMD^2 with the kernel k(x, y) = (x.y / d + 1)^3.

    Binkowski et al. 2018 (arXiv 1801.01401), Section 3 (KID) with the unbiased MMD^2 of
    Gretton et al. 2012 (JMLR 13, Lemma 6): over all pairs,
    sum_{i != j} k(x_i, x_j) / (m (m - 1)) + sum_{i != j} k(y_i, y_j) / (n (n - 1))
    - 2 sum_{i, j} k(x_i, y_j) / (m n). It can be slightly negative when the sets agree.

    Args:
        features_a: (m, d) finite floats, m >= 2. features_b: (n, d), n >= 2.

    Returns:
        float.

    Raises:
        ValueError: not 2-D, fewer than 2 rows, or different d.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    a = _finite_float64("features_a", features_a, 2)
    b = _finite_float64("features_b", features_b, 2)
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"features_a and features_b must have the same width, got "
                         f"{a.shape[1]} and {b.shape[1]}")
    if len(a) < 2 or len(b) < 2:
        raise ValueError(f"features_a and features_b need at least 2 rows each, got "
                         f"{len(a)} and {len(b)}")
    d = a.shape[1]
    m, n = len(a), len(b)
    k_aa = (a @ a.T / d + 1.0) ** 3
    k_bb = (b @ b.T / d + 1.0) ** 3
    k_ab = (a @ b.T / d + 1.0) ** 3
    return float((k_aa.sum() - np.trace(k_aa)) / (m * (m - 1))
                 + (k_bb.sum() - np.trace(k_bb)) / (n * (n - 1))
                 - 2.0 * k_ab.mean())


def kid(features_a, features_b, subsets=100, subset_size=1000, seed=0):
    """KID averaged over random subsets, with its standard deviation (Binkowski et al. 2018).

    As their reference code: `subsets` times, draw min(subset_size, m, n) rows of each set
    without replacement and take `kid_from_features`; report the mean and the standard
    deviation over the subsets.

    Args:
        features_a, features_b: (m, d) and (n, d). subsets: int >= 1.
        subset_size: int >= 2. seed: int >= 0.

    Returns:
        (mean, std): floats.

    Raises:
        ValueError: from `kid_from_features`, or a count out of range.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    subsets = check_number(subsets, "subsets", 1, integer=True)
    subset_size = check_number(subset_size, "subset_size", 2, integer=True)
    a = _finite_float64("features_a", features_a, 2)
    b = _finite_float64("features_b", features_b, 2)
    size = min(subset_size, len(a), len(b))
    rng = np.random.default_rng(seed)
    values = [kid_from_features(a[rng.choice(len(a), size, replace=False)],
                                b[rng.choice(len(b), size, replace=False)])
              for _ in range(subsets)]
    return float(np.mean(values)), float(np.std(values))


def score_images(fake, real, features="mnist", with_kid=True, value_range=None, progress=None):
    """FID and (optionally) KID of generated images against real ones, with one extractor.

    Args:
        fake, real: image arrays (N, H, W[, C]), N >= 2 (ranges inferred or `value_range`
            for fake; real inferred).
        features: a name of `FEATURE_EXTRACTORS`.
        with_kid: also compute `kid`: 100 subsets of min(1,000, N / 2) rows, N the smaller
            set (half, so that the subsets differ and their spread means something).

    Returns:
        dict: "features", "n_fake", "n_real", "fid", and with KID "kid", "kid_std".

    Raises:
        ValueError: as `image_features`; fewer than 2 images.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    rows_fake = image_features(fake, features, value_range, progress)
    rows_real = image_features(real, features, None, progress)
    for name, rows in (("fake", rows_fake), ("real", rows_real)):
        if len(rows) < 2:
            raise ValueError(f"{name} must hold at least 2 images, got {len(rows)}")
    report = {"features": features, "n_fake": len(rows_fake), "n_real": len(rows_real),
              "fid": frechet_distance(*feature_statistics(rows_fake),
                                      *feature_statistics(rows_real))}
    if with_kid:
        subset_size = max(2, min(1000, min(len(rows_fake), len(rows_real)) // 2))
        report["kid"], report["kid_std"] = kid(rows_fake, rows_real, subset_size=subset_size)
    return report
