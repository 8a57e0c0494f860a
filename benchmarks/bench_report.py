#!/usr/bin/env python3
"""Speed of `detente report A B` (the report built from the store and rendered as text) as the store grows.

    .venv/bin/python benchmarks/bench_report.py                       # 200 and 1,000 documents (a few minutes)
    .venv/bin/python benchmarks/bench_report.py --docs 1000 10000     # the sizes in the README
    .venv/bin/python benchmarks/bench_report.py --dir DIR             # keep (and reuse) the stores in DIR
    .venv/bin/python benchmarks/bench_report.py --against OLD/src     # beside another version's sources

How the figures are obtained. Each store is bench_web's (the development texts extracted once, written again
under new texts until it holds N documents, then merged), built once in `--dir` (default a temporary directory)
and reused when there. On each store, in one process: the busiest pair (the most documents naming both among
their events' sides) and the quietest (the fewest), each timed as `detente report` does it: the sides named
(`resolve_pair`: the first run of a process loads the knowledge base), the store opened read-only, `build_report`,
then `render_text`; best of `--repeat` runs (default 1, the first run). The ratio is each time divided by the
time at the smallest store. With `--against SRC` (another version's `src` folder, e.g. from `git archive REV src |
tar -x -C OLD`), each report is timed in a child process of each version in turn, this one first, and the other's
time and the speed-up (its time over this one's) are shown beside.
"""

from __future__ import annotations

import argparse
import os
import subprocess
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
    """The best time of naming the sides, opening the store, building the report of (a, b) and rendering it; the
    text's length."""
    best, size = float("inf"), 0
    for _ in range(repeat):
        t = time.perf_counter()
        pair = resolve_pair(a, b)
        con = facts.open_store(path)
        try:
            text = render_text(build_report(con, pair, Window(None, None)))
        finally:
            con.close()
        best, size = min(best, time.perf_counter() - t), len(text)
    return best, size


def time_in_child(src: str | None, path: str, a: str, b: str, repeat: int) -> tuple[float, int]:
    """`time_report` in a child process importing détente from `src` (None: as this process does)."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (src, env.get("PYTHONPATH"))))
    cmd = [sys.executable, __file__, "--time", path, a, b, "--repeat", str(repeat)]
    seconds, size = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout.split()
    return float(seconds), int(size)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[200, 1000], help="store sizes (default 200 1000)")
    ap.add_argument("--dir", help="where the stores are kept and reused (default a temporary directory)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per report, the best kept (default 1)")
    ap.add_argument("--against", metavar="SRC", help="another version's src folder, timed beside this one")
    ap.add_argument("--time", nargs=3, metavar=("STORE", "A", "B"), help=argparse.SUPPRESS)  # a child's one report
    args = ap.parse_args()
    if args.time:
        print(*time_report(*args.time, args.repeat))
        return 0

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
    against = f" {'against':>8} {'speed-up':>8}" if args.against else ""
    print(f"{'documents':>10} {'pair':>10} {'sides':>9} {'seconds':>8} {'text chars':>11} {'ratio':>6}{against}")
    first: dict[str, float] = {}
    for n, path in stores.items():
        for label, (a, b) in pairs.items():
            if args.against:
                seconds, size = time_in_child(None, path, a, b, args.repeat)
                other, _ = time_in_child(args.against, path, a, b, args.repeat)
                against = f" {other:>8.2f} {other / seconds:>7.1f}×"
            else:
                seconds, size = time_report(path, a, b, args.repeat)
            first.setdefault(label, seconds)
            print(f"{n:>10,} {label:>10} {a + '-' + b:>9} {seconds:>8.2f} {size:>11,} {seconds / first[label]:>6.1f}"
                  f"{against}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
