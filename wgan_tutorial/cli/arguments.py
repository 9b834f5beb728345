"""The command line's argument parsing: one-line errors, and types that name their range."""

import argparse

PROG = "wgan-tutorial"


class UsageError(Exception):
    """A bad command-line value found after parsing (reported as one line, exit 2)."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage dump) and exit status 2."""

    def error(self, message):
        """Print `message` as one line and exit with status 2."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def int_at_least(minimum):
    """An argparse type: an integer >= `minimum`, or an error naming the range."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be an integer >= {minimum}, got {text!r}"
            ) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be an integer >= {minimum}, got {value}")
        return value

    return parse


def count_or_all(text):
    """An argparse type: an integer >= 1, or "all"."""
    if text == "all":
        return text
    try:
        return int_at_least(1)(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"must be an integer >= 1 or 'all', got {text!r}"
        ) from None


def float_above(minimum, inclusive=False):
    """An argparse type: a finite number > `minimum` (>= when `inclusive`), or an error."""

    def parse(text):
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
        ok = value >= minimum if inclusive else value > minimum
        if not ok or value != value or value == float("inf"):
            bound = ">=" if inclusive else ">"
            raise argparse.ArgumentTypeError(
                f"must be a finite number {bound} {minimum}, got {text}"
            )
        return value

    return parse


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


def field_argument(parser, field):
    """Add the command-line option of one `run_fields.Field` (its spellings, type and help)."""
    flags = (f"--{field.name.replace('_', '-')}", *field.flags)
    spec = {"dest": field.name, "help": field.help}
    if field.kind == "int":
        spec["type"] = int_at_least(field.minimum)
    elif field.kind == "devices":
        spec["type"] = count_or_all
    elif field.kind in ("float", "fraction"):
        spec["type"] = float_above(
            float(field.minimum), field.inclusive or field.kind == "fraction"
        )
    elif field.kind == "choice":
        spec.update(choices=field.choices, type=type(field.choices[0]))
    elif field.kind == "flag":
        spec.update(action="store_const", const=True, default=None)
    parser.add_argument(*flags, **spec)
