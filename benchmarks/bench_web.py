#!/usr/bin/env python3
"""Speed of `detente serve` under 50 concurrent readers: the pair page and the API's entity lookup.

    .venv/bin/python benchmarks/bench_web.py                 # 200 documents (two minutes)
    .venv/bin/python benchmarks/bench_web.py --docs 10000    # 10,000 documents
    .venv/bin/python benchmarks/bench_web.py --db FILE       # reuse (or build) the store in FILE

How the figures are obtained. The store: the development texts are extracted once, then written again and
again under new texts (each the same text with a closing line "Copy n.", so every stored document is distinct
and every offset stays valid; bench_reading's copies) until it holds `--docs` documents, then merged: built
once, in a temporary directory unless `--db` is given. The server: `detente serve` in a subprocess on the
loopback address (uvicorn, one process, as an analyst runs it). The readers: `--readers` threads (default 50),
each with its own HTTP connection (httpx), started together.

- cold: each reader asks once for the pair page of United States–China in a window of its own (`until` a
  different day, so each is a report built from the store, not the cache) and once for a different entity.
- warm: on a new server, the pair page (built once beforehand) and one entity lookup (the entity in the most
  documents: the largest answer), each reader asking `--requests` times (default 10) for each, in turn.
Each phase stops at `--seconds` (default 120): what is left is not asked, a request still waiting then is cut
off and counted as failed (with its time so far).

Each latency is one request's time from sending to the whole body read; p50 and p95 over all the readers'
requests of a phase and kind. Targets (issue 14): p95 under 200 ms for the pair page, under 50 ms for the
entity lookup.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from bench_reading import text_copy  # noqa: E402

from detente.documents import Document, read_inputs  # noqa: E402
from detente.store import connect  # noqa: E402
from detente.store.ingest import write_results  # noqa: E402
from detente.store.merge import merge  # noqa: E402

CORPUS = HERE.parent.parent / "shared" / "corpus" / "dev"
BATCH = 500
PAIR = "/pairs/USA/CHN"


def build_store(path: str, total: int, say) -> None:
    from detente.pipeline import Pipeline

    pipeline = Pipeline()
    base = [(d, pipeline.extract(d)) for d in read_inputs([str(CORPUS)]) if isinstance(d, Document)]
    con = connect(path)
    try:
        for start in range(0, total, BATCH):
            write_results(con, [text_copy(*base[n % len(base)], n) for n in range(start, min(total, start + BATCH))])
            say(f"{min(total, start + BATCH):,} documents written")
        merge(con)
    finally:
        con.close()


def entities(path: str, n: int) -> list[str]:
    con = connect(path, read_only=True)
    try:
        rows = con.execute("SELECT id FROM entities ORDER BY documents DESC, id LIMIT ?", [n]).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


@contextmanager
def serving(path: str) -> Iterator[str]:
    """`detente serve` on the store at `path` in a subprocess, on a free loopback port; its address."""
    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "detente.cli", "serve", "--db", path, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/pairs?top=1", timeout=5).raise_for_status()
                break
            except httpx.HTTPError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the server did not start: {server.stderr.read().strip()}") from None
                time.sleep(0.2)
        yield base
    finally:
        server.kill()  # requests of the phase may still be under way: they are not waited for
        server.wait(10)


def run_readers(base: str, work: list[list[tuple[str, str]]], seconds: float) -> tuple[dict, int, float]:
    """Each reader's (kind, path) requests, all readers at once; latencies by kind, failures, elapsed time."""
    import httpx

    times: dict[str, list[float]] = {}
    failures = 0
    lock = threading.Lock()
    start = threading.Barrier(len(work))
    deadline = time.monotonic() + seconds

    def reader(jobs: list[tuple[str, str]]) -> None:
        nonlocal failures
        with httpx.Client(base_url=base, timeout=max(1.0, deadline - time.monotonic())) as client:
            start.wait()
            for kind, path in jobs:
                if time.monotonic() > deadline:
                    return
                t = time.perf_counter()
                try:
                    ok = client.get(path).status_code == 200
                except httpx.HTTPError:  # cut off at the phase's end
                    ok = False
                took = time.perf_counter() - t
                with lock:
                    times.setdefault(kind, []).append(took)
                    failures += not ok

    threads = [threading.Thread(target=reader, args=(jobs,)) for jobs in work]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, failures, time.perf_counter() - t0


def summary(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)
    return {"requests": len(ms), "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1)}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=200, help="documents in the store (default 200)")
    ap.add_argument("--db", help="reuse the store in FILE, or build it there")
    ap.add_argument("--readers", type=int, default=50, help="concurrent readers (default 50)")
    ap.add_argument("--requests", type=int, default=10, help="warm requests of each kind per reader (default 10)")
    ap.add_argument("--seconds", type=float, default=120, help="the most a phase may take (default 120)")
    args = ap.parse_args()

    def say(msg: str) -> None:
        print(f"bench_web: {msg}", file=sys.stderr, flush=True)

    path = args.db or str(Path(tempfile.mkdtemp()) / "web.duckdb")
    t = time.perf_counter()
    if not Path(path).exists():
        build_store(path, args.docs, say)
    build_s = time.perf_counter() - t
    con = connect(path, read_only=True)
    docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    con.close()
    people = entities(path, args.readers)
    day = dt.date(2026, 12, 31)
    cold = [[("pair page", f"{PAIR}?until={day - dt.timedelta(days=i)}"),
             ("entity lookup", f"/api/entities/{people[i % len(people)]}")]
            for i in range(args.readers)]  # fmt: skip
    with serving(path) as base:
        cold_times, cold_failed, cold_s = run_readers(base, cold, args.seconds)
    say(f"cold phase: {cold_s:.1f}s")
    warm = [[(kind, path) for _ in range(args.requests)
             for kind, path in (("pair page", PAIR), ("entity lookup", f"/api/entities/{people[0]}"))]
            for _ in range(args.readers)]  # fmt: skip
    with serving(path) as base:  # a new server: no build of the cold phase left running
        import httpx

        httpx.get(base + PAIR, timeout=None)  # built once: what follows reads the cache
        warm_times, warm_failed, warm_s = run_readers(base, warm, args.seconds)
    say(f"warm phase: {warm_s:.1f}s")
    out = {
        "documents": docs,
        "store_build_s": round(build_s, 1),
        "readers": args.readers,
        "cold": {kind: summary(ts) for kind, ts in cold_times.items()} | {"failed": cold_failed,
                                                                            "seconds": round(cold_s, 1)},
        "warm": {kind: summary(ts) for kind, ts in warm_times.items()} | {"failed": warm_failed,
                                                                            "seconds": round(warm_s, 1)},
        "entity": people[0],
    }  # fmt: skip
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
