#!/usr/bin/env python3
"""Speed of `detente pairs` and of the report's `reading` on a large store.

    .venv/bin/python benchmarks/bench_reading.py               # 10,000 documents
    .venv/bin/python benchmarks/bench_reading.py --docs 1000   # smaller

How the figures are obtained: 200 documents of 10 shuffled sentences (bench_extract's generator) are extracted
once; their results are then written again and again under new texts (the same text with a unique closing line,
so every stored document is distinct and every offset stays valid) until the store holds `--docs` documents,
merged, and given the reading fields (tests/reading_rows.py). Timed on that store, one process, median of 5 runs:
`rank_pairs` (what `detente pairs` computes) and `build_reading` for the pair with the most events (what the
reading adds to `detente report`, the report's own timeline and figures built beforehand and not counted).
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import hashlib
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from bench_extract import SEED, sentences, shuffled_documents  # noqa: E402
from reading_rows import write_reading  # noqa: E402

from detente.analysis import facts  # noqa: E402
from detente.analysis.cite import Library  # noqa: E402
from detente.analysis.figures import build_figures  # noqa: E402
from detente.analysis.pair import resolve_pair  # noqa: E402
from detente.analysis.pairs import rank_pairs  # noqa: E402
from detente.analysis.reading import build_reading  # noqa: E402
from detente.analysis.relationship import date_window  # noqa: E402
from detente.analysis.timeline import build_timeline  # noqa: E402
from detente.pipeline import Pipeline  # noqa: E402
from detente.report.model import Window  # noqa: E402
from detente.store import connect  # noqa: E402
from detente.store.ingest import write_results  # noqa: E402
from detente.store.merge import merge  # noqa: E402

BASE_DOCS, BATCH = 200, 500


def text_copy(document, result, n: int):
    """`document` and its `result` under a new text: the same text with a closing line "Copy n." (offsets stay
    valid, the text hash differs)."""
    text = f"{document.text}\n\nCopy {n}."
    doc = dataclasses.replace(document, text=text, source=f"bench-copy-{n}")
    res = copy.deepcopy(result)
    res.document.id = hashlib.sha256(text.encode("utf-8")).hexdigest()
    res.document.length = len(text)
    return doc, res


def build_store(path: str, total: int) -> None:
    pipeline = Pipeline()
    stream = shuffled_documents(sentences(), 10, random.Random(SEED))
    base = [(d, pipeline.extract(d)) for d in itertools.islice(stream, BASE_DOCS)]
    con = connect(path)
    written = []
    for start in range(0, total, BATCH):
        items = [text_copy(*base[n % len(base)], n) for n in range(start, min(total, start + BATCH))]
        write_results(con, items)
        written.extend(r for _, r in items)
    merge(con)
    write_reading(con, written)  # after every write: the store's inserts do not name their columns yet
    con.close()


def timed(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--db", help="reuse (or build) the store here")
    args = ap.parse_args()
    path = args.db or str(Path(tempfile.mkdtemp()) / "reading.duckdb")
    t = time.perf_counter()
    if not Path(path).exists():
        build_store(path, args.docs)
    build_s = time.perf_counter() - t
    con = facts.open_store(path)
    docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    rows = rank_pairs(con)
    top = max(rows, key=lambda r: sum(r.directed.values()) + r.mutual)
    pair = resolve_pair(top.a, top.b)
    days = date_window(Window())
    library = Library(con)
    tl = build_timeline(facts.events_between(con, top.a, top.b), pair, days, library)
    figures = build_figures(facts.quantities_between(con, top.a, top.b), pair, days, library)
    fact_docs = {r.doc for pe in tl.timeline + tl.undated + tl.not_happened + tl.planned for r in pe.rows}
    out = {
        "documents": docs,
        "pairs": len(rows),
        "store_build_s": round(build_s, 1),
        "pairs_s": round(timed(lambda: rank_pairs(con)), 3),
        "reading_pair": f"{top.a}-{top.b}",
        "reading_events": len(fact_docs)
        and sum(len(p) for p in (tl.timeline, tl.undated, tl.not_happened, tl.planned)),
        "reading_s": round(timed(lambda: build_reading(con, pair, days, tl, figures, library, fact_docs)), 3),
    }
    con.close()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
