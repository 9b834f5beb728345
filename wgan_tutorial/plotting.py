"""The course's figures under their first name: `from wgan_tutorial import plotting`.

The figures now live one module per notebook in `wgan_tutorial.course.figures` (see its
docstring for the map), and the pictures a training run writes in `wgan_tutorial.images`.
This module re-exports every name it used to hold, with `plt` (matplotlib.pyplot), so that
notebooks and scripts written against it keep working.
"""

import matplotlib.pyplot as plt

from wgan_tutorial.course import figures
from wgan_tutorial.course.figures import *  # noqa: F403 (every figure, under its old name)

__all__ = [*figures.__all__, "plt"]
