"""Figures of the course's seed records: one comparison of settings, on several seeds.

A seed record (`assets/seeds/NAME.json` in the package; the folder's README gives the format)
holds, for each arm (one setting) and each seed, the FID of 10,000 samples at every checkpoint
of one training run, and per arm a `summary` of the final FIDs: `n`, `mean`, `min`, `max` and
`interval95`, the Student-t 95 % interval of the mean. These figures draw every seed, so that
the spread between seeds is in the picture next to the difference between the arms.

Each function returns the matplotlib Figure and never calls `plt.show()`.

Taught in notebooks/03_wgan_gp_mnist.ipynb (section 3); the sweep's spread
(`plot_sweep_spread`) in notebooks/05_interactive_lambda_and_n_critic.ipynb (section 7); the
estimate against FID (`plot_estimate_against_fid`) in notebook 03b (section 3).
"""

import re
import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import ticker

_X_LABELS = {"step": "generator step", "seconds": "seconds of training"}


def seed_curves(arm, x="step"):
    """The FID-over-training curves of one arm: each seed's, and their mean.

    Args:
        arm: one entry of a record's `arms`: `seeds` maps a seed (a string) to a run whose
            `checkpoints` are dicts with `step`, `seconds` and `fid`. Every seed must have the
            same checkpoint steps.
        x: "step" (generator steps, shared by the seeds) or "seconds" (seconds of training at
            each checkpoint, each seed its own).

    Returns:
        (seeds, xs, fids, mean_x, mean_fid): the seeds as ints in increasing order; xs and fids,
        arrays (S, C) of the S seeds' C checkpoints; mean_x and mean_fid, arrays (C,), the mean
        over the seeds at each checkpoint (of the seconds too, when x is "seconds").

    Raises:
        ValueError: an unknown x, an arm without seeds, or seeds whose checkpoint steps differ.
    """
    if x not in _X_LABELS:
        raise ValueError(f"x must be one of {sorted(_X_LABELS)}, got {x!r}")
    runs = sorted(((int(seed), run) for seed, run in arm.get("seeds", {}).items()))
    if not runs:
        raise ValueError("the arm has no seeds")
    steps = [[point["step"] for point in run["checkpoints"]] for _, run in runs]
    if any(other != steps[0] for other in steps):
        raise ValueError(f"the seeds' checkpoint steps differ: {steps}")
    xs = np.array([[point[x] for point in run["checkpoints"]] for _, run in runs], dtype=float)
    fids = np.array([[point["fid"] for point in run["checkpoints"]] for _, run in runs], float)
    return [seed for seed, _ in runs], xs, fids, xs.mean(axis=0), fids.mean(axis=0)


def _log_fid_axis(ax):
    """A log-scale y axis for FIDs, its ticks written as plain numbers (60, 100, 2000)."""
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
    ax.yaxis.set_minor_formatter(ticker.LogFormatter(labelOnlyBase=False, minor_thresholds=(2, 1)))


def _interval_bar(ax, x, mean, interval, floor, **style):
    """The bar of a Student-t interval `interval` = (low, high) about `mean`, at `x`.

    On a log axis the interval of a few widely spread seeds can reach below zero, which the axis
    cannot draw: the bar then stops at `floor` (the caller's annotation keeps the true bound).
    """
    low, high = interval
    ax.errorbar(x, mean, yerr=[[mean - max(low, floor)], [high - mean]], **style)


def _final_fids(arms):
    """The final FID of every seed of the given arms (entries of a record's `arms`)."""
    return [run["fid"] for arm in arms for run in arm.get("seeds", {}).values()]


def _log_floor(fids):
    """Where a bar stops on a log axis: half the lowest FID drawn, so the axis keeps its range."""
    return 0.5 * min(fids)


def _title(record, width=70):
    """The record's name and question, without its pointer into the course, wrapped."""
    question = re.sub(r"\s*\(notebook [^)]*\)", "", record["question"])
    question = re.sub(r";\s*notebook [^)]*", "", question)
    return textwrap.fill(f"{record['experiment']}: {question}", width)


def plot_seed_curves(record, ax=None, x="step", title=None):
    """FID along training for every arm of a seed record: each seed faint, the mean bold.

    Args:
        record: a seed record (dict, as read from its JSON file).
        ax: optional matplotlib Axes to draw on; a new figure when None.
        x: "step" (generator steps) or "seconds" (seconds of training; the bold line then
            joins the mean seconds and the mean FID of each checkpoint).
        title: the axes' title; by default the record's name and question.

    An arm with no seed recorded yet is left out.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: see `seed_curves`.

    Taught in notebooks/03_wgan_gp_mnist.ipynb (section 3).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    for index, (name, arm) in enumerate(record["arms"].items()):
        if not arm.get("seeds"):
            continue  # an arm still running, with no seed recorded yet
        color = f"C{index}"
        seeds, xs, fids, mean_x, mean_fid = seed_curves(arm, x)
        for row_x, row_fid in zip(xs, fids, strict=True):
            ax.plot(row_x, row_fid, color=color, alpha=0.35, lw=1)
        ax.plot(
            mean_x, mean_fid, "o-", color=color, lw=2.5, label=f"{name}: mean of {len(seeds)} seeds"
        )
    _log_fid_axis(ax)
    ax.set_xlabel(_X_LABELS[x])
    ax.set_ylabel("FID, 10,000 samples (log scale)")
    ax.legend(title="faint: one seed each", fontsize=9 if len(record["arms"]) <= 3 else 7)
    ax.set_title(_title(record, 60) if title is None else title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    return ax.figure


def plot_final_fids(record, ax=None):
    """The final FID of every seed of every arm, with the arm's mean and its 95 % interval.

    The points are the seeds' final FIDs; the bar is the record's `summary`: its mean and the
    Student-t 95 % interval of the mean (mean ± t(0.975, n − 1) · s / √n for n seeds), drawn
    for arms with at least 2 seeds.

    Args:
        record: a seed record (dict, as read from its JSON file).
        ax: optional matplotlib Axes to draw on; a new figure when None.

    Returns:
        matplotlib Figure.

    Taught in notebooks/03_wgan_gp_mnist.ipynb (section 3).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.5))
    names = list(record["arms"])
    every_final = _final_fids(record["arms"].values())
    log_axis = bool(every_final) and max(every_final) > 5 * min(every_final)  # far apart
    floor = _log_floor(every_final) if log_axis else -np.inf
    for index, name in enumerate(names):
        arm, color = record["arms"][name], f"C{index}"
        finals = np.array([run["fid"] for run in arm.get("seeds", {}).values()], dtype=float)
        offsets = np.linspace(-0.12, 0.12, len(finals)) if len(finals) > 1 else 0.0 * finals
        ax.scatter(index + offsets, finals, color=color, alpha=0.6, s=30, zorder=3)
        summary = arm.get("summary") or {}
        if summary.get("interval95") is None:
            continue  # fewer than 2 seeds: no interval
        low, high = summary["interval95"]
        _interval_bar(
            ax,
            index + 0.3,
            summary["mean"],
            (low, high),
            floor,
            fmt="s",
            color=color,
            capsize=6,
            lw=2,
        )
        ax.annotate(
            f"{summary['mean']:.1f}\n[{low:.1f},\n{high:.1f}]",
            (index + 0.38, summary["mean"]),
            va="center",
            fontsize=9 if len(names) <= 3 else 7,
        )
    ax.set_xticks(range(len(names)), names)
    ax.set_xlim(-0.5, len(names) - 0.1)
    if log_axis:  # arms far apart: a log scale shows each spread
        _log_fid_axis(ax)
    ax.set_ylabel("final FID, 10,000 samples")
    ax.set_title("final FID: seeds (dots), mean and 95 % interval (bar)", fontsize=10)
    ax.grid(True, axis="y", alpha=0.3)
    return ax.figure


def plot_seed_record(record, x="step"):
    """One seed record in two panels: FID along training per seed and arm, and the final FIDs.

    Args:
        record: a seed record (dict, as read from its JSON file).
        x: the left panel's axis, "step" or "seconds" (see `plot_seed_curves`).

    Returns:
        matplotlib Figure.

    Taught in notebooks/03_wgan_gp_mnist.ipynb (section 3).
    """
    extra = max(0, len(record["arms"]) - 3)  # room for more arms on the right
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(13 + 0.8 * extra, 4.8), gridspec_kw={"width_ratios": [1.6, 1 + 0.3 * extra]}
    )
    plot_seed_curves(record, ax=left, x=x)
    plot_final_fids(record, ax=right)
    fig.tight_layout()
    return fig


def option_value(options, name):
    """The number given to the command-line option `name` in an arm's `options` list.

    Raises:
        ValueError: `name` is not among the options, or is not followed by a number.
    """
    if name not in options[:-1]:
        raise ValueError(f"the option {name} is not among the arm's options {options}")
    value = options[options.index(name) + 1]
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"the option {name} is followed by {value!r}, not a number") from None


def plot_sweep_spread(record, x_option, group_option, ax=None, x_label=None, group_label=None):
    """The final FIDs of a sweep over two settings: every seed, and each cell's mean and interval.

    Each arm of the record is one cell of the sweep, told apart by the numbers its `options`
    give to `x_option` (along the x axis, one tick per value, in increasing order) and to
    `group_option` (one colour per value, slightly offset). Per cell: each seed's final FID as a
    faint dot, the mean as a bold marker joined along x, and the Student-t 95 % interval of the
    mean (the record's `summary`) as a bar where there are at least 2 seeds. Cells with no seed
    recorded yet are left out.

    Args:
        record: a seed record (dict, as read from its JSON file).
        x_option, group_option: option names, e.g. "--gp-weight" and "--n-critic".
        ax: optional matplotlib Axes to draw on; a new figure when None.
        x_label, group_label: how the axis and the legend name the two settings (by default the
            option names).

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: an arm without one of the two options (see `option_value`).

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb (section 7).
    """
    cells = {}
    for arm in record["arms"].values():
        key = (option_value(arm["options"], x_option), option_value(arm["options"], group_option))
        cells[key] = arm
    xs = sorted({x for x, _ in cells})
    groups = sorted({group for _, group in cells})
    every_final = _final_fids(cells.values())
    floor = _log_floor(every_final) if every_final else 0.0
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.8))
    for index, group in enumerate(groups):
        color, offset = f"C{index}", 0.12 * (index - (len(groups) - 1) / 2)
        means = []
        for position, x in enumerate(xs):
            arm = cells.get((x, group))
            finals = [run["fid"] for run in (arm or {}).get("seeds", {}).values()]
            if not finals:
                continue
            ax.scatter([position + offset] * len(finals), finals, color=color, alpha=0.4, s=20)
            summary = arm.get("summary") or {}
            means.append((position + offset, summary.get("mean", float(np.mean(finals)))))
            if summary.get("interval95") is not None:
                _interval_bar(
                    ax,
                    position + offset,
                    means[-1][1],
                    summary["interval95"],
                    floor,
                    color=color,
                    capsize=4,
                    lw=1.5,
                )
        if means:
            positions, values = zip(*means, strict=True)
            ax.plot(
                positions,
                values,
                "s-",
                color=color,
                lw=2.5,
                label=f"{group_label or group_option} {group:g}: mean",
            )
    ax.set_xticks(range(len(xs)), [f"{x:g}" for x in xs])
    ax.set_xlabel(x_label or x_option)
    _log_fid_axis(ax)
    ax.set_ylabel("final FID, 10,000 samples (log scale)")
    ax.legend(title="dots: one seed each; bars: 95 % interval")
    ax.set_title(_title(record, 70), fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    return ax.figure


def estimate_fid_correlation(arm, window=100):
    """Does the critic's W estimate rank an arm's checkpoints as FID does?

    Spearman's rank correlation between the estimate (its mean over the `window` generator steps
    up to each checkpoint, the record's `w_estimate_mean_{window}`) and the FID there, pooled
    over the arm's seeds and checkpoints: +1 when a larger estimate always goes with a worse
    FID, as it should for a critic that estimates the distance (Arjovsky et al. 2017, Section
    4.2 and Figure 3: the estimate correlates with sample quality); 0 when it says nothing.

    Args:
        arm: one entry of a seed record's `arms`.
        window: the averaging window the record used (100 in the course's records).

    Returns:
        (rho, points): the correlation, nan with fewer than 3 points, and the number of
        (estimate, FID) pairs pooled.
    """
    from scipy import stats

    pairs = [
        (point[f"w_estimate_mean_{window}"], point["fid"])
        for run in arm.get("seeds", {}).values()
        for point in run["checkpoints"]
    ]
    if len(pairs) < 3:
        return float("nan"), len(pairs)
    estimates, fids = np.array(pairs).T
    return float(stats.spearmanr(estimates, fids).statistic), len(pairs)


def plot_estimate_against_fid(record, window=100, columns=3):
    """Each arm's W estimate against its FID at every checkpoint, one panel per arm.

    Each seed is one colour, its checkpoints joined in training order; the panel's title gives
    `estimate_fid_correlation`. A critic whose estimate tracks the samples' quality draws its
    points along a rising line: a lower estimate, a lower FID.

    Args:
        record: a seed record (dict, as read from its JSON file); arms with no seed are left out.
        window: the W estimate's averaging window in generator steps.
        columns: panels per row.

    Returns:
        matplotlib Figure.

    Taught in notebooks/03b_lipschitz_alternatives_and_gan_baseline.ipynb (section 3).
    """
    arms = {name: arm for name, arm in record["arms"].items() if arm.get("seeds")}
    rows = -(-len(arms) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.4 * rows), squeeze=False)
    for ax, (name, arm) in zip(axes.flat, arms.items(), strict=False):
        for seed, run in sorted(arm["seeds"].items(), key=lambda item: int(item[0])):
            points = run["checkpoints"]
            ax.plot(
                [point[f"w_estimate_mean_{window}"] for point in points],
                [point["fid"] for point in points],
                "o-",
                alpha=0.7,
                label=f"seed {seed}",
            )
        rho, count = estimate_fid_correlation(arm, window)
        ax.set_title(f"{name}: Spearman ρ = {rho:+.2f} ({count} points)", fontsize=10)
        _log_fid_axis(ax)
        ax.set_xlabel(f"W estimate, mean of the last {window} steps")
        ax.set_ylabel("FID, 10,000 samples")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8, title="dots: checkpoints", title_fontsize=8)
    for ax in list(axes.flat)[len(arms) :]:
        ax.set_visible(False)
    fig.suptitle(_title(record, 110), fontsize=10)
    fig.tight_layout()
    return fig
