"""The `wgan-tutorial` command (also `python -m wgan_tutorial`).

Each subcommand is a pair: `_add_<name>(parser)` declares its options and `_run_<name>(args)`
does the work by calling the package, so the command line, the notebooks and the tests run
the same code. Bad input ends with one line naming the option and exit status 2.
"""
import argparse
import sys

from wgan_tutorial import __version__
from wgan_tutorial import defaults as D

PROG = "wgan-tutorial"


class UsageError(Exception):
    """A bad command-line value found after parsing (reported as one line, exit 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage dump) and exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


# --- argument types: each names the allowed range ---------------------------------------------

def int_at_least(minimum):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer >= {minimum}, got {text!r}")
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be an integer >= {minimum}, got {value}")
        return value

    return parse


def float_above(minimum, inclusive=False):
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, got {text!r}")
        ok = value >= minimum if inclusive else value > minimum
        if not ok or value != value or value == float("inf"):
            bound = ">=" if inclusive else ">"
            raise argparse.ArgumentTypeError(f"must be a finite number {bound} {minimum}, "
                                             f"got {text}")
        return value

    return parse


# --- data -------------------------------------------------------------------------------------

def _add_data(parser):
    from wgan_tutorial.data import DATASET_NAMES, get_dataset

    parser.add_argument("--dataset", default="mnist",
                        choices=[name for name in DATASET_NAMES
                                 if get_dataset(name).kind == "images"],
                        help="the image set to look for (default mnist)")
    parser.add_argument("--data-dir", "--path", dest="data_dir",
                        help="where it is, as for train: an MNIST file (keras .npz layout or "
                        "mnist.pkl.gz), a Fashion-MNIST or CIFAR-10 folder, a folder of images")


def _run_data(args):
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
        print(f"folder {args.data_dir}: {len(folder)} image files (searched recursively; "
              f"unreadable ones are skipped when training)")
        return 0
    else:
        print(f"{entry.name} source: {args.data_dir or entry.source}")
    for split in data.SPLITS:
        images, labels = (data.load_mnist(split, args.data_dir, verbose=False)
                          if entry.name == "mnist" else entry.load(split, args.data_dir))
        counts = " ".join(str(c) for c in np.bincount(labels, minlength=entry.num_classes))
        what = "digits" if entry.name == "mnist" else (
            "images of " + "x".join(str(side) for side in images.shape[1:]))
        print(f"{split}: {len(images)} {what}, per class: {counts}")
    return 0


# --- the MNIST classifier and FID (metrics.py) ------------------------------------------------

def _add_train_classifier(parser):
    parser.add_argument("--dataset", choices=("mnist", "fashion-mnist"), default="mnist",
                        help="mnist (default) or fashion-mnist (from --data-path, a folder of its "
                        "IDX files, or keras' cache or download)")
    parser.add_argument("--data-path", help="an MNIST file (keras .npz layout or mnist.pkl.gz); "
                        "default: $WGAN_TUTORIAL_MNIST, keras' cache or download, else the shipped subset")
    parser.add_argument("--epochs", type=int_at_least(1), default=8, help="passes over the training digits (default 8)")
    parser.add_argument("--batch-size", type=int_at_least(1), default=128, help="default 128")
    parser.add_argument("--learning-rate", type=float_above(0.0), default=1e-3,
                        help="Adam's initial learning rate, decayed to 0 along a cosine (default 0.001)")
    parser.add_argument("--seed", type=int_at_least(0), default=0, help="default 0")
    parser.add_argument("--limit", type=int_at_least(1), help="train on the first LIMIT training digits only")
    parser.add_argument("--out", help="folder for mnist_classifier.weights.h5 and train_log.txt (default: "
                        "<cache>/classifier; the weights the package uses are in wgan_tutorial/assets/classifier)")
    parser.add_argument("--overwrite", action="store_true", help="replace the weights already in --out")


def _run_train_classifier(args):
    import shlex
    from pathlib import Path

    from wgan_tutorial import config, metrics, resources
    from wgan_tutorial.data import mnist_source

    out = Path(args.out) if args.out else config.cache_dir() / "classifier"
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out must be a folder, got the file {out}")
    resources.writable_folder(out, "--out")
    resources.output_path(out / metrics.classifier_weights_file(args.dataset), "--out", args.overwrite)
    command = ["wgan-tutorial", "train-classifier"]
    if args.dataset != "mnist":
        command += ["--dataset", args.dataset]
    if args.data_path:
        command += ["--data-path", args.data_path]
    command += ["--epochs", str(args.epochs), "--batch-size", str(args.batch_size),
                "--learning-rate", f"{args.learning_rate:g}", "--seed", str(args.seed)]
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
    classifier, _ = metrics.train_classifier(path=args.data_path, epochs=args.epochs, batch_size=args.batch_size,
                                             learning_rate=args.learning_rate, seed=args.seed, limit=args.limit,
                                             log=log, dataset=args.dataset)
    weights = out / metrics.classifier_weights_file(args.dataset)
    classifier.save_weights(weights)
    log(f"weights: {weights} ({weights.stat().st_size / 1e6:.2f} MB, {classifier.count_params():,} parameters)")
    (out / metrics.LOG_FILE).write_text("\n".join(lines) + "\n")
    print(f"log: {out / metrics.LOG_FILE}")
    return 0


def _load_images_npy(path, option):
    """A user's .npy file of images, read without unpickling; errors become one line."""
    import numpy as np
    from pathlib import Path

    if Path(path).is_dir() or Path(path).suffix == ".keras":
        raise ValueError(f"{option} {path}: takes a .npy file of images, not a model; draw them "
                         f"first: wgan-tutorial sample --model {path} --n 10000 --out fake.npy")
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        reason = (str(error).splitlines() or [type(error).__name__])[0]
        raise ValueError(f"{option} {path}: not a readable .npy file of images ({reason})") from None
    if not isinstance(array, np.ndarray):
        array.close()
        raise ValueError(f"{option} {path}: must be a .npy file holding one array, got an .npz archive")
    return array


def _add_fid(parser):
    from wgan_tutorial.metrics import VALUE_RANGES

    parser.add_argument("--fake", required=True, metavar="FILE.npy",
                        help="generated images, shape (N, H, W) or (N, H, W, 1 or 3) (the MNIST report: 28x28 "
                        "greyscale): uint8, or floats in [-1, 1] or [0, 1]")
    parser.add_argument("--real", default="test", metavar="test|train|FILE.npy",
                        help="the reference: an MNIST split (statistics cached) or a .npy file (default test)")
    parser.add_argument("--n", type=int_at_least(2), help="use the first N generated digits (default: all)")
    parser.add_argument("--value-range", choices=tuple(VALUE_RANGES),
                        help="the range of --fake (default: inferred: integers 0-255, floats with negatives "
                        "[-1,1], other floats [0,1])")
    parser.add_argument("--data-path", help="an MNIST file for the splits and the floor (default: the usual sources)")
    parser.add_argument("--batch-size", type=int_at_least(1), default=500, help="images per forward pass (default 500)")
    from wgan_tutorial.data import DATASET_NAMES
    from wgan_tutorial.metrics import FEATURE_EXTRACTORS

    parser.add_argument("--features", choices=tuple(FEATURE_EXTRACTORS), default="mnist",
                        help="mnist: the package's classifier (default; other shapes are turned "
                        "into 28x28 greyscale); inception: Keras InceptionV3 with ImageNet weights "
                        "(close to, not identical with, the reference TF-FID numbers; needs the "
                        "weights once)")
    parser.add_argument("--kid", action="store_true",
                        help="also print KID (Binkowski et al. 2018), unbiased at any N, with its "
                        "standard deviation over 100 subsets")
    parser.add_argument("--dataset", choices=DATASET_NAMES,
                        help="the real images when --real is a split: a registry data set "
                        "(default mnist; folder needs --data-dir)")
    parser.add_argument("--data-dir", help="where --dataset is (see train --data-dir)")


def _mnist_scoring(args, fake):
    """Whether `fid` prints the MNIST report (floor, coverage, IS): MNIST features of digits
    against MNIST."""
    shape = fake.shape[1:3] if fake.ndim in (3, 4) else None
    grey = fake.ndim == 3 or (fake.ndim == 4 and fake.shape[-1] == 1)
    return args.features == "mnist" and args.dataset in (None, "mnist") and grey \
        and shape == (28, 28) and args.data_dir is None


def _run_fid_any(args, fake):
    """FID (and KID) of any images with any extractor, against --real or a registry set."""
    from wgan_tutorial import data, metrics

    if args.n is not None:
        if args.n > len(fake):
            raise ValueError(f"--n must be <= the {len(fake)} images in {args.fake}, got {args.n}")
        fake = fake[:args.n]
    if args.real in ("train", "test"):
        size = fake.shape[1] if fake.ndim in (3, 4) else None
        channels = fake.shape[3] if fake.ndim == 4 else 1
        if size not in data.IMAGE_SIZES or fake.shape[2] != size or channels not in data.CHANNELS:
            raise ValueError(f"--fake images must have shape (N, S, S[, C]) with S in "
                             f"{data.IMAGE_SIZES} and C in {data.CHANNELS}, got {fake.shape}")
        source, shape = data.image_source(args.dataset or "mnist", args.real, args.data_dir,
                                          size, channels)
        real = data.real_images(source, shape, len(fake))
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


def _run_fid(args):
    from wgan_tutorial import metrics

    raw = _load_images_npy(args.fake, "--fake")
    if not _mnist_scoring(args, raw):
        return _run_fid_any(args, raw)
    fake, value_range = metrics.image_value_range(raw, args.value_range, name=f"--fake {args.fake}")
    if args.n is not None and args.n > len(fake):
        raise ValueError(f"--n must be <= the {len(fake)} digits in {args.fake}, got {args.n}")
    real = args.real
    if real not in ("train", "test"):
        real = metrics.image_value_range(_load_images_npy(real, "--real"), name=f"--real {real}")[0]
    try:
        report = metrics.sample_report(fake, real, n=args.n, path=args.data_path, value_range=value_range,
                                       batch_size=args.batch_size)
    except FileNotFoundError as error:
        raise ValueError(str(error)) from None
    how = "given" if args.value_range else "inferred"
    print(f"generated: {report['n']} digits from {args.fake} (range {value_range}, {how})")
    print(f"reference: {report['reference']}")
    print(f"FID: {report['fid']:.3f}")
    print(f"real-vs-real floor: {report['floor']:.3f} (FID of {report['floor_n']} MNIST {report['floor_split']} "
          f"digits vs the same reference)")
    coverage = report["coverage"]
    print("class coverage: " + " ".join(f"{digit}:{fraction:.3f}" for digit, fraction in enumerate(coverage)))
    rare = [str(digit) for digit, fraction in enumerate(coverage) if fraction < 0.01]
    print(f"digits in under 1 % of the samples: {', '.join(rare) if rare else 'none'}")
    print(f"Inception Score with the MNIST classifier (1 to 10): {report['inception_score']:.3f}")
    if args.kid:
        from wgan_tutorial.data import load_mnist

        reference = load_mnist(real, args.data_path, verbose=False)[0] if isinstance(real, str) else real
        fake_rows = metrics.features(fake[:report["n"]], batch_size=args.batch_size, value_range=value_range)
        mean, std = metrics.kid(fake_rows, metrics.features(reference, batch_size=args.batch_size))
        print(f"KID: {mean:.5f} +- {std:.5f}")
    return 0


# --- training a WGAN and sampling from it (training.py, pretrained.py) -------------------------

def _add_train(parser):
    names = "readable names; the WGAN_TensorFlow train.py names are aliases"
    parser.description = f"{parser.description} ({names}). Unset options take the papers' " \
        "values, or an existing --save-dir's (which the run continues)."
    from wgan_tutorial.data import CHANNELS, DATASET_NAMES, IMAGE_SIZES

    parser.add_argument("--dataset", choices=DATASET_NAMES,
                        help="default mnist; cifar-10 (alias cifar10), fashion-mnist, folder "
                        "(needs --data-dir) or a toy set")
    parser.add_argument("--loss",
                        help="clip: weight clipping (Arjovsky et al. 2017); gp: gradient penalty "
                        "(Gulrajani et al. 2017); lp: one-sided penalty (Petzka et al. 2018); "
                        "gp-ln: gp with a layer-normalised critic; sn: spectral normalisation "
                        "(Miyato et al. 2018); gan, gan-minimax: the standard GAN (Goodfellow "
                        "et al. 2014), non-saturating or minimax generator loss; default gp")
    parser.add_argument("--data-dir", dest="data_dir",
                        help="where the data set is: a folder of images (folder), the CIFAR-10 "
                        "binary .tar.gz or folder, the Fashion-MNIST folder, an MNIST file")
    parser.add_argument("--image-size", dest="image_size", type=int, choices=IMAGE_SIZES,
                        help="train at this many pixels square (default: the data set's; "
                        "folder 64)")
    parser.add_argument("--channels", type=int, choices=CHANNELS,
                        help="1 (greyscale) or 3 (colour) (default: the data set's; folder 3)")
    parser.add_argument("--max-images", dest="max_images", type=int_at_least(1),
                        help="train on a random (seeded) subset of this many images "
                        "(the CelebA WGAN uses 3000)")
    parser.add_argument("--learning-rate", "--learning_rate", dest="learning_rate",
                        type=float_above(0.0), help="the generator's (the critic's is --critic-lr-scale times it); "
                        f"default: clip {D.PAPER_LEARNING_RATES['clip']:g} (RMSprop), gp on MNIST "
                        f"{D.GP_MNIST_LEARNING_RATE:g} (Adam, measured fastest on a CPU), gp on other "
                        f"image sets {D.GP_IMAGE_LEARNING_RATE:g}, gp on toys "
                        f"{D.PAPER_LEARNING_RATES['gp']:g}, sn {D.PAPER_LEARNING_RATES['sn']:g}, gan "
                        f"{D.PAPER_LEARNING_RATES['gan']:g} (Adam)")
    parser.add_argument("--critic-lr-scale", dest="critic_lr_scale", type=float_above(0.0),
                        help="the critic's learning rate divided by the generator's (the two "
                        "time-scale update rule, Heusel et al. 2017; default: gp on MNIST "
                        f"{D.GP_MNIST_CRITIC_LR_SCALE:g}, else 1, the papers')")
    parser.add_argument("--critic-lr-fade", dest="critic_lr_fade", type=int_at_least(0),
                        help="critic updates over which --critic-lr-scale falls linearly to 1; "
                        f"0: it stays (default: gp on MNIST {D.GP_MNIST_CRITIC_LR_FADE}, else 0)")
    parser.add_argument("--generator-norm", dest="generator_norm", choices=D.GENERATOR_NORMS,
                        help="batch norm in the image generator's hidden layers, or none "
                        f"(default: {D.GP_MNIST_GENERATOR_NORM} for gp on MNIST without labels, "
                        "else none)")
    parser.add_argument("--beta-1", dest="beta_1", type=float_above(0.0, inclusive=True),
                        help=f"Adam's beta_1 (all but clip), in [0, 1) (default {D.BETA_1:g}; the paper's 0 also works)")
    parser.add_argument("--n-clip", "--n_clip", dest="clip_value", type=float_above(0.0),
                        help=f"clipping constant c (clip; default {D.CLIP_VALUE:g})")
    parser.add_argument("--gp-weight", dest="gp_weight", type=float_above(0.0, inclusive=True),
                        help=f"penalty weight lambda (gp; default {D.GP_WEIGHT:g})")
    parser.add_argument("--ema", type=float_above(0.0, inclusive=True),
                        help="decay of the moving average of the generator's weights that "
                        "samples are drawn from, in [0, 1); 0 = none (default: gp on MNIST "
                        f"{D.GP_MNIST_EMA:g}, else 0)")
    parser.add_argument("--n-critic", "--n_update_dis", dest="n_critic", type=int_at_least(1),
                        help=f"critic updates per generator update (default {D.N_CRITIC}; gp on MNIST "
                        f"{D.GP_MNIST_N_CRITIC}, measured fastest on a CPU; gan 1)")
    parser.add_argument("--noise-dim", "--noise_dim", dest="noise_dim", type=int_at_least(1),
                        help=f"latent size (default {D.NOISE_DIM}; toys {D.TOY_NOISE_DIM})")
    parser.add_argument("--width", type=int_at_least(1),
                        help=f"MNIST model width (default {D.MNIST_WIDTH}) or toy MLP units (default "
                        f"{D.TOY_WIDTH})")
    parser.add_argument("--batch-size", "--batch_size", dest="batch_size", type=int_at_least(1),
                        help=f"real images per critic update (default: clip {D.PAPER_BATCH_SIZE}, gp on MNIST "
                        f"{D.GP_MNIST_BATCH_SIZE}, toys {D.TOY_BATCH_SIZE})")
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int_at_least(1),
                        help="target generator step, counted across resumed runs (default 1000; unlimited when only --max-seconds is given)")
    length.add_argument("--epochs", "--n_epoch", dest="epochs", type=float_above(0.0),
                        help="instead of --steps: passes over the training data")
    parser.add_argument("--max-seconds", dest="max_seconds", type=float_above(0.0),
                        help="stop cleanly, saving everything, after this wall time")
    parser.add_argument("--save-dir", "--save_dir", dest="save_dir",
                        help="run folder: config.json, metrics.csv, checkpoints/, generator.keras "
                        "(an existing one is continued)")
    parser.add_argument("--samples-dir", "--samples_dir", dest="samples_dir",
                        help="folder for sample grids (step_NNNNNN.png)")
    parser.add_argument("--seed", type=int_at_least(0), help="default 0")
    parser.add_argument("--data-path", dest="data_path",
                        help="an MNIST file (keras .npz or mnist.pkl.gz); default: the usual sources")
    parser.add_argument("--checkpoint-every", dest="checkpoint_every", type=int_at_least(1),
                        help="steps between checkpoints (default 200)")
    parser.add_argument("--sample-every", dest="sample_every", type=int_at_least(1),
                        help="steps between sample grids (default 200)")
    parser.add_argument("--conditional", action="store_const", const=True, default=None,
                        help="class-conditional WGAN: generator (z, label), projection critic, "
                        "penalty with the label held fixed; needs a data set with classes "
                        "(sample with --label)")
    parser.add_argument("--no-progress", dest="progress", action="store_false",
                        help="no progress bar")


def _run_train(args):
    from wgan_tutorial import losses, training

    if args.loss is not None and args.loss not in losses.LOSSES:
        raise UsageError(f"argument --loss: invalid choice: {args.loss!r} (choose from "
                         f"{', '.join(map(repr, losses.LOSSES))})")
    if args.data_dir is not None and args.data_path is not None:
        raise UsageError("give --data-dir or --data-path, not both")
    options = {name: getattr(args, name) for name in (
        "dataset", "loss", "learning_rate", "beta_1", "clip_value", "gp_weight", "n_critic",
        "noise_dim", "width", "batch_size", "ema", "steps", "epochs", "max_seconds", "save_dir",
        "samples_dir", "seed", "data_path", "checkpoint_every", "sample_every", "progress",
        "image_size", "channels", "max_images", "data_dir", "conditional", "critic_lr_scale",
        "critic_lr_fade", "generator_norm")}
    try:
        wgan, history = training.train(**options)
    except training.NonFiniteLossError as error:
        print(f"{PROG} train: {error}", file=sys.stderr)
        return 1
    except training.TrainingInterrupted as error:
        print(f"{PROG} train: {error}", file=sys.stderr)
        return 128 + error.signum
    if len(history["step"]):
        print(f"step {wgan.step}: W estimate {history['w_estimate'][-1]:.4f}, "
              f"critic loss {history['critic_loss'][-1]:.4f}, "
              f"generator loss {history['generator_loss'][-1]:.4f}")
    if args.save_dir:
        print(f"saved in {args.save_dir}")
    return 0


def _add_sample(parser):
    parser.add_argument("--model", required=True, metavar="PATH_OR_NAME",
                        help="a run folder (--save-dir of train), a generator .keras file, or "
                        "pretrained:NAME")
    parser.add_argument("--n", type=int_at_least(1), default=64, help="how many (default 64)")
    parser.add_argument("--seed", type=int_at_least(0), default=0, help="latent seed (default 0)")
    parser.add_argument("--label", type=int_at_least(0),
                        help="conditional models: the class of every sample (0..9 for MNIST; "
                        "default: classes drawn uniformly)")
    parser.add_argument("--out", required=True, metavar="FILE.npy|DIR/",
                        help="FILE.npy: uint8 array (N, H, W), or (N, H, W, 3) in colour; DIR/ "
                        "(or an existing folder): one PNG per image and grid.png")
    parser.add_argument("--sonify", metavar="FILE.wav",
                        help="also write the first (up to 8) images as sound: left to right, "
                        "1.5 s each, rows as pitch (wgan_tutorial.sonify)")
    parser.add_argument("--batch-size", type=int_at_least(1), default=500,
                        help="images per forward pass (default 500)")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace an existing FILE.npy, or the PNG files in DIR/")


def _run_sample(args):
    from pathlib import Path

    import numpy as np

    out = Path(args.out)
    to_folder = args.out.endswith(("/", "\\")) or out.is_dir()
    if not to_folder and out.suffix != ".npy":
        raise ValueError(f"--out must be a .npy file or a folder (end it with /), got {args.out}")
    if args.sonify is not None and Path(args.sonify).suffix.lower() != ".wav":
        raise ValueError(f"--sonify must name a .wav file, got {args.sonify}")
    from wgan_tutorial import models, plotting, pretrained, resources, sonify

    if to_folder:
        resources.writable_folder(out, "--out")
        taken = [path.name for path in (out / "grid.png", *out.glob("sample_*.png"))
                 if path.exists()]
        if taken and not args.overwrite:
            raise ValueError(f"--out {out}: already holds {len(taken)} sample file(s), e.g. "
                             f"{taken[0]}; give --overwrite to replace them")
    else:
        resources.output_path(out, "--out", args.overwrite)
    if args.sonify is not None:
        resources.output_path(Path(args.sonify), "--sonify", args.overwrite)
    generator = pretrained.load_generator(args.model)
    shape = tuple(generator.outputs[0].shape[1:])
    try:
        models.check_image_shape(shape)
    except ValueError:
        raise ValueError(f"--model {args.model} generates {shape}, not images") from None
    classes = models.num_classes(generator)
    if args.label is not None and classes is None:
        raise ValueError(f"--label: --model {args.model} is not conditional (trained without "
                         f"--conditional), it takes no label")
    if args.label is not None and args.label >= classes:
        raise ValueError(f"--label must be an integer in 0..{classes - 1}, got {args.label}")
    images = models.to_uint8_images(models.sample(generator, args.n, args.seed, args.batch_size,
                                                  labels=args.label))
    with resources.writing("--out", out):
        if to_folder:
            digits = len(str(args.n - 1))
            grey = {"cmap": "gray", "vmin": 0, "vmax": 255} if images.ndim == 3 else {}
            for index, image in enumerate(images):
                plotting.plt.imsave(out / f"sample_{index:0{digits}d}.png", image, **grey)
            plotting.save_image_grid(images[:100], out / "grid.png")
        else:
            np.save(out, images)
    if to_folder:
        print(f"wrote {args.n} PNG files and grid.png to {out}")
    else:
        print(f"wrote {out}: uint8 {images.shape}")
    if args.sonify is not None:
        first = images[:8]
        grid = plotting.image_grid(first, ncols=len(first), padding=0)
        with resources.writing("--sonify", args.sonify):
            sonify.sonify(grid, args.sonify, seconds=1.5 * len(first))
        print(f"wrote {args.sonify}: {len(first)} image(s) as sound, {1.5 * len(first):g} s")
    return 0


# --- the lambda x n_critic sweep of notebook 05 (widgets.py) ----------------------------------

def number_list(parse_one):
    """An argparse type: comma-separated values, each checked by `parse_one` (no repeats)."""
    def parse(text):
        values = [parse_one(item.strip()) for item in text.split(",") if item.strip()]
        if not values:
            raise argparse.ArgumentTypeError(f"must be a comma-separated list, got {text!r}")
        if len(set(values)) != len(values):
            raise argparse.ArgumentTypeError(f"must not repeat a value, got {text!r}")
        return values

    return parse


def _add_sweep(parser):
    parser.add_argument("--gp-weights", type=number_list(float_above(0.0, inclusive=True)),
                        default="0,0.1,1,10,100", help="penalty weights lambda, comma-separated "
                        "(default 0,0.1,1,10,100)")
    parser.add_argument("--n-critics", type=number_list(int_at_least(1)), default="1,2,5,10",
                        help="critic updates per generator update, comma-separated (default 1,2,5,10)")
    parser.add_argument("--steps", type=int_at_least(1),
                        help="generator steps per cell (default 500; 3 in fast mode; "
                        "none with --max-seconds alone)")
    parser.add_argument("--max-seconds", type=float_above(0.0),
                        help="wall-time cap per cell (default: none)")
    parser.add_argument("--width", type=int_at_least(1), help="MNIST model width (default: train's)")
    parser.add_argument("--batch-size", type=int_at_least(1),
                        help=f"default: train's gp default, {D.GP_MNIST_BATCH_SIZE}")
    parser.add_argument("--learning-rate", type=float_above(0.0),
                        help=f"Adam's learning rate (default {D.SWEEP_LEARNING_RATE:g}, the "
                        "shipped sweep's)")
    parser.add_argument("--ema", type=float_above(0.0, inclusive=True),
                        help=f"moving-average decay of the generator's weights, in [0, 1) "
                        f"(default: train's gp default, {D.GP_MNIST_EMA:g})")
    parser.add_argument("--seed", type=int_at_least(0), default=0, help="default 0 (every cell)")
    parser.add_argument("--fid-points", type=int_at_least(0), default=4,
                        help="FID evaluations per cell, evenly spaced (default 4; 0: none)")
    parser.add_argument("--fid-samples", type=int_at_least(2),
                        help="generated digits per FID (default 1000; 100 in fast mode)")
    parser.add_argument("--data-path", help="an MNIST file (keras .npz or mnist.pkl.gz); "
                        "default: the usual sources")
    parser.add_argument("--out", required=True,
                        help="folder for sweep.json and the sample grids (the shipped sweep is "
                        "wgan_tutorial/assets/sweep)")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace the sweep.json already in --out")
    parser.add_argument("--no-progress", dest="progress", action="store_false",
                        help="no progress bar")


def _run_sweep(args):
    from wgan_tutorial import widgets

    widgets.run_sweep(args.out, gp_weights=args.gp_weights, n_critics=args.n_critics,
                      steps=args.steps, max_seconds=args.max_seconds, width=args.width,
                      batch_size=args.batch_size, learning_rate=args.learning_rate,
                      ema=args.ema, seed=args.seed, fid_points=args.fid_points,
                      fid_samples=args.fid_samples, data_path=args.data_path,
                      progress=args.progress, overwrite=args.overwrite,
                      log=lambda line: print(line, flush=True))
    return 0


COMMANDS = {
    "data": (_add_data, _run_data, "show which data source is in use and its size (MNIST, "
             "Fashion-MNIST, CIFAR-10, a folder)"),
    "train-classifier": (_add_train_classifier, _run_train_classifier,
                         "train the MNIST classifier whose features FID uses"),
    "fid": (_add_fid, _run_fid, "score generated digits: FID, real-vs-real floor, class coverage"),
    "train": (_add_train, _run_train, "train a WGAN (weight clipping or gradient penalty)"),
    "sample": (_add_sample, _run_sample, "generate digits from a trained generator"),
    "sweep": (_add_sweep, _run_sweep,
              "train WGAN-GP on MNIST over a grid of lambda and n_critic (notebook 05's sweep)"),
}


def build_parser():
    parser = _Parser(prog=PROG, description="Train, sample and score Wasserstein GANs "
                     "(the wgan-tutorial course's command line).")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (add, _, help_text) in COMMANDS.items():
        add(commands.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv=None):
    """Run the command line; returns the exit status.

    TensorFlow's log noise is kept off stderr (unless `TF_CPP_MIN_LOG_LEVEL` says otherwise)
    and the package's messages are shown. A missing or too old TensorFlow / Keras ends with
    one line saying what to install, and exit status 1.
    """
    from wgan_tutorial import config

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    config.quiet_tensorflow()
    config.log_to_stderr()
    run = COMMANDS[args.command][1]
    try:
        return run(args)
    except config.MissingDependency as error:
        print(f"{PROG} {args.command}: error: {error}", file=sys.stderr)
        return 1
    except (ValueError, UsageError) as error:
        print(f"{PROG} {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return 130
