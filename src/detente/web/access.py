"""The store as the web app reads and writes it: one short-lived connection per request.

DuckDB lets one process write a database file, and a reader in another process cannot open it while a writer
holds it. So the app holds no connection between requests (an `detente ingest` elsewhere can take the store
while the app is idle), waits `lock_wait` seconds for a writer that holds it, and then answers that the store is
busy (`StoreBusy`: 503 with Retry-After). Inside the app, its own writes (an ingest from the paste page) wait
for the readers of the moment and hold off new ones: DuckDB refuses a writable and a read-only connection to the
same file in one process.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import duckdb

from ..store import StoreError, connect
from ..store.sandbox import sandbox_config
from ..store.schema import store_error

RETRY_AFTER = 5  # seconds a client is told to wait when the store is busy


class StoreBusy(Exception):
    """Another process writes the store: the one-line reason."""


class StoreUnavailable(Exception):
    """The store cannot be read (missing, corrupt, newer schema): the one-line reason."""


class _Gate:
    """Many readers or one writer at a time, within this process."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._writing = True  # new readers wait from now on
            self._cond.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class Store:
    """The store at `path`, opened read-only and sandboxed for each request (`reading`), writable only for the
    app's own ingests (`writing`); `version()` changes whenever its content may have."""

    def __init__(self, path: str, lock_wait: float) -> None:
        self.path, self.lock_wait = path, lock_wait
        self._gate = _Gate()
        # Extra parts of the version, each a function returning something hashable (the corrections' version).
        self.version_parts: list[Callable[[], object]] = []

    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        try:
            config = sandbox_config() if read_only else None
            return connect(self.path, read_only=read_only, config=config, lock_wait=self.lock_wait)
        except StoreError as exc:
            if "locked by another process" in str(exc):
                raise StoreBusy(str(exc)) from None
            raise StoreUnavailable(str(exc)) from None

    @contextmanager
    def _connection(self, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        con = self._open(read_only)
        try:
            yield con
        except duckdb.Error as exc:
            raise StoreUnavailable(str(store_error(self.path, exc))) from None
        finally:
            con.close()

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._gate.shared(), self._connection(read_only=True) as con:
            yield con

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._gate.exclusive(), self._connection(read_only=False) as con:
            yield con

    def version(self) -> tuple:
        """The store file's and its write-ahead log's size and time of change (a commit, a merge, a checkpoint
        changes one of them), with the extra `version_parts`."""
        files = []
        for path in (self.path, self.path + ".wal"):
            try:
                st = os.stat(path)
                files.append((st.st_mtime_ns, st.st_size))
            except OSError:
                files.append(None)
        return (*files, *(part() for part in self.version_parts))
