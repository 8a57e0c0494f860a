"""The `detente` command line: a thin layer over the commands in `detente.commands`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# Each command lives in detente.commands.<name> with `add_arguments(parser)` and `run(args) -> int`.
COMMANDS = {
    "extract": "read articles and print their facts as contract JSON",
    "ingest": "extract articles into a DuckDB store, merged across documents",
    "export": "write the store as csv/parquet/jsonl tables, a GraphML actor network or PLOVER events",
    "query": "run one read-only SQL statement on the store",
    "stats": "rows per table, top actors and top pairs of states in the store",
    "report": "the relationship between two states from the store, as text, JSON or one HTML file",
    "pairs": "every pair of states in the store with its indicators, the most one-sided first",
    "eval": "score the extraction against the gold annotations and the PLOVER sentences",
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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return importlib.import_module(args.module).run(args)
    except KeyboardInterrupt:
        print("detente: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error, and nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        return 0
    except Exception as exc:  # last resort: a one-line reason naming the store, never a traceback
        where = f" {args.db}:" if getattr(args, "db", None) else ""
        reason = (str(exc).strip().splitlines() or [""])[0]
        print(f"detente {args.command}:{where} {type(exc).__name__}: {reason}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
