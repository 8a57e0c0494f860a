"""Shared fixtures: the pipeline (loaded once), the development corpus beside the project, and stores built by
hand from contract records."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from detente import __version__
from detente.documents import Document, read_inputs
from detente.schema import DocumentMeta, DocumentResult, Extractor
from detente.store.ingest import text_hash, write_result

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
DEV = CORPUS / "dev"


@pytest.fixture(scope="session")
def pipeline():
    from detente.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def extract(pipeline):
    """Extract a text written in the test, anchored at a publication date."""

    def run(text: str, published: str | None = "2024-06-15"):
        day = dt.date.fromisoformat(published) if published else None
        return pipeline.extract(Document(text=text, source="test", published=day))

    return run


@pytest.fixture(scope="session")
def dev_result(pipeline):
    """Extract a development text by its file name prefix (e.g. "05")."""
    cache = {}

    def run(prefix: str):
        if prefix not in cache:
            path = next(DEV.glob(f"{prefix}_*.txt"))
            doc = next(d for d in read_inputs([str(path)]) if isinstance(d, Document))
            cache[prefix] = (doc, pipeline.extract(doc))
        return cache[prefix]

    return run


def entity(result, name: str):
    """The entity whose name or alias is `name`."""
    for e in result.entities:
        if e.name == name or name in e.aliases:
            return e
    raise AssertionError(f"no entity {name!r} in {[e.name for e in result.entities]}")


def store_document(con, text: str, entities=(), events=(), quantities=(), quotes=(), *,
                   published: str | None = "2023-03-21", source: str | None = None,
                   title: str | None = None) -> Document:  # fmt: skip
    """Store a document made of contract records built by hand (no extraction); the stored `Document`."""
    source = source or f"test-{text_hash(text)[:8]}.txt"
    doc = Document(text=text, source=source, published=dt.date.fromisoformat(published) if published else None)
    meta = DocumentMeta(text_hash(text), None, source, title, published, "en", len(text),
                        Extractor(__version__, "test"), [])  # fmt: skip
    result = DocumentResult(meta, list(entities), list(events), list(quantities), list(quotes), [])
    write_result(con, result, doc)
    return doc


@pytest.fixture(scope="session")
def dev_store(pipeline, tmp_path_factory) -> str:
    """A store of every development text, ingested as `detente ingest` does (read-only for the tests that use it:
    copy it to change it)."""
    from detente.commands.ingest import ingest
    from detente.store import connect

    db = str(tmp_path_factory.mktemp("dev-store") / "dev.duckdb")
    docs = [d for d in read_inputs([str(DEV)]) if isinstance(d, Document)]
    con = connect(db)
    try:
        ingest(con, db, docs, 1, {"done": 0, "skipped": 0}, pipeline, log_every=0)
    finally:
        con.close()
    return db


def first_row(db: str, sql: str, params: list | None = None) -> tuple | None:
    """The first row of one query on the store at `db`, opened read-only and closed again."""
    from detente.store import connect

    con = connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchone()
    finally:
        con.close()


@contextmanager
def held_by_another_process(db: str):
    """The store at `db` held writable by another process (taken as an ingest takes it, waiting for the readers
    of the moment) until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from detente.store import connect; c = connect(sys.argv[1], lock_wait=5); "
         "print('held', flush=True); sys.stdin.read()", db], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.stdin.close()
        holder.wait(10)
