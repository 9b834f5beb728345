"""The registry of feature extractors behind every FID and KID of the package.

`FEATURE_EXTRACTORS` maps a name to a `FeatureExtractor` entry: its feature dimension, a
description, the image shape it needs (its input rule: `images.check_images` with that
shape), its forward function on a float32 batch in [-1, 1] (through the one batching loop,
`images.run_batches`), its batch size and a cache identity.

- "mnist": the package's MNIST classifier (`classifier`), 128-d features before the last
  ReLU; other shapes are converted to 28x28 greyscale first (meaningful for digit-like images).
- "inception": Keras' InceptionV3 with ImageNet weights (Szegedy et al. 2016, arXiv
  1512.00567), the 2048-d pool features of Heusel et al. 2017 (arXiv 1706.08500) at 299x299.
  Close to, not identical with, the reference TF-FID graph (other weights export and
  resizing); the weights need a network once (or keras' cache), and without them the
  extractor says so in one line - it never switches to other features.

Adding an extractor is one entry here plus its test; `image_features` and every scoring
function of `scoring` take a name or an entry. Taught in notebooks/06_your_own_images.ipynb.
"""

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wgan_tutorial.config import check_number, import_tensorflow
from wgan_tutorial.metrics import classifier
from wgan_tutorial.metrics.images import DEFAULT_BATCH_SIZE, check_images, run_batches

INCEPTION_SIZE = 299
INCEPTION_DIM = 2048
INCEPTION_BATCH_SIZE = 50
INCEPTION_WEIGHTS_FILE = "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"
INCEPTION_WEIGHTS_URL = (
    "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"
    + INCEPTION_WEIGHTS_FILE
)


@dataclass(frozen=True)
class FeatureExtractor:
    """One feature extractor of the registry.

    Attributes:
        name: its registry key (the CLI's `--features` choice).
        dim: the feature dimension d.
        description: one line for reports.
        forward: float32 batch (B, H, W, C) in [-1, 1], C in (1, 3) -> float32 (B, d).
        batch_size: images per forward pass by default.
        identity: () -> str that changes when the weights change (cache key of real
            statistics); None: the name.
        label: the progress bar says "<label> features".
        with_logits: for the MNIST classifier only: batch -> (features, MNIST logits) in one
            pass (`scoring.sample_report` reads its class coverage from them); None otherwise.
        input_shape: the (H, W, C) images must have, or None for any size with 1 or 3
            channels (the forward converts them).
    """

    name: str
    dim: int
    description: str
    forward: Callable
    batch_size: int = DEFAULT_BATCH_SIZE
    identity: Callable | None = None
    label: str = ""
    with_logits: Callable | None = None
    input_shape: tuple | None = None

    def cache_identity(self):
        """The string that identifies these features in a cache key."""
        return self.identity() if self.identity is not None else self.name

    def features(self, images, batch_size=None, value_range=None, progress=None):
        """`image_features(images, self, ...)`."""
        return image_features(images, self, value_range, progress, batch_size)


def _mnist_features_only(batch):
    return classifier.classifier_outputs(batch)[0]


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
    from wgan_tutorial import data

    if (
        weights == "imagenet"
        and not inception_weights_path().is_file()
        and not data.host_answers(INCEPTION_WEIGHTS_URL)
    ):
        raise ValueError(
            f"Inception features need the InceptionV3 ImageNet weights, which are not in "
            f"keras' cache and cannot be downloaded here (offline): download "
            f"{INCEPTION_WEIGHTS_URL} into $KERAS_HOME/models (~/.keras/models), or use "
            f"--features mnist"
        )
    import_tensorflow()
    import keras

    try:
        return keras.applications.InceptionV3(
            include_top=False,
            weights=weights,
            input_shape=(INCEPTION_SIZE, INCEPTION_SIZE, 3),
            pooling="avg",
        )
    except Exception as error:  # a failed download or a damaged weights file
        from wgan_tutorial.config import error_summary

        raise ValueError(
            f"Inception weights could not be loaded ({error_summary(error)}); "
            f"download {INCEPTION_WEIGHTS_URL} into $KERAS_HOME/models"
        ) from None


@functools.lru_cache(maxsize=2)
def _resized_forward(model):
    tf = import_tensorflow()
    resized = tf.function(
        lambda x: model(
            tf.image.resize(
                tf.repeat(x, 3 // x.shape[-1], axis=-1),
                (INCEPTION_SIZE, INCEPTION_SIZE),
                method="bilinear",
            ),
            training=False,
        ),
        reduce_retracing=True,
    )
    return lambda batch: resized(batch).numpy()


def inception_forward(weights="imagenet"):
    """The "inception" forward function: float32 (B, H, W, C) in [-1, 1] -> float32 (B, 2048).

    Grey images are repeated to RGB and every image resized (bilinear) to 299x299; [-1, 1] is
    InceptionV3's own input range (keras' `preprocess_input`). One traced graph per model.

    Raises:
        ValueError: weights unavailable (see `inception_model`).
    """
    return _resized_forward(inception_model(weights))


FEATURE_EXTRACTORS = {
    "mnist": FeatureExtractor(
        "mnist",
        classifier.FEATURE_DIM,
        "the package's MNIST classifier (128-d)",
        _mnist_features_only,
        DEFAULT_BATCH_SIZE,
        classifier.classifier_weights_hash,
        "MNIST",
        classifier.classifier_outputs,
    ),
    "inception": FeatureExtractor(
        "inception",
        INCEPTION_DIM,
        "Keras InceptionV3, ImageNet weights (2048-d pool features)",
        lambda batch: inception_forward()(batch),
        INCEPTION_BATCH_SIZE,
        lambda: f"keras-inception-v3-imagenet:{INCEPTION_WEIGHTS_FILE}",
        "Inception",
    ),
}


def get_extractor(features):
    """The registry entry for `features`: a name of `FEATURE_EXTRACTORS` or an entry itself.

    Raises:
        ValueError: an unknown name.
    """
    if isinstance(features, FeatureExtractor):
        return features
    if features not in FEATURE_EXTRACTORS:
        raise ValueError(f"features must be one of {tuple(FEATURE_EXTRACTORS)}, got {features!r}")
    return FEATURE_EXTRACTORS[features]


def image_features(
    images,
    features="mnist",
    value_range=None,
    progress=None,
    batch_size=None,
    name="images",
    forward=None,
):
    """Features of images from one extractor: the input rule, then the batching loop.

    Args:
        images: (N, H, W[, C]), C in (1, 3), uint8 in [0, 255] or floats in [-1, 1] / [0, 1]
            (the rule of `images.check_images` when value_range is None).
        features: a name of `FEATURE_EXTRACTORS` or a `FeatureExtractor`.
        value_range: None (infer), "uint8", "[-1,1]" or "[0,1]".
        progress: show a progress bar (None: from 10,000 images on).
        batch_size: images per forward pass, int >= 1 (None: the extractor's).
        name: the parameter name used in error messages.
        forward: another forward function on the same batches (default: the extractor's),
            e.g. its `with_logits`.

    Returns:
        float32 array (N, d), or what `forward` returns, stacked.

    Raises:
        ValueError: unknown extractor, bad images or batch size, or the extractor unavailable.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    extractor = get_extractor(features)
    batch_size = extractor.batch_size if batch_size is None else batch_size
    check_number(batch_size, "batch_size", 1, integer=True)
    images, value_range = check_images(images, value_range, name, extractor.input_shape)
    return run_batches(
        images,
        value_range,
        forward or extractor.forward,
        batch_size,
        progress,
        f"{extractor.label or extractor.name} features",
    )


def mnist_features(images, batch_size=DEFAULT_BATCH_SIZE, value_range=None, progress=None):
    """The MNIST classifier's 128-d features of any images, converted to 28x28 greyscale.

    Colour images become their luma (0.299 R + 0.587 G + 0.114 B), other sizes are resized
    (bilinear, antialiased) to 28x28: meaningful for digit-like images; for photographs use
    "inception". 28x28 greyscale images give exactly `classifier.features`.

    Args:
        images: (N, H, W[, C]), C in (1, 3), uint8 or floats in [-1, 1] / [0, 1].
        batch_size, value_range, progress: as `classifier.features`.

    Returns:
        float32 array (N, 128).

    Taught in notebooks/06_your_own_images.ipynb.
    """
    return image_features(images, "mnist", value_range, progress, batch_size)


def inception_features(
    images, batch_size=INCEPTION_BATCH_SIZE, value_range=None, progress=None, weights="imagenet"
):
    """InceptionV3 2048-d pool features of any images (resized to 299x299, grey -> RGB).

    Images in [-1, 1] are InceptionV3's own input range (keras' `preprocess_input`).
    Close to, not identical with, the reference TF-FID graph's features.

    Args:
        images: (N, H, W[, C]), C in (1, 3), uint8 or floats in [-1, 1] / [0, 1].
        batch_size: images per forward pass (default 50: 299x299 inputs are large).
        value_range, progress: as `classifier.features`.
        weights: "imagenet", or None for random weights (tests of the plumbing only).

    Returns:
        float32 array (N, 2048).

    Raises:
        ValueError: bad images; weights unavailable (see `inception_model`).

    Taught in notebooks/06_your_own_images.ipynb.
    """
    check_number(batch_size, "batch_size", 1, integer=True)
    check_images(images, value_range)  # bad images before missing weights
    forward = inception_forward(weights)
    return image_features(images, "inception", value_range, progress, batch_size, forward=forward)
