"""FID of images against real MNIST or other images, with any registered feature extractor.

- `real_subset` and `real_statistics`: the feature statistics of real MNIST digits (a fixed
  random subset or a whole split), cached in memory and on disk.
- `fid` (two image sets), `fid_to_real` (images against real MNIST), `sample_report` (what
  `wgan-tutorial fid` prints: the FID, the real-vs-real floor at the same N, the class
  coverage and the Inception Score) and `score_images` (FID and KID of any images).
- `real_vs_real_fid`: the sample-size bias of FID (Chong and Forsyth 2020, arXiv 1911.07023).

Every function takes the extractor as `features` (a name of `extractors.FEATURE_EXTRACTORS`
or an entry; "mnist" by default) and goes through `extractors.image_features`: one input rule,
one batching loop. FIDs with the "mnist" features compare models scored with this package,
not numbers from papers that used Inception features (the TTUR authors advise an own MNIST
classifier's late features for MNIST). Like every FID, the value is biased upwards for small
samples: compare models at equal sample size only; KID (unbiased) has no such bias.

Taught in notebooks/04_fid_evaluation.ipynb and notebooks/06_your_own_images.ipynb.
"""

import hashlib

import numpy as np

from wgan_tutorial import resources
from wgan_tutorial.config import cache_dir, check_number
from wgan_tutorial.data import load_mnist
from wgan_tutorial.metrics.classifier import (
    classifier_outputs,
    coverage_from_logits,
    inception_score_from_logits,
)
from wgan_tutorial.metrics.extractors import get_extractor, image_features
from wgan_tutorial.metrics.frechet import (
    feature_statistics,
    fid_from_features,
    frechet_distance,
    kid,
)
from wgan_tutorial.metrics.images import check_images

# The seed of the fixed random subsets of real digits (`real_subset`).
REAL_SUBSET_SEED = 0

# In-memory cache of `real_statistics`: key -> (mu, sigma).
_REAL_STATISTICS = {}


def _check_sample_count(name, n, available=None):
    if n is None:
        return None
    n = check_number(n, name, 2, integer=True)
    if available is not None and n > available:
        raise ValueError(f"{name} must be <= {available} (the images available), got {n}")
    return int(n)


def _statistics_of(rows, name):
    """`feature_statistics` of rows (N, d), or a ValueError naming `name` when N < 2."""
    if rows.shape[0] < 2:
        raise ValueError(
            f"{name} must hold at least 2 images for a covariance, got {rows.shape[0]}"
        )
    return feature_statistics(rows)


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


def real_statistics(split="test", n=None, path=None, batch_size=None, features="mnist"):
    """Feature statistics (mu, sigma) of real MNIST digits, cached in memory and on disk.

    n digits of the split drawn without replacement with a fixed seed (all when n is None),
    from `data.load_mnist`: MNIST's files are ordered by writer group (the first 5,000 test
    digits are cleaner than the last 5,000), so a prefix is no fair sample. The cache key is
    the digits' bytes (so the data source), n, and the extractor's identity (for "mnist" the
    classifier weights' SHA-256); the file lives in `config.cache_dir() / "fid_statistics"`.

    Args:
        split: "train" or "test".
        n: number of digits, int >= 2 and <= the split's size, or None for all.
        path: an MNIST file (see `data.load_mnist`), or None for the usual sources.
        batch_size: images per forward pass when computing (None: the extractor's).
        features: a name of `FEATURE_EXTRACTORS` or an entry.

    Returns:
        (mu, sigma): float64 arrays (d,) and (d, d), d = 128 for "mnist" (copies: safe to
        modify).

    Raises:
        ValueError: bad split, n, path or extractor.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    extractor = get_extractor(features)
    images, _ = load_mnist(split, path, verbose=False)
    n = _check_sample_count("n", n, len(images))
    if n is not None:
        images = images[real_subset(len(images), n)]
    digest = hashlib.sha256(images.tobytes())
    digest.update(extractor.cache_identity().encode())
    key = f"mnist_{split}_n{len(images)}_{digest.hexdigest()[:20]}"
    if key not in _REAL_STATISTICS:
        file = cache_dir() / "fid_statistics" / f"{key}.npz"
        try:
            with np.load(file, allow_pickle=False) as stored:
                statistics = (stored["mu"], stored["sigma"])
        except (OSError, KeyError, ValueError):  # absent or unreadable: compute and store
            rows = image_features(images, extractor, batch_size=batch_size)
            statistics = feature_statistics(rows)
            resources.writable_folder(file.parent, "cache folder")
            with resources.atomic_path(file, "cache file") as partial:
                np.savez(partial, mu=statistics[0], sigma=statistics[1])
        _REAL_STATISTICS[key] = statistics
    mu, sigma = _REAL_STATISTICS[key]
    return mu.copy(), sigma.copy()


def fid(images_a, images_b, value_range=None, batch_size=None, progress=None, features="mnist"):
    """FID between two sets of images, with the features of one extractor.

    The Frechet distance (Heusel et al. 2017, arXiv 1706.08500, Section 3) between Gaussians
    fitted to the features of each set. Biased upwards for small sets: compare FIDs
    computed at equal sizes.

    Args:
        images_a, images_b: (N, H, W[, C]) with N >= 2 (MNIST: (N, 28, 28[, 1])), uint8 in
            [0, 255] or float in [-1, 1] or [0, 1].
        value_range: None (each array's range inferred by the rule of `check_images`)
            or one of "uint8", "[-1,1]", "[0,1]" for both.
        batch_size: images per forward pass, int >= 1 (None: the extractor's, 500 for mnist).
        progress: show progress bars (None: from 10,000 images on).
        features: a name of `FEATURE_EXTRACTORS` or an entry (default "mnist").

    Returns:
        float >= 0.

    Raises:
        ValueError: fewer than 2 images, a bad shape or range (naming images_a or images_b).

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    extractor = get_extractor(features)
    statistics = []
    for name, images in (("images_a", images_a), ("images_b", images_b)):
        rows = image_features(images, extractor, value_range, progress, batch_size, name)
        statistics.append(_statistics_of(rows, name))
    return frechet_distance(*statistics[0], *statistics[1])


def fid_to_real(
    images,
    split="test",
    n=None,
    path=None,
    value_range=None,
    batch_size=None,
    progress=None,
    features="mnist",
):
    """FID between images and real MNIST digits, with the real statistics cached.

    Args:
        images: (N, H, W[, C]) with N >= 2 (see `fid` for ranges).
        split, n, path: which real digits, as in `real_statistics` (n: a fixed random subset).
        value_range: None (infer) or one of "uint8", "[-1,1]", "[0,1]".
        batch_size: images per forward pass (None: the extractor's).
        progress: show a progress bar (None: from 10,000 images on).
        features: a name of `FEATURE_EXTRACTORS` or an entry (default "mnist").

    Returns:
        float >= 0.

    Raises:
        ValueError: fewer than 2 images, a bad shape or range, or from `real_statistics`.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    extractor = get_extractor(features)
    rows = image_features(images, extractor, value_range, progress, batch_size)
    statistics = _statistics_of(rows, "images")
    return frechet_distance(*statistics, *real_statistics(split, n, path, batch_size, extractor))


def sample_report(
    images,
    real="test",
    n=None,
    path=None,
    value_range=None,
    batch_size=None,
    progress=None,
    features="mnist",
):
    """Everything the `wgan-tutorial fid` command prints about a set of generated digits.

    The FID to the real reference, the real-vs-real floor at the same N (the FID of a fixed
    random subset of N real digits of the other split against the same reference: what a
    perfect generator would score at this sample size), the class coverage and the Inception
    Score with the MNIST classifier - all from one pass over the images with "mnist" features.

    Args:
        images: generated digits, (N, 28, 28[, 1]) with N >= 2 (ranges as `fid`; other shapes
            only as the extractor accepts them).
        real: "test" or "train" (the cached statistics of that split) or an array of real
            digits (same layout as images).
        n: use the first n images only (int >= 2), or all.
        path: an MNIST file (see `data.load_mnist`), or None for the usual sources.
        value_range: None (infer) or one of "uint8", "[-1,1]", "[0,1]", for `images`.
        batch_size: images per forward pass (None: the extractor's).
        progress: show progress bars (None: from 10,000 images on).
        features: the extractor of the FID and the floor (coverage and Inception Score always
            come from the MNIST classifier).

    Returns:
        dict: "n", "value_range", "fid", "floor", "floor_n" (the floor's N: less than n when
        the other split is smaller), "floor_split", "reference" (a description),
        "coverage" (float64 (10,)), "inception_score".

    Raises:
        ValueError: bad images, real or n.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    extractor = get_extractor(features)
    images, value_range = check_images(images, value_range)
    n = _check_sample_count("n", n, len(images))
    if n is not None:
        images = images[:n]
    if len(images) < 2:
        raise ValueError(f"images must hold at least 2 images for a covariance, got {len(images)}")
    with_logits = extractor.with_logits or (
        lambda batch: (extractor.forward(batch), classifier_outputs(batch)[1])
    )
    rows, logits = image_features(
        images, extractor, value_range, progress, batch_size, forward=with_logits
    )
    if isinstance(real, str):
        if real not in ("train", "test"):
            raise ValueError(f"real must be 'train', 'test' or an array of images, got {real!r}")
        reference = real_statistics(real, None, path, batch_size, extractor)
        floor_split = "train" if real == "test" else "test"
        description = f"MNIST {real} split"
    else:
        real_rows = image_features(real, extractor, None, progress, batch_size, "real")
        reference = _statistics_of(real_rows, "real")
        floor_split = "train"
        description = f"{len(real_rows)} real images given"
    available = len(load_mnist(floor_split, path, verbose=False)[0])
    floor_n = min(len(images), available)
    floor_statistics = real_statistics(floor_split, floor_n, path, batch_size, extractor)
    return {
        "n": len(images),
        "value_range": value_range,
        "fid": frechet_distance(*feature_statistics(rows), *reference),
        "floor": frechet_distance(*floor_statistics, *reference),
        "floor_n": floor_n,
        "floor_split": floor_split,
        "reference": description,
        "coverage": coverage_from_logits(logits),
        "inception_score": inception_score_from_logits(logits),
    }


def score_images(
    fake, real, features="mnist", with_kid=True, value_range=None, progress=None, batch_size=None
):
    """FID and (optionally) KID of generated images against real ones, with one extractor.

    Args:
        fake, real: image arrays (N, H, W[, C]), N >= 2 (ranges inferred or `value_range`
            for fake; real inferred).
        features: a name of `FEATURE_EXTRACTORS` or an entry.
        with_kid: also compute `kid`: 100 subsets of min(1,000, N / 2) rows, N the smaller
            set (half, so that the subsets differ and their spread means something).
        value_range, progress: as `fid`. batch_size: None for the extractor's.

    Returns:
        dict: "features" (the extractor's name), "n_fake", "n_real", "fid", and with KID
        "kid", "kid_std".

    Raises:
        ValueError: as `extractors.image_features`; fewer than 2 images.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    extractor = get_extractor(features)
    rows_fake = image_features(fake, extractor, value_range, progress, batch_size)
    rows_real = image_features(real, extractor, None, progress, batch_size)
    for name, rows in (("fake", rows_fake), ("real", rows_real)):
        if len(rows) < 2:
            raise ValueError(f"{name} must hold at least 2 images, got {len(rows)}")
    report = {
        "features": extractor.name,
        "n_fake": len(rows_fake),
        "n_real": len(rows_real),
        "fid": fid_from_features(rows_fake, rows_real),
    }
    if with_kid:
        subset_size = max(2, min(1000, min(len(rows_fake), len(rows_real)) // 2))
        report["kid"], report["kid_std"] = kid(
            rows_fake, rows_real, subset_size=subset_size, progress=bool(progress)
        )
    return report


def real_vs_real_fid(
    sizes, repeats=3, seed=0, path=None, pool=20_000, batch_size=None, features="mnist"
):
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
        batch_size: images per forward pass (None: the extractor's).
        features: a name of `FEATURE_EXTRACTORS` or an entry (default "mnist").

    Returns:
        dict: "sizes" (int64 (K,)), "fid" (float64 (K, repeats)), "mean" and "std"
        ((K,), over the repeats), "slope" and "intercept" of the least-squares line
        mean FID = intercept + slope / N (the intercept is the extrapolated FID at N = inf).

    Raises:
        ValueError: sizes, repeats or pool out of range.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    extractor = get_extractor(features)
    train_images = load_mnist("train", path, verbose=False)[0]
    test_images = load_mnist("test", path, verbose=False)[0]
    sizes = np.asarray(sizes)
    if (
        sizes.ndim != 1
        or sizes.size < 2
        or not np.issubdtype(sizes.dtype, np.integer)
        or sizes.min() < 2
        or np.any(np.diff(sizes) <= 0)
        or sizes.max() > len(test_images)
    ):
        raise ValueError(
            f"sizes must be at least two increasing integers in [2, {len(test_images)}] (a "
            f"line is fitted through them), got {sizes.tolist()}"
        )
    repeats = check_number(repeats, "repeats", 1, integer=True)
    pool = check_number(pool, "pool", int(sizes.max()), integer=True)  # at least the largest size
    rng = np.random.default_rng(seed)
    pooled = train_images[rng.permutation(len(train_images))[:pool]]
    train_rows = image_features(pooled, extractor, batch_size=batch_size)
    test_rows = image_features(test_images, extractor, batch_size=batch_size)
    values = np.empty((len(sizes), repeats))
    for i, size in enumerate(sizes):
        for r in range(repeats):
            a = train_rows[rng.choice(len(train_rows), size, replace=False)]
            b = test_rows[rng.choice(len(test_rows), size, replace=False)]
            values[i, r] = fid_from_features(a, b)
    mean = values.mean(axis=1)
    slope, intercept = np.polyfit(1.0 / sizes, mean, 1)
    return {
        "sizes": sizes.astype(np.int64),
        "fid": values,
        "mean": mean,
        "std": values.std(axis=1),
        "slope": float(slope),
        "intercept": float(intercept),
    }
