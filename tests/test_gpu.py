"""The same numbers on a GPU as on the CPU: the penalty, the clipping, the FID, one step.

Run where TensorFlow sees a GPU; skipped, with the reason printed (`pytest -rs`), where it
does not. Each quantity is computed twice from the same inputs and weights, once placed on
the CPU and once on the GPU, and compared with a tolerance stated per test: GPU kernels sum
in another order (and may use TF32 for matrix products), so agreement is to float32 rounding
of those sums, not to the bit.
"""

import numpy as np
import pytest

from wgan_tutorial import losses, metrics, models
from wgan_tutorial.config import import_tensorflow, seed_everything

tf = import_tensorflow()

pytestmark = pytest.mark.skipif(
    not tf.config.list_physical_devices("GPU"),
    reason="no GPU visible to TensorFlow: the GPU-against-CPU checks did not run",
)


def on(device, function):
    with tf.device(device):
        return function()


def critic_and_batches(seed=0):
    seed_everything(seed)
    critic = models.image_critic((28, 28, 1), 8)
    rng = np.random.default_rng(seed)
    real = rng.uniform(-1, 1, (16, 28, 28, 1)).astype(np.float32)
    fake = rng.uniform(-1, 1, (16, 28, 28, 1)).astype(np.float32)
    eps = rng.uniform(0, 1, 16).astype(np.float32)
    return critic, real, fake, eps


def test_gradient_penalty_is_the_same_on_gpu_and_cpu():
    critic, real, fake, eps = critic_and_batches()

    def penalty():
        value, norms = losses.gradient_penalty(critic, real, fake, eps=eps)
        return float(value), np.asarray(norms)

    cpu, gpu = on("/CPU:0", penalty), on("/GPU:0", penalty)
    assert gpu[0] == pytest.approx(cpu[0], rel=1e-3)
    np.testing.assert_allclose(gpu[1], cpu[1], rtol=1e-3)


def test_clipping_is_the_same_on_gpu_and_cpu():
    weights = {}
    for device in ("/CPU:0", "/GPU:0"):
        critic, *_ = critic_and_batches()
        for variable in critic.trainable_variables:
            variable.assign(variable * 100.0)
        on(device, lambda critic=critic: losses.clip_weights(critic, 0.01))
        weights[device] = [np.asarray(v) for v in critic.trainable_variables]
    for cpu, gpu in zip(weights["/CPU:0"], weights["/GPU:0"], strict=True):
        np.testing.assert_array_equal(gpu, cpu)  # a clip is exact on any device
        assert np.abs(cpu).max() <= 0.01


def test_fid_is_the_same_on_gpu_and_cpu():
    rng = np.random.default_rng(1)
    images = np.clip(rng.normal(0.0, 0.5, (500, 28, 28, 1)), -1, 1).astype(np.float32)

    def fid():
        return metrics.fid_to_real(images, "test", n=500, progress=False)

    cpu, gpu = on("/CPU:0", fid), on("/GPU:0", fid)
    assert gpu == pytest.approx(cpu, rel=1e-3)
