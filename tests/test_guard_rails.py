"""Guard rails: binary input found wherever its NUL byte is, and worker counts the machine can carry."""

from __future__ import annotations

import os

from detente.cli import main
from detente.commands import ingest as ingest_cmd
from detente.documents import Skipped, read_inputs


def test_a_nul_byte_anywhere_means_binary(tmp_path):
    path = tmp_path / "tail.txt"
    path.write_bytes(b"Chile protested to Peru.\n" * 4000 + b"\x00binary tail")  # the NUL lies past 64 KiB
    assert os.path.getsize(path) > 65536
    (item,) = list(read_inputs([str(path)]))
    assert isinstance(item, Skipped) and item.reason == "binary file (NUL bytes), not text"


def test_workers_are_capped_by_cores_and_memory(tmp_path, monkeypatch, capsys):
    cap, why = ingest_cmd.worker_cap()
    assert 1 <= cap <= len(os.sched_getaffinity(0)) and ("cores" in why or "available memory" in why)
    monkeypatch.setattr(ingest_cmd, "worker_cap", lambda: (2, "2 cores"))
    seen = []
    monkeypatch.setattr(ingest_cmd, "ingest", lambda con, db, docs, workers, counts, pipeline: seen.append(workers))
    db = str(tmp_path / "w.duckdb")
    for flags, workers in ((["--workers", "8"], 2), ([], 2), (["--workers", "1"], 1)):
        assert main(["ingest", str(tmp_path), "--db", db, *flags]) == 1  # nothing to store: exit 1
        assert seen.pop() == workers, flags
        err = capsys.readouterr().err
        assert ("--workers 8 lowered to 2 (2 cores)" in err) == (flags == ["--workers", "8"]), err
