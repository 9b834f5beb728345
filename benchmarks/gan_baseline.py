"""The standard GAN against WGAN-GP and spectral normalisation, at equal wall time.

The experiment behind the GAN-baseline section of notebooks/03_wgan_gp_mnist.ipynb: does
a loss track sample quality? The WGAN paper shows it for LSUN (Arjovsky et al. 2017, arXiv
1701.07875, Figures 3-4: the critic's estimate falls as samples improve, a GAN's
discriminator loss does not); this script measures it on MNIST with the package's own
trainer. Run from the repository root, alone on the machine, with full MNIST in
`WGAN_TUTORIAL_MNIST`:

    python benchmarks/gan_baseline.py [--seconds 120] [--every 20] [--n 2000] \\
        [--toy-seconds 10] [--out wgan_tutorial/assets/baseline/gan_baseline.json]

MNIST: the same networks (`models.image_generator` / `image_critic`, width 16), seed 0,
`--seconds` of training each (not counting the evaluations and the first step, which
traces the graph), for
- gp: `train(loss="gp")` defaults (beta (0.5, 0.9), batch 32) with the defaults of the
  day the comparison was recorded: n_critic 5, one learning rate of 1e-3, a generator
  without batch norm (the same generator as the other three runs);
- gan, gan-minimax: the standard GAN (Goodfellow et al. 2014, arXiv 1406.2661), DCGAN's
  Adam (2e-4, beta (0.5, 0.999), Radford et al. 2016), batch 64, one discriminator update
  per generator update (`default_config`);
- sn: the Wasserstein objective with a spectrally normalised critic (Miyato et al. 2018,
  arXiv 1802.05957) at gp's optimizer, which is Miyato et al.'s Table 1 setting D (Adam
  1e-3, beta (0.5, 0.9), n_critic 5): it differs from gp only in how the critic is
  constrained.
All four draw their samples from a moving average of the generator's weights (ema 0.999,
gp's default; training is unchanged by it). Every `--every` seconds of training: the mean
critic (discriminator) loss, generator loss and W estimate (mean f(x) - mean f(x~)) over
the steps since the last point, the FID of `--n` samples against the MNIST test split
(`metrics.fid_to_real`, the package's classifier features) and the class coverage of the
same samples (`metrics.class_coverage`: the share of each digit).

Toys (8gaussians): clip, gp and sn with the explorer's MLPs (64 units, 3 layers), Adam or
RMSprop at 2e-3, batch 256, n_critic 5, `--toy-seconds` each (counted as for MNIST); scored
by the exact W1 (`divergences.w1_point_clouds`) between 300 generated and 300 real points.
`--toys-only` runs just these and replaces the "toys" part of an existing `--out`.

Prints one line per point and writes everything, with the command line (per part), the
load average and the versions (no path of the machine), to `--out` as JSON.
"""

import argparse
import json
import os
import platform
import sys
import time

import numpy as np

from wgan_tutorial import config as package_config

MNIST_RUNS = {  # name -> train() keyword arguments beyond the shared ones
    "gp": dict(
        loss="gp", n_critic=5, critic_lr_scale=1.0, learning_rate=1e-3, generator_norm="none"
    ),
    "gan": dict(loss="gan", ema=0.999),
    "gan-minimax": dict(loss="gan-minimax", ema=0.999),
    "sn": dict(loss="sn", learning_rate=1e-3, batch_size=32, ema=0.999),
}
TOY_RUNS = ("clip", "gp", "sn")
TOY_SETTINGS = dict(
    dataset="8gaussians", width=64, depth=3, batch_size=256, n_critic=5, learning_rate=2e-3
)
TOY_POINTS = 300
UNLIMITED_STEPS = 10**9


def _equal_time_callback(keras, seconds, every, evaluate):
    """A keras callback: `evaluate(model, window_logs, training_seconds)` every `every`
    seconds of training and at the start, stopping after `seconds`. Not counted: the first
    step (graph tracing: 3-12 s here, more for the critics that differentiate twice) and the
    evaluations (the clock pauses while they run)."""

    class EqualTime(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.paused, self.next_point, self.window = 0.0, every, []
            self.start = None
            evaluate(self.model, [], 0.0)

        def _evaluate(self, training_seconds):
            begun = time.perf_counter()
            evaluate(self.model, self.window, training_seconds)
            self.window = []
            self.paused += time.perf_counter() - begun

        def on_train_batch_end(self, batch, logs=None):
            self.window.append({name: float(value) for name, value in (logs or {}).items()})
            if self.start is None:  # the clock starts after the first (tracing) step
                self.start = time.perf_counter()
                return
            elapsed = time.perf_counter() - self.start - self.paused
            if elapsed >= self.next_point or elapsed >= seconds:
                self._evaluate(elapsed)
                self.next_point += every
            if elapsed >= seconds:
                self.model.stop_training = True

    return EqualTime()


def mnist_run(name, seconds, every, n):
    """Train one MNIST run for `seconds`; returns its dict of settings and points."""
    import keras

    from wgan_tutorial import metrics, models, training

    points = []

    def evaluate(model, window, training_seconds):
        images = models.sample(model.sampler, n, seed=0)
        means = {
            key: (float(np.mean([row[key] for row in window])) if window else None)
            for key in ("critic_loss", "generator_loss", "w_estimate")
        }
        point = dict(
            step=model.step,
            seconds=round(training_seconds, 2),
            fid=metrics.fid_to_real(images, "test", value_range="[-1,1]", progress=False),
            coverage=metrics.class_coverage(images, value_range="[-1,1]", progress=False)
            .round(4)
            .tolist(),
            **means,
        )
        points.append(point)
        print(
            f"{name:12s} step {point['step']:5d} {point['seconds']:6.1f} s  FID "
            f"{point['fid']:7.1f}  critic loss {_show(means['critic_loss'])}  W estimate "
            f"{_show(means['w_estimate'])}  classes {min(point['coverage']):.3f}-"
            f"{max(point['coverage']):.3f}",
            flush=True,
        )

    options = dict(dataset="mnist", width=16, seed=0, **MNIST_RUNS[name])
    wgan, _ = training.train(
        steps=UNLIMITED_STEPS,
        progress=False,
        callbacks=[_equal_time_callback(keras, seconds, every, evaluate)],
        **options,
    )
    config = training.default_config(options["loss"], "mnist")
    config.update(options)
    settings = {
        key: config[key]
        for key in (
            "loss",
            "width",
            "n_critic",
            "batch_size",
            "learning_rate",
            "critic_lr_scale",
            "beta_1",
            "ema",
            "seed",
        )
    }
    settings["beta_2"] = float(wgan.critic_optimizer.beta_2)
    return dict(settings=settings, points=points)


def _show(value):
    return "   -   " if value is None else f"{value:7.3f}"


def toy_run(loss, seconds):
    """Train one toy run for `seconds`; returns steps, W estimate and the exact W1."""
    import keras

    from wgan_tutorial import data, divergences, models, training

    clock = _equal_time_callback(keras, seconds, seconds, lambda *args: None)
    wgan, history = training.train(
        loss=loss, steps=UNLIMITED_STEPS, seed=0, progress=False, callbacks=[clock], **TOY_SETTINGS
    )
    real = data.toy_samples("8gaussians", TOY_POINTS, seed=1)
    fake = models.sample(wgan.generator, TOY_POINTS, seed=2)
    result = dict(
        steps=wgan.step,
        w_estimate=float(history["w_estimate"][-1]),
        w1=float(divergences.w1_point_clouds(real, fake)),
    )
    print(
        f"toy {loss:5s} {result['steps']:5d} steps in {seconds:g} s: exact W1 "
        f"{result['w1']:.3f}, W estimate {result['w_estimate']:.3f}",
        flush=True,
    )
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=120.0, help="training seconds per MNIST run (default 120)"
    )
    parser.add_argument(
        "--every", type=float, default=20.0, help="training seconds between points (default 20)"
    )
    parser.add_argument("--n", type=int, default=2000, help="samples per FID (default 2000)")
    parser.add_argument(
        "--toy-seconds",
        type=float,
        default=10.0,
        help="seconds per toy run; 0 skips the toys (default 10)",
    )
    parser.add_argument("--runs", nargs="*", default=list(MNIST_RUNS), choices=list(MNIST_RUNS))
    parser.add_argument(
        "--toys-only",
        action="store_true",
        help="run the toys only and replace them in an existing --out",
    )
    parser.add_argument(
        "--out",
        default="wgan_tutorial/assets/baseline/gan_baseline.json",
        help="JSON file to write (relative to the current folder)",
    )
    args = parser.parse_args()
    if package_config.fast_mode():
        raise SystemExit("run without WGAN_TUTORIAL_FAST: the benchmark measures full models")
    import tensorflow as tf

    command = " ".join(["python", "benchmarks/gan_baseline.py"] + sys.argv[1:])
    out = os.path.normpath(args.out)
    started = time.perf_counter()
    machine = dict(
        cpus=os.cpu_count(),
        load_average_before=_load(),
        python=platform.python_version(),
        tensorflow=tf.__version__,
    )
    if args.toys_only:
        with open(out) as handle:
            record = json.load(handle)
    else:
        mnist = {name: mnist_run(name, args.seconds, args.every, args.n) for name in args.runs}
        record = dict(
            command=command,
            date=_today(),
            machine=machine,
            mnist=dict(
                seconds=args.seconds, every=args.every, n=args.n, fid_reference="test", runs=mnist
            ),
        )
        machine["load_average_after"] = _load()
    if args.toy_seconds > 0:
        toys = {loss: toy_run(loss, args.toy_seconds) for loss in TOY_RUNS}
        record["toys"] = dict(
            command=command,
            date=_today(),
            machine=machine,
            seconds=args.toy_seconds,
            samples=TOY_POINTS,
            settings=TOY_SETTINGS,
            runs=toys,
        )
        machine["load_average_after"] = _load()
    wall = time.perf_counter() - started
    if not args.toys_only:
        record["wall_seconds"] = round(wall, 1)
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w") as handle:
        json.dump(record, handle, indent=1)
        handle.write("\n")
    print(f"wrote {out} ({wall:.0f} s in all)")


def _load():
    return [round(value, 2) for value in os.getloadavg()]


def _today():
    return time.strftime("%Y-%m-%d", time.gmtime())


if __name__ == "__main__":
    main()
