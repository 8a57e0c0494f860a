"""The reading fields of extraction results written into a store, as docs/report.md asks the store to keep them
(columns on `event_sources` and `quantities`, an `absences` table, `record_entities` rows of type `absence`).
Until the store writes them itself, tests and the benchmark add them with this."""

from __future__ import annotations

from detente.schema import DocumentResult
from detente.store.ingest import insert_rows

COLUMNS = {
    "event_sources": ("certainty VARCHAR", "certainty_cue_start INTEGER", "certainty_cue_end INTEGER",
                      "disclosure_value VARCHAR", "disclosure_precision VARCHAR", "disclosure_start INTEGER",
                      "disclosure_end INTEGER"),
    "quantities": ("certainty VARCHAR", "certainty_cue_start INTEGER", "certainty_cue_end INTEGER"),
}  # fmt: skip
ABSENCES = """CREATE TABLE IF NOT EXISTS absences (doc VARCHAR, local_id VARCHAR, text VARCHAR, char_start INTEGER,
    char_end INTEGER, sentence_start INTEGER, sentence_end INTEGER, what VARCHAR, negated_event VARCHAR)"""


def add_reading_schema(con) -> None:
    for table, columns in COLUMNS.items():
        for col in columns:
            con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {col}")
    con.execute(ABSENCES)


def _certainty(c) -> tuple:
    return (c.value, c.cue and c.cue.start, c.cue and c.cue.end) if c else (None, None, None)


def write_reading(con, results: list[DocumentResult]) -> None:
    """Fill the reading columns and rows of documents already stored (in bulk: UPDATE … FROM a scratch table)."""
    add_reading_schema(con)
    events = [(r.document.id, ev.id, *_certainty(ev.certainty), *(_disclosure(ev.disclosure)))
              for r in results for ev in r.events]  # fmt: skip
    figures = [(r.document.id, q.id, *_certainty(q.certainty)) for r in results for q in r.quantities]
    for table, rows, columns in (("event_sources", events, COLUMNS["event_sources"]),
                                 ("quantities", figures, COLUMNS["quantities"])):  # fmt: skip
        if not rows:
            continue
        names = [c.split()[0] for c in columns]
        con.execute(f"CREATE OR REPLACE TEMP TABLE reading_rows (doc VARCHAR, local_id VARCHAR, {', '.join(columns)})")
        con.executemany(f"INSERT INTO reading_rows VALUES ({', '.join('?' * (len(columns) + 2))})", rows)
        sets = ", ".join(f"{n} = x.{n}" for n in names)
        con.execute(f"UPDATE {table} t SET {sets} FROM reading_rows x WHERE t.doc = x.doc AND t.local_id = x.local_id")
    con.execute("DROP TABLE IF EXISTS reading_rows")
    links = [(r.document.id, "absence", a.id, "about", i, e, e) for r in results for a in r.absences
             for i, e in enumerate(a.entities)]  # fmt: skip
    insert_rows(con, "record_entities", links)
    rows = [(r.document.id, a.id, a.text, a.start, a.end, a.sentence.start, a.sentence.end, a.what, a.negated_event)
            for r in results for a in r.absences]  # fmt: skip
    if rows:
        con.executemany("INSERT INTO absences VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _disclosure(d) -> tuple:
    return (d.value, d.precision, d.start, d.end) if d else (None, None, None, None)
