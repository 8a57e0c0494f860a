"""Guard rails: binary input found wherever its NUL byte is, worker counts the machine can carry, deep HTML read."""

from __future__ import annotations

import os

from detente.cli import main
from detente.commands import ingest as ingest_cmd
from detente.documents import Document, Skipped, read_inputs


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
    monkeypatch.setattr(ingest_cmd, "ingest", lambda con, db, docs, workers, *_: seen.append(workers))
    db = str(tmp_path / "w.duckdb")
    for flags, workers in ((["--workers", "8"], 2), ([], 2), (["--workers", "1"], 1)):
        assert main(["ingest", str(tmp_path), "--db", db, *flags]) == 1  # nothing to store: exit 1
        assert seen.pop() == workers, flags
        err = capsys.readouterr().err
        assert ("--workers 8 lowered to 2 (2 cores)" in err) == (flags == ["--workers", "8"]), err


def test_html_nested_past_the_parser_limit_is_read_as_a_browser_renders_it(tmp_path):
    lead = "<p>Chile protested to Peru over the border incident on Monday, officials said.</p>"
    for depth in (300, 600, 5000):  # libxml2 keeps nothing below 256 levels; a browser shows all of it
        page = tmp_path / f"deep{depth}.html"
        page.write_text(f"<html><head><title>Protest</title></head><body>{'<div>' * depth}{lead}<p>Then a "
                        f"<b>second</b> line.</p>{'</div>' * depth}<p>After the nesting the story ends.</p>"
                        "</body></html>")  # fmt: skip
        (doc,) = list(read_inputs([str(page)]))
        assert not isinstance(doc, Skipped), (depth, doc)
        assert doc.title == "Protest"
        words = ("Chile protested to Peru", "Then a", "second", "line.", "After the nesting the story ends.")
        positions = [doc.text.find(w) for w in words]
        assert -1 not in positions and positions == sorted(positions), (depth, doc.text)
    page = tmp_path / "scripts.html"  # a deep page with no text is still refused
    page.write_text(f"<html><body>{'<div>' * 600}<script>var a = 'Putin met Xi';</script>{'</div>' * 600}</body>")
    (item,) = list(read_inputs([str(page)]))
    assert isinstance(item, Skipped) and item.reason == "no readable main text found in the HTML"


def test_a_long_text_says_how_far_it_has_got(pipeline, monkeypatch, capsys):
    import detente.pipeline as pipeline_module
    from detente.commands import LongTextProgress

    monkeypatch.setattr(pipeline_module, "CHUNK_CHARS", 2_000)
    text = "\n\n".join(f"Talks between Chad and Niger resumed in round {i} on Monday." for i in range(120))
    monkeypatch.setattr(pipeline, "progress", LongTextProgress(every=0))
    result = pipeline.extract(Document(text=text, source="long\x1b[31m.txt"))
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) >= 3 and lines[-1].endswith(f"{len(text):,} of {len(text):,} characters read (100%)")
    assert "\x1b" not in "".join(lines)  # the file name is escaped
    assert result.document.length == len(text)
    assert max(e.trigger.start for e in result.events) > len(text) - 2_000  # offsets into the whole text
