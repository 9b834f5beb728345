"""The 1-D discriminator-against-critic experiment and the per-layer gradient norms (toy1d)."""

import numpy as np
import pytest
from scipy.special import expit

from wgan_tutorial import toy1d
from wgan_tutorial.config import import_tensorflow

tf = import_tensorflow()  # before keras: mutes TensorFlow's start-up lines
import keras  # noqa: E402


def _dense_chain(kernels, biases=None, activation=None):
    """A keras model x -> Dense -> ... -> Dense with the given kernels (no activation)."""
    biases = biases or [np.zeros(k.shape[1]) for k in kernels]
    inputs = keras.Input((kernels[0].shape[0],))
    h = inputs
    layers = []
    for index, kernel in enumerate(kernels):
        last = index == len(kernels) - 1
        layer = keras.layers.Dense(kernel.shape[1], activation=None if last else activation)
        h = layer(h)
        layers.append(layer)
    model = keras.Model(inputs, h)
    for layer, kernel, bias in zip(layers, kernels, biases, strict=True):
        layer.set_weights([np.asarray(kernel, np.float32), np.asarray(bias, np.float32)])
    return model


@pytest.fixture(scope="module")
def trained_pair():
    return toy1d.train_discriminator_and_critic(
        real_mean=0.0, fake_mean=6.0, std=1.0, steps=300, seed=0, progress=False
    )


def test_discriminator_slope_vanishes_at_the_fakes_while_the_critics_does_not(trained_pair):
    discriminator, critic = trained_pair
    x = np.linspace(-4.0, 10.0, 281)
    outputs = toy1d.outputs_and_gradients(discriminator, critic, x)
    at_fakes = np.abs(x - 6.0) <= 1.0
    d_slope = np.abs(outputs["discriminator_gradient"])
    f_slope = np.abs(outputs["critic_gradient"])
    # the optimal discriminator's slope at x = 6 is 6e-8 of its peak (closed form in notebook 02)
    assert np.median(d_slope[at_fakes]) < 1e-2 * d_slope.max()
    # a near-linear critic: about the same slope at the fakes as anywhere
    assert np.median(f_slope[at_fakes]) > 0.3 * f_slope.max()
    # and the discriminator has learnt the task: D ~ 1 on the real mean, ~ 0 on the fake mean
    assert outputs["discriminator"][x == 0.0][0] > 0.99
    assert outputs["discriminator"][x == 6.0][0] < 0.01


def test_trained_critic_weights_lie_within_the_clipping_bounds(trained_pair):
    _, critic = trained_pair
    for variable in critic.trainable_variables:
        assert np.all(np.abs(variable.numpy()) <= np.float32(0.01))


def test_outputs_match_hand_derivation_for_linear_networks_even_when_saturated():
    # discriminator logit l(x) = -6 x + 18 (the optimal logit for N(0,1) vs N(6,1));
    # critic f(x) = -0.5 x + 1.
    discriminator = _dense_chain([np.array([[-6.0]])], [np.array([18.0])])
    critic = _dense_chain([np.array([[-0.5]])], [np.array([1.0])])
    x = np.array([-4.0, 0.0, 3.0, 6.0, 10.0])
    outputs = toy1d.outputs_and_gradients(discriminator, critic, x[:, None])
    logit = -6.0 * x + 18.0
    d = 1.0 / (1.0 + np.exp(-logit))
    np.testing.assert_allclose(outputs["discriminator"], d, rtol=1e-6)
    # dD/dx = D (1 - D) l'(x) with 1 - D = sigmoid(-l) computed without cancellation
    np.testing.assert_allclose(
        outputs["discriminator_gradient"], d / (1.0 + np.exp(logit)) * -6.0, rtol=1e-5
    )
    assert outputs["discriminator_gradient"][0] != 0.0  # about -6e-18: not rounded to 0
    np.testing.assert_allclose(outputs["critic"], -0.5 * x + 1.0, rtol=1e-6)
    np.testing.assert_allclose(outputs["critic_gradient"], np.full(5, -0.5), rtol=1e-6)


def test_outputs_match_finite_differences_for_a_relu_network():
    rng = np.random.default_rng(0)
    kernels = [rng.normal(size=(1, 8)), rng.normal(size=(8, 8)) / 3, rng.normal(size=(8, 1))]
    discriminator = _dense_chain(
        kernels, [rng.normal(size=8), rng.normal(size=8), np.zeros(1)], activation="relu"
    )
    critic = _dense_chain(
        [rng.normal(size=(1, 8)), rng.normal(size=(8, 1))],
        [rng.normal(size=8), np.zeros(1)],
        activation="relu",
    )
    x = np.array([-1.3, -0.2, 0.7, 2.1])
    h = 1e-3
    outputs = toy1d.outputs_and_gradients(discriminator, critic, x)
    for model, key, link in (
        (discriminator, "discriminator_gradient", expit),
        (critic, "critic_gradient", lambda t: t),
    ):
        up = link(model(np.float32(x + h)[:, None]).numpy()[:, 0].astype(np.float64))
        down = link(model(np.float32(x - h)[:, None]).numpy()[:, 0].astype(np.float64))
        np.testing.assert_allclose(outputs[key], (up - down) / (2 * h), rtol=2e-2, atol=1e-4)


def test_layer_gradient_norms_of_a_two_layer_linear_critic():
    # f(x) = b a x, L = mean f(fake) - mean f(real): dL/dx_i = -a b / B for each real point
    # and +a b / B' for each fake one, so ||dL/dh_0|| = |a b| sqrt(1/B + 1/B'), and at the
    # second layer's input ||dL/dh_1|| = |b| sqrt(1/B + 1/B').
    a, b = 0.5, -3.0
    critic = _dense_chain([np.array([[a]]), np.array([[b]])])
    real, fake = np.ones((4, 1)), np.zeros((9, 1))
    spread = np.sqrt(1 / 4 + 1 / 9)
    np.testing.assert_allclose(
        toy1d.layer_gradient_norms(critic, real, fake),
        [abs(a * b) * spread, abs(b) * spread],
        rtol=1e-6,
    )


@pytest.mark.parametrize("clip_value", [0.01, 0.1])
def test_layer_gradient_norms_scale_by_width_times_c_per_layer_when_all_weights_are_c(clip_value):
    # Every weight = c, biases 0, positive inputs: every ReLU is active, so backpropagation
    # multiplies each entry of the gradient by n c per n x n layer (a column sum of W^T).
    # The output layer's input (n entries, each c / B per sample) has norm c sqrt(n) s with
    # s = sqrt(1/B + 1/B'); each hidden layer multiplies the norm by n c; the input layer
    # (d entries, each n c times the entries above) by n c sqrt(d / n).
    n, d, depth, c = 16, 2, 4, clip_value
    kernels = [np.full((d, n), c)] + [np.full((n, n), c)] * (depth - 1) + [np.full((n, 1), c)]
    critic = _dense_chain(kernels, activation="relu")
    rng = np.random.default_rng(1)
    real, fake = rng.uniform(0.5, 1.0, (8, d)), rng.uniform(0.5, 1.0, (5, d))
    s = np.sqrt(1 / 8 + 1 / 5)
    top = c * np.sqrt(n) * s
    expected = [top * (n * c) ** k for k in range(depth)][::-1]
    expected = [expected[0] * n * c * np.sqrt(d / n)] + expected
    norms = toy1d.layer_gradient_norms(critic, real, fake)
    np.testing.assert_allclose(norms, expected, rtol=1e-5)
    assert (norms[0] < norms[-1]) == (n * c < 1)  # vanishing for c = 0.01, exploding for 0.1


def test_layer_gradient_norms_has_one_entry_per_dense_layer():
    from wgan_tutorial import models

    critic = models.toy_critic(input_dim=2, hidden=8, depth=3)
    real, fake = np.ones((4, 2), np.float32), np.zeros((4, 2), np.float32)
    norms = toy1d.layer_gradient_norms(critic, real, fake)
    assert norms.shape == (4,)
    # Oracles. Last entry: L = mean f(fake) - mean f(real) is linear in the output layer's
    # input h with weights w, so dL/dh is w/4 on each fake row and -w/4 on each real row:
    # norm |w| sqrt(8 / 16) = |w| / sqrt(2), whatever the ReLUs do. First entry: dL/dx by
    # automatic differentiation of the whole critic at once.
    output_kernel = critic.layers[-1].get_weights()[0]
    assert norms[-1] == pytest.approx(np.linalg.norm(output_kernel) / np.sqrt(2), rel=1e-5)
    points = tf.constant(np.concatenate([real, fake]))
    with tf.GradientTape() as tape:
        tape.watch(points)
        scores = critic(points)
        loss = tf.reduce_mean(scores[4:]) - tf.reduce_mean(scores[:4])
    assert norms[0] == pytest.approx(float(tf.norm(tape.gradient(loss, points))), rel=1e-5)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(steps=0), "steps must be an integer >= 1, got 0"),
        (dict(std=0.0), "std must be a finite number > 0, got 0.0"),
        (dict(clip_value=-0.01), "clip_value must be a finite number > 0, got -0.01"),
        (dict(fake_mean=float("nan")), "fake_mean must be a finite number, got nan"),
        (dict(batch_size=1.5), "batch_size must be an integer >= 1, got 1.5"),
        (dict(seed=-1), "seed must be an integer >= 0, got -1"),
    ],
)
def test_train_rejects_bad_parameters_naming_them(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(".", r"\.")):
        toy1d.train_discriminator_and_critic(progress=False, **kwargs)


def test_bad_inputs_are_rejected_naming_them():
    critic = _dense_chain([np.array([[1.0]])])
    with pytest.raises(ValueError, match="x must be"):
        toy1d.outputs_and_gradients(critic, critic, np.ones((3, 2)))
    with pytest.raises(ValueError, match="x must be"):
        toy1d.outputs_and_gradients(critic, critic, [0.0, np.inf])
    with pytest.raises(ValueError, match=r"real must have shape \(B, 1\)"):
        toy1d.layer_gradient_norms(critic, np.ones((3, 2)), np.ones((3, 1)))
