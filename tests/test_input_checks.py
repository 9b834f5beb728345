"""Inputs are validated where they enter (issue #31): the loaders check the value ranges,
label ranges, counts and image modes of what they read, and say what they found.

Each test reproduced its fault before the fix it guards.
"""

import gzip
import pickle

import numpy as np
import pytest

from wgan_tutorial import data
from wgan_tutorial.data import checks, folder


def test_a_16_bit_greyscale_png_keeps_its_tones(tmp_path):
    """Fault: Pillow's "I;16" -> "L" conversion clips at 255: a 16-bit gradient came out 99.6 %
    white. Oracle: the 16-bit values scaled by 255 / 65535."""
    from PIL import Image

    wide = (np.arange(28 * 28).reshape(28, 28) * 83).astype(np.uint16)
    Image.fromarray(wide).save(tmp_path / "deep.png")
    pixels = folder.read_image(tmp_path / "deep.png", 28, 1)[..., 0]
    np.testing.assert_allclose(pixels, wide / 257.0, atol=1.0)


def _pkl_gz(path, scale):
    rng = np.random.default_rng(0)
    split = (rng.random((3, 784)).astype(np.float32) * scale, np.array([1, 2, 3]))
    with gzip.open(path, "wb") as handle:
        pickle.dump((split, split, split), handle)
    return path


def test_an_mnist_pkl_gz_of_0_to_255_pixels_is_refused_not_clipped_white(tmp_path):
    """Fault: pixels outside [0, 1] were clipped, so a file of 0-255 floats became white."""
    path = _pkl_gz(tmp_path / "mnist.pkl.gz", 255.0)
    with pytest.raises(ValueError, match=r"pixels must be finite numbers in \[0, 1\].*found"):
        data.load_mnist("train", path, verbose=False)


def test_an_mnist_pkl_gz_in_0_1_still_reads(tmp_path):
    path = _pkl_gz(tmp_path / "ok.pkl.gz", 1.0)
    images, labels = data.load_mnist("test", path, verbose=False)
    assert images.shape == (3, 28, 28) and images.dtype == np.uint8
    assert list(labels) == [1, 2, 3]


def test_labels_out_of_range_say_which_were_found():
    with pytest.raises(ValueError, match="found labels from -1 to 12"):
        checks.check_labels(np.array([-1, 3, 12]), 3, "labels")
    with pytest.raises(ValueError, match="got float64"):
        checks.check_labels(np.array([0.5, 1.0]), 2, "labels")


def test_an_empty_fashion_mnist_file_is_refused_saying_so(tmp_path):
    """Fault: zero images reached `labels.max()`: numpy's "zero-size array to reduction
    operation maximum which has no identity"."""
    images = bytes([0, 0, 8, 3]) + (0).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
    labels = bytes([0, 0, 8, 1]) + (0).to_bytes(4, "big")
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(images))
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(labels))
    with pytest.raises(ValueError, match=r"images \(0, 28, 28\).*N >= 1"):
        data.load_fashion_mnist("train", tmp_path)
