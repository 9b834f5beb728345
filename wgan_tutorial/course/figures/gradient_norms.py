"""Figures of the critic's gradient norms, layer by layer (notebook 02) and at interpolates
(notebook 03).

Gulrajani et al. 2017 (arXiv 1704.00028): with weight clipping the gradient of the critic loss
explodes or vanishes from layer to layer (Figure 1b); the gradient penalty pulls the norm of
the critic's input gradient towards 1 at the interpolates (Equation 3).

Each function returns the matplotlib Figure and never calls `plt.show()`.

Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
"""

import matplotlib.pyplot as plt
import numpy as np


def _labelled_arrays(norms):
    """dict label -> values as flat float arrays; ValueError if there are none."""
    if not norms:
        raise ValueError("norms must hold at least one labelled array")
    return {label: np.asarray(values, dtype=float).ravel() for label, values in norms.items()}


def _norm_bins(arrays, count=50):
    """`count` log-spaced bins covering the finite positive values and at least [0.5, 2]."""
    values = np.concatenate([a[np.isfinite(a) & (a > 0)] for a in arrays] or [np.ones(1)])
    low = min(float(values.min()), 0.5) if values.size else 0.5
    high = max(float(values.max()), 2.0) if values.size else 2.0
    return np.geomspace(low, high, count + 1)


def plot_gradient_norm_histograms(norms, title=None, ax=None):
    """Histograms of the critic's input-gradient norms ||grad f(x_hat)||, with the target 1.

    The penalty of Gulrajani et al. 2017 (arXiv 1704.00028, Equation 3) pulls these norms
    towards 1 at the interpolates x_hat; the x axis is logarithmic because untrained or
    clipped critics sit orders of magnitude away.

    Args:
        norms: dict label -> array (K,) of norms > 0 (e.g. before and after training).
        title: optional axes title.
        ax: Axes to draw into (default a new figure).

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: norms empty.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    arrays = _labelled_arrays(norms)
    bins = _norm_bins(list(arrays.values()))
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 3.8))
    else:
        fig = ax.figure
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for index, (label, values) in enumerate(arrays.items()):
        color = colors[index % len(colors)]
        finite = values[np.isfinite(values) & (values > 0)]
        median = float(np.median(finite)) if finite.size else float("nan")
        ax.hist(finite, bins=bins, color=color, alpha=0.5, label=f"{label} (median {median:.3g})")
        ax.axvline(median, color=color, lw=1.2)
    ax.axvline(1.0, color="black", ls="--", lw=1.5, label="target ‖∇f(x̂)‖ = 1")
    ax.set_xscale("log")
    ax.set_xlabel("‖∇f(x̂)‖ at interpolates x̂ (log scale)")
    ax.set_ylabel("number of interpolates")
    ax.set_title(title or "Critic gradient norms at the interpolates")
    ax.legend(loc="upper left", fontsize="small")
    fig.tight_layout()
    return fig


def plot_layer_gradient_norms(norms):
    """Norm of the critic loss's gradient at each layer, one line per critic (log scale).

    Gulrajani et al. 2017 (arXiv 1704.00028), Figure 1b: with weight clipping the norm
    changes geometrically from the output down to the input: it explodes when c is too
    large and vanishes when c is too small; a gradient penalty keeps it within a narrow
    range.

    Args:
        norms: dict label -> array (K,) of norms >= 0, index 0 = the input layer (see
            `toy1d.layer_gradient_norms`); zeros are drawn at the bottom of the axis.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: norms empty.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    arrays = _labelled_arrays(norms)
    positive = np.concatenate([a[a > 0] for a in arrays.values()] + [np.ones(1)])
    floor = 10.0 ** np.floor(np.log10(positive.min()) - 1)
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for label, values in arrays.items():
        ax.plot(np.arange(values.size), np.where(values > 0, values, floor), "o-", label=label)
    ax.set_yscale("log")
    ax.set_ylim(bottom=floor / 2)
    ax.set_xlabel("critic layer k (0 = the input x; the output layer last)")
    ax.set_ylabel("‖∂ loss / ∂ h_k‖ (log scale)")
    ax.set_title("Gradient of the critic loss at each layer's input")
    ax.legend(loc="best", fontsize="small")
    fig.tight_layout()
    return fig
