"""Do generated digits help a classifier? The experiment of notebook 07.

A small classifier is trained on n real digits per class, with and without generated digits
from a class-conditional WGAN-GP (the labels the generator was asked for become the labels
of its digits), with and without classical augmentation (random shifts and small
rotations), and scored on the full MNIST test set. Every condition takes the same number of
gradient steps, so only what the batches hold differs.

- `labelled_subset`: n digits of each class, seeded (the only labels a run may use).
- `small_classifier`, `fit_classifier`, `test_accuracy`: the classifier and its training.
- `shift_and_rotate`: the classical augmentation.
- `mean_and_interval`: a mean and its Student-t 95 % interval over seeds.
- `compare`: one labelled subset, every condition, one seed.

The recorded run is `benchmarks/augmentation.py` (its table is in the notebook).

Taught in notebooks/07_do_generated_digits_help.ipynb.
"""

import tempfile
from pathlib import Path

import numpy as np

from wgan_tutorial import data, defaults, models
from wgan_tutorial.config import check_number, import_tensorflow, seed_everything

tf = import_tensorflow()
import keras  # noqa: E402

NUM_CLASSES = 10
MAX_SHIFT_PIXELS = 2
MAX_DEGREES = 10


def labelled_subset(images, labels, per_class, seed=0):
    """`per_class` digits of each class, drawn without replacement (seeded), in class order.

    Args:
        images: array (N, ...). labels: int array (N,) in 0..9.
        per_class: int >= 1, at most the smallest class's count. seed: int >= 0.

    Returns:
        (images (10 per_class, ...), labels (10 per_class,) int32).

    Raises:
        ValueError: per_class out of range, or labels not one per image.
    """
    labels = np.asarray(labels).reshape(-1)
    if len(labels) != len(images):
        raise ValueError(f"labels must be one per image ({len(images)}), got {len(labels)}")
    smallest = min(int(np.sum(labels == k)) for k in range(NUM_CLASSES))
    per_class = check_number(per_class, "per_class", 1, integer=True)
    if per_class > smallest:
        raise ValueError(
            f"per_class must be an integer in 1..{smallest} (the smallest class), got {per_class}"
        )
    rng = np.random.default_rng(seed)
    keep = np.concatenate(
        [
            rng.choice(np.flatnonzero(labels == k), per_class, replace=False)
            for k in range(NUM_CLASSES)
        ]
    )
    return images[keep], labels[keep].astype(np.int32)


def small_classifier():
    """A small CNN for 28x28 digits: two 5x5 stride-2 convolutions (16, 32, ReLU), dropout
    0.25, 10 logits; 28,938 parameters, about 1.4 MFLOP per digit forward.

    Smaller than the FID classifier (`metrics.build_classifier`, 197,482 parameters) so that
    the experiment's 100+ trainings take seconds each on a CPU.

    Returns:
        Uncompiled keras.Model float32 (B, 28, 28, 1) in [-1, 1] -> logits (B, 10).
    """
    inputs = keras.Input((28, 28, 1), name="images")
    x = keras.layers.Conv2D(16, 5, strides=2, padding="same", activation="relu")(inputs)
    x = keras.layers.Conv2D(32, 5, strides=2, padding="same", activation="relu")(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.25)(x)
    return keras.Model(inputs, keras.layers.Dense(NUM_CLASSES)(x), name="small_classifier")


def shift_and_rotate(max_shift=MAX_SHIFT_PIXELS, max_degrees=MAX_DEGREES, seed=0):
    """Classical augmentation: a random shift of up to `max_shift` pixels along each axis and
    a rotation of up to `max_degrees`, the background (-1) filling what moves in.

    Args:
        max_shift: float >= 0, pixels. max_degrees: float >= 0. seed: int >= 0.

    Returns:
        keras.Sequential mapping float32 (B, 28, 28, 1) in [-1, 1] to the same shape; called
        with training=False it changes nothing.
    """
    max_shift = check_number(max_shift, "max_shift", 0, inclusive=True)
    max_degrees = check_number(max_degrees, "max_degrees", 0, inclusive=True)
    return keras.Sequential(
        [
            keras.layers.RandomTranslation(
                max_shift / 28, max_shift / 28, fill_mode="constant", fill_value=-1.0, seed=seed
            ),
            keras.layers.RandomRotation(
                max_degrees / 360, fill_mode="constant", fill_value=-1.0, seed=seed + 1
            ),
        ],
        name="shift_and_rotate",
    )


def _float_images(images):
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.dtype != np.uint8:
        raise ValueError(f"images must be uint8 digits (N, 28, 28[, 1]), got {images.dtype}")
    return data.to_float_images(images)


def fit_classifier(
    images, labels, steps=250, batch_size=64, learning_rate=1e-3, seed=0, augment=False
):
    """Train `small_classifier` for a fixed number of steps on uint8 digits.

    Adam (learning_rate) on the cross-entropy of the logits, batches drawn by reshuffling
    the digits every pass (seeded), `shift_and_rotate` on every batch when `augment`.

    Args:
        images: uint8 (N, 28, 28) or (N, 28, 28, 1). labels: int (N,) in 0..9.
        steps: int >= 1 gradient steps. batch_size: int >= 1 (at most N). seed: int >= 0.
        augment: apply the classical augmentation.

    Returns:
        The trained keras.Model (logits).

    Raises:
        ValueError: an argument out of range, images not uint8 digits, labels not 0..9.
    """
    x = _float_images(images)
    y = np.asarray(labels).reshape(-1)
    if (
        y.shape != (len(x),)
        or not np.issubdtype(y.dtype, np.integer)
        or y.min() < 0
        or y.max() >= NUM_CLASSES
    ):
        raise ValueError(f"labels must be {len(x)} integers in 0..{NUM_CLASSES - 1}")
    steps = check_number(steps, "steps", 1, integer=True)
    batch_size = min(check_number(batch_size, "batch_size", 1, integer=True), len(x))
    seed_everything(seed)
    dataset = tf.data.Dataset.from_tensor_slices((x, y.astype(np.int32)))
    dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True).repeat()
    dataset = dataset.batch(batch_size, drop_remainder=True)
    if augment:
        layer = shift_and_rotate(seed=seed)
        dataset = dataset.map(lambda images, classes: (layer(images, training=True), classes))
    classifier = small_classifier()
    classifier.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    classifier.fit(
        data.prefetched(dataset), epochs=1, steps_per_epoch=steps, verbose=0, shuffle=False
    )  # the dataset shuffles itself
    return classifier


def test_accuracy(classifier, images, labels, batch_size=1000):
    """The share of digits whose largest logit is their label (float in [0, 1])."""
    x = _float_images(images)
    logits = classifier.predict(x, batch_size=batch_size, verbose=0)
    return float(np.mean(np.argmax(logits, axis=1) == np.asarray(labels).reshape(-1)))


def mean_and_interval(values, confidence=0.95):
    """The mean of `values` and its two-sided Student-t interval: mean -+ t s / sqrt(n).

    Args:
        values: at least 2 numbers (e.g. one accuracy per seed). confidence: in (0, 1).

    Returns:
        (mean, low, high) floats.
    """
    from scipy import stats

    values = np.asarray(values, dtype=np.float64).reshape(-1)
    if len(values) < 2:
        raise ValueError(f"values must hold at least 2 numbers, got {len(values)}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    mean = float(values.mean())
    half = float(
        stats.t.ppf(0.5 + confidence / 2, len(values) - 1)
        * values.std(ddof=1)
        / np.sqrt(len(values))
    )
    return mean, mean - half, mean + half


def generated_digits(generator, per_class, seed=0):
    """`per_class` digits of each class from a conditional generator, as uint8 with labels.

    Returns:
        (uint8 (10 per_class, 28, 28), int32 labels (10 per_class,)) in class order.
    """
    per_class = check_number(per_class, "per_class", 1, integer=True)
    labels = np.repeat(np.arange(NUM_CLASSES, dtype=np.int32), per_class)
    images = models.sample(generator, len(labels), seed=seed, labels=labels)
    return models.to_uint8_images(images), labels


def train_generator_on(images, labels, steps=400, seed=0, progress=True):
    """A class-conditional WGAN-GP trained on these labelled digits and nothing else.

    The digits are written to a temporary MNIST file (keras layout) that is the only data
    `training.train(conditional=True)` reads, so the generator sees no other digit and no
    other label. The paper's n_critic = 5, one learning rate (1e-3) for critic and generator
    and a generator without batch norm (the recorded experiment's; not the MNIST defaults of
    `training.default_config`), batch size min(32, N // 5): 5 batches from the N digits.

    Args:
        images: uint8 (N, 28, 28), N >= 5. labels: int (N,) in 0..9.
        steps: generator steps. seed: int >= 0. progress: show the progress bar.

    Returns:
        (wgan, history) as `training.train` returns them.
    """
    from wgan_tutorial import training

    images, labels = np.asarray(images), np.asarray(labels).astype(np.uint8)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "subset.npz"  # the test arrays are required by the layout, unused
        np.savez(path, x_train=images, y_train=labels, x_test=images, y_test=labels)
        return training.train(
            conditional=True,
            steps=steps,
            seed=seed,
            n_critic=defaults.N_CRITIC,
            critic_lr_scale=1.0,  # as recorded
            learning_rate=1e-3,
            generator_norm="none",
            batch_size=min(32, len(images) // 5),
            data_path=str(path),
            progress=progress,
        )


CONDITIONS = (
    "real",
    "real + generated x1",
    "real + generated x4",
    "shift/rotate",
    "shift/rotate + generated x1",
)


def compare(
    images,
    labels,
    test_images,
    test_labels,
    generator=None,
    steps=250,
    seed=0,
    conditions=CONDITIONS,
    progress=False,
):
    """Test accuracy of the small classifier under each condition, for one labelled set.

    Conditions (`CONDITIONS`): "real" (the labelled digits alone); "real + generated xR"
    (plus R generated digits per real one, R digits of each class from `generator`, which
    must have been trained on these labelled digits only for a fair comparison);
    "shift/rotate" (`shift_and_rotate` on every batch); "shift/rotate + generated xR".
    Every condition takes `steps` steps of batch 64 from the same seed.

    Args:
        images, labels: the labelled digits, uint8 (N, 28, 28[, 1]) and int (N,), N = 10 n.
        test_images, test_labels: where accuracy is measured.
        generator: a conditional generator (`models.num_classes` = 10), or None when no
            condition uses one.
        steps: int >= 1. seed: int >= 0 (classifier weights, batch order, generated digits).
        conditions: the names to run, from `CONDITIONS`.
        progress: show a progress bar over the conditions (one classifier each).

    Returns:
        dict condition -> test accuracy (float in [0, 1]).

    Raises:
        ValueError: an unknown condition; a generated condition without a conditional
            generator.
    """
    from tqdm.auto import tqdm

    unknown = [name for name in conditions if name not in CONDITIONS]
    if unknown:
        raise ValueError(f"conditions must be among {CONDITIONS}, got {unknown}")
    needs_generator = any("generated" in name for name in conditions)
    if needs_generator and (generator is None or models.num_classes(generator) != NUM_CLASSES):
        raise ValueError(
            "generator must be a conditional generator of 10 classes for the 'generated' conditions"
        )
    images = np.asarray(images)
    if images.ndim == 4:
        images = images[..., 0]
    labels = np.asarray(labels).reshape(-1)
    per_class = max(1, len(images) // NUM_CLASSES)
    results = {}
    for name in tqdm(conditions, desc="classifiers", unit="classifier", disable=not progress):
        train_images, train_labels = images, labels
        if "generated" in name:
            ratio = int(name.rsplit("x", 1)[1])
            fake, fake_labels = generated_digits(generator, ratio * per_class, seed=seed)
            train_images = np.concatenate([images, fake])
            train_labels = np.concatenate([labels, fake_labels])
        model = fit_classifier(
            train_images,
            train_labels,
            steps=steps,
            seed=seed,
            augment=name.startswith("shift/rotate"),
        )
        results[name] = test_accuracy(model, test_images, test_labels)
    return results
