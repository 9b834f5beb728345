"""Course-wide settings: fast mode, seeding, where files go, and notebook set-up.

- Fast mode (`WGAN_TUTORIAL_FAST=1`) shrinks data, steps and sample counts so that the
  whole course executes in minutes; the notebook tests switch it on.
- `seed_everything` seeds Python, NumPy and TensorFlow together.
- `cache_dir` / `runs_dir`: where the package keeps cached statistics and training runs.
- `import_tensorflow`, `quiet_tensorflow`, `log_to_stderr`: TensorFlow imported once and
  checked against the course's minimum versions, its log noise, the package's own messages.

Importing this module (or the package) changes nothing global: no environment variable, no
logging handler (the package logger has only a `NullHandler`), no file descriptor, no random
seed. `setup_notebook()` and the command line ask for each of those explicitly.

Taught in notebooks/00_start_here.ipynb.
"""

import logging
import math
import os
import random
import re
import sys
from pathlib import Path

import numpy as np

FAST_ENV = "WGAN_TUTORIAL_FAST"
CACHE_ENV = "WGAN_TUTORIAL_CACHE"
# TensorFlow's own switch for its C++ log lines: 2 hides warnings, 3 errors too.
TF_LOG_ENV = "TF_CPP_MIN_LOG_LEVEL"
QUIET_TF_LOG_LEVEL = 2
# The oldest versions the course runs on, found by installing them (benchmarks/dependency_sets.py):
# TensorFlow 2.16 is the first with Keras 3; Keras 3.0-3.4 cannot load pretrained:wgan-gp-mnist.
# pyproject.toml states the same minimums (tests/test_project_files.py keeps them in step).
MIN_TENSORFLOW = (2, 16)
MIN_KERAS = (3, 5)
INSTALL_HINT = 'pip install "tensorflow>=2.16" "keras>=3.5"'
LOG_FORMAT = "wgan_tutorial: %(message)s"


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
        value, (int, np.integer) if integer else (int, float, np.integer, np.floating)
    )
    bound = ">=" if inclusive else ">"
    # a Python int is finite however large (math.isfinite would overflow converting it to a
    # float); Python compares it with the bound exactly
    finite = not bad_type and (isinstance(value, int) or math.isfinite(value))
    if not finite or (value < minimum if inclusive else value <= minimum):
        raise ValueError(f"{name} must be {kind} {bound} {minimum}, got {value!r}")
    if integer:
        return int(value)
    try:
        return float(value)
    except OverflowError:
        raise ValueError(
            f"{name} must be {kind} that fits a float, got an int of {value.bit_length()} bits"
        ) from None


def check_fraction(value, name):
    """`value` as a float in [0, 1) (a decay such as Adam's beta_1 or a moving average's), or
    a ValueError naming `name`: "... must be a number >= 0" below, "... in [0, 1)" above."""
    value = check_number(value, name, 0, inclusive=True)
    if value >= 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return value


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


class MissingDependency(ImportError):
    """TensorFlow or Keras is missing or too old; the message is a one-line hint.

    In a notebook it is shown as that line alone, without a traceback (IPython calls
    `_render_traceback_`); the command line prints it as `wgan-tutorial: error: ...`.
    """

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


def _version_tuple(version):
    """(major, minor) of a version string such as "2.16.1" or "3.13.0rc1"."""
    match = re.match(r"(\d+)\.(\d+)", str(version))
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def quiet_requested():
    """Whether the user asked TensorFlow to be quiet: `TF_CPP_MIN_LOG_LEVEL` is 2 or 3.

    `quiet_tensorflow()` (called by `setup_notebook()` and the command line) sets it; the
    test configuration sets it; a plain `import wgan_tutorial` never does.
    """
    value = os.environ.get(TF_LOG_ENV, "").strip()
    return value.isdigit() and int(value) >= QUIET_TF_LOG_LEVEL


def quiet_tensorflow():
    """Ask TensorFlow to keep its log noise off stderr (an explicit call, never at import).

    Sets `TF_CPP_MIN_LOG_LEVEL=3` unless the user set it already (then theirs wins); if
    TensorFlow is already imported, lowers its Python loggers to errors now, else
    `import_tensorflow` does when it imports it.
    """
    os.environ.setdefault(TF_LOG_ENV, "3")
    if sys.modules.get("tensorflow") is not None:
        _lower_tensorflow_loggers()


def _lower_tensorflow_loggers():
    """TensorFlow's and absl's Python loggers to errors, if the user asked for quiet."""
    if quiet_requested():
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
        sys.modules["tensorflow"].get_logger().setLevel("ERROR")


def import_tensorflow():
    """Import TensorFlow once and check it and Keras against the course's minimum versions.

    When the user asked for quiet (`quiet_requested()`), file descriptor 2 is muted for the
    import only: TensorFlow's C++ code writes lines such as "oneDNN custom operations are on"
    there before `TF_CPP_MIN_LOG_LEVEL` takes effect, and TensorFlow's Python loggers are
    lowered to errors. Exceptions still propagate. Otherwise nothing is redirected.

    Returns:
        The `tensorflow` module.

    Raises:
        MissingDependency: TensorFlow or Keras is missing, or older than `MIN_TENSORFLOW` /
            `MIN_KERAS`; the message says what to install.
    """
    try:
        if sys.modules.get("tensorflow") is None:
            if quiet_requested():
                _import_with_stderr_muted("tensorflow")
            else:
                import tensorflow  # noqa: F401
            _lower_tensorflow_loggers()
        import keras
    except ImportError as error:
        if isinstance(error, MissingDependency):
            raise
        raise MissingDependency(
            f"the course needs TensorFlow >= {'.'.join(map(str, MIN_TENSORFLOW))} and Keras >= "
            f"{'.'.join(map(str, MIN_KERAS))} ({error}); install them: {INSTALL_HINT}"
        ) from None
    tf = sys.modules["tensorflow"]
    for name, found, minimum in (
        ("TensorFlow", tf.__version__, MIN_TENSORFLOW),
        ("Keras", keras.__version__, MIN_KERAS),
    ):
        if _version_tuple(found) < minimum:
            raise MissingDependency(
                f"the course needs {name} >= {'.'.join(map(str, minimum))}, found {found}; "
                f"upgrade: {INSTALL_HINT}"
            )
    return tf


def _import_with_stderr_muted(name):
    """Import module `name` with file descriptor 2 pointed at os.devnull, then restore it."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        __import__(name)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class _CurrentStderrHandler(logging.StreamHandler):
    """A handler writing to whatever `sys.stderr` is when a message comes (notebooks and
    pytest swap it), not to the stream of the moment it was made."""

    def __init__(self):
        logging.Handler.__init__(self)

    @property
    def stream(self):
        return sys.stderr


def log_to_stderr():
    """Show the package's messages ("wgan_tutorial: MNIST train: ... from ...") on stderr.

    The package logger has only a `NullHandler` until this is called; `setup_notebook()` and
    the command line call it. Calling it again adds nothing. The logger then stops passing
    its messages on to the root logger: TensorFlow logs through absl, whose first message
    calls `logging.basicConfig()` when the root logger has no handler (a checkpoint save
    does), and every package message would then be printed twice. To send them to your own
    handlers instead, set `logging.getLogger("wgan_tutorial").propagate = True`.

    Returns:
        The `wgan_tutorial` logger.
    """
    logger = logging.getLogger("wgan_tutorial")
    if not any(isinstance(handler, _CurrentStderrHandler) for handler in logger.handlers):
        handler = _CurrentStderrHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def cache_dir():
    """The package's cache folder (`WGAN_TUTORIAL_CACHE`, else `~/.cache/wgan_tutorial`).

    Created on first use. Holds cached feature statistics and the notebooks' runs.
    """
    root = os.environ.get(CACHE_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "wgan_tutorial",
    )
    path = Path(root)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ValueError(f"cache folder {path}: cannot create it ({error.strerror})") from None
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


def _enable_colab_widgets():
    """On Colab with ipywidgets 8, switch on Colab's custom widget manager (else the
    explorers of notebook 05 render as text); Colab's own ipywidgets 7 needs nothing."""
    if sys.modules.get("google.colab") is None:
        return
    import ipywidgets

    if _version_tuple(ipywidgets.__version__) >= (8, 0):
        from google.colab import output

        output.enable_custom_widget_manager()


def setup_notebook(seed=42):
    """Prepare a notebook kernel: quiet TensorFlow, PNG figures, messages, seeds; print versions.

    Needs TensorFlow >= 2.16 with Keras >= 3.5; a missing or older install stops with a
    one-line hint (`MissingDependency`) instead of a traceback.

    Raises:
        MissingDependency: TensorFlow or Keras is missing or too old.
    """
    quiet_tensorflow()
    import_tensorflow()
    log_to_stderr()
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    except ImportError:  # not inside IPython
        pass
    _enable_colab_widgets()
    info = versions()
    seed_everything(seed)
    print(" | ".join(f"{name} {version}" for name, version in info.items()))
    print(f"fast mode: {'on' if fast_mode() else 'off'} | seed: {seed}")
