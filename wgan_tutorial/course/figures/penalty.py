"""Figures of notebook 03: the gradient penalty, its interpolates, and WGAN-GP against others.

Interpolates between real and generated digits and the distribution of their weights
(Gulrajani et al. 2017, arXiv 1704.00028, Algorithm 1 lines 4-6), weight clipping against the
penalty side by side, and the equal-time baseline of a GAN against WGAN critics (losses,
W estimate and FID against training time).

Each function returns the matplotlib Figure and never calls `plt.show()`.

Taught in notebooks/03_wgan_gp_mnist.ipynb.
"""

import matplotlib.pyplot as plt
import numpy as np

from wgan_tutorial.course.figures.gradient_norms import plot_gradient_norm_histograms
from wgan_tutorial.course.figures.sample_grids import plot_image_grid


def plot_interpolates(images, weights, row_labels=None, title=None):
    """Rows of interpolates x_hat = eps x + (1 - eps) x~, one column per weight eps.

    Columns whose weight lies outside [0, 1] (points off the segment between the real and
    the generated digit, as a normal eps gives) get red titles; each title also gives the
    share of pixels outside the image range [-1, 1] (shown clipped). Gulrajani et al. 2017
    (arXiv 1704.00028), Algorithm 1 line 6.

    Args:
        images: array (R, W, 28, 28[, 1]) of floats, row r column c = the interpolate of
            pair r at weights[c] (-1 = background, 1 = ink).
        weights: array (W,) of the weights eps.
        row_labels: optional R strings drawn left of the rows.
        title: optional figure title.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: shapes that do not match.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    images = np.asarray(images, dtype=float)
    weights = np.asarray(weights, dtype=float).ravel()
    if images.ndim == 5 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 4 or images.shape[1] != weights.size:
        raise ValueError(
            f"images must have shape (R, {weights.size}, H, W[, 1]) to match "
            f"weights, got {images.shape}"
        )
    rows, cols = images.shape[:2]
    if row_labels is not None and len(row_labels) != rows:
        raise ValueError(f"row_labels must hold {rows} strings, got {len(row_labels)}")
    fig, axes = plt.subplots(
        rows, cols, figsize=(1.15 * cols + 0.8, 1.25 * rows + 0.6), squeeze=False
    )
    for c, weight in enumerate(weights):
        outside = float(np.mean(np.abs(images[:, c]) > 1.0 + 1e-6))
        color = "tab:red" if weight < 0 or weight > 1 else "black"
        axes[0, c].set_title(f"ε = {weight:.2g}\n{outside:.0%} px out", fontsize=8, color=color)
        for r in range(rows):
            ax = axes[r, c]
            ax.imshow(
                -np.clip(images[r, c], -1.0, 1.0),
                cmap="gray",
                vmin=-1.0,
                vmax=1.0,
                interpolation="nearest",
            )
            ax.set_xticks([])
            ax.set_yticks([])
            if color != "black":
                for spine in ax.spines.values():
                    spine.set_edgecolor(color)
                    spine.set_linewidth(2)
            if c == 0 and row_labels is not None:
                ax.set_ylabel(row_labels[r], fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_interpolation_weights(uniform, normal, bins=80):
    """Histograms of interpolation weights: U[0, 1] (the paper) against N(0, 1) (a common bug).

    The segment [0, 1] between a generated (eps = 0) and a real sample (eps = 1) is
    shaded; the legend gives the share of each sample outside it. Gulrajani et al. 2017
    (arXiv 1704.00028), Algorithm 1 line 4: eps ~ U[0, 1].

    Args:
        uniform, normal: arrays (N,) and (M,) of weights.
        bins: histogram bins over the common range.

    Returns:
        matplotlib Figure.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    uniform = np.asarray(uniform, dtype=float).ravel()
    normal = np.asarray(normal, dtype=float).ravel()
    edges = np.linspace(
        min(uniform.min(), normal.min(), -0.5), max(uniform.max(), normal.max(), 1.5), int(bins) + 1
    )
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.axvspan(
        0.0,
        1.0,
        color="tab:green",
        alpha=0.12,
        label="the segment: x̂ between x~ (ε = 0) and x (ε = 1)",
    )
    for values, color, name in (
        (uniform, "tab:blue", "ε ~ U[0, 1] (the paper)"),
        (normal, "tab:red", "ε ~ N(0, 1) (the Keras example)"),
    ):
        outside = float(np.mean((values < 0) | (values > 1)))
        ax.hist(
            values,
            bins=edges,
            density=True,
            histtype="stepfilled",
            alpha=0.45,
            color=color,
            label=f"{name}: {outside:.1%} outside [0, 1]",
        )
    ax.set_xlabel("interpolation weight ε")
    ax.set_ylabel("density")
    ax.set_title("Where the penalty is evaluated: x̂ = ε x + (1 − ε) x~")
    ax.legend(loc="upper left", fontsize="small")
    fig.tight_layout()
    return fig


def plot_clip_vs_gp(runs, smooth=20):
    """Weight clipping and the gradient penalty side by side: samples, W estimate, norms.

    One column per run; rows: the generated digits, the critic's W estimate per generator
    step (raw and moving average; each critic has its own scale, so the axes are not
    shared) and the histogram of the critic's input-gradient norms at interpolates with
    the target 1. Arjovsky et al. 2017 (arXiv 1701.07875, Algorithm 1) against Gulrajani
    et al. 2017 (arXiv 1704.00028, Algorithm 1).

    Args:
        runs: dict name -> dict with "samples" (array (N, 28, 28[, 1]) in [-1, 1] or
            uint8), "history" (dict with "step" and "w_estimate" arrays) and "norms"
            (array (K,) > 0).
        smooth: moving-average window in steps, int >= 1.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: runs empty or a key missing.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    if not runs:
        raise ValueError("runs must hold at least one run")
    for name, run in runs.items():
        for key in ("samples", "history", "norms"):
            if key not in run:
                raise ValueError(f"runs[{name!r}] must hold {key!r}")
    count = len(runs)
    fig, axes = plt.subplots(
        3,
        count,
        figsize=(5.2 * count, 12),
        gridspec_kw=dict(height_ratios=[1.35, 1, 1]),
        squeeze=False,
    )
    for column, (name, run) in enumerate(runs.items()):
        plot_image_grid(run["samples"], title=name, ax=axes[0, column])
        steps = np.asarray(run["history"]["step"])
        w = np.asarray(run["history"]["w_estimate"], dtype=float)
        ax = axes[1, column]
        ax.plot(steps, w, color="tab:green", lw=0.6, alpha=0.35, label="per step")
        window = max(1, int(smooth))
        if len(w) >= window > 1:
            ax.plot(
                steps[window - 1 :],
                np.convolve(w, np.ones(window) / window, "valid"),
                color="tab:green",
                lw=2,
                label=f"moving average ({window} steps)",
            )
        ax.set_xlabel("generator step")
        ax.set_ylabel("W estimate: mean f(x) − mean f(x~)")
        ax.set_title(f"{name}: the critic's W estimate")
        ax.legend(loc="upper right", fontsize="small")
        plot_gradient_norm_histograms(
            {name: run["norms"]}, title=f"{name}: ‖∇f(x̂)‖", ax=axes[2, column]
        )
    fig.tight_layout()
    return fig


_BASELINE_STYLE = {
    "gp": ("tab:green", "WGAN-GP"),
    "sn": ("tab:purple", "spectral norm (W loss)"),
    "gan": ("tab:orange", "GAN, non-saturating"),
    "gan-minimax": ("tab:red", "GAN, minimax"),
}


def plot_gan_baseline(runs):
    """Losses, W estimates and FID of equal-time runs against training seconds, three panels.

    The GAN's discriminator loss against the WGAN critics' (left), the W estimate
    mean f(x) - mean f(x~) of every run (middle; for a GAN's discriminator a difference of
    mean logits, not a distance) and the FID (right, log scale): does a loss track sample
    quality? (Arjovsky et al. 2017, arXiv 1701.07875, Figures 3-4.)

    Args:
        runs: dict name -> {"points": [{"seconds", "critic_loss", "w_estimate", "fid"}, ...]}
            (the "runs" of `benchmarks/gan_baseline.py`'s JSON); a loss or estimate of None
            (the point before training) is skipped.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: no runs, or a run without points.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    if not runs or any(not run.get("points") for run in runs.values()):
        raise ValueError("runs must map each name to a dict with a non-empty 'points' list")
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    panels = (
        ("critic_loss", "critic / discriminator loss (minimised)"),
        ("w_estimate", "W estimate: mean f(x) − mean f(x~)"),
        ("fid", "FID (lower is better, log scale)"),
    )
    for name, run in runs.items():
        color, label = _BASELINE_STYLE.get(name, (None, name))
        for ax, (key, _) in zip(axes, panels, strict=True):
            points = [(p["seconds"], p[key]) for p in run["points"] if p.get(key) is not None]
            if points:
                ax.plot(*zip(*points, strict=True), "o-", ms=3, color=color, label=label)
    for ax, (_, ylabel) in zip(axes, panels, strict=True):
        ax.set_xlabel("training time (s)")
        ax.set_ylabel(ylabel)
    axes[1].axhline(0.0, color="gray", lw=0.8)
    axes[2].set_yscale("log")
    axes[0].legend(fontsize="small")
    axes[0].set_title("The minimised loss")
    axes[1].set_title("The critic's estimate (a GAN's: logits)")
    axes[2].set_title("Sample quality")
    fig.tight_layout()
    return fig
