"""Figures of notebook 02: the GAN discriminator against the WGAN critic, and what clipping does.

A discriminator and a clipped critic on two 1-D Gaussians with their slopes (Arjovsky et al.
2017, arXiv 1701.07875, Figure 2) and the histogram of a clipped critic's weights piling up at
the bounds ±c (Algorithm 1 line 7). The per-layer gradient norms under clipping are in
`gradient_norms`.

Each function returns the matplotlib Figure and never calls `plt.show()`.

Taught in notebooks/02_wgan_weight_clipping.ipynb.
"""

import matplotlib.pyplot as plt
import numpy as np

from wgan_tutorial.course.figures.divergences import normal_pdf


def plot_discriminator_vs_critic_1d(x, outputs, real_mean=0.0, fake_mean=6.0, std=1.0):
    """A GAN discriminator and a clipped WGAN critic on two 1-D Gaussians, and their slopes.

    Arjovsky et al. 2017 (arXiv 1701.07875), Figure 2. Left: the real and fake densities,
    D(x) (left axis) and the critic f(x) (right axis: its scale is set by the clipping
    constant). Right: |dD/dx| and |df/dx|, each divided by its largest value on the grid
    (log scale), so that their shapes compare: a saturated discriminator's slope at the
    fake samples is orders of magnitude below its peak; the critic's barely changes.

    Args:
        x: array (N,) increasing, the grid.
        outputs: dict of arrays (N,) "discriminator", "discriminator_gradient", "critic",
            "critic_gradient" (see `toy1d.outputs_and_gradients`).
        real_mean, fake_mean: the two means; std: their common standard deviation (> 0).

    Returns:
        matplotlib Figure with two axes.

    Raises:
        ValueError: a key is missing or an array's shape differs from x's.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    x = np.asarray(x, dtype=float)
    keys = ("discriminator", "discriminator_gradient", "critic", "critic_gradient")
    for key in keys:
        if key not in outputs or np.shape(outputs[key]) != x.shape:
            raise ValueError(f"outputs must hold an array {key!r} of shape {x.shape}")
    values = {key: np.asarray(outputs[key], dtype=float) for key in keys}
    fig, (ax_values, ax_slopes) = plt.subplots(1, 2, figsize=(12, 4.3))
    for mean, color, name in ((real_mean, "tab:orange", "real"), (fake_mean, "tab:green", "fake")):
        ax_values.fill_between(
            x,
            normal_pdf(x, mean, std),
            color=color,
            alpha=0.3,
            label=f"{name}: N({mean:g}, {std:g}²)",
        )
    ax_values.plot(
        x, values["discriminator"], color="tab:red", lw=2, label="GAN discriminator D(x)"
    )
    ax_values.set_xlabel("x")
    ax_values.set_ylabel("density; D(x) = P(real | x)")
    ax_values.set_ylim(-0.02, 1.05)
    ax_critic = ax_values.twinx()
    ax_critic.plot(x, values["critic"], color="tab:blue", lw=2, label="WGAN critic f(x)")
    ax_critic.set_ylabel("critic value f(x)", color="tab:blue")
    lines = ax_values.get_legend_handles_labels()
    critic_lines = ax_critic.get_legend_handles_labels()
    ax_values.legend(
        lines[0] + critic_lines[0], lines[1] + critic_lines[1], loc="upper right", fontsize="small"
    )
    ax_values.set_title("Trained to tell real from fake")

    tiny = np.finfo(float).tiny
    for key, color, name in (
        ("discriminator_gradient", "tab:red", "|dD/dx| (discriminator)"),
        ("critic_gradient", "tab:blue", "|df/dx| (critic)"),
    ):
        slope = np.abs(values[key])
        peak = float(slope.max())
        ax_slopes.plot(
            x,
            np.maximum(slope / peak if peak > 0 else slope, tiny),
            color=color,
            lw=2,
            label=f"{name}, peak {peak:.2g}",
        )
    ax_slopes.axvspan(
        fake_mean - std,
        fake_mean + std,
        color="tab:green",
        alpha=0.15,
        label="fake samples (mean ± std): where the generator is",
    )
    ax_slopes.set_yscale("log")
    ax_slopes.set_ylim(1e-12, 3.0)
    ax_slopes.set_xlabel("x")
    ax_slopes.set_ylabel("|gradient w.r.t. x| / its peak (log scale)")
    ax_slopes.set_title("The gradient a generator would follow")
    ax_slopes.legend(loc="lower left", fontsize="small")
    fig.tight_layout()
    return fig


def plot_weight_histogram(weights, clip_value, bins=81, title=None, ax=None):
    """Histogram of a clipped critic's weights, stacked by layer, with the bounds ±c marked.

    Weight clipping (Arjovsky et al. 2017, arXiv 1701.07875, Algorithm 1 line 7) pushes
    most weights to the bounds: the critic uses its capacity only through their signs
    (Gulrajani et al. 2017, arXiv 1704.00028, Section 3.1).

    Args:
        weights: dict layer name -> array of weights (any shape).
        clip_value: float > 0, the constant c.
        bins: number of bins over [-1.1 c, 1.1 c].
        title: optional first line of the axes title (the second gives the share of
            weights within 1 % of ±c).
        ax: Axes to draw into (default a new figure).

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: weights empty or clip_value not > 0.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    if not weights:
        raise ValueError("weights must hold at least one array")
    if not clip_value > 0:
        raise ValueError(f"clip_value must be > 0, got {clip_value!r}")
    arrays = {name: np.asarray(w, dtype=float).ravel() for name, w in weights.items()}
    everything = np.concatenate(list(arrays.values()))
    at_bounds = float(np.mean(np.abs(everything) >= 0.99 * clip_value))
    edges = np.linspace(-1.1 * clip_value, 1.1 * clip_value, int(bins) + 1)
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 3.8))
    else:
        fig = ax.figure
    ax.hist(
        list(arrays.values()),
        bins=edges,
        stacked=True,
        label=[f"{name} ({values.size:,})" for name, values in arrays.items()],
    )
    for bound in (-clip_value, clip_value):
        ax.axvline(bound, color="black", ls="--", lw=1.2)
    ax.set_yscale("log")
    ax.set_xlabel(f"weight value (bounds ±c = ±{clip_value:g} dashed)")
    ax.set_ylabel("number of weights (log scale)")
    share = f"{at_bounds:.0%} of the {everything.size:,} weights at ±c (within 1 %)"
    ax.set_title(f"{title}\n{share}" if title else share)
    ax.legend(loc="upper center", fontsize="small", title="layer (weights)")
    fig.tight_layout()
    return fig
