"""Fast mode, seeding, the cache folder, the TensorFlow import and its hints, and an import
of the package that changes nothing global."""

import logging
import os
import re
import sys
import types

import numpy as np
import pytest

from wgan_tutorial import config


@pytest.mark.parametrize("value, expected", [("1", True), ("0", False), ("", False)])
def test_fast_mode_reads_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("WGAN_TUTORIAL_FAST", value)
    assert config.fast_mode() is expected
    assert config.pick("full", "fast") == ("fast" if expected else "full")


def test_fast_mode_rejects_other_values(monkeypatch):
    monkeypatch.setenv("WGAN_TUTORIAL_FAST", "maybe")
    with pytest.raises(ValueError, match="WGAN_TUTORIAL_FAST must be 1"):
        config.fast_mode()


def test_seed_everything_repeats_numpy_and_tensorflow_draws():
    import tensorflow as tf

    config.seed_everything(7)
    first = np.random.rand(3), tf.random.uniform((3,)).numpy()
    config.seed_everything(7)
    second = np.random.rand(3), tf.random.uniform((3,)).numpy()
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


@pytest.mark.parametrize("seed", [-1, 1.5, "3", True])
def test_seed_everything_rejects_non_integers(seed):
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        config.seed_everything(seed)


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("WGAN_TUTORIAL_CACHE", str(tmp_path / "c"))
    assert config.runs_dir("demo") == tmp_path / "c" / "runs" / "demo"
    assert (tmp_path / "c" / "runs" / "demo").is_dir()


@pytest.mark.parametrize(
    "value, kwargs, message",
    [
        (0, dict(minimum=1, integer=True), "n must be an integer >= 1, got 0"),
        (1.5, dict(minimum=1, integer=True), "n must be an integer >= 1, got 1.5"),
        (True, dict(minimum=0, integer=True), "n must be an integer >= 0, got True"),
        (0.0, dict(minimum=0, inclusive=False), "n must be a number > 0, got 0.0"),
        (float("nan"), dict(minimum=0), "n must be a number >= 0, got nan"),
        (float("inf"), dict(minimum=0), "n must be a number >= 0, got inf"),
    ],
)
def test_check_number_names_the_parameter_and_the_range(value, kwargs, message):
    with pytest.raises(ValueError, match=message):
        config.check_number(value, "n", **kwargs)


def test_check_number_returns_ints_and_floats():
    assert config.check_number(np.int64(3), "n", 1, integer=True) == 3
    assert type(config.check_number(np.int64(3), "n", 1, integer=True)) is int
    assert config.check_number(0, "x", 0) == 0.0 and type(config.check_number(2, "x", 0)) is float


@pytest.mark.parametrize(
    "value, message",
    [
        (-0.1, r"d must be a number >= 0, got -0.1"),
        (1, r"d must be a number in \[0, 1\), got 1.0"),
        (1.5, r"d must be a number in \[0, 1\), got 1.5"),
        (float("nan"), r"d must be a number >= 0, got nan"),
    ],
)
def test_check_fraction_refuses_values_outside_zero_to_one(value, message):
    with pytest.raises(ValueError, match=message):
        config.check_fraction(value, "d")


def test_check_fraction_keeps_the_ends_it_allows():
    assert config.check_fraction(0, "d") == 0.0 and config.check_fraction(0.999, "d") == 0.999


# --- importing the package changes nothing global -------------------------------------------

# Run in a fresh interpreter: the third-party libraries are imported first (TensorFlow itself
# sets environment variables and draws from Python's `random` when imported), then a snapshot
# of everything global, then every module of the package, then the snapshot again.
_IMPORT_SNAPSHOT = r"""
import hashlib, importlib, json, logging, os, pkgutil, random, sys, warnings
import numpy as np
import tensorflow as tf, keras, matplotlib, matplotlib.pyplot, scipy.linalg, scipy.stats
import ipywidgets, tqdm.auto

redirected = []
_dup2 = os.dup2
os.dup2 = lambda fd, fd2, *args: (redirected.append(fd2), _dup2(fd, fd2, *args))[1]

def snapshot():
    package = logging.getLogger("wgan_tutorial")
    return {
        "environment": dict(os.environ),
        "root logger": [logging.getLogger().level]
        + [repr(h) for h in logging.getLogger().handlers],
        "package logger": [package.level, package.propagate]
        + [type(h).__name__ for h in package.handlers],
        "python random": hashlib.sha1(repr(random.getstate()).encode()).hexdigest(),
        "numpy random": hashlib.sha1(np.random.get_state()[1].tobytes()).hexdigest(),
        "tensorflow seed": repr(tf.compat.v1.get_seed(None)),
        "stderr": list(os.fstat(2))[:3],
        "warning filters": len(warnings.filters),
        "matplotlib": repr(sorted(matplotlib.rcParams.items())),
    }

before = snapshot()
import wgan_tutorial
names = [m.name for m in pkgutil.iter_modules(wgan_tutorial.__path__) if m.name != "__main__"]
for name in names:
    importlib.import_module("wgan_tutorial." + name)
after = snapshot()
print(json.dumps({"names": names, "before": before, "after": after, "redirected": redirected}))
"""


def test_importing_every_module_changes_nothing_global(tmp_path):
    import json
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_SNAPSHOT],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.splitlines()[-1])
    assert {"config", "data", "losses", "training", "widgets", "cli"} <= set(result["names"])
    before, after = result["before"], result["after"]
    added = {k: v for k, v in after["environment"].items() if before["environment"].get(k) != v}
    assert added == {} and after["environment"].keys() == before["environment"].keys()
    # The package logger gains exactly one NullHandler and keeps level NOTSET, propagating.
    assert before["package logger"] == [logging.NOTSET, True]
    assert after["package logger"] == [logging.NOTSET, True, "NullHandler"]
    for key in (
        "root logger",
        "python random",
        "numpy random",
        "tensorflow seed",
        "stderr",
        "warning filters",
        "matplotlib",
    ):
        assert after[key] == before[key], key
    assert result["redirected"] == []


@pytest.fixture
def package_logger():
    """The package logger, restored after the test (log_to_stderr changes it on purpose)."""
    logger = logging.getLogger("wgan_tutorial")
    saved = logger.handlers[:], logger.level, logger.propagate
    yield logger
    logger.handlers[:], logger.level, logger.propagate = saved[0], saved[1], saved[2]


def test_log_to_stderr_writes_each_message_once_to_the_current_stderr(package_logger, capsys):
    config.log_to_stderr()
    config.log_to_stderr()  # a second call adds no second handler
    logging.getLogger("wgan_tutorial.data").info("MNIST test: 2000 digits")
    assert capsys.readouterr().err == "wgan_tutorial: MNIST test: 2000 digits\n"


def test_log_to_stderr_prints_once_after_absl_configures_the_root_logger(
    package_logger, capsys, monkeypatch
):
    # TensorFlow's checkpoint saver logs through absl, whose first message calls
    # logging.basicConfig() on a root logger without handlers: a second printer of each message
    monkeypatch.setattr(logging.root, "handlers", [])
    config.log_to_stderr()
    from absl import logging as absl_logging

    absl_logging.info("Sharding callback duration: 1 microseconds")
    assert logging.root.handlers  # absl did configure the root logger
    logging.getLogger("wgan_tutorial.data").info("MNIST test: 2000 digits")
    assert capsys.readouterr().err.count("MNIST test: 2000 digits") == 1


@pytest.fixture
def noisy_tensorflow(tmp_path, monkeypatch):
    """A stand-in `tensorflow` package whose import writes to file descriptor 2 as the real
    one's C++ code does ("Could not find cuda drivers ..."), imported afresh by the test."""
    package = tmp_path / "tensorflow"
    package.mkdir()
    (package / "__init__.py").write_text(
        "import logging, os\n"
        "os.write(2, b'C++ noise before logging starts\\n')\n"
        "__version__ = '2.99.0'\n"
        "def get_logger():\n"
        "    return logging.getLogger('stand-in tensorflow')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "tensorflow")
    return package


@pytest.mark.parametrize(
    "level, muted", [(None, False), ("0", False), ("1", False), ("2", True), ("3", True)]
)
def test_tensorflow_import_mutes_stderr_only_when_quiet_was_asked(
    noisy_tensorflow, monkeypatch, capfd, level, muted
):
    if level is None:
        monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    else:
        monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", level)
    tf = config.import_tensorflow()
    assert tf.__version__ == "2.99.0" and tf.__file__.startswith(str(noisy_tensorflow))
    os.write(2, b"after the import\n")  # the descriptor is back where it was
    err = capfd.readouterr().err
    assert ("C++ noise" in err) is (not muted)
    assert err.endswith("after the import\n")


def test_quiet_tensorflow_keeps_an_explicit_setting(monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    config.quiet_tensorflow()
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "0" and not config.quiet_requested()
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL")
    config.quiet_tensorflow()
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3" and config.quiet_requested()


# --- missing or too old TensorFlow / Keras: a one-line hint ----------------------------------


def test_missing_tensorflow_gives_a_one_line_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorflow", None)  # makes `import tensorflow` fail
    with pytest.raises(config.MissingDependency) as caught:
        config.import_tensorflow()
    message = str(caught.value)
    assert "\n" not in message and message.startswith("the course needs TensorFlow >= 2.16")
    assert 'pip install "tensorflow>=2.16" "keras>=3.5"' in message
    # In a notebook IPython shows the hint alone, not a traceback.
    assert caught.value._render_traceback_() == [f"MissingDependency: {message}"]


@pytest.mark.parametrize(
    "tensorflow, keras, named",
    [
        ("2.15.1", "2.15.0", "TensorFlow >= 2.16, found 2.15.1"),  # the last Keras-2 TensorFlow
        ("2.16.1", "3.4.1", "Keras >= 3.5, found 3.4.1"),  # cannot load the gp model
        ("2.16.1", "3.0.5", "Keras >= 3.5, found 3.0.5"),
    ],
)
def test_too_old_tensorflow_or_keras_is_named_in_one_line(monkeypatch, tensorflow, keras, named):
    monkeypatch.setitem(sys.modules, "tensorflow", types.SimpleNamespace(__version__=tensorflow))
    monkeypatch.setitem(sys.modules, "keras", types.SimpleNamespace(__version__=keras))
    with pytest.raises(config.MissingDependency, match=re.escape(named)):
        config.import_tensorflow()


@pytest.mark.parametrize(
    "tensorflow, keras",
    [("2.16.1", "3.5.0"), ("2.21.0", "3.15.1"), ("2.22.0rc0", "3.16.0.dev2026")],
)
def test_supported_versions_pass_the_check(monkeypatch, tensorflow, keras):
    stand_in = types.SimpleNamespace(__version__=tensorflow)
    monkeypatch.setitem(sys.modules, "tensorflow", stand_in)
    monkeypatch.setitem(sys.modules, "keras", types.SimpleNamespace(__version__=keras))
    assert config.import_tensorflow() is stand_in


def test_command_line_says_in_one_line_that_tensorflow_is_missing(tmp_path):
    import subprocess

    script = (
        "import sys; sys.modules['tensorflow'] = None\n"
        "from wgan_tutorial.cli import main\n"
        "sys.exit(main(['sample', '--model', 'pretrained:wgan-gp-mnist', '--n', '1',"
        " '--out', 'x.npy']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 1
    assert done.stderr.startswith("wgan-tutorial sample: error: the course needs TensorFlow")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "x.npy").exists()


# --- notebooks on Colab ----------------------------------------------------------------------


@pytest.mark.parametrize("ipywidgets_version, enabled", [("7.7.1", 0), ("8.1.9", 1)])
def test_setup_notebook_turns_on_colabs_widget_manager_for_ipywidgets_8(
    monkeypatch, package_logger, capsys, ipywidgets_version, enabled
):
    import ipywidgets

    calls = []
    output = types.SimpleNamespace(enable_custom_widget_manager=lambda: calls.append(1))
    colab = types.ModuleType("google.colab")
    colab.output = output
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setattr(ipywidgets, "__version__", ipywidgets_version)
    config.setup_notebook(seed=3)
    assert len(calls) == enabled
    printed = capsys.readouterr().out
    assert printed.splitlines()[-1] == "fast mode: on | seed: 3"
