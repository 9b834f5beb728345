"""The small experiments of notebook 02: why a GAN discriminator's gradient vanishes, and
what weight clipping does to a deep critic's gradients.

- Two 1-D Gaussians (Arjovsky, Chintala, Bottou 2017, arXiv 1701.07875, Figure 2): a GAN
  discriminator (sigmoid output, cross-entropy) and a WGAN critic (linear output, weights
  clipped to [-c, c], Algorithm 1) trained to separate the same real and fake samples,
  and their values and gradients with respect to the input x.
- Per-layer gradient norms of a deep MLP critic (Gulrajani et al. 2017, arXiv
  1704.00028, Section 3, Figure 1b): the norm of the critic loss's gradient with respect
  to each layer's input, which explodes or vanishes through the layers depending on c.

Taught in notebooks/02_wgan_weight_clipping.ipynb.
"""

import numpy as np
from scipy.special import expit

from wgan_tutorial import losses, models
from wgan_tutorial.config import import_tensorflow, pick, seed_everything

tf = import_tensorflow()
import keras  # noqa: E402


def _finite(value, name):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not np.isfinite(value)
    ):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def _positive(value, name):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not np.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def _at_least_one(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def train_discriminator_and_critic(
    real_mean=0.0,
    fake_mean=6.0,
    std=1.0,
    steps=None,
    batch_size=256,
    hidden=64,
    depth=3,
    clip_value=0.01,
    seed=0,
    progress=True,
):
    """Train a GAN discriminator and a clipped WGAN critic on the same two 1-D Gaussians.

    The setting of Arjovsky et al. 2017 (arXiv 1701.07875), Figure 2: real samples
    N(real_mean, std^2), fake samples N(fake_mean, std^2) held fixed (no generator). Both
    networks are the MLP `models.toy_critic(1, hidden, depth)`, trained side by side on the
    same batches:
    - the discriminator's output is a logit l(x), D(x) = sigmoid(l(x)); it minimises the
      cross-entropy -mean log D(x) - mean log(1 - D(x~)) (Goodfellow et al. 2014, arXiv
      1406.2661, Equation 1) with Adam(1e-3);
    - the critic f minimises mean f(x~) - mean f(x) with RMSProp(5e-5), its weights
      clipped to [-clip_value, clip_value] after each update (Algorithm 1, lines 5-7).

    Args:
        real_mean, fake_mean: finite floats, the two means.
        std: float > 0, the common standard deviation.
        steps: int >= 1, updates of each network (default 1000; 300 in fast mode).
        batch_size: int >= 1, real and fake samples per update.
        hidden, depth: int >= 1, units per hidden layer and hidden layers of both MLPs.
        clip_value: float > 0, the critic's clipping constant c.
        seed: int >= 0, seeds the weights and the samples.
        progress: show a tqdm progress bar.

    Returns:
        (discriminator, critic): two keras.Models mapping float32 (B, 1) to float32 (B, 1);
        the discriminator returns the logit l(x), the critic the score f(x).

    Raises:
        ValueError: a parameter out of range, naming it.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    from tqdm.auto import tqdm

    real_mean, fake_mean = _finite(real_mean, "real_mean"), _finite(fake_mean, "fake_mean")
    std, clip_value = _positive(std, "std"), _positive(clip_value, "clip_value")
    steps = _at_least_one(pick(1000, 300) if steps is None else steps, "steps")
    batch_size = _at_least_one(batch_size, "batch_size")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")

    seed_everything(seed)
    discriminator = models.toy_critic(1, hidden, depth, name="discriminator")
    critic = models.toy_critic(1, hidden, depth, name="critic")
    discriminator_optimizer = keras.optimizers.Adam(1e-3)
    critic_optimizer = keras.optimizers.RMSprop(5e-5)
    cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)

    @tf.function
    def update(real, fake):
        with tf.GradientTape() as tape:
            real_logits, fake_logits = discriminator(real), discriminator(fake)
            loss = cross_entropy(tf.ones_like(real_logits), real_logits) + cross_entropy(
                tf.zeros_like(fake_logits), fake_logits
            )
        variables = discriminator.trainable_variables
        discriminator_optimizer.apply_gradients(
            zip(tape.gradient(loss, variables), variables, strict=True)
        )
        with tf.GradientTape() as tape:
            loss = losses.critic_loss(critic(real), critic(fake))
        variables = critic.trainable_variables
        critic_optimizer.apply_gradients(
            zip(tape.gradient(loss, variables), variables, strict=True)
        )
        losses.clip_weights(critic, clip_value)

    rng = np.random.default_rng(seed)
    for _ in tqdm(range(steps), desc="discriminator and critic", unit="step", disable=not progress):
        real = rng.normal(real_mean, std, (batch_size, 1)).astype(np.float32)
        fake = rng.normal(fake_mean, std, (batch_size, 1)).astype(np.float32)
        update(tf.constant(real), tf.constant(fake))
    return discriminator, critic


def outputs_and_gradients(discriminator, critic, x):
    """D(x), dD/dx, f(x) and df/dx of a 1-D discriminator (logit output) and critic.

    D(x) = sigmoid(l(x)) and dD/dx = sigmoid(l) sigmoid(-l) dl/dx are evaluated in float64
    from the float32 logit and its gradient, so the tiny slopes of a saturated
    discriminator (1e-10 and below) are not rounded to 0 (Arjovsky et al. 2017, arXiv
    1701.07875, Figure 2).

    Args:
        discriminator: keras.Model (B, 1) -> (B, 1) logits l(x).
        critic: keras.Model (B, 1) -> (B, 1) scores f(x).
        x: array-like (N,) or (N, 1) of finite floats.

    Returns:
        dict of float64 arrays (N,): "discriminator" D(x) in [0, 1],
        "discriminator_gradient" dD/dx, "critic" f(x), "critic_gradient" df/dx.

    Raises:
        ValueError: x not of shape (N,) or (N, 1), or not finite.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[1] != 1 or x.shape[0] == 0 or not np.all(np.isfinite(x)):
        raise ValueError(
            f"x must be a non-empty finite array of shape (N,) or (N, 1), got shape {x.shape}"
        )
    inputs = tf.constant(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(inputs)
        logits = discriminator(inputs, training=False)
        scores = critic(inputs, training=False)
    logit_gradient = tape.gradient(logits, inputs).numpy()[:, 0].astype(np.float64)
    critic_gradient = tape.gradient(scores, inputs).numpy()[:, 0].astype(np.float64)
    logits = logits.numpy()[:, 0].astype(np.float64)
    return {
        "discriminator": expit(logits),
        "discriminator_gradient": expit(logits) * expit(-logits) * logit_gradient,
        "critic": scores.numpy()[:, 0].astype(np.float64),
        "critic_gradient": critic_gradient,
    }


def layer_gradient_norms(critic, real, fake):
    """Norms of the critic loss's gradient with respect to each Dense layer's input.

    Gulrajani et al. 2017 (arXiv 1704.00028), Section 3, Figure 1b: for the loss
    L = mean f(x~) - mean f(x) (Arjovsky et al. 2017, arXiv 1701.07875, Algorithm 1
    line 5), the norm of dL/dh_k over the whole batch (real and fake together), where
    h_0 = the input and h_k = the k-th hidden activation. Under weight clipping these
    norms shrink or grow geometrically from the output layer down to the input.

    Args:
        critic: a keras.Model whose layers after the input are applied one after the
            other (as `models.toy_critic` builds them).
        real, fake: float arrays (B, d) and (B', d).

    Returns:
        float64 array (K,): the norm at the input of Dense layer 1 (= the data), 2, ...,
        K (the output layer's input), in that order.

    Raises:
        ValueError: the critic has no Dense layer, or an input of the wrong width.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    layers = [layer for layer in critic.layers if not isinstance(layer, keras.layers.InputLayer)]
    if not any(isinstance(layer, keras.layers.Dense) for layer in layers):
        raise ValueError("critic must contain Dense layers")
    width = critic.input_shape[-1]
    inputs = []
    for name, points in (("real", real), ("fake", fake)):
        points = np.asarray(points, dtype=np.float32)
        if points.ndim != 2 or points.shape[1] != width:
            raise ValueError(f"{name} must have shape (B, {width}), got {points.shape}")
        inputs.append(tf.constant(points))
    with tf.GradientTape(persistent=True) as tape:
        layer_inputs, scores = [], []
        for h in inputs:
            watched = []
            for layer in layers:
                if isinstance(layer, keras.layers.Dense):
                    tape.watch(h)
                    watched.append(h)
                h = layer(h)
            layer_inputs.append(watched)
            scores.append(h)
        loss = losses.critic_loss(scores[0], scores[1])
    norms = []
    for real_h, fake_h in zip(*layer_inputs, strict=True):
        gradients = tape.gradient(loss, [real_h, fake_h])
        squares = sum(
            float(tf.reduce_sum(tf.square(tf.cast(g, tf.float64))))
            for g in gradients
            if g is not None
        )
        norms.append(np.sqrt(squares))
    del tape
    return np.asarray(norms, dtype=np.float64)
