"""Colour training throughput (32x32x3, 64x64x3) and the memory of a streaming image folder.

Throughput: one generator iteration = n_critic critic updates + 1 generator update
(`WGAN.train_step` through `fit`); "images/s" counts the real images the critic sees,
n_critic x batch per iteration. Real batches come from memory (the models' speed) and from
a folder of PNGs streamed by `data.ImageFolder` (whether reading the files keeps up).

Memory: peak resident memory (ru_maxrss) of a fresh process that trains a few steps from a
folder of N generated 64x64 PNGs, for two N ten times apart: a streaming loader costs the
same for both; a loader that held the images would grow by N x 64 x 64 x 3 bytes.

    python benchmarks/colour_throughput.py [--widths 16] [--steps 10] [--memory 2000 20000]
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def write_folder(root, count, size=64, seed=0):
    """count random colour PNGs (blobs on a gradient) of size x size in root."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    root.mkdir(parents=True, exist_ok=True)
    base = np.zeros((size, size, 3), np.uint8)
    base[..., 0] = np.linspace(0, 255, size)[None, :]
    for i in range(count):
        pixels = base.copy()
        top, left = rng.integers(0, size - 16, 2)
        pixels[top : top + 16, left : left + 16] = rng.integers(0, 256, 3)
        Image.fromarray(pixels).save(root / f"{i:06d}.png", compress_level=1)


def measure(shape, width, batch_size, n_critic, steps, folder=None, loss="gp"):
    from wgan_tutorial import data, models, training
    from wgan_tutorial.config import seed_everything

    seed_everything(0)
    generator = models.image_generator(shape, 128, width)
    critic = models.image_critic(shape, width)
    wgan = training.WGAN(generator, critic, loss=loss, n_critic=n_critic)
    wgan.compile()
    rows = batch_size * n_critic
    if folder is None:
        source = np.random.default_rng(0).integers(
            0, 256, (max(rows * 4, 1024),) + shape, dtype=np.uint8
        )
    else:
        source = data.ImageFolder(folder, shape[0], shape[2])
    dataset = data.image_dataset(source, shape, rows, seed=0)
    wgan.fit(dataset, steps_per_epoch=2, epochs=1, verbose=0, shuffle=False)  # trace, warm up
    start = time.perf_counter()
    wgan.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0, shuffle=False)
    iterations = steps / (time.perf_counter() - start)
    params = generator.count_params() + critic.count_params()
    where = "memory" if folder is None else "folder"
    print(
        f"{shape[0]}x{shape[1]}x{shape[2]} width {width} {loss} batch {batch_size} n_critic "
        f"{n_critic} from {where}: params {params / 1e6:.2f} M, images/s "
        f"{iterations * rows:7.1f}, generator steps/s {iterations:6.2f}",
        flush=True,
    )


def memory_run(folder, steps):
    """Train `steps` iterations at 64x64x3 from `folder`; print peak RSS (MiB) as JSON."""
    from wgan_tutorial import training

    training.train(
        dataset="folder",
        data_dir=folder,
        image_size=64,
        channels=3,
        steps=steps,
        width=16,
        batch_size=32,
        progress=False,
    )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"files": sum(1 for _ in Path(folder).iterdir()), "peak_mib": peak_mib}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=int, nargs="+", default=[16])
    parser.add_argument("--sizes", type=int, nargs="+", default=[32, 64])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--n-critic", type=int, default=5)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument(
        "--memory",
        type=int,
        nargs="*",
        default=[2000, 20000],
        help="folder sizes for the memory runs (none: skip them)",
    )
    parser.add_argument("--memory-run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_run:
        memory_run(args.memory_run, args.steps)
        return
    from wgan_tutorial.config import import_tensorflow

    tf = import_tensorflow()
    print(
        f"TensorFlow {tf.__version__}, CPU cores visible to TensorFlow: "
        f"{len(tf.config.list_physical_devices('CPU'))}, GPUs: "
        f"{len(tf.config.list_physical_devices('GPU'))}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "images"
        write_folder(folder, 2048)
        for size in args.sizes:
            for width in args.widths:
                for source in (None, folder):
                    measure(
                        (size, size, 3), width, args.batch_size, args.n_critic, args.steps, source
                    )
    for count in args.memory:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "images"
            write_folder(folder, count)
            out = subprocess.run(
                [sys.executable, __file__, "--memory-run", str(folder), "--steps", "20"],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"streaming folder of {result['files']} 64x64 PNGs, 20 steps at 64x64x3: "
                f"peak RSS {result['peak_mib']:.0f} MiB (holding them would take "
                f"{count * 64 * 64 * 3 / 2**20:.0f} MiB as uint8)",
                flush=True,
            )


if __name__ == "__main__":
    main()
