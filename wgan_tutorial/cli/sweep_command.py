"""`wgan-tutorial sweep`: the lambda x n_critic sweep behind notebook 05."""

from wgan_tutorial import defaults as D
from wgan_tutorial.cli.arguments import float_above, int_at_least, number_list


def add_sweep(parser):
    """Declare the `sweep` command's options."""
    parser.add_argument(
        "--gp-weights",
        type=number_list(float_above(0.0, inclusive=True)),
        default="0,0.1,1,10,100",
        help="penalty weights lambda, comma-separated (default 0,0.1,1,10,100)",
    )
    parser.add_argument(
        "--n-critics",
        type=number_list(int_at_least(1)),
        default="1,2,5,10",
        help="critic updates per generator update, comma-separated (default 1,2,5,10)",
    )
    parser.add_argument(
        "--steps",
        type=int_at_least(1),
        help="generator steps per cell (default 500; 3 in fast mode; "
        "none with --max-seconds alone)",
    )
    parser.add_argument(
        "--max-seconds", type=float_above(0.0), help="wall-time cap per cell (default: none)"
    )
    parser.add_argument(
        "--width", type=int_at_least(1), help="MNIST model width (default: train's)"
    )
    parser.add_argument(
        "--batch-size",
        type=int_at_least(1),
        help=f"default: train's gp default, {D.GP_MNIST_BATCH_SIZE}",
    )
    parser.add_argument(
        "--learning-rate",
        type=float_above(0.0),
        help=f"Adam's learning rate (default {D.SWEEP_LEARNING_RATE:g}, the shipped sweep's)",
    )
    parser.add_argument(
        "--ema",
        type=float_above(0.0, inclusive=True),
        help=f"moving-average decay of the generator's weights, in [0, 1) "
        f"(default: train's gp default, {D.GP_MNIST_EMA:g})",
    )
    parser.add_argument("--seed", type=int_at_least(0), default=0, help="default 0 (every cell)")
    parser.add_argument(
        "--fid-points",
        type=int_at_least(0),
        default=4,
        help="FID evaluations per cell, evenly spaced (default 4; 0: none)",
    )
    parser.add_argument(
        "--fid-samples",
        type=int_at_least(2),
        help="generated digits per FID (default 1000; 100 in fast mode)",
    )
    parser.add_argument(
        "--data-path", help="an MNIST file (keras .npz or mnist.pkl.gz); default: the usual sources"
    )
    parser.add_argument(
        "--out",
        required=True,
        help="folder for sweep.json and the sample grids (the shipped sweep is "
        "wgan_tutorial/assets/sweep)",
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="replace the sweep.json already in --out"
    )
    parser.add_argument(
        "--no-progress", dest="progress", action="store_false", help="no progress bar"
    )


def run_sweep(args):
    """Train the lambda x n_critic grid of notebook 05 and write its sweep.json."""
    from wgan_tutorial.course import sweep

    sweep.run_sweep(
        args.out,
        gp_weights=args.gp_weights,
        n_critics=args.n_critics,
        steps=args.steps,
        max_seconds=args.max_seconds,
        width=args.width,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        ema=args.ema,
        seed=args.seed,
        fid_points=args.fid_points,
        fid_samples=args.fid_samples,
        data_path=args.data_path,
        progress=args.progress,
        overwrite=args.overwrite,
        log=lambda line: print(line, flush=True),
    )
    return 0
