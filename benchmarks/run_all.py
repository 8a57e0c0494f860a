#!/usr/bin/env python3
"""Every benchmark's quick variant in one run, one after the other, each printing its own table.

    .venv/bin/python benchmarks/run_all.py          # quick variants: extraction, store, reading (about 15 minutes)
    .venv/bin/python benchmarks/run_all.py --full   # the long variants (10,000 documents: hours on one core)

What each script measures and how is in its own docstring: bench_extract.py (bare spaCy vs full
extraction words/s, the event layer's cost, per-document time and peak memory over a growing stream),
bench_store.py (extract vs ingest documents/s, two workers vs one, memory as the store grows, a pair
query), bench_reading.py (`detente pairs` and the report's reading on a large store), bench_report.py
(`detente report` for a busy and a quiet pair as the store grows), bench_web.py (the
web app under 50 concurrent readers). The long-text
benchmark (bench_large_text.py, 5 MB vs 50 MB) takes about 40 minutes and is run on its own.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
QUICK = [
    ("bench_extract.py", []),
    ("bench_event_model.py", []),
    ("bench_store.py", []),
    ("bench_reading.py", ["--docs", "1000"]),
    ("bench_web.py", []),
    ("bench_report.py", []),
]
FULL = [
    ("bench_extract.py", ["--full"]),
    ("bench_store.py", ["--full"]),
    ("bench_reading.py", []),
    ("bench_web.py", ["--docs", "10000"]),
    ("bench_report.py", ["--docs", "1000", "10000"]),
]


def main() -> int:
    runs = FULL if "--full" in sys.argv[1:] else QUICK
    failed = 0
    for script, args in runs:
        print(f"\n== {script} {' '.join(args)}".rstrip(), flush=True)
        failed += subprocess.run([sys.executable, str(HERE / script), *args]).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
