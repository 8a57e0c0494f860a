"""`detente pairs`: every pair of states in the store with its indicators, the most one-sided first."""

from __future__ import annotations

import argparse
import json
import sys

from ..store import DEFAULT_DB
from ..textsafe import json_safe
from . import count, one_line_failures
from .store_access import read_store


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"the store (default {DEFAULT_DB})")
    p.add_argument("--json", action="store_true", help="print the pairs as one JSON array (see docs/report.md)")
    p.add_argument("--top", type=count, default=0, metavar="N",
                   help="only the N most one-sided pairs (default 0: no limit)")  # fmt: skip


@one_line_failures("detente pairs")
def run(args: argparse.Namespace) -> int:
    from ..analysis.facts import open_store
    from ..analysis.pairs import rank_pairs
    from ..report.model import to_json

    with read_store(args.db, open_store) as con:
        rows = rank_pairs(con)
    rows = rows[: args.top or None]
    if args.json:
        sys.stdout.write(json_safe(json.dumps(to_json(rows), ensure_ascii=False, indent=1)) + "\n")
        return 0
    from .query import print_table

    print_table(["a", "b", "asymmetry", "a→b", "b→a", "joint", "documents", "reading"],
                [(r.a, r.b, r.asymmetry, r.directed["a_to_b"], r.directed["b_to_a"], r.mutual, r.documents, r.text)
                 for r in rows])  # fmt: skip
    return 0
