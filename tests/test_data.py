"""MNIST sources, the tf.data pipeline and the toy samplers."""

import gzip
import pickle
import time

import numpy as np
import pytest

from wgan_tutorial import data
from wgan_tutorial.data import mnist as mnist_module


def _write_npz(path, n_train=30, n_test=20, **overrides):
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": (np.arange(n_train) % 10).astype(np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": (np.arange(n_test) % 10).astype(np.uint8),
    }
    arrays.update(overrides)
    arrays = {k: v for k, v in arrays.items() if v is not None}
    np.savez(path, **arrays)
    return arrays


def test_fast_mode_uses_the_shipped_balanced_subset():
    images, labels = data.load_mnist("train")
    assert images.shape == (8000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (8000,) and labels.dtype == np.uint8
    assert np.bincount(labels, minlength=10).tolist() == [800] * 10
    test_images, test_labels = data.load_mnist("test")
    assert test_images.shape == (2000, 28, 28)
    assert np.bincount(test_labels, minlength=10).tolist() == [200] * 10


def test_shipped_subset_looks_like_mnist_digits():
    images, _ = data.load_mnist("train", verbose=False)
    # MNIST digits are white strokes on black: about 19 % of pixels are non-zero and the
    # border rows are almost always empty (the digits are centred in a 20x20 box).
    assert 0.15 < (images > 0).mean() < 0.25
    assert images[:, 0, :].max() == 0 and images.max() == 255


def test_load_mnist_names_its_source(caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="wgan_tutorial"):
        data.load_mnist("test")
    assert "shipped subset" in caplog.text and "2000 digits" in caplog.text


def test_load_mnist_reads_a_named_npz_file(tmp_path):
    arrays = _write_npz(tmp_path / "m.npz")
    images, labels = data.load_mnist("test", path=tmp_path / "m.npz", verbose=False)
    np.testing.assert_array_equal(images, arrays["x_test"])
    np.testing.assert_array_equal(labels, arrays["y_test"])


def test_load_mnist_reads_the_classic_pickle_when_named(tmp_path):
    rng = np.random.default_rng(1)
    split = lambda n: (rng.random((n, 784)).astype(np.float32), np.arange(n) % 10)  # noqa: E731
    train, valid, test = split(5), split(3), split(4)
    with gzip.open(tmp_path / "mnist.pkl.gz", "wb") as handle:
        pickle.dump((train, valid, test), handle)
    images, labels = data.load_mnist("train", path=tmp_path / "mnist.pkl.gz", verbose=False)
    assert images.shape == (8, 28, 28) and images.dtype == np.uint8  # train + valid
    expected = np.rint(train[0][0] * 255).astype(np.uint8).reshape(28, 28)
    np.testing.assert_array_equal(images[0], expected)
    np.testing.assert_array_equal(labels, np.r_[np.arange(5), np.arange(3)])


def test_environment_variable_names_a_full_mnist(tmp_path, monkeypatch):
    _write_npz(tmp_path / "full.npz", n_train=40)
    monkeypatch.setenv("WGAN_TUTORIAL_FAST", "0")
    monkeypatch.setenv("WGAN_TUTORIAL_MNIST", str(tmp_path / "full.npz"))
    images, _ = data.load_mnist("train", verbose=False)
    assert len(images) == 40


def test_offline_fallback_is_quick(monkeypatch, tmp_path):
    # No env file, no keras cache; the download is replaced by one that fails like an
    # offline machine, so the shipped subset must come back at once.
    monkeypatch.setenv("WGAN_TUTORIAL_FAST", "0")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(mnist_module, "keras_download", lambda: None)
    start = time.perf_counter()
    images, _ = data.load_mnist("train", verbose=False)
    assert len(images) == 8000 and time.perf_counter() - start < 5


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"y_test": None}, "lacks the arrays"),
        ({"x_train": np.zeros((3, 28, 27), np.uint8)}, "shape"),
        ({"x_train": np.full((30, 28, 28), 300, np.int32)}, r"\[0, 255\]"),
        ({"y_train": np.full(30, 12, np.uint8)}, r"\[0, 9\]"),
        ({"y_train": np.zeros(29, np.uint8)}, "shape"),
    ],
)
def test_bad_files_raise_value_error_naming_the_problem(tmp_path, overrides, message):
    path = tmp_path / "bad.npz"
    _write_npz(path, **overrides)
    with pytest.raises(ValueError, match=message):
        data.load_mnist("train", path=path, verbose=False)


def test_missing_path_and_unknown_split_raise(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        data.load_mnist("train", path=tmp_path / "nope.npz")
    with pytest.raises(ValueError, match="split must be one of"):
        data.load_mnist("validation")
    (tmp_path / "garbage.npz").write_bytes(b"not a zip file")
    with pytest.raises(ValueError, match="not a readable"):
        data.load_mnist("train", path=tmp_path / "garbage.npz")


def test_npz_with_pickled_objects_is_refused(tmp_path):
    path = tmp_path / "objects.npz"
    _write_npz(path, x_train=np.array([{"a": 1}] * 30, dtype=object))
    with pytest.raises(ValueError):
        data.load_mnist("train", path=path, verbose=False)


def test_mnist_dataset_gives_batches_in_minus_one_one():
    batch = next(iter(data.mnist_dataset(32, split="test")))
    assert batch.shape == (32, 28, 28, 1) and batch.dtype.name == "float32"
    values = batch.numpy()
    assert values.min() == -1.0 and values.max() == 1.0
    # 0 maps to -1 and 255 to +1: the generator's tanh range.
    np.testing.assert_allclose(
        data.to_float_images(np.array([[[0] * 28] * 28, [[255] * 28] * 28], np.uint8))[:, 0, 0, 0],
        [-1, 1],
    )


def test_mnist_dataset_gives_the_batches_of_the_former_mnist_only_pipeline():
    # mnist_dataset now runs through image_dataset; the oracle is the MNIST-only tf.data chain
    # it replaced, written out here: the same values in the same order for the same seed.
    from wgan_tutorial.config import import_tensorflow

    tf = import_tensorflow()
    images = data.load_mnist("test", verbose=False)[0][:300]
    for seed, repeat in ((0, True), (5, False)):
        expected = tf.data.Dataset.from_tensor_slices(images)
        expected = expected.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
        expected = (expected.repeat() if repeat else expected).batch(64, drop_remainder=True)
        expected = expected.map(lambda x: tf.cast(x, tf.float32)[..., None] / 127.5 - 1.0)
        got = data.mnist_dataset(64, split="test", limit=300, seed=seed, repeat=repeat)
        # 10 batches, past the first epoch's 4 (zip stops at the shortest: repeat=False gives 4)
        pairs = list(zip(range(10), expected, got, strict=False))
        assert len(pairs) == (10 if repeat else 4)
        for _, want, have in pairs:
            np.testing.assert_array_equal(have.numpy(), want.numpy())
    with pytest.raises(ValueError, match="limit must be >= 1"):
        data.mnist_dataset(8, split="test", limit=0)


def test_every_pipeline_that_fit_reads_has_autotuning_off(monkeypatch):
    # tf.data's autotuning made fit() return seconds after its last step (data.prefetched)
    import keras

    from wgan_tutorial import augmentation, metrics, training

    given = []
    fit = keras.Model.fit

    def recording_fit(model, x=None, *args, **kwargs):
        given.append(x)
        return fit(model, x, *args, **kwargs)

    monkeypatch.setattr(keras.Model, "fit", recording_fit)
    training.train(loss="gp", dataset="mnist", steps=1, progress=False)
    training.train(loss="gp", dataset="8gaussians", steps=1, progress=False)
    images, labels = data.load_mnist("test", verbose=False)
    augmentation.fit_classifier(images[:64], labels[:64], steps=1, batch_size=32)
    metrics.train_classifier(epochs=1, limit=64, batch_size=32, log=lambda *_: None)
    assert len(given) == 4
    colour = np.zeros((8, 32, 32, 3), np.uint8)
    pipelines = given + [
        data.image_dataset(colour, (32, 32, 3), 4),
        data.labelled_dataset(colour, np.arange(8) % 2, (32, 32, 3), 4),
    ]
    assert [pipeline.options().autotune.enabled for pipeline in pipelines] == [False] * 6


def test_mnist_dataset_rejects_bad_batch_size():
    with pytest.raises(ValueError, match="batch_size"):
        data.mnist_dataset(0)
    with pytest.raises(ValueError, match="batch_size"):
        data.mnist_dataset(2.5, split="test")
    # a batch larger than the data set is cycled through (issue #31): tests/test_small_data.py


def test_eight_gaussians_have_the_papers_centres_and_spread():
    points = data.toy_samples("8gaussians", 40000, seed=0)
    radius = np.linalg.norm(points, axis=1)
    # centres at radius 2 / 1.414, noise std 0.02 / 1.414 in each coordinate
    np.testing.assert_allclose(radius.mean(), 2 / 1.414, atol=2e-3)
    angles = np.mod(np.arctan2(points[:, 1], points[:, 0]), 2 * np.pi)
    counts = np.bincount(np.rint(angles / (np.pi / 4)).astype(int) % 8, minlength=8)
    assert counts.min() > 4500  # 5000 expected per mode


def test_twenty_five_gaussians_sit_on_the_scaled_grid():
    points = data.toy_samples("25gaussians", 20000, seed=0)
    nearest = np.rint(points * 2.828 / 2) * 2 / 2.828
    np.testing.assert_allclose(np.std(points - nearest), 0.05 / 2.828, rtol=0.05)
    assert len(np.unique(np.rint(points * 2.828 / 2), axis=0)) == 25


def test_swiss_roll_is_scaled_into_the_unit_box_and_seeded():
    a = data.toy_samples("swissroll", 5000, seed=3)
    np.testing.assert_array_equal(a, data.toy_samples("swissroll", 5000, seed=3))
    # t in [1.5 pi, 4.5 pi]: |x| <= 4.5 pi / 7.5 ~ 1.885 before noise
    assert np.abs(a).max() < 1.885 + 5 * 0.25 / 7.5


def test_gaussian_1d_matches_its_parameters_and_checks_them():
    x = data.gaussian_1d(100000, mean=2.0, std=0.5, seed=0)
    assert x.shape == (100000, 1)
    np.testing.assert_allclose([x.mean(), x.std()], [2.0, 0.5], atol=0.01)
    with pytest.raises(ValueError, match="std must be > 0"):
        data.gaussian_1d(10, std=0)
    with pytest.raises(ValueError, match="n must be"):
        data.toy_samples("8gaussians", 0)
    with pytest.raises(ValueError, match="toy dataset must be one of"):
        data.toy_samples("moons", 10)


# --- damaged files, crafted pickles and the offline fallback (issues #13 and #16) -------------


def test_truncated_npz_is_a_value_error_naming_the_path(tmp_path):
    path = tmp_path / "cut.npz"
    _write_npz(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ValueError, match=f"MNIST file {path} is not a readable .npz"):
        data.load_mnist("train", path=path, verbose=False)


def test_corrupted_compressed_npz_is_a_value_error_naming_the_path(tmp_path):
    path = tmp_path / "flipped.npz"
    rng = np.random.default_rng(0)
    np.savez_compressed(
        path,
        x_train=rng.integers(0, 256, (30, 28, 28), dtype=np.uint8),
        y_train=np.zeros(30, np.uint8),
        x_test=np.zeros((2, 28, 28), np.uint8),
        y_test=np.zeros(2, np.uint8),
    )
    blob = bytearray(path.read_bytes())
    start = blob.index(b"x_train.npy") + 200  # inside x_train's deflated data
    blob[start : start + 64] = bytes(64)
    path.write_bytes(bytes(blob))
    with pytest.raises(ValueError, match=f"MNIST file {path} is not a readable .npz"):
        data.load_mnist("train", path=path, verbose=False)


def test_npy_given_as_the_mnist_file_is_a_value_error_naming_the_path(tmp_path):
    path = tmp_path / "images.npy"
    np.save(path, np.zeros((3, 28, 28), np.uint8))
    with pytest.raises(ValueError, match=f"MNIST file {path} is not a readable .npz"):
        data.load_mnist("train", path=path, verbose=False)


def test_damaged_mnist_file_on_the_command_line_is_one_line_exit_2(tmp_path, capsys):
    from wgan_tutorial import cli

    path = tmp_path / "cut.npz"
    _write_npz(path)
    path.write_bytes(path.read_bytes()[:100])
    assert cli.main(["data", "--path", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


class _RunsCode:
    """Unpickling this would call builtins.exec: a crafted `mnist.pkl.gz`."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


def test_crafted_pickle_that_would_run_code_is_refused(tmp_path):
    marker = tmp_path / "code_ran"
    with gzip.open(tmp_path / "mnist.pkl.gz", "wb") as handle:
        pickle.dump(((_RunsCode(marker), [0]), ([], []), ([], [])), handle)
    with pytest.raises(ValueError, match="refused to load builtins.exec"):
        data.load_mnist("train", path=tmp_path / "mnist.pkl.gz", verbose=False)
    assert not marker.exists()


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_real_mnist_pickles_of_every_protocol_are_read(tmp_path, protocol):
    split = (np.full((2, 784), 0.5, np.float32), np.array([3, 4]))
    with gzip.open(tmp_path / "mnist.pkl.gz", "wb") as handle:
        pickle.dump((split, split, split), handle, protocol=protocol)
    images, labels = data.load_mnist("test", path=tmp_path / "mnist.pkl.gz", verbose=False)
    assert (images == 128).all() and labels.tolist() == [3, 4]  # rint(0.5 * 255) = 128


def test_offline_load_mnist_imports_no_tensorflow_and_takes_under_2_s(tmp_path):
    import os
    import subprocess
    import sys

    # A fresh process whose network is down (the host probe fails as offline DNS does).
    code = (
        "import sys, time; start = time.perf_counter(); from wgan_tutorial import data; "
        "data.files.host_answers = lambda url: False; "
        "images, _ = data.load_mnist(verbose=False); "
        "print(len(images), 'tensorflow' in sys.modules, time.perf_counter() - start)"
    )
    env = dict(os.environ, WGAN_TUTORIAL_FAST="0", KERAS_HOME=str(tmp_path))
    env.pop("WGAN_TUTORIAL_MNIST", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[:2] == ["8000", "False"] and float(out[2]) < 2.0


# --- downloads: a progress bar, and the published SHA-256 checked (issue #32) ----------------


@pytest.fixture
def reachable(monkeypatch):
    """Every host answers (the files are served from file:// URLs, no network is used)."""
    monkeypatch.setattr(data.files, "host_answers", lambda url: True)


def test_download_keeps_a_file_whose_sha256_matches_and_shows_progress(tmp_path, reachable, capsys):
    import hashlib

    served = tmp_path / "served.bin"
    served.write_bytes(np.random.default_rng(0).bytes(2 * data.PROGRESS_BAR_BYTES))
    published = hashlib.sha256(served.read_bytes()).hexdigest()
    target = tmp_path / "cache" / "kept.bin"
    assert data.download(served.as_uri(), str(target), published) == target
    assert target.read_bytes() == served.read_bytes()
    assert "2.00M" in capsys.readouterr().err  # tqdm's bar: 2 MiB of 2 MiB
    assert sorted(p.name for p in target.parent.iterdir()) == ["kept.bin"]


def test_download_with_the_wrong_sha256_raises_and_keeps_nothing(tmp_path, reachable):
    import hashlib

    served = tmp_path / "served.bin"
    served.write_bytes(b"not the published file")
    got = hashlib.sha256(b"not the published file").hexdigest()
    target = tmp_path / "cache" / "data.tar.gz"
    with pytest.raises(ValueError, match=f"data.tar.gz .*SHA-256 {got}, expected {'a' * 64}"):
        data.download(served.as_uri(), str(target), "a" * 64)
    assert list(target.parent.iterdir()) == []  # neither the file nor its partial download


def test_download_that_fails_falls_back_to_none_and_keeps_nothing(tmp_path, reachable):
    target = tmp_path / "cache" / "missing.npz"
    assert data.download((tmp_path / "nowhere.npz").as_uri(), str(target)) is None
    assert not target.parent.exists() or list(target.parent.iterdir()) == []
