"""Training the package's MNIST classifier (the `wgan-tutorial train-classifier` command).

`train_classifier` fits `classifier.build_classifier` on a 28x28 greyscale training split
(MNIST or Fashion-MNIST) with Adam and a cosine decay of the learning rate, and scores it on
the test split; `classifier_weights_file` names the weights file it writes, `LOG_FILE` the
log next to them. The shipped weights and the command that made them are in
`assets/classifier/`.

Taught in notebooks/04_fid_evaluation.ipynb.
"""

import time
from pathlib import Path

import numpy as np

from wgan_tutorial.config import check_number, import_tensorflow
from wgan_tutorial.metrics.classifier import (
    WEIGHTS_FILE,
    build_classifier,
    features_and_logits,
    with_features,
)

LOG_FILE = "train_log.txt"


def _epoch_logger(epochs, steps, log):
    """A Keras callback: a tqdm bar per epoch and one summary line through `log`."""
    import keras
    from tqdm.auto import tqdm

    class EpochLog(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()
            self.bar = tqdm(
                total=steps, desc=f"epoch {epoch + 1}/{epochs}", unit="batch", leave=False
            )

        def on_train_batch_end(self, batch, logs=None):
            self.bar.update(1)

        def on_epoch_end(self, epoch, logs=None):
            self.bar.close()
            log(
                f"epoch {epoch + 1}/{epochs}: loss {logs['loss']:.4f}, training accuracy "
                f"{100 * logs['accuracy']:.2f} %, {time.perf_counter() - self.started:.0f} s"
            )

    return EpochLog()


def classifier_weights_file(dataset="mnist"):
    """The weights file name `train-classifier` writes: mnist_classifier.weights.h5, or
    fashion_mnist_classifier.weights.h5 for Fashion-MNIST."""
    named = f"{dataset.replace('-', '_')}_classifier.weights.h5"
    return {"mnist": WEIGHTS_FILE}.get(dataset, named)  # the shipped file keeps its name


def save_classifier_weights(classifier, path):
    """Write a classifier's weights (`.weights.h5`) atomically: a full disk or an unwritable
    folder leaves the old file intact, no partial file, and one ValueError naming the path.

    Returns:
        Path.
    """
    from wgan_tutorial import resources

    with resources.atomic_path(path, "--out") as partial:
        classifier.save_weights(partial)
    return Path(path)


def train_classifier(
    path=None,
    epochs=8,
    batch_size=128,
    learning_rate=1e-3,
    seed=0,
    limit=None,
    log=print,
    dataset="mnist",
):
    """Train the package's classifier on a training split and score it on the test split.

    Adam with a cosine decay of the learning rate to 0 over the run, cross-entropy on the
    logits, shuffling seeded by `seed` (`config.seed_everything`). The test split is used
    only for the final accuracy, never for choices during training.

    Args:
        path: an MNIST file (see `data.load_mnist`), or None for the usual sources.
        epochs: passes over the training digits, int >= 1.
        batch_size: int >= 1.
        learning_rate: Adam's initial learning rate, float > 0.
        seed: int >= 0.
        limit: train on the first `limit` training digits only (int >= 1), or all.
        log: called with each line of the report (epochs, test accuracy).
        dataset: "mnist" or another 28x28 greyscale set of the registry ("fashion-mnist"), whose
            `path` is then its `data_dir`.

    Returns:
        (classifier, report): the trained `keras.Model` (logits, uncompiled: saving its
        weights stores no optimizer state) and a dict with
        "test_accuracy" (fraction), "train_size", "test_size", "seconds".

    Raises:
        ValueError: an argument out of range, or from `load_mnist`.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    from wgan_tutorial.config import seed_everything
    from wgan_tutorial.data import prefetched, to_float_images

    tf = import_tensorflow()
    import keras

    epochs = check_number(epochs, "epochs", 1, integer=True)
    batch_size = check_number(batch_size, "batch_size", 1, integer=True)
    if not (
        isinstance(learning_rate, (int, float)) and np.isfinite(learning_rate) and learning_rate > 0
    ):
        raise ValueError(f"learning_rate must be a finite number > 0, got {learning_rate!r}")
    if limit is not None:
        limit = check_number(limit, "limit", 1, integer=True)
    from wgan_tutorial.data import get_dataset

    entry = get_dataset(dataset)
    if entry.image_shape != (28, 28, 1):
        raise ValueError(
            f"dataset must be a 28x28 greyscale set (mnist, fashion-mnist), got {dataset!r}"
        )
    seed_everything(seed)
    started = time.perf_counter()
    (train_images, train_labels), (test_images, test_labels) = (
        (images[..., 0], labels)
        for images, labels in (entry.load(split, path) for split in ("train", "test"))
    )
    if limit is not None:
        train_images, train_labels = train_images[:limit], train_labels[:limit]
    steps = -(-len(train_images) // batch_size)
    dataset = prefetched(
        tf.data.Dataset.from_tensor_slices(
            (to_float_images(train_images), train_labels.astype(np.int32))
        )
        .shuffle(len(train_images), seed=seed, reshuffle_each_iteration=True)
        .batch(batch_size)
    )
    classifier = build_classifier()
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=epochs * steps)
    classifier.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    log(
        f"training on {len(train_images)} digits, testing on {len(test_images)}: {epochs} "
        f"epochs of {steps} batches of {batch_size}, Adam({learning_rate:g}) with cosine decay, "
        f"seed {seed}"
    )
    classifier.fit(
        dataset,
        epochs=epochs,
        verbose=0,
        shuffle=False,  # the dataset shuffles itself
        callbacks=[_epoch_logger(epochs, steps, log)],
    )
    logits = features_and_logits(test_images, model=with_features(classifier), progress=False)[1]
    accuracy = float(np.mean(np.argmax(logits, axis=1) == test_labels))
    seconds = time.perf_counter() - started
    correct = int(round(accuracy * len(test_images)))
    log(
        f"test accuracy: {100 * accuracy:.2f} % ({correct}/{len(test_images)}), "
        f"{seconds:.0f} s in all"
    )
    # without the optimizer's state: a third of the size on disk
    inference_only = build_classifier()
    inference_only.set_weights(classifier.get_weights())
    return inference_only, {
        "test_accuracy": accuracy,
        "train_size": len(train_images),
        "test_size": len(test_images),
        "seconds": seconds,
    }
