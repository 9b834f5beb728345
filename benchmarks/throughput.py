"""Training throughput of the MNIST WGAN on this machine, for a few model widths.

One generator iteration = n_critic critic updates + 1 generator update (`WGAN.train_step`
through `fit`). "images/s" counts the real images the critic sees: n_critic x batch per
iteration. Prints one line per configuration.

    python benchmarks/throughput.py [--widths 16 32 64] [--loss gp clip] [--steps 10]
"""

import argparse
import time

from wgan_tutorial.config import import_tensorflow, seed_everything

tf = import_tensorflow()

from wgan_tutorial import models, training  # noqa: E402
from wgan_tutorial.data import mnist_dataset  # noqa: E402


def measure(width, loss, batch_size, n_critic, steps, noise_dim=128):
    seed_everything(0)
    generator = models.mnist_generator(noise_dim, width)
    critic = models.mnist_critic(width)
    wgan = training.WGAN(generator, critic, loss=loss, n_critic=n_critic)
    wgan.compile()
    dataset = mnist_dataset(batch_size * n_critic, seed=0)
    wgan.fit(dataset, steps_per_epoch=2, epochs=1, verbose=0, shuffle=False)  # trace and warm up
    start = time.perf_counter()
    wgan.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0, shuffle=False)
    seconds = time.perf_counter() - start
    params = generator.count_params() + critic.count_params()
    iterations = steps / seconds
    print(
        f"width {width:3d} loss {loss:4s} batch {batch_size} n_critic {n_critic}: "
        f"params {params / 1e6:5.2f} M (G {generator.count_params() / 1e6:.2f} M, "
        f"D {critic.count_params() / 1e6:.2f} M), "
        f"images/s {iterations * batch_size * n_critic:7.1f}, "
        f"generator steps/s {iterations:6.2f}",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=int, nargs="+", default=[16, 32, 64])
    parser.add_argument("--loss", nargs="+", default=["gp", "clip"])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--n-critic", type=int, default=5)
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()
    print(
        f"TensorFlow {tf.__version__}, {tf.config.threading.get_inter_op_parallelism_threads()}"
        f" inter-op threads, CPU cores visible: {len(tf.config.list_physical_devices('CPU'))}"
    )
    for loss in args.loss:
        for width in args.widths:
            measure(width, loss, args.batch_size, args.n_critic, args.steps)


if __name__ == "__main__":
    main()
