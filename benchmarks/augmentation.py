"""Do generated digits help a classifier? The recorded experiment of notebook 07.

For each n in --per-class and each seed: draw n labelled MNIST training digits per class
(`augmentation.labelled_subset`), train a class-conditional WGAN-GP on those digits only
(`training.train(conditional=True)`, --gan-steps generator steps, no other digit and no
other label), then train the small classifier (`augmentation.compare`, --steps steps of
batch 64) under each condition and score it on the full MNIST test split (10,000 digits).
A reference row uses a generator trained on all 60,000 labelled training digits
(--reference, the shipped pretrained:cwgan-gp-mnist): it saw labels the classifier did not,
so it bounds what a better generator could add and is not a fair augmentation.

Run from the repository root with full MNIST in `WGAN_TUTORIAL_MNIST`:

    python benchmarks/augmentation.py --out wgan_tutorial/assets/augmentation/results.json

It prints one line per (n, seed) as it goes and then the table: the mean test accuracy of
each condition over the seeds, with a Student-t 95 % interval (`mean_and_interval`). The
JSON holds every accuracy, the settings, the seconds taken and the command line.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np


def _parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--per-class",
        default="10,50,100,500",
        help="labelled digits per class, comma-separated (default 10,50,100,500)",
    )
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..S-1 (default 5)")
    parser.add_argument(
        "--gan-steps",
        type=int,
        default=400,
        help="generator steps of each conditional WGAN-GP (default 400)",
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=250,
        help="classifier steps of batch 64 per condition (default 250)",
    )
    parser.add_argument(
        "--reference",
        default="pretrained:cwgan-gp-mnist",
        help="a generator trained on all labelled digits ('' for none)",
    )
    parser.add_argument("--out", help="write the results as JSON here")
    return parser.parse_args()


def main():
    args = _parse()
    from wgan_tutorial import augmentation, config, data, pretrained

    config.quiet_tensorflow()
    per_class = [int(v) for v in args.per_class.split(",")]
    train_images, train_labels = data.load_mnist("train", verbose=False)
    test_images, test_labels = data.load_mnist("test", verbose=False)
    reference = pretrained.load_generator(args.reference) if args.reference else None
    conditions = augmentation.CONDITIONS
    reference_name = "real + full-MNIST generator x1 (reference)"
    accuracies = {n: {name: [] for name in conditions + (reference_name,)} for n in per_class}
    gan_seconds, started = [], time.perf_counter()
    for n in per_class:
        for seed in range(args.seeds):
            images, labels = augmentation.labelled_subset(train_images, train_labels, n, seed)
            begun = time.perf_counter()
            wgan, _ = augmentation.train_generator_on(
                images, labels, args.gan_steps, seed, progress=False
            )
            gan_seconds.append(time.perf_counter() - begun)
            result = augmentation.compare(
                images,
                labels,
                test_images,
                test_labels,
                generator=wgan.sampler,
                steps=args.steps,
                seed=seed,
            )
            if reference is not None:
                result[reference_name] = augmentation.compare(
                    images,
                    labels,
                    test_images,
                    test_labels,
                    generator=reference,
                    steps=args.steps,
                    seed=seed,
                    conditions=("real + generated x1",),
                )["real + generated x1"]
            for name, value in result.items():
                accuracies[n][name].append(value)
            print(
                f"n={n} seed={seed} gan {gan_seconds[-1]:.0f} s: "
                + ", ".join(f"{name} {100 * value:.2f}" for name, value in result.items()),
                flush=True,
            )
    seconds = time.perf_counter() - started
    print(
        f"\nTest accuracy on the 10,000 MNIST test digits, mean [95 % interval] over "
        f"{args.seeds} seeds (%), {seconds:.0f} s in all:"
    )
    table = {}
    for n in per_class:
        table[n] = {}
        for name, values in accuracies[n].items():
            if not values:
                continue
            mean, low, high = augmentation.mean_and_interval(values)
            table[n][name] = [mean, low, high]
            print(
                f"n={n:4d} per class  {name:45s} {100 * mean:6.2f} "
                f"[{100 * low:6.2f}, {100 * high:6.2f}]"
            )
    if args.out:
        record = {
            "command": "python benchmarks/augmentation.py " + " ".join(sys.argv[1:]),
            "per_class": per_class,
            "seeds": args.seeds,
            "gan_steps": args.gan_steps,
            "classifier_steps": args.steps,
            "seconds": round(seconds, 1),
            "gan_seconds_mean": round(float(np.mean(gan_seconds)), 1),
            "accuracies": {str(n): values for n, values in accuracies.items()},
            "table": {str(n): rows for n, rows in table.items()},
        }
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(record, indent=1) + "\n")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
