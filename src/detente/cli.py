"""The `detente` command line: a thin layer over the commands in `detente.commands`."""

from __future__ import annotations

import argparse
import errno
import importlib
import io
import os
import select
import sys

from .textsafe import escape_controls

# Each command lives in detente.commands.<name> with `add_arguments(parser)` and `run(args) -> int`.
COMMANDS = {
    "extract": "read articles and print their facts as contract JSON",
    "ingest": "extract articles into a DuckDB store, merged across documents",
    "export": "write the store as csv/parquet/jsonl tables, a GraphML actor network or PLOVER events",
    "query": "run one read-only SQL statement on the store",
    "stats": "rows per table, top actors and top pairs of states in the store",
    "report": "the relationship between two states from the store, as text, JSON or one HTML file",
    "pairs": "every pair of states in the store with its indicators, the most one-sided first",
    "corrections": "list, add, undo, export or import the analysts' corrections of stored facts",
    "serve": "the store in a browser and as a JSON API (needs the web extra)",
    "eval": "score the extraction against the gold annotations and the PLOVER sentences",
    "train": "rebuild a learned model of the event layer (typer, sides, confidence) from the repository's data",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="detente", description="Cited, structured relations between states.")
    parser.add_argument("--version", action="version", version=f"detente {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(module=f"detente.commands.{name}")
        importlib.import_module(f"detente.commands.{name}").add_arguments(p)
    return parser


def _version() -> str:
    from . import __version__

    return __version__


EXIT_FAIL = 1


class _Messages(io.TextIOBase):
    """Standard error that outlives its reader: once nobody reads it (`2>&1 | grep -m1 …`), messages are
    dropped and the command carries on, so that a closed pipe never stops or truncates the work itself."""

    def __init__(self, stream) -> None:
        self.stream, self.closed_by_reader = stream, False

    def write(self, text: str) -> int:
        if not self.closed_by_reader:
            try:
                self.stream.write(text)
                self.stream.flush()
            except (BrokenPipeError, ValueError):
                self.closed_by_reader = True
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return not self.closed_by_reader and self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:
        return self.stream.encoding


def stdout_closed() -> bool:
    """Whether the reader of standard output has gone (a pipe whose other end is closed reports an error)."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no file descriptor: not a pipe we can ask
        return False


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    stderr = sys.stderr
    if not isinstance(stderr, _Messages):
        sys.stderr = _Messages(stderr)
    try:
        return importlib.import_module(args.module).run(args)
    except KeyboardInterrupt:
        print("detente: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError as exc:
        if exc.errno == errno.EPIPE and stdout_closed():  # the reader stopped early (`| head`): nothing to say
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
            return 0
        return _last_resort(args, exc)  # a pipe of our own (a worker's, a database's) broke: that is a failure
    except Exception as exc:
        return _last_resort(args, exc)
    finally:
        sys.stderr = stderr


def _last_resort(args: argparse.Namespace, exc: BaseException) -> int:
    """A one-line reason naming the store, never a traceback."""
    where = f" {args.db}:" if getattr(args, "db", None) else ""
    reason = (str(exc).strip().splitlines() or [""])[0]
    print(escape_controls(f"detente {args.command}:{where} {type(exc).__name__}: {reason}"), file=sys.stderr)
    return EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
