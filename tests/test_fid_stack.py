"""One FID stack: a feature extractor registered once reaches every scoring path.

A toy extractor (the mean of each 7x7 block of a 28x28 image: 16 features, computed here
again in float64 as the oracle) is put in the registry; `fid`, `fid_to_real`,
`sample_report`, `score_images` and the FID callback must all give the Frechet distance of
its features, computed by an eigendecomposition. Also: the options of `FidTracker` (steps,
divergence, NaN) and the input rule for any image shape.
"""

import math

import numpy as np
import pytest

from wgan_tutorial import config, metrics
from wgan_tutorial.data import load_mnist
from wgan_tutorial.metrics import extractors, scoring

CALLS = []


def _block_means(batch):
    """The toy extractor's forward: float32 (B, 28, 28, C) in [-1, 1] -> (B, 16)."""
    CALLS.append(len(batch))
    grey = np.asarray(batch)[..., 0]
    return grey.reshape(len(batch), 4, 7, 4, 7).mean(axis=(2, 4)).reshape(len(batch), 16)


TOY = metrics.FeatureExtractor(
    "toy",
    16,
    "7x7 block means (a test)",
    _block_means,
    64,
    lambda: "toy-block-means-v1",
    input_shape=(28, 28, 1),
)


def _oracle_features(images, value_range):
    """The toy features by another route: float64 throughout, no batches."""
    x = np.asarray(images, np.float64).reshape(len(images), 28, 28)
    x = {"uint8": x / 127.5 - 1.0, "[0,1]": 2.0 * x - 1.0, "[-1,1]": x}[value_range]
    return x.reshape(len(x), 4, 7, 4, 7).mean(axis=(2, 4)).reshape(len(x), 16)


def _oracle_fid(rows_a, rows_b):
    """Frechet distance of Gaussians fitted by numpy, its matrix square root by eigh."""
    mu_a, mu_b = rows_a.mean(0), rows_b.mean(0)
    sigma_a, sigma_b = np.cov(rows_a, rowvar=False), np.cov(rows_b, rowvar=False)
    values, vectors = np.linalg.eigh(sigma_a)
    root_a = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    inner = np.linalg.eigvalsh(root_a @ sigma_b @ root_a)
    return (
        np.sum((mu_a - mu_b) ** 2)
        + np.trace(sigma_a)
        + np.trace(sigma_b)
        - 2 * np.sum(np.sqrt(np.clip(inner, 0, None)))
    )


@pytest.fixture
def toy(monkeypatch, tmp_path):
    monkeypatch.setitem(extractors.FEATURE_EXTRACTORS, "toy", TOY)
    monkeypatch.setenv(config.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(scoring, "_REAL_STATISTICS", {})
    CALLS.clear()
    return TOY


@pytest.fixture(scope="module")
def digits():
    return load_mnist("test", verbose=False)[0], load_mnist("train", verbose=False)[0]


def _generated(digits, n=300):
    noise = np.random.default_rng(1).normal(0, 0.3, (n, 28, 28))
    return np.clip(digits[0][:n] / 127.5 - 1.0 + noise, -1, 1).astype(np.float32)


def test_a_registered_extractor_reaches_fid_and_fid_to_real(toy, digits):
    test, _ = digits
    fake = _generated(digits)
    fake_rows = _oracle_features(fake, "[-1,1]")
    expected = _oracle_fid(fake_rows, _oracle_features(test[300:700], "uint8"))
    assert metrics.fid(fake, test[300:700], features="toy") == pytest.approx(expected, rel=1e-5)
    assert CALLS == [64] * 4 + [44] + [64] * 6 + [16]  # the extractor's own batch size
    with pytest.raises(ValueError, match=r"images_b must have shape \(N, 28, 28\) or"):
        metrics.fid(fake, np.zeros((5, 32, 32), np.uint8), features="toy")  # its input rule
    assert metrics.fid(fake, test[300:700], features=toy) == pytest.approx(expected, rel=1e-5)
    subset = test[metrics.real_subset(len(test), 500)]
    expected = _oracle_fid(fake_rows, _oracle_features(subset, "uint8"))
    assert metrics.fid_to_real(fake, n=500, features="toy") == pytest.approx(expected, rel=1e-5)
    mu, _ = metrics.real_statistics("test", n=500, features="toy")
    assert mu.shape == (16,)  # not the cached "mnist" statistics of the same digits
    assert metrics.real_statistics("test", n=500)[0].shape == (metrics.FEATURE_DIM,)


def test_a_registered_extractor_reaches_sample_report_and_score_images(toy, digits):
    test, train = digits
    fake = _generated(digits)
    fake_rows = _oracle_features(fake, "[-1,1]")
    report = metrics.sample_report(fake, "test", features="toy")
    test_rows = _oracle_features(test, "uint8")
    assert report["fid"] == pytest.approx(_oracle_fid(fake_rows, test_rows), rel=1e-5)
    floor_rows = _oracle_features(train[metrics.real_subset(len(train), 300)], "uint8")
    assert report["floor"] == pytest.approx(_oracle_fid(floor_rows, test_rows), rel=1e-5)
    # coverage and Inception Score still read the digits with the MNIST classifier
    np.testing.assert_array_equal(report["coverage"], metrics.class_coverage(fake))
    assert report["inception_score"] == pytest.approx(metrics.inception_score(fake), rel=1e-6)
    scored = metrics.score_images(fake, test[:400], features="toy", with_kid=False)
    expected = _oracle_fid(fake_rows, _oracle_features(test[:400], "uint8"))
    assert scored["features"] == "toy" and scored["fid"] == pytest.approx(expected, rel=1e-5)


class _FakeWGAN:
    """What the FID callback reads from a `training.WGAN`: step, sampler, divergence."""

    def __init__(self, generator):
        self.step, self.sampler, self.divergence = 0, generator, None


def _generator(scale=1.0):
    import keras

    generator = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(28 * 28, activation="tanh"),
            keras.layers.Reshape((28, 28, 1)),
        ]
    )
    generator.set_weights([w * scale for w in generator.get_weights()])
    return generator


def _train(tracker, wgan, steps, diverge_at=None):
    tracker.set_model(wgan)
    tracker.on_train_begin()
    for step in range(1, steps + 1):
        wgan.step = step
        if step == diverge_at:
            wgan.divergence = "a NonFiniteLossError"
        tracker.on_train_batch_end(step - 1)
        if wgan.divergence is not None:
            break
    tracker.on_train_end()


def test_the_fid_callback_takes_a_registered_extractor(toy, digits):
    generator = _generator()
    tracker = metrics.FidTracker(every=2, n=200, seed=3, features="toy")
    _train(tracker, _FakeWGAN(generator), 3)
    assert tracker.steps == [0, 2, 3]
    fake = generator(np.random.default_rng(3).standard_normal((200, 8)).astype(np.float32))
    expected = _oracle_fid(
        _oracle_features(fake.numpy(), "[-1,1]"), _oracle_features(digits[0], "uint8")
    )
    np.testing.assert_allclose(tracker.fids, expected, rtol=1e-5)


def test_fid_tracker_options_at_steps_no_start_and_skipping_a_diverged_model(toy):
    tracker = metrics.FidTracker(at_steps=[2, 4], n=50, features="toy", at_start=False)
    _train(tracker, _FakeWGAN(_generator()), 6)
    assert tracker.steps == [2, 4, 6] and len(tracker.fids) == 3  # at_steps, then the end
    diverging = metrics.FidTracker(at_steps=[2, 4], n=50, features="toy", at_start=False)
    _train(diverging, _FakeWGAN(_generator()), 6, diverge_at=4)
    assert diverging.steps == [2]  # nothing once the model is marked diverged, not even the end
    kept = metrics.FidTracker(
        at_steps=[2, 4], n=50, features="toy", at_start=False, skip_diverged=False
    )
    _train(kept, _FakeWGAN(_generator()), 6, diverge_at=4)
    assert kept.steps == [2, 4]


def test_fid_tracker_records_nan_for_a_generator_without_fid_or_raises_if_asked(toy):
    broken = _generator(scale=np.nan)  # NaN weights: NaN images have no FID
    tracker = metrics.FidTracker(every=1, n=50, features="toy", at_end=False)
    _train(tracker, _FakeWGAN(broken), 1)
    assert tracker.steps == [0, 1] and all(math.isnan(value) for value in tracker.fids)
    strict = metrics.fid_tracker(every=1, n=50, features="toy")  # the notebook's tracker
    with pytest.raises(ValueError, match="must be finite"):
        _train(strict, _FakeWGAN(broken), 1)
    with pytest.raises(ValueError, match="features must be one of"):
        metrics.FidTracker(every=1, features="nope")
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        metrics.FidTracker(every=1, n=1)


@pytest.mark.parametrize(
    "images, value_range, expected",
    [
        (np.zeros((2, 32, 32, 3), np.uint8), None, ((2, 32, 32, 3), "uint8")),
        (np.full((2, 9, 7), 0.5, np.float32), None, ((2, 9, 7, 1), "[0,1]")),
        (np.full((2, 9, 7, 1), -0.5), None, ((2, 9, 7, 1), "[-1,1]")),
        (np.zeros((2, 9, 7, 2)), None, r"shape \(N, H, W\), \(N, H, W, 1\) or \(N, H, W, 3\)"),
        (np.zeros((2, 28, 28, 3)), None, None),
        (np.full((2, 4, 4, 3), 2.0), "[0,1]", r"values lie in \[2, 2\], outside the range \[0,1\]"),
    ],
)
def test_the_input_rule_for_any_image_shape(images, value_range, expected):
    if isinstance(expected, str):
        with pytest.raises(ValueError, match=expected):
            metrics.check_images(images, value_range)
        return
    checked, found = metrics.check_images(images, value_range)
    if expected is None:  # accepted in general, refused in MNIST's layout
        with pytest.raises(ValueError, match=r"shape \(N, 28, 28\) or \(N, 28, 28, 1\)"):
            metrics.image_value_range(images)
        return
    assert (checked.shape, found) == expected


def test_model_range_conversion_matches_each_range_formula():
    values = np.array([0, 1, 127, 128, 255], np.uint8).reshape(1, 5, 1, 1)
    np.testing.assert_array_equal(
        metrics.images.to_model_range(values, "uint8").ravel(),
        np.float32([0, 1, 127, 128, 255]) / np.float32(127.5) - 1,
    )
    unit = np.array([0.0, 0.25, 1.0005]).reshape(1, 3, 1, 1)
    np.testing.assert_allclose(
        metrics.images.to_model_range(unit, "[0,1]").ravel(), [-1.0, -0.5, 1.0]
    )  # overshoot within tolerance: clipped
