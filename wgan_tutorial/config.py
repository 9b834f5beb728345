"""Course-wide settings: fast mode, seeding, where files go, and notebook set-up.

- Fast mode (`WGAN_TUTORIAL_FAST=1`) shrinks data, steps and sample counts so that the
  whole course executes in minutes; the notebook tests switch it on.
- `seed_everything` seeds Python, NumPy and TensorFlow together.
- `cache_dir` / `runs_dir`: where the package keeps cached statistics and training runs.

Taught in notebooks/00_start_here.ipynb.
"""
import math
import os
import random
import sys
from pathlib import Path

import numpy as np

FAST_ENV = "WGAN_TUTORIAL_FAST"
CACHE_ENV = "WGAN_TUTORIAL_CACHE"


def fast_mode():
    """Whether fast mode is on: `WGAN_TUTORIAL_FAST` set to 1 (on) or 0 / unset (off).

    Returns:
        bool.

    Raises:
        ValueError: the variable holds anything but 0, 1 or nothing.
    """
    value = os.environ.get(FAST_ENV, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise ValueError(f"{FAST_ENV} must be 1 (fast mode) or 0, got {value!r}")


def check_number(value, name, minimum, inclusive=True, integer=False):
    """`value` as an int or float, or a ValueError naming `name` and the allowed range.

    Args:
        value: the number to check (bools are refused; NaN and infinity too).
        name: the parameter's name, for the message.
        minimum: the lower bound; `inclusive` says whether it is allowed.
        integer: require an integer (returned as int), else any real (returned as float).

    Raises:
        ValueError: e.g. "n_critic must be an integer >= 1, got 0".
    """
    kind = "an integer" if integer else "a number"
    bad_type = isinstance(value, bool) or not isinstance(
        value, (int, np.integer) if integer else (int, float, np.integer, np.floating))
    bound = ">=" if inclusive else ">"
    if bad_type or not math.isfinite(value) or (value < minimum if inclusive
                                                 else value <= minimum):
        raise ValueError(f"{name} must be {kind} {bound} {minimum}, got {value!r}")
    return int(value) if integer else float(value)


def error_summary(error):
    """The first line of an error message (at most 300 characters), for one-line reports."""
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:300]


def pick(full, fast):
    """`fast` in fast mode, else `full`: one line for every size the course shrinks."""
    return fast if fast_mode() else full


def seed_everything(seed=42, deterministic=True):
    """Seed Python's `random`, NumPy and TensorFlow (through Keras) with one integer.

    Args:
        seed: int >= 0.
        deterministic: also ask TensorFlow for deterministic kernels (op determinism), so
            that a seeded run repeats to the bit on the same machine.

    Raises:
        ValueError: seed is negative or not an integer.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    random.seed(int(seed))
    np.random.seed(int(seed))
    tf = import_tensorflow()
    import keras

    keras.utils.set_random_seed(int(seed))
    if deterministic:
        tf.config.experimental.enable_op_determinism()


def import_tensorflow():
    """Import TensorFlow once, with the C++ lines it prints before its logging starts muted.

    Those lines ("oneDNN custom operations are on", "Could not find cuda drivers") are
    written to the process's stderr before `TF_CPP_MIN_LOG_LEVEL` takes effect. Errors
    still surface: only the file descriptor is muted, exceptions propagate.

    Returns:
        The `tensorflow` module.
    """
    if "tensorflow" not in sys.modules:
        sys.stderr.flush()
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 2)
            import tensorflow  # noqa: F401
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(devnull)
    return sys.modules["tensorflow"]


def cache_dir():
    """The package's cache folder (`WGAN_TUTORIAL_CACHE`, else `~/.cache/wgan_tutorial`).

    Created on first use. Holds cached feature statistics and the notebooks' runs.
    """
    root = os.environ.get(CACHE_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "wgan_tutorial",
    )
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def runs_dir(name):
    """A folder for one named training run inside the cache (created if missing)."""
    path = cache_dir() / "runs" / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def assets_dir():
    """The folder of files shipped inside the package (weights, the MNIST subset)."""
    return Path(__file__).resolve().parent / "assets"


def versions():
    """Versions of the package and of the libraries the course relies on, as a dict."""
    tf = import_tensorflow()
    import keras
    import matplotlib
    import scipy

    from wgan_tutorial import __version__

    return {
        "python": sys.version.split()[0],
        "wgan_tutorial": __version__,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "matplotlib": matplotlib.__version__,
    }


def setup_notebook(seed=42):
    """Prepare a notebook kernel: quiet TensorFlow, PNG figures, seeds; print versions.

    Keras 3 is required (TensorFlow >= 2.16): an older install gets a clear error.

    Raises:
        RuntimeError: Keras is older than 3.
    """
    tf = import_tensorflow()
    import absl.logging

    absl.logging.set_verbosity(absl.logging.ERROR)
    tf.get_logger().setLevel("ERROR")
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    except ImportError:  # not inside IPython
        pass
    info = versions()
    if int(info["keras"].split(".")[0]) < 3:
        raise RuntimeError(
            f"the course needs Keras 3 (TensorFlow >= 2.16), found Keras {info['keras']}"
        )
    seed_everything(seed)
    print(" | ".join(f"{name} {version}" for name, version in info.items()))
    print(f"fast mode: {'on' if fast_mode() else 'off'} | seed: {seed}")
