"""Train the same runs on one device and on two replicas, and print how far apart they end.

Run by tests/test_devices.py in a fresh process: the CPU must be split into two logical
devices before TensorFlow starts, which a pytest process that has already trained cannot do.
Prints one JSON object: per case, the largest absolute difference between the weights (every
variable of the `WGAN`: both networks, the moving average, the optimizers' slots, the step
counter and the noise generator's state) and between the metrics rows, plus what a run on two
replicas stopped by SIGTERM and resumed, and one whose critic turns NaN, left behind.
"""

import json
import os
import signal
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("WGAN_TUTORIAL_FAST", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from wgan_tutorial import devices, training  # noqa: E402

devices.split_cpu(2)  # before any run starts TensorFlow's runtime

import keras  # noqa: E402

TOY = {"dataset": "8gaussians", "width": 16, "batch_size": 8}
CASES = {
    "clip": {"loss": "clip", "steps": 2, "n_critic": 2, **TOY},
    "gp, conditional": {"loss": "gp", "steps": 2, "n_critic": 2, "conditional": True, **TOY},
    # MNIST at the defaults: batch norm in the generator and the moving average
    "gp, MNIST defaults": {"loss": "gp", "steps": 2, "width": 4, "batch_size": 8},
}
METRICS = ("critic_loss", "generator_loss", "w_estimate", "critic_grad_norm", "gp")


def largest_difference(a, b):
    pairs = zip(a, b, strict=True)
    return max(float(np.max(np.abs(np.asarray(x, np.float64) - y), initial=0)) for x, y in pairs)


def run(count, options, **more):
    wgan, history = training.train(devices=count, progress=False, seed=3, **options, **more)
    return [np.asarray(v) for v in wgan.weights], history


def metrics_difference(one, two):
    return max(
        float(np.nanmax(np.abs(one[name] - two[name]), initial=0))
        for name in METRICS
        if name in one
    )


class At(keras.callbacks.Callback):
    """After generator step `step`: send SIGTERM, or turn the critic's weights to NaN."""

    def __init__(self, step, what):
        super().__init__()
        self.at, self.what = step, what

    def on_train_batch_end(self, batch, logs=None):
        if self.model.step != self.at:
            return
        if self.what == "sigterm":
            os.kill(os.getpid(), signal.SIGTERM)
        else:
            for variable in self.model.critic.trainable_variables:
                variable.assign(variable * np.nan)


def stopped_then_resumed(folder):
    """A run on two replicas stopped by SIGTERM at step 3, then resumed to step 6."""
    save_dir = Path(folder) / "run"
    options = {"loss": "gp", "n_critic": 2, "save_dir": save_dir, "checkpoint_every": 2, **TOY}
    try:
        run(2, options, steps=6, callbacks=[At(3, "sigterm")])
        stopped = "not stopped"
    except training.TrainingInterrupted as error:
        stopped = str(error)
    saved = sorted(path.name for path in (save_dir / "checkpoints").glob("*.index"))
    wgan, history = training.train(devices=2, progress=False, seed=3, steps=6, **options)
    return {
        "stopped": stopped,
        "checkpoints after the signal": saved,
        "steps": [int(step) for step in history["step"]],
        "resumed to": wgan.step,
        "finite": bool(all(np.all(np.isfinite(history[name])) for name in METRICS)),
    }


def main():
    result = {}
    for name, options in CASES.items():
        (one, history_one), (two, history_two) = run(1, options), run(2, options)
        result[name] = {
            "weights": largest_difference(one, two),
            "metrics": metrics_difference(history_one, history_two),
            "variables": len(one),
        }
    with tempfile.TemporaryDirectory() as folder:
        result["stopped and resumed"] = stopped_then_resumed(folder)
        try:
            run(
                2,
                {"loss": "gp", "save_dir": Path(folder) / "nan", "checkpoint_every": 2, **TOY},
                steps=6,
                callbacks=[At(3, "nan")],
            )
            result["nan"] = "no error"
        except training.NonFiniteLossError as error:
            result["nan"] = str(error)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
