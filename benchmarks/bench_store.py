#!/usr/bin/env python3
"""Store speed and memory: `extract` vs `ingest`, one worker vs two, memory as the store grows, a pair query.

    .venv/bin/python benchmarks/bench_store.py           # small: 50 documents, memory at 50 and 200 (minutes)
    .venv/bin/python benchmarks/bench_store.py --full    # 200 documents, memory at 1,000 and 10,000 (an hour)
    .venv/bin/python benchmarks/bench_store.py --json    # the figures as one JSON object

Text: the sentences of the development texts and of the unannotated VOA
stories, shuffled with a fixed seed into new documents (bench_extract's
generator), so that every document is a different text.

How each figure is obtained (one process, one run):
- extract vs ingest, documents/s: the same documents (30 sentences each)
  through what `detente extract` does for each (`Pipeline.extract` via
  `safe_results`, result serialised to JSON), then through `detente ingest`'s
  loop with one worker (the same extraction, documents written in batches
  of whole documents, one transaction each, to a fresh DuckDB file, then the cross-document merge). Both
  after a warm-up, in the same process with the same loaded pipeline, each
  run twice, alternating; the faster run of each counts.
- two workers vs one: the same documents ingested into fresh files with
  `--workers 1` and `--workers 2`; documents/s counted over the documents
  written after the first write (steady state; the time to that first write,
  the workers' model loading included, is given as start-up seconds).
- memory: one stream of 10-sentence documents ingested (one worker, in
  process) into one file in two steps, to the first and then the second size;
  the process's peak resident set (Linux VmHWM, reset before the stream) read
  after each step, merge included.
- pair query: `queries.pair_events` for the pair of sides with the most
  events in the largest store, median of 20 runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_extract import SEED, peak_rss_mb, peak_rss_reset, sentences, shuffled_documents  # noqa: E402

from detente.commands import ingest as ingest_cmd  # noqa: E402
from detente.commands.extract import safe_results  # noqa: E402
from detente.pipeline import Pipeline  # noqa: E402
from detente.schema import to_json  # noqa: E402
from detente.store import connect  # noqa: E402
from detente.store.queries import pair_events, stats, top_state_pairs  # noqa: E402

DOC_SENTENCES = 30
STREAM_SENTENCES = 10


def counts() -> dict:
    return {"done": 0, "skipped": 0, "unchanged": 0, "stored": 0}


def extract_rate(pipeline: Pipeline, docs: list) -> float:
    start = time.perf_counter()
    for _, result in safe_results(pipeline, docs, counts()):
        json.dumps(to_json(result), ensure_ascii=False)
    return len(docs) / (time.perf_counter() - start)


def ingest_run(db: Path, docs, workers: int, pipeline: Pipeline | None) -> dict:
    """Ingest into `db`; total seconds, and documents/s from the first stored document to the last."""
    stamps: list[float] = []
    write = ingest_cmd.write_results

    def timed_write(con, items, **kwargs):
        write(con, items, **kwargs)
        stamps.extend([time.perf_counter()] * len(items))

    ingest_cmd.write_results = timed_write
    con = connect(str(db))
    start = time.perf_counter()
    try:
        ingest_cmd.ingest(con, str(db), docs, workers, counts(), pipeline)
    finally:
        ingest_cmd.write_results = write
        total = time.perf_counter() - start
        con.close()
    later = [t for t in stamps if t > stamps[0]] if stamps else []  # documents written after the first batch
    steady = len(later) / (stamps[-1] - stamps[0]) if later else 0.0
    return {"seconds": round(total, 2), "startup_s": round(stamps[0] - start, 2) if stamps else None,
            "documents_per_s": round(len(stamps) / total, 2), "steady_documents_per_s": round(steady, 2)}  # fmt: skip


def run(full: bool, say) -> dict:
    rng = random.Random(SEED)
    pool = sentences()
    n_docs = 200 if full else 50
    sizes = (1_000, 10_000) if full else (50, 200)
    docs = list(itertools.islice(shuffled_documents(pool, DOC_SENTENCES, rng), n_docs))
    pipeline = Pipeline()
    tmp = Path(tempfile.mkdtemp(prefix="bench-store-"))
    say(f"{len(pool)} sentences; {n_docs} documents of {DOC_SENTENCES} sentences")
    extract_rate(pipeline, docs[:3])  # warm-up
    ingest_run(tmp / "warm.duckdb", docs[:3], 1, pipeline)
    extract_runs, one_runs = [], []
    for i in range(2):  # alternated, the faster of each counts: a busy machine slows one run, not one side
        extract_runs.append(extract_rate(pipeline, docs))
        one_runs.append(ingest_run(tmp / f"one{i}.duckdb", docs, 1, pipeline))
        say(f"extract {extract_runs[-1]:.2f} documents/s; ingest, 1 worker {one_runs[-1]}")
    extract_dps = max(extract_runs)
    one = max(one_runs, key=lambda r: r["documents_per_s"])
    two = ingest_run(tmp / "two.duckdb", docs, 2, None)
    say(f"ingest, 2 workers {two}")

    stream = shuffled_documents(pool, STREAM_SENTENCES, rng)
    grow = tmp / "grow.duckdb"
    memory, done = [], 0
    peak_rss_reset()
    for size in sizes:
        ingest_run(grow, itertools.islice(stream, size - done), 1, pipeline)
        done = size
        memory.append({"documents": size, "peak_rss_mb": round(peak_rss_mb(), 1)})
        say(f"memory {memory[-1]}")
    con = connect(str(grow), read_only=True)
    pair = (top_state_pairs(con, 1) or [("CHN", "RUS", 0)])[0][:2]
    times = []
    for _ in range(20):
        start = time.perf_counter()
        found = pair_events(con, *pair)
        times.append(time.perf_counter() - start)
    table_rows = stats(con).counts
    con.close()
    return {
        "mode": "full" if full else "small",
        "documents": n_docs,
        "extract_documents_per_s": round(extract_dps, 2),
        "ingest_1_worker": one,
        "ingest_vs_extract": round(one["documents_per_s"] / extract_dps, 3),
        "ingest_2_workers": two,
        "two_vs_one_workers": round(two["steady_documents_per_s"] / one["steady_documents_per_s"], 3),
        "memory": memory,
        "memory_ratio": round(memory[-1]["peak_rss_mb"] / memory[0]["peak_rss_mb"], 3),
        "pair_query": {
            "pair": list(pair),
            "events": len(found),
            "median_ms": round(1000 * statistics.median(times), 2),
            "store_documents": sizes[-1],
            "store_rows": table_rows,
        },  # fmt: skip
    }


def print_table(r: dict) -> None:
    one, two, q = r["ingest_1_worker"], r["ingest_2_workers"], r["pair_query"]
    print(f"détente store benchmark ({r['mode']}; {r['documents']} documents of {DOC_SENTENCES} sentences)")
    print(f"  {'extract (1 process)':<36}{r['extract_documents_per_s']:>8.2f} documents/s")
    print(f"  {'ingest, 1 worker (incl. merge)':<36}{one['documents_per_s']:>8.2f} documents/s")
    print(f"  {'ratio ingest / extract':<36}{r['ingest_vs_extract']:>8.3f}")
    print(f"  {'ingest, 1 worker, steady':<36}{one['steady_documents_per_s']:>8.2f} documents/s")
    print(f"  {'ingest, 2 workers, steady':<36}{two['steady_documents_per_s']:>8.2f} documents/s "
          f"(start-up {two['startup_s']}s, total {two['documents_per_s']:.2f} documents/s)")  # fmt: skip
    print(f"  {'ratio 2 workers / 1':<36}{r['two_vs_one_workers']:>8.3f}")
    for m in r["memory"]:
        print(f"  {'peak RSS at ' + format(m['documents'], ',') + ' documents':<36}{m['peak_rss_mb']:>8.1f} MB")
    print(f"  {'peak RSS ratio':<36}{r['memory_ratio']:>8.3f}")
    print(f"  {'pair query ' + '-'.join(q['pair']) + ' (' + str(q['events']) + ' events)':<36}"
          f"{q['median_ms']:>8.2f} ms at {q['store_documents']:,} documents")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="200 documents; memory at 1,000 and 10,000")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    result = run(args.full, lambda msg: print(f"bench: {msg}", file=sys.stderr, flush=True))
    print(json.dumps(result, indent=1) if args.json else "", end="")
    if not args.json:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
