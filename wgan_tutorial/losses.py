"""The losses: Wasserstein critic and generator objectives, clipping, the penalty, the GAN's.

- WGAN (Arjovsky, Chintala, Bottou 2017, arXiv 1701.07875, Algorithm 1): the critic
  maximises E[f(x)] - E[f(g(z))] (line 5), its weights are clipped to [-c, c] (line 7), the
  generator minimises -E[f(g(z))] (line 10).
- WGAN-GP (Gulrajani et al. 2017, arXiv 1704.00028, Algorithm 1, lines 4-8): per-sample
  interpolates x_hat = eps x + (1 - eps) x~ with eps ~ U[0, 1], and the penalty
  lambda (||grad f(x_hat)||_2 - 1)^2 added to the critic's loss (Equation 3).

- The standard GAN (Goodfellow et al. 2014, arXiv 1406.2661), the baseline the WGAN papers
  compare with: the discriminator's sigmoid cross-entropy on its logits (Equation 1) and the
  generator's minimax or non-saturating loss (Section 3).

- The loss registry `LOSSES` (name -> `Loss`): `clip`, `gp` and `lp` (the one-sided penalty
  max(0, ||grad f|| - 1)^2 of Petzka et al. 2018, arXiv 1709.08894, Equation 8; Gulrajani
  et al., Appendix C); `sn` (the Wasserstein objective with a spectrally normalised critic,
  Miyato et al. 2018, arXiv 1802.05957) and `gp-ln` (the penalty with a layer-normalised
  critic, Gulrajani et al., Section 4); `gan` and `gan-minimax`. Each entry carries its
  functions (`critic_objective`, `generator_objective`, `critic_penalty`,
  `after_critic_update`), the critic's normalisation and its optimizer, so
  `training.WGAN.train_step` calls them and never asks which loss it runs (as keras-io's
  `WGAN.compile(d_loss_fn=...)`).

Norms are sqrt(sum g^2 + 1e-12): the epsilon inside the square root keeps the penalty and
its gradient finite when a gradient is exactly zero.

Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/03_wgan_gp_mnist.ipynb.
"""

import collections

import numpy as np

from wgan_tutorial import defaults, devices
from wgan_tutorial.config import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402

NORM_EPSILON = 1e-12


def mean_score(scores):
    """The mean of critic scores (any shape) as a scalar tensor, finite when their sum overflows.

    `tf.reduce_mean` sums first: float32 scores near 3.4e38 gave an infinite mean. Only then
    is the mean taken of scores / max|score| and scaled back; otherwise `tf.where` selects
    `tf.reduce_mean`'s value (and gradient) to the bit.
    """
    scores = tf.convert_to_tensor(scores)
    mean = tf.reduce_mean(scores)
    largest = tf.reduce_max(tf.abs(scores))
    usable = tf.logical_and(tf.math.is_finite(largest), largest > 0)
    scale = tf.where(usable, largest, tf.ones_like(largest))
    return tf.where(tf.math.is_finite(mean), mean, tf.reduce_mean(scores / scale) * scale)


def critic_loss(real_scores, fake_scores):
    """The critic's loss to minimise: mean(f(x~)) - mean(f(x)) (minus the W estimate).

    Arjovsky et al. 2017 (arXiv 1701.07875), Algorithm 1 line 5 (the critic ascends
    E[f(x)] - E[f(g(z))]); Gulrajani et al. 2017 (arXiv 1704.00028), Algorithm 1 line 7
    without the penalty.

    Args:
        real_scores: float tensor (B, 1) or (B,), critic scores of real samples.
        fake_scores: float tensor (B', 1) or (B',), critic scores of generated samples.

    Returns:
        Scalar float tensor (each mean finite for finite scores: `mean_score`).

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    return mean_score(fake_scores) - mean_score(real_scores)


def generator_loss(fake_scores):
    """The generator's loss to minimise: -mean(f(g(z))).

    Arjovsky et al. 2017 (arXiv 1701.07875), Algorithm 1 line 10; Gulrajani et al. 2017
    (arXiv 1704.00028), Algorithm 1 line 11.

    Args:
        fake_scores: float tensor (B, 1) or (B,), critic scores of generated samples.

    Returns:
        Scalar float tensor.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    return -mean_score(fake_scores)


def wasserstein_estimate(real_scores, fake_scores):
    """The critic's estimate of W(P_r, P_g) (up to its Lipschitz constant): mean f(x) - mean f(x~).

    Arjovsky et al. 2017 (arXiv 1701.07875), Equation 3 and Figure 3.

    Args:
        real_scores, fake_scores: float tensors (B, 1) or (B,).

    Returns:
        Scalar float tensor, equal to -critic_loss(real_scores, fake_scores).

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    return mean_score(real_scores) - mean_score(fake_scores)


def gan_discriminator_loss(real_scores, fake_scores):
    """The standard GAN discriminator's loss on logits: mean softplus(-D(x)) + mean softplus(D(x~)).

    Goodfellow et al. 2014 (arXiv 1406.2661), Equation 1: D maximises
    E[log D(x)] + E[log(1 - D(G(z)))] with D(x) = sigmoid(s(x)) for the score (logit) s the
    network outputs. As -log sigmoid(s) = softplus(-s) and -log(1 - sigmoid(s)) = softplus(s),
    minimising this is that ascent (sigmoid cross-entropy, computed stably from the logits).
    Unlike a WGAN critic's loss it is bounded below by 0 and says nothing about a distance:
    at the optimal D it is 2 log 2 - 2 JS(P_r, P_g) (Goodfellow et al., Theorem 1).

    Args:
        real_scores: float tensor (B, 1) or (B,), logits of real samples.
        fake_scores: float tensor (B', 1) or (B',), logits of generated samples.

    Returns:
        Scalar float tensor >= 0.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    return tf.reduce_mean(tf.math.softplus(-real_scores)) + tf.reduce_mean(
        tf.math.softplus(fake_scores)
    )


def non_saturating_generator_loss(fake_scores):
    """The standard GAN generator's non-saturating loss: mean softplus(-D(x~)) = -E log D(G(z)).

    Goodfellow et al. 2014 (arXiv 1406.2661), Section 3: "Rather than training G to minimize
    log(1 - D(G(z))) we can train G to maximize log D(G(z))", whose gradient stays large
    when D rejects the samples (d/ds softplus(-s) = -sigmoid(-s) -> -1 as s -> -inf).

    Args:
        fake_scores: float tensor (B, 1) or (B,), logits of generated samples.

    Returns:
        Scalar float tensor >= 0.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    return tf.reduce_mean(tf.math.softplus(-fake_scores))


def minimax_generator_loss(fake_scores):
    """The standard GAN generator's minimax loss: -mean softplus(D(x~)) = E log(1 - D(G(z))).

    Goodfellow et al. 2014 (arXiv 1406.2661), Equation 1 and Algorithm 1 (the generator's
    step). It saturates: d/ds (-softplus(s)) = -sigmoid(s) -> 0 as s -> -inf, so a
    generator whose samples the discriminator rejects confidently gets almost no gradient
    (Section 3; Arjovsky et al. 2017, arXiv 1701.07875, Figure 2).

    Args:
        fake_scores: float tensor (B, 1) or (B,), logits of generated samples.

    Returns:
        Scalar float tensor <= 0.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    return -tf.reduce_mean(tf.math.softplus(fake_scores))


def clip_weights(critic, clip_value):
    """Clip every weight of the critic to [-clip_value, clip_value], in place.

    Arjovsky et al. 2017 (arXiv 1701.07875), Algorithm 1 line 7: w <- clip(w, -c, c).

    Args:
        critic: keras.Model (all its trainable variables are clipped).
        clip_value: float > 0, the constant c.

    Raises:
        ValueError: clip_value <= 0 (only checked for Python numbers).

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    if isinstance(clip_value, (int, float)) and not clip_value > 0:
        raise ValueError(f"clip_value must be a number > 0, got {clip_value!r}")
    for variable in critic.trainable_variables:
        variable.assign(tf.clip_by_value(variable, -clip_value, clip_value))


def interpolate(real, fake, eps=None, seed=None):
    """Random points on the lines between real and generated samples, one weight per sample.

    Gulrajani et al. 2017 (arXiv 1704.00028), Algorithm 1 lines 4 and 6: eps ~ U[0, 1],
    x_hat = eps x + (1 - eps) x~.

    Args:
        real: float tensor (B, ...), real samples x.
        fake: float tensor of the same shape, generated samples x~.
        eps: optional float tensor (B,) of weights in [0, 1] (others extrapolate); drawn
            uniformly from [0, 1) (`keras.random.uniform`) when None.
        seed: int or `keras.random.SeedGenerator` for drawing eps (None: unseeded).

    Returns:
        (x_hat, eps): x_hat like `real`; eps float tensor (B,).

    Raises:
        ValueError: fake's (known) shape is not real's, or eps is not (B,) or (eagerly) finite.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    real = tf.convert_to_tensor(real)
    fake = tf.cast(tf.convert_to_tensor(fake), real.dtype)
    if not real.shape.is_compatible_with(fake.shape):
        raise ValueError(f"fake must have the shape of real, {real.shape}, got {fake.shape}")
    if eps is None:
        eps = keras.random.uniform(tf.shape(real)[:1], 0.0, 1.0, dtype=real.dtype, seed=seed)
    else:  # weights outside [0, 1] extrapolate: notebook 03 draws such points on purpose
        eps = tf.cast(tf.convert_to_tensor(eps), real.dtype)
        if not eps.shape.is_compatible_with(real.shape[:1]):
            raise ValueError(f"eps must have shape (B,) = {real.shape[:1]}, got {eps.shape}")
        if tf.executing_eagerly() and not np.all(np.isfinite(eps.numpy())):
            raise ValueError(f"eps must be finite weights, got {eps.numpy()!r}")
    # one weight per sample, broadcast over all the other axes
    weights = tf.reshape(eps, [-1] + [1] * (real.shape.rank - 1))
    return weights * real + (1.0 - weights) * fake, eps


def critic_gradient_norms(critic, x):
    """Per-sample norms of the critic's input gradient: sqrt(sum_i (df/dx_i)^2 + 1e-12).

    Gulrajani et al. 2017 (arXiv 1704.00028), Equation 3 (the norm inside the penalty).
    The gradient is recorded with `tf.GradientTape`, so an outer tape can differentiate the
    norms with respect to the critic's weights (the penalty's gradient, Algorithm 1 line 9).

    Args:
        critic: callable keras model mapping (B, ...) to (B, 1) or (B,).
        x: float tensor (B, ...).

    Returns:
        Float tensor (B,), all > 0 (at least 1e-6).

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = critic(x, training=True)
    gradients = tape.gradient(scores, x)
    if gradients is None:  # the critic does not depend on its input at all
        gradients = tf.zeros_like(x)
    axes = list(range(1, gradients.shape.rank))
    return tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=axes) + NORM_EPSILON)


def gradient_penalty(critic, real, fake, one_sided=False, eps=None, seed=None):
    """The WGAN-GP gradient penalty mean((||grad f(x_hat)|| - 1)^2), and the norms.

    Gulrajani et al. 2017 (arXiv 1704.00028), Equation 3 and Algorithm 1 lines 4-7 (without
    the factor lambda). One-sided variant (Appendix C, "not significantly different"):
    mean(max(0, ||grad f(x_hat)|| - 1)^2).

    Args:
        critic: keras model mapping (B, ...) to (B, 1).
        real, fake: float tensors (B, ...) of the same shape.
        one_sided: penalise only norms above 1.
        eps: optional fixed interpolation weights (B,) in [0, 1] (see `interpolate`).
        seed: int or `keras.random.SeedGenerator` for drawing eps.

    Returns:
        (penalty, norms): scalar float tensor >= 0, and the per-sample norms (B,) at x_hat.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    x_hat, _ = interpolate(real, fake, eps=eps, seed=seed)
    norms = critic_gradient_norms(critic, x_hat)
    excess = norms - 1.0
    if one_sided:
        excess = tf.maximum(excess, 0.0)
    return tf.reduce_mean(tf.square(excess)), norms


# --- the loss registry -------------------------------------------------------------------------


def no_penalty(model, real, fake, labels=None):
    """Weight clipping adds nothing to the critic's loss: (0, no logs)."""
    return tf.constant(0.0), {}


def critic_at_label(critic, labels):
    """The critic as a function of x alone: f(., y) for fixed labels y (B,), or f itself.

    A conditional critic's penalty is taken at interpolates x_hat with the label held fixed:
    the gradient is with respect to x_hat only (the label is not interpolated).
    """
    if labels is None:
        return critic
    return lambda x, training=False: critic([x, labels], training=training)


def _penalty(model, real, fake, one_sided, labels):
    eps = devices.replica_rows(  # the global batch's weights, this replica's rows
        lambda rows: keras.random.uniform((rows,), 0.0, 1.0, real.dtype, model.seed_generator),
        tf.shape(real)[0],
    )
    penalty, norms = gradient_penalty(
        critic_at_label(model.critic, labels), real, fake, one_sided=one_sided, eps=eps
    )
    return model.gp_weight * penalty, {"gp": penalty, "gp_grad_norm": tf.reduce_mean(norms)}


def two_sided_penalty(model, real, fake, labels=None):
    """lambda mean((||grad f(x_hat)|| - 1)^2) and its logs (Gulrajani et al. 2017, Equation 3).

    `model.one_sided` (an older spelling of the `lp` loss) makes it one-sided.

    Args:
        model: has `critic`, `gp_weight` (lambda), `one_sided`, `seed_generator`.
        real, fake: float tensors (B, ...).
        labels: int tensor (B,) of a conditional critic: the class of both real[i] and
            fake[i], held fixed at their interpolate (`critic_at_label`); None otherwise.

    Returns:
        (scalar tensor, {"gp": penalty without lambda, "gp_grad_norm": mean norm}).
    """
    return _penalty(model, real, fake, model.one_sided, labels)


def one_sided_penalty(model, real, fake, labels=None):
    """lambda mean(max(0, ||grad f(x_hat)|| - 1)^2) and its logs: the `lp` loss.

    Petzka et al. 2018 (arXiv 1709.08894), Equation 8, at the interpolates of Gulrajani et
    al. 2017 (Algorithm 1 line 6). Arguments and result as `two_sided_penalty`.
    """
    return _penalty(model, real, fake, True, labels)


def clip_after_update(model):
    """Clip the critic's weights to [-c, c] after its update (Arjovsky et al., line 7)."""
    clip_weights(model.critic, model.clip_value)


def nothing_after_update(model):
    """Penalised critics need nothing after their update."""
    del model  # a body beyond the docstring: AutoGraph cannot convert an empty function


Loss = collections.namedtuple(
    "Loss",
    "name description optimizer learning_rate penalised critic_penalty "
    "after_critic_update critic_objective generator_objective critic_normalization "
    "n_critic beta_2",
    defaults=(critic_loss, generator_loss, None, defaults.N_CRITIC, defaults.BETA_2),
)
Loss.__doc__ = """One loss of the registry.

Fields: name; description (one line, with its paper); optimizer ("rmsprop" or "adam", the
paper's); learning_rate (the paper's); penalised (a gradient penalty: the tuned presets
of `defaults.PRESETS` for penalties apply); critic_penalty(model, real, fake,
labels=None) -> (term added to the critic's loss, logs); after_critic_update(model);
critic_objective(real_scores, fake_scores) -> the critic's (discriminator's) loss without
the penalty (default `critic_loss`); generator_objective(fake_scores) -> the generator's
loss (default `generator_loss`); critic_normalization (what `models.image_critic` and
`models.toy_critic` wrap or insert in the critic: None, "spectral" or "layer"; default
None); n_critic (the paper's critic updates per generator update; default `defaults.N_CRITIC`);
beta_2 (Adam's second-moment decay; default `defaults.BETA_2`, the WGAN-GP paper's 0.9).
"""

LOSSES = {
    "clip": Loss(
        "clip",
        "weight clipping (Arjovsky et al. 2017, arXiv 1701.07875)",
        "rmsprop",
        defaults.PAPER_LEARNING_RATES["clip"],
        False,
        no_penalty,
        clip_after_update,
    ),
    "gp": Loss(
        "gp",
        "gradient penalty (Gulrajani et al. 2017, arXiv 1704.00028)",
        "adam",
        defaults.PAPER_LEARNING_RATES["gp"],
        True,
        two_sided_penalty,
        nothing_after_update,
    ),
    "lp": Loss(
        "lp",
        "one-sided Lipschitz penalty (Petzka et al. 2018, arXiv 1709.08894)",
        "adam",
        defaults.PAPER_LEARNING_RATES["lp"],
        True,
        one_sided_penalty,
        nothing_after_update,
    ),
    # Layer norm where batch norm is not allowed: Gulrajani et al. 2017, Section 4, "No critic
    # batch normalization" (layer normalization as a drop-in replacement).
    "gp-ln": Loss(
        "gp-ln",
        "gradient penalty, layer-normalised critic (Gulrajani et al. "
        "2017, arXiv 1704.00028, Section 4)",
        "adam",
        defaults.PAPER_LEARNING_RATES["gp"],
        True,
        two_sided_penalty,
        nothing_after_update,
        critic_normalization="layer",
    ),
    # The Wasserstein objective with every critic layer divided by its spectral norm, Adam
    # at the WGAN-GP paper's settings (Miyato et al. 2018, Table 1, setting A).
    "sn": Loss(
        "sn",
        "spectral normalisation (Miyato et al. 2018, arXiv 1802.05957)",
        "adam",
        defaults.PAPER_LEARNING_RATES["sn"],
        False,
        no_penalty,
        nothing_after_update,
        critic_normalization="spectral",
    ),
    # The standard GAN with DCGAN's optimizer (Radford et al. 2016, arXiv 1511.06434,
    # Section 4: Adam 2e-4, beta_1 0.5, Adam's default beta_2 0.999), one discriminator
    # update per generator update (Goodfellow et al. 2014, Algorithm 1 with k = 1).
    "gan": Loss(
        "gan",
        "standard GAN, non-saturating generator loss (Goodfellow et al. 2014, "
        "arXiv 1406.2661, Section 3)",
        "adam",
        defaults.PAPER_LEARNING_RATES["gan"],
        False,
        no_penalty,
        nothing_after_update,
        gan_discriminator_loss,
        non_saturating_generator_loss,
        n_critic=1,
        beta_2=defaults.DCGAN_BETA_2,
    ),
    "gan-minimax": Loss(
        "gan-minimax",
        "standard GAN, minimax generator loss (Goodfellow et "
        "al. 2014, arXiv 1406.2661, Equation 1)",
        "adam",
        defaults.PAPER_LEARNING_RATES["gan"],
        False,
        no_penalty,
        nothing_after_update,
        gan_discriminator_loss,
        minimax_generator_loss,
        n_critic=1,
        beta_2=defaults.DCGAN_BETA_2,
    ),
}


def get_loss(name):
    """The registry entry of loss `name`.

    Raises:
        ValueError: unknown name, listing the known ones.

    Taught in notebooks/06_your_own_images.ipynb.
    """
    if name not in LOSSES:
        raise ValueError(f"loss must be one of {tuple(LOSSES)}, got {name!r}")
    return LOSSES[name]
