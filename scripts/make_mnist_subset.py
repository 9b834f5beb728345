"""Rebuild the offline MNIST subset shipped in wgan_tutorial/assets/.

8,000 training and 2,000 test digits, 800 / 200 per class, drawn with a fixed seed
from the full set. Run from the repository root:

    python scripts/make_mnist_subset.py ../shared/data/mnist.npz
"""

import sys

import numpy as np

PER_CLASS = {"train": 800, "test": 200}
SEED = 20171


def main(source):
    full = np.load(source, allow_pickle=False)
    rng = np.random.default_rng(SEED)
    subset = {}
    for split, per_class in PER_CLASS.items():
        images, labels = full[f"x_{split}"], full[f"y_{split}"]
        index = np.concatenate(
            [rng.permutation(np.flatnonzero(labels == c))[:per_class] for c in range(10)]
        )
        index = rng.permutation(index)
        subset[f"x_{split}"], subset[f"y_{split}"] = images[index], labels[index]
    np.savez_compressed("wgan_tutorial/assets/mnist_subset.npz", **subset)


if __name__ == "__main__":
    main(sys.argv[1])
