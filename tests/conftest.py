"""Unit-test fixtures: figures go to a non-interactive backend; the package logger reaches
pytest's caplog (which listens on the root logger) in every test."""
import logging

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def package_logger_propagates():
    """`config.log_to_stderr` (the command line calls it) stops the package logger
    propagating to the root logger; caplog needs it to."""
    logging.getLogger("wgan_tutorial").propagate = True
