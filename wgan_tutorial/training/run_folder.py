"""A run folder on disk: `config.json`, `metrics.csv`, `checkpoints/` and `generator.keras`.

Reading and writing what `training.train` keeps in its `save_dir`: the run's configuration,
its metrics (one row per generator step), and `tf.train` checkpoints of everything a resumed
run needs, restored newest readable first.

Taught in notebooks/03_wgan_gp_mnist.ipynb.
"""

import csv
import io
import json
import logging
from pathlib import Path

import numpy as np

from wgan_tutorial import data, resources
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
# `data_source` (see `data_source`) is written by `train` and checked on resume; a run saved
# before it resumes with a warning.
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
    """Write a run's saved fields (a dict, see `run_config.SAVED`) as `save_dir/config.json`
    (atomically: a full disk leaves no empty or partial file)."""
    resources.write_text(
        Path(save_dir) / CONFIG_FILE, json.dumps(config, indent=2) + "\n", "save_dir"
    )


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


def data_source(config):
    """Where the run of a `RunConfig` takes its data from, as config.json's `data_source`
    records it: the folder or file given (made absolute), MNIST's source
    (`data.mnist_source`), or None (a toy set, or a data set read from its usual place)."""
    entry, data_dir = config.dataset_entry, config.data_dir
    if entry.kind == "points":
        return None
    if data_dir is not None:
        return str(Path(data_dir).expanduser().absolute())
    if entry.name == "mnist":
        description, path = data.mnist_source(None)
        return description if path is None else f"{description} ({path})"
    return None


def check_data_source(saved, source, save_dir):
    """Refuse to resume a run on other data than it was trained on; a run saved before the
    data source was recorded resumes with one warning.

    Raises:
        ValueError: "save_dir D: saved run trained on X, now Y".
    """
    if "data_source" not in saved:
        _log.warning(
            "save_dir %s: the run does not record its data source (saved by an older "
            "version); resuming on %s",
            save_dir,
            source,
        )
    elif saved["data_source"] != source:
        raise ValueError(
            f"save_dir {save_dir}: saved run trained on {saved['data_source']}, now {source} "
            f"(give the same data, or another save_dir)"
        )


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


def csv_text(rows):
    """Rows (lists of strings) as the text of a CSV file, "\\r\\n" after each row."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def truncate_metrics(path, last_step):
    """Keep only rows with step <= last_step (rows a killed run wrote after its last
    checkpoint, and a last row torn by a kill or a full disk); returns the `seconds` of the
    last row kept (0 if none). The file is rewritten atomically."""
    if not path.is_file():
        return 0.0
    with open(path, newline="") as handle:
        text = handle.read()
    rows = list(csv.reader(io.StringIO(text)))
    header, body = (rows[0], rows[1:]) if rows else (list(METRIC_COLUMNS), [])
    if header != list(METRIC_COLUMNS):
        raise ValueError(f"{path} has the columns {header}, expected {list(METRIC_COLUMNS)}")
    whole = body if text.endswith("\n") else body[:-1]  # a last row without its line end
    # a row cut short by a kill, or beyond the checkpoint, is dropped
    kept = [
        row
        for row in whole
        if len(row) == len(header) and row[0].isdigit() and int(row[0]) <= last_step
    ]
    if len(kept) != len(body):
        resources.write_text(path, csv_text([header] + kept), "metrics")
    return float(kept[-1][-1]) if kept else 0.0


def metric_row_count(path):
    """How many rows (after the header) a metrics.csv holds; 0 if there is no file."""
    if not Path(path).is_file():
        return 0
    with open(path, newline="") as handle:
        return max(0, sum(1 for _ in csv.reader(handle)) - 1)


def check_restartable(save_dir):
    """Refuse to start a run afresh in a folder that holds a trained run's metrics or
    generator but no usable checkpoint (restarting would replace them).

    Raises:
        ValueError: naming the folder, what it holds and what to do.
    """
    save_dir = Path(save_dir)
    rows = metric_row_count(save_dir / METRICS_FILE)
    held = [f"{METRICS_FILE} with {rows} rows"] if rows else []
    if (save_dir / GENERATOR_FILE).exists():
        held.append(GENERATOR_FILE)
    if held:
        raise ValueError(
            f"save_dir {save_dir} holds {' and '.join(held)} but no checkpoint in "
            f"{CHECKPOINT_DIR}/: training would restart from fresh weights and replace them; "
            f"give another save_dir, or delete the folder to start again"
        )


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
