"""`detente ingest`: extract articles and store their facts in a DuckDB file.

Workers (separate processes, each loading the pipeline once) extract; this
process alone writes, in input order, one transaction per small batch of
whole documents, then recomputes the cross-document merges. Documents already stored by this
extractor version (`detente.extractor_version()`: the package version and a
fingerprint of the extraction code and data) are skipped before extraction, so
an interrupted ingest continues where it stopped and a changed extractor
re-extracts.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import duckdb

from .. import extractor_version
from ..documents import Document
from ..store import DEFAULT_DB, StoreError, connect
from ..store.ingest import merge_metadata, stored_source, text_hash, write_results
from ..store.merge import merge, merge_pending
from ..store.schema import store_error
from ..textsafe import escape_controls
from . import LongTextProgress
from .extract import EXIT_NONE, EXIT_USAGE, documents_with_reports, exit_code, published_arg, safe_results
from .lifeline import die_with_parent

WORKER_MB = 400  # a worker's peak memory with the pipeline loaded (about 300 MB measured), with room to spare
IN_FLIGHT = 4  # documents queued per worker: enough to keep workers busy, few enough to keep memory flat
BATCH_DOCUMENTS, BATCH_SECONDS = 64, 2.0  # a write transaction: whichever limit comes first
LOG_EVERY = 500  # documents between two lines of counts in the log when stderr is not a terminal
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
FATAL = (duckdb.IOException, duckdb.FatalException)  # the file cannot be written: stop
# A write that fails for one of these is the store's failure, not the document's: stop at once.
STORE_FAILURES = ("Failed to commit", "Could not write", "No space left", "File too large", "Read-only file system",
                  "Permission denied", "database has been invalidated", "Could not read")  # fmt: skip


class Stopped(Exception):
    """The ingest cannot go on (the store cannot be written, the workers cannot run): the one-line reason."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="txt/md/html/jsonl files, directories, or - for stdin")
    p.add_argument(
        "--db", default=DEFAULT_DB, metavar="FILE", help=f"the store, created if missing (default {DEFAULT_DB})"
    )
    p.add_argument("--published", metavar="YYYY-MM-DD", help="anchor for relative dates when an input has none")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="processes extracting in parallel (default and most: the cores this process may use, and "
                        f"one per {WORKER_MB} MB of available memory)")  # fmt: skip
    p.add_argument("--log-every", type=int, default=LOG_EVERY, metavar="N",
                   help="when standard error is not a terminal, a line of counts every N documents (default "
                        f"{LOG_EVERY}; 0: none); on a terminal, a progress bar")  # fmt: skip


def worker_cap() -> tuple[int, str]:
    """How many workers this machine can run well, and what limits it: the cores this process may use, and
    `WORKER_MB` of available memory for each (more workers than that swap or share cores, and run slower)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        available_mb = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    except (ValueError, OSError, AttributeError):
        return max(1, cores), f"{cores} cores"
    by_memory = max(1, available_mb // WORKER_MB)
    if by_memory < cores:
        return by_memory, f"{available_mb} MB of available memory at {WORKER_MB} MB per worker"
    return max(1, cores), f"{cores} cores"


_PIPELINE = None


def _init_worker(parent: int) -> None:
    import signal

    from ..pipeline import Pipeline

    global _PIPELINE
    die_with_parent(parent)  # a parent killed outright (kill -9) cannot stop the pool: the workers see to it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    try:
        _PIPELINE = Pipeline(progress=LongTextProgress())
    except Exception as exc:  # one line instead of the pool's traceback; the parent sees a broken pool and stops
        print(escape_controls(f"detente: a worker could not load the pipeline ({_why(exc)})"), file=sys.stderr)
        sys.stderr.flush()
        os._exit(1)


def _extract_in_worker(doc: Document):
    """The document's result, or None when extraction failed (the reason is printed by the worker)."""
    return next((r for _, r in safe_results(_PIPELINE, [doc], {"done": 0, "skipped": 0})), None)


def extracted(documents: Iterable[Document], workers: int, counts: dict, pipeline=None) -> Iterator[tuple]:
    """(document, result) for each document that extracts, in input order; failures reported and counted."""
    documents = iter(documents)
    first = next(documents, None)
    if first is None:
        return
    documents = itertools.chain([first], documents)
    if workers == 1:
        if pipeline is None:
            from ..pipeline import Pipeline

            pipeline = Pipeline(progress=LongTextProgress())
        yield from safe_results(pipeline, documents, counts)
        return
    for name in BLAS_THREADS:  # the workers are the parallelism: one BLAS thread each (inherited at spawn)
        os.environ.setdefault(name, "1")
    try:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker, initargs=(os.getpid(),))  # fmt: skip
    except (OSError, ValueError) as exc:
        raise Stopped(f"{workers} worker processes could not start ({_why(exc)}); try --workers 1") from None
    pending: deque[tuple[Document, Future]] = deque()
    try:
        for doc in documents:
            try:
                pending.append((doc, pool.submit(_extract_in_worker, doc)))
            except (OSError, BrokenProcessPool) as exc:  # spawning a worker failed, or the pool broke
                raise Stopped(f"worker processes could not start or stopped ({_why(exc)}); try --workers 1") from None
            if len(pending) >= workers * IN_FLIGHT:
                yield from _collect(*pending.popleft(), counts)
        while pending:
            yield from _collect(*pending.popleft(), counts)
    finally:
        if pending:  # stopped early (Ctrl-C, a store failure): the documents being extracted are not wanted
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {(str(exc).strip().splitlines() or ['no reason given'])[0]}"


def _collect(doc: Document, future: Future, counts: dict) -> Iterator[tuple]:
    try:
        result = future.result()
    except BrokenProcessPool as exc:  # a worker could not start (its pipeline failed to load) or was killed
        where = escape_controls(doc.source)
        raise Stopped(f"worker processes could not start or were killed ({_why(exc)}); {where} and the documents "
                      "after it were not extracted") from None  # fmt: skip
    except Exception as exc:  # a result that could not be sent back
        result = None
        print(escape_controls(f"detente: {doc.source}: skipped: extraction failed ({_why(exc)})"), file=sys.stderr)
    if result is None:
        counts["skipped"] += 1
        return
    counts["done"] += 1
    yield doc, result


class Progress:
    """A progress bar on a terminal; elsewhere (a log), a line of counts every `every` documents."""

    def __init__(self, db: str, counts: dict, every: int) -> None:
        from tqdm import tqdm

        self.db, self.counts, self.every = db, counts, every
        self.bar = tqdm(unit=" docs", file=sys.stderr, mininterval=0.5) if sys.stderr.isatty() else None
        self.logged = handled(counts)

    def update(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)
        elif self.every > 0 and handled(self.counts) - self.logged >= self.every:
            self.logged = handled(self.counts)
            print(escape_controls(f"detente: {self.db}: so far {counts_line(self.counts)}"), file=sys.stderr,
                  flush=True)  # fmt: skip

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def handled(counts: dict) -> int:
    return counts["stored"] + counts["unchanged"] + counts["same_text"] + counts["skipped"]


def counts_line(counts: dict) -> str:
    return (f"{handled(counts)} read, {counts['stored']} stored, {counts['unchanged']} already stored, "
            f"{counts['same_text']} same text as another, {counts['skipped']} skipped")  # fmt: skip


def _new_documents(con, documents: Iterable[Document], counts: dict, progress, later: list) -> Iterator[Document]:
    """The documents to extract. A text already read in this run, or stored by this extractor from another
    input, counts as the same text as another; its metadata is kept in `later`, to be merged into the stored
    document. A text stored from the same input counts as already stored (its metadata is merged too)."""
    seen: set[str] = set()
    for doc in documents:
        key = text_hash(doc.text)
        source = None if key in seen else stored_source(con, doc.text, extractor_version())
        if key in seen or source is not None:
            counts["unchanged" if source == doc.source else "same_text"] += 1
            later.append((key, doc.external_id, doc.title, doc.published, doc.source))
            progress.update()
        else:
            yield doc
        seen.add(key)


def _store(con, db: str, batch: list[tuple], counts: dict, progress) -> None:
    try:
        stored = _write(con, batch, counts)
    except duckdb.Error as exc:
        counts["not_stored"] += len(batch)
        raise Stopped(str(store_error(db, exc))) from None
    counts["stored"] += stored
    progress.update(stored)


def _store_failure(exc: duckdb.Error) -> bool:
    return isinstance(exc, FATAL) or any(marker in str(exc) for marker in STORE_FAILURES)


def _write(con, batch: list[tuple], counts: dict) -> int:
    """Write a batch in one transaction; if that fails, each document alone, so that only a bad one is skipped.
    A failure of the store itself (a commit that fails, a file that cannot be written) is raised at once."""
    try:
        write_results(con, batch, mark_pending=not counts["stored"])
        return len(batch)
    except duckdb.Error as exc:
        if _store_failure(exc):
            raise
        if len(batch) == 1:
            _not_stored(batch[0][0], exc, counts)
            return 0
    return sum(_write(con, [item], counts) for item in batch)


def _not_stored(doc: Document, exc: Exception, counts: dict) -> None:
    counts["done"] -= 1
    counts["skipped"] += 1
    print(escape_controls(f"detente: {doc.source}: skipped: could not be stored ({str(exc).splitlines()[0]})"),
          file=sys.stderr)  # fmt: skip


def ingest(con, db: str, documents: Iterable[Document], workers: int, counts: dict, pipeline=None,
           log_every: int = LOG_EVERY) -> None:  # fmt: skip
    """Extract and store every new document, merge the metadata of inputs with the same text as another, then
    merge across documents; a document that fails is reported and skipped.

    Documents are written in small batches (at most `BATCH_SECONDS` of work): one transaction costs about as
    much as writing a document's rows, and a kill loses no more than the batch being gathered.
    """
    for key in ("stored", "unchanged", "same_text", "skipped", "not_stored"):
        counts.setdefault(key, 0)
    later: list[tuple] = []
    progress = Progress(db, counts, log_every)
    try:
        _extract_and_store(con, db, _new_documents(con, documents, counts, progress, later), workers, counts,
                           pipeline, progress)  # fmt: skip
        if later:
            _merge_later(con, db, later, workers, counts, pipeline)
    finally:
        progress.close()
    try:
        if merge_pending(con):
            merge(con)
    except duckdb.Error as exc:
        counts["merge_failed"] = True
        raise Stopped(f"{store_error(db, exc)}; the cross-document merge failed") from None


def _extract_and_store(con, db: str, documents: Iterable[Document], workers: int, counts: dict, pipeline,
                       progress) -> None:  # fmt: skip
    batch: list[tuple] = []
    since = time.perf_counter()
    for item in extracted(documents, workers, counts, pipeline):
        batch.append(item)
        if len(batch) >= BATCH_DOCUMENTS or time.perf_counter() - since >= BATCH_SECONDS:
            _store(con, db, batch, counts, progress)
            batch, since = [], time.perf_counter()
    if batch:
        _store(con, db, batch, counts, progress)


class _Quiet:
    def update(self, n: int = 1) -> None:
        pass


def _merge_later(con, db: str, later: list[tuple], workers: int, counts: dict, pipeline) -> None:
    """Fill what the stored documents lack from the later inputs with their text. A filled publication date
    moves relative dates, so that document is extracted again with the merged metadata and replaces its rows."""
    try:
        found, dated = merge_metadata(con, later)
    except duckdb.Error as exc:
        raise Stopped(f"{store_error(db, exc)}; the metadata of the documents with the same text as another "
                      "was not merged") from None  # fmt: skip
    for *_, source in (item for item in later if item[0] not in found):  # the first input of its text failed
        counts["same_text"] -= 1
        counts["skipped"] += 1
        print(escape_controls(f"detente: {source}: skipped: the same text as an input that was not stored"),
              file=sys.stderr)  # fmt: skip
    if dated:
        again = {"done": 0, "skipped": 0, "stored": counts["stored"], "not_stored": 0}
        _extract_and_store(con, db, dated, min(workers, len(dated)), again, pipeline, _Quiet())
        counts["not_stored"] += again["not_stored"]


def run(args: argparse.Namespace, pipeline=None) -> int:
    published = published_arg(args.published)
    if args.workers is not None and args.workers < 1:
        print("detente: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if args.log_every < 0:
        print("detente: --log-every must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    cap, why = worker_cap()
    if args.workers is not None and args.workers > cap:
        print(f"detente: warning: --workers {args.workers} lowered to {cap} ({why})", file=sys.stderr)
    args.workers = min(args.workers or cap, cap)
    counts = {"done": 0, "skipped": 0, "unchanged": 0, "same_text": 0, "stored": 0, "not_stored": 0}
    began = time.perf_counter()
    try:
        con = connect(args.db)
    except StoreError as exc:
        print(escape_controls(f"detente: {exc}"), file=sys.stderr)
        return EXIT_NONE
    try:
        docs = documents_with_reports(args.paths, published, counts)
        ingest(con, args.db, docs, args.workers, counts, pipeline, args.log_every)
    except (Stopped, StoreError) as exc:
        print(escape_controls(f"detente: {exc}"), file=sys.stderr)
        print(escape_controls(_stopped_summary(args.db, counts)), file=sys.stderr)
        return EXIT_NONE
    finally:
        con.close()
    seconds = time.perf_counter() - began
    done = handled(counts) - counts["skipped"]
    print(escape_controls(f"detente: {args.db}: {counts_line(counts)}, in {seconds:.1f}s "
                          f"({handled(counts) / seconds:.1f} documents/s)"), file=sys.stderr)  # fmt: skip
    return exit_code({"done": done, "skipped": counts["skipped"]})


def _stopped_summary(db: str, counts: dict) -> str:
    """What a stopped ingest did and did not do, and how to go on."""
    if counts.get("merge_failed"):
        return (f"detente: {db}: ingest stopped after storing every document ({counts['stored']} stored, "
                f"{counts['unchanged']} already stored, {counts['same_text']} same text as another, "
                f"{counts['skipped']} skipped); the stored documents are kept, "
                "their merge is pending: run the same command again to merge them")  # fmt: skip
    failed = f", {counts['not_stored']} in the failed write not stored" if counts["not_stored"] else ""
    return (f"detente: {db}: ingest stopped: {counts['stored']} stored and kept, {counts['unchanged']} already "
            f"stored, {counts['same_text']} same text as another (their metadata not merged yet), "
            f"{counts['skipped']} skipped{failed}, the rest of the input not read; run the same command again to "
            "resume where it stopped")  # fmt: skip
