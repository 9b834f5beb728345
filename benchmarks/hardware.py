"""Steps and images per second on this machine's devices, at the CPU and the GPU preset.

Sized for a short loan of a GPU machine (under 5 minutes on one GPU with the defaults) and
runnable anywhere. Run from the repository root, with full MNIST in `WGAN_TUTORIAL_MNIST`
for a meaningful FID:

    python benchmarks/hardware.py                      # every row below, on this machine
    python benchmarks/hardware.py --rows mnist-cpu --fid-steps 0 --seconds 20   # quick look
    python benchmarks/hardware.py --json results.json  # also write the rows as JSON

Each row is one run of the package's own command, in a fresh process:

    wgan-tutorial train --dataset D --preset P --max-seconds S --save-dir RUN --no-progress
        [--devices N] [--jit-compile]

timed from its `metrics.csv` (the steps after the first, whose tracing and compilation are
excluded, over their seconds). Rows: the default MNIST run and a colour run of 32 x 32 x 3
images (a folder of generated pictures, so nothing is downloaded) at the CPU preset and the
GPU preset (`defaults.PRESETS`), with and without XLA (`--jit-compile`), and the MNIST run
data parallel on 2 devices (GPUs, or logical CPU devices where there is none). Images per
second count the real images the critic reads: steps/s x batch x n_critic. Then, for the
MNIST rows, a run of `--fid-steps` generator steps and the FID of 10,000 samples against the
MNIST test split (the package's classifier features; `wgan-tutorial fid`'s number), skipped
where the measured rate says it would take longer than `--fid-budget` seconds.

Records: benchmarks/RESULTS.md, section "On a GPU" (machine, date, command, table).
"""

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROWS = {
    "mnist-cpu": ("mnist", "cpu", 1, False),
    "mnist-cpu-xla": ("mnist", "cpu", 1, True),
    "mnist-gpu": ("mnist", "gpu", 1, False),
    "mnist-gpu-xla": ("mnist", "gpu", 1, True),
    "mnist-cpu-2-devices": ("mnist", "cpu", 2, False),
    "colour-cpu": ("folder", "cpu", 1, False),
    "colour-gpu": ("folder", "gpu", 1, False),
    "colour-gpu-xla": ("folder", "gpu", 1, True),
}


def colour_folder(folder, count=512, size=32, seed=0):
    """`count` PNG pictures of size x size x 3: coloured discs on coloured grounds."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:size, :size]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        ground, disc = rng.integers(0, 256, 3), rng.integers(0, 256, 3)
        cy, cx, r = rng.uniform(8, size - 8, 2).tolist() + [rng.uniform(4, 10)]
        inside = (yy - cy) ** 2 + (xx - cx) ** 2 < r**2
        picture = np.where(inside[..., None], disc, ground).astype(np.uint8)
        Image.fromarray(picture).save(folder / f"{i:04d}.png")
    return folder


def train(run_dir, dataset, preset, devices, jit, seconds=None, steps=None, data_dir=None):
    """One `wgan-tutorial train` in a fresh process; returns its metrics.csv rows and config."""
    command = [sys.executable, "-m", "wgan_tutorial", "train", "--dataset", dataset]
    command += ["--preset", preset, "--save-dir", str(run_dir), "--no-progress"]
    command += ["--max-seconds", str(seconds)] if seconds else ["--steps", str(steps)]
    command += ["--checkpoint-every", str(10**6)]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir), "--image-size", "32", "--channels", "3"]
    if devices > 1:
        command += ["--devices", str(devices)]
    if jit:
        command.append("--jit-compile")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    with open(run_dir / "metrics.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    config = json.loads((run_dir / "config.json").read_text())
    return rows, config


def rate(rows):
    """Steps per second after the first step (tracing and compilation excluded)."""
    if len(rows) < 3:
        return float("nan")
    first, last = rows[0], rows[-1]
    return (int(last["step"]) - int(first["step"])) / (
        float(last["seconds"]) - float(first["seconds"])
    )


def mnist_fid(run_dir):
    """FID of 10,000 samples of a run's generator against the MNIST test split."""
    from wgan_tutorial import metrics, models, pretrained

    generator = pretrained.load_generator(run_dir / "generator.keras")
    images = models.sample(generator, 10_000, seed=0)
    return float(metrics.fid_to_real(images, "test", progress=False))


def device_name():
    """The accelerator in words, else the CPU's model and core count."""
    from wgan_tutorial.config import import_tensorflow

    tf = import_tensorflow()
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        details = tf.config.experimental.get_device_details(gpus[0])
        return f"{len(gpus)} x {details.get('device_name', 'GPU')}"
    return f"CPU ({platform.processor() or platform.machine()}, {os.cpu_count()} cores)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default=",".join(ROWS), help="comma-separated row names")
    parser.add_argument("--seconds", type=float, default=25, help="timed seconds per row")
    parser.add_argument("--fid-steps", type=int, default=1000, help="0: no FID")
    parser.add_argument("--fid-budget", type=float, default=120, help="seconds per FID run")
    parser.add_argument("--json", help="also write the rows to this JSON file")
    args = parser.parse_args()
    names = [name.strip() for name in args.rows.split(",") if name.strip()]
    unknown = sorted(set(names) - set(ROWS))
    if unknown:
        parser.error(f"unknown rows {unknown}; known: {', '.join(ROWS)}")
    started = time.time()
    device = device_name()
    print(f"device: {device}; {time.strftime('%Y-%m-%d')}", flush=True)
    header = f"{'row':22s} {'batch':>5s} {'width':>5s} {'n_crit':>6s} {'steps/s':>8s}"
    print(f"{header} {'images/s':>9s} {'FID':>7s} {'at step':>7s}", flush=True)
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        pictures = None
        for name in names:
            dataset, preset, devices, jit = ROWS[name]
            if dataset == "folder" and pictures is None:
                pictures = colour_folder(scratch / "pictures")
            data_dir = pictures if dataset == "folder" else None
            rows, config = train(
                scratch / name,
                dataset,
                preset,
                devices,
                jit,
                seconds=args.seconds,
                data_dir=data_dir,
            )
            steps_per_second = rate(rows)
            images = steps_per_second * config["batch_size"] * config["n_critic"]
            fid, fid_step = float("nan"), 0
            fits = args.fid_steps / max(steps_per_second, 1e-9) <= args.fid_budget
            if dataset == "mnist" and args.fid_steps and fits:
                fid_dir = scratch / f"{name}-fid"
                train(fid_dir, dataset, preset, devices, jit, steps=args.fid_steps)
                fid, fid_step = mnist_fid(fid_dir), args.fid_steps
            row = {
                "row": name,
                "dataset": dataset,
                "preset": preset,
                "devices": devices,
                "jit_compile": jit,
                "batch_size": config["batch_size"],
                "width": config["width"],
                "n_critic": config["n_critic"],
                "steps_per_second": round(steps_per_second, 3),
                "images_per_second": round(images, 1),
                "fid": None if np.isnan(fid) else round(fid, 2),
                "fid_step": fid_step,
            }
            results.append(row)
            shown = "-" if row["fid"] is None else f"{row['fid']:.2f}"
            print(
                f"{name:22s} {row['batch_size']:5d} {row['width']:5d} {row['n_critic']:6d} "
                f"{steps_per_second:8.2f} {images:9.1f} {shown:>7s} {fid_step or '-':>7}",
                flush=True,
            )
    print(f"total {time.time() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"device": device, "rows": results}, indent=1))


if __name__ == "__main__":
    main()
