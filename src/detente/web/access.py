"""The store as the web app reads and writes it: read connections kept for a short idle time.

DuckDB lets one process write a database file, and a reader in another process cannot open it while a writer
holds it. Opening the store costs tens of milliseconds, so a request hands its read-only connection back to a
small pool, and connections unused for `IDLE_SECONDS` are closed: a `detente ingest` elsewhere (which waits
5 seconds for the store) takes it once the app has been idle that long. A request waits `lock_wait` seconds for
a writer that holds the store, and then answers that the store is busy (`StoreBusy`: 503 with Retry-After).
Inside the app, its own writes (an ingest from the paste page, a correction) wait for the readers of the moment,
close the pool and hold off new readers: DuckDB refuses a writable and a read-only connection to the same file in
one process.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import duckdb

from ..store import StoreError, connect
from ..store.sandbox import sandbox_config
from ..store.schema import store_error

RETRY_AFTER = 5  # seconds a client is told to wait when the store is busy
IDLE_SECONDS = 1.0  # a read connection unused this long is closed


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
    """The store at `path`, read through pooled read-only, sandboxed connections (`reading`), writable only for
    the app's own writes (`writing`); `version()` changes whenever its content may have."""

    def __init__(self, path: str, lock_wait: float, idle: float = IDLE_SECONDS) -> None:
        self.path, self.lock_wait, self.idle = path, lock_wait, idle
        self._gate = _Gate()
        self._pool: list[tuple[float, duckdb.DuckDBPyConnection]] = []  # idle connections, with when each was freed
        self._pool_lock = threading.Lock()
        self._reaper: threading.Timer | None = None
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
        with self._gate.shared():
            with self._pool_lock:
                con = self._pool.pop()[1] if self._pool else None
            con = con or self._open(read_only=True)
            try:
                yield con
            except duckdb.Error as exc:
                con.close()
                raise StoreUnavailable(str(store_error(self.path, exc))) from None
            except BaseException:
                con.close()
                raise
            self._give_back(con)

    def _give_back(self, con: duckdb.DuckDBPyConnection) -> None:
        with self._pool_lock:
            self._pool.append((time.monotonic(), con))
            if self._reaper is None:
                self._reaper = threading.Timer(self.idle, self._reap)
                self._reaper.daemon = True
                self._reaper.start()

    def _reap(self) -> None:
        """Close the connections idle for `idle` seconds; come back for the others."""
        with self._pool_lock:
            now = time.monotonic()
            old = [c for t, c in self._pool if now - t >= self.idle]
            self._pool = [(t, c) for t, c in self._pool if now - t < self.idle]
            self._reaper = None
            if self._pool:
                self._reaper = threading.Timer(self.idle - (now - self._pool[0][0]), self._reap)
                self._reaper.daemon = True
                self._reaper.start()
        for con in old:
            con.close()

    def close(self) -> None:
        """Close the idle read connections (the readers of the moment keep theirs until they are done)."""
        with self._pool_lock:
            idle, self._pool = self._pool, []
            if self._reaper is not None:
                self._reaper.cancel()
                self._reaper = None
        for _, con in idle:
            con.close()

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._gate.exclusive():
            self.close()
            with self._connection(read_only=False) as con:
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
