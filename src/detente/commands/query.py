"""`detente query`: run one SQL statement on the store, read-only."""

from __future__ import annotations

import argparse
import csv
import json
import sys

import duckdb

from ..store import DEFAULT_DB
from ..store.queries import NotOneStatement, run_sql
from . import EXIT_USAGE, CommandError, one_line_failures
from .store_access import read_store

MAX_CELL = 80  # characters of a cell shown in the table format


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("sql", metavar="SQL",
                   help='one statement, e.g. "SELECT kind, count(*) FROM entities GROUP BY kind"')  # fmt: skip
    p.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"the store (default {DEFAULT_DB})")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def print_table(columns: list[str], rows: list[tuple], out=None) -> None:
    """Rows as aligned columns under a header (on standard output by default)."""
    out = out or sys.stdout
    cells = [columns] + [[_cell(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    for i, r in enumerate(cells):
        out.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n")
        if i == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


@one_line_failures("detente")
def run(args: argparse.Namespace) -> int:
    with read_store(args.db) as con:
        try:
            columns, cur = run_sql(con, args.sql)
            rows = cur.fetchall() if columns else []
        except NotOneStatement as exc:
            raise CommandError(str(exc), EXIT_USAGE) from None
        except duckdb.Error as exc:
            raise CommandError(f"{args.db}: query failed: {str(exc).splitlines()[0]}") from None
    if args.format == "table":
        print_table(columns, rows)
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        records = [dict(zip(columns, r, strict=True)) for r in rows]
        print(json.dumps(records, ensure_ascii=False, default=str))
    return 0
