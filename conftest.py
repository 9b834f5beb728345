"""pytest set-up for the whole repository: unit tests and the notebooks (nbval).

By default everything runs in fast mode on the shipped MNIST subset, with a private cache
folder and TensorFlow's log noise off, so a test run is the same on every machine, online or
not. An explicit `WGAN_TUTORIAL_FAST=0` is honoured: then the notebooks run as students run
them and are compared with their committed outputs (see the README, "Testing the course").
"""

import os
import tempfile

os.environ.setdefault("WGAN_TUTORIAL_FAST", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("WGAN_TUTORIAL_CACHE", tempfile.mkdtemp(prefix="wgan_tutorial_test_"))
# A full MNIST named by the developer's environment must not leak into the tests.
os.environ.pop("WGAN_TUTORIAL_MNIST", None)


def pytest_collectstart(collector):
    """Do not compare stderr in notebooks: progress bars and library warnings live there."""
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr",)
