"""The callbacks of a training run: metrics, checkpoints, samples, progress and clean stops.

`MetricsLogger` writes `metrics.csv` (one row per generator step), `CheckpointSaver` saves
`tf.train` checkpoints and the final generator, `SampleGrid` draws samples from fixed latent
vectors, `ProgressBar` shows a tqdm bar, `TimeBudget`, `StopOnNonFinite` and `StopOnSignals`
end a run cleanly (a time budget; a NaN loss, saving nothing of the bad state; Ctrl-C or
SIGTERM, saving everything). `training.train` puts them together.

Taught in notebooks/03_wgan_gp_mnist.ipynb.
"""

import math
import shutil
import signal
import threading
import time
from pathlib import Path

import numpy as np

from wgan_tutorial import images, resources
from wgan_tutorial.config import error_summary, import_tensorflow
from wgan_tutorial.training.run_folder import GENERATOR_FILE, METRIC_COLUMNS, csv_text

tf = import_tensorflow()
import keras  # noqa: E402

CHECKED_FOR_NAN = (
    "critic_loss",
    "generator_loss",
    "w_estimate",
    "gp",
    "critic_grad_norm",
    "generator_grad_norm",
    "gp_grad_norm",
)


class NonFiniteLossError(RuntimeError):
    """Training stopped because a loss or a gradient norm became NaN or infinite (the bad
    state is not saved)."""

    def __init__(self, step, metric, value, checkpoint_step=None, save_dir=None):
        self.step, self.metric, self.value = step, metric, value
        self.checkpoint_step, self.save_dir = checkpoint_step, save_dir
        where = ""
        if save_dir is not None:
            where = (
                f"; the last good checkpoint (step {checkpoint_step}) in {save_dir} is intact"
                if checkpoint_step
                else f"; no checkpoint was saved in {save_dir}"
            )
        super().__init__(f"training diverged at step {step}: {metric} = {value}{where}")


class StopOnNonFinite(keras.callbacks.Callback):
    """Stop training at the first NaN/inf loss or gradient norm (`CHECKED_FOR_NAN`) and mark
    the model so nothing saves its state.

    Sets `model.divergence` to a `NonFiniteLossError` (None while training is healthy);
    `train` raises it after `fit` returns. Must come first in the callback list.
    """

    def on_train_begin(self, logs=None):
        self.model.divergence = None

    def on_train_batch_end(self, batch, logs=None):
        for name in CHECKED_FOR_NAN:
            value = (logs or {}).get(name)
            if value is not None and not math.isfinite(float(value)):
                self.model.divergence = NonFiniteLossError(self.model.step, name, float(value))
                self.model.stop_training = True
                return


def healthy(model):
    """Whether training is healthy: no loss or gradient norm has become NaN or infinite."""
    return getattr(model, "divergence", None) is None


def stop_for_write_error(model, error):
    """Stop training cleanly after a failed write (a full disk): `model.write_error` keeps
    the first ValueError, which `train` raises once `fit` has returned; nothing more is
    saved."""
    if getattr(model, "write_error", None) is None:
        model.write_error = error
    model.stop_training = True


def can_save(model):
    """Whether the model's state may be saved: healthy, and no write has failed."""
    return healthy(model) and getattr(model, "write_error", None) is None


class MetricsLogger(keras.callbacks.Callback):
    """Record each step's metrics (columns `METRIC_COLUMNS`) in `rows` and in a CSV file.

    Args:
        path: `metrics.csv` to append to (created with a header), or None (memory only).
        seconds_offset: training seconds already spent (resumed runs), added to `seconds`.
    """

    def __init__(self, path=None, seconds_offset=0.0):
        super().__init__()
        self.path = None if path is None else Path(path)
        self.seconds_offset = float(seconds_offset)
        self.rows = []
        self._file = None

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()
        self.model.write_error = None
        if self.path is not None:
            new = not self.path.is_file() or self.path.stat().st_size == 0
            self._file = open(self.path, "ab", buffering=0)
            if new:
                self._append(METRIC_COLUMNS)

    def _append(self, row):
        """Append one row, unbuffered: a killed run keeps every finished step's row, and a
        failed write stops the run without a torn row."""
        try:
            resources.append_line(self._file, csv_text([row]), "metrics")
        except ValueError as error:
            stop_for_write_error(self.model, error)

    def on_train_batch_end(self, batch, logs=None):
        if not can_save(self.model):
            return
        logs = logs or {}
        row = {
            "step": self.model.step,
            "seconds": round(self.seconds_offset + time.perf_counter() - self._start, 3),
        }
        row.update({name: float(logs[name]) for name in METRIC_COLUMNS if name in logs})
        self.rows.append(row)
        if self._file is not None:
            self._append([_format(row.get(name)) for name in METRIC_COLUMNS])

    def on_train_end(self, logs=None):
        if self._file is not None:
            self._file.close()
            self._file = None


def _format(value):
    if value is None:
        return ""
    return str(value) if isinstance(value, int) else f"{value:.7g}"


class StepState(keras.callbacks.Callback):
    """Remember the counters of the last finished step: the step counter, both optimizers'
    iteration counts and the noise RNG state.

    A step whose data fails to arrive (an I/O error in the tf.data pipeline) has already
    advanced these (they do not wait for the data) though no weight changed; `restore`
    sets them back, so a checkpoint saved at the failure is the last finished step's state.
    """

    def _variables(self):
        model = self.model
        return [
            model.step_counter,
            model.critic_optimizer.iterations,
            model.generator_optimizer.iterations,
            model.seed_generator.state,
        ]

    def _remember(self):
        self.values = [keras.ops.convert_to_numpy(variable) for variable in self._variables()]

    def on_train_begin(self, logs=None):
        self._remember()

    def on_train_batch_end(self, batch, logs=None):
        self._remember()

    def restore(self):
        """Set the counters back to the last finished step's."""
        for variable, value in zip(self._variables(), self.values, strict=True):
            variable.assign(value)


class CheckpointSaver(keras.callbacks.Callback):
    """Save a checkpoint every `every` steps and at the end (not after a NaN), keeping `keep`.

    At the end it also writes the generator to sample from (`WGAN.sampler`: the averaged
    one when kept) alone as `generator.keras` in `save_dir`.

    Args:
        save_dir: the run's folder (checkpoints go to `save_dir/checkpoints`).
        manager: from `make_checkpoint`.
        every: int >= 1.
    """

    def __init__(self, save_dir, manager, every):
        super().__init__()
        self.save_dir, self.manager, self.every = Path(save_dir), manager, every
        self.last_saved = None

    def _save(self):
        step = self.model.step
        if step != self.last_saved:
            try:
                save_checkpoint(self.manager, step)
            except ValueError as error:
                stop_for_write_error(self.model, error)
                return
            self.last_saved = step

    def on_train_begin(self, logs=None):
        self.last_saved = self.model.step

    def on_train_batch_end(self, batch, logs=None):
        if can_save(self.model) and self.model.step % self.every == 0:
            self._save()

    def on_train_end(self, logs=None):
        if can_save(self.model):
            self._save()
        if can_save(self.model):
            try:
                with resources.atomic_path(self.save_dir / GENERATOR_FILE, "save_dir") as path:
                    self.model.sampler.save(path)
            except ValueError as error:
                stop_for_write_error(self.model, error)


def save_checkpoint(manager, step):
    """`manager.save(checkpoint_number=step)`; a failed save (a full disk) leaves no partial
    files (ckpt-N_temp*, ckpt-N.*) and the older checkpoints as they were.

    Raises:
        ValueError: naming the checkpoint, the cause and the last good checkpoint's step.
    """
    last_good = manager.latest_checkpoint
    try:
        manager.save(checkpoint_number=step)
    except (tf.errors.OpError, OSError) as error:
        directory = Path(manager.directory)
        for partial in [*directory.glob(f"ckpt-{step}_temp*"), *directory.glob(f"ckpt-{step}.*")]:
            if partial.is_dir():
                shutil.rmtree(partial, ignore_errors=True)
            else:
                partial.unlink(missing_ok=True)
        cause = resources.os_reason(error) if isinstance(error, OSError) else error_summary(error)
        good = (
            f"the last good checkpoint is step {last_good.rsplit('-', 1)[-1]}, and the run "
            f"resumes from it"
            if last_good
            else "no checkpoint was saved before"
        )
        raise ValueError(
            f"save_dir {directory.parent}: the checkpoint of step {step} could not be "
            f"written ({cause}); {good}"
        ) from None


class SampleGrid(keras.callbacks.Callback):
    """Draw the generator's outputs for fixed latent vectors every `every` steps into a PNG.

    Files `samples_dir/step_NNNNNN.png`: an image grid (MNIST) or a scatter plot over the
    real points (toy sets). Also drawn at the start of a fresh run and at the end.

    Args:
        samples_dir: folder (created).
        every: int >= 1.
        noise_dim: the generator's input size.
        n: how many latent vectors (64 images, or 1,000 toy points).
        seed: seed of the fixed latent vectors.
        real: for toy sets, real points (N, 2) drawn behind the generated ones.
        num_classes: conditional models: images in one row of 10 per class (n is then
            10 num_classes); toy points cycle through the classes.
    """

    def __init__(self, samples_dir, every, noise_dim, n=64, seed=0, real=None, num_classes=None):
        super().__init__()
        self.samples_dir, self.every, self.real = Path(samples_dir), every, real
        self.samples_dir.mkdir(parents=True, exist_ok=True)
        self.ncols = None
        if num_classes is not None and real is None:  # one row per class
            n, self.ncols = num_classes * 10, 10
        self.z = np.random.default_rng(seed).standard_normal((n, noise_dim)).astype(np.float32)
        self.labels = (
            None
            if num_classes is None
            else (np.arange(n) // (self.ncols or 1) % num_classes).astype(np.int32)
        )

    def _draw(self):
        step = self.model.step
        inputs = self.z if self.labels is None else [self.z, self.labels]
        outputs = keras.ops.convert_to_numpy(self.model.sampler(inputs, training=False))
        try:
            with resources.atomic_path(
                self.samples_dir / f"step_{step:06d}.png", "samples_dir"
            ) as path:
                if self.real is None:
                    images.save_image_grid(outputs, path, ncols=self.ncols)
                else:
                    images.save_toy_samples(self.real, outputs, path, title=f"step {step}")
        except ValueError as error:
            stop_for_write_error(self.model, error)

    def on_train_begin(self, logs=None):
        if self.model.step == 0:
            self._draw()

    def on_train_batch_end(self, batch, logs=None):
        if can_save(self.model) and self.model.step % self.every == 0:
            self._draw()

    def on_train_end(self, logs=None):
        if can_save(self.model) and self.model.step % self.every != 0:
            self._draw()


class ProgressBar(keras.callbacks.Callback):
    """A tqdm progress bar over generator steps, with the W estimate in its postfix."""

    def __init__(self, target_step, description="training"):
        super().__init__()
        self.target_step, self.description = target_step, description
        self.bar = None

    def on_train_begin(self, logs=None):
        from tqdm.auto import tqdm

        self.bar = tqdm(
            total=self.target_step, initial=self.model.step, desc=self.description, unit="step"
        )

    def on_train_batch_end(self, batch, logs=None):
        self.bar.update(1)
        if logs and "w_estimate" in logs:
            self.bar.set_postfix(W=f"{float(logs['w_estimate']):.4f}", refresh=False)

    def on_train_end(self, logs=None):
        self.bar.close()


class TimeBudget(keras.callbacks.Callback):
    """Stop training cleanly once `max_seconds` of wall time have passed (checked per step).

    The other callbacks then save as at a normal end. `stopped_at_step` records where.
    """

    def __init__(self, max_seconds):
        super().__init__()
        self.max_seconds = max_seconds
        self.stopped_at_step = None

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        if time.perf_counter() - self._start >= self.max_seconds:
            self.model.stop_training = True
            self.stopped_at_step = self.model.step


class TrainingInterrupted(KeyboardInterrupt):
    """Training stopped by SIGINT or SIGTERM after saving its state (see `StopOnSignals`).

    Attributes: `signum` (the signal's number), `step`, `save_dir`.
    """

    def __init__(self, signum, step, save_dir=None):
        self.signum, self.step, self.save_dir = signum, step, save_dir
        name = signal.Signals(signum).name
        where = f"; checkpoint saved in {save_dir}" if save_dir is not None else ""
        super().__init__(f"stopped by {name} at step {step}{where}")


class StopOnSignals(keras.callbacks.Callback):
    """End training cleanly on SIGINT (Ctrl-C, a notebook's interrupt) or SIGTERM (a
    scheduler, a closing laptop): the step in progress finishes, the other callbacks save
    as at a normal end, and `train` then raises `TrainingInterrupted`. A second signal
    interrupts at once. Use as a context manager around `fit` (handlers are installed in
    the main thread only and always restored); `signum` records the first signal.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self):
        super().__init__()
        self.signum = None
        self._previous = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for signum in self.SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc_info):
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous = {}
        return False

    def _handle(self, signum, frame):
        if self.signum is not None:
            raise KeyboardInterrupt
        self.signum = signum
        if self.model is not None:
            self.model.stop_training = True

    def on_train_begin(self, logs=None):
        if self.signum is not None:
            self.model.stop_training = True

    def on_train_batch_end(self, batch, logs=None):
        if self.signum is not None:
            self.model.stop_training = True
