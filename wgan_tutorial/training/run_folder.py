"""A run folder on disk: `config.json`, `metrics.csv`, `checkpoints/` and `generator.keras`.

Reading and writing what `training.train` keeps in its `save_dir`: the run's configuration,
its metrics (one row per generator step), and `tf.train` checkpoints of everything a resumed
run needs, restored newest readable first.

Taught in notebooks/03_wgan_gp_mnist.ipynb.
"""

import csv
import json
import logging
from pathlib import Path

import numpy as np

from wgan_tutorial import data
from wgan_tutorial.config import error_summary, import_tensorflow

tf = import_tensorflow()

_log = logging.getLogger(__name__)

CONFIG_FILE, METRICS_FILE, CHECKPOINT_DIR = "config.json", "metrics.csv", "checkpoints"
GENERATOR_FILE, CURVES_FILE = "generator.keras", "training_curves.png"
METRIC_COLUMNS = (
    "step",
    "critic_loss",
    "generator_loss",
    "w_estimate",
    "critic_grad_norm",
    "generator_grad_norm",
    "gp",
    "gp_grad_norm",
    "seconds",
)
# The keys every config.json holds; `read_config` gives a run saved before the later ones
# (image_shape, max_images, conditional, critic_lr_scale, critic_lr_fade, generator_norm)
# MNIST's shape (None for a toy set), no subset, False, 1, 0 and "none".
CONFIG_KEYS = (
    "loss",
    "dataset",
    "noise_dim",
    "width",
    "depth",
    "n_critic",
    "batch_size",
    "learning_rate",
    "beta_1",
    "clip_value",
    "gp_weight",
    "one_sided",
    "seed",
    "ema",
)


def write_config(save_dir, config):
    """Write a run's saved fields (a dict, see `run_config.SAVED`) as `save_dir/config.json`."""
    (Path(save_dir) / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")


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
    return columns(rows)


def columns(rows):
    """Rows of metrics (dicts of strings or numbers) as columns: name -> float array."""
    history = {}
    for name in METRIC_COLUMNS:
        values = [row.get(name) for row in rows]
        values = [np.nan if v in (None, "") else float(v) for v in values]
        history[name] = np.asarray(values, dtype=np.int64 if name == "step" else np.float64)
    return history


def truncate_metrics(path, last_step):
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
    kept = [
        row
        for row in body
        if len(row) == len(header) and row[0].isdigit() and int(row[0]) <= last_step
    ]
    if len(kept) != len(body):
        with open(path, "w", newline="") as handle:
            csv.writer(handle).writerows([header] + kept)
    return float(kept[-1][-1]) if kept else 0.0


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
    parts = dict(
        generator=wgan.generator,
        critic=wgan.critic,
        critic_optimizer=wgan.critic_optimizer,
        generator_optimizer=wgan.generator_optimizer,
        step=wgan.step_counter,
        rng_state=wgan.seed_generator.state,
    )
    if wgan.ema_generator is not None:
        parts["ema_generator"] = wgan.ema_generator
    checkpoint = tf.train.Checkpoint(**parts)
    steps = checkpoint_steps(directory)
    if steps and read_index(directory) is None:
        paths = [str(Path(directory) / f"ckpt-{step}") for step in sorted(steps)]
        times = [Path(f"{path}.index").stat().st_mtime for path in paths]
        try:  # with the times, the manager goes on deleting all but the latest `keep`
            tf.compat.v1.train.update_checkpoint_state(
                str(directory),
                paths[-1],
                all_model_checkpoint_paths=paths,
                all_model_checkpoint_timestamps=times,
                last_preserved_timestamp=min(times) - 1,
            )
        except (tf.errors.OpError, OSError):  # a read-only folder: `restore_latest` copes
            pass
        _log.warning(
            "the checkpoint index in %s was damaged or missing: rebuilt it from the "
            "checkpoints of steps %s",
            directory,
            ", ".join(map(str, sorted(steps))),
        )
    manager = tf.train.CheckpointManager(checkpoint, str(directory), max_to_keep=keep)
    return checkpoint, manager


def checkpoint_steps(directory):
    """The steps of the checkpoints on disk in `directory` (files ckpt-N.index), newest first."""
    steps = []
    for path in Path(directory).glob("ckpt-*.index"):
        number = path.name[len("ckpt-") : -len(".index")]
        if number.isdigit():
            steps.append(int(number))
    return sorted(steps, reverse=True)


def read_index(directory):
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
    candidates += [
        str(Path(directory) / CHECKPOINT_DIR / f"ckpt-{step}")
        for step in checkpoint_steps(Path(directory) / CHECKPOINT_DIR)
    ]
    candidates = list(dict.fromkeys(candidates))
    failures = []
    for path in candidates:
        try:
            checkpoint.restore(path).assert_existing_objects_matched()
        except (tf.errors.OpError, AssertionError, ValueError) as error:
            failures.append(f"{Path(path).name}: {error_summary(error)}")
            continue
        if failures:
            _log.warning(
                "skipped unreadable checkpoints (%s); resumed from %s",
                "; ".join(failures),
                Path(path).name,
            )
        return wgan.step
    if failures:
        raise ValueError(f"checkpoint in {directory} is unreadable: {failures[0]}")
    return 0
