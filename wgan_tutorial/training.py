"""Training Wasserstein GANs: the `WGAN` keras.Model, its callbacks and `train`.

- `WGAN`: one `train_step` = one generator iteration of Algorithm 1 of either paper:
  `loss="clip"` (Arjovsky et al. 2017, arXiv 1701.07875: n_critic critic updates with
  weight clipping, then one generator update) or `loss="gp"` (Gulrajani et al. 2017,
  arXiv 1704.00028: n_critic critic updates with the gradient penalty, then one generator
  update). Each `train_step` receives n_critic real batches stacked into one batch of
  n_critic x B and splits them, so `fit(..., steps_per_epoch=k)` runs k generator
  iterations.
- Callbacks: sample grids, checkpoints (`tf.train.CheckpointManager`), `metrics.csv`, a
  tqdm progress bar, a wall-time budget and a stop on NaN/inf losses.
- `train(...)`: the high-level entry point of the notebooks and of `wgan-tutorial train`,
  which resumes from an existing `save_dir`.

Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
"""
import contextlib
import csv
import json
import logging
import math
import signal
import threading
import time
from pathlib import Path

import numpy as np

from wgan_tutorial import data, defaults, losses, models, resources
from wgan_tutorial.config import check_fraction, check_number, error_summary, import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402

_log = logging.getLogger(__name__)

LOSSES = tuple(losses.LOSSES)


class FadingRate(keras.optimizers.schedules.LearningRateSchedule):
    """rate x (1 + (scale - 1) max(0, 1 - t / steps)) at optimizer step t: `scale` times
    `rate` at t = 0, falling linearly to `rate` at t = steps and staying there."""

    def __init__(self, rate, scale, steps):
        self.rate, self.scale, self.steps = float(rate), float(scale), int(steps)

    def __call__(self, step):
        left = keras.ops.maximum(0.0, 1.0 - keras.ops.cast(step, "float32") / self.steps)
        return self.rate * (1.0 + (self.scale - 1.0) * left)

    def get_config(self):
        return {"rate": self.rate, "scale": self.scale, "steps": self.steps}


def default_optimizers(loss, learning_rate=None, beta_1=defaults.BETA_1, critic_lr_scale=1.0,
                       critic_lr_fade=0):
    """The papers' optimizers for the critic and the generator, as a pair of new objects.

    clip: RMSprop(5e-5) for both (Arjovsky et al. 2017, arXiv 1701.07875, Algorithm 1;
    momentum optimizers were "unstable at times"). gp: Adam(1e-4, beta_1, beta_2 = 0.9)
    for both (Gulrajani et al. 2017, arXiv 1704.00028, Algorithm 1 uses beta_1 = 0, their
    official `gan_mnist.py` beta_1 = 0.5); sn the same (Miyato et al. 2018, arXiv
    1802.05957, Table 1, setting A). gan: Adam(2e-4, beta_1, beta_2 = 0.999) (DCGAN,
    Radford et al. 2016, arXiv 1511.06434, Section 4). beta_2 is the entry's `beta_2`.
    The critic's learning rate is `critic_lr_scale` times the generator's: 1 in the papers;
    a larger one is the two time-scale update rule (Heusel et al. 2017, arXiv 1706.08500,
    Section 2: a discriminator that learns faster than the generator). With
    `critic_lr_fade` = T > 0 that multiple holds at the start only and falls linearly to 1
    over the critic's first T updates (`FadingRate`).

    Args:
        loss: a name of `losses.LOSSES` (its entry names the optimizer and the paper's
            learning rate, `defaults.PAPER_LEARNING_RATES`).
        learning_rate: float > 0, the generator's rate, or None for the paper's value.
        beta_1: float in [0, 1), Adam's first-moment decay (Adam losses only).
        critic_lr_scale: float > 0, the critic's rate divided by the generator's.
        critic_lr_fade: int >= 0, critic updates over which that ratio falls to 1 (0: never).

    Returns:
        (critic_optimizer, generator_optimizer), two keras optimizers.

    Raises:
        ValueError: unknown loss, learning_rate <= 0, beta_1 outside [0, 1),
            critic_lr_scale <= 0, critic_lr_fade < 0.

    Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
    """
    entry = losses.get_loss(loss)
    if learning_rate is not None:
        learning_rate = check_number(learning_rate, "learning_rate", 0, inclusive=False)
    beta_1 = check_fraction(beta_1, "beta_1")
    scale = check_number(critic_lr_scale, "critic_lr_scale", 0, inclusive=False)
    fade = check_number(critic_lr_fade, "critic_lr_fade", 0, inclusive=True, integer=True)
    rate = entry.learning_rate if learning_rate is None else learning_rate
    critic_rate = FadingRate(rate, scale, fade) if fade and scale != 1 else scale * rate
    rates = {"critic": critic_rate, "generator": rate}
    if entry.optimizer == "rmsprop":
        return tuple(keras.optimizers.RMSprop(rates[who], name=f"{who}_rmsprop")
                     for who in ("critic", "generator"))
    return tuple(keras.optimizers.Adam(rates[who], beta_1=beta_1, beta_2=entry.beta_2,
                                       name=f"{who}_adam")
                 for who in ("critic", "generator"))


class WGAN(keras.Model):
    """A generator and a critic trained as a Wasserstein GAN with weight clipping or a penalty.

    `train_step` is one generator iteration of Algorithm 1 of Arjovsky et al. 2017 (arXiv
    1701.07875; loss="clip") or of Gulrajani et al. 2017 (arXiv 1704.00028; loss="gp"):
    n_critic critic updates, each on its own real batch and fresh noise, then one generator
    update. Its input is n_critic real batches stacked, float32 (n_critic x B, ...).

    The objectives are the loss entry's (`losses.Loss.critic_objective` and
    `generator_objective`): for the Wasserstein losses mean f(x~) - mean f(x) and
    -mean f(g(z)); for `gan` and `gan-minimax` the discriminator's cross-entropy on its
    logits f and the generator's non-saturating or minimax loss (Goodfellow et al. 2014,
    arXiv 1406.2661), with the same update order (Algorithm 1 of Goodfellow et al. is this
    loop with k = n_critic).

    Logged per step (the `fit` logs, and `metrics.csv` through the callbacks):
    critic_loss (the minimised critic objective [+ gp_weight gp]), generator_loss (the
    generator objective), w_estimate (mean f(x) - mean f(x~): for a GAN's discriminator,
    whose f is a logit and not Lipschitz-bounded, a difference of mean logits and not an
    estimate of any distance), critic_grad_norm
    and generator_grad_norm (global norms of the parameter gradients), and for gp: gp (the
    penalty, without lambda) and gp_grad_norm (mean input-gradient norm at the
    interpolates). All values are from the last critic update of the iteration.

    Args:
        generator: keras.Model (B, noise_dim) -> (B, ...).
        critic: keras.Model (B, ...) -> (B, 1). No batch norm or dropout (gp).
        loss: a name of `losses.LOSSES` ("clip", "gp", "lp", "gp-ln", "sn", "gan",
            "gan-minimax"); its entry's functions are what `train_step` calls. The critic's
            normalisation is the caller's (`wgan_from_config` builds it from the entry).
        n_critic: int >= 1, critic updates per generator update.
        clip_value: float > 0, the clipping constant c (clip only).
        gp_weight: float >= 0, lambda (gp only).
        noise_dim: int >= 1; default the generator's input size.
        one_sided: one-sided penalty (Gulrajani et al., Appendix C).
        seed: int >= 0, seeds the noise and interpolation weights (a `SeedGenerator`, whose
            state `rng_state` is checkpointed).
        ema: float in [0, 1), keep `ema_generator`, an exponential moving average of the
            generator's weights (Yazici et al. 2019, arXiv 1806.04498), updated after each
            generator update with decay min(ema, (1 + t) / (10 + t)) at step t (short runs
            average over their recent steps only); 0 keeps none. Training is unchanged:
            the average is only what `sampler` draws from.

    Class-conditional models (generator and critic built with `num_classes`, e.g.
    `models.image_generator(..., num_classes=10)`): `train_step` takes (images, labels),
    both stacked as above; each critic update generates for its real batch's labels, scores
    real and generated samples with those labels, and takes the penalty at interpolates
    with the label held fixed (Gulrajani et al. 2017, Algorithm 1 line 6, for each class);
    the generator update uses the labels of the last real batch (the data's class mix).

    Raises:
        ValueError: a parameter out of range, naming it and the range; noise_dim not the
            generator's input size.

    Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
    """

    def __init__(self, generator, critic, loss="gp", n_critic=defaults.N_CRITIC,
                 clip_value=defaults.CLIP_VALUE, gp_weight=defaults.GP_WEIGHT, noise_dim=None,
                 one_sided=False, seed=0, ema=0.0, **kwargs):
        super().__init__(**kwargs)
        self.loss_entry = losses.get_loss(loss)
        self.loss_type = loss
        self.n_critic = check_number(n_critic, "n_critic", 1, inclusive=True, integer=True)
        self.clip_value = check_number(clip_value, "clip_value", 0, inclusive=False)
        self.gp_weight = check_number(gp_weight, "gp_weight", 0, inclusive=True)
        self.num_classes = models.num_classes(generator)
        if models.num_classes(critic) != self.num_classes:
            raise ValueError(f"generator and critic must take the same classes, got "
                             f"num_classes {self.num_classes} and {models.num_classes(critic)}")
        input_dim = generator.inputs[0].shape[-1]
        if noise_dim is None:
            noise_dim = input_dim
        self.noise_dim = check_number(noise_dim, "noise_dim", 1, inclusive=True, integer=True)
        if self.noise_dim != input_dim:
            raise ValueError(f"noise_dim must equal the generator's input size {input_dim}, "
                             f"got {noise_dim}")
        self.one_sided = bool(one_sided)
        self.seed = check_number(seed, "seed", 0, inclusive=True, integer=True)
        self.generator = generator
        self.critic = critic
        self.seed_generator = keras.random.SeedGenerator(self.seed, name="noise_rng")
        self.step_counter = keras.Variable(0, dtype="int64", trainable=False,
                                           name="generator_steps")
        self.ema = check_fraction(ema, "ema")
        self.ema_generator = None
        if self.ema > 0:
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())
            self.ema_generator.trainable = False
        self.critic_optimizer = None
        self.generator_optimizer = None

    @property
    def sampler(self):
        """The generator to draw samples from: `ema_generator` when kept, else `generator`."""
        return self.generator if self.ema_generator is None else self.ema_generator

    @property
    def step(self):
        """Generator iterations done so far (int); restored with a checkpoint."""
        return int(self.step_counter.value.numpy())

    def compile(self, critic_optimizer=None, generator_optimizer=None, **kwargs):
        """Set the two optimizers and build them.

        An optimizer left as None is `default_optimizers(loss)`'s: the paper's learning
        rate, one for both networks, which for gp on MNIST is not `train`'s
        (`default_config` measured higher ones on a CPU); pass
        `default_optimizers(loss, config["learning_rate"], config["beta_1"],
        config["critic_lr_scale"], config["critic_lr_fade"])` with
        `config = default_config(...)` to train as `train` does.

        Building them at once creates their slots, so a checkpoint can be restored into
        them before any training step.
        """
        defaults = default_optimizers(self.loss_type)
        self.critic_optimizer = critic_optimizer or defaults[0]
        self.generator_optimizer = generator_optimizer or defaults[1]
        if self.critic_optimizer is self.generator_optimizer:
            raise ValueError("critic_optimizer and generator_optimizer must be two "
                             "different optimizer objects")
        self.critic_optimizer.build(self.critic.trainable_variables)
        self.generator_optimizer.build(self.generator.trainable_variables)
        kwargs.setdefault("jit_compile", False)  # XLA was measured slower on CPU
        super().compile(**kwargs)

    def call(self, z, training=False):
        """Generate: (B, noise_dim) -> generator output; conditional: z = [noise, labels]."""
        return self.generator(z, training=training)

    def _noise(self, batch_size):
        return keras.random.normal((batch_size, self.noise_dim), seed=self.seed_generator)

    @staticmethod
    def _with(x, labels):
        return x if labels is None else [x, labels]

    def _critic_update(self, real, labels=None):
        batch_size = tf.shape(real)[0]
        fake = tf.stop_gradient(self.generator(self._with(self._noise(batch_size), labels),
                                               training=True))
        with tf.GradientTape() as tape:
            real_scores = self.critic(self._with(real, labels), training=True)
            fake_scores = self.critic(self._with(fake, labels), training=True)
            penalty, logs = self.loss_entry.critic_penalty(self, real, fake, labels=labels)
            loss = self.loss_entry.critic_objective(real_scores, fake_scores) + penalty
        variables = self.critic.trainable_variables
        gradients = tape.gradient(loss, variables)
        self.critic_optimizer.apply_gradients(zip(gradients, variables))
        self.loss_entry.after_critic_update(self)
        logs["critic_loss"] = loss
        logs["w_estimate"] = losses.wasserstein_estimate(real_scores, fake_scores)
        logs["critic_grad_norm"] = tf.linalg.global_norm(gradients)
        return logs

    def _generator_update(self, batch_size, labels=None):
        z = self._with(self._noise(batch_size), labels)
        with tf.GradientTape() as tape:
            fake_scores = self.critic(self._with(self.generator(z, training=True), labels),
                                      training=True)
            loss = self.loss_entry.generator_objective(fake_scores)
        variables = self.generator.trainable_variables
        gradients = tape.gradient(loss, variables)
        self.generator_optimizer.apply_gradients(zip(gradients, variables))
        if self.ema_generator is not None:
            self._update_average()
        return {"generator_loss": loss, "generator_grad_norm": tf.linalg.global_norm(gradients)}

    def _update_average(self):
        """average <- d average + (1 - d) weights, d = min(ema, (1 + t) / (10 + t))."""
        t = tf.cast(self.step_counter, tf.float32) + 1.0
        decay = tf.minimum(self.ema, (1.0 + t) / (10.0 + t))
        for average, weight in zip(self.ema_generator.weights, self.generator.weights):
            average.assign(decay * average + (1.0 - decay) * weight)

    def train_step(self, data):
        """One generator iteration on n_critic stacked real batches (n_critic x B, ...);
        conditional: (images, labels) stacked alike."""
        labels = None
        if isinstance(data, (tuple, list)):
            data, labels = data[0], (data[1] if len(data) > 1 else None)
        if (labels is None) != (self.num_classes is None):
            raise ValueError("a conditional WGAN trains on (images, labels), an unconditional "
                             "one on images alone")
        real = tf.reshape(data, [self.n_critic, -1] + list(data.shape[1:]))
        if labels is not None:
            labels = tf.reshape(tf.cast(labels, tf.int32), [self.n_critic, -1])

        def critic_update(i):
            return self._critic_update(real[i], None if labels is None else labels[i])

        # Algorithm 1's inner loop (line 2 in both papers). The first critic update gives the
        # loop its logs' structure; the others run as one graph loop, traced once whatever
        # n_critic is (unrolled, tracing grew with it: gp on MNIST, n_critic 5, first fit() call
        # 7.7 s against 3.7 s, at the same time per step). One iteration at a time: each reads
        # what the last wrote.
        logs = critic_update(0)
        if self.n_critic > 1:
            _, logs = tf.while_loop(lambda i, _: i < self.n_critic,
                                    lambda i, _: (i + 1, critic_update(i)),
                                    (tf.constant(1), logs), parallel_iterations=1)
        logs.update(self._generator_update(tf.shape(real)[1],
                                           None if labels is None else labels[-1]))
        self.step_counter.assign_add(1)
        return logs


# --- callbacks ----------------------------------------------------------------------------

METRIC_COLUMNS = ("step", "critic_loss", "generator_loss", "w_estimate", "critic_grad_norm",
                  "generator_grad_norm", "gp", "gp_grad_norm", "seconds")
CHECKED_FOR_NAN = ("critic_loss", "generator_loss", "w_estimate", "gp", "critic_grad_norm",
                   "generator_grad_norm", "gp_grad_norm")


class NonFiniteLossError(RuntimeError):
    """Training stopped because a loss or a gradient norm became NaN or infinite (the bad
    state is not saved)."""

    def __init__(self, step, metric, value, checkpoint_step=None, save_dir=None):
        self.step, self.metric, self.value = step, metric, value
        self.checkpoint_step, self.save_dir = checkpoint_step, save_dir
        where = ""
        if save_dir is not None:
            where = (f"; the last good checkpoint (step {checkpoint_step}) in {save_dir} is "
                     f"intact" if checkpoint_step else f"; no checkpoint was saved in {save_dir}")
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


def _healthy(model):
    return getattr(model, "divergence", None) is None


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
        self._file = self._writer = None

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()
        if self.path is not None:
            new = not self.path.is_file() or self.path.stat().st_size == 0
            self._file = open(self.path, "a", newline="")
            self._writer = csv.writer(self._file)
            if new:
                self._writer.writerow(METRIC_COLUMNS)
                self._file.flush()

    def on_train_batch_end(self, batch, logs=None):
        if not _healthy(self.model):
            return
        logs = logs or {}
        row = {"step": self.model.step,
               "seconds": round(self.seconds_offset + time.perf_counter() - self._start, 3)}
        row.update({name: float(logs[name]) for name in METRIC_COLUMNS if name in logs})
        self.rows.append(row)
        if self._writer is not None:
            self._writer.writerow([_format(row.get(name)) for name in METRIC_COLUMNS])
            self._file.flush()  # a killed run keeps every finished step's row

    def on_train_end(self, logs=None):
        if self._file is not None:
            self._file.close()
            self._file = self._writer = None


def _format(value):
    if value is None:
        return ""
    return str(value) if isinstance(value, int) else f"{value:.7g}"


def make_checkpoint(wgan, directory, keep=3):
    """A `tf.train.Checkpoint` of everything a resumed run needs, and its manager.

    Holds the generator, the critic, both optimizers (slots and iteration counts), the
    generator-step counter, the noise RNG state and the averaged generator (if kept).
    A damaged or missing index file (`directory/checkpoint`) next to checkpoint files is
    rebuilt from those files, with one log line, so a run is never silently restarted.

    Args:
        wgan: a compiled `WGAN`.
        directory: folder of the checkpoint files.
        keep: int >= 1, how many of the latest checkpoints to keep.

    Returns:
        (checkpoint, manager).
    """
    parts = dict(generator=wgan.generator, critic=wgan.critic,
                 critic_optimizer=wgan.critic_optimizer,
                 generator_optimizer=wgan.generator_optimizer,
                 step=wgan.step_counter, rng_state=wgan.seed_generator.state)
    if wgan.ema_generator is not None:
        parts["ema_generator"] = wgan.ema_generator
    checkpoint = tf.train.Checkpoint(**parts)
    steps = checkpoint_steps(directory)
    if steps and _read_index(directory) is None:
        paths = [str(Path(directory) / f"ckpt-{step}") for step in sorted(steps)]
        times = [Path(f"{path}.index").stat().st_mtime for path in paths]
        try:  # with the times, the manager goes on deleting all but the latest `keep`
            tf.compat.v1.train.update_checkpoint_state(
                str(directory), paths[-1], all_model_checkpoint_paths=paths,
                all_model_checkpoint_timestamps=times, last_preserved_timestamp=min(times) - 1)
        except (tf.errors.OpError, OSError):  # a read-only folder: `restore_latest` copes
            pass
        _log.warning("the checkpoint index in %s was damaged or missing: rebuilt it from the "
                     "checkpoints of steps %s", directory, ", ".join(map(str, sorted(steps))))
    manager = tf.train.CheckpointManager(checkpoint, str(directory), max_to_keep=keep)
    return checkpoint, manager


def checkpoint_steps(directory):
    """The steps of the checkpoints on disk in `directory` (files ckpt-N.index), newest first."""
    steps = []
    for path in Path(directory).glob("ckpt-*.index"):
        number = path.name[len("ckpt-"):-len(".index")]
        if number.isdigit():
            steps.append(int(number))
    return sorted(steps, reverse=True)


def _read_index(directory):
    """TensorFlow's checkpoint index of `directory`, or None if missing, empty or damaged
    (TensorFlow's own warnings about a damaged file are kept quiet: the caller reports)."""
    logger = tf.get_logger()
    level = logger.level
    logger.setLevel("ERROR")
    try:
        state = tf.train.get_checkpoint_state(str(directory))
    except ValueError:  # "Invalid checkpoint state": an empty index
        return None
    finally:
        logger.setLevel(level)
    return state if state is not None and state.model_checkpoint_path else None


def restore_latest(wgan, checkpoint, manager, directory):
    """Restore the newest readable checkpoint of `manager` into `wgan`; returns its step.

    The latest checkpoint is tried first, then the older ones on disk, newest first; a
    skipped one is reported in one log line. Returns 0 when there is no checkpoint.

    Raises:
        ValueError: "checkpoint in D is unreadable: ..." when no checkpoint can be read,
            or none matches the model (e.g. another width).
    """
    candidates = [manager.latest_checkpoint] if manager.latest_checkpoint else []
    candidates += [str(Path(directory) / CHECKPOINT_DIR / f"ckpt-{step}")
                   for step in checkpoint_steps(Path(directory) / CHECKPOINT_DIR)]
    candidates = list(dict.fromkeys(candidates))
    failures = []
    for path in candidates:
        try:
            checkpoint.restore(path).assert_existing_objects_matched()
        except (tf.errors.OpError, AssertionError, ValueError) as error:
            failures.append(f"{Path(path).name}: {error_summary(error)}")
            continue
        if failures:
            _log.warning("skipped unreadable checkpoints (%s); resumed from %s",
                         "; ".join(failures), Path(path).name)
        return wgan.step
    if failures:
        raise ValueError(f"checkpoint in {directory} is unreadable: {failures[0]}")
    return 0


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
            self.manager.save(checkpoint_number=step)
            self.last_saved = step

    def on_train_begin(self, logs=None):
        self.last_saved = self.model.step

    def on_train_batch_end(self, batch, logs=None):
        if _healthy(self.model) and self.model.step % self.every == 0:
            self._save()

    def on_train_end(self, logs=None):
        if _healthy(self.model):
            self._save()
            self.model.sampler.save(self.save_dir / GENERATOR_FILE)


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

    def __init__(self, samples_dir, every, noise_dim, n=64, seed=0, real=None,
                 num_classes=None):
        super().__init__()
        self.samples_dir, self.every, self.real = Path(samples_dir), every, real
        self.samples_dir.mkdir(parents=True, exist_ok=True)
        self.ncols = None
        if num_classes is not None and real is None:  # one row per class
            n, self.ncols = num_classes * 10, 10
        self.z = np.random.default_rng(seed).standard_normal((n, noise_dim)).astype(np.float32)
        self.labels = None if num_classes is None else \
            (np.arange(n) // (self.ncols or 1) % num_classes).astype(np.int32)

    def _draw(self):
        from wgan_tutorial import plotting

        step = self.model.step
        inputs = self.z if self.labels is None else [self.z, self.labels]
        outputs = keras.ops.convert_to_numpy(self.model.sampler(inputs, training=False))
        path = self.samples_dir / f"step_{step:06d}.png"
        if self.real is None:
            plotting.save_image_grid(outputs, path, ncols=self.ncols)
        else:
            plotting.save_toy_samples(self.real, outputs, path, title=f"step {step}")

    def on_train_begin(self, logs=None):
        if self.model.step == 0:
            self._draw()

    def on_train_batch_end(self, batch, logs=None):
        if _healthy(self.model) and self.model.step % self.every == 0:
            self._draw()

    def on_train_end(self, logs=None):
        if _healthy(self.model) and self.model.step % self.every != 0:
            self._draw()


class ProgressBar(keras.callbacks.Callback):
    """A tqdm progress bar over generator steps, with the W estimate in its postfix."""

    def __init__(self, target_step, description="training"):
        super().__init__()
        self.target_step, self.description = target_step, description
        self.bar = None

    def on_train_begin(self, logs=None):
        from tqdm.auto import tqdm

        self.bar = tqdm(total=self.target_step, initial=self.model.step,
                        desc=self.description, unit="step")

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


# --- the high-level entry point -----------------------------------------------------------

DATASETS = tuple(data.DATASETS)
CONFIG_FILE, METRICS_FILE, CHECKPOINT_DIR = "config.json", "metrics.csv", "checkpoints"
GENERATOR_FILE, CURVES_FILE = "generator.keras", "training_curves.png"
UNLIMITED_STEPS = 10**9  # the step target of a run bounded by max_seconds only
CONFIG_KEYS = ("loss", "dataset", "noise_dim", "width", "depth", "n_critic", "batch_size",
               "learning_rate", "beta_1", "clip_value", "gp_weight", "one_sided", "seed", "ema")
# Also in a config: "image_shape", "max_images", "conditional", "critic_lr_scale",
# "critic_lr_fade" and "generator_norm" (`read_config` gives a run saved before them MNIST's
# shape, or None for a toy set, no subset, False, 1, 0 and "none": the equal rates and the
# generator without batch norm that runs used before).


def toy_pool_size():
    """How many points of a toy set one epoch holds: 100,000 (10,000 in fast mode)."""
    from wgan_tutorial.config import pick

    return pick(100_000, 10_000)


def default_config(loss="gp", dataset="mnist", conditional=False):
    """The hyper-parameters `train` uses when none are given, as a dict (keys `CONFIG_KEYS`).

    The papers' algorithms: clip: RMSprop 5e-5, c = 0.01, n_critic = 5, batch 64 (Arjovsky
    et al. 2017, arXiv 1701.07875, Algorithm 1); gp: lambda = 10, n_critic = 5, Adam with
    beta = (0.5, 0.9) (Gulrajani et al. 2017, arXiv 1704.00028, Algorithm 1 and the
    official `gan_mnist.py`). gp on MNIST uses Adam(1e-3) (1.5e-3 with the generator's batch
    norm, below), batch 32 and n_critic = 1 instead of the paper's 1e-4, 64 and 5: measured on a
    2-core CPU (`benchmarks/gp_speed.py`, `benchmarks/fid_vs_time.py`; width 16, 150 s runs),
    batch 32 runs twice the generator steps per second at the same images per second, and lr
    1e-3 lowers the FID reached in 150 s from 1182 (1e-4, batch 64) to 182 (see
    notebooks/03_wgan_gp_mnist.ipynb); and one critic update per generator update
    (n_critic = 1, MNIST only): after 300 s of
    training on 2 cores (`benchmarks/fid_vs_time.py --n-critic K`, the same session)
    n_critic 5, 2, 1 ran 1,875, 4,345, 7,687 steps and reached FID 114.8, 60.0, 43.9
    (37.5, 19.6, 14.4 x the real-vs-real floor): each generator step learns less with
    fewer critic updates (FID 181.5 at step 2,000 with n_critic 1, 114.8 at step 1,875 with
    5), but costs 2.3 to 4 times less; after 900 s, n_critic 1
    reached FID 16.45 (5.4 x the floor, 23,008 steps). With n_critic = 1 the critic
    starts at twice the generator's learning rate, falling linearly to it over the first
    10,000 steps (`critic_lr_scale` = 2, `critic_lr_fade` = 10,000, MNIST only: Adam 2e-3
    to 1e-3 against the generator's 1e-3; the two time-scale update rule of Heusel et al.
    2017, arXiv 1706.08500, Section 2), which makes up for part of the missing critic
    updates. In one session, one seed each (10,000 samples), FID at steps 2,000 / 3,000 /
    4,000 / 5,000 was 184.1 / 116.0 / 82.4 / 64.0 with equal rates, 122.2 / 81.0 / 64.2 /
    53.2 with the critic's doubled for good, 111.4 / 77.5 / 61.7 / 51.0 tripled and 117.7 /
    82.7 / 67.9 / 58.4 quadrupled, while doubling both (4e-3 and 2e-3) did not learn (FID
    203 at step 5,000). Doubled for good, the early gain turned into a loss after about
    12,500 steps (with `wgan-tutorial train`: 22.6 / 20.3 / 18.5 at steps 15,000 / 20,000 /
    25,000 against 20.0 / 17.5 / 16.5 with one rate); fading over 10,000 steps kept it
    (50.4 / 25.9 / 18.3 / 16.7 / 16.4 at 5,000 / 10,000 / 15,000 / 20,000 / 25,000;
    over 20,000: 51.3 / 29.3 / 20.4 / 18.0 / 16.0); with `wgan-tutorial train`, 79.3 /
    49.6 / 27.4 / 18.5 / 16.3 at steps 3,000 / 5,000 / 10,000 / 15,000 / 20,000 against
    113.3 / 68.0 / 31.8 / 20.0 / 17.5 with one rate. A step costs the same. The generator
    has batch norm in its hidden layers (`generator_norm` = "batch", MNIST only: DCGAN's
    generator, Radford et al. 2016, arXiv 1511.06434, Section 3, which both WGAN papers train;
    the critic keeps none) and the learning rate is 1.5e-3 (critic 3e-3 fading to 1.5e-3).
    Same seed, FID at steps 1,000 / 2,000 / 3,000 / 4,000 / 5,000: 252.3 / 135.4 / 85.7 /
    67.3 / 50.5 without batch norm at 1e-3 (the defaults before), 221.0 / 101.3 / 70.2 /
    57.7 / 46.3 with it at 1e-3, 172.1 / 80.0 / 53.3 / 42.0 / 37.3 at 1.5e-3, and 235.1 /
    182.9 (steps 1,000 / 2,000) at 2e-3; seed 1, at steps 2,000 / 3,000 / 5,000: 93.7 / 65.7 /
    44.0 with it at 1.5e-3 against 128.7 / 83.7 / 55.6. With `wgan-tutorial train`
    (`benchmarks/fid_vs_time.py`, 900 s, 22 steps/s): 65.1 / 41.8 / 20.6 / 16.5 at steps 3,000 /
    5,000 / 10,000 / 15,000 against 79.3 / 49.6 / 27.4 / 18.5 before, and 13.4 after 900 s (step
    19,879) against 15.3; a step costs about 3 % more. With labels (`conditional`) batch
    norm at 1.5e-3 scored 29.2 / 31.5 / 27.8 at steps 2,000 / 3,000 / 5,000 against 54.3 /
    23.7 / 12.4 without it at 1e-3, so a conditional run keeps the earlier generator and rate; so do lp
    and gp-ln, which did worse with them (FID at steps 2,000 / 3,000: lp 173.4 / 126.7
    against 128.2 / 84.6, gp-ln 286.3 / 206.5 against 148.1 / 93.7). Its samples come from a
    moving average of the generator's weights (`ema` = 0.999, see `WGAN`; measured in
    `benchmarks/fid_vs_time.py`), which leaves training unchanged. Toy
    sets: Adam(1e-4) for gp, batch 256 and 2-512-512-512 MLPs (official `gan_toy.py`; 64
    units in fast mode), noise of size 2. The loss's paper values come from its
    `losses.LOSSES` entry; `lp` and `gp-ln` take gp's tuned values but for the batch norm
    and its rate (above): FID at step 5,000 with the fading critic rate 53.9 and 55.2, with
    one rate 85.4 and 65.8 (one seed). The baselines
    (not penalised, so the paper values, batch 64 and no average on MNIST): `sn` Adam(1e-4),
    n_critic = 5 (Miyato et al. 2018, arXiv 1802.05957, Table 1, setting A); `gan` and
    `gan-minimax` Adam(2e-4, beta = (0.5, 0.999)) and n_critic = 1 (DCGAN, Radford et al.
    2016, arXiv 1511.06434, Section 4; Goodfellow et al. 2014, arXiv 1406.2661, Algorithm 1
    with k = 1): `n_critic` below is the entry's `n_critic`. Other image sets (Fashion-MNIST,
    CIFAR-10, folders) take MNIST's, at their own `image_shape` (`data.dataset_image_shape`),
    but keep the paper's n_critic = 5 and one learning rate (n_critic = 1 and the doubled
    critic rate were measured on MNIST only).

    Args:
        loss: a name of `losses.LOSSES`. dataset: a name of `data.DATASETS`.
        conditional: the defaults of a class-conditional run (`train(conditional=True)`).

    Raises:
        ValueError: unknown loss or dataset.
    """
    from wgan_tutorial.config import pick
    from wgan_tutorial.models import default_width

    entry = data.get_dataset(dataset)
    toy = entry.kind == "points"
    loss_entry = losses.get_loss(loss)
    tuned = loss_entry.penalised and not toy  # the measured MNIST penalty settings
    mnist_tuned = tuned and entry.name == "mnist"  # measured on MNIST only
    # measured on MNIST without labels, better for gp alone (the registry says which)
    generator_norm = loss_entry.mnist_generator_norm if mnist_tuned and not conditional \
        else "none"
    return {
        "loss": loss, "dataset": entry.name,
        "noise_dim": defaults.TOY_NOISE_DIM if toy else defaults.NOISE_DIM,
        "width": pick(defaults.TOY_WIDTH, 64) if toy else default_width(),
        "depth": 3 if toy else None,
        "n_critic": defaults.GP_MNIST_N_CRITIC if mnist_tuned else loss_entry.n_critic,
        "batch_size": defaults.TOY_BATCH_SIZE if toy else (
            defaults.GP_MNIST_BATCH_SIZE if tuned else defaults.PAPER_BATCH_SIZE),
        "learning_rate": defaults.GP_MNIST_LEARNING_RATE if generator_norm != "none"
        else defaults.GP_IMAGE_LEARNING_RATE if tuned else loss_entry.learning_rate,
        "beta_1": defaults.BETA_1,
        "clip_value": defaults.CLIP_VALUE, "gp_weight": defaults.GP_WEIGHT, "one_sided": False,
        "seed": 0,
        "ema": defaults.GP_MNIST_EMA if tuned else 0.0,
        "critic_lr_scale": defaults.GP_MNIST_CRITIC_LR_SCALE if mnist_tuned else 1.0,
        "critic_lr_fade": defaults.GP_MNIST_CRITIC_LR_FADE if mnist_tuned else 0,
        "generator_norm": generator_norm,
        "image_shape": None if toy else list(data.dataset_image_shape(dataset)),
        "max_images": None, "conditional": bool(conditional),
    }


def wgan_from_config(config):
    """A compiled `WGAN` (fresh weights) built from a run's config dict (see `CONFIG_KEYS`).

    Raises:
        ValueError: a value out of range (naming it), or an unknown loss / dataset.
    """
    entry = data.get_dataset(config["dataset"])
    normalization = losses.get_loss(config["loss"]).critic_normalization
    generator_norm = config.get("generator_norm", "none")
    if generator_norm not in defaults.GENERATOR_NORMS:
        raise ValueError(f"generator_norm must be one of {defaults.GENERATOR_NORMS}, "
                         f"got {generator_norm!r}")
    classes = None
    if config.get("conditional"):
        classes = entry.num_classes
        if classes is None:
            labelled = tuple(name for name, item in data.DATASETS.items() if item.num_classes)
            raise ValueError(f"conditional needs a data set with classes {labelled}, got "
                             f"dataset {entry.name!r}")
    if entry.kind == "images":
        shape = config.get("image_shape") or models.IMAGE_SHAPE
        generator = models.image_generator(shape, config["noise_dim"], config["width"],
                                           num_classes=classes,
                                           normalization=None if generator_norm == "none"
                                           else generator_norm)
        critic = models.image_critic(shape, config["width"], normalization=normalization,
                                     num_classes=classes)
    else:
        if generator_norm != "none":
            raise ValueError(f"generator_norm must be 'none' for a toy data set (batch norm is "
                             f"built into image generators only), got {generator_norm!r}")
        generator = models.toy_generator(config["noise_dim"], config["width"], config["depth"],
                                         num_classes=classes)
        critic = models.toy_critic(2, config["width"], config["depth"],
                                   normalization=normalization, num_classes=classes)
    wgan = WGAN(generator, critic, loss=config["loss"], n_critic=config["n_critic"],
                clip_value=config["clip_value"], gp_weight=config["gp_weight"],
                one_sided=config["one_sided"], seed=config["seed"], ema=config["ema"])
    wgan.compile(*default_optimizers(config["loss"], config["learning_rate"], config["beta_1"],
                                     config["critic_lr_scale"], config["critic_lr_fade"]))
    return wgan


def read_config(save_dir):
    """The config dict of a run folder, or None when it has no `config.json`.

    Raises:
        ValueError: the file is unreadable or lacks keys.
    """
    path = Path(save_dir) / CONFIG_FILE
    if not path.is_file():
        return None
    try:
        config = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise ValueError(f"{path} is unreadable: {error_summary(error)}") from None
    missing = [key for key in CONFIG_KEYS if key not in config]
    if missing:
        raise ValueError(f"{path} lacks the keys {missing}")
    toy = config["dataset"] in data.TOY_DATASETS
    config.setdefault("image_shape", None if toy else list(data.dataset_image_shape("mnist")))
    config.setdefault("max_images", None)
    config.setdefault("conditional", False)
    config.setdefault("critic_lr_scale", 1.0)
    config.setdefault("critic_lr_fade", 0)
    config.setdefault("generator_norm", "none")
    return config


def read_metrics(path):
    """The rows of a `metrics.csv` as a dict of float arrays (column -> (n,)); NaN = empty.

    Returns:
        dict with the keys `METRIC_COLUMNS` ("step" as int64); empty arrays if no file.
    """
    path = Path(path)
    rows = []
    if path.is_file():
        with open(path, newline="") as handle:
            rows = list(csv.DictReader(handle))
    return _columns(rows)


def _columns(rows):
    history = {}
    for name in METRIC_COLUMNS:
        values = [row.get(name) for row in rows]
        values = [np.nan if v in (None, "") else float(v) for v in values]
        history[name] = np.asarray(values, dtype=np.int64 if name == "step" else np.float64)
    return history


def _truncate_metrics(path, last_step):
    """Keep only rows with step <= last_step (rows a killed run wrote after its last
    checkpoint); returns the `seconds` of the last row kept (0 if none)."""
    if not path.is_file():
        return 0.0
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = (rows[0], rows[1:]) if rows else (list(METRIC_COLUMNS), [])
    if header != list(METRIC_COLUMNS):
        raise ValueError(f"{path} has the columns {header}, expected {list(METRIC_COLUMNS)}")
    # a row cut short by a kill, or beyond the checkpoint, is dropped
    kept = [row for row in body if len(row) == len(header) and row[0].isdigit()
            and int(row[0]) <= last_step]
    if len(kept) != len(body):
        with open(path, "w", newline="") as handle:
            csv.writer(handle).writerows([header] + kept)
    return float(kept[-1][-1]) if kept else 0.0


def _real_dataset(config, data_path, shuffle_seed):
    """tf.data of stacked real batches (n_critic x batch_size, ...), and the epoch size."""
    rows = config["n_critic"] * config["batch_size"]
    conditional = bool(config.get("conditional"))
    if data.get_dataset(config["dataset"]).kind == "images" and conditional:
        shape = config["image_shape"]
        images, labels, _ = data.labelled_source(config["dataset"], "train", data_path,
                                                 shape[0], shape[2], config["max_images"],
                                                 config["seed"])
        if rows > len(images):
            raise ValueError(f"batch_size x n_critic must be <= the number of training "
                             f"images ({len(images)}), got {rows}")
        return data.labelled_dataset(images, labels, tuple(shape), rows,
                                     seed=shuffle_seed), len(images)
    if data.get_dataset(config["dataset"]).kind == "images":
        shape = config["image_shape"]
        source, _ = data.image_source(config["dataset"], "train", data_path, shape[0], shape[2],
                                      config["max_images"], config["seed"])
        size = len(source)
        if rows > size:
            raise ValueError(f"batch_size x n_critic must be <= the number of training "
                             f"images ({size}), got {rows}")
        return data.image_dataset(source, tuple(shape), rows, seed=shuffle_seed), size
    size = toy_pool_size()
    if rows > size:
        raise ValueError(f"batch_size x n_critic must be <= {size} toy points, got {rows}")
    points = data.toy_samples(config["dataset"], size, seed=config["seed"], labels=conditional)
    dataset = tf.data.Dataset.from_tensor_slices(points).shuffle(size, seed=shuffle_seed)
    dataset = dataset.repeat().batch(rows, drop_remainder=True)
    return data.prefetched(dataset), size


def steps_for_epochs(epochs, dataset_size, batch_size, n_critic):
    """Generator iterations in `epochs` passes over the data: ceil(epochs N / (B n_critic))."""
    return max(1, math.ceil(epochs * dataset_size / (batch_size * n_critic)))


def train(loss=None, dataset=None, steps=None, epochs=None, max_seconds=None, save_dir=None,
          samples_dir=None, seed=None, batch_size=None, n_critic=None, learning_rate=None,
          beta_1=None, clip_value=None, gp_weight=None, noise_dim=None, width=None,
          depth=None, one_sided=None, ema=None, checkpoint_every=None, sample_every=None,
          keep_checkpoints=3, data_path=None, progress=True, callbacks=None, image_size=None,
          channels=None, max_images=None, data_dir=None, conditional=None, critic_lr_scale=None,
          critic_lr_fade=None, generator_norm=None):
    """Train a WGAN (any loss of `losses.LOSSES`) on a registry data set; resume a save_dir.

    One step is one generator iteration of Algorithm 1 of Arjovsky et al. 2017 (arXiv
    1701.07875; loss="clip") or Gulrajani et al. 2017 (arXiv 1704.00028; loss="gp").
    Hyper-parameters left as None take the saved run's value when `save_dir` holds one,
    else `default_config(loss, dataset)` (the papers' values, but for gp on MNIST the
    measured CPU settings: Adam 1.5e-3, batch 32, n_critic 1, a critic rate that starts at
    twice the generator's, batch norm in the generator); a value given explicitly that differs
    from the saved run's is an error. `steps` is the total target: a run at step 20 asked for
    `steps=40` does 20 more. A resumed run restores the weights, both optimizers, the step
    counter and the noise RNG state, truncates `metrics.csv` to the checkpoint's step and
    reshuffles the data with seed + step (its data order differs from an uninterrupted run's).

    Files in `save_dir`: config.json, metrics.csv (`METRIC_COLUMNS`, one row per step),
    checkpoints/ (every `checkpoint_every` steps and at the end, latest
    `keep_checkpoints` kept), generator.keras and training_curves.png (at the end).
    `samples_dir`: step_NNNNNN.png every `sample_every` steps.

    Args:
        loss: a name of `losses.LOSSES`: "clip", "gp" (default), "lp", "gp-ln", "sn",
            "gan" or "gan-minimax".
        dataset: a name of `data.DATASETS` (or an alias such as "cifar10"): "mnist"
            (default), "fashion-mnist", "cifar-10", "folder" (needs data_dir), or a toy set.
        steps: int >= 1, target generator step (default 1000, 10 in fast mode; with
            only max_seconds given, no step limit: the time budget ends the run).
        epochs: float > 0, instead of steps: passes over the training data (MNIST: its
            size; toys: `toy_pool_size()` points), each of N / (batch_size n_critic) steps.
        max_seconds: float > 0, stop cleanly (saving everything) after this wall time.
        save_dir, samples_dir: folders, or None (nothing written).
        seed: int >= 0 (default 0): weights, noise, data order.
        batch_size, n_critic, learning_rate, beta_1, clip_value, gp_weight, noise_dim,
            one_sided, ema, critic_lr_scale, critic_lr_fade: see `WGAN`,
            `default_optimizers` and `default_config`.
        width: MNIST model width, or the toy MLPs' hidden units. depth: toy MLP layers.
        checkpoint_every, sample_every: int >= 1 (default 200, 10 in fast mode).
        keep_checkpoints: int >= 1.
        data_path: an MNIST file (see `data.load_mnist`).
        progress: show a tqdm progress bar, and log `summary_line` at the end.
        callbacks: extra keras callbacks, run after the package's own.
        image_size, channels: train at (image_size, image_size, channels) (28, 32 or 64;
            1 or 3), converting the data set's images (`data.dataset_image_shape`).
        max_images: train on a seeded random subset of this many images.
        data_dir: where the data set is (`data.image_source`); for MNIST the same as
            data_path.
        conditional: train a class-conditional WGAN (default False): the generator takes
            (z, label), the critic is a projection critic (`models.image_critic`), the
            penalty is taken with the label held fixed (see `WGAN`); needs a data set with
            classes (MNIST, Fashion-MNIST, CIFAR-10, 8gaussians, 25gaussians).
        generator_norm: "none" or "batch": batch norm in the image generator's hidden
            layers (`models.image_generator`; default "batch" for gp on MNIST without
            labels, else "none").

    Returns:
        (wgan, history): the trained `WGAN`; history a dict column -> numpy array
        (`METRIC_COLUMNS`), all the run's steps when save_dir is given (also earlier runs).

    Raises:
        ValueError: a parameter out of range (naming it), steps and epochs both given, a
            save_dir whose run differs from the request, an unreadable checkpoint.
        NonFiniteLossError: a loss became NaN or infinite; nothing of that state is saved.

    Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
    """
    from wgan_tutorial import plotting
    from wgan_tutorial.config import pick, seed_everything

    if dataset is not None:
        dataset = data.get_dataset(dataset).name  # aliases such as "cifar10"
    if data_dir is not None and data_path is not None:
        raise ValueError("give data_dir or data_path, not both")
    data_path = data_dir if data_dir is not None else data_path
    save_dir = None if save_dir is None else Path(save_dir)
    saved = read_config(save_dir) if save_dir is not None else None
    image_shape = None
    if image_size is not None or channels is not None:
        shape_of = dataset or (saved["dataset"] if saved is not None else "mnist")
        image_shape = list(data.dataset_image_shape(shape_of, image_size, channels))
    requested = {key: value for key, value in dict(
        loss=loss, dataset=dataset, noise_dim=noise_dim, width=width, depth=depth,
        n_critic=n_critic, batch_size=batch_size, learning_rate=learning_rate, beta_1=beta_1,
        clip_value=clip_value, gp_weight=gp_weight, one_sided=one_sided, seed=seed,
        ema=ema, image_shape=image_shape, max_images=max_images,
        conditional=conditional, critic_lr_scale=critic_lr_scale,
        critic_lr_fade=critic_lr_fade, generator_norm=generator_norm).items()
        if value is not None}
    if saved is not None:
        for key, value in requested.items():
            if value != saved[key]:
                raise ValueError(f"save_dir {save_dir} holds a run with {key}={saved[key]!r}, "
                                 f"requested {key}={value!r} (use another save_dir, or "
                                 f"leave {key} unset to continue that run)")
        config = saved
    else:
        config = default_config(requested.get("loss", "gp"), requested.get("dataset", "mnist"),
                                requested.get("conditional", False))
        config.update(requested)
    if steps is not None and epochs is not None:
        raise ValueError("give steps or epochs, not both")
    checkpoint_every = check_number(pick(200, 10) if checkpoint_every is None
                                     else checkpoint_every, "checkpoint_every", 1,
                                     inclusive=True, integer=True)
    sample_every = check_number(pick(200, 10) if sample_every is None else sample_every,
                                 "sample_every", 1, inclusive=True, integer=True)
    keep_checkpoints = check_number(keep_checkpoints, "keep_checkpoints", 1, inclusive=True,
                                     integer=True)
    if max_seconds is not None:
        max_seconds = check_number(max_seconds, "max_seconds", 0, inclusive=False)
    check_number(config["batch_size"], "batch_size", 1, inclusive=True, integer=True)
    check_number(config["seed"], "seed", 0, inclusive=True, integer=True)

    seed_everything(config["seed"])
    wgan = wgan_from_config(config)  # validates every hyper-parameter
    until_time_out = steps is None and epochs is None and max_seconds is not None
    if steps is None and epochs is None:
        steps = UNLIMITED_STEPS if until_time_out else pick(1000, 10)
    if steps is not None:
        steps = check_number(steps, "steps", 1, inclusive=True, integer=True)
    else:
        check_number(epochs, "epochs", 0, inclusive=False)

    with contextlib.ExitStack() as stack:  # the lock and the signal handlers
        start_step, seconds_offset, manager = 0, 0.0, None
        if save_dir is not None:
            resources.writable_folder(save_dir, "save_dir")
            stack.enter_context(resources.RunLock(save_dir))
            resources.writable_folder(save_dir / CHECKPOINT_DIR, "save_dir")
            checkpoint, manager = make_checkpoint(wgan, save_dir / CHECKPOINT_DIR,
                                                  keep_checkpoints)
            start_step = restore_latest(wgan, checkpoint, manager, save_dir)
            seconds_offset = _truncate_metrics(save_dir / METRICS_FILE, start_step)
        if samples_dir is not None:
            resources.writable_folder(samples_dir, "samples_dir")
        real, dataset_size = _real_dataset(config, data_path, config["seed"] + start_step)
        if save_dir is not None and saved is None:  # written once everything is validated
            (save_dir / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")
        if steps is None:
            steps = steps_for_epochs(epochs, dataset_size, config["batch_size"],
                                     config["n_critic"])

        logger = MetricsLogger(None if save_dir is None else save_dir / METRICS_FILE,
                               seconds_offset)
        signals = stack.enter_context(StopOnSignals())
        run_callbacks = [StopOnNonFinite(), signals, logger]
        if save_dir is not None:
            run_callbacks.append(CheckpointSaver(save_dir, manager, checkpoint_every))
        if samples_dir is not None:
            toy_real = None if config["dataset"] not in data.TOY_DATASETS else \
                data.toy_samples(config["dataset"], 1000, seed=config["seed"] + 1)
            run_callbacks.append(SampleGrid(samples_dir, sample_every, config["noise_dim"],
                                            n=64 if toy_real is None else 1000,
                                            seed=config["seed"], real=toy_real,
                                            num_classes=wgan.num_classes))
        if max_seconds is not None:
            run_callbacks.append(TimeBudget(max_seconds))
        if progress:
            run_callbacks.append(ProgressBar(None if until_time_out else steps,
                                             f"WGAN-{config['loss']} {config['dataset']}"))
        run_callbacks.extend(callbacks or [])

        if start_step < steps:
            wgan.fit(real, epochs=1, steps_per_epoch=steps - start_step, verbose=0,
                     shuffle=False, callbacks=run_callbacks)
        history = read_metrics(save_dir / METRICS_FILE) if save_dir is not None \
            else _columns(logger.rows)
        divergence = getattr(wgan, "divergence", None)
        if divergence is not None:
            good_step = None
            if manager is not None and manager.latest_checkpoint:
                good_step = int(manager.latest_checkpoint.rsplit("-", 1)[-1])
            raise NonFiniteLossError(divergence.step, divergence.metric, divergence.value,
                                     good_step, save_dir)
        if save_dir is not None and len(history["step"]):
            figure = plotting.plot_training_curves(history)
            figure.savefig(save_dir / CURVES_FILE, dpi=100)
            plotting.plt.close(figure)
    if signals.signum is not None:
        raise TrainingInterrupted(signals.signum, wgan.step, save_dir)
    if progress and len(history["step"]):
        _log.info("%s", summary_line(history))
    return wgan, history


def summary_line(history):
    """One line on a finished run, for readers who see no progress bar (a notebook on GitHub):
    "trained to step S: N steps in T s of training, W estimate W at the end".

    Args:
        history: the dict `train` returns (columns `METRIC_COLUMNS`, at least one row).
    """
    steps, seconds = history["step"], history["seconds"]
    return (f"trained to step {int(steps[-1])}: {len(steps)} steps in {seconds[-1]:.0f} s of "
            f"training, W estimate {history['w_estimate'][-1]:.4g} at the end")

