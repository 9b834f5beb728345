"""Figures of the course's seed records: one comparison of settings, on several seeds.

A seed record (`assets/seeds/NAME.json` in the package; the folder's README gives the format)
holds, for each arm (one setting) and each seed, the FID of 10,000 samples at every checkpoint
of one training run, and per arm a `summary` of the final FIDs: `n`, `mean`, `min`, `max` and
`interval95`, the Student-t 95 % interval of the mean. These figures draw every seed, so that
the spread between seeds is in the picture next to the difference between the arms.

Each function returns the matplotlib Figure and never calls `plt.show()`.

Taught in notebooks/03_wgan_gp_mnist.ipynb (section 3).
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
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
    ax.yaxis.set_minor_formatter(ticker.LogFormatter(labelOnlyBase=False, minor_thresholds=(2, 1)))
    ax.set_xlabel(_X_LABELS[x])
    ax.set_ylabel("FID, 10,000 samples (log scale)")
    ax.legend(title="faint: one seed each")
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
    for index, name in enumerate(names):
        arm, color = record["arms"][name], f"C{index}"
        finals = np.array([run["fid"] for run in arm.get("seeds", {}).values()], dtype=float)
        offsets = np.linspace(-0.12, 0.12, len(finals)) if len(finals) > 1 else 0.0 * finals
        ax.scatter(index + offsets, finals, color=color, alpha=0.6, s=30, zorder=3)
        summary = arm.get("summary") or {}
        if summary.get("interval95") is None:
            continue  # fewer than 2 seeds: no interval
        low, high = summary["interval95"]
        ax.errorbar(
            index + 0.3,
            summary["mean"],
            yerr=[[summary["mean"] - low], [high - summary["mean"]]],
            fmt="s",
            color=color,
            capsize=6,
            lw=2,
        )
        ax.annotate(
            f"{summary['mean']:.1f}\n[{low:.1f}, {high:.1f}]",
            (index + 0.38, summary["mean"]),
            va="center",
            fontsize=9,
        )
    ax.set_xticks(range(len(names)), names)
    ax.set_xlim(-0.5, len(names) - 0.1)
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
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(13, 4.8), gridspec_kw={"width_ratios": [1.6, 1]}
    )
    plot_seed_curves(record, ax=left, x=x)
    plot_final_fids(record, ax=right)
    fig.tight_layout()
    return fig
