"""The augmentation experiment of notebook 07 (wgan_tutorial.augmentation)."""

import numpy as np
import pytest
from scipy import ndimage, stats

from wgan_tutorial import augmentation, data, models


@pytest.fixture(scope="module")
def digits():
    path = data.subset_path()
    return data.load_mnist("train", path, verbose=False), data.load_mnist(
        "test", path, verbose=False
    )


def test_labelled_subset_draws_n_per_class_without_repeats(digits):
    (images, labels), _ = digits
    chosen, chosen_labels = augmentation.labelled_subset(images, labels, 7, seed=3)
    assert chosen.shape == (70, 28, 28)
    np.testing.assert_array_equal(np.bincount(chosen_labels, minlength=10), np.full(10, 7))
    # every chosen digit is a real one with its own label, none twice
    rows = {image.tobytes(): label for image, label in zip(images, labels, strict=True)}
    assert len({image.tobytes() for image in chosen}) == 70
    assert all(
        rows[image.tobytes()] == label for image, label in zip(chosen, chosen_labels, strict=True)
    )
    again, _ = augmentation.labelled_subset(images, labels, 7, seed=3)
    other, _ = augmentation.labelled_subset(images, labels, 7, seed=4)
    np.testing.assert_array_equal(chosen, again)
    assert not np.array_equal(chosen, other)
    smallest = np.bincount(labels).min()
    with pytest.raises(ValueError, match=f"per_class must be an integer in 1..{smallest}"):
        augmentation.labelled_subset(images, labels, smallest + 1)


def test_mean_and_interval_is_the_student_t_interval():
    values = [0.91, 0.93, 0.90, 0.95, 0.92]
    mean, low, high = augmentation.mean_and_interval(values)
    expected = stats.t.interval(0.95, len(values) - 1, loc=np.mean(values), scale=stats.sem(values))
    assert mean == pytest.approx(np.mean(values))
    np.testing.assert_allclose([low, high], expected, rtol=1e-12)
    with pytest.raises(ValueError, match="at least 2 numbers"):
        augmentation.mean_and_interval([0.9])


def test_shift_and_rotate_moves_ink_by_at_most_the_allowed_shift(digits):
    (images, _), _ = digits
    x = data.to_float_images(images[:16])
    identity = augmentation.shift_and_rotate(0, 0)(x, training=True).numpy()
    np.testing.assert_allclose(identity, x, atol=1e-5)
    shifted = augmentation.shift_and_rotate(2, 0, seed=1)(x, training=True).numpy()
    assert np.abs(shifted - x).max() > 0.5  # something moved
    for before, after in zip(x[..., 0] + 1, shifted[..., 0] + 1, strict=True):  # ink >= 0
        moved = np.subtract(ndimage.center_of_mass(after), ndimage.center_of_mass(before))
        assert np.all(np.abs(moved) <= 2.0 + 0.5), moved  # bilinear resampling blurs a little
        assert after.sum() == pytest.approx(before.sum(), rel=0.05)  # MNIST digits keep a margin
    # not applied at inference
    np.testing.assert_allclose(
        augmentation.shift_and_rotate(2, 10)(x, training=False).numpy(), x, atol=1e-6
    )


def test_the_small_classifier_learns_from_few_labels(digits):
    (images, labels), (test_images, test_labels) = digits
    chosen, chosen_labels = augmentation.labelled_subset(images, labels, 30, seed=0)
    model = augmentation.fit_classifier(chosen, chosen_labels, steps=150, seed=0)
    accuracy = augmentation.test_accuracy(model, test_images, test_labels)
    assert accuracy > 0.6  # chance is 0.1
    # shuffled labels leave nothing to learn: chance level on the test digits
    shuffled = np.random.default_rng(0).permutation(chosen_labels)
    model = augmentation.fit_classifier(chosen, shuffled, steps=150, seed=0)
    assert augmentation.test_accuracy(model, test_images, test_labels) < 0.3


def test_compare_runs_each_condition_and_checks_its_inputs(digits, capsys):
    (images, labels), (test_images, test_labels) = digits
    chosen, chosen_labels = augmentation.labelled_subset(images, labels, 5, seed=0)
    generator = models.image_generator(noise_dim=8, width=2, num_classes=10)
    result = augmentation.compare(
        chosen,
        chosen_labels,
        test_images[:200],
        test_labels[:200],
        generator=generator,
        steps=2,
        conditions=("real", "shift/rotate + generated x1"),
        progress=True,
    )
    assert "2/2" in capsys.readouterr().err  # one step of the bar per condition
    assert set(result) == {"real", "shift/rotate + generated x1"}
    assert all(0.0 <= value <= 1.0 for value in result.values())
    with pytest.raises(ValueError, match="conditions must be among"):
        augmentation.compare(chosen, chosen_labels, test_images, test_labels, conditions=("mixup",))
    with pytest.raises(ValueError, match="generator must be a conditional generator"):
        augmentation.compare(
            chosen,
            chosen_labels,
            test_images,
            test_labels,
            generator=models.mnist_generator(8, width=2),
            conditions=("real + generated x1",),
        )
    with pytest.raises(ValueError, match="images must be uint8"):
        augmentation.fit_classifier(chosen.astype(np.float32), chosen_labels, steps=1)
    with pytest.raises(ValueError, match="labels must be 50 integers in 0..9"):
        augmentation.fit_classifier(chosen, chosen_labels + 5, steps=1)


def test_generated_digits_come_in_class_order():
    generator = models.image_generator(noise_dim=8, width=2, num_classes=10)
    images, labels = augmentation.generated_digits(generator, 3, seed=0)
    assert images.dtype == np.uint8 and images.shape == (30, 28, 28)
    np.testing.assert_array_equal(labels, np.repeat(np.arange(10), 3))


def test_train_generator_on_reads_only_the_digits_it_is_given(digits, caplog):
    (images, labels), _ = digits
    chosen, chosen_labels = augmentation.labelled_subset(images, labels, 5, seed=0)
    caplog.set_level("INFO", logger="wgan_tutorial")
    wgan, history = augmentation.train_generator_on(chosen, chosen_labels, steps=1, progress=False)
    assert wgan.num_classes == 10 and list(history["step"]) == [1]
    # the recorded experiment's settings, not today's MNIST defaults
    assert wgan.n_critic == 5
    assert float(wgan.generator_optimizer.learning_rate) == pytest.approx(1e-3)
    assert not [layer for layer in wgan.generator.layers if "batch_norm" in layer.name]
    assert any(
        "MNIST train: 50 digits from the file given" in record.getMessage()
        for record in caplog.records
    )
