"""The Wasserstein losses, weight clipping and the gradient penalty (wgan_tutorial.losses)."""

import numpy as np
import pytest

from wgan_tutorial.config import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402

from wgan_tutorial import losses  # noqa: E402


def linear_critic(w, b, dtype="float32"):
    """f(x) = w . x + b as a keras model on inputs of size len(w)."""
    layer = keras.layers.Dense(1, dtype=dtype)
    model = keras.Sequential([keras.Input((len(w),), dtype=dtype), layer])
    layer.set_weights([np.asarray(w, dtype=dtype).reshape(-1, 1), np.asarray([b], dtype=dtype)])
    return model


class HalfSquaredNorm(keras.layers.Layer):
    """f(x) = ||x||^2 / 2, whose gradient at x is x itself."""

    def call(self, x):
        return 0.5 * tf.reduce_sum(tf.square(x), axis=-1, keepdims=True)


def weight_gradients(tape, value, model):
    """d value / d weights as numpy arrays; zeros for weights the value does not depend on."""
    gradients = tape.gradient(value, model.trainable_variables)
    return [
        np.zeros(v.shape) if g is None else g.numpy()
        for v, g in zip(model.trainable_variables, gradients, strict=True)
    ]


REAL = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]], dtype=np.float32)
FAKE = np.array([[0.0, 1.0], [-2.0, 2.0], [1.0, 1.0]], dtype=np.float32)


def test_critic_loss_and_w_estimate_match_hand_computation_for_linear_critic():
    # f(x) = w.x + b with w = (2, -1), b = 0.5:
    # f(REAL) = (2-2, 6+1, 1-0.5) + 0.5 = (0.5, 7.5, 1.0), mean 3.0
    # f(FAKE) = (0-1, -4-2, 2-1) + 0.5 = (-0.5, -5.5, 1.5), mean -1.5
    # W estimate = mean f(real) - mean f(fake) = 4.5; critic loss (minimised) = -4.5.
    critic = linear_critic([2.0, -1.0], 0.5)
    real_scores, fake_scores = critic(REAL), critic(FAKE)
    assert float(losses.wasserstein_estimate(real_scores, fake_scores)) == pytest.approx(4.5)
    assert float(losses.critic_loss(real_scores, fake_scores)) == pytest.approx(-4.5)
    assert float(losses.generator_loss(fake_scores)) == pytest.approx(1.5)


def test_penalty_equals_squared_distance_of_weight_norm_from_one_for_linear_critic():
    # the gradient of w.x + b is w everywhere, so every norm is |w| = 5 and the penalty
    # is (5 - 1)^2 = 16 whatever the interpolation weights.
    critic = linear_critic([3.0, 4.0], -1.0)
    penalty, norms = losses.gradient_penalty(critic, REAL, FAKE, seed=1)
    np.testing.assert_allclose(norms.numpy(), 5.0, rtol=1e-6)
    assert float(penalty) == pytest.approx(16.0, rel=1e-6)


def test_one_sided_penalty_is_zero_for_norms_below_one():
    # |w| = 0.5: two-sided (0.5 - 1)^2 = 0.25; one-sided max(0, -0.5)^2 = 0.
    critic = linear_critic([0.3, 0.4], 0.0)
    assert float(losses.gradient_penalty(critic, REAL, FAKE)[0]) == pytest.approx(0.25, rel=1e-5)
    assert float(losses.gradient_penalty(critic, REAL, FAKE, one_sided=True)[0]) == 0.0


def test_interpolate_uses_one_uniform_weight_per_sample():
    rng = np.random.default_rng(0)
    real = rng.standard_normal((500, 3, 4, 1)).astype(np.float32)
    fake = rng.standard_normal((500, 3, 4, 1)).astype(np.float32)
    x_hat, eps = losses.interpolate(real, fake, seed=3)
    eps = eps.numpy()
    assert eps.shape == (500,) and eps.min() >= 0.0 and eps.max() < 1.0
    expected = eps[:, None, None, None] * real + (1 - eps[:, None, None, None]) * fake
    np.testing.assert_allclose(x_hat.numpy(), expected, atol=1e-6)
    # U[0, 1): mean 1/2, variance 1/12 (standard error of the mean 0.013 for 500 draws)
    assert abs(eps.mean() - 0.5) < 0.06 and abs(eps.var() - 1 / 12) < 0.02


def test_penalty_of_half_squared_norm_critic_matches_uniform_weight_closed_form():
    # f(x) = ||x||^2 / 2, real = 0, fake = v: x_hat = (1 - eps) v, grad f(x_hat) = (1 - eps) v,
    # norm (1 - eps)|v|. With u = 1 - eps ~ U[0, 1] and a = |v| = 2:
    #   E[(u a - 1)^2] = a^2 E[u^2] - 2 a E[u] + 1 = a^2/3 - a + 1 = 4/3 - 2 + 1 = 1/3.
    # Were eps ~ N(0, 1) (the Keras example's bug): u ~ N(1, 1), E[u^2] = 2,
    #   E[(u a - 1)^2] = 2 a^2 - 2 a + 1 = 5.
    # Monte Carlo: Var[(2u - 1)^2] = E[t^4] - 1/9 = 1/5 - 1/9 for t ~ U[-1, 1], so the
    # standard error for 40,000 samples is 0.0015.
    n, v = 40_000, np.array([1.2, -1.6], dtype=np.float32)  # |v| = 2
    real = np.zeros((n, 2), np.float32)
    fake = np.tile(v, (n, 1))
    critic = keras.Sequential([keras.Input((2,)), HalfSquaredNorm()])
    penalty, norms = losses.gradient_penalty(critic, real, fake, seed=7)
    assert float(penalty) == pytest.approx(1 / 3, abs=0.008)
    # the norms are u |v| = 2u: mean 1, at most 2 (standard error of the mean 2 / sqrt(12 n)
    # = 0.003)
    assert float(norms.numpy().mean()) == pytest.approx(1.0, abs=0.015)
    assert norms.numpy().max() <= 2.0 + 1e-5


def test_penalty_and_its_weight_gradient_are_finite_for_a_constant_critic():
    # kernel 0: the input gradient is exactly zero; sqrt(0 + 1e-12) = 1e-6 gives a penalty
    # of (1e-6 - 1)^2 and a weight gradient 2 (norm - 1) w / norm = 0 (0/0 without epsilon).
    critic = linear_critic([0.0, 0.0], 3.0)
    with tf.GradientTape() as tape:
        penalty, norms = losses.gradient_penalty(critic, REAL, FAKE, seed=0)
    gradients = weight_gradients(tape, penalty, critic)
    assert float(penalty) == pytest.approx((1e-6 - 1.0) ** 2)
    np.testing.assert_allclose(norms.numpy(), 1e-6, rtol=1e-3)
    for gradient in gradients:
        assert np.all(np.isfinite(gradient))


def test_penalty_gradient_with_respect_to_critic_weights_matches_finite_differences():
    keras.utils.set_random_seed(0)
    critic = keras.Sequential(
        [
            keras.Input((3,), dtype="float64"),
            keras.layers.Dense(4, activation="tanh", dtype="float64"),
            keras.layers.Dense(1, activation="softplus", dtype="float64"),
            keras.layers.Dense(1, dtype="float64"),
        ]
    )
    rng = np.random.default_rng(1)
    real, fake = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    eps = rng.random(5)

    def penalty():
        return losses.gradient_penalty(critic, real, fake, eps=eps)[0]

    with tf.GradientTape() as tape:
        value = penalty()
    # the last bias does not change the input gradient: its penalty gradient is 0
    analytic = weight_gradients(tape, value, critic)
    h = 1e-6
    for variable, gradient in zip(critic.trainable_variables, analytic, strict=True):
        original = variable.numpy().copy()
        numeric = np.zeros_like(original)
        for index in np.ndindex(original.shape):
            for sign in (1, -1):
                shifted = original.copy()
                shifted[index] += sign * h
                variable.assign(shifted)
                numeric[index] += sign * float(penalty()) / (2 * h)
            variable.assign(original)
        np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-8)
    assert any(np.abs(g).max() > 1e-4 for g in analytic)  # the test is not vacuous


def test_clip_weights_bounds_every_weight_and_keeps_small_ones():
    critic = linear_critic([0.5, -0.003], -2.0)
    losses.clip_weights(critic, 0.01)
    kernel, bias = critic.get_weights()
    np.testing.assert_allclose(kernel.ravel(), [0.01, -0.003], rtol=1e-6)
    np.testing.assert_allclose(bias, [-0.01], rtol=1e-6)


def test_clip_weights_rejects_a_non_positive_clip_value():
    with pytest.raises(ValueError, match="clip_value must be a number > 0"):
        losses.clip_weights(linear_critic([1.0], 0.0), 0.0)


# --- the standard GAN (Goodfellow et al. 2014) --------------------------------------------------

LOGITS_REAL = np.array([[2.0], [-1.0], [0.5], [4.0]], dtype=np.float32)
LOGITS_FAKE = np.array([[-3.0], [0.0], [1.5]], dtype=np.float32)


def numpy_sigmoid(s):
    return 1.0 / (1.0 + np.exp(-s))


def test_gan_discriminator_loss_is_the_cross_entropy_of_the_sigmoid_probabilities():
    # Goodfellow et al., Equation 1 with D = sigmoid(s): the loss to minimise is
    # -mean log D(x) - mean log(1 - D(x~)), written here with probabilities, not softplus.
    expected = -np.mean(np.log(numpy_sigmoid(LOGITS_REAL.astype(np.float64)))) - np.mean(
        np.log(1.0 - numpy_sigmoid(LOGITS_FAKE.astype(np.float64)))
    )
    value = float(losses.gan_discriminator_loss(LOGITS_REAL, LOGITS_FAKE))
    assert value == pytest.approx(expected, rel=1e-6)
    # a discriminator that cannot tell (all logits 0, D = 1/2) pays 2 log 2 (Theorem 1's value)
    zeros = np.zeros((5, 1), dtype=np.float32)
    assert float(losses.gan_discriminator_loss(zeros, zeros)) == pytest.approx(2 * np.log(2.0))


def test_gan_generator_losses_are_minus_log_d_and_log_one_minus_d():
    d_fake = numpy_sigmoid(LOGITS_FAKE.astype(np.float64))
    assert float(losses.non_saturating_generator_loss(LOGITS_FAKE)) == pytest.approx(
        -np.mean(np.log(d_fake)), rel=1e-6
    )
    assert float(losses.minimax_generator_loss(LOGITS_FAKE)) == pytest.approx(
        np.mean(np.log(1.0 - d_fake)), rel=1e-6
    )


def test_gan_losses_stay_finite_for_confident_logits():
    # log(1 + exp(s)) computed naively overflows float32 at s ~ 89; softplus does not
    big = np.array([[-200.0], [200.0]], dtype=np.float32)
    assert float(losses.gan_discriminator_loss(big, big)) == pytest.approx(200.0, rel=1e-6)
    assert float(losses.minimax_generator_loss(big)) == pytest.approx(-100.0, rel=1e-6)


@pytest.mark.parametrize("logit", [-5.0, -10.0, -20.0])
def test_minimax_generator_gradient_vanishes_where_the_non_saturating_one_does_not(logit):
    # One sample rejected with logit s: d/ds log(1 - sigmoid(s)) = -sigmoid(s) -> 0 and
    # d/ds -log sigmoid(s) = -(1 - sigmoid(s)) -> -1 as s -> -inf (Goodfellow et al., Sec. 3).
    s = tf.Variable([[logit]])
    gradients = {}
    for name, loss in (
        ("minimax", losses.minimax_generator_loss),
        ("non_saturating", losses.non_saturating_generator_loss),
    ):
        with tf.GradientTape() as tape:
            value = loss(s)
        gradients[name] = float(tape.gradient(value, s)[0, 0])
    assert gradients["minimax"] == pytest.approx(-numpy_sigmoid(logit), rel=1e-4)
    assert gradients["non_saturating"] == pytest.approx(-(1.0 - numpy_sigmoid(logit)), rel=1e-4)
    assert abs(gradients["minimax"]) < 7e-3 and gradients["non_saturating"] < -0.99


def test_each_registry_entry_pairs_a_critic_and_a_generator_objective_of_one_family():
    # Wasserstein entries: the critic loss is -(W estimate) and the generator's -mean f(x~)
    # (hand values of the linear-critic test above); GAN entries: the cross-entropy.
    critic = linear_critic([2.0, -1.0], 0.5)
    real_scores, fake_scores = critic(REAL), critic(FAKE)
    for name, entry in losses.LOSSES.items():
        critic_value = float(entry.critic_objective(real_scores, fake_scores))
        generator_value = float(entry.generator_objective(fake_scores))
        if name.startswith("gan"):
            # f(REAL) = (0.5, 7.5, 1.0), f(FAKE) = (-0.5, -5.5, 1.5)
            expected = np.mean(np.log1p(np.exp(-np.array([0.5, 7.5, 1.0])))) + np.mean(
                np.log1p(np.exp(np.array([-0.5, -5.5, 1.5])))
            )
            assert critic_value == pytest.approx(expected, rel=1e-5), name
            assert (generator_value > 0) == (name == "gan"), name
        else:
            assert critic_value == pytest.approx(-4.5), name
            assert generator_value == pytest.approx(1.5), name


def test_unknown_loss_names_the_known_ones():
    with pytest.raises(ValueError, match=r"loss must be one of \(.*'sn', 'gan', 'gan-minimax'\)"):
        losses.get_loss("hinge")


# --- spectral normalisation (Miyato et al. 2018) -------------------------------------------------


@pytest.mark.parametrize(
    "layer, input_shape",
    [
        (lambda: keras.layers.Dense(7), (5,)),
        (lambda: keras.layers.Conv2D(4, 3), (6, 6, 3)),
    ],
)
def test_spectral_normalization_brings_the_kernel_largest_singular_value_to_one(layer, input_shape):
    keras.utils.set_random_seed(3)
    wrapped = keras.layers.SpectralNormalization(layer(), power_iterations=1)
    x = np.random.default_rng(0).normal(size=(2,) + input_shape).astype(np.float32)
    wrapped(x)  # build
    kernel = wrapped.layer.kernel
    kernel.assign(kernel * 25.0)  # sigma far from 1 before
    matrix = lambda: kernel.numpy().reshape(-1, kernel.shape[-1])  # noqa: E731
    assert np.linalg.svd(matrix(), compute_uv=False)[0] > 2.0
    for _ in range(30):  # each training call: one power iteration, then W <- W / sigma
        wrapped(x, training=True)
    assert np.linalg.svd(matrix(), compute_uv=False)[0] == pytest.approx(1.0, abs=1e-3)
