"""The pictures a training run writes: sample grids, toy scatters and training curves.

The library's own image code, kept apart from the course's figures so that training and the
command line can write a run's pictures without importing the notebooks' plotting:

- `image_grid` tiles generated images into one array (numpy only);
- `save_image_grid` writes that grid as a PNG (the `samples/step_NNNNNN.png` files, the
  command line's `grid.png`);
- `plot_toy_samples` / `save_toy_samples` scatter generated 2-D points over real ones (the
  sample files of a toy run);
- `plot_training_curves` / `save_training_curves` draw the losses and the critic's
  W estimate against generator steps (a run's `training_curves.png`).

Only numpy and matplotlib are imported here; no TensorFlow, no widgets. The course's figures
(`wgan_tutorial.course.figures`) re-use these functions.
"""

import matplotlib.pyplot as plt
import numpy as np


def image_grid(images, ncols=None, padding=1):
    """Tile images into one array of intensities in [0, 1] (gaps 0.25), row by row.

    Greyscale images give ink intensities (2-D); colour images (N, H, W, 3) give RGB (3-D).

    Args:
        images: array (N, H, W[, 1]) or (N, H, W, 3): uint8 in [0, 255] or floats in
            [-1, 1] (generator outputs; clipped).
        ncols: images per row (default ceil(sqrt(N))).
        padding: pixels between images, int >= 0.

    Returns:
        float array (rows * (H + padding) - padding, ncols * (W + padding) - padding[, 3]).

    Raises:
        ValueError: wrong shape.

    Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/06_your_own_images.ipynb.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    colour = images.ndim == 4 and images.shape[-1] == 3
    if not (images.ndim == 3 or colour) or images.shape[0] == 0:
        raise ValueError(
            f"images must have shape (N, H, W[, 1]) or (N, H, W, 3) with N >= 1, got {images.shape}"
        )
    if images.dtype == np.uint8:
        pixels = images.astype(np.float64) / 255.0
    else:
        pixels = (np.clip(images.astype(np.float64), -1.0, 1.0) + 1.0) / 2.0
    n, height, width = pixels.shape[:3]
    ncols = int(np.ceil(np.sqrt(n))) if ncols is None else int(ncols)
    nrows = int(np.ceil(n / ncols))
    grid = np.full(
        (nrows * (height + padding) - padding, ncols * (width + padding) - padding)
        + pixels.shape[3:],
        0.25,
    )
    for index in range(n):
        row, col = divmod(index, ncols)
        top, left = row * (height + padding), col * (width + padding)
        grid[top : top + height, left : left + width] = pixels[index]
    return grid


def save_image_grid(images, path, ncols=None):
    """Write images as one grid PNG (pixel-exact, no figure): greyscale ink dark on white,
    colour as it is.

    Args:
        images, ncols: see `image_grid`.
        path: the PNG file to write.
    """
    grid = image_grid(images, ncols)
    if grid.ndim == 3:
        plt.imsave(str(path), grid)
    else:
        plt.imsave(str(path), 1.0 - grid, cmap="gray", vmin=0.0, vmax=1.0)


def plot_toy_samples(real, fake, title=None, ax=None, limit=3.0):
    """Scatter generated 2-D points over real ones (the toy sets of notebook 05).

    Args:
        real: array (N, 2) of real points. fake: array (M, 2) of generated points.
        title: optional axes title. ax: Axes to draw into (default a new figure).
        limit: the axes show [-limit, limit]^2 (the official `gan_toy.py` uses 3).

    Returns:
        matplotlib Figure.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    real, fake = np.asarray(real), np.asarray(fake)
    for name, points in (("real", real), ("fake", fake)):
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"{name} must have shape (N, 2), got {points.shape}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(5, 5))
    else:
        fig = ax.figure
    ax.scatter(real[:, 0], real[:, 1], s=4, color="tab:orange", alpha=0.5, label="real")
    ax.scatter(fake[:, 0], fake[:, 1], s=4, color="tab:green", alpha=0.5, label="generated")
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.legend(loc="upper right", markerscale=3)
    if title:
        ax.set_title(title)
    return fig


def save_toy_samples(real, fake, path, title=None):
    """Write `plot_toy_samples(real, fake, title)` to a PNG file and close the figure."""
    fig = plot_toy_samples(real, fake, title)
    fig.savefig(str(path), dpi=80)
    plt.close(fig)


def plot_training_curves(history, smooth=None):
    """The losses and the critic's W estimate against generator steps (two panels).

    Left: critic loss (with the penalty for gp) and generator loss. Right: the W estimate
    mean f(x) - mean f(x~) (Arjovsky et al. 2017, arXiv 1701.07875, Figure 3), raw and as
    a moving average.

    Args:
        history: dict with arrays "step", "critic_loss", "generator_loss", "w_estimate"
            (as returned by `training.train` or `training.read_metrics`).
        smooth: moving-average window in steps (default about 1/50 of the run, >= 1).
            A log kept every k-th step (e.g. a shipped model's thinned metrics.csv) is
            averaged over smooth / k of its rows, and its labels count steps, not rows.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: a key is missing or the arrays are empty.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    for key in ("step", "critic_loss", "generator_loss", "w_estimate"):
        if key not in history or len(history[key]) == 0:
            raise ValueError(f"history must hold a non-empty array {key!r}")
    steps = np.asarray(history["step"])
    spacing = int(np.median(np.diff(steps))) if len(steps) > 1 else 1
    spacing = max(1, spacing)
    window = max(1, len(steps) // 50) if smooth is None else max(1, round(int(smooth) / spacing))

    def moving_average(values):
        values = np.asarray(values, dtype=float)
        if window == 1 or len(values) < window:
            return steps, values
        kernel = np.ones(window) / window
        return steps[window - 1 :], np.convolve(values, kernel, mode="valid")

    fig, (ax_loss, ax_w) = plt.subplots(1, 2, figsize=(11, 4))
    ax_loss.plot(*moving_average(history["critic_loss"]), color="tab:blue", label="critic loss")
    ax_loss.plot(
        *moving_average(history["generator_loss"]), color="tab:orange", label="generator loss"
    )
    ax_loss.set_xlabel("generator step")
    ax_loss.set_ylabel(
        "loss" + (f" (moving average of {window * spacing} steps)" if window > 1 else "")
    )
    ax_loss.set_title("Losses")
    ax_loss.legend()
    ax_w.plot(
        steps,
        history["w_estimate"],
        color="tab:green",
        alpha=0.3 if window > 1 else 1.0,
        lw=0.8,
        label="per step" if spacing == 1 else f"every {spacing} steps",
    )
    if window > 1:
        ax_w.plot(
            *moving_average(history["w_estimate"]),
            color="tab:green",
            label=f"moving average ({window * spacing} steps)",
        )
    ax_w.set_xlabel("generator step")
    ax_w.set_ylabel("W estimate: mean f(x) − mean f(x~)")
    ax_w.set_title("The critic's Wasserstein estimate")
    ax_w.legend()
    fig.tight_layout()
    return fig


def save_training_curves(history, path, dpi=100):
    """Write `plot_training_curves(history)` to a PNG file and close the figure.

    Args:
        history: see `plot_training_curves`.
        path: the PNG file to write (a run's training_curves.png).
        dpi: dots per inch of the PNG.

    Raises:
        ValueError: from `plot_training_curves`.
    """
    figure = plot_training_curves(history)
    figure.savefig(path, dpi=dpi)
    plt.close(figure)
