#!/usr/bin/env python3
"""Speed of `detente report A B` (the report built from the store and rendered as text) as the store grows.

    .venv/bin/python benchmarks/bench_report.py                       # 200 and 1,000 documents (a few minutes)
    .venv/bin/python benchmarks/bench_report.py --docs 1000 10000     # the sizes in the README
    .venv/bin/python benchmarks/bench_report.py --dir DIR             # keep (and reuse) the stores in DIR

How the figures are obtained. Each store is bench_web's (the development texts extracted once, written again
under new texts until it holds N documents, then merged), built once in `--dir` (default a temporary directory)
and reused when there. On each store, in one process: the busiest pair (the most documents naming both among
their events' sides) and the quietest (the fewest), each timed as `detente report` does it: the store opened
read-only, `build_report`, then `render_text`; best of `--repeat` runs (default 1, the first run). The last
column is each time divided by the time at the smallest store.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

from bench_web import build_store  # noqa: E402

from detente.analysis import facts  # noqa: E402
from detente.analysis.pair import resolve_pair  # noqa: E402
from detente.analysis.relationship import build_report  # noqa: E402
from detente.report.model import Window  # noqa: E402
from detente.report.text import render_text  # noqa: E402


def pairs_of(path: str) -> dict[str, tuple[str, str]]:
    """The busiest and the quietest pair of the store."""
    con = facts.open_store(path)
    try:
        counts = facts.pair_documents(con)
    finally:
        con.close()
    ranked = sorted(counts, key=lambda p: (-counts[p], p))
    return {"busiest": ranked[0], "quiet": ranked[-1]}


def time_report(path: str, a: str, b: str, repeat: int) -> tuple[float, int]:
    """The best time of opening the store, building the report of (a, b) and rendering it; the text's length."""
    pair = resolve_pair(a, b)
    best, size = float("inf"), 0
    for _ in range(repeat):
        t = time.perf_counter()
        con = facts.open_store(path)
        try:
            text = render_text(build_report(con, pair, Window(None, None)))
        finally:
            con.close()
        best, size = min(best, time.perf_counter() - t), len(text)
    return best, size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[200, 1000], help="store sizes (default 200 1000)")
    ap.add_argument("--dir", help="where the stores are kept and reused (default a temporary directory)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per report, the best kept (default 1)")
    args = ap.parse_args()

    def say(msg: str) -> None:
        print(f"bench_report: {msg}", file=sys.stderr, flush=True)

    where = Path(args.dir or tempfile.mkdtemp())
    where.mkdir(parents=True, exist_ok=True)
    stores = {}
    for n in sorted(args.docs):
        path = where / f"report-{n}.duckdb"
        if not path.exists():
            build_store(str(path), n, say)
        stores[n] = str(path)
    pairs = pairs_of(stores[min(stores)])
    print(f"{'documents':>10} {'pair':>10} {'sides':>9} {'seconds':>8} {'text chars':>11} {'ratio':>6}")
    first: dict[str, float] = {}
    for n, path in stores.items():
        for label, (a, b) in pairs.items():
            seconds, size = time_report(path, a, b, args.repeat)
            first.setdefault(label, seconds)
            print(f"{n:>10,} {label:>10} {a + '-' + b:>9} {seconds:>8.2f} {size:>11,} {seconds / first[label]:>6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
