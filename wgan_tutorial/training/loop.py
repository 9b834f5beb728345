"""`train`: the one training loop that the notebooks, the command line and the tests all run.

It resolves the user's options into a `RunConfig` (once), builds the `WGAN` from it, opens
the run folder (resuming a saved run), streams the real data and drives `WGAN.fit` with the
callbacks that write metrics, checkpoints and samples.

Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
"""

import contextlib
import logging
import math
import re
from pathlib import Path

from wgan_tutorial import data, devices, images, models, resources
from wgan_tutorial.config import error_summary, import_tensorflow, pick, seed_everything
from wgan_tutorial.run_config import UNLIMITED_STEPS, RunConfig, default_values
from wgan_tutorial.training import callbacks as cb
from wgan_tutorial.training import run_folder
from wgan_tutorial.training.wgan import WGAN, default_optimizers

tf = import_tensorflow()

_log = logging.getLogger(__name__)


def toy_pool_size():
    """How many points of a toy set one epoch holds: 100,000 (10,000 in fast mode)."""
    return pick(100_000, 10_000)


def default_config(loss="gp", dataset="mnist", conditional=False):
    """The saved fields a new run takes when none is given, as a dict (see `RunConfig`):
    the papers' values with the presets of `defaults.PRESETS` that apply.

    Raises:
        ValueError: unknown loss or dataset.
    """
    return default_values(loss, dataset, conditional)


def resolve(**options):
    """The `RunConfig` of a `train(**options)` call: the options against the run saved in
    `save_dir` (if any) or the defaults."""
    save_dir = options.get("save_dir")
    saved = run_folder.read_config(save_dir) if save_dir is not None else None
    return RunConfig.resolve(saved=saved, **options)


def wgan_from_config(config):
    """A compiled `WGAN` with fresh weights, built from a `RunConfig` or a run's config dict.

    Built inside a `tf.distribute` strategy's scope (as `train` does for `devices` > 1), its
    variables are mirrored on the strategy's devices and the generator's batch norm
    normalises over the global batch (`devices.synchronize_batch_norm`).

    Raises:
        ValueError: a value out of range (naming it), or an unknown loss / dataset.
    """
    if not isinstance(config, RunConfig):
        config = RunConfig.resolve(saved=config)
    entry, loss = config.dataset_entry, config.loss_entry
    classes = None
    if config.conditional:
        classes = entry.num_classes
        if classes is None:
            labelled = tuple(name for name, item in data.DATASETS.items() if item.num_classes)
            raise ValueError(
                f"conditional needs a data set with classes {labelled}, got dataset {entry.name!r}"
            )
    norm = None if config.generator_norm == "none" else config.generator_norm
    if entry.kind == "images":
        shape = config.image_shape or models.IMAGE_SHAPE
        generator = models.image_generator(
            shape, config.noise_dim, config.width, num_classes=classes, normalization=norm
        )
        critic = models.image_critic(
            shape, config.width, normalization=loss.critic_normalization, num_classes=classes
        )
    else:
        if norm is not None:
            raise ValueError(
                f"generator_norm must be 'none' for a toy data set (batch norm is "
                f"built into image generators only), got {config.generator_norm!r}"
            )
        generator = models.toy_generator(
            config.noise_dim, config.width, config.depth, num_classes=classes
        )
        critic = models.toy_critic(
            2,
            config.width,
            config.depth,
            normalization=loss.critic_normalization,
            num_classes=classes,
        )
    if tf.distribute.get_strategy().num_replicas_in_sync > 1:
        devices.synchronize_batch_norm(generator)
    wgan = WGAN(
        generator,
        critic,
        loss=config.loss,
        n_critic=config.n_critic,
        clip_value=config.clip_value,
        gp_weight=config.gp_weight,
        one_sided=config.one_sided,
        seed=config.seed,
        ema=config.ema,
    )
    wgan.compile(
        *default_optimizers(
            config.loss,
            config.learning_rate,
            config.beta_1,
            config.critic_lr_scale,
            config.critic_lr_fade,
        ),
        jit_compile=config.jit_compile,
    )
    return wgan


def real_dataset(config, shuffle_seed):
    """tf.data of stacked real batches (n_critic x batch_size, ...) and the epoch's size."""
    rows = config.n_critic * config.batch_size
    entry, shape = config.dataset_entry, config.image_shape
    if entry.kind == "images":
        if config.conditional:
            images_, labels, _ = data.labelled_source(
                entry, "train", config.data_dir, shape[0], shape[2], config.max_images, config.seed
            )
            size, source = len(images_), (images_, labels)
        else:
            source, _ = data.image_source(
                entry, "train", config.data_dir, shape[0], shape[2], config.max_images, config.seed
            )
            size = len(source)
        # a set smaller than one round is cycled through (data.image_dataset)
        if config.conditional:
            return data.labelled_dataset(*source, tuple(shape), rows, seed=shuffle_seed), size
        return data.image_dataset(source, tuple(shape), rows, seed=shuffle_seed), size
    size = toy_pool_size()
    if rows > size:
        raise ValueError(f"batch_size x n_critic must be <= {size} toy points, got {rows}")
    points = data.toy_samples(entry, size, seed=config.seed, labels=config.conditional)
    dataset = tf.data.Dataset.from_tensor_slices(points).shuffle(size, seed=shuffle_seed)
    return data.prefetched(dataset.repeat().batch(rows, drop_remainder=True)), size


def steps_for_epochs(epochs, dataset_size, batch_size, n_critic):
    """Generator iterations in `epochs` passes over the data: ceil(epochs N / (B n_critic))."""
    return max(1, math.ceil(epochs * dataset_size / (batch_size * n_critic)))


def _open_run_folder(config, wgan, stack, created):
    """Lock and prepare `save_dir`, restore its latest checkpoint: (start step, seconds
    already trained, checkpoint manager); (0, 0.0, None) without a save_dir. Folders it
    makes are recorded in `created` (a `resources.CreatedFolders`).

    Raises:
        ValueError: the folder holds metrics or a generator but no usable checkpoint, or
            its run was trained on other data.
    """
    if config.save_dir is None:
        return 0, 0.0, None
    save_dir = Path(config.save_dir)
    created.make(save_dir, "save_dir")
    stack.enter_context(resources.RunLock(save_dir))
    saved = run_folder.read_config(save_dir)
    if saved is not None:
        run_folder.check_data_source(saved, run_folder.data_source(config), save_dir)
    created.make(save_dir / run_folder.CHECKPOINT_DIR, "save_dir")
    checkpoint, manager = run_folder.make_checkpoint(
        wgan, save_dir / run_folder.CHECKPOINT_DIR, config.keep_checkpoints
    )
    start_step = run_folder.restore_latest(wgan, checkpoint, manager, save_dir)
    if start_step == 0:
        run_folder.check_restartable(save_dir)
    seconds = run_folder.truncate_metrics(save_dir / run_folder.METRICS_FILE, start_step)
    return start_step, seconds, manager


def _callbacks(config, wgan, manager, steps):
    """The run's own callbacks after the first three (NaN stop, signals, metrics)."""
    run_callbacks = []
    if manager is not None:
        run_callbacks.append(cb.CheckpointSaver(config.save_dir, manager, config.checkpoint_every))
    if config.samples_dir is not None:
        toy = config.dataset_entry.kind == "points"
        real = data.toy_samples(config.dataset_entry, 1000, seed=config.seed + 1) if toy else None
        run_callbacks.append(
            cb.SampleGrid(
                config.samples_dir,
                config.sample_every,
                config.noise_dim,
                n=1000 if toy else 64,
                seed=config.seed,
                real=real,
                num_classes=wgan.num_classes,
            )
        )
    if config.max_seconds is not None:
        run_callbacks.append(cb.TimeBudget(config.max_seconds))
    if config.progress:
        run_callbacks.append(
            cb.ProgressBar(
                None if config.until_time_out else steps, f"WGAN-{config.loss} {config.dataset}"
            )
        )
    return run_callbacks


def _raise_if_diverged(wgan, manager, save_dir):
    divergence = getattr(wgan, "divergence", None)
    if divergence is not None:
        good_step = None
        if manager is not None and manager.latest_checkpoint:
            good_step = int(manager.latest_checkpoint.rsplit("-", 1)[-1])
        raise cb.NonFiniteLossError(
            divergence.step, divergence.metric, divergence.value, good_step, save_dir
        )
    if getattr(wgan, "write_error", None) is not None:
        raise wgan.write_error


def _fit(wgan, real, steps, run_callbacks, config, manager, logger):
    """`wgan.fit` for `steps` steps; data that fails to arrive (a folder's images deleted
    mid-run, an I/O error in the tf.data pipeline) stops the run with one ValueError,
    after saving a checkpoint at the failure step when training is healthy."""
    try:
        wgan.fit(
            real,
            epochs=1,
            steps_per_epoch=steps,
            verbose=0,
            shuffle=False,
            callbacks=[*run_callbacks, state := cb.StepState()],
        )
    except (tf.errors.OpError, OSError) as error:
        logger.on_train_end()  # closes metrics.csv
        if hasattr(state, "values"):
            state.restore()
        cause = failure_cause(error)
        where = f"the training data ({data_description(config)})"
        if manager is None:
            raise ValueError(f"{where} failed after step {wgan.step}: {cause}") from None
        saved = "no checkpoint was saved"
        if manager.latest_checkpoint:
            saved = f"the last checkpoint (step {manager.latest_checkpoint.rsplit('-', 1)[-1]})"
            saved += " is intact"
        if cb.can_save(wgan):
            try:
                if not manager.latest_checkpoint or not manager.latest_checkpoint.endswith(
                    f"-{wgan.step}"
                ):
                    cb.save_checkpoint(manager, wgan.step)
                saved = f"a checkpoint of step {wgan.step} was saved"
            except ValueError:
                pass
        raise ValueError(
            f"{where} failed after step {wgan.step}: {cause}; {saved} in {config.save_dir}: "
            f"resume with the same command once the data is back"
        ) from None


def failure_cause(error):
    """The cause of a data failure in one line: the last "SomeError: ..." line of a
    TensorFlow message (the Python error raised inside the pipeline), else its first line."""
    lines = [line.strip() for line in str(error).splitlines()]
    causes = [line for line in lines if re.match(r"^\w+(Error|Exception): \S", line)]
    return causes[-1][:300] if causes else error_summary(error)


def data_description(config):
    """What a run trains on, for messages: the data source, else the data set's name."""
    return run_folder.data_source(config) or config.dataset


def train(config=None, callbacks=None, **options):
    """Train a WGAN (any loss of `losses.LOSSES`) on a registry data set; resume a save_dir.

    One step is one generator iteration of Algorithm 1 of Arjovsky et al. 2017 (arXiv
    1701.07875; loss="clip") or Gulrajani et al. 2017 (arXiv 1704.00028; loss="gp"). Options
    left unset take the saved run's value when `save_dir` holds one, else the defaults
    (`default_config`: the papers' values and the presets of `defaults.PRESETS`); a value
    given explicitly that differs from the saved run's is an error. `steps` is the total
    target: a run at step 20 asked for `steps=40` does 20 more. A resumed run restores the
    weights, both optimizers, the step counter and the noise RNG state, truncates
    `metrics.csv` to the checkpoint's step and reshuffles the data with seed + step.

    Files in `save_dir`: config.json, metrics.csv (one row per step), checkpoints/ (every
    `checkpoint_every` steps and at the end, the latest `keep_checkpoints` kept),
    generator.keras and training_curves.png. `samples_dir`: step_NNNNNN.png.

    Args:
        config: a `RunConfig`, or None to resolve one from `options`.
        callbacks: extra keras callbacks, run after the package's own.
        **options: the fields of `run_config.FIELDS` (their help says what each means):
            loss, dataset, steps or epochs, max_seconds, save_dir, samples_dir, seed,
            batch_size, n_critic, learning_rate, ... ; None means "not given".
            `devices` N > 1 trains data parallel on N devices (`devices`: the same update
            as one device makes on the whole batch, to float tolerance).

    Returns:
        (wgan, history): the trained `WGAN`; history a dict column -> numpy array
        (`METRIC_COLUMNS`), all the run's steps when save_dir is given.

    A rejected run (a bad option found once its folders exist) removes the folders it made;
    every file is written atomically (see `resources.atomic_path`), so a full disk stops the
    run in one line with its last checkpoint intact; data that fails mid-run stops it after
    a checkpoint of the last finished step.

    Raises:
        ValueError: an option out of range (naming it), a save_dir whose run differs from
            the request (options or data source), a save_dir holding metrics or a generator
            but no usable checkpoint, an unreadable checkpoint, a failed write (naming the
            path and the cause), training data that failed mid-run.
        NonFiniteLossError: a loss became NaN or infinite; nothing of that state is saved.
        TrainingInterrupted: SIGINT or SIGTERM, after saving.

    Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
    """
    if config is not None and options:
        raise TypeError(f"give a RunConfig or options, not both (got {sorted(options)})")
    config = config or resolve(**options)
    _, replicas = devices.resolve_devices(config.devices)
    if config.batch_size % replicas:
        raise ValueError(
            f"batch_size must be a multiple of the {replicas} devices, got {config.batch_size}"
        )
    strategy = devices.strategy_for(config.devices)  # before anything starts TensorFlow
    seed_everything(config.seed, deterministic=not config.jit_compile)  # XLA needs it off
    with strategy.scope():
        wgan = wgan_from_config(config)
    steps = config.steps
    if steps is None and config.epochs is None:
        steps = UNLIMITED_STEPS if config.until_time_out else pick(1000, 10)
    save_dir = None if config.save_dir is None else Path(config.save_dir)
    # the lock, the signal handlers and the folders made (removed if the run is rejected)
    with contextlib.ExitStack() as stack:
        created = stack.enter_context(resources.CreatedFolders())
        start_step, seconds, manager = _open_run_folder(config, wgan, stack, created)
        if config.samples_dir is not None:
            created.make(config.samples_dir, "samples_dir")
        real, size = real_dataset(config, config.seed + start_step)
        real = devices.interleave(real, config.n_critic, replicas)
        if save_dir is not None and not (save_dir / run_folder.CONFIG_FILE).is_file():
            saved = {**config.saved(), "data_source": run_folder.data_source(config)}
            run_folder.write_config(save_dir, saved)  # once all is validated
        created.keep()
        if steps is None:
            steps = steps_for_epochs(config.epochs, size, config.batch_size, config.n_critic)
        logger = cb.MetricsLogger(
            None if save_dir is None else save_dir / run_folder.METRICS_FILE, seconds
        )
        signals = stack.enter_context(cb.StopOnSignals())
        run_callbacks = [
            cb.StopOnNonFinite(),
            signals,
            logger,
            *_callbacks(config, wgan, manager, steps),
            *(callbacks or []),
        ]
        if start_step < steps:
            _fit(wgan, real, steps - start_step, run_callbacks, config, manager, logger)
        history = (
            run_folder.read_metrics(save_dir / run_folder.METRICS_FILE)
            if save_dir is not None
            else run_folder.columns(logger.rows)
        )
        _raise_if_diverged(wgan, manager, save_dir)
        if save_dir is not None and len(history["step"]):
            with resources.atomic_path(save_dir / run_folder.CURVES_FILE, "save_dir") as path:
                images.save_training_curves(history, path)
    if signals.signum is not None:
        raise cb.TrainingInterrupted(signals.signum, wgan.step, save_dir)
    if config.progress and len(history["step"]):
        _log.info("%s", summary_line(history))
    return wgan, history


def summary_line(history):
    """One line on a finished run, for readers who see no progress bar (a notebook on GitHub):
    "trained to step S: N steps in T s of training, W estimate W at the end".

    Args:
        history: the dict `train` returns (columns `METRIC_COLUMNS`, at least one row).
    """
    steps, seconds = history["step"], history["seconds"]
    return (
        f"trained to step {int(steps[-1])}: {len(steps)} steps in {seconds[-1]:.0f} s of "
        f"training, W estimate {history['w_estimate'][-1]:.4g} at the end"
    )
