"""`detente query`: run one SELECT on the store, sandboxed: read-only, nothing outside the store, bounded in time
and memory (see `detente.store.sandbox`)."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from ..store import DEFAULT_DB
from ..store.sandbox import (
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_TIMEOUT,
    QueryError,
    QueryRefused,
    check_memory_limit,
    run_select,
    sandbox_config,
)
from ..textsafe import escape_controls, json_safe
from . import EXIT_USAGE, CommandError, one_line_failures
from .store_access import open_read_only, read_store

MAX_CELL = 80  # characters of a cell shown in the table format


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{value} is not a positive number of seconds")
    return seconds


def _memory(value: str) -> str:
    try:
        return check_memory_limit(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("sql", metavar="SQL",
                   help='one SELECT, e.g. "SELECT kind, count(*) FROM entities GROUP BY kind"')  # fmt: skip
    p.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"the store (default {DEFAULT_DB})")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"stop the query after this long (default {DEFAULT_TIMEOUT:g})")  # fmt: skip
    p.add_argument("--memory-limit", type=_memory, default=DEFAULT_MEMORY_LIMIT, metavar="SIZE",
                   help=f"DuckDB's memory for the query, e.g. 2GB (default {DEFAULT_MEMORY_LIMIT})")  # fmt: skip


def _cell(value) -> str:
    text = "" if value is None else str(value)
    text = escape_controls(" ".join(text.split()))
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def print_table(columns: list[str], rows: list[tuple], out=None) -> None:
    """Rows as aligned columns under a header (on standard output by default); control characters escaped."""
    out = out or sys.stdout
    cells = [[_cell(c) for c in columns]] + [[_cell(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    for i, r in enumerate(cells):
        out.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n")
        if i == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


def _write(fmt: str, columns: list[str], batches) -> None:
    """The rows in `fmt` on standard output: csv and json as they are fetched, the table once all are in."""
    out = sys.stdout
    if fmt == "table":
        print_table(columns, [row for batch in batches for row in batch])
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        terminal = out.isatty()  # a file gets the values as stored; a terminal sees their control characters
        clean = (lambda v: escape_controls(v, keep="\n\t") if isinstance(v, str) else v) if terminal else None
        writer.writerow([clean(c) for c in columns] if clean else columns)
        for batch in batches:
            writer.writerows([[clean(v) for v in r] for r in batch] if clean else batch)
    else:
        first = True
        out.write("[")
        for batch in batches:
            for row in batch:
                record = json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, default=str)
                out.write(("" if first else ", ") + json_safe(record))
                first = False
        out.write("]\n")


@one_line_failures("detente query")
def run(args: argparse.Namespace) -> int:
    config = sandbox_config(args.memory_limit)
    with read_store(args.db, lambda db: open_read_only(db, config)) as con:
        try:
            with run_select(con, args.sql, args.timeout, args.memory_limit) as result:
                _write(args.format, result.columns, result.batches)
        except QueryRefused as exc:
            raise CommandError(f"{args.db}: query refused: {exc}", EXIT_USAGE) from None
        except QueryError as exc:
            raise CommandError(f"{args.db}: query {exc}") from None
    return 0
