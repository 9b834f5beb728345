"""wgan_tutorial: the package behind the Wasserstein GAN course.

Every non-trivial line of the notebooks lives here, in small modules named for what they
hold (see DESIGN.md): `config`, `data`, `divergences`, `models`, `losses`, `training`,
`metrics`, `plotting`, `widgets`, `pretrained` and `cli`.

Importing the package is cheap: TensorFlow is imported only by the modules that need it.
"""
import logging
import os

# TensorFlow reads this once, when it is first imported: keep its C++ log noise off stderr.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

__version__ = "0.1.0"

_logger = logging.getLogger(__name__)
if not _logger.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("wgan_tutorial: %(message)s"))
    _logger.addHandler(_handler)
    _logger.setLevel(logging.INFO)
    _logger.propagate = False

from wgan_tutorial.config import fast_mode, seed_everything, setup_notebook  # noqa: E402

__all__ = ["__version__", "fast_mode", "seed_everything", "setup_notebook"]
