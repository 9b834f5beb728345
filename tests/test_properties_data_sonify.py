"""Property-based tests of the 2-D and 1-D toy distributions and of the sonification.

Oracles: the toys' definitions (every point within a few standard deviations of the centre
of its mode, the mode the nearest centre, the Swiss roll's radius in its parameter range,
the sample moments of gaussian_1d); for sounds, the sine of one bright pixel written out
by hand, the length seconds x rate, the peak of 0.9, and the WAV file read back with
scipy.io.wavfile. Any warning is an error.

Examples per property: the hypothesis profile (tests/conftest.py); a longer local run is
`HYPOTHESIS_PROFILE=thorough pytest tests/test_properties_data_sonify.py`.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.io import wavfile

from wgan_tutorial import data, sonify

pytestmark = pytest.mark.filterwarnings("error")

counts = st.one_of(st.integers(1, 50), st.sampled_from([1, 2, 20_000]))
seeds = st.one_of(st.none(), st.integers(0, 2**63 - 1))
bad_counts = st.sampled_from([0, -1, 1.5, True, math.nan, "3", None, 10**40 * 0])


# ---------------------------------------------------------------------------------------
# The toy distributions.
# ---------------------------------------------------------------------------------------

TOY_LOADERS = [data.eight_gaussians, data.twenty_five_gaussians, data.swiss_roll, data.gaussian_1d]
# (loader, unscaled centres, std, scale) of the two mixtures.
MIXTURES = {
    "eight_gaussians": (data.eight_gaussians, data.eight_gaussian_centres(), 0.02, 1.414),
    "twenty_five_gaussians": (
        data.twenty_five_gaussians,
        np.stack(np.meshgrid(np.arange(-2, 3) * 2.0, np.arange(-2, 3) * 2.0), -1).reshape(-1, 2),
        0.05,
        2.828,
    ),
}


@given(st.sampled_from(sorted(MIXTURES)), counts, seeds)
def test_mixture_points_lie_near_the_centre_of_their_mode(name, n, seed):
    loader, centres, std, scale = MIXTURES[name]
    points, modes = loader(n, seed=seed, labels=True)
    assert points.shape == (n, 2) and points.dtype == np.float32
    assert modes.shape == (n,) and modes.dtype == np.int32
    assert np.all(np.isfinite(points))
    assert np.all((modes >= 0) & (modes < len(centres)))
    # 7 standard deviations per coordinate: a miss has probability < 1e-11 per point.
    offsets = np.abs(points * scale - centres[modes])
    assert np.all(offsets <= 7 * std + 1e-5)
    nearest = np.argmin(np.linalg.norm(points[:, None] * scale - centres[None], axis=-1), axis=1)
    np.testing.assert_array_equal(nearest, modes)
    if seed is not None:  # the same seed, the same points
        np.testing.assert_array_equal(loader(n, seed=seed), points)


@given(counts, seeds)
def test_swiss_roll_points_lie_on_the_roll(n, seed):
    points = data.swiss_roll(n, seed=seed)
    assert points.shape == (n, 2) and points.dtype == np.float32 and np.all(np.isfinite(points))
    radius = np.linalg.norm(points.astype(np.float64) * 7.5, axis=1)
    # t in [1.5 pi, 4.5 pi], plus noise of std 0.25 in each of x and z (8 std).
    assert np.all(radius >= 1.5 * np.pi - 8 * 0.25 * math.sqrt(2))
    assert np.all(radius <= 4.5 * np.pi + 8 * 0.25 * math.sqrt(2))


@given(counts, st.floats(-1e30, 1e30), st.floats(1e-30, 1e30), seeds)
def test_gaussian_1d_draws_finite_float32_samples_of_the_given_moments(n, mean, std, seed):
    x = data.gaussian_1d(n, mean, std, seed=seed)
    assert x.shape == (n, 1) and x.dtype == np.float32 and np.all(np.isfinite(x))
    # Every draw within 7 std of the mean (plus float32 rounding of the mean).
    assert np.all(np.abs(x.astype(np.float64) - mean) <= 7 * std + 1e-6 * abs(mean))


@given(
    st.sampled_from(["8gaussians", "25gaussians", "swissroll"]), counts, st.integers(0, 2**63 - 1)
)
def test_toy_samples_are_the_loaders_points(name, n, seed):
    loader = {
        "8gaussians": data.eight_gaussians,
        "25gaussians": data.twenty_five_gaussians,
        "swissroll": data.swiss_roll,
    }[name]
    np.testing.assert_array_equal(data.toy_samples(name, n, seed=seed), loader(n, seed=seed))


@given(st.sampled_from(TOY_LOADERS), bad_counts)
def test_toy_loaders_name_a_bad_count(loader, n):
    with pytest.raises(ValueError, match=r"\bn\b"):
        loader(n)


@pytest.mark.parametrize(
    "kwargs", [{"mean": 1e300}, {"mean": math.nan}, {"std": 1e300}, {"std": math.inf}]
)
def test_regression_gaussian_1d_names_a_mean_or_std_out_of_range(kwargs):
    # Found probing the domain (any finite mean, any std > 0): NaN or inf samples.
    with pytest.raises(ValueError, match="mean|std"):  # not nan or inf samples
        data.gaussian_1d(3, seed=0, **kwargs)


@pytest.mark.parametrize("loader", TOY_LOADERS)
def test_regression_toy_loaders_name_a_negative_seed(loader):
    with pytest.raises(ValueError, match="seed"):
        loader(3, seed=-1)


# ---------------------------------------------------------------------------------------
# Sonification.
# ---------------------------------------------------------------------------------------

pitches = st.floats(1e-300, 1e300)


@given(st.integers(1, 2000), pitches, pitches)
def test_row_frequencies_are_geometric_from_high_to_low(rows, a, b):
    low, high = min(a, b), max(a, b)
    if low == high:
        with pytest.raises(ValueError, match="high_hz"):
            sonify.row_frequencies(rows, low, high)
        return
    f = sonify.row_frequencies(rows, low, high)
    assert f.shape == (rows,) and np.all(np.isfinite(f)) and np.all(f > 0)
    assert f[0] == pytest.approx(high, rel=1e-12)
    if rows > 1:
        assert f[-1] == pytest.approx(low, rel=1e-12)
        ratios = np.log(f[:-1]) - np.log(f[1:])  # equal musical steps
        np.testing.assert_allclose(
            ratios, (math.log(high) - math.log(low)) / (rows - 1), rtol=1e-6, atol=1e-9
        )
        assert np.all(np.diff(f) <= 0)


images = st.one_of(
    hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, max_side=12)),
    hnp.arrays(
        np.float32,
        hnp.array_shapes(min_dims=2, max_dims=2, max_side=12),
        elements=st.floats(-1.0, 1.0, width=32),
    ),
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 8), st.integers(1, 8), st.just(3)),
        elements=st.floats(-1e300, 1e300),
    ),
)


@given(images, st.floats(1e-300, 0.2), st.integers(1000, 48_000))
def test_image_to_sound_has_the_length_and_peak_it_documents(image, seconds, rate):
    sound = sonify.image_to_sound(
        image, seconds=seconds, rate=rate, high_hz=min(4000.0, rate / 2.5)
    )
    assert sound.dtype == np.float32 and sound.shape == (max(1, round(seconds * rate)),)
    assert np.all(np.isfinite(sound))
    peak = float(np.max(np.abs(sound)))
    assert peak == 0.0 or peak == pytest.approx(0.9, rel=1e-6)


@given(st.integers(1, 6), st.data(), st.floats(0.01, 0.2), st.integers(1000, 48_000))
def test_one_bright_pixel_sounds_the_sine_of_its_row(rows, data_, seconds, rate):
    row = data_.draw(st.integers(0, rows - 1))
    image = np.zeros((rows, 1), dtype=np.uint8)
    image[row, 0] = 255
    high = min(4000.0, rate / 2.5)
    sound = sonify.image_to_sound(image, seconds=seconds, rate=rate, high_hz=high)
    frequency = high * (200.0 / high) ** (row / (rows - 1)) if rows > 1 else high
    t = np.arange(sound.size) / rate
    expected = np.sin(2 * np.pi * frequency * t)
    peak = np.max(np.abs(expected))
    if peak == 0:
        assert np.all(sound == 0)
        return
    np.testing.assert_allclose(sound, 0.9 * expected / peak, atol=1e-6)


@given(
    st.sampled_from(
        [
            ("seconds", 0.0),
            ("seconds", -1.0),
            ("seconds", math.inf),
            ("seconds", math.nan),
            ("rate", 999),
            ("rate", 44_100.5),
            ("high_hz", 30_000.0),
            ("low_hz", 0.0),
            ("low_hz", -5.0),
        ]
    )
)
def test_image_to_sound_names_a_bad_parameter(option):
    name, value = option
    with pytest.raises(ValueError, match=name):
        sonify.image_to_sound(np.ones((2, 2)), **{name: value})


@pytest.mark.parametrize(
    "option", [("seconds", 1e300), ("rate", 10**300), ("seconds", sonify.MAX_SAMPLES / 1000)]
)
def test_regression_image_to_sound_refuses_sounds_too_long_to_hold(option):
    # Found probing the domain (seconds: any float > 0): seconds = 1e300 ended in numpy's
    # "Maximum allowed size exceeded" (naming nothing), and seconds = 1e5 tried to allocate
    # 17 GB; now a ValueError naming the parameter.
    name, value = option
    with pytest.raises(ValueError, match=name):
        sonify.image_to_sound(np.ones((2, 2)), **{name: value})


def test_regression_a_rate_too_large_for_a_float_is_named():
    # Found probing the domain (rate: any int >= 1000): 10**400 -> OverflowError.
    with pytest.raises(ValueError, match="rate"):
        sonify.image_to_sound(np.ones((2, 2)), rate=10**400)


@given(
    hnp.arrays(np.float64, st.integers(0, 500), elements=st.floats(-1.0, 1.0)),
    st.integers(1000, 96_000),
)
def test_write_wav_writes_the_16_bit_samples_it_documents(tmp_path_factory, sound, rate):
    path = tmp_path_factory.mktemp("wav") / "sound.wav"
    assert sonify.write_wav(path, sound, rate) == path
    read_rate, samples = wavfile.read(path)
    assert read_rate == rate and samples.dtype == np.int16
    np.testing.assert_array_equal(samples, np.rint(sound * 32767).astype(np.int16))


@given(st.sampled_from([[1.5], [math.nan], [[0.0]], [-1.0001], [math.inf]]))
def test_write_wav_names_a_bad_sound(tmp_path_factory, sound):
    path = tmp_path_factory.mktemp("wav") / "sound.wav"
    with pytest.raises(ValueError, match="sound"):
        sonify.write_wav(path, sound)
    assert not path.exists()
