"""Corrections on a store of development texts: applied by reports, exports and pairs, undone, kept across
re-ingest through export and import, orphaned when their fact is gone, and safe with two writers."""

from __future__ import annotations

import csv
import json
import multiprocessing
import shutil
import threading
from collections import Counter

import duckdb
import pytest

from detente.analysis.pair import resolve_pair
from detente.analysis.relationship import build_report
from detente.cli import main
from detente.commands import ingest as ingest_cmd
from detente.documents import Document, read_inputs
from detente.report.model import Window
from detente.store import connect
from detente.store import corrections as corr
from detente.store.schema import SCHEMA_VERSION

from .conftest import DEV, first_row

PAIR = ("European Union", "China")


def _docs(*prefixes: str) -> list[Document]:
    paths = [str(next(DEV.glob(f"{p}_*.txt"))) for p in prefixes]
    return [d for d in read_inputs(paths) if isinstance(d, Document)]


def _ingest(path: str, pipeline, *prefixes: str) -> None:
    con = connect(path)
    try:
        ingest_cmd.ingest(con, path, _docs(*prefixes), 1, {"done": 0, "skipped": 0}, pipeline, 0)
    finally:
        con.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory, pipeline):
    path = str(tmp_path_factory.mktemp("corrections") / "base.duckdb")
    _ingest(path, pipeline, "01", "04", "05")
    return path


@pytest.fixture
def db(base, tmp_path):
    path = str(tmp_path / "store.duckdb")
    shutil.copy(base, path)
    return path


def _report(db: str):
    con = connect(db, read_only=True)
    try:
        return build_report(con, resolve_pair(*PAIR), Window())
    finally:
        con.close()


def _events(report) -> list:
    return [*report.timeline, *report.undated, *report.not_happened, *report.planned, *report.low_confidence]


def _cli(capsys, *args: str) -> tuple[int, str, list[str]]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def _timeline_csv(capsys, db: str, out) -> list[dict]:
    code, _, err = _cli(capsys, "report", *PAIR, "--db", db, "--csv", str(out))
    assert code == 0, err
    with open(out / "timeline.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _plover_ids(capsys, db: str, out) -> set[str]:
    code, _, err = _cli(capsys, "export", "--format", "plover", "--db", db, "--out", str(out))
    assert code == 0, err
    with open(out / "events.plover.jsonl", encoding="utf-8") as fh:
        return {json.loads(line)["id"] for line in fh}


def test_a_rejected_event_leaves_report_csv_and_export_and_an_undo_brings_it_back(db, capsys, tmp_path):
    dated = [e for e in _report(db).timeline if e.type]
    assert dated, "the pair has a dated event to reject"
    victim = dated[0]
    assert victim.id in {r["id"] for r in _timeline_csv(capsys, db, tmp_path / "before")}
    assert victim.id in _plover_ids(capsys, db, tmp_path / "before")

    code, out, err = _cli(capsys, "corrections", "add", "reject", "--event", victim.id, "--reason", "misread",
                          "--db", db)  # fmt: skip
    assert code == 0, err
    cid, kind, status = out.split()
    assert (kind, status) == ("reject", "applied")
    trigger = (victim.sources[0].document, victim.sources[0].start)
    after = _report(db)
    assert trigger not in {(s.document, s.start) for e in _events(after) for s in e.sources}
    rows = _timeline_csv(capsys, db, tmp_path / "rejected")
    assert victim.id not in {r["id"] for r in rows}
    assert trigger not in {(r["first_document"], int(r["first_start"])) for r in rows}
    assert victim.id not in _plover_ids(capsys, db, tmp_path / "rejected")

    code, out, err = _cli(capsys, "corrections", "undo", cid, "--db", db)
    assert code == 0 and out.split()[1:] == ["undo", "applied"], err
    assert victim.id in {e.id for e in _report(db).timeline}
    assert victim.id in {r["id"] for r in _timeline_csv(capsys, db, tmp_path / "undone")}
    assert victim.id in _plover_ids(capsys, db, tmp_path / "undone")
    code, out, _ = _cli(capsys, "corrections", "list", "--json", "--db", db)
    listed = {c["id"]: c for c in json.loads(out)}
    assert listed[cid]["status"] == "undone" and listed[cid]["status_reason"].startswith("undone by c")
    assert listed[cid]["reason"] == "misread" and listed[cid]["old"][0]["type"] == victim.type


def test_retype_redirect_and_redate_show_in_the_report(db, capsys):
    directed = next(e for e in _report(db).timeline if e.type and e.from_ and e.to and e.from_ != e.to)
    new_type = "ACCUSE" if directed.type != "ACCUSE" else "PROTEST"
    for args in (("retype", "--type", new_type), ("redirect", "--swap"), ("redate", "--date", "2019-05")):
        code, out, err = _cli(capsys, "corrections", "add", args[0], "--event", directed.id, *args[1:], "--db", db)
        assert code == 0 and out.split()[1:] == [args[0], "applied"], (out, err)
    trigger = (directed.sources[0].document, directed.sources[0].start)
    after = next(e for e in _events(_report(db)) if trigger in {(s.document, s.start) for s in e.sources})
    assert after.type == new_type
    assert (after.from_, after.to) == (directed.to, directed.from_)
    assert (after.date, after.precision) == ("2019-05", "month")
    con = connect(db, read_only=True)
    stored = con.execute("SELECT type, date_value FROM events WHERE id = ?", [after.id]).fetchone()
    assert stored == (new_type, "2019-05")
    con.close()


def test_corrections_survive_a_new_store_through_export_and_import(db, capsys, tmp_path, pipeline):
    victim = next(e for e in _report(db).timeline if e.type)
    # retype an event alone on its trigger (not a planned measure, whose threat shares the trigger)
    first = Counter((s.document, s.start) for e in _events(_report(db)) for s in e.sources)
    alone = [e for e in _events(_report(db)) if first[e.sources[0].document, e.sources[0].start] == 1]
    retyped = next(e for e in alone if e.type not in (None, "THREATEN") and e.id != victim.id)
    assert _cli(capsys, "corrections", "add", "reject", "--event", victim.id, "--db", db)[0] == 0
    assert _cli(capsys, "corrections", "add", "retype", "--event", retyped.id, "--type", "THREATEN", "--db", db)[0] == 0
    shared = tmp_path / "corrections.json"
    assert _cli(capsys, "corrections", "export", str(shared), "--db", db)[0] == 0

    fresh = str(tmp_path / "fresh.duckdb")
    _ingest(fresh, pipeline, "01", "04", "05")
    assert victim.id in {e.id for e in _report(fresh).timeline}
    code, _, err = _cli(capsys, "corrections", "import", str(shared), "--db", fresh)
    assert code == 0 and err == [f"2 added, 0 already in {fresh}"]
    code, _, err = _cli(capsys, "corrections", "import", str(shared), "--db", fresh)
    assert code == 0 and err == [f"0 added, 2 already in {fresh}"]
    after = _report(fresh)
    types: dict[tuple, set] = {}
    for e in _events(after):
        for s in e.sources:
            types.setdefault((s.document, s.start), set()).add(e.type)
    assert (victim.sources[0].document, victim.sources[0].start) not in types
    assert types[retyped.sources[0].document, retyped.sources[0].start] == {"THREATEN"}
    con = connect(fresh, read_only=True)
    assert corr.version(con) == 2 and {s.status for s in corr.statuses(con)} == {"applied"}
    con.close()


def test_a_correction_of_a_document_no_longer_stored_is_listed_orphaned(db, capsys, tmp_path, pipeline):
    con = connect(db, read_only=True)
    doc = next(d for d in _docs("05"))
    from detente.store.ingest import text_hash

    start, end, type_ = con.execute(
        "SELECT trigger_start, trigger_end, coalesce(type, subtype) FROM event_sources WHERE doc = ? "
        "ORDER BY local_id LIMIT 1",
        [text_hash(doc.text)],
    ).fetchone()
    con.close()
    mention = f"{text_hash(doc.text)[:10]}:{start}:{end}:{type_}"
    assert _cli(capsys, "corrections", "add", "reject", "--mention", mention, "--db", db)[0] == 0
    shared = tmp_path / "c.json"
    assert _cli(capsys, "corrections", "export", str(shared), "--db", db)[0] == 0
    without = str(tmp_path / "without.duckdb")
    _ingest(without, pipeline, "01", "04")
    assert _cli(capsys, "corrections", "import", str(shared), "--db", without)[0] == 0
    code, out, _ = _cli(capsys, "corrections", "list", "--orphaned", "--json", "--db", without)
    (orphan,) = json.loads(out)
    assert orphan["status"] == "orphaned"
    assert orphan["status_reason"] == f"document {text_hash(doc.text)[:12]} is no longer stored"
    code, out, _ = _cli(capsys, "corrections", "list", "--db", without)
    assert code == 0 and "orphaned" in out and "is no longer stored" in out


def test_entities_and_events_merged_and_an_entity_rejected(db, capsys):
    con = connect(db, read_only=True)
    a, b = (r[0] for r in con.execute(
        "SELECT id FROM entities WHERE kind = 'person' ORDER BY documents DESC, id LIMIT 2").fetchall())  # fmt: skip
    e1, e2 = (r[0] for r in con.execute("SELECT id FROM events WHERE type IS NOT NULL ORDER BY id LIMIT 2").fetchall())
    n1, n2 = (con.execute("SELECT sources FROM events WHERE id = ?", [e]).fetchone()[0] for e in (e1, e2))
    con.close()
    assert _cli(capsys, "corrections", "add", "merge_entities", "--entity", a, "--entity", b, "--db", db)[0] == 0
    assert _cli(capsys, "corrections", "add", "merge_events", "--event", e1, "--event", e2, "--db", db)[0] == 0
    con = connect(db, read_only=True)
    ids = {r[0] for r in con.execute("SELECT id FROM entities").fetchall()}
    assert len({a, b} & ids) == 1
    assert con.execute("SELECT count(DISTINCT entity) FROM document_entities WHERE entity IN (?, ?)",
                       [a, b]).fetchone() == (1,)  # fmt: skip
    joined = con.execute("SELECT DISTINCT event FROM event_sources WHERE event IN (SELECT event FROM event_sources "
                         "WHERE doc || local_id IN (SELECT doc || local_id FROM event_sources WHERE event = ?))",
                         [e1]).fetchall()  # fmt: skip
    assert len(joined) == 1 and con.execute("SELECT sources FROM events WHERE id = ?", joined[0]).fetchone() == (
        n1 + n2,
    )
    kept = min({a, b} & ids)
    con.close()
    assert _cli(capsys, "corrections", "add", "reject", "--entity", kept, "--db", db)[0] == 0
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM entities WHERE id = ?", [kept]).fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM event_participants WHERE entity = ?", [kept]).fetchone() == (0,)
    con.close()


def _add_many(db: str, event: str, who: str, n: int) -> None:
    con = connect(db, read_only=True, lock_wait=60)
    made = [corr.make(con, "retype", corr.event_target(con, event=event), {"type": "PROTEST"}, f"{who} {i}")
            for i in range(n)]  # fmt: skip
    con.close()
    for c in made:
        corr.add(db, [c], lock_wait=60)


def _an_event(db: str) -> str:
    return first_row(db, "SELECT id FROM events WHERE type IS NOT NULL ORDER BY id LIMIT 1")[0]


def test_two_writing_processes_lose_nothing(db):
    event = _an_event(db)
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_add_many, args=(db, event, who, 3)) for who in ("ana", "ben")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    con = connect(db, read_only=True)
    reasons = sorted(s.correction.reason for s in corr.statuses(con))
    assert reasons == [f"{who} {i}" for who in ("ana", "ben") for i in range(3)]
    assert sorted(s.status for s in corr.statuses(con)) == ["applied"] + ["superseded"] * 5
    con.close()


def test_two_writing_threads_lose_nothing(db):
    event = _an_event(db)
    threads = [threading.Thread(target=_add_many, args=(db, event, who, 3)) for who in ("ana", "ben")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    con = connect(db, read_only=True)
    assert corr.version(con) == 6
    assert con.execute("SELECT type FROM events WHERE id = ?", [event]).fetchone() == ("PROTEST",)
    con.close()


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"{not json", "not JSON (Expecting property name enclosed in double quotes at line 1 column 2)"),
        (b"\xff\xfe", "not UTF-8 text"),
        (b'{"format": "other", "corrections": []}', "not an export of corrections"),
        (b'{"format": "detente-corrections/1", "corrections": [{"kind": "retype", "target": {"event": []}}]}',
         "correction 1: retype: not a target of this kind"),
        (b'{"format": "detente-corrections/1", "corrections": [{"kind": "undo", "target": {"correction": "c1"},'
         b' "id": "c2"}]}', "correction 1: correction c2: its id does not match its content"),
    ],
)  # fmt: skip
def test_a_bad_import_file_is_one_line_naming_it(db, capsys, tmp_path, content, why):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    code, out, err = _cli(capsys, "corrections", "import", str(bad), "--db", db)
    assert code == 1 and not out and len(err) == 1
    assert err[0].startswith(f"detente corrections: {bad}: {why}")
    code, out, err = _cli(capsys, "corrections", "import", str(tmp_path / "missing.json"), "--db", db)
    assert code == 1 and err == [f"detente corrections: {tmp_path / 'missing.json'}: cannot be read (No such file or "
                                 "directory)"]  # fmt: skip


def test_usage_and_target_mistakes_are_one_line(db, capsys):
    assert _cli(capsys, "corrections", "add", "retype", "--event", "event:nope", "--type", "AID", "--db", db)[2] == [
        "detente corrections: no event event:nope in the store"
    ]
    code, _, err = _cli(capsys, "corrections", "add", "merge_events", "--event", _an_event(db), "--db", db)
    assert code == 2 and err == ["detente corrections: merge_events needs two events"]
    code, _, err = _cli(capsys, "corrections", "add", "redate", "--event", _an_event(db), "--date", "2024-13",
                        "--db", db)  # fmt: skip
    assert code == 1 and err == ["detente corrections: redate: 2024-13 is not a real date"]
    code, _, err = _cli(capsys, "corrections", "undo", "c0000", "--db", db)
    assert code == 1 and err == ["detente corrections: no correction c0000 to undo"]


def test_an_older_store_gains_the_corrections_table(db):
    raw = duckdb.connect(db)
    for view in ("sources", "event_facts", "record_links"):
        raw.execute(f"DROP VIEW {view}")
    for table in ("corrections", "correction_status", "rejected", "event_overrides", "event_sides"):
        raw.execute(f"DROP TABLE {table}")
    raw.execute("UPDATE schema_info SET value = '2' WHERE key = 'schema_version'")
    raw.close()
    con = connect(db, read_only=True)
    assert con.execute("SELECT value FROM schema_info WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),
    )
    assert corr.version(con) == 0 and corr.statuses(con) == []
    con.close()
