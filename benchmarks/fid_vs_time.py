"""FID of a WGAN run's checkpoints against its seconds of training: the quality per CPU second.

Two ways to use it (run from the repository root, with full MNIST in
`WGAN_TUTORIAL_MNIST`):

    # score the checkpoints of an existing run folder (--save-dir of `wgan-tutorial train`)
    python benchmarks/fid_vs_time.py --run RUN_DIR

    # train first, with the package's own command, then score every checkpoint it wrote
    python benchmarks/fid_vs_time.py --train RUN_DIR \\
        --max-seconds 900 --checkpoint-every 300 [--width 16 --batch-size 64 ...]

`--train` runs `wgan-tutorial train --loss gp --dataset mnist --max-seconds S --save-dir
RUN_DIR --checkpoint-every K [options]` (`--loss clip`: weight clipping) as a subprocess at
the caller's priority (time it alone on the machine). That command keeps only its 3 latest
checkpoints, so while it runs this script hard-links every checkpoint it writes into
RUN_DIR/checkpoint_archive/ (a cheap poll once a second). Scoring then runs at low
priority (nice 15).

Each point: 10,000 digits from the checkpoint's generator (latent seed 0) scored by the
package's MNIST classifier features against the MNIST test split (`metrics.sample_report`),
next to the real-vs-real floor (10,000 training digits against the same test split) - one
line per checkpoint: step, training seconds (from metrics.csv), FID, FID / floor and the
smallest and largest class fractions. The last line names the point nearest each
`--report-at` second.
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from wgan_tutorial.defaults import GENERATOR_NORMS  # imports no TensorFlow

ARCHIVE = "checkpoint_archive"
CHECKPOINT_NAME = re.compile(r"^(ckpt-(\d+))\.index$")
TRAIN_OPTIONS = (
    "width",
    "batch_size",
    "learning_rate",
    "critic_lr_scale",
    "beta_1",
    "n_critic",
    "ema",
    "seed",
)


def _listed_checkpoints(directory):
    """Prefixes of the checkpoints a `checkpoint` index file lists (finished saves only)."""
    index = directory / "checkpoint"
    if not index.is_file():
        return []
    return re.findall(r'all_model_checkpoint_paths:\s*"([^"]+)"', index.read_text())


def _archive_new(save_dir, archive):
    """Hard-link the files of every finished checkpoint not yet archived."""
    checkpoints = save_dir / "checkpoints"
    for prefix in _listed_checkpoints(checkpoints):
        name = Path(prefix).name
        for source in checkpoints.glob(f"{name}.*"):
            target = archive / source.name
            if not target.exists():
                try:
                    os.link(source, target)
                except FileNotFoundError:  # deleted between glob and link: listed again later
                    pass


def train(save_dir, max_seconds, checkpoint_every, options):
    """Run `wgan-tutorial train` and archive every checkpoint it writes; returns the command."""
    command = [
        "wgan-tutorial",
        "train",
        "--loss",
        options["loss"],
        "--dataset",
        "mnist",
        "--max-seconds",
        f"{max_seconds:g}",
        "--save-dir",
        str(save_dir),
        "--checkpoint-every",
        str(checkpoint_every),
        "--no-progress",
    ]
    for name in TRAIN_OPTIONS:
        if options.get(name) is not None:
            command += [f"--{name.replace('_', '-')}", f"{options[name]:g}"]
    if options.get("generator_norm") is not None:
        command += ["--generator-norm", options["generator_norm"]]
    if options.get("steps") is not None:
        command += ["--steps", str(options["steps"])]
    archive = save_dir / ARCHIVE
    archive.mkdir(parents=True, exist_ok=True)
    executable = Path(sys.executable).with_name("wgan-tutorial")
    started = time.perf_counter()
    process = subprocess.Popen([str(executable)] + command[1:])
    while process.poll() is None:
        _archive_new(save_dir, archive)
        time.sleep(1.0)
    _archive_new(save_dir, archive)
    if process.returncode != 0:
        raise SystemExit(f"wgan-tutorial train failed with exit status {process.returncode}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"training process: {usage.ru_utime + usage.ru_stime:.0f} CPU seconds in "
        f"{time.perf_counter() - started:.0f} wall seconds (start-up included)",
        flush=True,
    )
    return command


def checkpoints_of(save_dir):
    """(step, checkpoint prefix) of every checkpoint of a run: archived or still kept."""
    found = {}
    for folder in (save_dir / ARCHIVE, save_dir / "checkpoints"):
        if folder.is_dir():
            for path in folder.iterdir():
                match = CHECKPOINT_NAME.match(path.name)
                if match:
                    found.setdefault(int(match.group(2)), str(folder / match.group(1)))
    return sorted(found.items())


def score(save_dir, n, report_at, raw=False):
    """Print one line per checkpoint of `save_dir`, then the points nearest `report_at`.

    Scores the generator samples are drawn from (`WGAN.sampler`: the moving average of the
    generator's weights when the run keeps one), or the trained generator itself if `raw`.
    """
    from wgan_tutorial import metrics, models, training

    config = training.read_config(save_dir)
    if config is None:
        raise SystemExit(f"{save_dir} holds no config.json (not a run folder)")
    history = training.read_metrics(save_dir / training.METRICS_FILE)
    seconds_at = dict(zip(history["step"].tolist(), history["seconds"].tolist(), strict=True))
    wgan = training.wgan_from_config(config)
    checkpoint, _ = training.make_checkpoint(wgan, save_dir / training.CHECKPOINT_DIR)
    generator = wgan.generator if raw else wgan.sampler
    points = []
    for step, prefix in checkpoints_of(save_dir):
        checkpoint.restore(prefix).expect_partial()
        report = metrics.sample_report(
            models.sample(generator, n, seed=0), "test", value_range="[-1,1]", progress=False
        )
        seconds = seconds_at.get(step, float("nan"))
        coverage = report["coverage"]
        points.append((seconds, step, report["fid"], report["floor"]))
        print(
            f"step {step:6d} seconds {seconds:7.1f} FID {report['fid']:8.2f} "
            f"= {report['fid'] / report['floor']:6.2f} x floor ({report['floor']:.2f}, "
            f"n {report['n']}) class fractions {coverage.min():.3f}-{coverage.max():.3f}",
            flush=True,
        )
    for target in report_at:
        if points:
            seconds, step, value, floor = min(points, key=lambda p: abs(p[0] - target))
            print(
                f"nearest {target:g} s: step {step} at {seconds:.1f} s, FID {value:.2f} "
                f"= {value / floor:.2f} x floor",
                flush=True,
            )
    return points


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--run", type=Path, help="score the checkpoints of this run folder")
    where.add_argument(
        "--train",
        type=Path,
        metavar="RUN_DIR",
        help="train into this (new or resumed) run folder first",
    )
    parser.add_argument(
        "--loss",
        choices=("gp", "clip"),
        default="gp",
        help="--train: penalty or weight clipping (default gp)",
    )
    parser.add_argument(
        "--max-seconds", type=float, default=900.0, help="--train: wall-time budget (default 900)"
    )
    parser.add_argument(
        "--checkpoint-every",
        type=int,
        default=300,
        help="--train: steps between checkpoints (default 300)",
    )
    parser.add_argument("--steps", type=int, help="--train: target step (default: train's)")
    parser.add_argument("--width", type=int, help="--train: model width (default: train's)")
    parser.add_argument("--batch-size", type=int, help="--train: batch (default: train's)")
    parser.add_argument(
        "--learning-rate",
        type=float,
        help="--train: the optimiser's rate (Adam for gp, RMSProp for clip)",
    )
    parser.add_argument(
        "--critic-lr-scale",
        type=float,
        help="--train: the critic's rate / the generator's (default: train's)",
    )
    parser.add_argument(
        "--beta-1", type=float, help="--train: Adam's beta_1 (gp only; default: train's)"
    )
    parser.add_argument(
        "--n-critic",
        type=int,
        help="--train: critic updates per generator update (default: train's)",
    )
    parser.add_argument(
        "--ema",
        type=float,
        help="--train: decay of the generator's moving average (default: train's)",
    )
    parser.add_argument(
        "--generator-norm",
        choices=GENERATOR_NORMS,
        help="--train: batch norm in the generator or none (default: train's)",
    )
    parser.add_argument("--seed", type=int, help="--train: seed (default 0)")
    parser.add_argument(
        "--raw", action="store_true", help="score the trained generator, not its moving average"
    )
    parser.add_argument(
        "--n", type=int, default=10_000, help="generated digits per FID (default 10,000)"
    )
    parser.add_argument(
        "--report-at",
        type=float,
        nargs="*",
        default=[300.0, 900.0],
        help="seconds whose nearest checkpoint is named at the end",
    )
    args = parser.parse_args()
    if args.train is not None:
        command = train(args.train, args.max_seconds, args.checkpoint_every, vars(args))
        print("$ " + " ".join(command), flush=True)
    os.nice(15)  # scoring is not timed: leave the CPU to others
    np.set_printoptions(precision=3)
    score(args.train or args.run, args.n, args.report_at, args.raw)


if __name__ == "__main__":
    main()
