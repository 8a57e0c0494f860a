"""`detente stats`: rows per table, top actors, top pairs of states."""

from __future__ import annotations

import argparse
import sys

import duckdb

from ..store import DEFAULT_DB, StoreError, connect
from ..store.merge import merge_pending
from ..store.queries import stats
from ..store.schema import store_error
from . import count


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"the store (default {DEFAULT_DB})")
    p.add_argument("--top", type=count, default=10, metavar="N", help="actors and pairs to list (default 10)")


def open_read_only(db: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection; a warning when an interrupted ingest left the merges stale."""
    con = connect(db, read_only=True)
    try:
        if merge_pending(con):
            print(f"detente: warning: {db}: an ingest was interrupted; canonical entities and events are "
                  "stale until `detente ingest` runs again", file=sys.stderr)  # fmt: skip
    except duckdb.Error as exc:
        con.close()
        raise store_error(db, exc) from None
    return con


def run(args: argparse.Namespace) -> int:
    from .query import print_table

    try:
        con = open_read_only(args.db)
        try:
            result = stats(con, args.top)
        finally:
            con.close()
    except StoreError as exc:
        print(f"detente: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        print(f"detente: {store_error(args.db, exc)}", file=sys.stderr)
        return 1
    print_table(["table", "rows"], list(result.counts.items()))
    print("\ntop actors")
    print_table(["entity", "name", "kind", "country", "documents", "events"], result.top_actors)
    print("\ntop pairs of states")
    print_table(["side", "side", "events"], result.top_pairs)
    return 0
