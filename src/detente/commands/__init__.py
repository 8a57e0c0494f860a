"""One module per `detente` command: `add_arguments(parser)` and `run(args) -> int`."""

import argparse


def count(value: str) -> int:
    """An argparse type: a whole number >= 0 (a negative count is a usage error, exit 2)."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return n
