"""`detente stats`: rows per table, top actors, top pairs of states."""

from __future__ import annotations

import argparse

from ..store import DEFAULT_DB
from ..store.queries import stats
from . import count, one_line_failures
from .store_access import read_store


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"the store (default {DEFAULT_DB})")
    p.add_argument("--top", type=count, default=10, metavar="N",
                   help="actors and pairs to list (default 10; 0: no limit)")  # fmt: skip


@one_line_failures("detente")
def run(args: argparse.Namespace) -> int:
    from .query import print_table

    with read_store(args.db) as con:
        result = stats(con, args.top or None)
    print_table(["table", "rows"], list(result.counts.items()))
    print("\ntop actors")
    print_table(["entity", "name", "kind", "country", "documents", "events"], result.top_actors)
    print("\ntop pairs of states")
    print_table(["side", "side", "events"], result.top_pairs)
    return 0
