"""Small WGANs trained live on 2-D toy data, cached per setting: the toy explorer's work.

`toy_setting` (a validated, hashable `ToySetting`), `train_toy` (trains a small WGAN with
`training.train`, the course's one training loop, and caches the `ToyResult` per setting),
`critic_contour` (the critic on a grid) and `gradient_norms_at_interpolates` (the norms the
penalty of Gulrajani et al. 2017, arXiv 1704.00028, Equation 3, pushes towards 1). The sliders
over them are in `wgan_tutorial.course.toy_explorer`; plain functions, so the logic is tested
without a browser.

Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
"""

import time
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from wgan_tutorial import data, losses, models, training
from wgan_tutorial.config import check_number, import_tensorflow, pick

tf = import_tensorflow()
import keras  # noqa: E402

__all__ = [
    "TOY_BATCH_SIZE",
    "TOY_CLIP_VALUES",
    "TOY_DATASET_LABELS",
    "TOY_DEPTH",
    "TOY_GP_WEIGHTS",
    "TOY_HIDDEN",
    "TOY_LEARNING_RATE",
    "TOY_LIMIT",
    "TOY_N_CRITIC_RANGE",
    "TOY_POINTS",
    "ToyResult",
    "ToySetting",
    "cached_toy_settings",
    "clear_toy_cache",
    "critic_contour",
    "gradient_norms_at_interpolates",
    "toy_default_steps",
    "toy_setting",
    "toy_steps_choices",
    "train_toy",
]

# The slider values: lambda = 0 (no penalty), then a log scale from 0.01 to 100.
TOY_GP_WEIGHTS = (0.0, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
TOY_CLIP_VALUES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
TOY_N_CRITIC_RANGE = (1, 10)
TOY_DATASET_LABELS = {
    "8gaussians": "8 Gaussians",
    "25gaussians": "25 Gaussians",
    "swissroll": "Swiss roll",
}
# Small MLPs (2-64-64-64-{2,1}, the official gan_toy.py has 512 units) and a learning rate 20
# times the official 1e-4, so that a setting trains in a few seconds on 2 CPU cores; batch 256
# as in gan_toy.py. Measured: benchmarks/RESULTS.md, section 'Toy explorer training time'.
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


def toy_setting(
    dataset="8gaussians",
    loss="gp",
    gp_weight=10.0,
    n_critic=5,
    clip_value=0.01,
    steps=None,
    seed=0,
    hidden=TOY_HIDDEN,
    depth=TOY_DEPTH,
    batch_size=TOY_BATCH_SIZE,
    learning_rate=None,
):
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
        dataset=dataset,
        loss=loss,
        gp_weight=gp_weight,
        clip_value=clip_value,
        n_critic=check_number(n_critic, "n_critic", 1, inclusive=True, integer=True),
        steps=check_number(
            toy_default_steps() if steps is None else steps,
            "steps",
            1,
            inclusive=True,
            integer=True,
        ),
        seed=check_number(seed, "seed", 0, inclusive=True, integer=True),
        hidden=check_number(hidden, "hidden", 1, inclusive=True, integer=True),
        depth=check_number(depth, "depth", 1, inclusive=True, integer=True),
        batch_size=check_number(batch_size, "batch_size", 1, inclusive=True, integer=True),
        learning_rate=check_number(learning_rate, "learning_rate", 0, inclusive=False),
    )


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
    resolution = check_number(resolution, "resolution", 2, inclusive=True, integer=True)
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
        raise ValueError(
            f"real and fake must have the same shape (B, ...) with B >= 1, "
            f"got {real.shape} and {fake.shape}"
        )
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
        raise ValueError(
            f"setting must be a ToySetting from toy_setting(...), got {type(setting).__name__}"
        )
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
            loss=setting.loss,
            dataset=setting.dataset,
            steps=setting.steps,
            n_critic=setting.n_critic,
            seed=setting.seed,
            width=setting.hidden,
            depth=setting.depth,
            batch_size=setting.batch_size,
            learning_rate=setting.learning_rate,
            progress=progress,
            callbacks=callbacks,
            **{name: value for name, value in optional.items() if value is not None},
        )
    except training.NonFiniteLossError as error:
        _TOY_CACHE[setting] = error
        raise
    real = data.toy_samples(setting.dataset, TOY_POINTS, seed=setting.seed + 1)
    fake = models.sample(wgan.generator, TOY_POINTS, seed=setting.seed + 2)
    axis, values = critic_contour(wgan.critic)
    norms = gradient_norms_at_interpolates(wgan.critic, real, fake, seed=setting.seed + 3)
    result = ToyResult(
        setting,
        wgan.generator,
        wgan.critic,
        history,
        real,
        fake,
        axis,
        values,
        norms,
        time.perf_counter() - start,
    )
    _TOY_CACHE[setting] = result
    return result
