"""The command plumbing: one way of opening the store for every read command, the extractor fingerprint that
decides re-extraction, and ingest workers that do not outlive their parent."""

from __future__ import annotations

import copy
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from detente import __version__, extractor_version, fingerprint
from detente.cli import build_parser, main
from detente.commands import CommandError
from detente.commands import ingest as ingest_cmd
from detente.commands.store_access import read_store
from detente.schema import Extractor
from detente.store import connect

from .conftest import ROOT

READERS = {
    "export": ["export", "--format", "csv", "--out", "OUT"],
    "query": ["query", "SELECT 1"],
    "stats": ["stats"],
    "pairs": ["pairs"],
    "report": ["report", "RUS", "CHN"],
}


# ---- one way of opening the store ----


@pytest.mark.parametrize("command", sorted(READERS))
def test_every_read_command_names_a_missing_or_corrupt_store_in_one_line(command, tmp_path, capsys):
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database at all " * 300)
    for db, reason in ((tmp_path / "none.duckdb", "no such database"), (bad, "not a readable DuckDB database")):
        argv = [str(tmp_path / "o") if a == "OUT" else a for a in READERS[command]]
        assert main([*argv, "--db", str(db)]) == 1
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and str(db) in err[0] and reason in err[0], err
    assert not (tmp_path / "none.duckdb").exists()


def test_read_store_turns_store_failures_into_one_line_command_errors(tmp_path):
    path = str(tmp_path / "s.duckdb")
    with pytest.raises(CommandError, match="no such database") as missing:
        with read_store(path):
            pass
    assert missing.value.code == 1
    connect(path).close()
    with pytest.raises(CommandError, match=re.escape(path)):
        with read_store(path) as con:
            con.execute("SELECT * FROM no_such_table")


# ---- the extractor fingerprint ----


def _tree(root: Path) -> Path:
    files = {"extract/a.py": "X = 1\n", "extract/data/words.yaml": "a: 1\n", "kb/data/s.yaml": "b\n",
             "pipeline.py": "P = 1\n", "schema.py": "S = 1\n", "store/ingest.py": "I = 1\n"}  # fmt: skip
    for name, body in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(body, encoding="utf-8")
    return root


def test_the_fingerprint_follows_the_extraction_code_and_data_only(tmp_path):
    root = _tree(tmp_path / "pkg")
    first = fingerprint(root)
    assert re.fullmatch(r"[0-9a-f]{8}", first)
    (root / "store" / "ingest.py").write_text("I = 2\n", encoding="utf-8")  # not extraction: no change
    (root / "extract" / "__pycache__").mkdir()
    (root / "extract" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    assert fingerprint(root) == first
    (root / "kb" / "data" / "s.yaml").write_text("c\n", encoding="utf-8")
    assert fingerprint(root) != first
    (root / "kb" / "data" / "s.yaml").write_text("b\n", encoding="utf-8")
    assert fingerprint(root) == first
    extra = tmp_path / "kb-extra"
    extra.mkdir()
    (extra / "people.yaml").write_text("x\n", encoding="utf-8")
    assert fingerprint(root, extra) != first


def test_extract_and_ingest_carry_the_fingerprint(pipeline):
    version = extractor_version()
    assert re.fullmatch(rf"{re.escape(__version__)}\+[0-9a-f]{{8}}", version)
    assert pipeline.info.version == version  # what `detente extract` prints as document.extractor.version


def test_a_changed_extractor_re_extracts_and_an_unchanged_one_skips(tmp_path, pipeline, monkeypatch):
    (tmp_path / "a.txt").write_text("Peru thanked Chile for the aid.", encoding="utf-8")
    db = str(tmp_path / "f.duckdb")
    args = build_parser().parse_args(["ingest", str(tmp_path / "a.txt"), "--db", db, "--workers", "1"])

    def ingest(with_pipeline) -> tuple[int, int]:
        counts = {"done": 0, "skipped": 0, "unchanged": 0, "stored": 0}
        con = connect(db)
        try:
            ingest_cmd.ingest(con, db, ingest_cmd.documents_with_reports(args.paths, None, counts), 1, counts,
                              with_pipeline)  # fmt: skip
            return counts["stored"], counts["unchanged"]
        finally:
            con.close()

    assert ingest(pipeline) == (1, 0)
    assert ingest(pipeline) == (0, 1)
    changed = copy.copy(pipeline)
    changed.info = Extractor(f"{__version__}+0changed", pipeline.info.model)
    monkeypatch.setattr(ingest_cmd, "extractor_version", lambda: changed.info.version)
    assert ingest(changed) == (1, 0)
    assert ingest(changed) == (0, 1)
    con = connect(db, read_only=True)
    assert con.execute("SELECT extractor_version FROM documents").fetchall() == [(changed.info.version,)]
    con.close()


# ---- ingest workers die with their parent ----


def _workers(pid: int) -> set[int]:
    """The multiprocessing workers `pid` spawned (not its resource tracker)."""
    found = set()
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid and b"spawn_main" in (proc / "cmdline").read_bytes():
                found.add(int(proc.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper that never comes counts as gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker processes")
def test_ingest_workers_exit_when_their_parent_is_killed(tmp_path):
    corpus = tmp_path / "news"
    corpus.mkdir()
    for i in range(40):
        (corpus / f"{i:02}.txt").write_text(f"Story {i}. Peru thanked Chile for the aid on Monday. " * 30, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    parent = subprocess.Popen([sys.executable, "-m", "detente.cli", "ingest", str(corpus), "--workers", "2", "--db",
                               str(tmp_path / "k.duckdb")], stderr=subprocess.DEVNULL, env=env)  # fmt: skip
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
            workers |= _workers(parent.pid)
            time.sleep(0.05)
        assert len(workers) == 2, "the ingest did not start two workers"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [p for p in workers if _alive(p)], "workers outlived their parent"
    finally:
        _kill(parent.pid, *workers)


def _kill(*pids: int) -> None:
    """Leave no process of a failed test behind."""
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the processes")
def test_without_the_parent_death_signal_a_watching_thread_ends_the_orphan(tmp_path):
    pidfile = tmp_path / "orphan.pid"
    orphan = f"""
import os, time
from detente.commands import lifeline
lifeline._parent_death_signal = lambda: False
lifeline.die_with_parent(os.getppid())
open({str(pidfile)!r}, "w").write(str(os.getpid()))
time.sleep(60)
"""
    parent_code = f"import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', {orphan!r}]); time.sleep(60)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    parent = subprocess.Popen([sys.executable, "-c", parent_code], env=env)
    pid = 0
    try:
        deadline = time.monotonic() + 30
        while not pid and time.monotonic() < deadline:
            pid = int(pidfile.read_text() or 0) if pidfile.exists() else 0
            time.sleep(0.05)
        assert pid and _alive(pid)
        parent.kill()
        parent.wait(timeout=10)
        deadline = time.monotonic() + 3
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(pid), "the orphan outlived its parent"
    finally:
        _kill(*(p for p in (parent.pid, pid) if p))
