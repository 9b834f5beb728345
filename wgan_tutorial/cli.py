"""The `wgan-tutorial` command (also `python -m wgan_tutorial`).

Each subcommand is a pair: `_add_<name>(parser)` declares its options and `_run_<name>(args)`
does the work by calling the package, so the command line, the notebooks and the tests run
the same code. Bad input ends with one line naming the option and exit status 2.
"""
import argparse
import sys

from wgan_tutorial import __version__

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
    parser.add_argument("--path", help="an MNIST file (keras .npz layout or mnist.pkl.gz)")


def _run_data(args):
    from wgan_tutorial.data import load_mnist, mnist_source

    description, source = mnist_source(args.path)
    print(f"MNIST source: {description}" + (f" ({source})" if source else ""))
    for split in ("train", "test"):
        images, labels = load_mnist(split, args.path, verbose=False)
        counts = " ".join(str(c) for c in (labels[:, None] == range(10)).sum(0))
        print(f"{split}: {len(images)} digits, per class: {counts}")
    return 0


COMMANDS = {
    "data": (_add_data, _run_data, "show which MNIST source is in use and its size"),
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
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    run = COMMANDS[args.command][1]
    try:
        return run(args)
    except (ValueError, UsageError) as error:
        print(f"{PROG} {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return 130
