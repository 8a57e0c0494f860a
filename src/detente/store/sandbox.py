"""Running SQL that someone else wrote on the store: read-only, inside the store, bounded in time and memory.

A sandboxed connection is opened read-only with DuckDB's own guards set before any SQL runs: no access to files
or the network outside the database (`enable_external_access`), no extension loaded or installed on demand, a
memory limit, and the configuration locked so that no statement can undo them. On it `run_select` accepts
exactly one statement that DuckDB's parser types as a SELECT (a `WITH … SELECT`, `FROM t`, `DESCRIBE`, `SHOW`
and `SUMMARIZE` are SELECTs too) and stops it with `con.interrupt()` when it runs past its time limit.

Every refusal and stop is a `QueryError` with a one-line reason; `QueryRefused` marks SQL that was never run.
The command line's `detente query` and a web front end use the same functions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb

DEFAULT_TIMEOUT = 30.0  # seconds
DEFAULT_MEMORY_LIMIT = "512MB"
FETCH_ROWS = 2048

# Set when the connection opens, in this order (the lock last: nothing may change the others afterwards).
GUARDS = {"enable_external_access": False, "autoload_known_extensions": False, "autoinstall_known_extensions": False}


class QueryError(Exception):
    """A query that did not run to its end, with a one-line reason."""


class QueryRefused(QueryError):
    """SQL refused before anything ran: not exactly one SELECT statement."""


def sandbox_config(memory_limit: str | None = None) -> dict:
    """DuckDB configuration for a connection that runs untrusted SQL (`memory_limit` like "512MB", or None to keep
    DuckDB's default)."""
    config: dict = dict(GUARDS)
    if memory_limit:
        config["memory_limit"] = memory_limit
    config["lock_configuration"] = True
    return config


def check_memory_limit(value: str) -> str:
    """`value` if DuckDB reads it as a memory size ("512MB", "2GB"), else `ValueError` with the reason."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET memory_limit = '{value.replace(chr(39), '')}'")
    except duckdb.Error:
        raise ValueError(f"{value!r} is not a memory size such as 512MB or 2GB") from None
    finally:
        con.close()
    return value


def select_statement(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.Statement:
    """The one statement of `sql`, if DuckDB's parser types it as a SELECT; `QueryRefused` otherwise."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"the SQL does not parse: {_first_line(exc)}") from None
    if len(statements) != 1:
        raise QueryRefused(f"expected exactly one SQL statement, got {len(statements)}")
    statement = statements[0]
    if statement.type != duckdb.StatementType.SELECT:
        kind = statement.type.name.replace("_", " ")
        raise QueryRefused(f"only a SELECT (or WITH … SELECT) may run on the store; this is a {kind} statement")
    return statement


@dataclass
class Result:
    """The column names of a running query and its rows, fetched in batches while the time limit holds."""

    columns: list[str]
    batches: Iterator[list[tuple]]


@contextmanager
def run_select(
    con: duckdb.DuckDBPyConnection, sql: str, timeout: float = DEFAULT_TIMEOUT, memory_limit: str | None = None
) -> Iterator[Result]:
    """Run one SELECT on a sandboxed connection for the `with` body, which reads `Result.batches`.

    The time limit covers running and fetching: a timer interrupts DuckDB, and fetching stops between batches.
    A query stopped, refused or failing raises `QueryError` (`QueryRefused` before it ran) with a one-line
    reason; `memory_limit` only words the reason (the connection's own limit applies).
    """
    statement = select_statement(con, sql)
    deadline = time.monotonic() + timeout
    fired = threading.Event()

    def stop() -> None:
        fired.set()
        con.interrupt()

    timer = threading.Timer(timeout, stop)
    timer.daemon = True
    timer.start()

    def batches(cur) -> Iterator[list[tuple]]:
        while True:
            if time.monotonic() > deadline:
                fired.set()
                raise duckdb.InterruptException("time limit")
            rows = cur.fetchmany(FETCH_ROWS)
            if not rows:
                return
            yield rows

    try:
        cur = con.execute(statement)
        yield Result([d[0] for d in cur.description or ()], batches(cur))
    except duckdb.InterruptException:
        raise QueryError(f"stopped after {timeout:g} s, its time limit (raise it with --timeout)") from None
    except duckdb.OutOfMemoryException:
        limit = f" of {memory_limit}" if memory_limit else ""
        raise QueryError(
            f"stopped: it needs more than its memory limit{limit} (raise it with --memory-limit)"
        ) from None
    except duckdb.PermissionException as exc:
        raise QueryError(f"refused: it reaches outside the store ({_first_line(exc)})") from None
    except duckdb.Error as exc:
        if fired.is_set():  # interrupted while DuckDB was raising something else
            raise QueryError(f"stopped after {timeout:g} s, its time limit (raise it with --timeout)") from None
        raise QueryError(f"failed: {_first_line(exc)}") from None
    finally:
        timer.cancel()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
