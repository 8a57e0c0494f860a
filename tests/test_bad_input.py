"""Bad input never stops a batch: each input is read or skipped with a one-line reason; long texts in segments."""

import dataclasses
import datetime as dt
import io
import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from detente import pipeline as pipeline_module
from detente.cli import main
from detente.commands.extract import write_document
from detente.documents import Document, Skipped, parse_date, read_inputs, split_metadata
from detente.pipeline import chunk_bounds
from detente.schema import to_json

DETENTE = [sys.executable, "-m", "detente.cli"]


def _items(paths, published=None):
    return list(read_inputs([str(p) for p in paths], published))


def _reasons(items):
    return {s.source.rsplit("/", 1)[-1]: s.reason for s in items if isinstance(s, Skipped)}


def test_jsonl_lines_name_what_is_wrong(tmp_path):
    lines = [
        {"text": "Talks\u2028in Paris.", "url": ["not", "a", "string"], "id": 7},
        "not json",
        {"title": "no text"},
        {"text": 42},
        [1, 2],
        {"text": "  "},
        {"text": None},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines))
    items = _items([path])
    reasons = _reasons(items)
    assert reasons == {
        "in.jsonl:2": "not valid JSON (Expecting value)",
        "in.jsonl:3": "no 'text' field",
        "in.jsonl:4": "'text' is a JSON number, not a string",
        "in.jsonl:5": "a JSON array, not an object with a 'text' field",
        "in.jsonl:6": "empty text",
        "in.jsonl:7": "'text' is a JSON null, not a string",
    }
    (doc,) = [d for d in items if isinstance(d, Document)]
    assert doc.text == "Talks\u2028in Paris." and doc.external_id == "7" and doc.source.endswith("in.jsonl:1")
    assert doc.warnings == [f"{path}:1: 'url' is a JSON array, not a string; ignored"]


def test_empty_binary_and_unicode_files(tmp_path):
    (tmp_path / "ws.txt").write_text(" \n\t\n ", encoding="utf-8")
    (tmp_path / "nul.md").write_bytes(b"Talks\x00in Paris")
    (tmp_path / "utf16.txt").write_bytes("Talks in Paris.".encode("utf-16"))
    (tmp_path / "latin 1 é 中文.txt").write_bytes("Café talks.".encode("latin-1"))
    items = _items([tmp_path])
    assert _reasons(items) == {"nul.md": "binary file (NUL bytes), not text", "ws.txt": "empty file"}
    latin, utf16 = [d for d in items if isinstance(d, Document)]
    assert latin.text == "Caf\ufffd talks." and "invalid UTF-8" in latin.warnings[0]
    assert latin.source.endswith("latin 1 é 中文.txt")
    assert utf16.text == "Talks in Paris." and not utf16.warnings


def test_directory_without_articles_and_stdin_are_checked(tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "MANIFEST.tsv").write_text("file\tkind\n", encoding="utf-8")
    reasons = _reasons(_items([tmp_path / "empty", tmp_path / "other"]))
    assert reasons == {name: "no txt/md/html/htm/jsonl files in this directory" for name in ("empty", "other")}
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"abc\x00def")))
    assert _reasons(_items(["-"])) == {"-": "binary file (NUL bytes), not text"}
    assert _reasons(_items(["/dev/zero"])) == {"zero": "a device, not a file"}


def test_html_with_only_scripts_is_skipped_and_a_declared_charset_is_used(tmp_path):
    (tmp_path / "s.html").write_text("<html><head><script>var a = 'Putin met Xi';</script></head><script>x()</script>")
    body = "Café diplomacy: the French and German leaders met in Berlin on Monday to discuss energy and defense."
    (tmp_path / "latin.html").write_bytes(
        f'<html><head><meta charset="iso-8859-1"></head><body><article><p>{body}</p></article></body></html>'.encode(
            "latin-1"
        )
    )
    items = _items([tmp_path])
    assert _reasons(items) == {"s.html": "no readable main text found in the HTML"}
    (doc,) = [d for d in items if isinstance(d, Document)]
    assert doc.text == body and not doc.warnings


@given(
    st.sampled_from(["---\ntitle: T\ndate: 2020-01-01\n---", "# title=T | date=2020-01-01", "---\r\ntitle: T\r\n---"]),
    st.sampled_from(["\n", "\n\n", "\n \t\n\n", "\r\n\r\n"]),
    st.text(min_size=1, max_size=80).filter(lambda b: b.split("\n", 1)[0].strip()),
)
def test_body_starts_after_metadata_and_blank_lines(header, gap, body):
    meta, text = split_metadata(header + gap + body)
    assert meta["title"] == "T" and text == body


def test_unclosed_front_matter_is_text():
    assert split_metadata("---\ntitle: T\nBody.") == ({}, "---\ntitle: T\nBody.")


def test_publication_dates_stay_in_the_calendar(tmp_path):
    assert parse_date("2024-02-29T10:00:00Z") == dt.date(2024, 2, 29)
    assert parse_date("9999-12-31") is None and parse_date(dt.date(1, 1, 1)) is None
    (tmp_path / "far.txt").write_text("# date=9999-12-31\n\nTalks in Paris.", encoding="utf-8")
    (doc,) = _items([tmp_path / "far.txt"])
    assert doc.published is None and "does not parse" in doc.warnings[0]


@given(st.text(alphabet="ab .\n", max_size=400), st.integers(min_value=20, max_value=120))
def test_chunk_bounds_cover_the_text(text, limit):
    bounds = chunk_bounds(text, limit)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(e - s <= limit and b[0] == e for (s, e), b in zip(bounds, bounds[1:] + [(len(text), 0)], strict=True))


def _spans(obj, text, path="$"):
    """Every (path, start, end, surface) whose record carries its own surface text."""
    if isinstance(obj, dict):
        if isinstance(obj.get("start"), int) and isinstance(obj.get("text"), str):
            assert text[obj["start"] : obj["end"]] == obj["text"], path
        for k, v in obj.items():
            _spans(v, text, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            _spans(v, text, f"{path}[{i}]")


def test_long_text_in_segments_keeps_whole_text_offsets(pipeline, monkeypatch):
    paragraphs = [
        "Indian Prime Minister Narendra Modi met French President Emmanuel Macron in Paris on Tuesday.",
        '"We are close partners," Modi said after the talks.',
        "India has never condemned Russia's invasion of Ukraine.",
    ]
    text = "\n\n".join(paragraphs * 3)
    monkeypatch.setattr(pipeline_module, "CHUNK_CHARS", 250)
    result = pipeline.extract(Document(text=text, source="t", published=dt.date(2024, 3, 6)))
    assert result.document.length == len(text) and len(chunk_bounds(text, 250)) == 3
    _spans(to_json(result), text)
    modi = next(e for e in result.entities if e.id == "person:narendra-modi")
    assert sum(text[m.start : m.end] == "Narendra Modi" for m in modi.mentions) == 3
    assert len({e.id for e in result.entities}) == len(result.entities)
    for name, prefix in (("events", "e"), ("quotes", "u"), ("dates", "d"), ("absences", "a")):
        records = getattr(result, name)
        assert [r.id for r in records] == [f"{prefix}{i}" for i in range(1, len(records) + 1)], name
    assert [d.value for d in result.dates] == ["2024-03-05"] * 3
    events = {e.id: e for e in result.events}
    negated = [a for a in result.absences if a.negated_event]
    assert len(negated) == 3
    for a in negated:
        assert a.sentence.start <= events[a.negated_event].trigger.start < a.sentence.end


def test_written_document_is_the_json_of_the_result(dev_result):
    _, result = dev_result("05")
    out = io.StringIO()
    write_document(out, result)
    assert out.getvalue() == json.dumps(to_json(result), ensure_ascii=False)
    assert [f.name for f in dataclasses.fields(result)][-1] == "absences"


def test_usage_errors_and_missing_inputs(tmp_path, capsys):
    good = tmp_path / "a.txt"
    good.write_text("Talks in Paris.", encoding="utf-8")
    (tmp_path / "none").mkdir()
    with pytest.raises(SystemExit) as usage:
        main(["extract", str(good), "--published", "2024-13-45"])
    assert usage.value.code == 2
    assert main(["extract", str(good), "-o", str(tmp_path / "missing" / "out.json")]) == 2
    assert main(["extract", str(tmp_path / "nope.txt"), str(tmp_path / "none")]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "detente: --published '2024-13-45' is not a YYYY-MM-DD date of the years 1000-2999",
        f"detente: {tmp_path / 'missing' / 'out.json'}: cannot write (No such file or directory)",
        f"detente: {tmp_path / 'nope.txt'}: skipped: no such file or directory",
        f"detente: {tmp_path / 'none'}: skipped: no txt/md/html/htm/jsonl files in this directory",
    ]


def test_unexpected_error_is_one_line_naming_the_store(monkeypatch, capsys):
    def boom(args):
        raise RuntimeError("first line\nsecond line")

    monkeypatch.setattr("detente.commands.stats.run", boom)
    assert main(["stats", "--db", "x.duckdb"]) == 1
    assert capsys.readouterr().err == "detente stats: x.duckdb: RuntimeError: first line\n"


def test_closed_pipe_is_quiet(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    proc = subprocess.Popen(
        DETENTE + ["extract", str(tmp_path / "empty.txt")], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdout.close()  # the reader is gone before the first byte
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err and "Exception ignored" not in err


def test_a_negative_count_is_a_usage_error():
    from detente.cli import main

    for argv in (["stats", "--top", "-1"], ["pairs", "--top", "x"]):
        try:
            main(argv)
        except SystemExit as exc:
            assert exc.code == 2
        else:
            raise AssertionError(f"{argv} was accepted")
