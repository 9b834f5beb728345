"""`wgan-tutorial data`: which source a data set comes from, and its size."""


def add_data(parser):
    """Declare the `data` command's options."""
    from wgan_tutorial.data import DATASET_NAMES, get_dataset

    parser.add_argument(
        "--dataset",
        default="mnist",
        choices=[name for name in DATASET_NAMES if get_dataset(name).kind == "images"],
        help="the image set to look for (default mnist)",
    )
    parser.add_argument(
        "--data-dir",
        "--path",
        dest="data_dir",
        help="where it is, as for train: an MNIST file (keras .npz layout or "
        "mnist.pkl.gz), a Fashion-MNIST or CIFAR-10 folder, a folder of images",
    )


def run_data(args):
    """Report which source a data set comes from and how many images each split holds."""
    import numpy as np

    from wgan_tutorial import data

    entry = data.get_dataset(args.dataset)
    if entry.name == "mnist":
        description, source = data.mnist_source(args.data_dir)
        print(f"MNIST source: {description}" + (f" ({source})" if source else ""))
    elif entry.name == "folder":
        if args.data_dir is None:
            raise ValueError("--data-dir: a folder of images is needed with --dataset folder")
        folder = data.ImageFolder(args.data_dir)
        print(
            f"folder {args.data_dir}: {len(folder)} image files (searched recursively; "
            f"unreadable ones are skipped when training)"
        )
        return 0
    else:
        print(f"{entry.name} source: {args.data_dir or entry.source}")
    for split in data.SPLITS:
        images, labels = (
            data.load_mnist(split, args.data_dir, verbose=False)
            if entry.name == "mnist"
            else entry.load(split, args.data_dir)
        )
        counts = " ".join(str(c) for c in np.bincount(labels, minlength=entry.num_classes))
        what = (
            "digits"
            if entry.name == "mnist"
            else ("images of " + "x".join(str(side) for side in images.shape[1:]))
        )
        print(f"{split}: {len(images)} {what}, per class: {counts}")
    return 0
