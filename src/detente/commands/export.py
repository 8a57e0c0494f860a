"""`detente export`: the store as csv/parquet/jsonl tables, a GraphML actor network, or PLOVER event JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from ..store import DEFAULT_DB, StoreError
from ..store.export import FORMATS, export
from ..store.schema import store_error
from .stats import open_read_only


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, required=True, help="tables (csv, parquet, jsonl), graphml or plover")
    p.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"the store (default {DEFAULT_DB})")
    p.add_argument("--out", default="export", metavar="DIR", help="directory to write into (default ./export)")
    p.add_argument("--min-comentions", type=int, default=1, metavar="N",
                   help="graphml: keep co-mention edges seen in at least N documents (default 1)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    try:
        con = open_read_only(args.db)
    except StoreError as exc:
        print(f"detente: {exc}", file=sys.stderr)
        return 1
    try:
        paths = export(con, args.format, Path(args.out), args.min_comentions)
    except OSError as exc:
        print(f"detente: {exc.filename or args.out}: cannot write ({exc.strerror})", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        print(f"detente: {store_error(args.out, exc)}", file=sys.stderr)
        return 1
    finally:
        con.close()
    for path in paths:
        print(path)
    return 0
