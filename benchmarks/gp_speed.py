"""WGAN-GP training speed on MNIST for several (width, batch size) configurations.

One generator iteration ("step") = n_critic = 5 critic updates with the gradient penalty
+ 1 generator update (`training.WGAN.train_step`, driven by `fit` as in `wgan-tutorial
train`). "images/s" counts the real images the critic sees, n_critic x batch per step.
Each configuration is timed inside one `fit` call after a warm-up (graph tracing, the
shuffle buffer) for at least `--seconds`, and prints one line of figures.

Run it alone on the machine, at normal priority, as the numbers quoted in models.py were:

    python benchmarks/gp_speed.py [--configs 8x64 16x32 16x64 16x128 32x64] [--seconds 10]

A configuration is WIDTHxBATCH (the model width of `models.mnist_generator` /
`models.mnist_critic`, and the batch size per critic update).
"""

import argparse
import os
import time

from wgan_tutorial.config import import_tensorflow, seed_everything

tf = import_tensorflow()
import keras  # noqa: E402

from wgan_tutorial import defaults, models, training  # noqa: E402
from wgan_tutorial.data import mnist_dataset  # noqa: E402

WARMUP_STEPS = 5


class _StepClock(keras.callbacks.Callback):
    """Times the steps after the warm-up; stops once `seconds` have been timed."""

    def __init__(self, seconds):
        super().__init__()
        self.seconds, self.start, self.timed_steps, self.elapsed = seconds, None, 0, 0.0

    def on_train_batch_end(self, batch, logs=None):
        now = time.perf_counter()
        if batch + 1 == WARMUP_STEPS:
            self.start = now
        elif self.start is not None:
            self.timed_steps, self.elapsed = batch + 1 - WARMUP_STEPS, now - self.start
            if self.elapsed >= self.seconds:
                self.model.stop_training = True


def measure(width, batch_size, seconds, n_critic=5, noise_dim=defaults.NOISE_DIM):
    """Steps/s and images/s of WGAN-GP at this width and batch size; prints one line."""
    seed_everything(0)
    generator = models.mnist_generator(noise_dim, width)
    critic = models.mnist_critic(width)
    wgan = training.WGAN(generator, critic, loss="gp", n_critic=n_critic)
    wgan.compile()
    clock = _StepClock(seconds)
    dataset = mnist_dataset(batch_size * n_critic, seed=0)
    wgan.fit(dataset, steps_per_epoch=10**6, epochs=1, verbose=0, shuffle=False, callbacks=[clock])
    steps_per_second = clock.timed_steps / clock.elapsed
    params = generator.count_params() + critic.count_params()
    print(
        f"width {width:3d} batch {batch_size:4d}: params {params / 1e6:5.2f} M, "
        f"images/s {steps_per_second * batch_size * n_critic:7.1f}, "
        f"generator steps/s {steps_per_second:6.2f} "
        f"({clock.timed_steps} steps in {clock.elapsed:.1f} s)",
        flush=True,
    )
    return steps_per_second


def _config(text):
    try:
        width, batch = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be WIDTHxBATCH such as 16x64, got {text!r}"
        ) from None
    if width < 1 or batch < 1:
        raise argparse.ArgumentTypeError(f"width and batch must be >= 1, got {text!r}")
    return width, batch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--configs",
        type=_config,
        nargs="+",
        default=[(8, 64), (16, 32), (16, 64), (16, 128), (24, 64), (32, 64)],
        help="WIDTHxBATCH pairs (default 8x64 16x32 16x64 16x128 24x64 32x64)",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=10.0,
        help="timed seconds per configuration after the warm-up (default 10)",
    )
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}, {cores} CPU cores, "
        f"WGAN-GP n_critic 5",
        flush=True,
    )
    for width, batch_size in args.configs:
        measure(width, batch_size, args.seconds)


if __name__ == "__main__":
    main()
