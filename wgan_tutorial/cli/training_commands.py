"""`wgan-tutorial train` and `wgan-tutorial sample`: train a WGAN, draw from a generator.

`train`'s options are generated from the fields of `run_config.FIELDS`.
"""

import sys

from wgan_tutorial.cli.arguments import PROG, field_argument, int_at_least


def add_train(parser):
    """Declare `train`'s options, one per field of `run_config.FIELDS`."""
    from wgan_tutorial.run_config import FIELDS

    parser.description = (
        f"{parser.description} (readable names; the WGAN_TensorFlow "
        "train.py names are aliases). Unset options take the papers' values and the tuned "
        "presets, or an existing --save-dir's (which the run continues)."
    )
    groups = {}
    for field in FIELDS:
        if field.group and field.group not in groups:
            groups[field.group] = parser.add_mutually_exclusive_group()
        if field.cli:
            field_argument(groups[field.group] if field.group else parser, field)
    parser.add_argument(
        "--no-progress", dest="progress", action="store_false", default=None, help="no progress bar"
    )


def run_train(args):
    """Train (or resume) a run with the options given; exit 1 on divergence."""
    from wgan_tutorial import training
    from wgan_tutorial.run_config import FIELD_NAMES

    options = {name: getattr(args, name) for name in FIELD_NAMES if hasattr(args, name)}
    try:
        wgan, history = training.train(**options)
    except training.NonFiniteLossError as error:
        print(f"{PROG} train: {error}", file=sys.stderr)
        return 1
    except training.TrainingInterrupted as error:
        print(f"{PROG} train: {error}", file=sys.stderr)
        return 128 + error.signum
    if len(history["step"]):
        print(
            f"step {wgan.step}: W estimate {history['w_estimate'][-1]:.4f}, "
            f"critic loss {history['critic_loss'][-1]:.4f}, "
            f"generator loss {history['generator_loss'][-1]:.4f}"
        )
    if args.save_dir:
        print(f"saved in {args.save_dir}")
    return 0


def add_sample(parser):
    """Declare the `sample` command's options."""
    parser.add_argument(
        "--model",
        required=True,
        metavar="PATH_OR_NAME",
        help="a run folder (--save-dir of train), a generator .keras file, or pretrained:NAME",
    )
    parser.add_argument("--n", type=int_at_least(1), default=64, help="how many (default 64)")
    parser.add_argument("--seed", type=int_at_least(0), default=0, help="latent seed (default 0)")
    parser.add_argument(
        "--label",
        type=int_at_least(0),
        help="conditional models: the class of every sample (0..9 for MNIST; "
        "default: classes drawn uniformly)",
    )
    parser.add_argument(
        "--out",
        required=True,
        metavar="FILE.npy|DIR/",
        help="FILE.npy: uint8 array (N, H, W), or (N, H, W, 3) in colour; DIR/ "
        "(or an existing folder): one PNG per image and grid.png",
    )
    parser.add_argument(
        "--sonify",
        metavar="FILE.wav",
        help="also write the first (up to 8) images as sound: left to right, "
        "1.5 s each, rows as pitch (wgan_tutorial.sonify)",
    )
    parser.add_argument(
        "--batch-size",
        type=int_at_least(1),
        default=500,
        help="images per forward pass (default 500)",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an existing FILE.npy, or the PNG files in DIR/",
    )


def run_sample(args):
    """Draw images from a trained generator into a .npy file or a folder of PNGs."""
    from pathlib import Path

    import numpy as np

    out = Path(args.out)
    to_folder = args.out.endswith(("/", "\\")) or out.is_dir()
    if not to_folder and out.suffix != ".npy":
        raise ValueError(f"--out must be a .npy file or a folder (end it with /), got {args.out}")
    if args.sonify is not None and Path(args.sonify).suffix.lower() != ".wav":
        raise ValueError(f"--sonify must name a .wav file, got {args.sonify}")
    import matplotlib.pyplot as plt

    from wgan_tutorial import images as pictures
    from wgan_tutorial import models, pretrained, resources, sonify

    if to_folder:
        resources.writable_folder(out, "--out")
        taken = [
            path.name for path in (out / "grid.png", *out.glob("sample_*.png")) if path.exists()
        ]
        if taken and not args.overwrite:
            raise ValueError(
                f"--out {out}: already holds {len(taken)} sample file(s), e.g. "
                f"{taken[0]}; give --overwrite to replace them"
            )
    else:
        resources.output_path(out, "--out", args.overwrite)
    if args.sonify is not None:
        resources.output_path(Path(args.sonify), "--sonify", args.overwrite)
    try:
        generator = pretrained.load_generator(args.model)
    except ValueError as error:
        raise ValueError(f"--model: {error}") from None
    shape = tuple(generator.outputs[0].shape[1:])
    try:
        models.check_image_shape(shape)
    except ValueError:
        raise ValueError(f"--model {args.model} generates {shape}, not images") from None
    classes = models.num_classes(generator)
    if args.label is not None and classes is None:
        raise ValueError(
            f"--label: --model {args.model} is not conditional (trained without "
            f"--conditional), it takes no label"
        )
    if args.label is not None and args.label >= classes:
        raise ValueError(f"--label must be an integer in 0..{classes - 1}, got {args.label}")
    images = models.to_uint8_images(
        models.sample(generator, args.n, args.seed, args.batch_size, labels=args.label)
    )
    # every file is written under a temporary name and renamed: a failed write (a full disk)
    # keeps the old file and leaves no partial one
    if to_folder:
        digits = len(str(args.n - 1))
        grey = {"cmap": "gray", "vmin": 0, "vmax": 255} if images.ndim == 3 else {}
        for index, image in enumerate(images):
            with resources.atomic_path(out / f"sample_{index:0{digits}d}.png", "--out") as part:
                plt.imsave(part, image, **grey)
        with resources.atomic_path(out / "grid.png", "--out") as part:
            pictures.save_image_grid(images[:100], part)
    else:
        with resources.atomic_path(out, "--out") as part:
            np.save(part, images)
    if to_folder:
        print(f"wrote {args.n} PNG files and grid.png to {out}")
    else:
        print(f"wrote {out}: uint8 {images.shape}")
    if args.sonify is not None:
        first = images[:8]
        grid = pictures.image_grid(first, ncols=len(first), padding=0)
        with resources.writing("--sonify", args.sonify):
            sonify.sonify(grid, args.sonify, seconds=1.5 * len(first))
        print(f"wrote {args.sonify}: {len(first)} image(s) as sound, {1.5 * len(first):g} s")
    return 0
