"""Sonification: hearing an image (or a grid of generated images), for blind and sighted users.

An image is read like a score, left to right: each column is a slice of time, each row a
pitch (the top row highest), each pixel's brightness the loudness of its pitch during its
column. The pitches are spaced evenly on a logarithmic (musical) scale between `low_hz` and
`high_hz`, so equal steps in rows sound like equal musical intervals. This is the classic
"image to spectrogram" mapping of Meijer's vOICe (IEEE Trans. Biomed. Eng. 39(2), 1992),
the optional tool of the CelebA WGAN project that the course follows. The sound is written as
a 16-bit mono WAV with `scipy.io.wavfile`; no other dependency.

Taught in notebooks/06_your_own_images.ipynb.
"""

from pathlib import Path

import numpy as np

from wgan_tutorial import resources
from wgan_tutorial.config import check_number

DEFAULT_RATE = 22_050
DEFAULT_LOW_HZ = 200.0
DEFAULT_HIGH_HZ = 4_000.0
# The most samples one sound may have (25 minutes at 22,050 Hz; 256 MiB while it is summed)
# and the highest sample rate: beyond them a sound cannot be held in memory or written.
MAX_SAMPLES = 2**25
MAX_RATE = 1_000_000


def _check_rate(rate):
    rate = check_number(rate, "rate", 1000, integer=True)
    if rate > MAX_RATE:
        raise ValueError(f"rate must be an integer in [1000, {MAX_RATE}], got {rate!r}")
    return rate


def _brightness(image):
    """A 2-D float array in [0, 1]: integers / 255, floats in [-1, 1] mapped, RGB -> luma."""
    image = np.asarray(image)
    integer = np.issubdtype(image.dtype, np.integer)
    image = image.astype(np.float64)
    if image.ndim == 3 and image.shape[-1] in (1, 3):
        weights = np.array([0.299, 0.587, 0.114]) if image.shape[-1] == 3 else np.ones(1)
        image = image @ weights
    if image.ndim != 2 or 0 in image.shape:
        raise ValueError(
            f"image must have shape (H, W), (H, W, 1) or (H, W, 3), got {np.shape(image)}"
        )
    if not np.all(np.isfinite(image)):
        raise ValueError("image must be finite")
    if integer:
        return np.clip(image / 255.0, 0.0, 1.0)
    if image.min() < 0.0:
        return np.clip((image + 1.0) / 2.0, 0.0, 1.0)
    return np.clip(image, 0.0, 1.0)


def row_frequencies(rows, low_hz=DEFAULT_LOW_HZ, high_hz=DEFAULT_HIGH_HZ):
    """The pitch of each row, top row first: geometric from high_hz down to low_hz (Hz).

    Args:
        rows: int >= 1. low_hz, high_hz: 0 < low_hz < high_hz.

    Returns:
        float64 array (rows,), decreasing (one row: high_hz).
    """
    rows = check_number(rows, "rows", 1, integer=True)
    low_hz = check_number(low_hz, "low_hz", 0, inclusive=False)
    high_hz = check_number(high_hz, "high_hz", low_hz, inclusive=False)
    return np.geomspace(high_hz, low_hz, rows) if rows > 1 else np.array([high_hz])


def image_to_sound(
    image, seconds=3.0, rate=DEFAULT_RATE, low_hz=DEFAULT_LOW_HZ, high_hz=DEFAULT_HIGH_HZ
):
    """The sound of an image: columns as time, rows as pitch, brightness as loudness.

    Each column lasts seconds / W; within it, row r sounds a sine at `row_frequencies`[r]
    with amplitude equal to its brightness. Phases run on continuously across columns (no
    clicks at column borders). The result is scaled to a peak of 0.9 (silence stays 0).

    Args:
        image: (H, W), (H, W, 1) or (H, W, 3): uint8, or floats in [-1, 1] or [0, 1] (a
            grid from `plotting.image_grid` works too).
        seconds: float > 0, duration. rate: int in [1000, 1e6] samples per second;
            seconds * rate <= MAX_SAMPLES (2^25: 25 minutes at 22,050 Hz).
        low_hz, high_hz: pitch range, high_hz < rate / 2 (Nyquist).

    Returns:
        float32 array (round(seconds * rate),) in [-0.9, 0.9].

    Raises:
        ValueError: a bad image or a parameter out of range.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    pixels = _brightness(image)
    seconds = check_number(seconds, "seconds", 0, inclusive=False)
    rate = _check_rate(rate)
    if seconds * rate > MAX_SAMPLES:
        raise ValueError(
            f"seconds * rate must be <= {MAX_SAMPLES} samples (25 minutes at {DEFAULT_RATE} Hz), "
            f"got seconds={seconds!r}, rate={rate!r}"
        )
    if not high_hz < rate / 2:
        raise ValueError(f"high_hz must be < rate / 2 = {rate / 2} (Nyquist), got {high_hz}")
    frequencies = row_frequencies(pixels.shape[0], low_hz, high_hz)
    count = max(1, round(seconds * rate))
    t = np.arange(count) / rate
    column = np.minimum((t * pixels.shape[1] / seconds).astype(int), pixels.shape[1] - 1)
    sound = np.zeros(count)
    for row, frequency in enumerate(frequencies):
        loudness = pixels[row, column]
        if loudness.any():
            sound += loudness * np.sin(2.0 * np.pi * frequency * t)
    peak = np.abs(sound).max()
    return (0.9 * sound / peak if peak > 0 else sound).astype(np.float32)


def write_wav(path, sound, rate=DEFAULT_RATE):
    """Write a sound in [-1, 1] as a 16-bit mono WAV file (`scipy.io.wavfile.write`).

    Args:
        path: where to write (its folder is created). sound: 1-D array in [-1, 1].
        rate: int in [1000, 1e6] samples per second.

    Raises:
        ValueError: not 1-D or values outside [-1, 1], or a rate out of range.
    """
    from scipy.io import wavfile

    sound = np.asarray(sound, dtype=np.float64)
    if sound.ndim != 1 or not np.all(np.isfinite(sound)) or np.abs(sound).max(initial=0) > 1:
        raise ValueError("sound must be a 1-D array of finite values in [-1, 1]")
    rate = _check_rate(rate)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with resources.atomic_path(path, "path") as partial:  # a failed write keeps the old file
        wavfile.write(partial, rate, np.rint(sound * 32767).astype(np.int16))
    return path


def sonify(image, path, seconds=3.0, rate=DEFAULT_RATE):
    """`image_to_sound` written to `path` as WAV; returns the path.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    return write_wav(path, image_to_sound(image, seconds, rate), rate)
