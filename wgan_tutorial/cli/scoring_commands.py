"""`wgan-tutorial train-classifier` and `wgan-tutorial fid`: the MNIST classifier and the scores."""

import os

from wgan_tutorial.cli.arguments import float_above, int_at_least


def shown(path):
    """`path` as the report prints it: under the home folder written ~/... (shorter, and a
    notebook's stored output names no user's home)."""
    home = os.path.expanduser("~")
    text = str(path)
    inside = home not in ("", "~", os.sep) and text.startswith(home + os.sep)
    return "~" + text[len(home) :] if inside else text


def add_train_classifier(parser):
    """Declare the `train-classifier` command's options."""
    parser.add_argument(
        "--dataset",
        choices=("mnist", "fashion-mnist"),
        default="mnist",
        help="mnist (default) or fashion-mnist (from --data-path, a folder of its "
        "IDX files, or keras' cache or download)",
    )
    parser.add_argument(
        "--data-path",
        help="an MNIST file (keras .npz layout or mnist.pkl.gz); "
        "default: $WGAN_TUTORIAL_MNIST, keras' cache or download, else the shipped subset",
    )
    parser.add_argument(
        "--epochs",
        type=int_at_least(1),
        default=8,
        help="passes over the training digits (default 8)",
    )
    parser.add_argument("--batch-size", type=int_at_least(1), default=128, help="default 128")
    parser.add_argument(
        "--learning-rate",
        type=float_above(0.0),
        default=1e-3,
        help="Adam's initial learning rate, decayed to 0 along a cosine (default 0.001)",
    )
    parser.add_argument("--seed", type=int_at_least(0), default=0, help="default 0")
    parser.add_argument(
        "--limit", type=int_at_least(1), help="train on the first LIMIT training digits only"
    )
    parser.add_argument(
        "--out",
        help="folder for mnist_classifier.weights.h5 and train_log.txt (default: "
        "<cache>/classifier; the weights the package uses are in wgan_tutorial/assets/classifier)",
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="replace the weights already in --out"
    )


def run_train_classifier(args):
    """Train the classifier whose features FID uses; write its weights and its log."""
    import shlex
    from pathlib import Path

    from wgan_tutorial import config, metrics, resources
    from wgan_tutorial.data import mnist_source

    out = Path(args.out) if args.out else config.cache_dir() / "classifier"
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out must be a folder, got the file {out}")
    resources.writable_folder(out, "--out")
    resources.output_path(
        out / metrics.classifier_weights_file(args.dataset), "--out", args.overwrite
    )
    command = ["wgan-tutorial", "train-classifier"]
    if args.dataset != "mnist":
        command += ["--dataset", args.dataset]
    if args.data_path:
        command += ["--data-path", args.data_path]
    command += [
        "--epochs",
        str(args.epochs),
        "--batch-size",
        str(args.batch_size),
        "--learning-rate",
        f"{args.learning_rate:g}",
        "--seed",
        str(args.seed),
    ]
    if args.limit:
        command += ["--limit", str(args.limit)]
    command += ["--out", str(out)]
    lines = []

    def log(line):
        print(line, flush=True)
        lines.append(line)

    log(f"$ {shlex.join(command)}")
    log(" | ".join(f"{name} {version}" for name, version in config.versions().items()))
    if args.dataset == "mnist":
        description, source = mnist_source(args.data_path)
        log(f"MNIST source: {description}" + (f" ({source})" if source else ""))
    classifier, _ = metrics.train_classifier(
        path=args.data_path,
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        seed=args.seed,
        limit=args.limit,
        log=log,
        dataset=args.dataset,
    )
    weights = out / metrics.classifier_weights_file(args.dataset)
    metrics.save_classifier_weights(classifier, weights)
    log(
        f"weights: {weights} ({weights.stat().st_size / 1e6:.2f} MB, "
        f"{classifier.count_params():,} parameters)"
    )
    resources.write_text(out / metrics.LOG_FILE, "\n".join(lines) + "\n", "--out")
    print(f"log: {out / metrics.LOG_FILE}")
    return 0


def _load_images_npy(path, option):
    """A user's .npy file of images, read without unpickling; errors become one line."""
    import zipfile
    from pathlib import Path

    import numpy as np

    from wgan_tutorial.data.files import why_unreadable

    if Path(path).is_dir() or Path(path).suffix == ".keras":
        raise ValueError(
            f"{option} {path}: takes a .npy file of images, not a model; draw them "
            f"first: wgan-tutorial sample --model {path} --n 10000 --out fake.npy"
        )
    try:
        array = np.load(path, allow_pickle=False)
    # np.load opens a file that starts like a zip archive as .npz: a damaged one raises
    # BadZipFile
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(f"{option} {path}: {why_unreadable(path, error, '.npy')}") from None
    if not isinstance(array, np.ndarray):
        array.close()
        raise ValueError(
            f"{option} {path}: must be a .npy file holding one array, got an .npz archive"
        )
    return array


def add_fid(parser):
    """Declare the `fid` command's options."""
    from wgan_tutorial.metrics import VALUE_RANGES

    parser.add_argument(
        "--fake",
        required=True,
        metavar="FILE.npy",
        help="generated images, shape (N, H, W) or (N, H, W, 1 or 3) (the MNIST report: 28x28 "
        "greyscale): uint8, or floats in [-1, 1] or [0, 1]",
    )
    parser.add_argument(
        "--real",
        default="test",
        metavar="test|train|FILE.npy",
        help="the reference: an MNIST split (statistics cached) or a .npy file (default test)",
    )
    parser.add_argument(
        "--n", type=int_at_least(2), help="use the first N generated digits (default: all)"
    )
    parser.add_argument(
        "--value-range",
        choices=tuple(VALUE_RANGES),
        help="the range of --fake (default: inferred: integers 0-255, floats with negatives "
        "[-1,1], other floats [0,1])",
    )
    parser.add_argument(
        "--data-path",
        help="an MNIST file for the splits and the floor (default: the usual sources)",
    )
    parser.add_argument(
        "--batch-size",
        type=int_at_least(1),
        default=500,
        help="images per forward pass (default 500)",
    )
    from wgan_tutorial.data import DATASET_NAMES
    from wgan_tutorial.metrics import FEATURE_EXTRACTORS

    parser.add_argument(
        "--features",
        choices=tuple(FEATURE_EXTRACTORS),
        default="mnist",
        help="mnist: the package's classifier (default; other shapes are turned "
        "into 28x28 greyscale); inception: Keras InceptionV3 with ImageNet weights "
        "(close to, not identical with, the reference TF-FID numbers; needs the "
        "weights once)",
    )
    parser.add_argument(
        "--kid",
        action="store_true",
        help="also print KID (Binkowski et al. 2018), unbiased at any N, with its "
        "standard deviation over 100 subsets",
    )
    parser.add_argument(
        "--dataset",
        choices=DATASET_NAMES,
        help="the real images when --real is a split: a registry data set "
        "(default mnist; folder needs --data-dir)",
    )
    parser.add_argument("--data-dir", help="where --dataset is (see train --data-dir)")


def _mnist_scoring(args, fake):
    """Whether `fid` prints the MNIST report (floor, coverage, IS): MNIST features of digits
    against MNIST."""
    shape = fake.shape[1:3] if fake.ndim in (3, 4) else None
    grey = fake.ndim == 3 or (fake.ndim == 4 and fake.shape[-1] == 1)
    return (
        args.features == "mnist"
        and args.dataset in (None, "mnist")
        and grey
        and shape == (28, 28)
        and args.data_dir is None
    )


def run_fid_any(args, fake):
    """FID (and KID) of any images with any extractor, against --real or a registry set."""
    from wgan_tutorial import data, metrics

    if args.n is not None:
        if args.n > len(fake):
            raise ValueError(f"--n must be <= the {len(fake)} images in {args.fake}, got {args.n}")
        fake = fake[: args.n]
    if args.real in ("train", "test"):
        size = fake.shape[1] if fake.ndim in (3, 4) else None
        channels = fake.shape[3] if fake.ndim == 4 else 1
        if size not in data.IMAGE_SIZES or fake.shape[2] != size or channels not in data.CHANNELS:
            raise ValueError(
                f"--fake images must have shape (N, S, S[, C]) with S in "
                f"{data.IMAGE_SIZES} and C in {data.CHANNELS}, got {fake.shape}"
            )
        source, shape = data.image_source(
            args.dataset or "mnist", args.real, args.data_dir, size, channels
        )
        real = data.real_images(source, shape, len(fake))
        if len(real) < 2:
            where = f"--data-dir {args.data_dir}" if args.data_dir else f"--dataset {args.dataset}"
            raise ValueError(
                f"{where}: {len(real)} readable image(s); FID needs at least 2 real images"
            )
        reference = f"{len(real)} images of {args.dataset or 'mnist'} ({args.real})"
    else:
        real = _load_images_npy(args.real, "--real")
        reference = f"{len(real)} images from {args.real}"
    report = metrics.score_images(fake, real, args.features, args.kid, args.value_range)
    print(f"generated: {report['n_fake']} images from {args.fake}")
    print(f"reference: {reference}")
    print(f"features: {metrics.FEATURE_EXTRACTORS[args.features].description}")
    print(f"FID: {report['fid']:.3f}")
    if args.kid:
        print(f"KID: {report['kid']:.5f} +- {report['kid_std']:.5f}")
    return 0


def _reference_size(real, data_path):
    """ ", N digits (SOURCE)" for an MNIST split, and on the shipped subset what to expect."""
    if not isinstance(real, str):
        return ""
    from wgan_tutorial import data

    description, _ = data.mnist_source(data_path)
    count = len(data.load_mnist(real, data_path, verbose=False)[0])
    text = f", {count:,} digits ({description})"
    if "shipped subset" in description:
        text += (
            "; FID falls as N grows, so it reads higher here than against full MNIST: compare "
            "with the floor below, taken at the same N"
        )
    return text


def run_fid(args):
    """Score generated images: FID, the real-vs-real floor at the same N, KID, coverage."""
    from wgan_tutorial import metrics

    raw = _load_images_npy(args.fake, "--fake")
    if not _mnist_scoring(args, raw):
        return run_fid_any(args, raw)
    fake, value_range = metrics.image_value_range(raw, args.value_range, name=f"--fake {args.fake}")
    if args.n is not None and args.n > len(fake):
        raise ValueError(f"--n must be <= the {len(fake)} digits in {args.fake}, got {args.n}")
    real = args.real
    if real not in ("train", "test"):
        real = metrics.image_value_range(_load_images_npy(real, "--real"), name=f"--real {real}")[0]
    try:
        report = metrics.sample_report(
            fake,
            real,
            n=args.n,
            path=args.data_path,
            value_range=value_range,
            batch_size=args.batch_size,
        )
    except FileNotFoundError as error:
        raise ValueError(str(error)) from None
    how = "given" if args.value_range else "inferred"
    print(f"generated: {report['n']} digits from {shown(args.fake)} (range {value_range}, {how})")
    print(f"reference: {report['reference']}{_reference_size(real, args.data_path)}")
    print(f"FID: {report['fid']:.3f}")
    print(
        f"real-vs-real floor: {report['floor']:.3f} (FID of {report['floor_n']} MNIST "
        f"{report['floor_split']} digits vs the same reference)"
    )
    coverage = report["coverage"]
    print(
        "class coverage: "
        + " ".join(f"{digit}:{fraction:.3f}" for digit, fraction in enumerate(coverage))
    )
    rare = [str(digit) for digit, fraction in enumerate(coverage) if fraction < 0.01]
    print(f"digits in under 1 % of the samples: {', '.join(rare) if rare else 'none'}")
    print(f"Inception Score with the MNIST classifier (1 to 10): {report['inception_score']:.3f}")
    if args.kid:
        from wgan_tutorial.data import load_mnist

        reference = (
            load_mnist(real, args.data_path, verbose=False)[0] if isinstance(real, str) else real
        )
        fake_rows = metrics.features(
            fake[: report["n"]], batch_size=args.batch_size, value_range=value_range
        )
        mean, std = metrics.kid(fake_rows, metrics.features(reference, batch_size=args.batch_size))
        print(f"KID: {mean:.5f} +- {std:.5f}")
    return 0
