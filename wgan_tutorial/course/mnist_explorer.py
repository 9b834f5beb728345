"""The MNIST explorer of notebook 05: sliders over a precomputed lambda x n_critic sweep.

`load_sweep` reads a sweep that `wgan-tutorial sweep` wrote (`wgan_tutorial.course.sweep`,
the shipped one by default) and checks it; `sweep_cell` gives one recorded (lambda, n_critic)
cell; `sweep_figure` draws it (final samples, W estimate, gradient norm at the interpolates and
FID along training) on axes shared by the whole sweep; `mnist_explorer` puts sliders for lambda
and n_critic over it.

Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from wgan_tutorial import training
from wgan_tutorial.config import error_summary
from wgan_tutorial.course.display import figure_png, show_png
from wgan_tutorial.course.figures.explorers import plot_sweep_cell
from wgan_tutorial.course.sweep import SWEEP_CURVES, SWEEP_FILE, sweep_dir

__all__ = [
    "SweepCell",
    "load_sweep",
    "mnist_explorer",
    "sweep_cell",
    "sweep_figure",
]


def load_sweep(path=None):
    """Read a sweep written by `wgan-tutorial sweep` (default: the shipped one) and check it.

    Args:
        path: a sweep folder or its sweep.json (default `sweep_dir()`).

    Returns:
        dict with "command", "versions", "settings", "gp_weights", "n_critics", "cells"
        (one per pair: "gp_weight", "n_critic", "steps", "seconds", "diverged_at",
        "samples", "curves" {name: list}, "fid" {"step": list, "value": list}) and "folder"
        (the folder holding the PNGs).

    Raises:
        ValueError: missing or unreadable file, or cells not covering the grid exactly once.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    path = sweep_dir() if path is None else Path(path)
    file = path / SWEEP_FILE if path.is_dir() else path
    try:
        sweep = json.loads(file.read_text())
    except (OSError, ValueError) as error:
        raise ValueError(
            f"sweep file {file} is missing or unreadable: {error_summary(error)}"
        ) from None
    keys = ("command", "settings", "gp_weights", "n_critics", "cells")
    if not isinstance(sweep, dict) or any(key not in sweep for key in keys):
        raise ValueError(f"sweep file {file} must hold a dict with the keys {keys}")
    expected = {(float(v), int(k)) for v in sweep["gp_weights"] for k in sweep["n_critics"]}
    found = [(float(c["gp_weight"]), int(c["n_critic"])) for c in sweep["cells"]]
    if len(found) != len(set(found)) or set(found) != expected:
        missing = sorted(expected - set(found))
        raise ValueError(
            f"sweep file {file} must hold each (lambda, n_critic) pair of the grid "
            f"once; missing {missing}, found {len(found)} cells for "
            f"{len(expected)} pairs"
        )
    sweep["folder"] = str(file.parent)
    return sweep


@dataclass(frozen=True)
class SweepCell:
    """One cell of the MNIST sweep, ready to draw (see `sweep_cell`)."""

    gp_weight: float
    n_critic: int
    steps: int
    seconds: float
    diverged_at: int | None
    curves: dict  # name -> float array at the steps of "step" (NaN where not finite)
    fid_steps: np.ndarray
    fid_values: np.ndarray
    samples: np.ndarray  # the sample grid as a float array (H, W) in [0, 1], ink dark


def sweep_cell(gp_weight, n_critic, sweep=None):
    """The recorded results of one (lambda, n_critic) pair of a sweep.

    Args:
        gp_weight: lambda, one of the sweep's "gp_weights".
        n_critic: one of the sweep's "n_critics".
        sweep: a dict from `load_sweep` (default: the shipped sweep).

    Returns:
        SweepCell.

    Raises:
        ValueError: a value not in the sweep's grid (naming the allowed values).

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    sweep = load_sweep() if sweep is None else sweep
    for name, value, allowed in (
        ("gp_weight", gp_weight, sweep["gp_weights"]),
        ("n_critic", n_critic, sweep["n_critics"]),
    ):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float, np.integer, np.floating))
            or value not in allowed
        ):
            raise ValueError(f"{name} must be one of the sweep's {allowed}, got {value!r}")
    cell = next(
        c for c in sweep["cells"] if c["gp_weight"] == gp_weight and c["n_critic"] == n_critic
    )
    curves = {
        name: np.array([np.nan if v is None else v for v in cell["curves"][name]], dtype=np.float64)
        for name in SWEEP_CURVES
    }
    curves["step"] = (
        np.asarray(cell["curves"]["step"], dtype=np.int64)
        if "step" in cell["curves"]
        else np.arange(1, len(curves["w_estimate"]) + 1)
    )
    image = plt.imread(str(Path(sweep["folder"]) / cell["samples"]))
    return SweepCell(
        gp_weight=float(cell["gp_weight"]),
        n_critic=int(cell["n_critic"]),
        steps=int(cell["steps"]),
        seconds=float(cell["seconds"]),
        diverged_at=cell["diverged_at"],
        curves=curves,
        fid_steps=np.asarray(cell["fid"]["step"], dtype=np.int64),
        fid_values=np.array(
            [np.nan if v is None else v for v in cell["fid"]["value"]], dtype=np.float64
        ),
        samples=image[..., 0] if image.ndim == 3 else image,
    )


def sweep_figure(cell, sweep=None):
    """The MNIST explorer's figure of one sweep cell (see `figures.explorers.plot_sweep_cell`).

    Args:
        cell: a `SweepCell`.
        sweep: the sweep dict it comes from (for the y-limits shared by all cells), or None.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    title = (
        f"MNIST, WGAN-GP with λ = {cell.gp_weight:g}, n_critic = {cell.n_critic}: "
        f"{cell.steps} generator steps in {cell.seconds:.0f} s"
    )
    if cell.diverged_at is not None:
        title += f" (diverged at step {cell.diverged_at})"
    return plot_sweep_cell(
        cell.samples,
        cell.curves["step"],
        cell.curves["w_estimate"],
        cell.curves["gp_grad_norm"],
        cell.fid_steps,
        cell.fid_values,
        title=title,
        limits=_sweep_limits(sweep),
    )


def _sweep_limits(sweep):
    """Axis limits shared by every cell of a sweep, so that moving a slider compares like
    with like: {"w_estimate": (low, high), "gp_grad_norm": (low, high), "fid": (low, high)}."""
    if sweep is None:
        return None
    limits = {}
    for name in ("w_estimate", "gp_grad_norm"):
        values = [v for cell in sweep["cells"] for v in cell["curves"][name] if v is not None]
        if values:
            limits[name] = (min(values), max(values))
    fids = [v for cell in sweep["cells"] for v in cell["fid"]["value"] if v is not None]
    if fids:
        limits["fid"] = (0.0, max(fids))
    return limits


def mnist_explorer(sweep=None):
    """Sliders for lambda and n_critic over the precomputed MNIST sweep: any cell at once.

    Shows `sweep_figure` of the chosen cell: its final samples, W-estimate curve, gradient
    norm at the interpolates and FID along training. Starts at lambda = 10 and the course's
    n_critic for MNIST (`training.default_config("gp", "mnist")`).

    Args:
        sweep: a dict from `load_sweep` (default: the shipped sweep).

    Returns:
        ipywidgets.VBox.

    Raises:
        ValueError: from `load_sweep`.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    import ipywidgets as widgets

    sweep = load_sweep() if sweep is None else sweep
    course_n_critic = training.default_config("gp", "mnist")["n_critic"]  # the first view
    wide = {"description_width": "initial"}
    gp_weight = widgets.SelectionSlider(
        options=[(f"{v:g}", v) for v in sweep["gp_weights"]],
        value=10.0 if 10.0 in sweep["gp_weights"] else sweep["gp_weights"][0],
        description="λ (gradient-penalty weight)",
        continuous_update=False,
        style=wide,
        layout=widgets.Layout(width="420px"),
    )
    n_critic = widgets.SelectionSlider(
        options=[(str(k), k) for k in sweep["n_critics"]],
        value=course_n_critic if course_n_critic in sweep["n_critics"] else sweep["n_critics"][0],
        description="n_critic",
        continuous_update=False,
        style=wide,
        layout=widgets.Layout(width="420px"),
    )
    output = widgets.Output()
    figures = {}  # (lambda, n_critic) -> PNG bytes: a cell seen once comes back at once

    def update(change=None):
        key = (gp_weight.value, n_critic.value)
        if key not in figures:
            figures[key] = figure_png(sweep_figure(sweep_cell(*key, sweep=sweep), sweep))
        show_png(output, figures[key])

    gp_weight.observe(update, names="value")
    n_critic.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox([gp_weight, n_critic]), output])
