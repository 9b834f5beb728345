"""The MNIST lambda x n_critic sweep of notebook 05: run it and record it.

`run_sweep` (the `wgan-tutorial sweep` command) trains one `training.train` run per
(lambda, n_critic) cell, for a number of steps or a time budget, and records W-estimate
curves, FID at a few steps or at the end (`metrics.fid_to_real`) and a final sample grid in
`sweep.json` and one PNG per cell; `wgan_tutorial.course.mnist_explorer` reads such a record
back (`load_sweep`, `sweep_cell`) and shows it. The shipped sweep is in `assets/sweep/`, with
the command that made it in its README.md. The penalty is Gulrajani et al. 2017 (arXiv
1704.00028), Algorithm 1.

Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
"""

import json
import math
import shlex
import time
from pathlib import Path

import numpy as np

from wgan_tutorial import data, models, resources, training
from wgan_tutorial.config import (
    assets_dir,
    check_fraction,
    check_number,
    import_tensorflow,
    pick,
    versions,
)
from wgan_tutorial.defaults import SWEEP_LEARNING_RATE
from wgan_tutorial.images import image_grid

tf = import_tensorflow()

__all__ = [
    "SWEEP_CRITIC_LR_SCALE",
    "SWEEP_CURVES",
    "SWEEP_CURVE_POINTS",
    "SWEEP_FILE",
    "SWEEP_GENERATOR_NORM",
    "SWEEP_GP_WEIGHTS",
    "SWEEP_GRID_SIZE",
    "SWEEP_LEARNING_RATE",
    "SWEEP_N_CRITICS",
    "fid_available",
    "run_sweep",
    "samples_file_name",
    "sweep_command",
    "sweep_dir",
]

SWEEP_GP_WEIGHTS = (0.0, 0.1, 1.0, 10.0, 100.0)
SWEEP_N_CRITICS = (1, 2, 5, 10)
SWEEP_FILE = "sweep.json"
SWEEP_CURVES = ("w_estimate", "gp_grad_norm", "critic_loss", "generator_loss")
SWEEP_GRID_SIZE = 64  # digits in each cell's final sample grid (8 x 8)
SWEEP_CURVE_POINTS = 500  # at most this many points per stored curve (a small sweep.json)
SWEEP_CRITIC_LR_SCALE = 1.0  # one rate for critic and generator, as in the paper (see run_sweep)
SWEEP_GENERATOR_NORM = "none"  # the generator of the shipped sweep (see run_sweep)


def sweep_dir():
    """The folder of the shipped sweep (`wgan_tutorial/assets/sweep`)."""
    return assets_dir() / "sweep"


def samples_file_name(gp_weight, n_critic):
    """The PNG file name of a sweep cell's sample grid, e.g. samples_lambda10_ncritic5.png."""
    return f"samples_lambda{gp_weight:g}_ncritic{n_critic}.png"


def _save_grey_grid(images, path):
    """Write images as one 8-bit greyscale grid PNG, ink dark on white (a quarter of the
    size of `images.save_image_grid`'s RGBA file: the shipped sweep stays small)."""
    from PIL import Image

    pixels = np.rint((1.0 - image_grid(images)) * 255.0).astype(np.uint8)
    Image.fromarray(pixels, mode="L").save(path, optimize=True)


def _rounded(values, digits=5):
    """Floats rounded to `digits` significant digits for a small JSON (NaN -> None)."""
    return [None if not math.isfinite(v) else float(f"{v:.{digits}g}") for v in map(float, values)]


def fid_available():
    """Whether the classifier weights that FID needs are installed (see `metrics`)."""
    from wgan_tutorial import metrics

    return metrics.classifier_weights_path().is_file()


def _classifier_hash():
    from wgan_tutorial import metrics

    return metrics.classifier_weights_hash()


def sweep_command(out, settings):
    """The `wgan-tutorial sweep` command line that `run_sweep` with these arguments runs.

    Args:
        out: the output folder. settings: dict of `run_sweep`'s other arguments (gp_weights,
            n_critics, steps, max_seconds, width, batch_size, learning_rate, ema, seed,
            fid_points, fid_samples, data_path).
    """
    gp_weights, n_critics = settings["gp_weights"], settings["n_critics"]
    steps, max_seconds = settings["steps"], settings["max_seconds"]
    width, batch_size = settings["width"], settings["batch_size"]
    learning_rate, ema, seed = settings["learning_rate"], settings["ema"], settings["seed"]
    fid_points, fid_samples = settings["fid_points"], settings["fid_samples"]
    data_path = settings["data_path"]
    command = [
        "wgan-tutorial",
        "sweep",
        "--gp-weights",
        ",".join(f"{v:g}" for v in gp_weights),
        "--n-critics",
        ",".join(str(k) for k in n_critics),
    ]
    if steps is not None:
        command += ["--steps", str(steps)]
    if max_seconds is not None:
        command += ["--max-seconds", f"{max_seconds:g}"]
    command += [
        "--width",
        str(width),
        "--batch-size",
        str(batch_size),
        "--learning-rate",
        f"{learning_rate:g}",
        "--ema",
        f"{ema:g}",
        "--seed",
        str(seed),
        "--fid-points",
        str(fid_points),
        "--fid-samples",
        str(fid_samples),
    ]
    if data_path:
        command += ["--data-path", str(data_path)]
    return shlex.join(command + ["--out", str(out)])


def run_sweep(
    out,
    gp_weights=SWEEP_GP_WEIGHTS,
    n_critics=SWEEP_N_CRITICS,
    steps=None,
    max_seconds=None,
    width=None,
    batch_size=None,
    learning_rate=None,
    ema=None,
    seed=0,
    fid_points=4,
    fid_samples=None,
    data_path=None,
    progress=True,
    overwrite=False,
    log=print,
):
    """Train WGAN-GP on MNIST for every (lambda, n_critic) pair; write sweep.json and PNGs.

    Each cell is one `training.train` run (loss="gp": Gulrajani et al. 2017, arXiv
    1704.00028, Algorithm 1 with Adam(beta = (0.5, 0.9)), at `train`'s width, batch size,
    learning rate and moving average for gp on MNIST unless given, and one learning rate for
    critic and generator, as in the paper, so that cells differ by lambda and n_critic
    alone: `train`'s doubled critic rate was measured for n_critic = 1 only; and the generator
    without batch norm that the shipped sweep was run with), from the same seed,
    for `steps` generator steps, or until `max_seconds` (with max_seconds alone, every cell
    gets the same wall time and as many steps as fit). Recorded per cell: the curves
    `SWEEP_CURVES` (every step, or every k-th step so that at most `SWEEP_CURVE_POINTS`
    remain, with their "step" list), the FID of `fid_samples` digits (from the moving
    average when kept) against the MNIST test set (`metrics.fid_to_real`) at `fid_points`
    evenly spaced steps, or at the end only for a run bounded by time alone (left out
    when the classifier weights are missing), and a final 8 x 8 sample grid PNG.
    `out/sweep.json` is rewritten after every cell.

    Args:
        out: folder for sweep.json and the PNGs (created).
        gp_weights: lambdas, finite numbers >= 0, no repeats.
        n_critics: ints >= 1, no repeats.
        steps: int >= 1, generator steps per cell (default 500, 3 in fast mode; no step
            limit when only max_seconds is given).
        max_seconds: float > 0, wall-time cap per cell, or None.
        width: MNIST model width (default `models.default_width()`).
        batch_size: int >= 1; learning_rate: Adam's rate, float > 0; ema: float in [0, 1)
            (defaults: those of `training.default_config("gp", "mnist")`, but the learning
            rate `SWEEP_LEARNING_RATE`, the shipped sweep's, as its generator has no batch norm).
        seed: int >= 0.
        fid_points: int >= 0, FID evaluations per cell (0: none).
        fid_samples: int >= 2, generated digits per FID (default 1000, 100 in fast mode).
        data_path: an MNIST file (see `data.load_mnist`).
        progress: show a tqdm progress bar for each cell.
        overwrite: replace an existing `out/sweep.json` (else refused).
        log: callable printing one line.

    Returns:
        The sweep dict written to sweep.json (see `load_sweep`).

    Raises:
        ValueError: a parameter out of range (naming it); `out` not writable, or holding a
            sweep.json and overwrite is False.
        training.NonFiniteLossError is not raised: a diverged cell is recorded with its
            "diverged_at" step and the sweep goes on.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    gp_weights = [check_number(v, "gp_weights", 0, inclusive=True) for v in gp_weights]
    n_critics = [check_number(k, "n_critics", 1, inclusive=True, integer=True) for k in n_critics]
    for name, values in (("gp_weights", gp_weights), ("n_critics", n_critics)):
        if not values or len(set(values)) != len(values):
            raise ValueError(f"{name} must be a non-empty list without repeats, got {values}")
    if max_seconds is not None:
        max_seconds = check_number(max_seconds, "max_seconds", 0, inclusive=False)
    if steps is not None or max_seconds is None:
        steps = check_number(
            pick(500, 3) if steps is None else steps, "steps", 1, inclusive=True, integer=True
        )
    width = check_number(
        models.default_width() if width is None else width, "width", 1, inclusive=True, integer=True
    )
    defaults = training.default_config("gp", "mnist")
    batch_size = check_number(
        defaults["batch_size"] if batch_size is None else batch_size,
        "batch_size",
        1,
        inclusive=True,
        integer=True,
    )
    learning_rate = check_number(
        SWEEP_LEARNING_RATE if learning_rate is None else learning_rate,
        "learning_rate",
        0,
        inclusive=False,
    )
    ema = check_fraction(defaults["ema"] if ema is None else ema, "ema")
    seed = check_number(seed, "seed", 0, inclusive=True, integer=True)
    fid_points = check_number(fid_points, "fid_points", 0, inclusive=True, integer=True)
    fid_samples = check_number(
        pick(1000, 100) if fid_samples is None else fid_samples,
        "fid_samples",
        2,
        inclusive=True,
        integer=True,
    )
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"out must be a folder, got the file {out}")
    resources.output_path(out / SWEEP_FILE, "out", overwrite)

    names = (
        "gp_weights",
        "n_critics",
        "steps",
        "max_seconds",
        "width",
        "batch_size",
        "learning_rate",
        "ema",
        "seed",
        "fid_points",
        "fid_samples",
        "data_path",
    )
    arguments = locals()
    command = sweep_command(out, {name: arguments[name] for name in names})
    log(f"$ {command}")
    log(" | ".join(f"{name} {version}" for name, version in versions().items()))
    description, source = data.mnist_source(data_path)
    log(f"MNIST source: {description}" + (f" ({source})" if source else ""))
    with_fid = fid_points > 0 and fid_available()
    if fid_points > 0 and not with_fid:
        log("FID left out: the classifier weights are missing (wgan-tutorial train-classifier)")
    fid_steps = (
        sorted({max(1, round(steps * (i + 1) / fid_points)) for i in range(fid_points)})
        if with_fid and steps is not None
        else []
    )  # a run bounded by time: at its end only
    sweep = {
        "command": command,
        "versions": versions(),
        "mnist_source": description,
        "settings": {
            "dataset": "mnist",
            "loss": "gp",
            "steps": steps,
            "max_seconds": max_seconds,
            "width": width,
            "batch_size": batch_size,
            "learning_rate": learning_rate,
            "critic_lr_scale": SWEEP_CRITIC_LR_SCALE,
            "generator_norm": SWEEP_GENERATOR_NORM,
            "beta_1": defaults["beta_1"],
            "ema": ema,
            "noise_dim": defaults["noise_dim"],
            "seed": seed,
            "fid_samples": fid_samples if with_fid else None,
            "fid_reference": "MNIST test split" if with_fid else None,
            "fid_classifier_sha256": _classifier_hash() if with_fid else None,
        },
        "gp_weights": gp_weights,
        "n_critics": n_critics,
        "cells": [],
    }
    total_start = time.perf_counter()
    cells = [(v, k) for v in gp_weights for k in n_critics]
    for index, (gp_weight, n_critic) in enumerate(cells, 1):
        logger = training.MetricsLogger()
        run_callbacks = [logger]
        probe = None
        if with_fid:
            from wgan_tutorial.metrics import FidTracker

            probe = FidTracker(
                at_steps=fid_steps,
                n=fid_samples,
                seed=seed + 1,
                path=data_path,
                at_start=False,
                progress=None if progress else False,
            )
            run_callbacks.append(probe)
        start = time.perf_counter()
        diverged_at = None
        try:
            wgan, _ = training.train(
                loss="gp",
                dataset="mnist",
                steps=steps,
                n_critic=n_critic,
                gp_weight=gp_weight,
                width=width,
                batch_size=batch_size,
                learning_rate=learning_rate,
                critic_lr_scale=SWEEP_CRITIC_LR_SCALE,
                generator_norm=SWEEP_GENERATOR_NORM,
                seed=seed,
                ema=ema,
                max_seconds=max_seconds,
                data_path=data_path,
                progress=progress,
                callbacks=run_callbacks,
            )
        except training.NonFiniteLossError as error:
            diverged_at = error.step
            wgan = None
        seconds = time.perf_counter() - start
        history = training.columns(logger.rows)
        samples = samples_file_name(gp_weight, n_critic)
        if wgan is not None:
            grid = models.sample(wgan.sampler, SWEEP_GRID_SIZE, seed=seed + 2)
        else:  # a diverged generator draws NaN: an empty (white) grid
            grid = np.full((SWEEP_GRID_SIZE, 28, 28), -1.0, dtype=np.float32)
        _save_grey_grid(grid, out / samples)
        cell = {
            "gp_weight": gp_weight,
            "n_critic": n_critic,
            "steps": int(history["step"][-1]) if len(history["step"]) else 0,
            "seconds": round(seconds, 1),
            "diverged_at": diverged_at,
            "samples": samples,
            "curves": _thinned_curves(history),
            "fid": {
                "step": probe.steps if probe else [],
                "value": _rounded(probe.fids) if probe else [],
            },
        }
        sweep["cells"].append(cell)
        (out / SWEEP_FILE).write_text(json.dumps(sweep, separators=(",", ":")) + "\n")
        log(f"[{index}/{len(cells)}] {_cell_summary(cell)}")
    size = sum(path.stat().st_size for path in out.iterdir() if path.is_file())
    log(
        f"wrote {out / SWEEP_FILE} and {len(cells)} sample grids ({size / 1e6:.2f} MB in {out}) "
        f"in {(time.perf_counter() - total_start) / 60:.1f} min"
    )
    return sweep


def _thinned_curves(history):
    """The `SWEEP_CURVES` of a run's history, every k-th step so that at most
    `SWEEP_CURVE_POINTS` remain (the last step always kept), with their "step" list."""
    count = len(history["step"])
    stride = max(1, math.ceil(count / SWEEP_CURVE_POINTS))
    keep = np.unique(np.r_[np.arange(0, count, stride), count - 1]) if count else []
    curves = {name: _rounded(np.asarray(history[name])[keep]) for name in SWEEP_CURVES}
    curves["step"] = [int(step) for step in np.asarray(history["step"])[keep]]
    return curves


def _last_finite(values):
    finite = [v for v in values if v is not None and math.isfinite(v)]
    return finite[-1] if finite else float("nan")


def _cell_summary(cell):
    """One line about a sweep cell: steps, time, final W estimate, gradient norm, FID."""
    curves = cell["curves"]
    text = (
        f"λ = {cell['gp_weight']:g}, n_critic = {cell['n_critic']}: {cell['steps']} steps "
        f"in {cell['seconds']:.0f} s, W estimate {_last_finite(curves['w_estimate']):.4g}, "
        f"gradient norm at interpolates {_last_finite(curves['gp_grad_norm']):.4g}"
    )
    if cell["fid"]["value"]:
        text += f", FID {_last_finite(cell['fid']['value']):.2f}"
    if cell["diverged_at"] is not None:
        text += f", diverged at step {cell['diverged_at']}"
    return text
