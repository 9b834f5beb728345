"""How long the FID of 10,000 generated digits takes once the real statistics are cached.

Run from the repository root with full MNIST (the target is under 10 s on 2 CPU cores):

    WGAN_TUTORIAL_MNIST=/path/to/mnist.npz python benchmarks/fid_speed.py

Prints one line: the time to load the classifier, to get the real statistics (computed,
or read from the cache), of a first FID call (tracing the classifier's graph included), of
a second call and of its two parts (features, Frechet distance). The "generated" digits are 10,000
training digits with noise added, in [-1, 1] as a generator would give them.
"""
import os
import time

import numpy as np

from wgan_tutorial import config, metrics
from wgan_tutorial.data import load_mnist, mnist_source

N = 10_000


def main():
    description, _ = mnist_source()
    started = time.perf_counter()
    metrics.feature_extractor()
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    metrics.real_statistics("test")
    statistics_seconds = time.perf_counter() - started

    digits = load_mnist("train", verbose=False)[0][:N]
    noise = np.random.default_rng(0).normal(0.0, 0.1, digits.shape)
    generated = np.clip(digits / 127.5 - 1.0 + noise, -1.0, 1.0).astype(np.float32)

    started = time.perf_counter()
    metrics.fid_to_real(generated, progress=False)
    first_seconds = time.perf_counter() - started

    started = time.perf_counter()
    rows = metrics.features(generated, progress=False)
    features_seconds = time.perf_counter() - started
    started = time.perf_counter()
    value = metrics.frechet_distance(*metrics.feature_statistics(rows), *metrics.real_statistics("test"))
    frechet_seconds = time.perf_counter() - started

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"FID of {len(generated):,} digits vs MNIST test ({description}, fast mode "
          f"{'on' if config.fast_mode() else 'off'}, {cores} cores): classifier load {load_seconds:.2f} s, real "
          f"statistics {statistics_seconds:.2f} s (computed, or read from the cache), first FID call "
          f"{first_seconds:.2f} s, second {features_seconds + frechet_seconds:.2f} s = features {features_seconds:.2f} s + Frechet "
          f"{frechet_seconds:.3f} s; FID {value:.2f}")


if __name__ == "__main__":
    main()
