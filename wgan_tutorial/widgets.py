"""The explorers of notebook 05: what lambda and n_critic do, live on toy data and on MNIST.

Every widget is a thin shell over a plain function, so the logic is tested without a browser:

- Toy explorer (live): `toy_setting` (a validated, hashable `ToySetting`), `train_toy`
  (trains a small WGAN with `training.train`, the course's one training loop, and caches the
  `ToyResult` per setting), `critic_contour` (the critic on a grid),
  `gradient_norms_at_interpolates` (the norms the penalty of Gulrajani et al. 2017, arXiv
  1704.00028, Equation 3, pushes towards 1), `toy_figure` and `toy_explorer` (the sliders).
- MNIST explorer (precomputed): `run_sweep` (the `wgan-tutorial sweep` command: one
  `training.train` run per (lambda, n_critic) cell, for a number of steps or a time
  budget; W-estimate curves, FID at a few steps or at the end with `metrics.fid_to_real`,
  a final sample grid), `load_sweep`, `sweep_cell`,
  `sweep_figure` and `mnist_explorer`. The shipped sweep is in `assets/sweep/`, with the
  command that made it in its README.md.

Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
"""
import io
import json
import math
import shlex
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from wgan_tutorial import data, losses, models, plotting, resources, training
from wgan_tutorial.config import (assets_dir, check_fraction, check_number, import_tensorflow,
                                  pick, versions)
from wgan_tutorial.defaults import SWEEP_LEARNING_RATE

tf = import_tensorflow()
import keras  # noqa: E402

# --- the toy explorer ----------------------------------------------------------------------

# The slider values: lambda = 0 (no penalty), then a log scale from 0.01 to 100.
TOY_GP_WEIGHTS = (0.0, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
TOY_CLIP_VALUES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
TOY_N_CRITIC_RANGE = (1, 10)
TOY_DATASET_LABELS = {"8gaussians": "8 Gaussians", "25gaussians": "25 Gaussians",
                      "swissroll": "Swiss roll"}
# Small MLPs (2-64-64-64-{2,1}, the official gan_toy.py has 512 units) and a learning rate 20
# times the official 1e-4, so that a setting trains in a few seconds on 2 CPU cores (measured:
# about 5 s of CPU time for 200 steps at n_critic = 5); batch 256 as in gan_toy.py.
TOY_HIDDEN, TOY_DEPTH, TOY_BATCH_SIZE = 64, 3, 256
TOY_LEARNING_RATE = 2e-3
TOY_LIMIT = 3.0  # the explorer draws [-3, 3]^2, as the official gan_toy.py
TOY_POINTS = 1000  # real and generated points drawn, and interpolates for the histogram


def toy_steps_choices():
    """The generator-step counts the explorer offers (tiny ones in fast mode)."""
    return pick((100, 200, 300, 500, 1000), (3, 5, 8))


def toy_default_steps():
    """The explorer's first step count: 200 generator steps (5 in fast mode)."""
    return pick(200, 5)


class ToySetting(NamedTuple):
    """Everything that decides a toy run: the cache key of `train_toy` (see `toy_setting`)."""

    dataset: str
    loss: str
    gp_weight: float | None  # lambda, None for loss="clip"
    clip_value: float | None  # c, None for loss="gp"
    n_critic: int
    steps: int
    seed: int
    hidden: int
    depth: int
    batch_size: int
    learning_rate: float


def toy_setting(dataset="8gaussians", loss="gp", gp_weight=10.0, n_critic=5, clip_value=0.01,
                steps=None, seed=0, hidden=TOY_HIDDEN, depth=TOY_DEPTH,
                batch_size=TOY_BATCH_SIZE, learning_rate=None):
    """A validated toy setting; a parameter the loss does not use is stored as None.

    So two settings that differ only in c while loss="gp" (or in lambda while loss="clip",
    or in either for the losses that use neither, such as "sn" and "gan") are equal, and
    share one cached result.

    Args:
        dataset: one of `data.TOY_DATASETS` ("8gaussians", "25gaussians", "swissroll").
        loss: a name of `losses.LOSSES`: "gp" (gradient penalty, Gulrajani et al. 2017,
            arXiv 1704.00028), "clip" (weight clipping, Arjovsky et al. 2017, arXiv
            1701.07875), "sn", "gan", ... (the explorer's buttons offer gp and clip).
        gp_weight: lambda, a finite number >= 0 (gp only).
        n_critic: int >= 1, critic updates per generator update.
        clip_value: c, a finite number > 0 (clip only).
        steps: int >= 1, generator steps (default `toy_default_steps()`).
        seed: int >= 0, seeds the weights, the noise and the data.
        hidden, depth: the MLPs' units per layer and hidden layers, ints >= 1.
        batch_size: int >= 1, real points per critic update.
        learning_rate: float > 0 (default `TOY_LEARNING_RATE`), for the loss's optimizer
            (`training.default_optimizers`: Adam for gp, RMSprop for clip).

    Returns:
        ToySetting (hashable).

    Raises:
        ValueError: a parameter out of range, naming it and the range.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    if dataset not in data.TOY_DATASETS:
        raise ValueError(f"dataset must be one of {data.TOY_DATASETS}, got {dataset!r}")
    if loss not in training.LOSSES:
        raise ValueError(f"loss must be one of {training.LOSSES}, got {loss!r}")
    entry = losses.get_loss(loss)
    clipped = entry.after_critic_update is losses.clip_after_update
    gp_weight = check_number(gp_weight, "gp_weight", 0, inclusive=True) if entry.penalised else None
    clip_value = check_number(clip_value, "clip_value", 0, inclusive=False) if clipped else None
    if learning_rate is None:
        learning_rate = TOY_LEARNING_RATE
    return ToySetting(
        dataset=dataset, loss=loss, gp_weight=gp_weight, clip_value=clip_value,
        n_critic=check_number(n_critic, "n_critic", 1, inclusive=True, integer=True),
        steps=check_number(toy_default_steps() if steps is None else steps, "steps", 1,
                    inclusive=True, integer=True),
        seed=check_number(seed, "seed", 0, inclusive=True, integer=True),
        hidden=check_number(hidden, "hidden", 1, inclusive=True, integer=True),
        depth=check_number(depth, "depth", 1, inclusive=True, integer=True),
        batch_size=check_number(batch_size, "batch_size", 1, inclusive=True, integer=True),
        learning_rate=check_number(learning_rate, "learning_rate", 0, inclusive=False))


@dataclass(frozen=True)
class ToyResult:
    """A trained toy setting and what the explorer draws of it.

    Attributes:
        setting: the `ToySetting`.
        generator, critic: the trained keras models ((B, 2) -> (B, 2) and (B, 2) -> (B, 1)).
        history: dict column -> array, as returned by `training.train` (per generator step:
            "step", "w_estimate", "critic_loss", "gp_grad_norm", ...).
        real, fake: float32 arrays (TOY_POINTS, 2): real points and generated ones.
        axis, critic_values: `critic_contour(critic)`: grid coordinates (R,) and f on the
            grid (R, R), rows along x2.
        norms: float32 (TOY_POINTS,), `gradient_norms_at_interpolates(critic, real, fake)`.
        seconds: wall time of the training and of these evaluations.
    """

    setting: ToySetting
    generator: keras.Model
    critic: keras.Model
    history: dict
    real: np.ndarray
    fake: np.ndarray
    axis: np.ndarray
    critic_values: np.ndarray
    norms: np.ndarray
    seconds: float


# setting -> ToyResult, or the NonFiniteLossError the setting raised (raised again).
_TOY_CACHE = {}


def clear_toy_cache():
    """Forget every trained toy setting (the next `train_toy` call trains again)."""
    _TOY_CACHE.clear()


def cached_toy_settings():
    """The settings `train_toy` holds results for, in the order they were trained."""
    return list(_TOY_CACHE)


class _StepReporter(keras.callbacks.Callback):
    """Call `on_step(done, total)` about 50 times over a run (and at its last step)."""

    def __init__(self, on_step, total):
        super().__init__()
        self.on_step, self.total = on_step, total
        self.every = max(1, total // 50)

    def on_train_batch_end(self, batch, logs=None):
        step = self.model.step
        if step % self.every == 0 or step == self.total:
            self.on_step(step, self.total)


def critic_contour(critic, limit=TOY_LIMIT, resolution=101):
    """The critic's values on a square grid, for a contour plot.

    Args:
        critic: keras model mapping float32 (B, 2) to (B, 1).
        limit: float > 0, the grid covers [-limit, limit]^2.
        resolution: int >= 2, grid points per axis.

    Returns:
        (axis, values): axis float32 (resolution,) from -limit to limit; values float32
        (resolution, resolution) with values[i, j] = f(axis[j], axis[i]) (rows along x2, as
        `matplotlib.pyplot.contourf(axis, axis, values)` expects).

    Raises:
        ValueError: limit or resolution out of range.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    limit = check_number(limit, "limit", 0, inclusive=False)
    resolution = check_number(resolution, "resolution", 2, inclusive=True,
                                        integer=True)
    axis = np.linspace(-limit, limit, resolution, dtype=np.float32)
    x1, x2 = np.meshgrid(axis, axis)
    points = np.stack([x1.ravel(), x2.ravel()], axis=1)
    values = keras.ops.convert_to_numpy(critic(points, training=False))
    return axis, values.reshape(resolution, resolution)


def gradient_norms_at_interpolates(critic, real, fake, seed=0):
    """||grad f(x_hat)|| at random points x_hat between real and generated samples.

    The points and the norms of the gradient penalty (Gulrajani et al. 2017, arXiv
    1704.00028, Algorithm 1 lines 4-6 and Equation 3): eps ~ U[0, 1] per sample,
    x_hat = eps x + (1 - eps) x~ (`losses.interpolate`), norms by
    `losses.critic_gradient_norms`. A 1-Lipschitz optimal critic has norm 1 there.

    Args:
        critic: keras model mapping (B, ...) to (B, 1).
        real, fake: float arrays of the same shape (B, ...), B >= 1.
        seed: int >= 0, seeds the weights eps (numpy), so the result is repeatable.

    Returns:
        float32 numpy array (B,) of norms (> 0).

    Raises:
        ValueError: real and fake differ in shape or are empty.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    real = np.asarray(real, dtype=np.float32)
    fake = np.asarray(fake, dtype=np.float32)
    if real.shape != fake.shape or real.ndim < 2 or real.shape[0] == 0:
        raise ValueError(f"real and fake must have the same shape (B, ...) with B >= 1, "
                         f"got {real.shape} and {fake.shape}")
    eps = np.random.default_rng(seed).random(real.shape[0]).astype(np.float32)
    x_hat, _ = losses.interpolate(real, fake, eps=eps)
    return keras.ops.convert_to_numpy(losses.critic_gradient_norms(critic, x_hat))


def train_toy(setting, on_step=None, progress=True):
    """Train (or fetch from the cache) a small WGAN on a 2-D toy set: the toy explorer's work.

    Runs `training.train` (the `WGAN` model and train_step of the whole course: Algorithm 1
    of Arjovsky et al. 2017, arXiv 1701.07875, for loss="clip", of Gulrajani et al. 2017,
    arXiv 1704.00028, for loss="gp") with the setting's hyper-parameters, then evaluates the
    critic on a grid and its gradient norms at interpolates. Results are kept in memory
    per setting: a second call with an equal setting returns the same object at once.

    Args:
        setting: a `ToySetting` from `toy_setting(...)`.
        on_step: optional callable (steps_done, steps_total), called about 50 times while
            training (the explorer's progress bar).
        progress: show training's tqdm progress bar.

    Returns:
        ToyResult.

    Raises:
        ValueError: setting is not a `ToySetting` (build it with `toy_setting`).
        training.NonFiniteLossError: a loss became NaN or infinite (also cached: the same
            setting raises it again without training).

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    if not isinstance(setting, ToySetting):
        raise ValueError(f"setting must be a ToySetting from toy_setting(...), "
                         f"got {type(setting).__name__}")
    if setting in _TOY_CACHE:
        cached = _TOY_CACHE[setting]
        if isinstance(cached, Exception):
            raise cached
        return cached
    start = time.perf_counter()
    callbacks = [] if on_step is None else [_StepReporter(on_step, setting.steps)]
    optional = {"gp_weight": setting.gp_weight, "clip_value": setting.clip_value}
    try:
        wgan, history = training.train(
            loss=setting.loss, dataset=setting.dataset, steps=setting.steps,
            n_critic=setting.n_critic, seed=setting.seed, width=setting.hidden,
            depth=setting.depth, batch_size=setting.batch_size,
            learning_rate=setting.learning_rate, progress=progress, callbacks=callbacks,
            **{name: value for name, value in optional.items() if value is not None})
    except training.NonFiniteLossError as error:
        _TOY_CACHE[setting] = error
        raise
    real = data.toy_samples(setting.dataset, TOY_POINTS, seed=setting.seed + 1)
    fake = models.sample(wgan.generator, TOY_POINTS, seed=setting.seed + 2)
    axis, values = critic_contour(wgan.critic)
    norms = gradient_norms_at_interpolates(wgan.critic, real, fake, seed=setting.seed + 3)
    result = ToyResult(setting, wgan.generator, wgan.critic, history, real, fake, axis, values,
                       norms, time.perf_counter() - start)
    _TOY_CACHE[setting] = result
    return result


def toy_title(setting):
    """A one-line description of a toy setting, for figure titles."""
    if setting.gp_weight is not None:
        constraint = f"gradient penalty λ = {setting.gp_weight:g}"
    elif setting.clip_value is not None:
        constraint = f"weight clipping c = {setting.clip_value:g}"
    else:  # neither: the loss's own name, e.g. "spectral normalisation"
        constraint = losses.get_loss(setting.loss).description.split(" (")[0]
    return (f"{TOY_DATASET_LABELS[setting.dataset]}, {constraint}, "
            f"n_critic = {setting.n_critic}, {setting.steps} generator steps")


def toy_figure(result):
    """The toy explorer's figure of one result (see `plotting.plot_toy_explorer`).

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    return plotting.plot_toy_explorer(
        result.real, result.fake, result.axis, result.critic_values, result.norms,
        result.history["step"], result.history["w_estimate"], title=toy_title(result.setting))


def _figure_png(figure, dpi=80):
    """A figure as PNG bytes; the figure is closed."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    plotting.plt.close(figure)
    return buffer.getvalue()


def _show_png(output, png):
    """Replace what an ipywidgets Output shows by a PNG image."""
    from IPython.display import Image, display

    output.clear_output(wait=True)
    with output:
        display(Image(png))


def toy_explorer(gp_weight=10.0, n_critic=5, loss="gp", clip_value=0.01, dataset="8gaussians",
                 steps=None, seed=0):
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
    for name, value, allowed in (("gp_weight", gp_weight, TOY_GP_WEIGHTS),
                                 ("clip_value", clip_value, TOY_CLIP_VALUES),
                                 ("steps", steps, toy_steps_choices()),
                                 ("dataset", dataset, data.TOY_DATASETS),
                                 ("loss", loss, training.LOSSES)):
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    low, high = TOY_N_CRITIC_RANGE
    if isinstance(n_critic, bool) or not isinstance(n_critic, (int, np.integer)) \
            or not low <= n_critic <= high:
        raise ValueError(f"n_critic must be an integer in [{low}, {high}], got {n_critic!r}")
    wide = {"description_width": "initial"}
    controls = {
        "gp_weight": widgets.SelectionSlider(
            options=[(f"{value:g}", value) for value in TOY_GP_WEIGHTS], value=gp_weight,
            description="λ (gradient-penalty weight)", continuous_update=False, style=wide,
            layout=widgets.Layout(width="420px")),
        "n_critic": widgets.IntSlider(
            value=n_critic, min=low, max=high, description="n_critic", continuous_update=False,
            style=wide, layout=widgets.Layout(width="420px")),
        "loss": widgets.ToggleButtons(
            options=[("gradient penalty", "gp"), ("weight clipping", "clip")], value=loss,
            description="loss", style=wide),
        "clip_value": widgets.SelectionSlider(
            options=[(f"{value:g}", value) for value in TOY_CLIP_VALUES], value=clip_value,
            description="c (clipping, for weight clipping)", continuous_update=False,
            style=wide, layout=widgets.Layout(width="420px")),
        "dataset": widgets.Dropdown(
            options=[(TOY_DATASET_LABELS[name], name) for name in data.TOY_DATASETS],
            value=dataset, description="toy data", style=wide),
        "steps": widgets.SelectionSlider(
            options=list(toy_steps_choices()), value=steps, description="generator steps",
            continuous_update=False, style=wide, layout=widgets.Layout(width="420px")),
    }
    bar = widgets.IntProgress(value=0, min=0, max=1, description="training",
                              layout=widgets.Layout(width="420px"), style=wide)
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
        cached = setting in _TOY_CACHE
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
            figures[setting] = _figure_png(toy_figure(result))
        _show_png(output, figures[setting])
        bar.max = bar.value = setting.steps
        bar.bar_style = "success"
        status.value = ("cached result, shown in" if cached else "trained and drawn in") + \
            f" {time.perf_counter() - start:.1f} s"

    for control in controls.values():
        control.observe(update, names="value")
    update()
    left = widgets.VBox([controls["gp_weight"], controls["n_critic"], controls["steps"]])
    right = widgets.VBox([controls["loss"], controls["clip_value"], controls["dataset"]])
    return widgets.VBox([widgets.HBox([left, right]), widgets.HBox([bar, status]), output])


# --- the MNIST sweep ------------------------------------------------------------------------

SWEEP_GP_WEIGHTS = (0.0, 0.1, 1.0, 10.0, 100.0)
SWEEP_N_CRITICS = (1, 2, 5, 10)
SWEEP_FILE = "sweep.json"
SWEEP_CURVES = ("w_estimate", "gp_grad_norm", "critic_loss", "generator_loss")
SWEEP_GRID_SIZE = 64  # digits in each cell's final sample grid (8 x 8)
SWEEP_CURVE_POINTS = 500  # at most this many points per stored curve (a small sweep.json)
SWEEP_CRITIC_LR_SCALE = 1.0  # one rate for critic and generator, as in the paper (see run_sweep)
SWEEP_GENERATOR_NORM = "none"  # the generator of the shipped sweep (see run_sweep)


def sweep_dir():
    """The folder of the shipped sweep (`wgan_tutorial/assets/sweep`)."""
    return assets_dir() / "sweep"


def samples_file_name(gp_weight, n_critic):
    """The PNG file name of a sweep cell's sample grid, e.g. samples_lambda10_ncritic5.png."""
    return f"samples_lambda{gp_weight:g}_ncritic{n_critic}.png"


def _save_grey_grid(images, path):
    """Write images as one 8-bit greyscale grid PNG, ink dark on white (a quarter of the
    size of `plotting.save_image_grid`'s RGBA file: the shipped sweep stays small)."""
    from PIL import Image

    pixels = np.rint((1.0 - plotting.image_grid(images)) * 255.0).astype(np.uint8)
    Image.fromarray(pixels, mode="L").save(path, optimize=True)


def _rounded(values, digits=5):
    """Floats rounded to `digits` significant digits for a small JSON (NaN -> None)."""
    return [None if not math.isfinite(v) else float(f"{v:.{digits}g}") for v in map(float, values)]


class _FidProbe(keras.callbacks.Callback):
    """FID of `n` generated digits against MNIST at the given generator steps and at the end."""

    def __init__(self, at_steps, n, seed, data_path, progress=None):
        super().__init__()
        self.at_steps, self.n, self.seed, self.data_path = set(at_steps), n, seed, data_path
        self.progress = progress
        self.steps, self.values = [], []

    def _probe(self):
        from wgan_tutorial import metrics

        step = self.model.step
        if self.steps and self.steps[-1] == step:
            return
        images = models.sample(self.model.sampler, self.n, seed=self.seed)
        try:
            value = metrics.fid_to_real(images, split="test", path=self.data_path,
                                        value_range="[-1,1]", progress=self.progress)
        except ValueError:  # NaN outputs of a diverged generator have no FID
            value = float("nan")
        self.steps.append(step)
        self.values.append(value)

    def on_train_batch_end(self, batch, logs=None):
        if training._healthy(self.model) and self.model.step in self.at_steps:
            self._probe()

    def on_train_end(self, logs=None):
        if training._healthy(self.model):
            self._probe()


def fid_available():
    """Whether the classifier weights that FID needs are installed (see `metrics`)."""
    from wgan_tutorial import metrics

    return metrics.classifier_weights_path().is_file()


def _classifier_hash():
    from wgan_tutorial import metrics

    return metrics.classifier_weights_hash()


def sweep_command(out, gp_weights, n_critics, steps, max_seconds, width, batch_size,
                  learning_rate, ema, seed, fid_points, fid_samples, data_path):
    """The `wgan-tutorial sweep` command line that `run_sweep` with these arguments runs."""
    command = ["wgan-tutorial", "sweep", "--gp-weights", ",".join(f"{v:g}" for v in gp_weights),
               "--n-critics", ",".join(str(k) for k in n_critics)]
    if steps is not None:
        command += ["--steps", str(steps)]
    if max_seconds is not None:
        command += ["--max-seconds", f"{max_seconds:g}"]
    command += ["--width", str(width), "--batch-size", str(batch_size),
                "--learning-rate", f"{learning_rate:g}", "--ema", f"{ema:g}", "--seed", str(seed),
                "--fid-points", str(fid_points), "--fid-samples", str(fid_samples)]
    if data_path:
        command += ["--data-path", str(data_path)]
    return shlex.join(command + ["--out", str(out)])


def run_sweep(out, gp_weights=SWEEP_GP_WEIGHTS, n_critics=SWEEP_N_CRITICS, steps=None,
              max_seconds=None, width=None, batch_size=None, learning_rate=None, ema=None,
              seed=0, fid_points=4, fid_samples=None, data_path=None, progress=True, overwrite=False,
              log=print):
    """Train WGAN-GP on MNIST for every (lambda, n_critic) pair; write sweep.json and PNGs.

    Each cell is one `training.train` run (loss="gp": Gulrajani et al. 2017, arXiv
    1704.00028, Algorithm 1 with Adam(beta = (0.5, 0.9)), at `train`'s width, batch size,
    learning rate and moving average for gp on MNIST unless given, and one learning rate for
    critic and generator, as in the paper, so that cells differ by lambda and n_critic
    alone: `train`'s doubled critic rate was measured for n_critic = 1 only; and the generator
    without batch norm that the shipped sweep was run with), from the same seed,
    for `steps` generator steps, or until `max_seconds` (with max_seconds alone, every cell
    gets the same wall time and as many steps as fit). Recorded per cell: the curves
    `SWEEP_CURVES` (every step, or every k-th step so that at most `SWEEP_CURVE_POINTS`
    remain, with their "step" list), the FID of `fid_samples` digits (from the moving
    average when kept) against the MNIST test set (`metrics.fid_to_real`) at `fid_points`
    evenly spaced steps, or at the end only for a run bounded by time alone (left out
    when the classifier weights are missing), and a final 8 x 8 sample grid PNG.
    `out/sweep.json` is rewritten after every cell.

    Args:
        out: folder for sweep.json and the PNGs (created).
        gp_weights: lambdas, finite numbers >= 0, no repeats.
        n_critics: ints >= 1, no repeats.
        steps: int >= 1, generator steps per cell (default 500, 3 in fast mode; no step
            limit when only max_seconds is given).
        max_seconds: float > 0, wall-time cap per cell, or None.
        width: MNIST model width (default `models.default_width()`).
        batch_size: int >= 1; learning_rate: Adam's rate, float > 0; ema: float in [0, 1)
            (defaults: those of `training.default_config("gp", "mnist")`, but the learning
            rate `SWEEP_LEARNING_RATE`, the shipped sweep's, as its generator has no batch norm).
        seed: int >= 0.
        fid_points: int >= 0, FID evaluations per cell (0: none).
        fid_samples: int >= 2, generated digits per FID (default 1000, 100 in fast mode).
        data_path: an MNIST file (see `data.load_mnist`).
        progress: show a tqdm progress bar for each cell.
        overwrite: replace an existing `out/sweep.json` (else refused).
        log: callable printing one line.

    Returns:
        The sweep dict written to sweep.json (see `load_sweep`).

    Raises:
        ValueError: a parameter out of range (naming it); `out` not writable, or holding a
            sweep.json and overwrite is False.
        training.NonFiniteLossError is not raised: a diverged cell is recorded with its
            "diverged_at" step and the sweep goes on.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    gp_weights = [check_number(v, "gp_weights", 0, inclusive=True) for v in gp_weights]
    n_critics = [check_number(k, "n_critics", 1, inclusive=True, integer=True) for k in n_critics]
    for name, values in (("gp_weights", gp_weights), ("n_critics", n_critics)):
        if not values or len(set(values)) != len(values):
            raise ValueError(f"{name} must be a non-empty list without repeats, got {values}")
    if max_seconds is not None:
        max_seconds = check_number(max_seconds, "max_seconds", 0, inclusive=False)
    if steps is not None or max_seconds is None:
        steps = check_number(pick(500, 3) if steps is None else steps, "steps", 1,
                             inclusive=True, integer=True)
    width = check_number(models.default_width() if width is None else width, "width", 1,
                  inclusive=True, integer=True)
    defaults = training.default_config("gp", "mnist")
    batch_size = check_number(defaults["batch_size"] if batch_size is None else batch_size,
                              "batch_size", 1, inclusive=True, integer=True)
    learning_rate = check_number(SWEEP_LEARNING_RATE if learning_rate is None else learning_rate,
                          "learning_rate", 0, inclusive=False)
    ema = check_fraction(defaults["ema"] if ema is None else ema, "ema")
    seed = check_number(seed, "seed", 0, inclusive=True, integer=True)
    fid_points = check_number(fid_points, "fid_points", 0, inclusive=True, integer=True)
    fid_samples = check_number(pick(1000, 100) if fid_samples is None else fid_samples, "fid_samples",
                        2, inclusive=True, integer=True)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"out must be a folder, got the file {out}")
    resources.output_path(out / SWEEP_FILE, "out", overwrite)

    command = sweep_command(out, gp_weights, n_critics, steps, max_seconds, width, batch_size,
                            learning_rate, ema, seed, fid_points, fid_samples, data_path)
    log(f"$ {command}")
    log(" | ".join(f"{name} {version}" for name, version in versions().items()))
    description, source = data.mnist_source(data_path)
    log(f"MNIST source: {description}" + (f" ({source})" if source else ""))
    with_fid = fid_points > 0 and fid_available()
    if fid_points > 0 and not with_fid:
        log("FID left out: the classifier weights are missing (wgan-tutorial train-classifier)")
    fid_steps = sorted({max(1, round(steps * (i + 1) / fid_points)) for i in range(fid_points)}) \
        if with_fid and steps is not None else []  # a run bounded by time: at its end only
    sweep = {
        "command": command, "versions": versions(), "mnist_source": description,
        "settings": {"dataset": "mnist", "loss": "gp", "steps": steps, "max_seconds": max_seconds,
                     "width": width, "batch_size": batch_size,
                     "learning_rate": learning_rate, "critic_lr_scale": SWEEP_CRITIC_LR_SCALE,
                     "generator_norm": SWEEP_GENERATOR_NORM,
                     "beta_1": defaults["beta_1"], "ema": ema,
                     "noise_dim": defaults["noise_dim"], "seed": seed,
                     "fid_samples": fid_samples if with_fid else None,
                     "fid_reference": "MNIST test split" if with_fid else None,
                     "fid_classifier_sha256": _classifier_hash() if with_fid else None},
        "gp_weights": gp_weights, "n_critics": n_critics, "cells": [],
    }
    total_start = time.perf_counter()
    cells = [(v, k) for v in gp_weights for k in n_critics]
    for index, (gp_weight, n_critic) in enumerate(cells, 1):
        logger = training.MetricsLogger()
        run_callbacks = [logger]
        probe = None
        if with_fid:
            probe = _FidProbe(fid_steps, fid_samples, seed + 1, data_path,
                              progress=None if progress else False)
            run_callbacks.append(probe)
        start = time.perf_counter()
        diverged_at = None
        try:
            wgan, _ = training.train(loss="gp", dataset="mnist", steps=steps, n_critic=n_critic,
                                     gp_weight=gp_weight, width=width, batch_size=batch_size,
                                     learning_rate=learning_rate,
                                     critic_lr_scale=SWEEP_CRITIC_LR_SCALE,
                                     generator_norm=SWEEP_GENERATOR_NORM, seed=seed, ema=ema,
                                     max_seconds=max_seconds, data_path=data_path,
                                     progress=progress, callbacks=run_callbacks)
        except training.NonFiniteLossError as error:
            diverged_at = error.step
            wgan = None
        seconds = time.perf_counter() - start
        history = training._columns(logger.rows)
        samples = samples_file_name(gp_weight, n_critic)
        if wgan is not None:
            grid = models.sample(wgan.sampler, SWEEP_GRID_SIZE, seed=seed + 2)
        else:  # a diverged generator draws NaN: an empty (white) grid
            grid = np.full((SWEEP_GRID_SIZE, 28, 28), -1.0, dtype=np.float32)
        _save_grey_grid(grid, out / samples)
        cell = {"gp_weight": gp_weight, "n_critic": n_critic,
                "steps": int(history["step"][-1]) if len(history["step"]) else 0,
                "seconds": round(seconds, 1), "diverged_at": diverged_at, "samples": samples,
                "curves": _thinned_curves(history),
                "fid": {"step": probe.steps if probe else [],
                        "value": _rounded(probe.values) if probe else []}}
        sweep["cells"].append(cell)
        (out / SWEEP_FILE).write_text(json.dumps(sweep, separators=(",", ":")) + "\n")
        log(f"[{index}/{len(cells)}] {_cell_summary(cell)}")
    size = sum(path.stat().st_size for path in out.iterdir() if path.is_file())
    log(f"wrote {out / SWEEP_FILE} and {len(cells)} sample grids ({size / 1e6:.2f} MB in {out}) "
        f"in {(time.perf_counter() - total_start) / 60:.1f} min")
    return sweep


def _thinned_curves(history):
    """The `SWEEP_CURVES` of a run's history, every k-th step so that at most
    `SWEEP_CURVE_POINTS` remain (the last step always kept), with their "step" list."""
    count = len(history["step"])
    stride = max(1, math.ceil(count / SWEEP_CURVE_POINTS))
    keep = np.unique(np.r_[np.arange(0, count, stride), count - 1]) if count else []
    curves = {name: _rounded(np.asarray(history[name])[keep]) for name in SWEEP_CURVES}
    curves["step"] = [int(step) for step in np.asarray(history["step"])[keep]]
    return curves


def _last_finite(values):
    finite = [v for v in values if v is not None and math.isfinite(v)]
    return finite[-1] if finite else float("nan")


def _cell_summary(cell):
    """One line about a sweep cell: steps, time, final W estimate, gradient norm, FID."""
    curves = cell["curves"]
    text = (f"λ = {cell['gp_weight']:g}, n_critic = {cell['n_critic']}: {cell['steps']} steps "
            f"in {cell['seconds']:.0f} s, W estimate {_last_finite(curves['w_estimate']):.4g}, "
            f"gradient norm at interpolates {_last_finite(curves['gp_grad_norm']):.4g}")
    if cell["fid"]["value"]:
        text += f", FID {_last_finite(cell['fid']['value']):.2f}"
    if cell["diverged_at"] is not None:
        text += f", diverged at step {cell['diverged_at']}"
    return text


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
        raise ValueError(f"sweep file {file} is missing or unreadable: "
                         f"{training.error_summary(error)}") from None
    keys = ("command", "settings", "gp_weights", "n_critics", "cells")
    if not isinstance(sweep, dict) or any(key not in sweep for key in keys):
        raise ValueError(f"sweep file {file} must hold a dict with the keys {keys}")
    expected = {(float(v), int(k)) for v in sweep["gp_weights"] for k in sweep["n_critics"]}
    found = [(float(c["gp_weight"]), int(c["n_critic"])) for c in sweep["cells"]]
    if len(found) != len(set(found)) or set(found) != expected:
        missing = sorted(expected - set(found))
        raise ValueError(f"sweep file {file} must hold each (lambda, n_critic) pair of the grid "
                         f"once; missing {missing}, found {len(found)} cells for "
                         f"{len(expected)} pairs")
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
    for name, value, allowed in (("gp_weight", gp_weight, sweep["gp_weights"]),
                                 ("n_critic", n_critic, sweep["n_critics"])):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or value not in allowed:
            raise ValueError(f"{name} must be one of the sweep's {allowed}, got {value!r}")
    cell = next(c for c in sweep["cells"]
                if c["gp_weight"] == gp_weight and c["n_critic"] == n_critic)
    curves = {name: np.array([np.nan if v is None else v for v in cell["curves"][name]],
                             dtype=np.float64) for name in SWEEP_CURVES}
    curves["step"] = np.asarray(cell["curves"]["step"], dtype=np.int64) \
        if "step" in cell["curves"] else np.arange(1, len(curves["w_estimate"]) + 1)
    image = plotting.plt.imread(str(Path(sweep["folder"]) / cell["samples"]))
    return SweepCell(
        gp_weight=float(cell["gp_weight"]), n_critic=int(cell["n_critic"]),
        steps=int(cell["steps"]), seconds=float(cell["seconds"]),
        diverged_at=cell["diverged_at"], curves=curves,
        fid_steps=np.asarray(cell["fid"]["step"], dtype=np.int64),
        fid_values=np.array([np.nan if v is None else v for v in cell["fid"]["value"]],
                            dtype=np.float64),
        samples=image[..., 0] if image.ndim == 3 else image)


def sweep_figure(cell, sweep=None):
    """The MNIST explorer's figure of one sweep cell (see `plotting.plot_sweep_cell`).

    Args:
        cell: a `SweepCell`.
        sweep: the sweep dict it comes from (for the y-limits shared by all cells), or None.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    title = (f"MNIST, WGAN-GP with λ = {cell.gp_weight:g}, n_critic = {cell.n_critic}: "
             f"{cell.steps} generator steps in {cell.seconds:.0f} s")
    if cell.diverged_at is not None:
        title += f" (diverged at step {cell.diverged_at})"
    return plotting.plot_sweep_cell(
        cell.samples, cell.curves["step"], cell.curves["w_estimate"], cell.curves["gp_grad_norm"],
        cell.fid_steps, cell.fid_values, title=title, limits=_sweep_limits(sweep))


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
        description="λ (gradient-penalty weight)", continuous_update=False, style=wide,
        layout=widgets.Layout(width="420px"))
    n_critic = widgets.SelectionSlider(
        options=[(str(k), k) for k in sweep["n_critics"]],
        value=course_n_critic if course_n_critic in sweep["n_critics"] else sweep["n_critics"][0],
        description="n_critic", continuous_update=False, style=wide,
        layout=widgets.Layout(width="420px"))
    output = widgets.Output()
    figures = {}  # (lambda, n_critic) -> PNG bytes: a cell seen once comes back at once

    def update(change=None):
        key = (gp_weight.value, n_critic.value)
        if key not in figures:
            figures[key] = _figure_png(sweep_figure(sweep_cell(*key, sweep=sweep), sweep))
        _show_png(output, figures[key])

    gp_weight.observe(update, names="value")
    n_critic.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox([gp_weight, n_critic]), output])
