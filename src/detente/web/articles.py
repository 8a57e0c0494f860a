"""An article pasted or uploaded in the browser: read as `detente extract` reads a file, extracted by one
pipeline loaded on first use, and stored as `detente ingest` stores it when the app may write."""

from __future__ import annotations

import datetime as dt
import threading

from ..commands.ingest import Stopped, ingest
from ..documents import Document, Skipped, read_bytes, read_html, read_text
from ..schema import DocumentResult, to_json
from ..store import StoreError
from .access import Store, StoreUnavailable


class Unreadable(ValueError):
    """Input that is no article (empty, binary, HTML without main text): the one-line reason."""


class Articles:
    """The extraction pipeline, loaded once and used by one request at a time (spaCy's pipeline is not shared
    between threads here)."""

    def __init__(self) -> None:
        self._pipeline = None
        self._lock = threading.Lock()

    def _loaded(self):
        if self._pipeline is None:
            from ..pipeline import Pipeline

            self._pipeline = Pipeline()
        return self._pipeline

    @staticmethod
    def read(data: bytes, published: dt.date | None, html: bool) -> Document:
        """The article in `data` (text with an optional metadata block, or an HTML page). Its source is `-`, as
        for standard input: two pasted texts are two documents, never versions of one."""
        item = next(read_bytes(data, "-", published, read_html if html else read_text))
        if isinstance(item, Skipped):
            raise Unreadable(item.reason)
        return item

    def extract(self, document: Document) -> dict:
        """The contract JSON of `document`, with its text."""
        with self._lock:
            result: DocumentResult = self._loaded().extract(document, with_text=True)
        return to_json(result)

    def store(self, store: Store, document: Document) -> dict[str, int]:
        """Extract and store `document` as `detente ingest` does, then merge; the ingest's counts. A store that
        cannot be written raises `StoreUnavailable` (`StoreBusy` while another process writes it)."""
        counts = {"done": 0, "skipped": 0}
        with self._lock, store.writing() as con:
            try:
                ingest(con, store.path, [document], 1, counts, self._loaded(), log_every=0)
            except (Stopped, StoreError) as exc:
                raise StoreUnavailable(str(exc)) from None
        return counts
