"""Opening the store for a read command: every failure to open or read it becomes a one-line `CommandError`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import duckdb

from ..store import StoreError, connect
from ..store.merge import merge_pending
from ..store.sandbox import sandbox_config
from ..store.schema import store_error
from . import CommandError


def open_read_only(db: str, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection, sandboxed (`sandbox_config()` unless `config` says otherwise: nothing outside the
    store can be read or written through it); a warning when an interrupted ingest left the merges stale."""
    con = connect(db, read_only=True, config=sandbox_config() if config is None else config)
    try:
        if merge_pending(con):
            print(f"detente: warning: {db}: an ingest was interrupted; canonical entities and events are "
                  "stale until `detente ingest` runs again", file=sys.stderr)  # fmt: skip
    except duckdb.Error as exc:
        con.close()
        raise store_error(db, exc) from None
    return con


def open_for_export(db: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection that may write files (`export` writes its tables with DuckDB's COPY)."""
    return open_read_only(db, config={})


@contextmanager
def read_store(
    db: str, opener: Callable[[str], duckdb.DuckDBPyConnection] = open_read_only
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the store at `db` for the `with` body, closed after it; a store that cannot be opened,
    or a DuckDB failure in the body, raises `CommandError` with the one-line reason naming `db`."""
    try:
        con = opener(db)
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    try:
        yield con
    except duckdb.Error as exc:
        raise CommandError(str(store_error(db, exc))) from None
    finally:
        con.close()
