"""Honest ingest counts: the same text is counted as such and its metadata merged, and a long ingest logs progress."""

from __future__ import annotations

import datetime as dt

from detente.cli import build_parser
from detente.commands import ingest as ingest_cmd
from detente.store import connect
from detente.store.ingest import text_hash

BODY = "Chile protested to Peru on Monday over the border incident, the foreign ministry said."
OTHER = "Peru thanked Chile for the aid sent after the floods, officials said."


def _ingest(pipeline, capsys, db: str, *paths, flags=()) -> tuple[int, str, str]:
    args = build_parser().parse_args(["ingest", *map(str, paths), "--db", db, "--workers", "1", *flags])
    code = ingest_cmd.run(args, pipeline=pipeline)
    out, err = capsys.readouterr()
    return code, out, err


def _row(db: str, text: str) -> tuple:
    con = connect(db, read_only=True)
    try:
        return con.execute("SELECT source, title, published, external_id FROM documents WHERE id = ?",
                           [text_hash(text)]).fetchone()  # fmt: skip
    finally:
        con.close()


def _resolved_dates(db: str, text: str) -> list:
    con = connect(db, read_only=True)
    try:
        return con.execute("SELECT value FROM dates WHERE doc = ? AND value IS NOT NULL", [text_hash(text)]).fetchall()
    finally:
        con.close()


def test_the_same_text_is_counted_as_such_and_its_metadata_merged_not_overwritten(tmp_path, pipeline, capsys):
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text(f"# title=Border protest | published=2024-04-10 | id=wire-1\n{BODY}")
    (news / "b.txt").write_text(BODY)  # the same text later, with no metadata: it must not erase a's
    (news / "c.txt").write_text(OTHER)
    db = str(tmp_path / "s.duckdb")
    code, out, err = _ingest(pipeline, capsys, db, news)
    assert code == 0 and out == ""
    assert "3 read, 2 stored, 0 already stored, 1 same text as another, 0 skipped" in err, err
    assert _row(db, BODY) == (str(news / "a.txt"), "Border protest", dt.date(2024, 4, 10), "wire-1")
    # again: each input is stored from itself or has the same text as another; nothing changes
    code, _, err = _ingest(pipeline, capsys, db, news)
    assert code == 0 and "3 read, 0 stored, 2 already stored, 1 same text as another, 0 skipped" in err, err
    assert _row(db, BODY) == (str(news / "a.txt"), "Border protest", dt.date(2024, 4, 10), "wire-1")


def test_a_later_input_fills_what_the_stored_document_lacks_and_its_date_anchors_relative_dates(
    tmp_path, pipeline, capsys
):
    first, later = tmp_path / "first.txt", tmp_path / "later.jsonl"
    first.write_text(BODY)  # no date: "Monday" cannot be resolved
    later.write_text(f'{{"text": "{BODY}", "title": "Border protest", "published": "2024-04-10"}}\n'
                     f'{{"text": "{BODY}", "title": "Another title", "published": "2020-01-01"}}\n')  # fmt: skip
    db = str(tmp_path / "s.duckdb")
    code, _, err = _ingest(pipeline, capsys, db, first)
    assert code == 0 and _row(db, BODY)[1:3] == (None, None) and _resolved_dates(db, BODY) == []
    code, _, err = _ingest(pipeline, capsys, db, later)
    assert code == 0 and "2 read, 0 stored, 0 already stored, 2 same text as another, 0 skipped" in err, err
    # the first known title and date are kept; the date was missing, so the document was extracted again from it
    assert _row(db, BODY) == (str(first), "Border protest", dt.date(2024, 4, 10), None)
    assert _resolved_dates(db, BODY) == [("2024-04-08",)]


def test_the_same_text_twice_in_one_run_keeps_the_known_date(tmp_path, pipeline, capsys):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(f'{{"text": "{BODY}", "published": "2024-04-10"}}\n{{"text": "{BODY}", "title": "Protest"}}\n'
                    f'{{"text": "{OTHER}"}}\n')  # fmt: skip
    db = str(tmp_path / "s.duckdb")
    code, _, err = _ingest(pipeline, capsys, db, feed)
    assert code == 0 and "3 read, 2 stored, 0 already stored, 1 same text as another, 0 skipped" in err, err
    assert _row(db, BODY) == (f"{feed}:1", "Protest", dt.date(2024, 4, 10), None)
    assert _resolved_dates(db, BODY) == [("2024-04-08",)]


def test_a_long_ingest_logs_its_counts_when_stderr_is_not_a_terminal(tmp_path, pipeline, capsys):
    feed = tmp_path / "feed.jsonl"
    lines = [f'{{"text": "{BODY} Report {i}."}}\n' for i in (0, 1, 2, 3, 4, 0)]
    feed.write_text("".join(lines))
    db = str(tmp_path / "s.duckdb")
    code, out, err = _ingest(pipeline, capsys, db, feed, flags=("--log-every", "2"))
    assert code == 0 and out == ""  # stdout stays clean
    progress = [line for line in err.splitlines() if "so far" in line]
    assert progress and all(line.startswith(f"detente: {db}: so far ") for line in progress), err
    reads = [int(line.split("so far ")[1].split(" read")[0]) for line in progress]
    assert reads == sorted(reads) and reads[0] >= 2, err  # a line once 2 more documents are done
    assert "6 read, 5 stored, 0 already stored, 1 same text as another, 0 skipped" in err.splitlines()[-1]
    _, _, err = _ingest(pipeline, capsys, db, feed, flags=("--log-every", "0"))
    assert "so far" not in err and "6 read, 0 stored, 5 already stored, 1 same text as another" in err
