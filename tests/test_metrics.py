"""Frechet distance, the MNIST classifier's features, class coverage, FID and the `fid` CLI.

Runs in fast mode on the shipped MNIST subset (8,000 training / 2,000 test digits), with the
classifier weights shipped in the package.
"""

import re

import numpy as np
import pytest
import scipy.linalg

from wgan_tutorial import cli, config, metrics
from wgan_tutorial.data import load_mnist
from wgan_tutorial.metrics import frechet, scoring


def _random_covariance(rng, d, rank=None):
    """A random symmetric positive semi-definite d x d matrix (of the given rank)."""
    factor = rng.normal(size=(d, rank or d))
    return factor @ factor.T / (rank or d)


def _trace_sqrt_by_eigh(sigma1, sigma2):
    """Tr((S1 S2)^(1/2)) by another route than sqrtm: S1 S2 is similar to
    S1^(1/2) S2 S1^(1/2), a symmetric PSD matrix, whose eigenvalues are those of S1 S2;
    the trace of the square root is the sum of their square roots."""
    values, vectors = np.linalg.eigh(sigma1)
    root1 = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    inner = np.linalg.eigvalsh(root1 @ sigma2 @ root1)
    return np.sum(np.sqrt(np.clip(inner, 0, None)))


def _frechet_by_eigh(mu1, sigma1, mu2, sigma2):
    return (
        np.sum((mu1 - mu2) ** 2)
        + np.trace(sigma1)
        + np.trace(sigma2)
        - 2 * _trace_sqrt_by_eigh(sigma1, sigma2)
    )


@pytest.fixture(scope="module")
def test_digits():
    images, labels = load_mnist("test", verbose=False)
    return images, labels


# --- frechet_distance and feature_statistics ----------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_frechet_distance_matches_an_eigendecomposition_of_the_formula(seed):
    rng = np.random.default_rng(seed)
    d = 12
    mu1, mu2 = rng.normal(size=d), rng.normal(size=d)
    sigma1, sigma2 = _random_covariance(rng, d), _random_covariance(rng, d)
    expected = _frechet_by_eigh(mu1, sigma1, mu2, sigma2)
    assert metrics.frechet_distance(mu1, sigma1, mu2, sigma2) == pytest.approx(expected, rel=1e-9)


def test_frechet_distance_is_zero_for_identical_statistics():
    rng = np.random.default_rng(3)
    mu, sigma = rng.normal(size=20), _random_covariance(rng, 20)
    assert metrics.frechet_distance(mu, sigma, mu, sigma) == pytest.approx(0.0, abs=1e-9)


def test_frechet_distance_with_equal_covariances_is_the_squared_mean_distance():
    # Tr(S + S - 2 (S S)^(1/2)) = Tr(2 S - 2 S) = 0, so only ||mu1 - mu2||^2 remains.
    rng = np.random.default_rng(4)
    mu1, mu2, sigma = rng.normal(size=6), rng.normal(size=6), _random_covariance(rng, 6)
    assert metrics.frechet_distance(mu1, sigma, mu2, sigma) == pytest.approx(
        np.sum((mu1 - mu2) ** 2), rel=1e-9
    )


@pytest.mark.parametrize(
    "mu1, s1, mu2, s2", [(0.0, 1.0, 0.0, 2.0), (1.5, 0.3, -2.0, 4.0), (3.0, 2.0, 3.0, 2.0)]
)
def test_frechet_distance_in_1d_is_mean_gap_squared_plus_std_gap_squared(mu1, s1, mu2, s2):
    # 1-D: s1^2 + s2^2 - 2 sqrt(s1^2 s2^2) = (s1 - s2)^2.
    value = metrics.frechet_distance(
        np.array([mu1]), np.array([[s1**2]]), np.array([mu2]), np.array([[s2**2]])
    )
    assert value == pytest.approx((mu1 - mu2) ** 2 + (s1 - s2) ** 2, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_frechet_distance_is_finite_and_close_on_rank_deficient_covariances(seed):
    # 5 samples in 10-d: covariances of rank 4.
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(5, 10)), rng.normal(0.3, 1.5, size=(5, 10))
    statistics_a, statistics_b = metrics.feature_statistics(a), metrics.feature_statistics(b)
    assert np.linalg.matrix_rank(statistics_a[1]) == 4
    value = metrics.frechet_distance(*statistics_a, *statistics_b)
    assert value == pytest.approx(_frechet_by_eigh(*statistics_a, *statistics_b), rel=1e-4)


def test_frechet_distance_falls_back_to_eigendecompositions_when_the_root_is_not_finite(
    monkeypatch,
):
    calls = []

    def sqrtm_failing(matrix):
        calls.append(matrix)
        return np.full_like(matrix, np.nan)

    monkeypatch.setattr(frechet.linalg, "sqrtm", sqrtm_failing)
    sigma = np.diag([1.0, 4.0])
    value = metrics.frechet_distance(np.zeros(2), sigma, np.ones(2), sigma)
    # No offset: Tr (S S)^(1/2) = Tr S exactly, so the value is ||1||^2 = 2 (pytorch-fid's
    # retry with 1e-6 I added to both covariances gave 2 - 4e-6).
    assert len(calls) == 1
    assert value == pytest.approx(2.0, abs=1e-12)


def test_frechet_distance_of_mnist_features_is_the_sqrtm_formula_to_the_bit(test_digits):
    """Ordinary covariances take scipy's sqrtm route unchanged: the FID the notebooks print
    is, to the last bit, ||mu1 - mu2||^2 + Tr S1 + Tr S2 - 2 Tr Re sqrtm(S1 S2)."""
    features = metrics.features(test_digits[0])
    half = len(features) // 2
    mu1, sigma1 = metrics.feature_statistics(features[:half])
    mu2, sigma2 = metrics.feature_statistics(features[half:])
    root = scipy.linalg.sqrtm(sigma1 @ sigma2)
    if np.iscomplexobj(root):  # rounding only
        assert np.max(np.abs(np.diag(root).imag)) <= 1e-3
    difference = mu1 - mu2
    expected = (
        difference @ difference + np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(root.real)
    )
    assert metrics.frechet_distance(mu1, sigma1, mu2, sigma2) == float(expected)


def test_frechet_distance_rejects_a_root_with_a_large_imaginary_part():
    # diag(1, -1) is symmetric but not a covariance: the root of diag(1, -1) has i on its diagonal.
    with pytest.raises(ValueError, match="imaginary"):
        metrics.frechet_distance(np.zeros(2), np.diag([1.0, -1.0]), np.zeros(2), np.eye(2))


@pytest.mark.parametrize(
    "arguments, name",
    [
        ((np.zeros((2, 1)), np.eye(2), np.zeros(2), np.eye(2)), "mu1"),
        ((np.zeros(2), np.eye(2), np.zeros(3), np.eye(3)), "mu1 and mu2"),
        ((np.zeros(2), np.ones((2, 3)), np.zeros(2), np.eye(2)), "sigma1"),
        ((np.zeros(2), np.eye(2), np.zeros(2), np.eye(3)), "sigma2"),
        (
            (np.zeros(2), np.array([[1.0, 0.5], [0.0, 1.0]]), np.zeros(2), np.eye(2)),
            "sigma1 must be a symmetric",
        ),
        ((np.zeros(2), np.eye(2), np.array([0.0, np.nan]), np.eye(2)), "mu2 must be finite"),
        ((np.zeros(2), np.eye(2), np.zeros(2), np.diag([1.0, np.inf])), "sigma2 must be finite"),
    ],
)
def test_frechet_distance_rejects_bad_input_naming_the_parameter(arguments, name):
    with pytest.raises(ValueError, match=name):
        metrics.frechet_distance(*arguments)


def test_feature_statistics_are_the_mean_and_the_unbiased_covariance():
    rows = np.random.default_rng(5).normal(size=(30, 4)).astype(np.float32)
    mu, sigma = metrics.feature_statistics(rows)
    assert mu.dtype == sigma.dtype == np.float64
    np.testing.assert_allclose(mu, rows.astype(np.float64).mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(
        sigma, np.cov(rows.astype(np.float64), rowvar=False, ddof=1), rtol=1e-12
    )


def test_feature_statistics_need_two_rows():
    with pytest.raises(ValueError, match="features must have at least 2 rows"):
        metrics.feature_statistics(np.zeros((1, 3)))


# --- the classifier and its features --------------------------------------------------------


def test_shipped_classifier_weights_are_under_2_mb():
    assert metrics.classifier_weights_path().stat().st_size < 2_000_000


def test_classifier_accuracy_on_the_subsets_2000_test_digits_is_at_least_99_percent(test_digits):
    images, labels = test_digits
    assert len(images) == 2000
    assert np.mean(metrics.classify(images) == labels) >= 0.99


def test_features_are_128_d_and_do_not_depend_on_the_batch_size_or_repeat_calls(test_digits):
    images = test_digits[0][:300]
    by_one_batch = metrics.features(images, batch_size=300)
    assert by_one_batch.shape == (300, metrics.FEATURE_DIM) and by_one_batch.dtype == np.float32
    np.testing.assert_allclose(
        metrics.features(images, batch_size=7), by_one_batch, rtol=1e-4, atol=1e-4
    )
    np.testing.assert_array_equal(
        metrics.features(images, batch_size=300), by_one_batch
    )  # no dropout


def test_the_three_value_ranges_and_a_channel_axis_give_the_same_features(test_digits):
    digits = test_digits[0][:64]
    expected = metrics.features(digits)
    in_unit = digits.astype(np.float32) / 255.0
    in_symmetric = digits.astype(np.float32) / 127.5 - 1.0
    np.testing.assert_allclose(metrics.features(in_unit), expected, atol=1e-3)
    np.testing.assert_allclose(metrics.features(in_symmetric[..., None]), expected, atol=1e-3)
    np.testing.assert_allclose(
        metrics.features(digits.astype(np.float64), value_range="uint8"), expected, atol=1e-3
    )


@pytest.mark.parametrize(
    "images, expected",
    [
        (np.zeros((2, 28, 28), np.uint8), "uint8"),
        (np.zeros((2, 28, 28), np.int64), "uint8"),
        (np.full((2, 28, 28), -0.5, np.float32), "[-1,1]"),
        (np.full((2, 28, 28), 0.5, np.float32), "[0,1]"),  # no negative value: read as [0, 1]
        (np.ones((2, 28, 28, 1), np.float64), "[0,1]"),
    ],
)
def test_value_range_inference_rule(images, expected):
    squeezed, value_range = metrics.image_value_range(images)
    assert value_range == expected and squeezed.shape == (2, 28, 28)


@pytest.mark.parametrize(
    "images, value_range, message",
    [
        (np.full((2, 28, 28), 200.0), None, r"lie in \[200, 200\], outside the range \[0,1\]"),
        (
            np.linspace(-3, 1, 2 * 784).reshape(2, 28, 28),
            None,
            r"lie in \[-3, 1\], outside the range \[-1,1\]",
        ),
        (np.full((2, 28, 28), 0.5), "uint8", None),  # allowed: floats on the 0-255 scale
        (np.full((2, 28, 28), -0.5), "[0,1]", r"outside the range \[0,1\]"),
        (
            np.full((2, 28, 28), 300, np.int32),
            None,
            r"lie in \[300, 300\], outside the range 0-255",
        ),
        (np.full((2, 28, 28), np.nan), None, "images must be finite"),
        (np.zeros((2, 28, 28)), "0-255", "value_range must be None or one of"),
        (np.zeros((2, 32, 32)), None, r"shape \(N, 28, 28\) or \(N, 28, 28, 1\)"),
        (np.zeros((0, 28, 28)), None, "N >= 1"),
        (np.zeros((2, 28, 28), bool), None, "integers or floats"),
        ([[0.0]], None, "must be an array"),
    ],
)
def test_range_and_shape_checks_raise_naming_what_was_found(images, value_range, message):
    if message is None:
        assert metrics.image_value_range(images, value_range)[1] == "uint8"
        return
    with pytest.raises(ValueError, match=message):
        metrics.image_value_range(images, value_range)


def test_fid_of_a_set_with_itself_is_zero(test_digits):
    images = test_digits[0][:500]
    assert metrics.fid(images, images) == pytest.approx(0.0, abs=1e-6)


def test_fid_grows_when_digits_are_corrupted_and_names_the_bad_argument(test_digits):
    images = test_digits[0][:500].astype(np.float32) / 255.0
    noisy = np.clip(images + np.random.default_rng(0).normal(0, 0.3, images.shape), 0, 1)
    other = load_mnist("train", verbose=False)[0][:500]
    assert metrics.fid(images, noisy) > 5 * metrics.fid(images, other)
    with pytest.raises(ValueError, match="images_b must hold at least 2 images"):
        metrics.fid(images, images[:1])
    with pytest.raises(ValueError, match="images_a values lie in"):
        metrics.fid(images * 255.0, images)


def test_classify_class_coverage_and_probabilities_agree_with_the_labels(test_digits):
    # the oracle is MNIST's own labels: the classifier is >= 99% accurate on them
    images, labels = test_digits
    predicted = metrics.classify(images[:100])
    assert predicted.shape == (100,) and np.mean(predicted == labels[:100]) >= 0.97
    coverage = metrics.class_coverage(images)
    np.testing.assert_allclose(coverage, 0.1, atol=0.005)  # the subset holds 200 digits per class
    sevens = metrics.class_coverage(images[labels == 7])
    assert sevens[7] >= 0.98
    probabilities = metrics.class_probabilities(images[:10])
    assert probabilities.shape == (10, 10)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)  # a softmax, normalised
    assert np.all(probabilities[np.arange(10), labels[:10]] > 0.5)


def test_inception_score_is_near_10_for_real_digits_and_near_1_for_one_class(test_digits):
    images, labels = test_digits
    assert metrics.inception_score(images) > 9.0
    assert metrics.inception_score(images[labels == 3][:100]) < 1.2


# --- the real statistics and their cache ----------------------------------------------------


def test_real_statistics_are_cached_in_memory_and_on_disk(monkeypatch, tmp_path):
    monkeypatch.setenv(config.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(scoring, "_REAL_STATISTICS", {})
    calls = []
    real_features = scoring.image_features

    def counting_features(images, *args, **kwargs):
        calls.append(len(images))
        return real_features(images, *args, **kwargs)

    monkeypatch.setattr(scoring, "image_features", counting_features)
    first = metrics.real_statistics("test", n=300)
    assert list((tmp_path / "fid_statistics").glob("*.npz"))
    monkeypatch.setenv(config.CACHE_ENV, str(tmp_path / "empty"))  # no disk cache: memory only
    second = metrics.real_statistics("test", n=300)
    assert calls == [300]
    monkeypatch.setenv(config.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(scoring, "_REAL_STATISTICS", {})  # a new process: only the disk is left
    third = metrics.real_statistics("test", n=300)
    assert calls == [300]
    for statistics in (second, third):
        np.testing.assert_array_equal(statistics[0], first[0])
        np.testing.assert_array_equal(statistics[1], first[1])
    metrics.real_statistics("test", n=301)  # another n: another key
    assert calls == [300, 301]


def test_real_statistics_use_a_fixed_random_subset():
    images = load_mnist("test", verbose=False)[0]
    subset = metrics.real_subset(len(images), 300)
    assert len(set(subset.tolist())) == 300 and not np.array_equal(subset, np.arange(300))
    mu, sigma = metrics.real_statistics("test", n=300)
    expected_mu, expected_sigma = metrics.feature_statistics(metrics.features(images[subset]))
    np.testing.assert_allclose(mu, expected_mu, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(sigma, expected_sigma, rtol=1e-6, atol=1e-6)
    with pytest.raises(ValueError, match=r"n must be <= 2000"):
        metrics.real_statistics("test", n=2001)


# --- the command line -----------------------------------------------------------------------


def test_cli_fid_prints_fid_floor_and_coverage(tmp_path, capsys):
    fake = tmp_path / "fake.npy"
    np.save(fake, load_mnist("train", verbose=False)[0][:400].astype(np.float32) / 127.5 - 1.0)
    assert cli.main(["fid", "--fake", str(fake), "--n", "300"]) == 0
    out = capsys.readouterr().out
    assert "generated: 300 digits" in out and "range [-1,1], inferred" in out
    assert (
        "FID: " in out and "real-vs-real floor: " in out and "FID of 300 MNIST train digits" in out
    )
    assert "class coverage: 0:" in out and " 9:" in out


def test_cli_fid_takes_a_real_file_as_reference(tmp_path, capsys):
    digits = load_mnist("train", verbose=False)[0]
    np.save(tmp_path / "fake.npy", digits[:300])
    np.save(tmp_path / "real.npy", digits[300:700, :, :, None])
    assert (
        cli.main(
            ["fid", "--fake", str(tmp_path / "fake.npy"), "--real", str(tmp_path / "real.npy")]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "range uint8, inferred" in out and "reference: 400 real images given" in out
    assert cli.main(["fid", "--fake", str(tmp_path / "fake.npy"), "--real", "tset"]) == 2
    assert "--real tset: no such file" in capsys.readouterr().err


def test_cli_fid_given_a_model_says_to_sample_it_first(tmp_path, capsys):
    (tmp_path / "run").mkdir()
    (tmp_path / "generator.keras").write_bytes(b"PK\x03\x04 a zip, as .keras files are")
    for given in (tmp_path / "run", tmp_path / "generator.keras"):
        assert cli.main(["fid", "--fake", str(given)]) == 2
        err = capsys.readouterr().err
        assert f"--fake {given}: takes a .npy file of images, not a model" in err
        assert f"wgan-tutorial sample --model {given} --n 10000 --out fake.npy" in err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def _save_pickled(path):
    np.save(path, np.array([{"not": "images"}], dtype=object), allow_pickle=True)


@pytest.mark.parametrize(
    "make, message",
    [
        (None, r"fake\.npy: no such file"),
        (lambda path: path.write_bytes(b"not numpy"), r"not a readable \.npy file"),
        (_save_pickled, r"not a readable \.npy file"),
        (lambda path: np.save(path, np.zeros((3, 30, 30), np.float32)), "shape"),
        (
            lambda path: np.save(path, np.full((3, 28, 28), 7.0, np.float32)),
            r"values lie in \[7, 7\]",
        ),
    ],
)
def test_cli_fid_bad_file_is_one_line_and_exit_2(tmp_path, capsys, make, message):
    path = tmp_path / "fake.npy"
    if make is not None:
        make(path)
    assert cli.main(["fid", "--fake", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--fake" in err
    assert re.search(message, err)


def test_cli_fid_rejects_n_larger_than_the_file(tmp_path, capsys):
    path = tmp_path / "fake.npy"
    np.save(path, np.zeros((5, 28, 28), np.uint8))
    assert cli.main(["fid", "--fake", str(path), "--n", "6"]) == 2
    assert "--n must be <= the 5 digits" in capsys.readouterr().err


def test_cli_train_classifier_writes_weights_and_a_log_with_the_command(tmp_path, capsys):
    out = tmp_path / "classifier"
    assert cli.main(["train-classifier", "--epochs", "1", "--limit", "256", "--out", str(out)]) == 0
    log = (out / metrics.LOG_FILE).read_text()
    assert log.startswith("$ wgan-tutorial train-classifier --epochs 1 ")
    assert "test accuracy: " in log and "weights: " in log
    trained = metrics.feature_extractor(out / metrics.WEIGHTS_FILE)
    assert trained.outputs[0].shape[-1] == metrics.FEATURE_DIM


# --- FID along training, the sample-size bias, and their figures ----------------------------


def test_w_estimate_vs_fid_averages_the_window_before_each_fid_step():
    steps = np.arange(1, 11)
    w_estimates = steps * 2.0  # W = 2 * step
    result = metrics.w_estimate_vs_fid(
        steps, w_estimates, [0, 4, 8, 10], [9.0, 7.0, 5.0, 4.0], window=2
    )
    # Step 0 has no W estimate before it; step 4 averages steps 3 and 4: (6 + 8) / 2 = 7, etc.
    np.testing.assert_array_equal(result["steps"], [4, 8, 10])
    np.testing.assert_allclose(result["w_estimate"], [7.0, 15.0, 19.0])
    np.testing.assert_allclose(result["fid"], [7.0, 5.0, 4.0])
    assert result["spearman"] == pytest.approx(-1.0)
    assert result["pearson"] == pytest.approx(np.corrcoef([7.0, 15.0, 19.0], [7.0, 5.0, 4.0])[0, 1])
    with pytest.raises(ValueError, match="window must be an integer >= 1"):
        metrics.w_estimate_vs_fid(steps, w_estimates, [4], [1.0], window=0)


def test_fid_tracker_scores_fixed_latent_vectors_at_start_every_k_steps_and_end(test_digits):
    import keras

    generator = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(28 * 28, activation="tanh"),
            keras.layers.Reshape((28, 28, 1)),
        ]
    )
    start_weights = generator.get_weights()

    class FakeWGAN:  # what the tracker reads from a training.WGAN
        step = 0

    wgan = FakeWGAN()
    wgan.sampler = generator  # the generator samples come from (its weight average, if kept)
    tracker = metrics.fid_tracker(every=2, n=300)
    tracker.set_model(wgan)
    tracker.on_train_begin()
    for step in range(1, 6):
        wgan.step = step
        if step == 3:  # "training" changes the generator between the scores of steps 2 and 4
            generator.set_weights([w * 3.0 for w in start_weights])
        tracker.on_train_batch_end(step - 1)
    tracker.on_train_end()
    assert tracker.steps == [0, 2, 4, 5]
    # Fixed latent vectors: an unchanged generator scores the same, a changed one does not.
    assert tracker.fids[0] == pytest.approx(tracker.fids[1], rel=1e-9)
    assert tracker.fids[2] == pytest.approx(tracker.fids[3], rel=1e-9)
    assert abs(tracker.fids[2] - tracker.fids[1]) > 1.0
    # The oracle, by another route: the same 300 latent vectors drawn here, the generator
    # run once on all of them, mean and covariance by numpy, the Frechet distance by eigh.
    z = np.random.default_rng(0).standard_normal((300, 8)).astype(np.float32)
    real = metrics.features(test_digits[0], value_range="uint8")
    for weights, fid in (
        (start_weights, tracker.fids[0]),
        ([w * 3.0 for w in start_weights], tracker.fids[3]),
    ):
        generator.set_weights(weights)
        fake = metrics.features(generator(z).numpy(), value_range="[-1,1]")
        expected = _frechet_by_eigh(
            fake.mean(0), np.cov(fake, rowvar=False), real.mean(0), np.cov(real, rowvar=False)
        )
        assert fid == pytest.approx(expected, rel=1e-4)
    with pytest.raises(ValueError, match="every must be an integer >= 1"):
        metrics.fid_tracker(every=0)


def test_real_vs_real_fid_shapes_and_its_line_fit():
    result = metrics.real_vs_real_fid([300, 600], repeats=2, pool=1000)
    assert result["fid"].shape == (2, 2) and np.all(result["fid"] > 0)
    np.testing.assert_allclose(result["mean"], result["fid"].mean(axis=1))
    slope, intercept = np.polyfit([1 / 300, 1 / 600], result["mean"], 1)
    assert result["slope"] == pytest.approx(slope) and result["intercept"] == pytest.approx(
        intercept
    )
    with pytest.raises(ValueError, match="sizes must be at least two increasing integers"):
        metrics.real_vs_real_fid([600, 300])
    with pytest.raises(ValueError, match="pool must be an integer >= 600"):
        metrics.real_vs_real_fid([300, 600], pool=500)


def test_notebook_04_figures_have_their_panels():
    import matplotlib.pyplot as plt

    from wgan_tutorial import plotting

    rng = np.random.default_rng(0)
    figure = plotting.plot_feature_gaussians(
        rng.normal(size=(50, 5)), rng.normal(1, 2, size=(40, 5))
    )
    assert len(figure.axes) == 1
    bias = {
        "sizes": np.array([100, 200]),
        "fid": np.array([[4.0, 5.0], [2.0, 3.0]]),
        "mean": np.array([4.5, 2.5]),
        "std": np.array([0.5, 0.5]),
        "slope": 400.0,
        "intercept": 0.5,
    }
    assert len(plotting.plot_fid_vs_sample_size(bias).axes) == 2
    coverage = plotting.plot_class_coverage({"a": np.full(10, 0.1), "b": np.eye(10)[3]})
    assert len(coverage.axes) == 2
    comparison = metrics.w_estimate_vs_fid(
        np.arange(1, 101), np.linspace(5, 1, 100), [20, 50, 100], [300.0, 100.0, 30.0], window=10
    )
    assert (
        len(
            plotting.plot_fid_and_w_estimate(
                np.arange(1, 101), np.linspace(5, 1, 100), comparison, floor=3.0
            ).axes
        )
        == 4
    )  # two panels, the FID twin axis, a colorbar
    with pytest.raises(ValueError, match=r"coverages\['x'\] must have shape \(10,\)"):
        plotting.plot_class_coverage({"x": np.ones(9) / 9})
    plt.close("all")


def test_gan_baseline_figure_draws_each_run_in_each_panel_and_skips_missing_losses():
    import matplotlib.pyplot as plt

    from wgan_tutorial import plotting

    start = dict(seconds=0.0, critic_loss=None, w_estimate=None, fid=3000.0)
    runs = {
        "gp": {
            "points": [
                start,
                dict(seconds=20.0, critic_loss=-5.0, w_estimate=6.0, fid=700.0),
                dict(seconds=40.0, critic_loss=-4.0, w_estimate=5.0, fid=400.0),
            ]
        },
        "gan": {"points": [start, dict(seconds=20.0, critic_loss=0.3, w_estimate=7.0, fid=2000.0)]},
    }
    figure = plotting.plot_gan_baseline(runs)
    loss_axis, estimate_axis, fid_axis = figure.axes
    assert [list(line.get_ydata()) for line in loss_axis.lines] == [[-5.0, -4.0], [0.3]]
    assert [list(line.get_xdata()) for line in fid_axis.lines] == [[0.0, 20.0, 40.0], [0.0, 20.0]]
    assert fid_axis.get_yscale() == "log" and "s)" in fid_axis.get_xlabel()
    assert [line.get_label() for line in estimate_axis.lines][:2] == [
        "WGAN-GP",
        "GAN, non-saturating",
    ]
    with pytest.raises(ValueError, match="non-empty 'points'"):
        plotting.plot_gan_baseline({"gp": {"points": []}})
    plt.close("all")
