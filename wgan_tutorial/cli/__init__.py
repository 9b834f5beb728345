"""The `wgan-tutorial` command (also `python -m wgan_tutorial`).

Each subcommand is a pair in `COMMANDS`: `add_<name>(parser)` declares its options and
`run_<name>(args)` does the work by calling the package, so the command line, the notebooks
and the tests run the same code. `train`'s options are generated from the run
configuration's fields (`run_config.FIELDS`). Bad input ends with one line naming the option
and exit status 2.
"""

import sys

from wgan_tutorial import __version__
from wgan_tutorial.cli.arguments import PROG, Parser, UsageError
from wgan_tutorial.cli.boundary import LIBRARY_ERRORS, library_error_line, new_outputs, remove_empty
from wgan_tutorial.cli.data_command import add_data, run_data
from wgan_tutorial.cli.scoring_commands import (
    add_fid,
    add_train_classifier,
    run_fid,
    run_train_classifier,
)
from wgan_tutorial.cli.sweep_command import add_sweep, run_sweep
from wgan_tutorial.cli.training_commands import add_sample, add_train, run_sample, run_train

COMMANDS = {
    "data": (
        add_data,
        run_data,
        "show which data source is in use and its size (MNIST, Fashion-MNIST, CIFAR-10, a folder)",
    ),
    "train-classifier": (
        add_train_classifier,
        run_train_classifier,
        "train the MNIST classifier whose features FID uses",
    ),
    "fid": (add_fid, run_fid, "score generated digits: FID, real-vs-real floor, class coverage"),
    "train": (add_train, run_train, "train a WGAN (weight clipping or gradient penalty)"),
    "sample": (add_sample, run_sample, "generate digits from a trained generator"),
    "sweep": (
        add_sweep,
        run_sweep,
        "train WGAN-GP on MNIST over a grid of lambda and n_critic (notebook 05's sweep)",
    ),
}


def build_parser(command=None):
    """The argument parser; with `command`, only that subcommand's options are declared
    (`train`'s come from the run configuration, which imports TensorFlow)."""
    parser = Parser(
        prog=PROG,
        description="Train, sample and score Wasserstein GANs "
        "(the wgan-tutorial course's command line).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, (add, _, help_text) in COMMANDS.items():
        subparser = commands.add_parser(name, help=help_text, description=help_text)
        if command is None or name == command:
            add(subparser)
    return parser


def _command_in(argv):
    """The subcommand named in `argv` (the first word that is not an option), or None."""
    words = [word for word in (sys.argv[1:] if argv is None else argv) if not word.startswith("-")]
    return words[0] if words and words[0] in COMMANDS else None


def main(argv=None):
    """Run the command line; returns the exit status.

    TensorFlow's log noise is kept off stderr (unless `TF_CPP_MIN_LOG_LEVEL` says otherwise)
    and the package's messages are shown. Library errors that no reader translated
    (`boundary.LIBRARY_ERRORS`) end as one line, and a rejected command (exit 2) leaves no
    output folder it created behind empty (`boundary.remove_empty`). A missing or too old
    TensorFlow / Keras ends with one line saying what to install, and exit status 1.
    """
    from wgan_tutorial import config

    parser = build_parser(_command_in(argv) or "")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    config.quiet_tensorflow()
    config.log_to_stderr()
    run = COMMANDS[args.command][1]
    created = new_outputs(args)
    status = 2
    try:
        status = run(args)
    except config.MissingDependency as error:
        print(f"{PROG} {args.command}: error: {error}", file=sys.stderr)
        status = 1
    except (ValueError, UsageError) as error:
        print(f"{PROG} {args.command}: error: {error}", file=sys.stderr)
    except LIBRARY_ERRORS as error:
        print(f"{PROG} {args.command}: error: {library_error_line(error)}", file=sys.stderr)
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        status = 130
    finally:
        if status == 2:
            remove_empty(created)  # a rejected command leaves no empty output folder behind
    return status


__all__ = [
    "COMMANDS",
    "PROG",
    "Parser",
    "UsageError",
    "add_data",
    "add_fid",
    "add_sample",
    "add_sweep",
    "add_train",
    "add_train_classifier",
    "build_parser",
    "main",
    "run_data",
    "run_fid",
    "run_sample",
    "run_sweep",
    "run_train",
    "run_train_classifier",
]
