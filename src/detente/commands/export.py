"""`detente export`: the store as csv/parquet/jsonl tables, a GraphML actor network, or PLOVER event JSON."""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from ..store import DEFAULT_DB
from ..store.export import FORMATS, export
from ..store.schema import store_error
from . import CommandError, one_line_failures
from .store_access import open_for_export, read_store


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, required=True, help="tables (csv, parquet, jsonl), graphml or plover")
    p.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"the store (default {DEFAULT_DB})")
    p.add_argument("--out", default="export", metavar="DIR", help="directory to write into (default ./export)")
    p.add_argument("--min-comentions", type=int, default=1, metavar="N",
                   help="graphml: keep co-mention edges seen in at least N documents (default 1)")  # fmt: skip


@one_line_failures("detente")
def run(args: argparse.Namespace) -> int:
    with read_store(args.db, open_for_export) as con:
        try:
            paths = export(con, args.format, Path(args.out), args.min_comentions)
        except OSError as exc:
            raise CommandError(f"{exc.filename or args.out}: cannot write ({exc.strerror})") from None
        except duckdb.Error as exc:  # writing the files failed: name the output directory, not the store
            raise CommandError(str(store_error(args.out, exc))) from None
    for path in paths:
        print(path)
    return 0
