"""wgan_tutorial: the package behind the Wasserstein GAN course.

Every non-trivial line of the notebooks lives here. The library (data, models, losses,
training, metrics, divergences, the run configuration and the command line) is apart from
what only the notebooks need (`wgan_tutorial.course`: figures, explorers, the sweep and the
course's experiments); ARCHITECTURE.md in the repository says where each job lives and why.

Importing the package is cheap and changes nothing global: TensorFlow is imported only by
the modules that need it, the package logger gets only a `NullHandler` (messages appear once
`setup_notebook()` or the command line calls `config.log_to_stderr()`), and no environment
variable, file descriptor or random seed is touched.
"""

import logging

__version__ = "0.3.0.dev0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

from wgan_tutorial.config import fast_mode, seed_everything, setup_notebook  # noqa: E402

__all__ = ["__version__", "fast_mode", "seed_everything", "setup_notebook"]
