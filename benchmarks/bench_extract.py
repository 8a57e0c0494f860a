#!/usr/bin/env python3
"""Extraction speed and memory, in one process and one run.

    .venv/bin/python benchmarks/bench_extract.py            # --quick (default): about two minutes
    .venv/bin/python benchmarks/bench_extract.py --full     # the 10,000-document stream: tens of minutes
    .venv/bin/python benchmarks/bench_extract.py --json     # the figures as one JSON object

Text: the sentences of the development texts (../shared/corpus/dev) and of the
unannotated VOA stories (../shared/corpus/voa_unlabeled.jsonl), shuffled with
a fixed seed into new documents, so every document is a different text (plain
repeats would add no new strings and flatter the memory figures). Words are
whitespace-separated tokens, counted the same way for every figure. Times
are the process's CPU time (`time.process_time`), not wall time, so other
load on the machine does not move them; spaCy's small model runs on one core.

How each figure is obtained:
- words/s, bare spaCy vs full extraction: the same documents (at least 50,000
  words) through `nlp.pipe` of the very model the pipeline loads (inside
  `nlp.memory_zone()`, batch size as the pipeline's), and through
  `Pipeline.run` with each result turned into its JSON string (what `detente
  extract` does). After a warm-up, each configuration is timed twice, in
  alternation, and its faster run counts. The ratio is full / bare.
- event layer cost: the same documents, in the same rounds, through the
  pipeline without the extractors of the events module (those of
  `DEFAULT_EXTRACTORS` whose module path names events, if any); the cost is the
  share of the full time they account for.
- memory: one stream of generated documents (10 sentences each, made on the
  fly, results serialised and dropped) through `Pipeline.run`; the process's
  peak resident set (Linux VmHWM, reset before the stream) is read when the
  stream reaches each checkpoint: 100 and 1,000 documents with --quick; 1,000
  and 10,000 with --full. Flat memory means the later peak stays close to the
  earlier one.
- time per document: on the same stream, the mean time per document of each
  segment between checkpoints (documents 1–100, 101–1,000, 1,001–10,000), and
  its ratio to the first segment's: flat means a ratio near 1.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from detente.documents import Document, read_inputs
from detente.pipeline import BATCH_SIZE, Pipeline
from detente.schema import to_json

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SEED = 20240615
ROUNDS = 2
THROUGHPUT_WORDS = 50_000
DOC_SENTENCES = 30  # documents of the throughput test: about 700 words
STREAM_SENTENCES = 10  # documents of the stream: about 230 words
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“(]?[A-Z])")


def sentences() -> list[str]:
    """Every sentence of the development texts and the unannotated stories (four words or more)."""
    texts = [d.text for d in read_inputs([str(CORPUS / "dev")]) if isinstance(d, Document)]
    with open(CORPUS / "voa_unlabeled.jsonl", encoding="utf-8") as fh:
        texts += [json.loads(line)["text"] for line in fh if line.strip()]
    out = []
    for text in texts:
        for paragraph in text.split("\n"):
            out += [s.strip() for s in SENTENCE_END.split(paragraph) if len(s.split()) >= 4]
    return out


def shuffled_documents(pool: list[str], per_doc: int, rng: random.Random) -> Iterator[Document]:
    """An endless stream of new documents: random sentences, three to a paragraph."""
    n = 0
    while True:
        picked = rng.sample(pool, per_doc)
        text = "\n\n".join(" ".join(picked[i : i + 3]) for i in range(0, per_doc, 3))
        n += 1
        yield Document(text=text, source=f"bench-{n}", published=None)


def words(docs: list[Document]) -> int:
    return sum(len(d.text.split()) for d in docs)


def bare_spacy(pipeline: Pipeline, docs: list[Document]) -> float:
    start = time.process_time()
    with pipeline.nlp.memory_zone():
        for _ in pipeline.nlp.pipe((d.text for d in docs), batch_size=BATCH_SIZE):
            pass
    return time.process_time() - start


def full(pipeline: Pipeline, docs: list[Document]) -> float:
    start = time.process_time()
    for result in pipeline.run(docs):
        json.dumps(to_json(result), ensure_ascii=False)
    return time.process_time() - start


def is_event_extractor(fn) -> bool:
    return "event" in getattr(fn, "__module__", "")


def peak_rss_reset() -> None:
    """Reset the process's peak resident set (Linux), so the next reading covers what follows only."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Checkpoint:
    documents: int
    peak_rss_mb: float
    first_document: int  # ms_per_doc is over the documents first_document..documents
    ms_per_doc: float


def stream(pipeline: Pipeline, docs: Iterator[Document], checkpoints: list[int]) -> list[Checkpoint]:
    out, done, seg_start, last = [], 0, time.process_time(), 0
    peak_rss_reset()
    limit = max(checkpoints)

    def limited() -> Iterator[Document]:
        for _ in range(limit):
            yield next(docs)

    for result in pipeline.run(limited()):
        json.dumps(to_json(result), ensure_ascii=False)
        done += 1
        if done in checkpoints:
            now = time.process_time()
            ms = round(1000 * (now - seg_start) / (done - last), 2)
            out.append(Checkpoint(done, round(peak_rss_mb(), 1), last + 1, ms))
            seg_start, last = now, done
    return out


def throughput(pipeline: Pipeline, docs: list[Document], say) -> tuple[dict, dict | None]:
    """Words/s of bare spaCy and of full extraction, and the event layer's share of the full time."""
    n_words = words(docs)
    bare_spacy(pipeline, docs[:3])
    full(pipeline, docs[:3])
    events = [fn for fn in pipeline.extractors if is_event_extractor(fn)]
    without = copy.copy(pipeline)
    without.extractors = tuple(fn for fn in pipeline.extractors if fn not in events)
    times: dict[str, list[float]] = {"bare": [], "full": [], "without events": []}
    for _ in range(ROUNDS):
        times["bare"].append(bare_spacy(pipeline, docs))
        times["full"].append(full(pipeline, docs))
        if events:
            times["without events"].append(full(without, docs))
        say(", ".join(f"{k} {n_words / v[-1]:.0f} words/s" for k, v in times.items() if v))
    best = {k: min(v) for k, v in times.items() if v}
    speed = {
        "documents": len(docs),
        "words": n_words,
        "bare_spacy_words_per_s": round(n_words / best["bare"]),
        "full_words_per_s": round(n_words / best["full"]),
        "ratio": round(best["bare"] / best["full"], 3),
    }
    if not events:
        return speed, None
    return speed, {
        "extractors": [fn.__name__ for fn in events],
        "without_words_per_s": round(n_words / best["without events"]),
        "share_of_full_time": round(1 - best["without events"] / best["full"], 3),
    }


def run(full_stream: bool, progress: bool) -> dict:
    def say(msg: str) -> None:
        if progress:
            print(f"bench: {msg}", file=sys.stderr, flush=True)

    rng = random.Random(SEED)
    pool = sentences()
    pipeline = Pipeline()
    gen = shuffled_documents(pool, DOC_SENTENCES, rng)
    docs: list[Document] = []
    while words(docs) < THROUGHPUT_WORDS:
        docs.append(next(gen))
    say(f"{len(pool)} sentences; throughput set {len(docs)} documents, {words(docs)} words")
    speed, event_layer = throughput(pipeline, docs, say)
    checkpoints = [100, 1_000, 10_000] if full_stream else [100, 1_000]
    say(f"stream of {checkpoints[-1]} documents of {STREAM_SENTENCES} sentences…")
    marks = stream(pipeline, shuffled_documents(pool, STREAM_SENTENCES, rng), checkpoints)
    return {
        "mode": "full" if full_stream else "quick",
        "model": pipeline.info.model,
        "extractors": [fn.__name__ for fn in pipeline.extractors],
        "throughput": speed,
        "event_layer": event_layer,
        "stream": [{**vars(m), "time_ratio": round(m.ms_per_doc / marks[0].ms_per_doc, 3)} for m in marks],
        "memory_ratio": round(marks[-1].peak_rss_mb / marks[-2].peak_rss_mb, 3),
    }


def print_table(r: dict) -> None:
    t, ev = r["throughput"], r["event_layer"]
    print(f"détente extraction benchmark ({r['mode']}; {r['model']}; {t['documents']} documents, {t['words']} words)")
    print(f"  {'bare spaCy (nlp.pipe)':<34}{t['bare_spacy_words_per_s']:>8} words/s")
    print(f"  {'full extraction (Pipeline.run)':<34}{t['full_words_per_s']:>8} words/s")
    print(f"  {'ratio full / bare':<34}{t['ratio']:>8.2f}")
    if ev:
        print(f"  {'without the event layer':<34}{ev['without_words_per_s']:>8} words/s")
        print(f"  {'event layer share of full time':<34}{ev['share_of_full_time']:>8.1%}")
    else:
        print(f"  {'event layer':<34}{'n/a (no events extractor registered)':>8}")
    print(f"  {'stream: documents':<20}{'peak RSS MB':>12}{'ms/doc':>9}  {'over documents':<16}{'ratio':>6}")
    for m in r["stream"]:
        segment = f"{m['first_document']:,}–{m['documents']:,}"
        print(
            f"  {m['documents']:>17,}   {m['peak_rss_mb']:>12.1f}{m['ms_per_doc']:>9.2f}  {segment:<16}"
            f"{m['time_ratio']:>6.2f}"
        )
    print(f"  {'peak RSS ratio (last / previous checkpoint)':<44}{r['memory_ratio']:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="stream of 1,000 documents (default)")
    size.add_argument("--full", action="store_true", help="stream of 10,000 documents")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    result = run(full_stream=args.full, progress=True)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
