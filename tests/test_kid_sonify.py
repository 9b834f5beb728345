"""KID against a direct double loop, and the sonification against the FFT of its sound."""

import numpy as np
import pytest
from scipy.io import wavfile

from wgan_tutorial import metrics, sonify


def _kid_by_loops(x, y):
    """The unbiased MMD^2 of Binkowski et al. 2018 (arXiv 1801.01401), written out pair by pair."""
    d = x.shape[1]

    def k(a, b):
        return (sum(a[i] * b[i] for i in range(d)) / d + 1.0) ** 3

    m, n = len(x), len(y)
    xx = sum(k(x[i], x[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    yy = sum(k(y[i], y[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    xy = sum(k(x[i], y[j]) for i in range(m) for j in range(n)) / (m * n)
    return xx + yy - 2 * xy


def test_kid_matches_a_double_loop_over_all_pairs():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(7, 3)), rng.normal(0.5, 1.3, size=(5, 3))
    assert metrics.kid_from_features(x, y) == pytest.approx(_kid_by_loops(x, y), rel=1e-12)


def test_kid_is_unbiased_near_zero_for_one_distribution_and_positive_for_two():
    rng = np.random.default_rng(1)
    same = [
        metrics.kid_from_features(rng.normal(size=(40, 4)), rng.normal(size=(40, 4)))
        for _ in range(200)
    ]
    # the unbiased estimate averages to 0 (a biased one would stay above 0 by O(1/N))
    assert abs(np.mean(same)) < 3 * np.std(same) / np.sqrt(len(same))
    shifted = metrics.kid_from_features(rng.normal(size=(40, 4)), rng.normal(1.0, 1.0, (40, 4)))
    assert shifted > 10 * np.std(same)


def test_subset_kid_with_one_full_subset_equals_the_all_pairs_value():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(30, 5)), rng.normal(size=(20, 5))
    mean, std = metrics.kid(x, y, subsets=1, subset_size=20, seed=0)
    # one subset of 20 rows of y is all of y (in another order); x gives 20 of its 30 rows
    chosen = np.random.default_rng(0).choice(30, 20, replace=False)
    assert mean == pytest.approx(metrics.kid_from_features(x[chosen], y), rel=1e-12) and std == 0


@pytest.mark.parametrize(
    "a, b, message",
    [
        (np.zeros((1, 3)), np.zeros((4, 3)), "at least 2 rows"),
        (np.zeros((4, 3)), np.zeros((4, 2)), "same width"),
        (np.zeros(4), np.zeros((4, 2)), "2-D array"),
    ],
)
def test_kid_rejects_bad_features(a, b, message):
    with pytest.raises(ValueError, match=message):
        metrics.kid_from_features(a, b)


def test_a_single_bright_row_sounds_at_its_pitch():
    image = np.zeros((16, 8), np.uint8)
    image[5] = 255
    rate, seconds = 16_000, 2.0
    sound = sonify.image_to_sound(image, seconds=seconds, rate=rate)
    spectrum = np.abs(np.fft.rfft(sound))
    peak_hz = np.fft.rfftfreq(len(sound), 1 / rate)[np.argmax(spectrum)]
    # row 5 of 16, top row 4000 Hz, bottom row 200 Hz, geometric spacing
    expected = 4000.0 * (200.0 / 4000.0) ** (5 / 15)
    assert abs(peak_hz - expected) <= 1 / seconds  # within one FFT bin
    assert np.abs(sound).max() == pytest.approx(0.9, abs=1e-6)


def test_columns_are_time_a_bright_column_sounds_only_in_its_slice():
    image = np.zeros((4, 4))
    image[:, 2] = 1.0
    sound = sonify.image_to_sound(image, seconds=1.0, rate=16_000)
    quarters = np.abs(sound).reshape(4, -1).max(axis=1)
    assert quarters[2] > 0.5 and quarters[[0, 1, 3]].max() == 0


def test_wav_file_round_trips_through_scipy(tmp_path):
    image = np.random.default_rng(0).integers(0, 256, (8, 8, 3), dtype=np.uint8)
    path = sonify.sonify(image, tmp_path / "a" / "s.wav", seconds=0.5, rate=16_000)
    rate, samples = wavfile.read(path)
    assert rate == 16_000 and samples.dtype == np.int16 and samples.shape == (8000,)
    assert np.abs(samples).max() == round(0.9 * 32767)


def test_sonify_rejects_bad_input():
    with pytest.raises(ValueError, match="image must have shape"):
        sonify.image_to_sound(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="Nyquist"):
        sonify.image_to_sound(np.zeros((2, 2)), rate=4000)


def test_kid_with_a_progress_bar_gives_the_same_numbers(capsys):
    from wgan_tutorial.metrics import frechet

    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(40, 5)), rng.normal(0.5, 1.0, size=(30, 5))
    quiet = frechet.kid(a, b, subsets=7, subset_size=20, seed=1)
    shown = frechet.kid(a, b, subsets=7, subset_size=20, seed=1, progress=True)
    assert shown == quiet
    assert "KID subsets" in capsys.readouterr().err
