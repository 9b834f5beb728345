"""Check a training step written by the student against `training.WGAN.train_step`.

The exercise of notebooks 02 (clipping) and 03 (penalty) asks for one generator iteration
of Algorithm 1 (Arjovsky et al. 2017, arXiv 1701.07875; Gulrajani et al. 2017, arXiv
1704.00028) as a function `step(wgan, real)`:

- `real`: float32 (n_critic, B, 2), one real batch per critic update (Algorithm 1 line 2
  of either paper samples a new batch inside the critic loop);
- it updates `wgan.critic` n_critic times with `wgan.critic_optimizer`, then
  `wgan.generator` once with `wgan.generator_optimizer`;
- every random draw comes from `wgan.seed_generator`, in the order of the package's step:
  per critic update the noise z (`keras.random.normal((B, wgan.noise_dim), ...)`), then,
  for the penalty, the weights eps (`keras.random.uniform((B,), ...)`); last the
  generator's z.

`check_train_step` runs the student's step and the package's on the same weights, batches
and noise, in test cases small enough for a CPU (2-D toy data, MLPs), and compares every
weight afterwards (to `TOLERANCE`). When they differ it runs the package's step with each
common mistake (`MISTAKES`) and names the one that reproduces the student's weights.

Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
"""

from dataclasses import dataclass

import numpy as np

from wgan_tutorial import losses, models, training
from wgan_tutorial.config import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402

TOLERANCE = 1e-5

# what a mistake looks like -> how the checker explains it
MISTAKES = {
    "critic sign": "the critic's loss has the wrong sign: it must minimise "
    "mean f(x~) - mean f(x), i.e. raise the scores of real samples",
    "generator sign": "the generator's loss has the wrong sign: it must minimise "
    "-mean f(g(z)), i.e. raise the critic's scores of its samples",
    "normal epsilon": "the interpolation weights eps are drawn from a normal distribution; "
    "Algorithm 1 line 4 draws eps ~ U[0, 1], one per sample",
    "no sqrt epsilon": "the gradient norm has no small constant inside the square root: "
    "where the critic's gradient is exactly 0 the norm's derivative is "
    "infinite and the weights become NaN (use sqrt(sum g^2 + 1e-12))",
    "one real batch": "every critic update uses the same real batch; Algorithm 1 samples a "
    "new one for each of the n_critic updates: use real[i] in update i",
    "clip before update": "the critic's weights are clipped before the optimizer's update "
    "instead of after it (Algorithm 1 line 7 clips the updated weights)",
}
LOSS_MISTAKES = {
    "clip": ("critic sign", "generator sign", "one real batch", "clip before update"),
    "gp": ("critic sign", "generator sign", "normal epsilon", "no sqrt epsilon", "one real batch"),
}


@dataclass
class StepCheck:
    """The verdict of `check_train_step`.

    Attributes:
        passed: the student's weights match the package's in every test case.
        max_difference: the largest absolute weight difference seen (NaN counts as inf).
        mistake: the key in `MISTAKES` that reproduces the student's weights, or None.
        message: one or two sentences for the student.
    """

    passed: bool
    max_difference: float
    mistake: str | None
    message: str

    def __str__(self):
        return self.message


def _cases(loss):
    """(name, critic weights "random" or "zero") test cases for a loss."""
    if loss == "gp":  # a zero critic has a zero input gradient: the sqrt's epsilon matters
        return (("random critic", "random"), ("zero critic", "zero"))
    return (("random critic", "random"),)


def _build(loss, critic_init, seed):
    """A fresh WGAN on a 2-D toy problem, identical for every call with the same arguments
    (its weights are drawn from `numpy.random.default_rng(seed)`: no global seed is set)."""
    rng = np.random.default_rng(seed)
    generator = models.toy_generator(noise_dim=2, hidden=16, depth=2)
    critic = models.toy_critic(2, hidden=16, depth=2)
    for model in (generator, critic):
        model.set_weights(
            [rng.normal(0.0, 0.4, w.shape).astype(np.float32) for w in model.get_weights()]
        )
    if critic_init == "zero":
        critic.set_weights([np.zeros_like(w) for w in critic.get_weights()])
    # weights of order 0.4 lie far outside [-c, c]: clipping visibly matters
    wgan = training.WGAN(
        generator, critic, loss=loss, n_critic=3, clip_value=0.1, gp_weight=10.0, seed=seed
    )
    # plain SGD: an update is proportional to its gradient, so every mistake shows
    wgan.compile(keras.optimizers.SGD(0.05), keras.optimizers.SGD(0.05))
    return wgan


def _real_batches(seed, n_critic=3, batch_size=16):
    rng = np.random.default_rng(seed)
    centres = np.array([[2.0, 0.0], [0.0, 2.0], [-2.0, 0.0], [0.0, -2.0]], np.float32)
    points = centres[rng.integers(0, 4, n_critic * batch_size)]
    points = points + 0.1 * rng.standard_normal(points.shape).astype(np.float32)
    return points.reshape(n_critic, batch_size, 2)


def _weights(wgan):
    return [np.asarray(w) for w in wgan.critic.get_weights() + wgan.generator.get_weights()]


def _difference(a, b):
    worst = 0.0
    for x, y in zip(a, b, strict=True):
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            if not np.array_equal(np.isnan(x), np.isnan(y)):
                return float("inf")
            x, y = np.nan_to_num(x), np.nan_to_num(y)
        worst = max(worst, float(np.max(np.abs(x - y))))
    return worst


def _run(step, loss, critic_init, seed, real):
    wgan = _build(loss, critic_init, seed)
    step(wgan, tf.constant(real))
    return _weights(wgan)


def _package_step(wgan, real):
    wgan.train_step(tf.reshape(real, [-1, 2]))


def mistaken_step(mistake):
    """The package's step with one of `MISTAKES` made on purpose, as `step(wgan, real)`.

    Written independently of `WGAN.train_step` from the same algorithm, with the same
    random draws in the same order; `mistaken_step(None)` is the correct step (tested
    against `WGAN.train_step`). Used to name a student's mistake.
    """
    if mistake is not None and mistake not in MISTAKES:
        raise ValueError(f"mistake must be None or one of {tuple(MISTAKES)}, got {mistake!r}")

    def step(wgan, real):
        batch_size = real.shape[1]
        for i in range(wgan.n_critic):
            batch = real[0] if mistake == "one real batch" else real[i]
            z = keras.random.normal((batch_size, wgan.noise_dim), seed=wgan.seed_generator)
            fake = wgan.generator(z, training=True)
            if mistake == "clip before update":
                losses.clip_weights(wgan.critic, wgan.clip_value)
            with tf.GradientTape() as tape:
                gap = tf.reduce_mean(wgan.critic(fake)) - tf.reduce_mean(wgan.critic(batch))
                loss = -gap if mistake == "critic sign" else gap
                if wgan.loss_type == "gp":
                    draw = (
                        keras.random.normal if mistake == "normal epsilon" else keras.random.uniform
                    )
                    eps = draw((batch_size,), seed=wgan.seed_generator)[:, None]
                    x_hat = eps * batch + (1.0 - eps) * fake
                    with tf.GradientTape() as inner:
                        inner.watch(x_hat)
                        scores = wgan.critic(x_hat)
                    gradient = inner.gradient(scores, x_hat)
                    squared = tf.reduce_sum(tf.square(gradient), axis=1)
                    if mistake != "no sqrt epsilon":
                        squared = squared + losses.NORM_EPSILON
                    loss = loss + wgan.gp_weight * tf.reduce_mean(tf.square(tf.sqrt(squared) - 1.0))
            variables = wgan.critic.trainable_variables
            wgan.critic_optimizer.apply_gradients(
                zip(tape.gradient(loss, variables), variables, strict=True)
            )
            if wgan.loss_type == "clip" and mistake != "clip before update":
                losses.clip_weights(wgan.critic, wgan.clip_value)
        z = keras.random.normal((batch_size, wgan.noise_dim), seed=wgan.seed_generator)
        with tf.GradientTape() as tape:
            scores = tf.reduce_mean(wgan.critic(wgan.generator(z, training=True)))
            loss = scores if mistake == "generator sign" else -scores
        variables = wgan.generator.trainable_variables
        wgan.generator_optimizer.apply_gradients(
            zip(tape.gradient(loss, variables), variables, strict=True)
        )

    return step


def check_train_step(step, loss="gp", seed=0):
    """Run the student's `step(wgan, real)` and `WGAN.train_step` on the same weights,
    batches and noise; say whether every weight agrees to `TOLERANCE`, and if not, which
    common mistake (`MISTAKES`) reproduces the student's weights.

    Args:
        step: callable (wgan, real) -> anything; real is float32 (n_critic, B, 2).
        loss: "clip" (notebook 02) or "gp" (notebook 03).
        seed: int >= 0, the weights, batches and noise of the test cases.

    Returns:
        `StepCheck` (printing it gives the message).

    Raises:
        ValueError: loss not "clip" or "gp", or step not callable.

    Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
    """
    if loss not in ("clip", "gp"):
        raise ValueError(f"loss must be 'clip' or 'gp', got {loss!r}")
    if not callable(step):
        raise ValueError(f"step must be a function step(wgan, real), got {step!r}")
    real = _real_batches(seed)
    worst = 0.0
    for case, critic_init in _cases(loss):
        expected = _run(_package_step, loss, critic_init, seed, real)
        got = _run(step, loss, critic_init, seed, real)
        difference = _difference(expected, got)
        worst = max(worst, difference)
        if difference <= TOLERANCE:
            continue
        if _difference(_weights(_build(loss, critic_init, seed)), got) == 0.0:
            return StepCheck(
                False,
                difference,
                None,
                "Not yet: your step leaves every weight of the critic and the generator unchanged.",
            )
        for mistake in LOSS_MISTAKES[loss]:
            mistaken = _run(mistaken_step(mistake), loss, critic_init, seed, real)
            if _difference(mistaken, expected) > TOLERANCE >= _difference(mistaken, got):
                return StepCheck(
                    False,
                    difference,
                    mistake,
                    f"Not yet: your step differs from WGAN.train_step by up to "
                    f"{difference:.3g} ({case}). It looks like this mistake: "
                    f"{MISTAKES[mistake]}.",
                )
        return StepCheck(
            False,
            difference,
            None,
            f"Not yet: your step differs from WGAN.train_step by up to "
            f"{difference:.3g} ({case}), and none of the common mistakes "
            f"explains it. Check the order of the random draws too.",
        )
    cases = len(_cases(loss))
    return StepCheck(
        True,
        worst,
        None,
        f"Correct: your step matches WGAN.train_step to {worst:.1e} in {cases} "
        f"test case{'s' if cases > 1 else ''} (tolerance {TOLERANCE:g}).",
    )
