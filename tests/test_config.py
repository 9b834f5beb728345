"""Fast mode, seeding and the cache folder."""
import numpy as np
import pytest

from wgan_tutorial import config


@pytest.mark.parametrize("value, expected", [("1", True), ("0", False), ("", False)])
def test_fast_mode_reads_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("WGAN_TUTORIAL_FAST", value)
    assert config.fast_mode() is expected
    assert config.pick("full", "fast") == ("fast" if expected else "full")


def test_fast_mode_rejects_other_values(monkeypatch):
    monkeypatch.setenv("WGAN_TUTORIAL_FAST", "maybe")
    with pytest.raises(ValueError, match="WGAN_TUTORIAL_FAST must be 1"):
        config.fast_mode()


def test_seed_everything_repeats_numpy_and_tensorflow_draws():
    import tensorflow as tf

    config.seed_everything(7)
    first = np.random.rand(3), tf.random.uniform((3,)).numpy()
    config.seed_everything(7)
    second = np.random.rand(3), tf.random.uniform((3,)).numpy()
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


@pytest.mark.parametrize("seed", [-1, 1.5, "3", True])
def test_seed_everything_rejects_non_integers(seed):
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        config.seed_everything(seed)


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("WGAN_TUTORIAL_CACHE", str(tmp_path / "c"))
    assert config.runs_dir("demo") == tmp_path / "c" / "runs" / "demo"
    assert (tmp_path / "c" / "runs" / "demo").is_dir()


@pytest.mark.parametrize(
    "value, kwargs, message",
    [
        (0, dict(minimum=1, integer=True), "n must be an integer >= 1, got 0"),
        (1.5, dict(minimum=1, integer=True), "n must be an integer >= 1, got 1.5"),
        (True, dict(minimum=0, integer=True), "n must be an integer >= 0, got True"),
        (0.0, dict(minimum=0, inclusive=False), "n must be a number > 0, got 0.0"),
        (float("nan"), dict(minimum=0), "n must be a number >= 0, got nan"),
        (float("inf"), dict(minimum=0), "n must be a number >= 0, got inf"),
    ],
)
def test_check_number_names_the_parameter_and_the_range(value, kwargs, message):
    with pytest.raises(ValueError, match=message):
        config.check_number(value, "n", **kwargs)


def test_check_number_returns_ints_and_floats():
    assert config.check_number(np.int64(3), "n", 1, integer=True) == 3
    assert type(config.check_number(np.int64(3), "n", 1, integer=True)) is int
    assert config.check_number(0, "x", 0) == 0.0 and type(config.check_number(2, "x", 0)) is float
