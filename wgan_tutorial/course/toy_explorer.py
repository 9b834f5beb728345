"""The toy explorer of notebook 05: sliders for lambda, n_critic and more over live training.

Each change trains the new setting with `toy_runs.train_toy` (cached settings come back at
once) and redraws `toy_figure`: the critic's contours with the real and generated points, the
gradient norms at interpolates and the W-estimate curve (`figures.explorers.plot_toy_explorer`).

Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
"""

import time

import numpy as np

from wgan_tutorial import data, losses, training
from wgan_tutorial.course.display import figure_png, show_png
from wgan_tutorial.course.figures.explorers import plot_toy_explorer
from wgan_tutorial.course.toy_runs import (
    TOY_CLIP_VALUES,
    TOY_DATASET_LABELS,
    TOY_GP_WEIGHTS,
    TOY_N_CRITIC_RANGE,
    cached_toy_settings,
    toy_default_steps,
    toy_setting,
    toy_steps_choices,
    train_toy,
)

__all__ = ["toy_explorer", "toy_figure", "toy_title"]


def toy_title(setting):
    """A one-line description of a toy setting, for figure titles."""
    if setting.gp_weight is not None:
        constraint = f"gradient penalty λ = {setting.gp_weight:g}"
    elif setting.clip_value is not None:
        constraint = f"weight clipping c = {setting.clip_value:g}"
    else:  # neither: the loss's own name, e.g. "spectral normalisation"
        constraint = losses.get_loss(setting.loss).description.split(" (")[0]
    return (
        f"{TOY_DATASET_LABELS[setting.dataset]}, {constraint}, "
        f"n_critic = {setting.n_critic}, {setting.steps} generator steps"
    )


def toy_figure(result):
    """The toy explorer's figure of one result (see `figures.explorers.plot_toy_explorer`).

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    return plot_toy_explorer(
        result.real,
        result.fake,
        result.axis,
        result.critic_values,
        result.norms,
        result.history["step"],
        result.history["w_estimate"],
        title=toy_title(result.setting),
    )


def toy_explorer(
    gp_weight=10.0, n_critic=5, loss="gp", clip_value=0.01, dataset="8gaussians", steps=None, seed=0
):
    """Sliders for lambda, n_critic, the loss, c, the toy set and the steps, over a live figure.

    Each change trains the new setting with `train_toy` (a progress bar shows it; cached
    settings come back at once) and redraws `toy_figure`: the critic's contours with the
    real and generated points, the gradient norms at interpolates, the W-estimate curve.
    The sliders act on release (continuous_update=False); the one the chosen loss ignores
    (c for the penalty, lambda for clipping) is greyed out. The first setting is trained
    before the function returns.

    Args:
        gp_weight: first lambda, one of `TOY_GP_WEIGHTS`.
        n_critic: first n_critic, int in [1, 10].
        loss: "gp" or "clip".
        clip_value: first c, one of `TOY_CLIP_VALUES`.
        dataset: one of `data.TOY_DATASETS`.
        steps: first step count, one of `toy_steps_choices()` (default `toy_default_steps()`).
        seed: int >= 0.

    Returns:
        ipywidgets.VBox (display it, or leave it last in a cell).

    Raises:
        ValueError: a first value not among the sliders' values.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    import ipywidgets as widgets

    steps = toy_default_steps() if steps is None else steps
    for name, value, allowed in (
        ("gp_weight", gp_weight, TOY_GP_WEIGHTS),
        ("clip_value", clip_value, TOY_CLIP_VALUES),
        ("steps", steps, toy_steps_choices()),
        ("dataset", dataset, data.TOY_DATASETS),
        ("loss", loss, training.LOSSES),
    ):
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    low, high = TOY_N_CRITIC_RANGE
    if (
        isinstance(n_critic, bool)
        or not isinstance(n_critic, (int, np.integer))
        or not low <= n_critic <= high
    ):
        raise ValueError(f"n_critic must be an integer in [{low}, {high}], got {n_critic!r}")
    wide = {"description_width": "initial"}
    controls = {
        "gp_weight": widgets.SelectionSlider(
            options=[(f"{value:g}", value) for value in TOY_GP_WEIGHTS],
            value=gp_weight,
            description="λ (gradient-penalty weight)",
            continuous_update=False,
            style=wide,
            layout=widgets.Layout(width="420px"),
        ),
        "n_critic": widgets.IntSlider(
            value=n_critic,
            min=low,
            max=high,
            description="n_critic",
            continuous_update=False,
            style=wide,
            layout=widgets.Layout(width="420px"),
        ),
        "loss": widgets.ToggleButtons(
            options=[("gradient penalty", "gp"), ("weight clipping", "clip")],
            value=loss,
            description="loss",
            style=wide,
        ),
        "clip_value": widgets.SelectionSlider(
            options=[(f"{value:g}", value) for value in TOY_CLIP_VALUES],
            value=clip_value,
            description="c (clipping, for weight clipping)",
            continuous_update=False,
            style=wide,
            layout=widgets.Layout(width="420px"),
        ),
        "dataset": widgets.Dropdown(
            options=[(TOY_DATASET_LABELS[name], name) for name in data.TOY_DATASETS],
            value=dataset,
            description="toy data",
            style=wide,
        ),
        "steps": widgets.SelectionSlider(
            options=list(toy_steps_choices()),
            value=steps,
            description="generator steps",
            continuous_update=False,
            style=wide,
            layout=widgets.Layout(width="420px"),
        ),
    }
    bar = widgets.IntProgress(
        value=0,
        min=0,
        max=1,
        description="training",
        layout=widgets.Layout(width="420px"),
        style=wide,
    )
    status = widgets.HTML()
    output = widgets.Output()
    figures = {}  # setting -> PNG bytes: a setting seen once comes back at once

    def report(done, total):
        bar.max, bar.value = total, done

    def update(change=None):
        values = {name: control.value for name, control in controls.items()}
        controls["gp_weight"].disabled = values["loss"] != "gp"
        controls["clip_value"].disabled = values["loss"] != "clip"
        setting = toy_setting(seed=seed, **values)
        cached = setting in cached_toy_settings()
        bar.bar_style = ""
        status.value = "cached" if cached else "training…"
        start = time.perf_counter()
        try:
            result = train_toy(setting, on_step=report, progress=False)
        except training.NonFiniteLossError as error:
            status.value = f"<b>{error}</b>"
            bar.bar_style = "danger"
            return
        if setting not in figures:
            figures[setting] = figure_png(toy_figure(result))
        show_png(output, figures[setting])
        bar.max = bar.value = setting.steps
        bar.bar_style = "success"
        status.value = (
            "cached result, shown in" if cached else "trained and drawn in"
        ) + f" {time.perf_counter() - start:.1f} s"

    for control in controls.values():
        control.observe(update, names="value")
    update()
    left = widgets.VBox([controls["gp_weight"], controls["n_critic"], controls["steps"]])
    right = widgets.VBox([controls["loss"], controls["clip_value"], controls["dataset"]])
    return widgets.VBox([widgets.HBox([left, right]), widgets.HBox([bar, status]), output])
