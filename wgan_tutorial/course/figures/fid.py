"""Figures of notebook 04: FID from first principles, its sample-size bias, class coverage.

Gaussians fitted to classifier features (Heusel et al. 2017, arXiv 1706.08500), the FID of
real against real digits against the sample size (Chong and Forsyth 2020, arXiv 1911.07023),
class coverage bars, and the critic's W estimate against the FID along training. The numbers
come from `wgan_tutorial.metrics`.

Each function returns the matplotlib Figure and never calls `plt.show()`.

Taught in notebooks/04_fid_evaluation.ipynb.
"""

import matplotlib.pyplot as plt
import numpy as np


def _ellipse(mean, covariance, radius, num=200):
    """Points of the ellipse {x : (x - mean)^T covariance^-1 (x - mean) = radius^2} in 2-D."""
    values, vectors = np.linalg.eigh(covariance)
    angles = np.linspace(0.0, 2.0 * np.pi, num)
    circle = np.stack([np.cos(angles), np.sin(angles)])
    return (vectors @ (np.sqrt(np.clip(values, 0.0, None))[:, None] * circle)).T * radius + mean


def plot_feature_gaussians(
    features_a, features_b, labels=("real", "generated"), n_points=500, seed=0
):
    """Two sets of classifier features and the Gaussians FID fits to them, in 2-D.

    The features (N, d) are projected onto the two principal axes of the first set (the
    directions of its largest variance); each set is drawn as points with the 1- and 2-sigma
    ellipses of its fitted Gaussian, projected the same way (Heusel et al. 2017, arXiv
    1706.08500, Section 3: FID compares these Gaussians, in all d dimensions).

    Args:
        features_a, features_b: arrays (N_a, d) and (N_b, d), d >= 2, N >= 2.
        labels: the two legend names.
        n_points: at most this many points of each set are drawn (chosen at random).
        seed: seed of that choice.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: shapes that are not (N, d) with a common d >= 2 and N >= 2.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    a, b = np.asarray(features_a, dtype=float), np.asarray(features_b, dtype=float)
    if (
        a.ndim != 2
        or b.ndim != 2
        or a.shape[1] != b.shape[1]
        or a.shape[1] < 2
        or min(len(a), len(b)) < 2
    ):
        raise ValueError(
            f"features_a and features_b must have shapes (N, d) with a common d >= 2 and "
            f"N >= 2, got {a.shape} and {b.shape}"
        )
    _, vectors = np.linalg.eigh(np.cov(a, rowvar=False))
    axes_2d = vectors[:, ::-1][:, :2]  # the two largest-variance directions of a
    rng = np.random.default_rng(seed)
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    for rows, label, color in ((a, labels[0], "tab:blue"), (b, labels[1], "tab:orange")):
        projected = rows @ axes_2d
        shown = projected[rng.permutation(len(projected))[:n_points]]
        ax.scatter(
            shown[:, 0],
            shown[:, 1],
            s=6,
            alpha=0.35,
            color=color,
            label=f"{label} ({len(rows)} images)",
        )
        mean, covariance = projected.mean(axis=0), np.cov(projected, rowvar=False)
        for radius, style in ((1.0, "-"), (2.0, "--")):
            ax.plot(*_ellipse(mean, covariance, radius).T, style, color=color, lw=2)
        ax.plot(*mean, "x", color=color, ms=10, mew=3)
    ax.plot([], [], "k-", label="fitted Gaussian: 1σ")
    ax.plot([], [], "k--", label="2σ")
    ax.set_xlabel(f"feature principal axis 1 (of {labels[0]})")
    ax.set_ylabel(f"feature principal axis 2 (of {labels[0]})")
    ax.set_title("Gaussians fitted to the classifier features")
    ax.legend(loc="best", fontsize="small")
    fig.tight_layout()
    return fig


def plot_fid_vs_sample_size(result, reference=None):
    """FID of real against real digits against the sample size N: the bias of small samples.

    Args:
        result: the dict of `metrics.real_vs_real_fid` ("sizes", "fid", "mean", "std",
            "slope", "intercept").
        reference: optional (label, value) drawn as a horizontal line (e.g. a model's FID).

    Returns:
        matplotlib Figure with two axes: FID against N (log axis), and against 1/N with
        the straight-line fit whose intercept extrapolates to N = infinity (Chong and
        Forsyth 2020, arXiv 1911.07023).

    Raises:
        ValueError: a key is missing.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    for key in ("sizes", "fid", "mean", "std", "slope", "intercept"):
        if key not in result:
            raise ValueError(f"result must hold {key!r} (from metrics.real_vs_real_fid)")
    sizes = np.asarray(result["sizes"], dtype=float)
    values = np.asarray(result["fid"], dtype=float)
    mean, std = np.asarray(result["mean"]), np.asarray(result["std"])
    repeats = values.shape[1]
    fig, (ax_n, ax_inverse) = plt.subplots(1, 2, figsize=(11, 4))
    for ax, x in ((ax_n, sizes), (ax_inverse, 1000.0 / sizes)):
        ax.plot(
            np.repeat(x, repeats),
            values.ravel(),
            ".",
            color="tab:blue",
            alpha=0.4,
            label=f"one draw ({repeats} per N)",
        )
        ax.errorbar(x, mean, yerr=std, fmt="o-", color="tab:blue", capsize=3, label="mean ± std")
        if reference is not None:
            ax.axhline(reference[1], color="tab:red", ls=":", label=reference[0])
        ax.set_ylabel("FID (N training vs N test digits)")
        ax.set_ylim(bottom=0.0)
    inverse = np.linspace(0.0, 1.0 / sizes.min(), 100)
    ax_inverse.plot(
        1000.0 * inverse,
        result["intercept"] + result["slope"] * inverse,
        "--",
        color="black",
        label=f"fit {result['intercept']:.2f} + {result['slope']:.0f} / N",
    )
    ax_n.set_xscale("log")
    ax_n.set_xlabel("sample size N (log scale)")
    ax_n.set_title("Real vs real: FID shrinks as N grows")
    ax_n.legend(fontsize="small")
    ax_inverse.set_xlabel("1000 / N")
    ax_inverse.set_xlim(left=0.0)
    ax_inverse.set_title("Nearly linear in 1/N: extrapolate to N = ∞")
    ax_inverse.legend(fontsize="small")
    fig.tight_layout()
    return fig


def plot_class_coverage(coverages, title=None):
    """Bar plots of class coverage: the fraction of images the classifier gives each digit.

    Args:
        coverages: dict name -> array (10,) of fractions summing to 1 (from
            `metrics.class_coverage`), one panel each, in order.
        title: optional figure title.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: empty dict, or an entry not of shape (10,).

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    if not coverages:
        raise ValueError("coverages must hold at least one name -> (10,) array")
    for name, fractions in coverages.items():
        if np.shape(fractions) != (10,):
            raise ValueError(
                f"coverages[{name!r}] must have shape (10,), got {np.shape(fractions)}"
            )
    count = len(coverages)
    fig, axes = plt.subplots(1, count, figsize=(3.8 * count, 3.4), sharey=True, squeeze=False)
    for ax, (name, fractions) in zip(axes[0], coverages.items(), strict=True):
        fractions = np.asarray(fractions, dtype=float)
        ax.bar(np.arange(10), fractions, color="tab:blue")
        ax.axhline(0.1, color="black", ls="--", lw=1, label="uniform (0.1)")
        rare = np.flatnonzero(fractions < 0.01)
        ax.plot(
            rare, np.full(rare.size, 0.03), "x", color="tab:red", ms=8, mew=2, label="under 1 %"
        )
        ax.set_xticks(np.arange(10))
        ax.set_xlabel("digit (as the classifier sees it)")
        ax.set_title(name)
        ax.set_ylim(0.0, 1.0)
    axes[0, 0].set_ylabel("fraction of the images")
    axes[0, 0].legend(loc="upper right", fontsize="small")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_fid_and_w_estimate(steps, w_estimates, comparison, floor=None, window=None):
    """Does the critic's W estimate track the FID? Both against steps, and one against the other.

    Left: the W estimate (per step, faint, and its moving average) and the FID (right axis)
    against generator steps. Right: the FID against the W estimate averaged before each FID
    step, with Pearson's r and Spearman's rho.

    Args:
        steps, w_estimates: arrays (S,) from a training history.
        comparison: the dict of `metrics.w_estimate_vs_fid` ("steps", "fid", "w_estimate",
            "pearson", "spearman").
        floor: optional real-vs-real FID at the same sample size, drawn as a line.
        window: the moving-average window in steps (default: about 1/50 of the run).

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: steps and w_estimates of different shapes, or a key missing.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    steps, w_estimates = np.asarray(steps), np.asarray(w_estimates, dtype=float)
    if steps.shape != w_estimates.shape:
        raise ValueError(
            f"steps and w_estimates must have the same shape, got {steps.shape} and "
            f"{w_estimates.shape}"
        )
    for key in ("steps", "fid", "w_estimate", "pearson", "spearman"):
        if key not in comparison:
            raise ValueError(f"comparison must hold {key!r} (from metrics.w_estimate_vs_fid)")
    window = max(1, len(steps) // 50) if window is None else max(1, int(window))
    fig, (ax_steps, ax_scatter) = plt.subplots(1, 2, figsize=(12, 4.2))
    ax_steps.plot(steps, w_estimates, color="tab:green", lw=0.6, alpha=0.3)
    if len(steps) >= window > 1:
        ax_steps.plot(
            steps[window - 1 :],
            np.convolve(w_estimates, np.ones(window) / window, mode="valid"),
            color="tab:green",
            lw=2,
            label=f"W estimate ({window}-step average)",
        )
    else:
        ax_steps.plot(steps, w_estimates, color="tab:green", lw=2, label="W estimate")
    ax_steps.set_xlabel("generator step")
    ax_steps.set_ylabel("W estimate: mean f(x) − mean f(x~)", color="tab:green")
    ax_fid = ax_steps.twinx()
    ax_fid.plot(comparison["steps"], comparison["fid"], "o-", color="tab:red", label="FID")
    fids = np.asarray(comparison["fid"], dtype=float)
    if floor is not None:
        if fids.size and floor < 0.2 * fids.min():  # a line far below the curve would flatten it
            ax_fid.plot([], [], " ", label=f"real-vs-real floor: {floor:.1f} (off the axis)")
        else:
            ax_fid.axhline(
                floor, color="tab:red", ls=":", label=f"real-vs-real floor ({floor:.1f})"
            )
    if fids.size and fids.min() > 0 and fids.max() / fids.min() > 20:
        ax_fid.set_yscale("log")  # from thousands (noise) down to tens: a log axis shows both
        ax_fid.set_ylabel("FID (lower is better, log scale)", color="tab:red")
    else:
        ax_fid.set_ylabel("FID (lower is better)", color="tab:red")
    lines = ax_steps.get_legend_handles_labels()
    fid_lines = ax_fid.get_legend_handles_labels()
    ax_steps.legend(
        lines[0] + fid_lines[0], lines[1] + fid_lines[1], loc="upper right", fontsize="small"
    )
    ax_steps.set_title("Along training")
    order = np.argsort(comparison["steps"])
    ax_scatter.plot(
        comparison["w_estimate"][order], comparison["fid"][order], "-", color="gray", lw=0.8
    )
    points = ax_scatter.scatter(
        comparison["w_estimate"], comparison["fid"], c=comparison["steps"], cmap="viridis", zorder=3
    )
    fig.colorbar(points, ax=ax_scatter, label="generator step")
    ax_scatter.set_xlabel("W estimate (average before the FID step)")
    ax_scatter.set_ylabel("FID")
    ax_scatter.set_title(
        f"Pearson r = {comparison['pearson']:.2f}, Spearman ρ = {comparison['spearman']:.2f}"
    )
    fig.tight_layout()
    return fig
