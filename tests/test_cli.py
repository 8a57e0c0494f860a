import json
import subprocess
import sys

import pytest

from .conftest import DEV, SHARED

DETENTE = [sys.executable, "-m", "detente.cli"]


def _run(*args, stdin=None):
    return subprocess.run(DETENTE + list(args), capture_output=True, text=True, input=stdin, timeout=300)


@pytest.mark.parametrize("prefix", ["05", "22", "28"])
def test_contract_check_passes_on_development_texts(prefix):
    path = next(DEV.glob(f"{prefix}_*.txt"))
    proc = subprocess.run(
        [
            sys.executable,
            str(SHARED / "tools" / "check_contract.py"),
            "--detente",
            f"{sys.executable} -m detente.cli",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "contract: 0 violations" in proc.stdout


def test_exit_codes_and_one_line_reasons(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Japanese Prime Minister Fumio Kishida visited India last week.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    proc = _run("extract", str(good), str(empty), str(tmp_path / "nope.txt"), "--format", "jsonl")
    assert proc.returncode == 3
    lines = [x for x in proc.stderr.splitlines() if x]
    assert len(lines) == 2 and all("Traceback" not in x for x in lines)
    assert any("empty.txt" in x for x in lines) and any("nope.txt" in x for x in lines)
    (doc,) = [json.loads(x) for x in proc.stdout.splitlines()]
    assert doc["document"]["length"] == len(good.read_text(encoding="utf-8"))
    only_bad = _run("extract", str(empty))
    assert only_bad.returncode == 1 and only_bad.stdout.strip() == "[]"
    assert _run("extract", str(good), "--published", "March").returncode == 2


def test_stdin_and_with_text():
    proc = _run("extract", "-", "--with-text", "--published", "2024-01-10", stdin="Turkey bought S-400s.\n")
    assert proc.returncode == 0
    (doc,) = json.loads(proc.stdout)
    assert doc["document"]["text"] == "Turkey bought S-400s.\n"
    assert doc["document"]["source"] == "-" and doc["document"]["published"] == "2024-01-10"
