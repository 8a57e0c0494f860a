"""`detente query` and the store's sandbox: one SELECT, read-only, nothing outside the store, bounded in time and
memory. Every way out of the store is tried twice: against the statement check (the CLI) and against the
connection's own guards (the SQL run directly on a sandboxed connection, as if the check were bypassed)."""

from __future__ import annotations

import json
import os
import time

import duckdb
import pytest

from detente.cli import main
from detente.store import connect
from detente.store.merge import merge
from detente.store.sandbox import QueryError, QueryRefused, run_select, sandbox_config, select_statement

from .conftest import store_document


@pytest.fixture
def store(tmp_path):
    path = str(tmp_path / "s.duckdb")
    con = connect(path)
    store_document(con, "Chile protested to Peru.")
    store_document(con, "Peru answered Chile.")
    merge(con)
    con.close()
    return path


@pytest.fixture
def victim(tmp_path):
    """Another détente store and a secret file beside the store: neither may be read or changed by a query."""
    other = tmp_path / "other.duckdb"
    con = connect(str(other))
    store_document(con, "Text of someone else's store.")
    con.close()
    secret = tmp_path / "secret.csv"
    secret.write_text("name,password\nroot,hunter2\n", encoding="utf-8")
    return other, secret


def _query(capsys, db: str, sql: str, *flags: str) -> tuple[int, str, list[str]]:
    code = main(["query", sql, "--db", db, *flags])
    out, err = capsys.readouterr()
    return code, out, [line for line in err.splitlines() if line]


def _files(root) -> dict[str, bytes]:
    return {p: open(os.path.join(d, p), "rb").read() for d, _, names in os.walk(root) for p in names}


def _ways_out(tmp_path, other, secret) -> dict[str, str]:
    o, s, d = str(other), str(secret), str(tmp_path)
    return {
        "copy to another store": f"COPY (SELECT 'x' AS x) TO '{o}' (FORMAT csv)",
        "copy a table out": f"COPY documents TO '{d}/out.csv'",
        "copy into the store": f"COPY documents FROM '{s}'",
        "export database": f"EXPORT DATABASE '{d}/exported'",
        "attach": f"ATTACH '{o}' AS other",
        "attach a new file": f"ATTACH '{d}/new.duckdb' AS fresh",
        "install": "INSTALL httpfs",
        "load": "LOAD httpfs",
        "set": "SET enable_external_access = true",
        "set memory": "SET memory_limit = '64GB'",
        "reset": "RESET lock_configuration",
        "pragma": "PRAGMA enable_profiling",
        "create": "CREATE TABLE t AS SELECT 1",
        "checkpoint": "CHECKPOINT",
        "call": "CALL pragma_version()",
        "explain": "EXPLAIN SELECT 1",
    }


def _reads_outside(tmp_path, other, secret) -> dict[str, str]:
    s, o = str(secret), str(other)
    return {
        "read_csv": f"SELECT * FROM read_csv('{s}')",
        "read_csv_auto": f"SELECT * FROM read_csv_auto('{s}')",
        "read_json": f"SELECT * FROM read_json('{s}')",
        "read_parquet": f"SELECT * FROM read_parquet('{s}')",
        "read_text": f"SELECT content FROM read_text('{s}')",
        "read_blob": f"SELECT content FROM read_blob('{o}')",
        "glob": f"SELECT file FROM glob('{tmp_path}/*')",
        "a file as a table": f"SELECT * FROM '{s}'",
        "sniff_csv": f"SELECT * FROM sniff_csv('{s}')",
        "in a WITH": f"WITH x AS (SELECT content FROM read_text('{s}')) SELECT * FROM x",
        "in a subquery": f"SELECT (SELECT count(*) FROM glob('{tmp_path}/*')) AS n",
        "in a join": f"SELECT d.id FROM documents d, read_csv('{s}') c",
        "in a WHERE": f"SELECT id FROM documents WHERE id IN (SELECT content FROM read_text('{s}'))",
        "over the network": "SELECT * FROM read_csv('https://example.com/data.csv')",
    }


def test_every_statement_but_one_select_is_refused_before_it_runs(store, victim, tmp_path, capsys):
    other, secret = victim
    before = _files(tmp_path)
    for name, sql in _ways_out(tmp_path, other, secret).items():
        code, out, err = _query(capsys, store, sql)
        assert code == 2 and not out and len(err) == 1, (name, code, err)
        assert "query refused: only a SELECT" in err[0], (name, err)
    assert _files(tmp_path) == before


def test_selects_that_read_outside_the_store_fail_with_one_line(store, victim, tmp_path, capsys):
    other, secret = victim
    before = _files(tmp_path)
    for name, sql in _reads_outside(tmp_path, other, secret).items():
        code, out, err = _query(capsys, store, sql)
        assert code == 1 and len(err) == 1, (name, code, err)
        assert "hunter2" not in out + err[0] and "someone else" not in out + err[0], name
        assert err[0].startswith(f"detente query: {store}: query "), (name, err)
    assert _files(tmp_path) == before


def test_the_connection_itself_blocks_every_way_out(store, victim, tmp_path):
    """The guards hold even for SQL that skips the statement check (as a careless caller might)."""
    other, secret = victim
    before = _files(tmp_path)
    con = connect(store, read_only=True, config=sandbox_config("256MB"))
    try:
        for name, sql in {**_ways_out(tmp_path, other, secret), **_reads_outside(tmp_path, other, secret)}.items():
            if name in ("call", "explain", "checkpoint"):  # harmless here; the check refuses them all the same
                continue
            with pytest.raises(duckdb.Error, match="."):
                con.execute(sql).fetchall()
                raise AssertionError(f"{name} ran")
            assert con.execute("SELECT current_setting('enable_external_access')").fetchone() == (False,), name
        settings = dict(con.execute("SELECT name, value FROM duckdb_settings() WHERE name IN "
                                    "('autoload_known_extensions', 'autoinstall_known_extensions', "
                                    "'lock_configuration', 'memory_limit')").fetchall())  # fmt: skip
        assert settings["autoload_known_extensions"] == "false" and settings["autoinstall_known_extensions"] == "false"
        assert settings["lock_configuration"] == "true" and settings["memory_limit"].startswith("244")
    finally:
        con.close()
    assert _files(tmp_path) == before


def test_statement_types_come_from_duckdbs_parser_not_the_text():
    con = duckdb.connect()
    try:
        for sql in ("WITH a AS (SELECT 1) SELECT * FROM a", "FROM range(3)", "  select 1 -- COPY x TO 'y'",
                    "SELECT 'COPY (SELECT 1) TO ''x''' AS s", "DESCRIBE SELECT 1", "VALUES (1), (2)"):  # fmt: skip
            assert select_statement(con, sql).type == duckdb.StatementType.SELECT, sql
        for sql, kind in (("/* SELECT */ COPY (SELECT 1) TO 'x.csv'", "COPY"), ("WITH a AS (SELECT 1) DELETE FROM t",
                          "DELETE"), ("PIVOT t ON x", "MULTI"), ("SET VARIABLE v = 1", "SET")):  # fmt: skip
            with pytest.raises(QueryRefused, match=f"this is a {kind} statement"):
                select_statement(con, sql)
        for sql in ("", ";", "SELECT 1; SELECT 2"):
            with pytest.raises(QueryRefused, match="exactly one SQL statement"):
                select_statement(con, sql)
    finally:
        con.close()


def test_a_runaway_query_is_stopped_by_its_time_limit_and_frees_the_store(store, capsys):
    began = time.monotonic()
    code, out, err = _query(capsys, store, "SELECT count(*) FROM range(1000000000000)", "--timeout", "1")
    assert code == 1 and len(err) == 1 and "stopped after 1 s, its time limit" in err[0] and "--timeout" in err[0]
    assert time.monotonic() - began < 15
    writer = connect(store)  # the store is free again
    writer.close()


def test_a_query_over_its_memory_limit_is_stopped(store, capsys):
    sql = "SELECT list(range) FROM range(100000000)"
    code, out, err = _query(capsys, store, sql, "--memory-limit", "64MB")
    assert code == 1 and len(err) == 1 and "more than its memory limit of 64MB" in err[0], err


def test_time_limit_covers_fetching_in_the_store_layer(store):
    con = connect(store, read_only=True, config=sandbox_config())
    try:
        with pytest.raises(QueryError, match="time limit"):
            with run_select(con, "SELECT * FROM range(100000000)", timeout=0.5) as result:
                for _ in result.batches:
                    time.sleep(0.01)
        with run_select(con, "SELECT count(*) AS n FROM documents", timeout=5) as result:  # usable afterwards
            assert result.columns == ["n"] and [r for b in result.batches for r in b] == [(2,)]
    finally:
        con.close()


def test_bad_flags_are_usage_errors(store):
    for flags in (["--timeout", "0"], ["--timeout", "soon"], ["--memory-limit", "lots"]):
        with pytest.raises(SystemExit) as exit_:
            main(["query", "SELECT 1", "--db", store, *flags])
        assert exit_.value.code == 2, flags


def test_selects_still_work_in_every_format(store, capsys):
    code, out, err = _query(capsys, store, "WITH d AS (SELECT length FROM documents) SELECT sum(length) AS n FROM d",
                            "--format", "json")  # fmt: skip
    assert code == 0 and json.loads(out) == [{"n": 44}] and not err
    code, out, err = _query(capsys, store, "SELECT length FROM documents ORDER BY 1", "--format", "csv")
    assert (code, out) == (0, "length\n20\n24\n")
