"""The corpus store: ingest, cross-document merges, exports, queries, and every fault with a one-line reason."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import subprocess
import sys

import duckdb
import pytest

from detente import __version__
from detente.cli import build_parser
from detente.commands import ingest as ingest_cmd
from detente.commands.extract import safe_results
from detente.documents import Document, read_inputs
from detente.kb import slug
from detente.schema import (
    Absence,
    Certainty,
    Cue,
    Disclosure,
    DocumentMeta,
    DocumentResult,
    Entity,
    Event,
    EventDate,
    Extractor,
    Mention,
    Role,
    Span,
    Trigger,
)
from detente.store import StoreError, connect
from detente.store.export import export, plover_records
from detente.store.ingest import text_hash, write_result
from detente.store.merge import merge, person_key
from detente.store.queries import pair_events, stats
from detente.store.schema import SCHEMA_VERSION

from .conftest import DEV, store_document

CLI = [sys.executable, "-m", "detente.cli"]


# ---- documents built from schema records, without extraction ----


def _ent(text: str, name: str, kind: str = "person", country: str | None = None, kb_id: str | None = None,
         roles: tuple[Role, ...] = ()) -> Entity:  # fmt: skip
    start = text.index(name)
    eid = f"state:{country}" if kind == "state" else kb_id or f"{kind}:{slug(name)}"
    return Entity(
        eid, kind, name, country, kb_id=kb_id, roles=list(roles), mentions=[Mention(start, start + len(name))]
    )


def _event(text: str, trigger: str, type_: str, actors: list[str], recipients: list[str] = (), date: str | None = None,
           precision: str = "day", eid: str = "e1") -> Event:  # fmt: skip
    start = text.index(trigger)
    when = EventDate(date, precision, False, 0, 4) if date else None
    trig = Trigger(trigger, start, start + len(trigger))
    return Event(eid, type_, None, None, list(actors), list(recipients), [], when, None, None, trig,
                 Span(0, len(text)), [])  # fmt: skip


@pytest.fixture
def db(tmp_path):
    con = connect(str(tmp_path / "t.duckdb"))
    yield con
    con.close()


def _ids(con, table: str = "entities") -> list[str]:
    return [r[0] for r in con.execute(f"SELECT id FROM {table} ORDER BY id").fetchall()]


def _canonical(con, name: str) -> str:
    return con.execute("SELECT DISTINCT entity FROM document_entities WHERE name = ?", [name]).fetchone()[0]


# ---- schema ----


def test_schema_is_created_and_migrated_in_place(tmp_path):
    path = str(tmp_path / "m.duckdb")
    con = connect(path)
    store_document(con, "Chile protested to Peru.")
    con.close()
    raw = duckdb.connect(path)  # a version 1 store: before the reading fields
    raw.execute("DROP TABLE absences")
    raw.execute("ALTER TABLE quantities DROP COLUMN certainty")
    raw.execute("UPDATE schema_info SET value = '1' WHERE key = 'schema_version'")
    raw.close()
    con = connect(path)
    assert "certainty" in {r[0] for r in con.execute("DESCRIBE quantities").fetchall()}
    assert con.execute("SELECT count(*) FROM absences").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    assert con.execute("SELECT value FROM schema_info WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),
    )
    con.execute("UPDATE schema_info SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="newer détente"):
        connect(path)
    other = str(tmp_path / "other.duckdb")
    duckdb.connect(other).execute("CREATE TABLE mine (a INTEGER)").close()
    for read_only in (False, True):
        with pytest.raises(StoreError, match="not a détente store"):
            connect(other, read_only=read_only)


# ---- idempotence and replacement ----


def test_same_text_is_stored_once_and_a_changed_text_replaces_the_old_version(db):
    text = "Ivo Marchetti spoke in Rome."
    for _ in range(2):
        store_document(db, text, [_ent(text, "Ivo Marchetti")], source="https://news.example/a1")
    assert db.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    assert db.execute("SELECT count(*) FROM mentions").fetchone() == (1,)
    changed = "Ivo Marchetti and Lena Sorvino spoke in Rome."
    store_document(
        db, changed, [_ent(changed, "Ivo Marchetti"), _ent(changed, "Lena Sorvino")], source="https://news.example/a1"
    )
    assert db.execute("SELECT id FROM documents").fetchall() == [(text_hash(changed),)]
    assert db.execute("SELECT count(*) FROM mentions").fetchone() == (2,)


def test_a_batch_is_written_as_one_by_one_writes_would_and_a_bad_document_alone_is_skipped(db, capsys):
    def item(text: str, source: str, start: int = 0):
        doc = Document(text=text, source=source)
        meta = DocumentMeta(text_hash(text), None, source, None, None, "en", len(text), Extractor(__version__, "t"), [])
        ent = Entity("person:ivo-marchetti", "person", "Ivo Marchetti", None, mentions=[Mention(start, start + 3)])
        return doc, DocumentResult(meta, [ent], [], [], [], [])

    # the same article twice in one batch, then the same text under another address: only the last survives
    batch = [item("Version one.", "https://x.example/1"), item("Version two.", "https://x.example/1"),
             item("Version two.", "https://x.example/2")]  # fmt: skip
    counts = {"done": 3, "skipped": 0, "stored": 0}
    assert ingest_cmd._write(db, batch, counts) == 3
    assert db.execute("SELECT source FROM documents").fetchall() == [("https://x.example/2",)]
    bad = [item("Good one.", "g1.txt"), item("Bad one.", "bad.txt", start=2**40), item("Good two.", "g2.txt")]
    assert ingest_cmd._write(db, bad, counts) == 2 and counts["skipped"] == 1
    err = capsys.readouterr().err
    assert "bad.txt: skipped: could not be stored" in err and len(err.splitlines()) == 1
    assert db.execute("SELECT count(*) FROM documents").fetchone() == (3,)


def test_the_reading_fields_and_absences_are_stored(db):
    text = "Russia did not publish the list. China sold jets to Russia, officials claimed."
    ents = [_ent(text, "Russia", "state", "RUS"), _ent(text, "China", "state", "CHN")]
    ev = _event(text, "sold", "COOPERATE", ["state:CHN"], ["state:RUS"])
    cue = text.index("claimed")
    ev.certainty = Certainty("claimed", Cue("claimed", cue, cue + 7))
    ev.disclosure = Disclosure("2023-05", "month", 0, 4)
    absence = Absence("a1", "did not publish the list", 7, 32, Span(0, 32), "the list", ["state:RUS"])
    doc = store_document(db, text, ents, [ev])
    meta = DocumentMeta(text_hash(text), None, doc.source, None, None, "en", len(text), Extractor(__version__, "t"), [])
    write_result(db, DocumentResult(meta, ents, [ev], [], [], [], [absence]), doc)
    row = db.execute("SELECT certainty, certainty_cue_start, disclosure_value FROM event_sources").fetchone()
    assert row == ("claimed", cue, "2023-05")
    assert db.execute("SELECT what, char_start FROM absences").fetchall() == [("the list", 7)]
    link = "SELECT entity_local FROM record_entities WHERE record_type = 'absence' AND relation = 'about'"
    assert db.execute(link).fetchall() == [("state:RUS",)]


# ---- cross-document entities ----


def test_person_name_variants_merge_across_documents(db):
    texts = ["Turkish President Recep Tayyip Erdoğan spoke.", "Tayyip Erdogan replied.", "Erdogan left.",
             "Volodymyr Zelensky met him.", "Volodymyr Zelenskyy called.", "Zelenskiy said so."]  # fmt: skip
    names = ["Recep Tayyip Erdoğan", "Tayyip Erdogan", "Erdogan", "Volodymyr Zelensky", "Volodymyr Zelenskyy",
             "Zelenskiy"]  # fmt: skip
    for text, name in zip(texts, names, strict=True):
        store_document(db, text, [_ent(text, name, country="TUR" if "Erdo" in name else None)])
    merge(db)
    assert len({_canonical(db, n) for n in names[:3]}) == 1
    assert _canonical(db, "Erdogan") == "person:recep-tayyip-erdogan"
    assert len({_canonical(db, n) for n in names[3:]}) == 1
    row = db.execute(
        "SELECT name, country, documents FROM entities WHERE id = 'person:recep-tayyip-erdogan'"
    ).fetchone()
    assert row == ("Recep Tayyip Erdoğan", "TUR", 3)
    assert person_key("Sergey Lavrov", _kb()) == person_key("Sergei Lavrov", _kb())
    assert person_key("Turkish President Tayyip Erdoğan", _kb()) == person_key("Tayyip Erdogan", _kb())


def _kb():
    from detente.kb import load_kb

    return load_kb()


def test_an_ambiguous_surname_or_a_conflicting_country_stays_apart(db):
    for text, name, country in [("Elena Varga spoke.", "Elena Varga", "HUN"), ("Tomas Varga spoke.", "Tomas Varga",
                                "HUN"), ("Varga said no.", "Varga", None), ("Ana Kolar left.", "Ana Kolar", "HRV"),
                                ("Kolar stayed.", "Kolar", "SVN")]:  # fmt: skip
        store_document(db, text, [_ent(text, name, country=country)])
    merge(db)
    assert _canonical(db, "Varga") == "person:varga"
    assert _canonical(db, "Kolar") == "person:kolar"


def test_knowledge_base_ids_win_and_states_merge_by_code(db):
    one, two = "Secretary Blinken met Chinese officials.", "Antony J. Blinken spoke about China."
    store_document(db, one, [_ent(one, "Blinken", kb_id="person:antony-blinken", country="USA"),
                             _ent(one, "Chinese", kind="state", country="CHN")])  # fmt: skip
    store_document(db, two, [_ent(two, "Antony J. Blinken"), _ent(two, "China", kind="state", country="CHN")])
    merge(db)
    assert _canonical(db, "Antony J. Blinken") == "person:antony-blinken"
    assert _ids(db) == ["person:antony-blinken", "state:CHN"]
    assert db.execute("SELECT documents, name FROM entities WHERE id = 'state:CHN'").fetchone() == (2, "China")


def test_roles_keep_each_document_and_date_so_title_history_is_visible(db):
    one = "Deputy Minister Ivo Marchetti spoke."
    two = "Minister Ivo Marchetti spoke again."
    deputy, minister = Role("Deputy Minister", None, "government", 0, 15), Role("Minister", None, "government", 0, 8,
                                                                                  as_of="2023")  # fmt: skip
    store_document(db, one, [_ent(one, "Ivo Marchetti", roles=(deputy,))], published="2021-05-02")
    store_document(db, two, [_ent(two, "Ivo Marchetti", roles=(minister,))], published="2023-09-10")
    merge(db)
    history = db.execute(
        "SELECT published, title, as_of FROM roles WHERE entity = 'person:ivo-marchetti' ORDER BY published"
    ).fetchall()
    assert history == [(dt.date(2021, 5, 2), "Deputy Minister", None), (dt.date(2023, 9, 10), "Minister", "2023")]


# ---- cross-document events ----


def _pair_doc(con, text: str, trigger: str, date: str | None, precision: str = "day", type_: str = "CONSULT",
              actors=("state:CHN", "state:RUS"), recipients=(), published: str = "2023-03-25"):  # fmt: skip
    ents = [_ent(text, "China", "state", "CHN"), _ent(text, "Russia", "state", "RUS")]
    ev = _event(text, trigger, type_, list(actors), list(recipients), date, precision)
    store_document(con, text, ents, [ev], published=published)


def test_one_real_event_reported_by_several_documents_is_one_event(db):
    _pair_doc(db, "China and Russia held talks.", "talks", "2023-03-20")
    _pair_doc(db, "Russia and China met for talks in Moscow.", "met", "2023-03-22")
    _pair_doc(db, "In March, China and Russia talked.", "talked", "2023-03", "month")
    _pair_doc(db, "China and Russia met again.", "met", "2023-04-10")  # outside the window
    _pair_doc(db, "China sanctioned Russia.", "sanctioned", "2023-03-21", type_="SANCTION", actors=["state:CHN"],
              recipients=["state:RUS"])  # fmt: skip
    _pair_doc(db, "Russia sanctioned China.", "sanctioned", "2023-03-21", type_="SANCTION", actors=["state:RUS"],
              recipients=["state:CHN"])  # fmt: skip
    merge(db)
    events = db.execute("SELECT type, date_value, sources FROM events ORDER BY type, date_value").fetchall()
    assert events == [("CONSULT", "2023-03-20", 3), ("CONSULT", "2023-04-10", 1), ("SANCTION", "2023-03-21", 1),
                      ("SANCTION", "2023-03-21", 1)]  # fmt: skip
    assert len(pair_events(db, "CHN", "RUS")) == 4
    roles = db.execute("SELECT entity, role, country FROM event_participants p JOIN events e ON e.id = p.event "
                       "WHERE e.type = 'CONSULT' AND e.sources = 3 ORDER BY entity").fetchall()  # fmt: skip
    assert roles == [("state:CHN", "actor", "CHN"), ("state:RUS", "actor", "RUS")]
    top = stats(db).top_pairs
    assert top == [("CHN", "RUS", 4)]


def test_a_coarse_date_joins_only_the_one_event_it_fits(db):
    _pair_doc(db, "China and Russia held talks.", "talks", "2023-03-02")
    _pair_doc(db, "China and Russia met again.", "met", "2023-03-28")
    _pair_doc(db, "In March, China and Russia talked.", "talked", "2023-03", "month")
    _pair_doc(db, "In 2022, China and Russia talked.", "talked", "2022", "year")
    _pair_doc(db, "That year China and Russia held talks.", "talks", "2022", "year")
    merge(db)
    events = db.execute("SELECT date_value, sources FROM events ORDER BY date_value").fetchall()
    assert events == [("2022", 2), ("2023-03", 1), ("2023-03-02", 1), ("2023-03-28", 1)]


def test_canonical_ids_do_not_depend_on_ingest_order(tmp_path):
    docs = [("Ivo Marchetti met Putin.", ["Ivo Marchetti"]), ("Marchetti flew home.", ["Marchetti"]),
            ("Lena Sorvino and Ivo Marchetti talked.", ["Lena Sorvino", "Ivo Marchetti"]),
            ("Sorvino laughed.", ["Sorvino"])]  # fmt: skip
    dumps = []
    for order in (docs, docs[::-1]):
        con = connect(str(tmp_path / f"o{len(dumps)}.duckdb"))
        for text, names in order:
            ents = [_ent(text, n) for n in names]
            ev = [_event(text, text.split()[-1].rstrip("."), "CONSULT", [e.id for e in ents])] if len(ents) > 1 else []
            store_document(con, text, ents, ev)
            merge(con)  # merging after every document changes nothing in the end
        dumps.append([con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                      for t in ("entities", "events", "event_participants", "document_entities")])  # fmt: skip
        con.close()
    assert dumps[0] == dumps[1]
    assert [r[0] for r in dumps[0][0]] == ["person:ivo-marchetti", "person:lena-sorvino"]


# ---- real extraction, in process ----


def _dev_docs(*prefixes: str) -> list[Document]:
    paths = [str(next(DEV.glob(f"{p}_*.txt"))) for p in prefixes]
    return [d for d in read_inputs(paths) if isinstance(d, Document)]


def _counts(con) -> dict:
    return stats(con).counts


def test_development_texts_ingested_twice_give_the_same_counts(db, pipeline):
    docs = _dev_docs("21", "22", "23")
    counts = {"done": 0, "skipped": 0, "unchanged": 0, "stored": 0}
    ingest_cmd.ingest(db, "t.duckdb", docs, 1, counts, pipeline)
    first = _counts(db)
    assert counts["stored"] == 3 and first["documents"] == 3 and first["events"] > 0
    ingest_cmd.ingest(db, "t.duckdb", docs, 1, counts, pipeline)
    assert counts["unchanged"] == 3 and _counts(db) == first
    # Wang Yi is one person across the three readouts, with a mention in each
    assert db.execute("SELECT documents FROM entities WHERE id = 'person:wang-yi'").fetchone() == (3,)
    doc = docs[0]
    s, e, t = db.execute("SELECT char_start, char_end, text FROM mentions WHERE doc = ? LIMIT 1",
                         [text_hash(doc.text)]).fetchone()  # fmt: skip
    assert doc.text[s:e] == t


def test_a_document_whose_extraction_crashes_is_reported_and_skipped(tmp_path, pipeline, capsys):
    def boom(chunk, ctx):
        if "BOOM" in ctx.text:
            raise RuntimeError("extractor exploded")

    broken = copy.copy(pipeline)
    broken.extractors = (*pipeline.extractors, boom)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Japan and India signed a pact in Tokyo on Monday.", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("BOOM. Chile protested to Peru.", encoding="utf-8")
    (tmp_path / "in" / "c.txt").write_text("Kenya hosted Ghana's president in Nairobi.", encoding="utf-8")
    db = str(tmp_path / "x.duckdb")
    args = build_parser().parse_args(["ingest", str(tmp_path / "in"), "--db", db, "--workers", "1"])
    assert ingest_cmd.run(args, pipeline=broken) == 3
    err = capsys.readouterr().err.splitlines()
    assert any("b.txt" in x and "extraction failed" in x and "extractor exploded" in x for x in err)
    assert not any("Traceback" in x for x in err)
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (2,)
    con.close()


def test_workers_return_results_through_the_shared_helpers(pipeline, monkeypatch):
    monkeypatch.setattr(ingest_cmd, "_PIPELINE", pipeline)
    doc = Document(text="Peru thanked Chile.", source="w.txt")
    assert ingest_cmd._extract_in_worker(doc).document.id == text_hash(doc.text)
    assert list(safe_results(pipeline, [doc], {"done": 0, "skipped": 0}))[0][0] is doc


# ---- faults: one line naming the file, nothing stored lost ----


def _run_in_process(capsys, *argv: str) -> tuple[int, list[str]]:
    from detente.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, [x for x in captured.err.splitlines() if x]


def test_a_locked_database_is_reported_in_one_line(tmp_path):
    path = str(tmp_path / "l.duckdb")
    holder = connect(path)
    try:
        proc = subprocess.run([*CLI, "stats", "--db", path], capture_output=True, text=True, timeout=60)
    finally:
        holder.close()
    lines = proc.stderr.splitlines()
    assert proc.returncode == 1 and len(lines) == 1 and "locked by another process" in lines[0] and path in lines[0]


def test_a_corrupt_database_is_reported_and_left_alone(tmp_path, capsys):
    path = tmp_path / "c.duckdb"
    garbage = b"this is not a database " * 400
    path.write_bytes(garbage)
    txt = tmp_path / "a.txt"
    txt.write_text("Chile protested to Peru.", encoding="utf-8")
    for argv in (["ingest", str(txt), "--db", str(path), "--workers", "1"], ["stats", "--db", str(path)]):
        code, err = _run_in_process(capsys, *argv)
        assert code == 1 and len(err) == 1 and "c.duckdb: not a readable DuckDB database" in err[0]
    assert path.read_bytes() == garbage


def test_a_read_only_directory_is_reported(tmp_path, capsys):
    if os.geteuid() == 0:  # root writes through file modes: use a read-only file system
        target = "/sys/detente-test.duckdb"
    else:
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o555)
        target = str(ro / "x.duckdb")
    txt = tmp_path / "a.txt"
    txt.write_text("Chile protested to Peru.", encoding="utf-8")
    code, err = _run_in_process(capsys, "ingest", str(txt), "--db", target, "--workers", "1")
    assert code == 1 and len(err) == 1 and target in err[0] and "cannot be written" in err[0]


def test_readers_need_an_existing_database(tmp_path, capsys):
    path = str(tmp_path / "none.duckdb")
    for argv in (["stats", "--db", path], ["query", "SELECT 1", "--db", path],
                 ["export", "--format", "csv", "--db", path, "--out", str(tmp_path / "o")]):  # fmt: skip
        code, err = _run_in_process(capsys, *argv)
        assert code == 1 and len(err) == 1 and "none.duckdb: no such database" in err[0]
    assert not os.path.exists(path)


def test_a_full_disk_stops_the_ingest_and_keeps_what_was_stored(tmp_path):
    """RLIMIT_FSIZE makes every write past the limit fail like a full disk (EFBIG)."""
    path = str(tmp_path / "full.duckdb")
    script = f"""
import resource, sys
from tests.conftest import store_document
from detente.store import connect, StoreError
from detente.store.schema import store_error
con = connect({path!r})
store_document(con, "First text about Chile.")
con.execute("CHECKPOINT")
resource.setrlimit(resource.RLIMIT_FSIZE, (1, 1))  # no file may grow any more
try:
    for i in range(200):
        store_document(con, f"Text number {{i}} about Peru. " + "x" * 20000)
except Exception as exc:
    print(store_error({path!r}, exc))
"""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=root)
    assert "cannot be written (file size limit reached)" in proc.stdout, proc.stdout + proc.stderr[-500:]
    con = connect(path, read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    con.close()


# ---- read-only query, stats, exports ----


@pytest.fixture
def filled(tmp_path):
    path = str(tmp_path / "f.duckdb")
    con = connect(path)
    _pair_doc(con, "China and Russia held talks.", "talks", "2023-03-20")
    _pair_doc(con, "Russia and China met for talks in Moscow.", "met", "2023-03-22")
    text = "China sanctioned Russia over Ivo Marchetti."
    ents = [_ent(text, "China", "state", "CHN"), _ent(text, "Russia", "state", "RUS"),
            _ent(text, "Ivo Marchetti", country="ITA")]  # fmt: skip
    sanction = _event(text, "sanctioned", "SANCTION", ["state:CHN"], ["state:RUS"], "2023-05-01")
    sanction.subtype = "sanction"
    store_document(con, text, ents, [sanction])
    merge(con)
    con.close()
    return path


def test_query_is_read_only_with_three_formats(filled, capsys):
    code, err = _run_in_process(capsys, "query", "SELECT id, kind FROM entities ORDER BY id", "--db", filled)
    assert code == 0, err
    code, err = _run_in_process(capsys, "query", "DELETE FROM documents", "--db", filled)
    assert code == 2 and len(err) == 1 and "only a SELECT" in err[0] and "DELETE statement" in err[0]
    assert _run_in_process(capsys, "query", "SELEKT", "--db", filled)[0] == 2
    code, err = _run_in_process(capsys, "query", "SELECT nothing FROM documents", "--db", filled)
    assert code == 1 and len(err) == 1 and "query failed" in err[0] and "nothing" in err[0]
    from detente.cli import main

    main(["query", "SELECT id, country FROM entities ORDER BY id", "--db", filled, "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert rows[0] == {"id": "person:ivo-marchetti", "country": "ITA"} and len(rows) == 3
    main(["query", "SELECT count(*) AS n FROM documents", "--db", filled, "--format", "csv"])
    assert capsys.readouterr().out == "n\n3\n"


def test_stats_lists_counts_actors_and_pairs(filled, capsys):
    from detente.cli import main

    assert main(["stats", "--db", filled]) == 0
    out = capsys.readouterr().out
    assert "documents           3" in out and "state:CHN" in out
    assert any(line.split() == ["CHN", "RUS", "2"] for line in out.splitlines())


def _section(out: str, title: str) -> list[str]:
    """The rows of a `print_table` block after its title line."""
    return out.split(f"\n{title}\n", 1)[1].split("\n\n", 1)[0].splitlines()[2:]


def test_top_zero_means_no_limit_for_stats_and_pairs(filled, capsys):
    from detente.cli import build_parser, main

    assert main(["stats", "--db", filled, "--top", "0"]) == 0
    actors = [line.split()[0] for line in _section(capsys.readouterr().out, "top actors")]
    assert actors == ["state:CHN", "state:RUS", "person:ivo-marchetti"]
    assert main(["stats", "--db", filled, "--top", "1"]) == 0
    assert len(_section(capsys.readouterr().out, "top actors")) == 1
    for top in ("0", "1"):
        assert main(["pairs", "--db", filled, "--json", "--top", top]) == 0
        assert [(p["a"], p["b"]) for p in json.loads(capsys.readouterr().out)] == [("CHN", "RUS")]
    sub = build_parser()._subparsers._group_actions[0].choices
    for command in ("stats", "pairs"):
        assert "0: no limit" in " ".join(sub[command].format_help().split()), command


def test_query_takes_exactly_one_statement(filled, capsys):
    for sql in ("SELECT 1; SELECT 2", "", "  ;  "):
        code, err = _run_in_process(capsys, "query", sql, "--db", filled)
        assert code == 2 and len(err) == 1 and "exactly one SQL statement" in err[0], (sql, err)
    from detente.cli import main

    assert main(["query", "SELECT count(*) AS n FROM documents;", "--db", filled]) == 0
    assert capsys.readouterr().out.split() == ["n", "-", "3"]
    code, err = _run_in_process(capsys, "query", "SELECT 1; DELETE FROM documents", "--db", filled)
    assert code == 2
    assert connect(filled, read_only=True).execute("SELECT count(*) FROM documents").fetchone() == (3,)


def _downgrade(path: str) -> None:
    """Make the store at `path` look as a version 1 store (before the reading fields) does."""
    raw = duckdb.connect(path)
    raw.execute("DROP VIEW sources")
    raw.execute("DROP TABLE absences")
    raw.execute("ALTER TABLE quantities DROP COLUMN certainty")
    raw.execute("UPDATE schema_info SET value = '1' WHERE key = 'schema_version'")
    raw.close()


def test_read_commands_upgrade_an_older_store_or_say_how(filled, capsys, monkeypatch):
    from detente.cli import main
    from detente.store import schema

    _downgrade(filled)
    assert main(["stats", "--db", filled]) == 0
    out, err = capsys.readouterr()
    assert "absences" in out and not err
    con = connect(filled, read_only=True)
    assert con.execute("SELECT value FROM schema_info WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),
    )
    con.close()
    _downgrade(filled)

    def unwritable(con, version):
        raise duckdb.IOException(f'IO Error: Cannot open file "{filled}": Permission denied')

    monkeypatch.setattr(schema, "migrate", unwritable)
    for argv in (["stats"], ["query", "SELECT 1"], ["report", "CHN", "RUS"]):
        code, err = _run_in_process(capsys, *argv, "--db", filled)
        assert code == 1 and len(err) == 1, err
        assert f"{filled}: written by an older détente (schema 1" in err[0] and "permission denied" in err[0]
        assert f"run `detente ingest PATH --db {filled}`" in err[0]


@pytest.mark.parametrize("fmt,reader", [("csv", "read_csv"), ("parquet", "read_parquet"), ("jsonl", "read_json")])
def test_table_exports_open_in_duckdb(filled, tmp_path, fmt, reader):
    con = connect(filled, read_only=True)
    paths = export(con, fmt, tmp_path / "out")
    counts = stats(con).counts
    con.close()
    check = duckdb.connect()
    for p in paths:
        name = p.name.split(".")[0]
        if counts[name]:
            assert check.execute(f"SELECT count(*) FROM {reader}('{p}')").fetchone() == (counts[name],), name


def test_graphml_network_opens_in_networkx(filled, tmp_path):
    import networkx as nx

    con = connect(filled, read_only=True)
    (path,) = export(con, "graphml", tmp_path / "g")
    con.close()
    g = nx.read_graphml(path)
    assert g.nodes["state:CHN"]["kind"] == "state" and g.nodes["person:ivo-marchetti"]["country"] == "ITA"
    edge = g.edges["state:CHN", "state:RUS"]
    assert edge["events"] == 2 and edge["comentions"] == 3 and edge["event_types"] == "CONSULT:1 SANCTION:1"


def test_plover_records_carry_sides_and_evidence(filled):
    con = connect(filled, read_only=True)
    records = list(plover_records(con))
    con.close()
    sanction = next(r for r in records if r["event_type"] == "SANCTION")
    assert sanction["source_countries"] == ["CHN"] and sanction["target_countries"] == ["RUS"]
    (ev,) = sanction["evidence"]
    assert ev["trigger"]["text"] == "sanctioned" and ev["sentence"]["text"].startswith("China sanctioned Russia")
    consult = next(r for r in records if r["event_type"] == "CONSULT")
    assert len(consult["evidence"]) == 2 and consult["date"] == "2023-03-20"


# ---- the command line, as a user runs it ----


def _cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def _dump(db: str) -> list:
    con = duckdb.connect(db, read_only=True)
    tables = ("documents", "document_entities", "mentions", "entities", "events", "event_participants",
              "event_sources", "quotes", "record_entities")  # fmt: skip
    out = [con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables]
    con.close()
    return out


def test_cli_resumed_ingest_equals_one_run_and_workers_do_not_matter(tmp_path, pipeline):
    src = tmp_path / "news"
    src.mkdir()
    texts = {
        "a.txt": "Chinese President Xi Jinping met Russian President Vladimir Putin in Moscow on March 21, 2023.",
        "b.txt": "Putin and Xi held talks in Moscow on Tuesday. Xi said the ties were strong.",
        "c.txt": "Turkish President Recep Tayyip Erdogan criticized Greece. Erdogan said Athens was wrong.",
    }
    for name, text in texts.items():
        (src / name).write_text(text, encoding="utf-8")
    resumed = str(tmp_path / "resumed.duckdb")
    # an ingest stopped after the first document, then rerun over everything (in process: the model is loaded)
    for paths in ([str(src / "a.txt")], [str(src)]):
        args = build_parser().parse_args(["ingest", *paths, "--db", resumed, "--workers", "1", "--published",
                                          "2023-03-22"])  # fmt: skip
        assert ingest_cmd.run(args, pipeline=pipeline) == 0
    whole = _cli("ingest", str(src), "--workers", "2", "--published", "2023-03-22", cwd=tmp_path)
    assert whole.returncode == 0 and "3 stored" in whole.stderr and "documents/s" in whole.stderr
    assert os.path.exists(tmp_path / "detente.duckdb")  # the default store
    assert _dump(resumed) == _dump(str(tmp_path / "detente.duckdb"))
    again = _cli("ingest", str(src), cwd=tmp_path)
    assert again.returncode == 0 and "0 stored, 3 already stored" in again.stderr
    assert _dump(resumed) == _dump(str(tmp_path / "detente.duckdb"))
    out = _cli("export", "--format", "plover", "--out", "x", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.strip().endswith("events.plover.jsonl")
