"""How long the FID of 10,000 generated digits takes, and how close that is to this CPU's limit.

Run from the repository root with full MNIST, on an otherwise idle machine:

    WGAN_TUTORIAL_MNIST=/path/to/mnist.npz python benchmarks/fid_speed.py

Prints three lines:
- `fid_to_real` (the real statistics cached): the time to load the classifier, to get the real
  statistics (computed, or read from the cache), of a first FID call (tracing the
  classifier's graph included), of a second call and of its two parts (features, Frechet
  distance). The "generated" digits are 10,000 training digits with noise added, in [-1, 1]
  as a generator would give them.
- `metrics.fid(a, b)` on two in-memory sets of 10,000 digits (nothing cached): the median of
  three calls, with 10,000 training digits against the 10,000 test digits.
- The limit: the classifier's forward FLOPs per image counted from its layer shapes
  (`roofline.layer_flops`), times 20,000 images, divided by this machine's peak (a large
  float32 matmul, `roofline.peak_flops`): the time that `fid(a, b)` could not beat without
  a cheaper feature network, and the share of that peak the features reach.
"""

import os
import statistics
import time

import numpy as np
from roofline import layer_flops, peak_flops

from wgan_tutorial import config, metrics
from wgan_tutorial.data import load_mnist, mnist_source

N = 10_000
REPEATS = 3


def main():
    description, _ = mnist_source()
    started = time.perf_counter()
    metrics.feature_extractor()
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    metrics.real_statistics("test")
    statistics_seconds = time.perf_counter() - started

    digits = load_mnist("train", verbose=False)[0][:N]
    test_digits = load_mnist("test", verbose=False)[0][:N]
    noise = np.random.default_rng(0).normal(0.0, 0.1, digits.shape)
    generated = np.clip(digits / 127.5 - 1.0 + noise, -1.0, 1.0).astype(np.float32)

    started = time.perf_counter()
    metrics.fid_to_real(generated, progress=False)
    first_seconds = time.perf_counter() - started

    started = time.perf_counter()
    rows = metrics.features(generated, progress=False)
    features_seconds = time.perf_counter() - started
    started = time.perf_counter()
    value = metrics.frechet_distance(
        *metrics.feature_statistics(rows), *metrics.real_statistics("test")
    )
    frechet_seconds = time.perf_counter() - started

    pair_times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        pair_value = metrics.fid(digits, test_digits, progress=False)
        pair_times.append(time.perf_counter() - started)
    pair_seconds = statistics.median(pair_times)

    classifier_flops = layer_flops(metrics.feature_extractor())
    peak = peak_flops(5.0)
    floor_seconds = 2 * N * classifier_flops / peak

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"FID of {len(generated):,} digits vs MNIST test ({description}, fast mode "
        f"{'on' if config.fast_mode() else 'off'}, {cores} cores): classifier load "
        f"{load_seconds:.2f} s, real statistics {statistics_seconds:.2f} s (computed, or read "
        f"from the cache), first FID call {first_seconds:.2f} s, second "
        f"{features_seconds + frechet_seconds:.2f} s = features {features_seconds:.2f} s + "
        f"Frechet {frechet_seconds:.3f} s; FID {value:.2f}"
    )
    print(
        f"metrics.fid(a, b), {N:,} training vs {N:,} test digits, nothing cached: median "
        f"{pair_seconds:.2f} s of {REPEATS} calls ({', '.join(f'{t:.2f}' for t in pair_times)} s); "
        f"FID {pair_value:.2f}"
    )
    print(
        f"limit: the classifier's forward is {classifier_flops / 1e6:.2f} MFLOP per image, "
        f"{2 * N * classifier_flops / 1e9:.1f} GFLOP for {2 * N:,} images; at this machine's peak "
        f"{peak / 1e9:.1f} GFLOP/s (2048^3 float32 matmul) that is {floor_seconds:.2f} s; "
        f"fid(a, b) runs at {floor_seconds / pair_seconds:.0%} of the peak"
    )


if __name__ == "__main__":
    main()
