"""Scoring generated images: the Frechet distance, KID, feature extractors and the FID callback.

The modules of this package, from the bottom up:

- `frechet`: the maths on feature arrays - `feature_statistics`, `frechet_distance` (Heusel
  et al. 2017, arXiv 1706.08500, Section 3) and KID (`kid_from_features`, `kid`; Binkowski et
  al. 2018, arXiv 1801.01401).
- `images`: the one input rule for image arrays (`check_images`, `image_value_range`) and the
  one batching loop (`run_batches`).
- `classifier`: the package's MNIST classifier and what it reads in digits (`features`,
  `classify`, `class_coverage`, `inception_score`, ...); `classifier_training` trains it.
- `extractors`: the registry `FEATURE_EXTRACTORS` ("mnist", "inception") and `image_features`.
- `scoring`: FID on images (`fid`, `fid_to_real`, `real_statistics`, `sample_report`,
  `score_images`, `real_vs_real_fid`), each taking the extractor as `features`.
- `tracker`: `FidTracker`, the one FID callback, and `fid_tracker` (imported on first use:
  it needs Keras).
- `analysis`: course analyses (`per_class_scores`, `w_estimate_vs_fid`).

Every name is re-exported here, so `from wgan_tutorial import metrics; metrics.fid(...)` works.
Taught in notebooks/04_fid_evaluation.ipynb and notebooks/06_your_own_images.ipynb.
"""

from wgan_tutorial.metrics.analysis import per_class_scores, w_estimate_vs_fid
from wgan_tutorial.metrics.classifier import (
    FEATURE_DIM,
    FEATURE_LAYER,
    NUM_CLASSES,
    WEIGHTS_FILE,
    build_classifier,
    class_coverage,
    class_probabilities,
    classifier_outputs,
    classifier_weights_hash,
    classifier_weights_path,
    classify,
    feature_extractor,
    features,
    features_and_logits,
    inception_score,
)
from wgan_tutorial.metrics.classifier_training import (
    LOG_FILE,
    classifier_weights_file,
    save_classifier_weights,
    train_classifier,
)
from wgan_tutorial.metrics.extractors import (
    FEATURE_EXTRACTORS,
    INCEPTION_BATCH_SIZE,
    INCEPTION_DIM,
    INCEPTION_SIZE,
    INCEPTION_WEIGHTS_FILE,
    INCEPTION_WEIGHTS_URL,
    FeatureExtractor,
    get_extractor,
    image_features,
    inception_features,
    inception_model,
    inception_weights_path,
    mnist_features,
)
from wgan_tutorial.metrics.frechet import (
    COVARIANCE_OFFSET,
    IMAGINARY_TOLERANCE,
    SYMMETRY_TOLERANCE,
    feature_statistics,
    fid_from_features,
    frechet_distance,
    kid,
    kid_from_features,
)
from wgan_tutorial.metrics.images import (
    DEFAULT_BATCH_SIZE,
    PROGRESS_MIN_IMAGES,
    RANGE_TOLERANCE,
    VALUE_RANGES,
    check_images,
    image_value_range,
)
from wgan_tutorial.metrics.scoring import (
    REAL_SUBSET_SEED,
    fid,
    fid_to_real,
    real_statistics,
    real_subset,
    real_vs_real_fid,
    sample_report,
    score_images,
)

_NEEDS_KERAS = ("FidTracker", "fid_tracker")


def __getattr__(name):
    """`FidTracker` and `fid_tracker`, imported on first use (their module imports Keras)."""
    if name in _NEEDS_KERAS:
        from wgan_tutorial.metrics import tracker

        return getattr(tracker, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "COVARIANCE_OFFSET",
    "DEFAULT_BATCH_SIZE",
    "FEATURE_DIM",
    "FEATURE_EXTRACTORS",
    "FEATURE_LAYER",
    "IMAGINARY_TOLERANCE",
    "INCEPTION_BATCH_SIZE",
    "INCEPTION_DIM",
    "INCEPTION_SIZE",
    "INCEPTION_WEIGHTS_FILE",
    "INCEPTION_WEIGHTS_URL",
    "LOG_FILE",
    "NUM_CLASSES",
    "PROGRESS_MIN_IMAGES",
    "RANGE_TOLERANCE",
    "REAL_SUBSET_SEED",
    "SYMMETRY_TOLERANCE",
    "VALUE_RANGES",
    "WEIGHTS_FILE",
    "FeatureExtractor",
    "FidTracker",
    "build_classifier",
    "check_images",
    "class_coverage",
    "class_probabilities",
    "classifier_outputs",
    "classifier_weights_file",
    "classifier_weights_hash",
    "classifier_weights_path",
    "classify",
    "feature_extractor",
    "feature_statistics",
    "features",
    "features_and_logits",
    "fid",
    "fid_from_features",
    "fid_to_real",
    "fid_tracker",
    "frechet_distance",
    "get_extractor",
    "image_features",
    "image_value_range",
    "inception_features",
    "inception_model",
    "inception_score",
    "inception_weights_path",
    "kid",
    "kid_from_features",
    "mnist_features",
    "per_class_scores",
    "real_statistics",
    "real_subset",
    "real_vs_real_fid",
    "sample_report",
    "save_classifier_weights",
    "score_images",
    "train_classifier",
    "w_estimate_vs_fid",
]
