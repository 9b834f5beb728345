"""Figures of notebook 05: what lambda and n_critic do, on toy data and on MNIST.

One toy run at a glance (critic contours, gradient norms at interpolates, W estimate), one
cell of the MNIST lambda x n_critic sweep along training, and the final samples of the whole
sweep. The explorers in `wgan_tutorial.course.toy_explorer` and
`wgan_tutorial.course.mnist_explorer` draw these.

Each function returns the matplotlib Figure and never calls `plt.show()`.

Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
"""

import matplotlib.pyplot as plt
import numpy as np

from wgan_tutorial.images import plot_toy_samples


def plot_toy_explorer(real, fake, axis, critic_values, norms, steps, w_estimates, title=None):
    """One toy run at a glance: critic contours with the points, gradient norms, W estimate.

    Left: the critic f on the grid (filled contours) with the real and generated points.
    Middle: the histogram of ||grad f(x_hat)|| at interpolates x_hat between real and
    generated points (log scale), with the norm 1 that the penalty of Gulrajani et al. 2017
    (arXiv 1704.00028, Equation 3) asks for. Right: the critic's W estimate
    mean f(x) - mean f(x~) per generator step.

    Args:
        real, fake: arrays (N, 2) and (M, 2) of real and generated points.
        axis: array (R,), the grid coordinates on both axes (increasing).
        critic_values: array (R, R), f(axis[j], axis[i]) at [i, j].
        norms: array (K,) of gradient norms > 0 (K >= 1).
        steps, w_estimates: arrays (S,) of generator steps and W estimates.
        title: optional figure title.

    Returns:
        matplotlib Figure with three axes.

    Raises:
        ValueError: shapes that do not match.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    axis = np.asarray(axis, dtype=float)
    critic_values = np.asarray(critic_values, dtype=float)
    norms = np.asarray(norms, dtype=float).ravel()
    steps, w_estimates = np.asarray(steps), np.asarray(w_estimates, dtype=float)
    if axis.ndim != 1 or critic_values.shape != (axis.size, axis.size):
        raise ValueError(
            f"critic_values must have shape ({axis.size}, {axis.size}) to match "
            f"axis, got {critic_values.shape}"
        )
    if norms.size == 0 or not np.all(norms > 0):
        raise ValueError("norms must hold at least one value, all > 0")
    if steps.shape != w_estimates.shape:
        raise ValueError(
            f"steps and w_estimates must have the same shape, got {steps.shape} "
            f"and {w_estimates.shape}"
        )
    limit = float(np.max(np.abs(axis)))
    fig, (ax_critic, ax_norms, ax_w) = plt.subplots(
        1, 3, figsize=(13, 4.1), gridspec_kw=dict(width_ratios=[1.25, 1, 1])
    )
    finite = np.isfinite(critic_values)
    if finite.any():
        filled = ax_critic.contourf(
            axis, axis, np.where(finite, critic_values, np.nan), levels=20, cmap="coolwarm"
        )
        fig.colorbar(filled, ax=ax_critic, label="critic value f(x)")
    plot_toy_samples(real, fake, ax=ax_critic, limit=limit)
    ax_critic.set_title("Critic f(x): the generator moves its points uphill")

    finite_norms = norms[np.isfinite(norms)]
    low = min(float(finite_norms.min()), 0.5) if finite_norms.size else 0.5
    high = max(float(finite_norms.max()), 2.0) if finite_norms.size else 2.0
    bins = np.geomspace(low, high, 41)
    ax_norms.hist(finite_norms, bins=bins, color="tab:purple", alpha=0.8)
    ax_norms.axvline(1.0, color="black", ls="--", lw=1.5, label="target norm 1")
    median = float(np.median(finite_norms)) if finite_norms.size else float("nan")
    ax_norms.axvline(median, color="tab:purple", lw=1.5, label=f"median {median:.3g}")
    ax_norms.set_xscale("log")
    ax_norms.set_xlabel("‖∇f(x̂)‖ at interpolates x̂ (log scale)")
    ax_norms.set_ylabel(f"count (of {norms.size})")
    ax_norms.set_title("Critic gradient norms")
    ax_norms.legend(loc="upper left", fontsize="small")

    ax_w.plot(steps, w_estimates, color="tab:green", lw=1)
    ax_w.set_xlabel("generator step")
    ax_w.set_ylabel("W estimate: mean f(x) − mean f(x~)")
    ax_w.set_title("The critic's Wasserstein estimate")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_sweep_cell(
    samples, steps, w_estimates, grad_norms, fid_steps=(), fid_values=(), title=None, limits=None
):
    """One cell of the MNIST lambda x n_critic sweep: samples and curves along training.

    Panels: the final sample grid; the W estimate per generator step (symmetric log scale:
    an unconstrained critic's estimate grows by orders of magnitude); the mean gradient
    norm at the interpolates (log scale, the target 1 of Gulrajani et al. 2017, arXiv
    1704.00028, Equation 3, marked); the FID along training when recorded.

    Args:
        samples: 2-D array in [0, 1], the sample grid as shipped (ink dark on white).
        steps: array (S,) of generator steps; w_estimates, grad_norms: arrays (S,) (NaN
            allowed: not drawn).
        fid_steps, fid_values: arrays (F,) (F may be 0: no FID panel).
        title: optional figure title.
        limits: optional dict {"w_estimate": (low, high), "gp_grad_norm": (low, high),
            "fid": (low, high)} of y-limits, to compare cells on equal axes.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: samples not 2-D, or curve shapes that do not match.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    samples = np.asarray(samples, dtype=float)
    steps = np.asarray(steps)
    w_estimates = np.asarray(w_estimates, dtype=float)
    grad_norms = np.asarray(grad_norms, dtype=float)
    fid_steps, fid_values = np.asarray(fid_steps), np.asarray(fid_values, dtype=float)
    if samples.ndim != 2:
        raise ValueError(f"samples must be a 2-D image, got shape {samples.shape}")
    if not (steps.shape == w_estimates.shape == grad_norms.shape):
        raise ValueError(
            f"steps, w_estimates and grad_norms must have the same shape, got "
            f"{steps.shape}, {w_estimates.shape}, {grad_norms.shape}"
        )
    if fid_steps.shape != fid_values.shape:
        raise ValueError(
            f"fid_steps and fid_values must have the same shape, got "
            f"{fid_steps.shape} and {fid_values.shape}"
        )
    from matplotlib.ticker import SymmetricalLogLocator

    limits = limits or {}
    panels = 4 if fid_steps.size else 3
    fig, axes = plt.subplots(
        1,
        panels,
        figsize=(4 * panels, 3.8),
        gridspec_kw=dict(width_ratios=[0.85] + [1] * (panels - 1)),
    )
    axes[0].imshow(samples, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    axes[0].set_axis_off()
    axes[0].set_title("Final samples")
    axes[1].plot(steps, w_estimates, color="tab:green", lw=0.8)
    axes[1].set_yscale("symlog", linthresh=1.0)  # linear in [-1, 1], logarithmic beyond
    axes[1].yaxis.set_major_locator(SymmetricalLogLocator(linthresh=1.0, base=100.0))
    axes[1].set_xlabel("generator step")
    axes[1].set_ylabel("mean f(x) − mean f(x~) (symlog)")
    axes[1].set_title("W estimate")
    if "w_estimate" in limits:
        low, high = limits["w_estimate"]
        axes[1].set_ylim(min(low, -1.0) * 2.0, max(high, 1.0) * 2.0)
    positive = grad_norms > 0
    axes[2].plot(steps[positive], grad_norms[positive], color="tab:purple", lw=0.8)
    axes[2].axhline(1.0, color="black", ls="--", lw=1.2, label="target norm 1")
    axes[2].set_yscale("log")
    axes[2].set_xlabel("generator step")
    axes[2].set_ylabel("mean ‖∇f(x̂)‖ at interpolates (log)")
    axes[2].set_title("Critic gradient norm")
    axes[2].legend(loc="best", fontsize="small")
    if "gp_grad_norm" in limits:
        low, high = limits["gp_grad_norm"]
        axes[2].set_ylim(min(low, 0.5) / 1.2, max(high, 2.0) * 1.2)
    if panels == 4:
        axes[3].plot(fid_steps, fid_values, "o-", color="tab:red")
        axes[3].set_xlabel("generator step")
        axes[3].set_ylabel("FID (package classifier, lower is better)")
        axes[3].set_title("FID")
        axes[3].set_xlim(0, max(int(steps.max()) if steps.size else 1, 1) * 1.05)
        if "fid" in limits:
            axes[3].set_ylim(*limits["fid"])
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_sweep_overview(samples, gp_weights, n_critics, labels=None):
    """The final samples of a whole lambda x n_critic sweep: one row per lambda, one column
    per n_critic (Gulrajani et al. 2017, arXiv 1704.00028: lambda = 10, n_critic = 5).

    Args:
        samples: dict (gp_weight, n_critic) -> 2-D sample-grid image in [0, 1] (ink dark).
        gp_weights, n_critics: the row and column values, in order.
        labels: optional dict (gp_weight, n_critic) -> a short text shown under each grid
            (e.g. the final FID).

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: a (gp_weight, n_critic) pair without samples.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    missing = [(v, k) for v in gp_weights for k in n_critics if (v, k) not in samples]
    if missing:
        raise ValueError(f"samples lack the pairs {missing}")
    labels = labels or {}
    rows, cols = len(gp_weights), len(n_critics)
    fig, axes = plt.subplots(rows, cols, figsize=(1.7 * cols + 0.6, 1.85 * rows), squeeze=False)
    for i, gp_weight in enumerate(gp_weights):
        for j, n_critic in enumerate(n_critics):
            ax = axes[i, j]
            ax.imshow(
                samples[(gp_weight, n_critic)],
                cmap="gray",
                vmin=0.0,
                vmax=1.0,
                interpolation="nearest",
            )
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel(labels.get((gp_weight, n_critic), ""), fontsize="small")
            if i == 0:
                ax.set_title(f"n_critic = {n_critic}")
            if j == 0:
                ax.set_ylabel(f"λ = {gp_weight:g}", fontsize="large")
    fig.tight_layout()
    return fig
