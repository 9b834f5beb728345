"""Unit-test fixtures: figures go to a non-interactive backend; the package logger reaches
pytest's caplog (which listens on the root logger) in every test; the hypothesis profiles of
the property tests (tests/test_properties_*.py).

Hypothesis profiles, chosen by the environment variable HYPOTHESIS_PROFILE:

- "default" (when unset): few examples per property, so the property tests add well under a
  minute to a test run; derandomized (the same examples on every run and every machine), so
  a failure in CI reproduces exactly on a laptop; no example database is written.
- "thorough": the documented local run, 500 examples per property, drawn afresh each time:
  `HYPOTHESIS_PROFILE=thorough pytest tests/test_properties_*.py`. A failure prints the
  failing example and a `@reproduce_failure` line that replays it.

Both set no deadline: the TensorFlow-backed properties (losses, penalty) and scipy's quad
take longer on their first call than later ones, which a deadline would report as flaky.
"""

import logging
import os

import matplotlib
import pytest
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

settings.register_profile(
    "default",
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=500,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def package_logger_propagates():
    """`config.log_to_stderr` (the command line calls it) stops the package logger
    propagating to the root logger; caplog needs it to."""
    logging.getLogger("wgan_tutorial").propagate = True
