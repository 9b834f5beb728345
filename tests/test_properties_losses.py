"""Property-based tests of the WGAN losses, the interpolates and the gradient penalty.

The oracles share no code with wgan_tutorial.losses: means in exact rational arithmetic,
a NumPy forward pass of the critic differentiated numerically by complex steps (for the
penalty's gradient norms), and the definition of clipping. Any warning is an error.

Examples per property: the hypothesis profile (tests/conftest.py); a longer local run is
`HYPOTHESIS_PROFILE=thorough pytest tests/test_properties_losses.py`.
"""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from wgan_tutorial import losses
from wgan_tutorial.config import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error")

FLOAT32_MAX = float(np.finfo(np.float32).max)
LARGE_SCORE = float(np.float32(1e36))

# Critic scores: any float32 whose sum over a batch stays finite (|s| <= 1e36, B <= 64).
scores = hnp.arrays(
    np.float32,
    st.integers(1, 64),
    elements=st.floats(-LARGE_SCORE, LARGE_SCORE, width=32),
)


def _mean(array):
    return sum(map(Fraction, np.asarray(array, dtype=np.float64).ravel())) / np.size(array)


@given(scores, scores)
def test_critic_loss_generator_loss_and_w_estimate_are_the_exact_means(real, fake):
    real_mean, fake_mean = _mean(real), _mean(fake)
    critic = float(losses.critic_loss(real, fake))
    estimate = float(losses.wasserstein_estimate(real, fake))
    generator = float(losses.generator_loss(fake))
    # float32 sums: a relative error of B * 2^-24 of the largest |score|, at most.
    largest = max(float(np.max(np.abs(real))), float(np.max(np.abs(fake))), 1e-45)
    tolerance = 64 * 2.0**-23 * largest
    assert math.isfinite(critic) and math.isfinite(estimate) and math.isfinite(generator)
    assert abs(critic - float(fake_mean - real_mean)) <= tolerance
    assert estimate == -critic
    assert abs(generator + float(fake_mean)) <= tolerance


def test_regression_losses_of_scores_near_the_float32_maximum_are_finite():
    # Found probing the domain (any float32 scores): the mean of [3e38, 3e38] is
    # 3e38, but critic_loss returned -inf.
    real = np.array([3e38, 3e38], dtype=np.float32)
    fake = np.zeros(2, dtype=np.float32)
    assert float(losses.critic_loss(real, fake)) == pytest.approx(-3e38, rel=1e-6)
    assert float(losses.generator_loss(real)) == pytest.approx(-3e38, rel=1e-6)
    assert float(losses.wasserstein_estimate(real, fake)) == pytest.approx(3e38, rel=1e-6)


# ---------------------------------------------------------------------------------------
# Interpolates: one uniform weight per sample.
# ---------------------------------------------------------------------------------------


@st.composite
def sample_pairs(draw, dtype=np.float64, max_value=1e300):
    batch = draw(st.integers(1, 8))
    shape = (batch,) + tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)))
    width = 64 if dtype == np.float64 else 32
    elements = st.floats(-max_value, max_value, width=width)
    real = draw(hnp.arrays(dtype, shape, elements=elements))
    fake = draw(hnp.arrays(dtype, shape, elements=elements))
    return real, fake


weights_in_unit_interval = st.floats(0.0, 1.0)


@given(sample_pairs(), st.data())
def test_interpolate_with_given_weights_is_the_convex_combination(pair, data):
    real, fake = pair
    eps = np.array(
        data.draw(st.lists(weights_in_unit_interval, min_size=len(real), max_size=len(real)))
    )
    x_hat, eps_out = losses.interpolate(real, fake, eps=eps)
    x_hat = x_hat.numpy()
    np.testing.assert_array_equal(eps_out.numpy(), eps)
    assert np.all(np.isfinite(x_hat))
    low, high = np.minimum(real, fake), np.maximum(real, fake)
    # TensorFlow's CPU kernels flush subnormal numbers (< 2.2e-308) to zero, in the samples
    # and in eps: an absolute error up to the smallest normal float times the samples' size.
    tiny = np.finfo(np.float64).tiny * (1.0 + np.max(np.abs(real)) + np.max(np.abs(fake)))
    slack = 4 * np.finfo(np.float64).eps * np.maximum(np.abs(low), np.abs(high)) + tiny
    assert np.all(x_hat >= low - slack) and np.all(x_hat <= high + slack)
    weights = eps.reshape((-1,) + (1,) * (real.ndim - 1))
    expected = weights * real + (1 - weights) * fake
    np.testing.assert_allclose(x_hat, expected, rtol=1e-12, atol=tiny)


@given(sample_pairs(np.float32, float(np.float32(3e38))), st.integers(0, 2**31 - 1))
def test_interpolate_draws_one_uniform_weight_in_the_unit_interval_per_sample(pair, seed):
    real, fake = pair
    x_hat, eps = losses.interpolate(real, fake, seed=seed)
    eps = eps.numpy()
    assert eps.shape == (len(real),) and eps.dtype == np.float32
    assert np.all((eps >= 0.0) & (eps <= 1.0))
    assert np.all(np.isfinite(x_hat.numpy()))
    # The same weight for every coordinate of a sample: x_hat - fake = eps (real - fake).
    x_hat2, _ = losses.interpolate(real, fake, eps=eps)
    np.testing.assert_array_equal(x_hat.numpy(), x_hat2.numpy())


EXTRAPOLATION = pytest.mark.xfail(
    strict=True,
    reason="losses.interpolate accepts eps outside [0, 1] (it extrapolates): kept on purpose, "
    "as notebooks/03_wgan_gp_mnist.ipynb draws interpolates at weights -1.5 ... 2 through it "
    "to show what a normal eps does; refusing them needs that notebook changed first",
)


@pytest.mark.parametrize(
    "eps",
    [
        pytest.param([2.0, 0.5], marks=EXTRAPOLATION),
        pytest.param([-0.5, 0.5], marks=EXTRAPOLATION),
        [math.nan, 0.5],
        [math.inf, 0.5],
        [0.5, 0.5, 0.5],
    ],
)
def test_regression_interpolate_rejects_weights_outside_the_unit_interval(eps):
    with pytest.raises(ValueError, match="eps"):
        losses.interpolate(np.ones((2, 3)), np.zeros((2, 3)), eps=eps)


def test_regression_interpolate_rejects_samples_of_different_shapes():
    with pytest.raises(ValueError, match="fake"):
        losses.interpolate(np.ones((2, 3)), np.zeros((2, 4)), eps=[0.5, 0.5])


# ---------------------------------------------------------------------------------------
# The gradient penalty against numerical differentiation of a NumPy critic.
# ---------------------------------------------------------------------------------------

DIM, HIDDEN = 3, 4
CRITIC = keras.Sequential(
    [
        keras.Input((DIM,), dtype="float64"),
        keras.layers.Dense(HIDDEN, activation="tanh", dtype="float64"),
        keras.layers.Dense(1, dtype="float64"),
    ]
)
critic_weights = st.tuples(
    hnp.arrays(np.float64, (DIM, HIDDEN), elements=st.floats(-3.0, 3.0)),
    hnp.arrays(np.float64, (HIDDEN,), elements=st.floats(-3.0, 3.0)),
    hnp.arrays(np.float64, (HIDDEN, 1), elements=st.floats(-3.0, 3.0)),
    hnp.arrays(np.float64, (1,), elements=st.floats(-3.0, 3.0)),
)
# Inputs from 0 and subnormal numbers to 1e300, where tanh saturates.
points = hnp.arrays(np.float64, (4, DIM), elements=st.floats(-1e300, 1e300))
moderate_points = hnp.arrays(np.float64, (4, DIM), elements=st.floats(-5.0, 5.0))


def _numpy_critic(weights, x):
    w1, b1, w2, b2 = weights
    return (np.tanh(x @ w1 + b1) @ w2 + b2)[:, 0]


def _complex_step_norms(weights, x):
    """Per-sample norms of the input gradient by complex-step differentiation.

    df/dx_k = Im f(x + i h e_k) / h (Squire and Trapp 1998): numerical differentiation with
    no subtraction, so exact to rounding for any step h and any |x|, even 1e300 where a
    finite difference x + h == x.
    """
    step = 1e-30
    gradients = np.zeros_like(x)
    for k in range(x.shape[1]):
        shifted = x.astype(np.complex128)
        shifted[:, k] += 1j * step
        gradients[:, k] = _numpy_critic(weights, shifted).imag / step
    return np.sqrt(np.sum(gradients**2, axis=1) + losses.NORM_EPSILON)


@given(critic_weights, st.one_of(points, moderate_points), moderate_points, st.data())
def test_gradient_penalty_matches_numerical_differentiation(weights, real, fake, data):
    CRITIC.set_weights(list(weights))
    eps = np.array(data.draw(st.lists(weights_in_unit_interval, min_size=4, max_size=4)))
    x_hat = eps[:, None] * real + (1 - eps[:, None]) * fake
    expected = _complex_step_norms(weights, x_hat)
    penalty, norms = losses.gradient_penalty(CRITIC, real, fake, eps=eps)
    one_sided, _ = losses.gradient_penalty(CRITIC, real, fake, one_sided=True, eps=eps)
    norms = norms.numpy()
    assert np.all(np.isfinite(norms)) and np.all(norms > 0)
    np.testing.assert_allclose(norms, expected, rtol=1e-9, atol=1e-12)
    assert float(penalty) == pytest.approx(np.mean((norms - 1.0) ** 2), rel=1e-12)
    assert float(one_sided) == pytest.approx(np.mean(np.maximum(norms - 1.0, 0.0) ** 2), rel=1e-12)
    assert 0.0 <= float(one_sided) <= float(penalty) + 1e-15


# ---------------------------------------------------------------------------------------
# Weight clipping.
# ---------------------------------------------------------------------------------------

CLIPPED = keras.Sequential([keras.Input((DIM,)), keras.layers.Dense(2)])
float32_weights = st.tuples(
    hnp.arrays(
        np.float32, (DIM, 2), elements=st.floats(width=32, allow_nan=False, allow_infinity=False)
    ),
    hnp.arrays(
        np.float32, (2,), elements=st.floats(width=32, allow_nan=False, allow_infinity=False)
    ),
)


@given(float32_weights, st.floats(min_value=0.0, max_value=1e300, exclude_min=True))
def test_clip_weights_bounds_every_weight_and_keeps_the_small_ones(weights, clip_value):
    CLIPPED.set_weights(list(weights))
    losses.clip_weights(CLIPPED, clip_value)
    c = np.float32(min(clip_value, FLOAT32_MAX)) if clip_value <= FLOAT32_MAX else np.inf
    tiny = np.finfo(np.float32).tiny
    for before, after in zip(weights, CLIPPED.get_weights(), strict=False):
        assert np.all(np.abs(after) <= c)
        expected = np.clip(before, -c, c)
        # TensorFlow's CPU kernels flush subnormal float32 numbers (< 1.2e-38) to zero.
        expected[np.abs(expected) < tiny] = 0.0
        after[np.abs(after) < tiny] = 0.0
        np.testing.assert_array_equal(after, expected)


@given(st.sampled_from([0.0, -0.0, -1.0, -1e300, -5e-324, math.nan, -math.inf]))
def test_clip_weights_names_a_clip_value_that_is_not_positive(clip_value):
    with pytest.raises(ValueError, match="clip_value"):
        losses.clip_weights(CLIPPED, clip_value)
