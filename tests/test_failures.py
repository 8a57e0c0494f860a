"""Failures are loud and point at the right file: a closed pipe of our own, a worker pool that cannot start, a
store that cannot be written, a failed merge, a damaged write-ahead log, a store locked by another process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import duckdb
import pytest

from detente.cli import build_parser, main
from detente.commands import ingest as ingest_cmd
from detente.store import connect, schema
from detente.store.merge import merge_pending
from detente.textsafe import escape_controls

from .conftest import ROOT, first_row, store_document

CLI = [sys.executable, "-m", "detente.cli"]
TEXTS = ["Chile protested to Peru over the border.", "Brazil signed a trade deal with Argentina.",
         "Kenya hosted Ghana's president in Nairobi.", "Japan and India signed a pact in Tokyo.",
         "Peru thanked Chile for the aid.", "Norway criticised Sweden over fishing rights."]  # fmt: skip


def _jsonl(path, texts=TEXTS) -> str:
    path.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts)), "utf-8")
    return str(path)


def _count(db: str) -> int:
    return first_row(db, "SELECT count(*) FROM documents")[0]


def test_a_full_disk_stops_the_ingest_at_the_first_failed_commit_and_a_rerun_resumes(tmp_path):
    """RLIMIT_FSIZE makes every write past the limit fail as a full disk does; one document per write."""
    db, src = str(tmp_path / "full.duckdb"), _jsonl(tmp_path / "in.jsonl")
    connect(db).close()
    script = f"""
import resource, sys
from detente.cli import main
from detente.commands import ingest
ingest.BATCH_DOCUMENTS = 1
resource.setrlimit(resource.RLIMIT_FSIZE, (12000, 12000))  # the write-ahead log holds a document or two
sys.exit(main(["ingest", {src!r}, "--db", {db!r}, "--workers", "1"]))
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT)
    err = proc.stderr.splitlines()
    assert proc.returncode == 1, proc.stderr
    assert not any("skipped" in line and "could not be stored" in line for line in err), err
    assert len(err) == 2 and "full.duckdb.wal: cannot be written (file size limit reached)" in err[0], err
    stored = _count(db)
    assert 0 < stored < len(TEXTS)
    assert f"ingest stopped: {stored} stored and kept" in err[1] and "1 in the failed write not stored" in err[1]
    assert "run the same command again to resume" in err[1] and "Traceback" not in proc.stderr
    again = subprocess.run([*CLI, "ingest", src, "--db", db, "--workers", "1"], capture_output=True, text=True,
                           timeout=300, cwd=ROOT)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert (
        f"{len(TEXTS)} read, {len(TEXTS) - stored} stored, {stored} already stored, 0 same text as another, "
        "0 skipped" in again.stderr
    )
    assert _count(db) == len(TEXTS)


def test_a_failed_merge_is_reported_with_what_was_stored(tmp_path, pipeline, monkeypatch, capsys):
    db, src = str(tmp_path / "m.duckdb"), _jsonl(tmp_path / "in.jsonl", TEXTS[:2])

    def failing_merge(con):
        raise duckdb.TransactionException('TransactionContext Error: Failed to commit: Could not write file "x"')

    monkeypatch.setattr(ingest_cmd, "merge", failing_merge)
    args = build_parser().parse_args(["ingest", src, "--db", db, "--workers", "1"])
    assert ingest_cmd.run(args, pipeline) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "the cross-document merge failed" in err[0], err
    assert "after storing every document (2 stored" in err[1] and "merge is pending" in err[1]
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (2,) and merge_pending(con)
    con.close()


def test_a_worker_pool_that_cannot_start_is_an_error_not_a_quiet_exit(tmp_path, monkeypatch, capsys):
    class NoPool:
        def __init__(self, *args, **kwargs):
            pass

        def submit(self, *args):
            raise BrokenPipeError(32, "Broken pipe")  # what spawning a worker that dies at once raises

        def shutdown(self, **kwargs):
            pass

    monkeypatch.setattr(ingest_cmd, "ProcessPoolExecutor", NoPool)
    db = str(tmp_path / "p.duckdb")
    assert main(["ingest", _jsonl(tmp_path / "in.jsonl"), "--db", db, "--workers", "2"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "worker processes could not start" in err[0] and "--workers 1" in err[0], err
    assert "0 stored and kept" in err[1]


def test_workers_whose_pipeline_cannot_load_stop_the_ingest_in_two_lines(tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "states.yaml").write_text("states: [unclosed\n  - {{{\n", encoding="utf-8")
    db = str(tmp_path / "w.duckdb")
    env = {**os.environ, "DETENTE_KB_DIR": str(kb)}
    proc = subprocess.run([*CLI, "ingest", _jsonl(tmp_path / "in.jsonl", TEXTS[:3]), "--db", db, "--workers", "2"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)  # fmt: skip
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "a worker could not load the pipeline (ParserError" in proc.stderr
    assert "worker processes could not start or were killed" in proc.stderr and "0 stored and kept" in proc.stderr


def test_a_closed_standard_error_does_not_stop_or_falsify_an_ingest(tmp_path):
    """`detente ingest BIG 2>&1 | grep -m1 skipped`: the reader leaves, the ingest goes on to the end."""
    db, src = str(tmp_path / "e.duckdb"), _jsonl(tmp_path / "in.jsonl", ["", *TEXTS[:3]])  # the first is skipped
    proc = subprocess.Popen([*CLI, "ingest", src, "--db", db, "--workers", "1"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, cwd=ROOT)  # fmt: skip
    proc.stderr.close()  # the reader is gone before the first message
    assert proc.wait(timeout=300) == 3  # partial, as it would be with a reader: one input skipped
    assert _count(db) == 3
    con = connect(db, read_only=True)
    assert not merge_pending(con)
    con.close()


def test_a_broken_pipe_that_is_not_standard_output_is_an_error(monkeypatch, capsys):
    def broken(args):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("detente.commands.stats.run", broken)
    assert main(["stats", "--db", "x.duckdb"]) == 1
    assert capsys.readouterr().err == "detente stats: x.duckdb: BrokenPipeError: [Errno 32] Broken pipe\n"


def test_a_damaged_write_ahead_log_is_named_and_the_store_is_not_called_corrupt(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    con = connect(str(db))
    store_document(con, "Chile protested to Peru.")
    con.execute("CHECKPOINT")
    con.execute("SET checkpoint_threshold = '1TB'")
    for i in range(20):
        store_document(con, f"Text {i}: Peru answered Chile.")
    shutil.copy(db, tmp_path / "copy.duckdb")
    shutil.copy(f"{db}.wal", tmp_path / "copy.duckdb.wal")
    con.close()
    wal = (tmp_path / "copy.duckdb.wal").read_bytes()
    (tmp_path / "copy.duckdb.wal").write_bytes(wal[:60] + b"\0" * 300 + wal[360:])  # an entry's checksum fails
    path = str(tmp_path / "copy.duckdb")
    for argv in (["stats", "--db", path], ["ingest", str(tmp_path / "none.txt"), "--db", path]):
        assert main(argv) == 1
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and f"{path}.wal: the write-ahead log of {path} cannot be replayed" in err[0], err
        assert "not a readable DuckDB database" not in err[0] and "itself was not read as damaged" in err[0]


def _holder(db: str, seconds: float) -> subprocess.Popen:
    script = f"""
import sys, time
from detente.store import connect
con = connect({db!r})
print("held", flush=True)
time.sleep({seconds})
con.close()
"""
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout.readline() == "held\n"
    return proc


def test_readers_wait_briefly_for_a_lock_and_then_say_who_holds_it(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "l.duckdb")
    connect(db).close()
    holder = _holder(db, 1.0)  # an ingest's batch, say: released within the wait
    try:
        assert main(["stats", "--db", db]) == 0
    finally:
        holder.wait(timeout=60)
    capsys.readouterr()
    monkeypatch.setattr(schema, "LOCK_WAIT_SECONDS", 0.5)
    holder = _holder(db, 60)
    try:
        began = time.monotonic()
        assert main(["stats", "--db", db]) == 1
        assert time.monotonic() - began >= 0.5
    finally:
        holder.kill()
        holder.wait(timeout=60)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and f"{db}: locked by another process (PID {holder.pid}: python" in err[0], err


@pytest.mark.parametrize("name", ["evil\nname.txt", "esc\x1b[2Jape.txt", "rl\u202eo.txt"])
def test_file_names_are_printed_with_escapes(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_bytes(b"")
    assert main(["extract", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "\u202e" not in err and "empty file" in err
    assert f"{tmp_path}/{escape_controls(name)}: skipped: empty file" in err and escape_controls(name) != name
