#!/usr/bin/env python3
"""One very long text through `detente extract`: time and peak memory at 5 MB and 50 MB, side by side.

    .venv/bin/python benchmarks/bench_large_text.py               # 5 MB and 50 MB: about 40 minutes on one core
    .venv/bin/python benchmarks/bench_large_text.py --sizes 1 5   # a quicker look
    .venv/bin/python benchmarks/bench_large_text.py --json

Text: the sentences of the unannotated VOA stories (../shared/corpus/voa_unlabeled.jsonl)
shuffled with a fixed seed into paragraphs of five sentences, one blank line
between paragraphs, written as one `.txt` file per size. Each file goes through
the command line exactly as a user runs it (`detente extract FILE -o OUT`), in a
process of its own; its wall time, CPU time (user + system) and peak resident
set (`ru_maxrss` of that process) are read when it ends. Bounded memory means
the 50 MB peak stays close to the 5 MB one while the time grows tenfold.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEED = 20240615
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-Z])")
PARAGRAPH_SENTENCES = 5


def sentences() -> list[str]:
    out = []
    with open(CORPUS / "voa_unlabeled.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                for paragraph in json.loads(line)["text"].split("\n"):
                    out += [s.strip() for s in SENTENCE_END.split(paragraph) if len(s.split()) >= 4]
    return out


def write_text(path: Path, megabytes: float, pool: list[str]) -> int:
    """A text of about `megabytes` million characters; its word count."""
    rng = random.Random(SEED)
    target, size, words = int(megabytes * 1_000_000), 0, 0
    with open(path, "w", encoding="utf-8") as fh:
        while size < target:
            paragraph = " ".join(rng.choice(pool) for _ in range(PARAGRAPH_SENTENCES)) + "\n\n"
            fh.write(paragraph)
            size += len(paragraph)
            words += len(paragraph.split())
    return words


def measure(path: Path, out: Path) -> dict:
    """Run `detente extract` on `path` in its own process; its exit code, times and peak memory."""
    began = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "detente.cli", "extract", str(path), "-o", str(out)])
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "exit": proc.returncode,
        "wall_s": round(time.perf_counter() - began, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "output_mb": round(out.stat().st_size / 1e6, 1) if out.exists() else 0.0,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs=2, default=(5, 50), metavar=("SMALL_MB", "LARGE_MB"))
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args()
    pool = sentences()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.sizes:
            text = Path(tmp) / f"text_{mb:g}mb.txt"
            words = write_text(text, mb, pool)
            print(f"extracting {mb:g} MB ({words:,} words)…", file=sys.stderr, flush=True)
            row = {"megabytes": mb, "words": words, **measure(text, Path(tmp) / "out.json")}
            row["words_per_cpu_s"] = round(words / row["cpu_s"]) if row["cpu_s"] else None
            rows.append(row)
    small, large = rows
    ratios = {k: round(large[k] / small[k], 2) for k in ("wall_s", "cpu_s", "peak_rss_mb") if small[k]}
    if args.json:
        print(json.dumps({"runs": rows, "ratio_large_small": ratios}, indent=1))
        return
    print(f"{'text':>8} {'words':>11} {'exit':>4} {'wall s':>8} {'CPU s':>8} {'words/CPU s':>11} "
          f"{'peak RSS MB':>11} {'output MB':>9}")  # fmt: skip
    for r in rows:
        print(f"{r['megabytes']:>6g}MB {r['words']:>11,} {r['exit']:>4} {r['wall_s']:>8} {r['cpu_s']:>8} "
              f"{r['words_per_cpu_s'] or '-':>11} {r['peak_rss_mb']:>11} {r['output_mb']:>9}")  # fmt: skip
    size = large["megabytes"] / small["megabytes"]
    print(f"ratio {large['megabytes']:g} MB / {small['megabytes']:g} MB: size {size:g}, wall time "
          f"{ratios.get('wall_s')}, CPU time {ratios.get('cpu_s')}, peak RSS {ratios.get('peak_rss_mb')}")  # fmt: skip


if __name__ == "__main__":
    main()
