"""How close one WGAN training step comes to what this CPU can do, and where its time goes.

Run from the repository root (full MNIST is not needed: the timings use random batches of
the right shape; the fit() timing uses the data pipeline of the MNIST source found):

    python benchmarks/roofline.py [--loss gp|clip] [--width 16] [--batch-size 32] [--seconds 20]

Prints:
- FLOPs: the forward multiply-adds of every Dense / Conv2D / Conv2DTranspose layer of the
  generator (F_g) and the critic (F_c), counted from the layer shapes (2 FLOPs per
  multiply-add), and those of one generator iteration of Algorithm 1:
      k (B F_g + c B F_c) + 3 B F_g + 2 B F_c,
  with k = n_critic, B = batch size and c = 6 for clipping (forward on the real and the fake
  batch, then a backward pass costing about twice the forward: weights and activations) or
  c = 12 for the penalty (those 6, plus the penalty's forward at the interpolates, the input
  gradient (about 1 forward) and its differentiation with respect to the weights, about
  twice both: 1 + 1 + 4). The generator's update: forward through G and C, backward through
  C (activations only) and G (weights and activations).
- The machine's peak: a 2048 x 2048 float32 matmul in the same process (2 n^3 FLOPs).
- Achieved FLOP/s of the step compiled as one graph, its ratio to the peak, and the time
  of each part: generator forward, the critic's Wasserstein-loss forward/backward, the
  penalty's double backward, the generator's update, the whole step as one graph, the
  input pipeline alone, and the median step inside `fit()`, timed in rounds alternating with
  the graph's (the difference is the iterator, Keras' loop and the callbacks).
- Each Dense / Conv2D / Conv2DTranspose layer alone: its forward pass with both gradients
  (input and weights, about 3 x the forward FLOPs) on a batch of B, repeated inside one
  graph: its FLOP/s, and its shares of these layers' FLOPs and of their summed time. The
  one-channel layers (the critic's first convolution, the generator's last) do about 6 % of
  the FLOPs in about 40 % of the time (TensorFlow's convolutions for one input or output
  channel reach a tenth of the rate of the others): that is where the step falls furthest
  below the machine.

Timings are medians of repeated runs after a warm-up; run it on an otherwise idle machine.
"""

import argparse
import os
import statistics
import time

import numpy as np

from wgan_tutorial.config import import_tensorflow, seed_everything

tf = import_tensorflow()
import keras  # noqa: E402

from wgan_tutorial import data, losses, training  # noqa: E402

ROUNDS = 3  # alternating rounds of the graph alone and of fit()


def flops_of(layer):
    """Forward FLOPs per sample of one Dense, Conv2D or Conv2DTranspose layer (2 per
    multiply-add; biases and activations, a few percent, are left out); 0 for others."""
    if isinstance(layer, keras.layers.Dense):
        return 2 * int(np.prod(layer.input.shape[1:])) * layer.units
    if isinstance(layer, keras.layers.Conv2DTranspose):
        _, height, width, channels = layer.input.shape  # each input pixel scatters a kernel
    elif isinstance(layer, keras.layers.Conv2D):
        _, height, width, _ = layer.output.shape
        channels = layer.input.shape[-1]
    else:
        return 0
    kernel_h, kernel_w = layer.kernel_size
    return 2 * height * width * channels * layer.filters * kernel_h * kernel_w


def layer_flops(model):
    """Forward FLOPs per sample of a model's Dense, Conv2D and Conv2DTranspose layers."""
    return sum(flops_of(layer) for layer in model.layers)


def layer_seconds(layer, batch_size, seconds, repeats=20):
    """Median time of one forward pass of `layer` with its input and weight gradients, on a
    random batch, `repeats` times inside one graph (so that no call overhead is counted)."""
    x = tf.random.normal((batch_size,) + tuple(layer.input.shape[1:]))

    @tf.function
    def forward_backward():
        total = tf.constant(0.0)
        for i in tf.range(repeats):  # a new input each time: nothing to reuse between them
            inputs = x + tf.cast(i, tf.float32) * 1e-9
            with tf.GradientTape() as tape:
                tape.watch(inputs)
                output = tf.reduce_sum(layer(inputs))
            gradients = tape.gradient(output, [inputs] + layer.trainable_variables)
            total += tf.add_n([tf.reduce_sum(gradient) for gradient in gradients])
        return total

    return median_seconds(lambda: forward_backward().numpy(), seconds) / repeats


def step_flops(generator_flops, critic_flops, batch_size, n_critic, loss):
    """FLOPs of one generator iteration (see the module docstring for the multipliers)."""
    per_critic_sample = 12 if loss == "gp" else 6
    critic_update = batch_size * (generator_flops + per_critic_sample * critic_flops)
    generator_update = batch_size * (3 * generator_flops + 2 * critic_flops)
    return n_critic * critic_update + generator_update


def median_seconds(function, seconds, minimum_runs=5):
    """Median wall time of `function()` over repeated runs (after one warm-up call)."""
    function()
    times, spent = [], 0.0
    while spent < seconds or len(times) < minimum_runs:
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
        spent += times[-1]
    return statistics.median(times)


class StepClock(keras.callbacks.Callback):
    """The wall time of each step of a `fit` call, from one step's end to the next."""

    def on_train_begin(self, logs=None):
        self.durations, self._last = [], time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        now = time.perf_counter()
        self.durations.append(now - self._last)
        self._last = now


def peak_flops(seconds, n=2048):
    a = tf.random.normal((n, n))
    b = tf.random.normal((n, n))
    matmul = tf.function(lambda: tf.matmul(a, b))
    return 2 * n**3 / median_seconds(lambda: matmul().numpy(), seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loss", choices=("gp", "clip"), default="gp")
    parser.add_argument("--width", type=int, help="model width (default: train's)")
    parser.add_argument("--batch-size", type=int, help="default: train's")
    parser.add_argument("--n-critic", type=int, help="default: train's")
    parser.add_argument("--seconds", type=float, default=10.0, help="timing per part")
    args = parser.parse_args()

    seed_everything(0)
    config = training.default_config(args.loss, "mnist")
    for key in ("width", "batch_size", "n_critic"):
        if getattr(args, key) is not None:
            config[key] = getattr(args, key)
    wgan = training.wgan_from_config(config)
    batch, k = config["batch_size"], config["n_critic"]
    generator, critic = wgan.generator, wgan.critic
    f_g, f_c = layer_flops(generator), layer_flops(critic)
    flops = step_flops(f_g, f_c, batch, k, args.loss)

    rng = np.random.default_rng(0)
    stacked = tf.constant(rng.uniform(-1, 1, (k * batch, 28, 28, 1)).astype(np.float32))
    real = stacked[:batch]
    z = tf.constant(rng.standard_normal((batch, config["noise_dim"])).astype(np.float32))

    @tf.function
    def generator_forward():
        return generator(z, training=True)

    fake = generator_forward()

    @tf.function
    def critic_wasserstein():
        with tf.GradientTape() as tape:
            loss = losses.critic_loss(critic(real, training=True), critic(fake, training=True))
        return tape.gradient(loss, critic.trainable_variables)

    @tf.function
    def critic_penalty():
        with tf.GradientTape() as tape:
            penalty, _ = losses.gradient_penalty(critic, real, fake, seed=0)
        return tape.gradient(penalty, critic.trainable_variables)

    @tf.function
    def generator_update():
        with tf.GradientTape() as tape:
            loss = losses.generator_loss(critic(generator(z, training=True), training=True))
        return tape.gradient(loss, generator.trainable_variables)

    train_step = tf.function(wgan.train_step)

    def fetch(result):
        return [tensor.numpy() for tensor in tf.nest.flatten(result) if tensor is not None]

    peak = peak_flops(args.seconds)
    parts = {
        "generator forward (B)": median_seconds(lambda: fetch(generator_forward()), args.seconds),
        "critic W-loss fwd+bwd": median_seconds(lambda: fetch(critic_wasserstein()), args.seconds),
    }
    if args.loss == "gp":
        parts["penalty double backward"] = median_seconds(
            lambda: fetch(critic_penalty()), args.seconds
        )
    parts["generator update"] = median_seconds(lambda: fetch(generator_update()), args.seconds)
    dataset = data.mnist_dataset(k * batch, seed=0)
    iterator = iter(dataset)
    pipeline_seconds = median_seconds(lambda: next(iterator).numpy(), args.seconds / 2)
    wgan.fit(dataset, epochs=1, steps_per_epoch=5, verbose=0, shuffle=False)  # warm-up: tracing
    # the graph alone and fit() in alternating rounds, so that the machine's drift between
    # them (up to 18 % between two consecutive fit() calls on the 2-core machine) falls on both
    graph_rounds, fit_rounds = [], []
    for _ in range(ROUNDS):
        graph_rounds.append(
            median_seconds(lambda: fetch(train_step(stacked)), args.seconds / ROUNDS)
        )
        clock = StepClock()
        wgan.fit(
            dataset,
            epochs=1,
            verbose=0,
            shuffle=False,
            callbacks=[clock],
            steps_per_epoch=max(20, int(args.seconds / ROUNDS / graph_rounds[-1])),
        )
        fit_rounds.append(statistics.median(clock.durations[1:]))  # the first waits for data
    step_seconds, fit_seconds = statistics.median(graph_rounds), statistics.median(fit_rounds)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"WGAN-{args.loss} on MNIST: width {config['width']}, batch {batch}, n_critic {k}, "
        f"{cores} cores, TensorFlow {tf.__version__}"
    )
    print(
        f"forward FLOPs per sample: generator {f_g / 1e6:.2f} M, critic {f_c / 1e6:.2f} M; "
        f"one training step {flops / 1e9:.3f} GFLOP"
    )
    print(f"peak (2048^3 float32 matmul): {peak / 1e9:.1f} GFLOP/s")
    print(
        f"step as one graph: {step_seconds * 1e3:.1f} ms = {1 / step_seconds:.1f} steps/s, "
        f"{flops / step_seconds / 1e9:.2f} GFLOP/s = {flops / step_seconds / peak:.1%} of peak"
    )
    print(
        f"fit() per step (median of its steps, {ROUNDS} rounds alternating with the graph's): "
        f"{fit_seconds * 1e3:.1f} ms = {1 / fit_seconds:.1f} steps/s (over the graph: "
        f"{(fit_seconds - step_seconds) * 1e3:.1f} ms); input "
        f"pipeline alone: {pipeline_seconds * 1e3:.2f} ms per stacked batch"
    )
    per_update = {
        "generator forward (B)": k,
        "critic W-loss fwd+bwd": k,
        "penalty double backward": k,
        "generator update": 1,
    }
    print("where one step's time goes (each part timed alone, x its count per step):")
    for name, seconds in parts.items():
        share = per_update[name] * seconds / step_seconds
        print(
            f"  {name:26s} {seconds * 1e3:7.2f} ms x {per_update[name]} = {share:6.1%} of the step"
        )
    rows = [
        (model.name, layer, layer_seconds(layer, batch, args.seconds / 10))
        for model in (generator, critic)
        for layer in model.layers
        if flops_of(layer)
    ]
    all_flops = sum(flops_of(layer) for _, layer, _ in rows)
    all_seconds = sum(seconds for _, _, seconds in rows)
    print(
        f"each weighted layer alone, forward + input and weight gradients, batch {batch} "
        f"(shares: of these layers' FLOPs and of their summed time):"
    )
    for model_name, layer, seconds in rows:
        rate = 3 * flops_of(layer) * batch / seconds
        shape = f"{tuple(layer.input.shape[1:])} -> {tuple(layer.output.shape[1:])}"
        print(
            f"  {model_name:9s} {layer.name:19s} {shape:28s} {seconds * 1e3:5.2f} ms "
            f"{rate / 1e9:6.1f} GFLOP/s   FLOPs {flops_of(layer) / all_flops:6.1%}   "
            f"time {seconds / all_seconds:6.1%}"
        )


if __name__ == "__main__":
    main()
