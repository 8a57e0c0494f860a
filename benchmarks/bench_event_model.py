#!/usr/bin/env python3
"""What the learned event typer costs: its file size, load time and memory, and the extraction's words/s with
and without it, measured side by side in one run.

    .venv/bin/python benchmarks/bench_event_model.py [--repeat N]

Load time and memory: a fresh process loads the model (`EventTyper`), measured with `time.perf_counter` and
the resident set size before and after. Throughput: the 69 unannotated stories of
`../shared/corpus/voa_unlabeled.jsonl`, extracted whole by `Pipeline.run` with the typer and with a typer
that keeps every lexicon reading (the lexicon alone), alternating N times (default 2); the median of each.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STORIES = ROOT.parent / "shared" / "corpus" / "voa_unlabeled.jsonl"
LOAD = """
import time, json
from detente.extract.events.typer import EventTyper, MODEL
def rss():
    return next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmRSS"))
before = rss()
t = time.perf_counter(); typer = EventTyper(MODEL); t = time.perf_counter() - t
print(json.dumps({"seconds": t, "mb": (rss() - before) / 1024}))
"""


def _load() -> dict:
    out = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _words_per_second(pipeline, docs, words: int) -> float:
    t = time.process_time()
    for _ in pipeline.run(docs):
        pass
    return words / (time.process_time() - t)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    import detente.extract.events as events
    from detente.documents import Document
    from detente.extract.events.typer import MODEL
    from detente.pipeline import Pipeline

    docs = [Document(text=json.loads(line)["text"], source=str(i)) for i, line in enumerate(open(STORIES))]
    words = sum(len(d.text.split()) for d in docs)
    pipeline = Pipeline()
    learned = events._DocEvents._typed

    def lexicon_only(self, sent, matches):
        return matches

    with_typer, without = [], []
    for _ in range(args.repeat):
        events._DocEvents._typed = learned
        with_typer.append(_words_per_second(pipeline, docs, words))
        events._DocEvents._typed = lexicon_only
        without.append(_words_per_second(pipeline, docs, words))
    events._DocEvents._typed = learned
    load = _load()
    a, b = statistics.median(with_typer), statistics.median(without)
    print("| event typer (one run) | figure |\n|---|---|")
    print(f"| model file | {MODEL.stat().st_size / 2**20:.1f} MB |")
    print(f"| load in a fresh process | {load['seconds']:.2f} s, +{load['mb']:.1f} MB resident memory |")
    print(f"| extraction with the typer / lexicon only | {a:,.0f} / {b:,.0f} words/s; ratio **{a / b:.2f}** |")
    print(f"| text | {words:,} words in {len(docs)} stories, median of {args.repeat} alternating runs |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
