"""One module per `detente` command: `add_arguments(parser)` and `run(args) -> int`."""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable

from ..textsafe import escape_controls

EXIT_FAIL, EXIT_USAGE = 1, 2


class CommandError(Exception):
    """A command's failure: one line for standard error and the exit code (1, or 2 for a usage error)."""

    def __init__(self, message: str, code: int = EXIT_FAIL):
        super().__init__(message)
        self.code = code


def one_line_failures(prefix: str) -> Callable:
    """Decorate a command's `run`: a `CommandError` it raises is printed as `PREFIX: message`, its code returned."""

    def wrap(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        @functools.wraps(run)
        def checked(args: argparse.Namespace) -> int:
            try:
                return run(args)
            except CommandError as exc:
                print(escape_controls(f"{prefix}: {exc}"), file=sys.stderr)
                return exc.code

        return checked

    return wrap


def count(value: str) -> int:
    """An argparse type: a whole number >= 0 (a negative count is a usage error, exit 2)."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return n


class LongTextProgress:
    """Says on stderr how far the reading of a long text has got, at most every `every` seconds."""

    def __init__(self, every: float = 5.0):
        self.every, self.last = every, 0.0

    def __call__(self, document, done: int) -> None:
        now = time.monotonic()
        total = len(document.text)
        if now - self.last >= self.every or done >= total:
            self.last = now
            where = escape_controls(str(document.source))
            print(f"detente: {where}: {done:,} of {total:,} characters read ({100 * done // total}%)", file=sys.stderr)
