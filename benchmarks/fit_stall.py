"""Does `fit` wait after its last step? `training.train` with tf.data's autotuning on and off.

`data.prefetched`, the last stage of every pipeline that the package gives `fit`, switches
tf.data's autotuning off. This runs `training.train(loss="gp", dataset="mnist", steps=N)`
(package defaults, no checkpoints, no progress bar) in interleaved rounds, once as the
package does it and once with `data.prefetched` replaced by a plain
`dataset.prefetch(tf.data.AUTOTUNE)` (TensorFlow's default options, autotuning on), and
prints for each run the seconds before `fit`'s first step, of its steps, and from the end of
its last step to `train` returning:

    python benchmarks/fit_stall.py [--steps 300] [--rounds 3]

Full MNIST (`WGAN_TUTORIAL_MNIST`) is not needed: the package's subset serves. Run it alone
on the machine; the "after the last step" column is the figure to read.
"""

import argparse
import statistics
import time

from wgan_tutorial.config import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402

from wgan_tutorial import data, training  # noqa: E402


class _Clock(keras.callbacks.Callback):
    """When fit began and when its last step ended."""

    def on_train_begin(self, logs=None):
        self.began = self.last_step = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.last_step = time.perf_counter()


def _autotuned(dataset):
    return dataset.prefetch(tf.data.AUTOTUNE)  # TensorFlow's default options


def timed_train(steps):
    """(seconds before fit's first step, of the steps, after the last step) of one `train`."""
    clock = _Clock()
    started = time.perf_counter()
    training.train(loss="gp", dataset="mnist", steps=steps, progress=False, callbacks=[clock])
    return (
        clock.began - started,
        clock.last_step - clock.began,
        time.perf_counter() - clock.last_step,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=300, help="generator steps per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each pipeline")
    args = parser.parse_args()
    package_prefetched = data.prefetched
    variants = {
        "autotuning off (package)": package_prefetched,
        "autotuning on (TF default)": _autotuned,
    }
    after = {name: [] for name in variants}
    print(f"train(loss='gp', dataset='mnist', steps={args.steps}), seconds:")
    for round_ in range(args.rounds):
        for name, prefetched in variants.items():
            data.pipeline.prefetched = prefetched  # where the pipelines look it up
            try:
                before, steps, tail = timed_train(args.steps)
            finally:
                data.pipeline.prefetched = package_prefetched
            after[name].append(tail)
            print(
                f"  round {round_ + 1}, {name:26s} before fit {before:5.2f}, steps "
                f"{steps:6.2f}, after the last step {tail:5.2f}",
                flush=True,
            )
    for name, tails in after.items():
        stalled = sum(tail > 1.0 for tail in tails)
        print(
            f"{name:26s} after the last step: median {statistics.median(tails):.2f} s, "
            f"max {max(tails):.2f} s; over 1 s in {stalled} of {len(tails)} runs"
        )


if __name__ == "__main__":
    main()
