"""Small data sets train (issue #31): a set smaller than one critic round (batch_size x n_critic
images) is cycled through, not refused; a set of fewer than 2 images is refused with a line
that says what to change; data sets large enough keep exactly the batches they had.
"""

import numpy as np
import pytest

from tests.cli_run import run
from wgan_tutorial import config, data
from wgan_tutorial.config import import_tensorflow

tf = import_tensorflow()


def colour_folder(root, count, size=12):
    """`count` distinct colour PNG files (size x size), drawn with Pillow."""
    from PIL import Image

    root.mkdir()
    rng = np.random.default_rng(count)
    for index in range(count):
        pixels = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(root / f"image_{index:04d}.png")
    return root


def reference_batches(images, labels, image_shape, batch_size, seed, count):
    """The batches as the pipeline made them before small sets were cycled (the oracle):
    shuffle the whole set, repeat, batch dropping the remainder, convert."""
    slices = images if labels is None else (images, labels.astype(np.int32))
    dataset = tf.data.Dataset.from_tensor_slices(slices)
    dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True).repeat()
    dataset = dataset.batch(batch_size, drop_remainder=True)
    out = []
    for batch in dataset.take(count):
        x = batch if labels is None else batch[0]
        x = data.convert_images(x, image_shape).numpy()
        out.append(x if labels is None else (x, batch[1].numpy()))
    return out


def test_batches_of_a_set_larger_than_a_batch_are_unchanged():
    images = np.random.default_rng(0).integers(0, 256, (50, 8, 8, 1), dtype=np.uint8)
    got = [b.numpy() for b in data.image_dataset(images, (8, 8, 1), 16, seed=3).take(6)]
    expected = reference_batches(images, None, (8, 8, 1), 16, 3, 6)
    for mine, theirs in zip(got, expected, strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_labelled_batches_of_a_set_larger_than_a_batch_are_unchanged():
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (40, 8, 8, 1), dtype=np.uint8)
    labels = rng.integers(0, 10, 40)
    got = list(data.labelled_dataset(images, labels, (8, 8, 1), 16, seed=5).take(4))
    expected = reference_batches(images, labels, (8, 8, 1), 16, 5, 4)
    for (x, y), (x_ref, y_ref) in zip(got, expected, strict=True):
        np.testing.assert_array_equal(x.numpy(), x_ref)
        np.testing.assert_array_equal(y.numpy(), y_ref)


def _rows(batch, images):
    """Index in `images` of each image of a converted batch."""
    as_uint8 = np.rint((batch + 1.0) * 127.5).astype(np.uint8)
    return [int(np.flatnonzero((images == row).all(axis=(1, 2, 3)))[0]) for row in as_uint8]


@pytest.mark.parametrize("repeat", [True, False])
def test_a_set_smaller_than_a_batch_is_cycled_through(repeat):
    images = np.arange(5, dtype=np.uint8)[:, None, None, None] * np.ones((1, 4, 4, 1), np.uint8)
    batches = list(data.image_dataset(images, (4, 4, 1), 12, seed=0, repeat=repeat).take(2))
    assert len(batches) >= 1 and batches[0].shape == (12, 4, 4, 1)
    rows = _rows(batches[0].numpy(), images)
    assert sorted(rows[:5]) == [0, 1, 2, 3, 4]  # every image once per pass, in a shuffled order
    assert sorted(rows[5:10]) == [0, 1, 2, 3, 4]


def test_a_small_labelled_set_is_cycled_with_its_labels():
    images = np.arange(3, dtype=np.uint8)[:, None, None, None] * np.ones((1, 4, 4, 1), np.uint8)
    labels = np.array([7, 2, 5])
    x, y = next(iter(data.labelled_dataset(images, labels, (4, 4, 1), 8, seed=0)))
    rows = _rows(x.numpy(), images)
    np.testing.assert_array_equal(y.numpy(), labels[rows])


def test_a_small_folder_is_cycled_through(tmp_path):
    folder = data.ImageFolder(colour_folder(tmp_path / "f", 3), 28, 3)
    batch = next(iter(data.image_dataset(folder, (28, 28, 3), 8, seed=0)))
    assert batch.shape == (8, 28, 28, 3)


@pytest.mark.parametrize("count", [0, 1])
def test_fewer_than_two_images_say_what_to_change(count):
    images = np.zeros((count, 4, 4, 1), np.uint8)
    with pytest.raises(ValueError, match=f"at least 2 images.*found {count}.*--data-dir"):
        data.image_dataset(images, (4, 4, 1), 8)
    with pytest.raises(ValueError, match="at least 2 images"):
        data.labelled_dataset(images, np.zeros(count, int), (4, 4, 1), 8)


@pytest.mark.parametrize("count", [10, 91])
def test_colour_folders_train_with_the_defaults(count, tmp_path, capsys):
    folder = colour_folder(tmp_path / "images", count)
    argv = ["train", "--dataset", "folder", "--data-dir", str(folder), "--steps", "1"]
    status, out, err = run(argv + ["--no-progress"], capsys)
    assert status == 0, err
    assert "step 1:" in out


def test_one_image_in_a_folder_is_refused_naming_the_option(tmp_path, capsys):
    folder = colour_folder(tmp_path / "images", 1)
    argv = ["train", "--dataset", "folder", "--data-dir", str(folder), "--steps", "1"]
    status, _, err = run(argv + ["--no-progress"], capsys)
    assert status == 2 and len(err.strip().splitlines()) == 1, err
    assert "at least 2 images" in err and "--data-dir" in err


def test_max_images_of_one_is_refused_naming_the_option(capsys):
    argv = ["train", "--dataset", "mnist", "--max-images", "1", "--steps", "1", "--width", "4"]
    status, _, err = run(argv + ["--no-progress"], capsys)
    assert status == 2 and "--max-images" in err, err


def test_a_small_mnist_subset_trains_conditionally(capsys):
    argv = ["train", "--dataset", "mnist", "--max-images", "5", "--conditional", "--steps", "1"]
    status, out, err = run(argv + ["--width", "4", "--no-progress"], capsys)
    assert status == 0, err


@pytest.mark.skipif(config.fast_mode(), reason="1,000 images: full mode only (about a minute)")
def test_a_colour_folder_of_1000_images_trains_with_the_defaults(tmp_path, capsys):
    folder = colour_folder(tmp_path / "images", 1000)
    argv = ["train", "--dataset", "folder", "--data-dir", str(folder), "--steps", "2"]
    status, out, err = run(argv + ["--no-progress"], capsys)
    assert status == 0, err
