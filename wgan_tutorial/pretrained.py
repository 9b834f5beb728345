"""Loading trained models: a run folder (`save_dir`), a `.keras` generator file, or a model
shipped with the package (`pretrained:NAME`, from `wgan_tutorial/assets/pretrained/NAME/`).

A shipped model's folder is a run folder written by `wgan-tutorial train` (config.json,
generator.keras, and optionally checkpoints/ and the command that trained it), so the
same functions read both.

Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
"""

import zipfile
from pathlib import Path

from wgan_tutorial.config import assets_dir, import_tensorflow
from wgan_tutorial.data.files import why_unreadable

tf = import_tensorflow()
import keras  # noqa: E402

from wgan_tutorial import training  # noqa: E402

PREFIX = "pretrained:"
# What Keras raises for a damaged, truncated or foreign .keras file (measured in
# tests/test_faults.py): a bad zip archive, missing or malformed members, a layer refused
# by safe mode. Anything else is a bug and keeps its traceback.
UNREADABLE_MODEL_ERRORS = (ValueError, OSError, KeyError, TypeError, zipfile.BadZipFile, EOFError)


def pretrained_dir():
    """The folder of the shipped models (`assets/pretrained`)."""
    return assets_dir() / "pretrained"


def list_pretrained():
    """Names of the shipped models (usable as `pretrained:NAME`), sorted."""
    root = pretrained_dir()
    if not root.is_dir():
        return []
    return sorted(
        path.name
        for path in root.iterdir()
        if (path / training.GENERATOR_FILE).is_file() or (path / training.CONFIG_FILE).is_file()
    )


def resolve(source):
    """The path a model source names: a run folder, a `.keras` file or `pretrained:NAME`.

    Args:
        source: str or Path.

    Returns:
        Path of an existing folder or `.keras` file.

    Raises:
        ValueError: no such model (naming what exists for `pretrained:` names).
    """
    text = str(source)
    if text.startswith(PREFIX):
        name = text[len(PREFIX) :]
        path = pretrained_dir() / name
        if not name or "/" in name or not path.is_dir():
            available = ", ".join(list_pretrained()) or "none shipped yet"
            raise ValueError(
                f"model {text!r} not found: no shipped model named {name!r} "
                f"(available: {available})"
            )
        return path
    path = Path(source)
    if path.is_dir() or (path.is_file() and path.suffix == ".keras"):
        return path
    if path.is_file():
        raise ValueError(f"model {text!r} must be a run folder, a .keras file or pretrained:NAME")
    raise ValueError(f"model {text!r} not found: no such file or folder")


def load_wgan(source):
    """The full `WGAN` (generator, critic, optimizers, step) of a run folder's latest checkpoint.

    Args:
        source: a run folder or `pretrained:NAME` holding config.json and checkpoints/.

    Returns:
        A compiled `training.WGAN`; its `step` is the checkpoint's.

    Raises:
        ValueError: no such model, no config.json or no checkpoint, or an unreadable one.
    """
    path = resolve(source)
    if not path.is_dir():
        raise ValueError(f"model {str(source)!r} must be a run folder to load the critic too")
    config = training.read_config(path)
    if config is None:
        raise ValueError(f"model {str(source)!r} not found: {path} has no {training.CONFIG_FILE}")
    wgan = training.wgan_from_config(config)
    checkpoint, manager = training.make_checkpoint(wgan, path / training.CHECKPOINT_DIR)
    if not training.checkpoint_steps(path / training.CHECKPOINT_DIR):
        raise ValueError(f"model {str(source)!r} not found: {path} has no checkpoint")
    training.restore_latest(wgan, checkpoint, manager, path)
    return wgan


def load_generator(source):
    """The generator of a run folder, a `.keras` file or a shipped model (`pretrained:NAME`).

    A run folder's latest checkpoint is used when it has one (it is at least as recent as
    its generator.keras), else its generator.keras. A run that keeps a moving average of
    the generator's weights gives that average (`WGAN.sampler`).

    Args:
        source: str or Path.

    Returns:
        keras.Model (B, noise_dim) -> generator output (images in [-1, 1] for MNIST).

    Raises:
        ValueError: no such model, or an unreadable file.
    """
    path = resolve(source)
    if path.is_dir():
        has_checkpoint = bool(training.checkpoint_steps(path / training.CHECKPOINT_DIR))
        if has_checkpoint and (path / training.CONFIG_FILE).is_file():
            return load_wgan(path).sampler
        if not (path / training.GENERATOR_FILE).is_file():
            raise ValueError(
                f"model {str(source)!r} not found: {path} holds neither "
                f"checkpoints nor {training.GENERATOR_FILE}"
            )
        path = path / training.GENERATOR_FILE
    try:
        return keras.models.load_model(path, compile=False)
    except UNREADABLE_MODEL_ERRORS as error:
        reason = why_unreadable(path, error, "Keras model")
        raise ValueError(f"model file {path} is unreadable: {reason}") from None
