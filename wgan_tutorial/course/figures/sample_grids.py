"""Figures of generated samples: a grid of images, and the grids a training run saved.

`plot_image_grid` shows any batch of generated or real images (notebooks 02, 03, 04, 06);
`plot_saved_sample_grids` shows the `samples/step_NNNNNN.png` files of a run side by side
(notebooks 02, 03, 06). The tiling itself is `wgan_tutorial.images.image_grid`, which
training uses to write those files.

Each function returns the matplotlib Figure and never calls `plt.show()`.

Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
"""

import matplotlib.pyplot as plt
import numpy as np

from wgan_tutorial.images import image_grid


def plot_image_grid(images, ncols=None, title=None, ax=None):
    """Show images (generator outputs in [-1, 1] or uint8) as one grid, ink dark on white.

    Args:
        images, ncols: see `image_grid`.
        title: optional axes title.
        ax: matplotlib Axes to draw into (default a new figure).

    Returns:
        matplotlib Figure.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    grid = image_grid(images, ncols)
    if ax is None:
        size = min(8.0, 0.1 * max(grid.shape) + 1.0)
        fig, ax = plt.subplots(figsize=(size, size * grid.shape[0] / grid.shape[1]))
    else:
        fig = ax.figure
    if grid.ndim == 3:  # colour, as it is
        ax.imshow(grid, interpolation="nearest")
    else:
        ax.imshow(1.0 - grid, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return fig


def plot_saved_sample_grids(samples_dir, count=5):
    """A row of the sample grids a training run saved (`step_NNNNNN.png`), evenly spaced.

    Args:
        samples_dir: the run's samples folder (see `training.train(samples_dir=...)`).
        count: int >= 1, how many grids to show (the first and the last always).

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: no step_*.png file in samples_dir.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    from pathlib import Path

    paths = sorted(Path(samples_dir).glob("step_*.png"))
    if not paths:
        raise ValueError(f"samples_dir {samples_dir} holds no step_*.png sample grids")
    picks = np.unique(np.linspace(0, len(paths) - 1, max(1, int(count))).round().astype(int))
    fig, axes = plt.subplots(1, len(picks), figsize=(3.0 * len(picks), 3.3), squeeze=False)
    for ax, index in zip(axes[0], picks, strict=True):
        ax.imshow(plt.imread(str(paths[index])), interpolation="nearest")
        ax.set_title(f"step {int(paths[index].stem.split('_')[-1])}")
        ax.set_axis_off()
    fig.suptitle("The same 64 latent vectors along training")
    fig.tight_layout()
    return fig
