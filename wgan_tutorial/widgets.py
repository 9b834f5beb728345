"""The explorers of notebook 05 and the MNIST sweep under their first name: `widgets`.

They now live in the course subpackage: the toy runs in `wgan_tutorial.course.toy_runs` and
their sliders in `wgan_tutorial.course.toy_explorer`; the sweep (`run_sweep`, its constants)
in `wgan_tutorial.course.sweep`; reading it back (`load_sweep`, `sweep_cell`) and its sliders
in `wgan_tutorial.course.mnist_explorer`. This module re-exports every public name it used to
hold, so that notebooks and scripts written against it keep working.

Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
"""

from wgan_tutorial.course import mnist_explorer as _mnist_explorer_module
from wgan_tutorial.course import sweep as _sweep_module
from wgan_tutorial.course import toy_explorer as _toy_explorer_module
from wgan_tutorial.course import toy_runs as _toy_runs_module
from wgan_tutorial.course.mnist_explorer import *  # noqa: F403 (reading and showing a sweep)
from wgan_tutorial.course.sweep import *  # noqa: F403 (running a sweep, its constants)
from wgan_tutorial.course.toy_explorer import *  # noqa: F403 (the toy explorer's sliders)
from wgan_tutorial.course.toy_runs import *  # noqa: F403 (toy settings, runs and the cache)

__all__ = [
    *_toy_runs_module.__all__,
    *_toy_explorer_module.__all__,
    *_sweep_module.__all__,
    *_mnist_explorer_module.__all__,
]
