"""The store's tables, its schema version, and opening a database file with one-line failures.

Per-document tables (`documents`, `document_entities`, `mentions`, `roles`,
`event_sources`, `record_entities`, `quantities`, `quotes`, `absences`,
`dates`) are
written once per document by `ingest`; canonical tables (`entities`,
`events`, `event_participants`) are rebuilt from them by `merge`. Every row
of a per-document table carries `doc`, the document's text hash, and
character offsets (`char_start`, `char_end`) into that document's text.

`corrections` is the analysts' append-only log (see `corrections`); the merge
applies it and writes what it did to the derived tables `correction_status`,
`rejected`, `event_overrides` and `event_sides`. The views `event_facts` and
`record_links` are `event_sources` and `record_entities` as corrected: every
reader of events and of record links reads them.
"""

from __future__ import annotations

import functools
import os
import re
import time

import duckdb

from ..textsafe import escape_controls

SCHEMA_VERSION = 3  # 2: the reading fields (certainty, disclosure) and `absences`; 3: corrections
DEFAULT_DB = "detente.duckdb"
# DuckDB's memory when writing: it would otherwise cache the growing file; bounded, the ingest's memory stays
# flat as the store grows (larger work spills to a temporary file beside the database).
WRITE_MEMORY_LIMIT = "128MB"
LOCK_WAIT_SECONDS, LOCK_POLL_SECONDS = 5.0, 0.25  # how long opening waits for another process's lock
BUSY = ("Could not set lock", "with a different configuration than existing connections")

TABLES: dict[str, str] = {
    "schema_info": "key VARCHAR PRIMARY KEY, value VARCHAR",
    "documents": """id VARCHAR PRIMARY KEY, extractor_version VARCHAR, model VARCHAR, external_id VARCHAR,
        identity VARCHAR, source VARCHAR, title VARCHAR, published DATE, language VARCHAR, length INTEGER,
        sections JSON, text VARCHAR""",
    "document_entities": """doc VARCHAR, local_id VARCHAR, form VARCHAR, entity VARCHAR, kind VARCHAR,
        name VARCHAR, country VARCHAR, kb_id VARCHAR, type VARCHAR, aliases VARCHAR[], reasons JSON""",
    "mentions": "doc VARCHAR, entity_local VARCHAR, entity VARCHAR, char_start INTEGER, char_end INTEGER, text VARCHAR",
    "roles": """doc VARCHAR, entity_local VARCHAR, entity VARCHAR, title VARCHAR, organization VARCHAR,
        sector VARCHAR, former BOOLEAN, as_of VARCHAR, published DATE, char_start INTEGER, char_end INTEGER""",
    "record_entities": """doc VARCHAR, record_type VARCHAR, record VARCHAR, relation VARCHAR, position INTEGER,
        entity_local VARCHAR, entity VARCHAR""",
    "event_sources": """doc VARCHAR, local_id VARCHAR, event VARCHAR, type VARCHAR, mode VARCHAR, subtype VARCHAR,
        date_value VARCHAR, date_precision VARCHAR, date_approximate BOOLEAN, date_start INTEGER, date_end INTEGER,
        location VARCHAR, location_country VARCHAR, object VARCHAR, trigger_text VARCHAR, trigger_start INTEGER,
        trigger_end INTEGER, sentence_start INTEGER, sentence_end INTEGER, evidence JSON, negated BOOLEAN,
        hypothetical BOOLEAN, context VARCHAR[], confidence DOUBLE, quantities VARCHAR[], reasons JSON,
        certainty VARCHAR, certainty_cue_start INTEGER, certainty_cue_end INTEGER, disclosure_value VARCHAR,
        disclosure_precision VARCHAR, disclosure_start INTEGER, disclosure_end INTEGER""",
    "quantities": """doc VARCHAR, local_id VARCHAR, measure VARCHAR, value DOUBLE, unit VARCHAR, qualifier VARCHAR,
        text VARCHAR, char_start INTEGER, char_end INTEGER, period VARCHAR, status VARCHAR, reasons JSON,
        certainty VARCHAR, certainty_cue_start INTEGER, certainty_cue_end INTEGER""",
    "quotes": """doc VARCHAR, local_id VARCHAR, speaker_local VARCHAR, speaker VARCHAR, speaker_text VARCHAR,
        text VARCHAR, char_start INTEGER, char_end INTEGER, parts JSON, direct BOOLEAN, cue VARCHAR, reasons JSON""",
    "absences": """doc VARCHAR, local_id VARCHAR, text VARCHAR, char_start INTEGER, char_end INTEGER,
        sentence_start INTEGER, sentence_end INTEGER, what VARCHAR, negated_event VARCHAR""",
    "dates": """doc VARCHAR, local_id VARCHAR, text VARCHAR, char_start INTEGER, char_end INTEGER, value VARCHAR,
        precision VARCHAR, approximate BOOLEAN, reasons JSON""",
    "entities": """id VARCHAR PRIMARY KEY, kind VARCHAR, name VARCHAR, country VARCHAR, kb_id VARCHAR, type VARCHAR,
        aliases VARCHAR[], documents INTEGER, mentions INTEGER""",
    "events": """id VARCHAR PRIMARY KEY, type VARCHAR, mode VARCHAR, subtype VARCHAR, date_value VARCHAR,
        date_precision VARCHAR, location VARCHAR, location_country VARCHAR, object VARCHAR, negated BOOLEAN,
        hypothetical BOOLEAN, context VARCHAR[], confidence DOUBLE, sources INTEGER, documents INTEGER,
        first_published DATE""",
    "event_participants": "event VARCHAR, entity VARCHAR, role VARCHAR, country VARCHAR",
    "corrections": """id VARCHAR PRIMARY KEY, kind VARCHAR, target JSON, old JSON, new JSON, reason VARCHAR,
        created_at VARCHAR, author VARCHAR""",
    # What the merge made of the corrections: each one's status, and the corrected records.
    "correction_status": "correction VARCHAR, status VARCHAR, reason VARCHAR",
    "rejected": "record_type VARCHAR, doc VARCHAR, record VARCHAR",  # 'event' or 'entity', by the document's id
    "event_overrides": """doc VARCHAR, local_id VARCHAR, type VARCHAR, retyped BOOLEAN, date_value VARCHAR,
        date_precision VARCHAR, date_approximate BOOLEAN, redated BOOLEAN, redirected BOOLEAN""",
    "event_sides": """doc VARCHAR, record_type VARCHAR, record VARCHAR, relation VARCHAR, position INTEGER,
        entity_local VARCHAR, entity VARCHAR""",  # the actors and recipients of redirected events
}

# Scratch tables of the merge, created in its transaction and dropped before it commits.
TEMP_TABLES: dict[str, str] = {
    "entity_forms": "form VARCHAR, entity VARCHAR",
    "canon": "id VARCHAR, kind VARCHAR, name VARCHAR, country VARCHAR, kb_id VARCHAR, type VARCHAR",
    "event_map": "doc VARCHAR, local_id VARCHAR, event VARCHAR",
    "source_keys": "n INTEGER, grp INTEGER, doc VARCHAR, char_start INTEGER, char_end INTEGER, type VARCHAR",
}

# Tables holding one document's records: what replacing or removing a document deletes.
DOCUMENT_TABLES = ("document_entities", "mentions", "roles", "record_entities", "event_sources", "quantities",
                   "quotes", "absences", "dates")  # fmt: skip

VIEWS: dict[str, str] = {
    # Every document's events as corrected: rejected ones left out, type and date as the analyst set them.
    "event_facts": """
        SELECT s.* REPLACE (
                   CASE WHEN o.retyped THEN o.type ELSE s.type END AS type,
                   CASE WHEN o.retyped THEN NULL ELSE s.mode END AS mode,
                   CASE WHEN o.redated THEN o.date_value ELSE s.date_value END AS date_value,
                   CASE WHEN o.redated THEN o.date_precision ELSE s.date_precision END AS date_precision,
                   CASE WHEN o.redated THEN o.date_approximate ELSE s.date_approximate END AS date_approximate,
                   CASE WHEN o.redated THEN NULL ELSE s.date_start END AS date_start,
                   CASE WHEN o.redated THEN NULL ELSE s.date_end END AS date_end)
        FROM event_sources s LEFT JOIN event_overrides o ON o.doc = s.doc AND o.local_id = s.local_id
        WHERE NOT EXISTS (SELECT 1 FROM rejected r
                          WHERE r.record_type = 'event' AND r.doc = s.doc AND r.record = s.local_id)""",
    # Every record's entities as corrected: none of rejected events or entities, redirected events' new sides.
    "record_links": """
        SELECT l.* FROM record_entities l
        WHERE NOT EXISTS (SELECT 1 FROM rejected r WHERE r.doc = l.doc
                          AND ((r.record_type = 'entity' AND r.record = l.entity_local)
                               OR (r.record_type = 'event' AND l.record_type = 'event' AND r.record = l.record)))
          AND NOT (l.record_type = 'event' AND l.relation IN ('actor', 'recipient') AND EXISTS (
                   SELECT 1 FROM event_overrides o WHERE o.redirected AND o.doc = l.doc AND o.local_id = l.record))
        UNION ALL SELECT * FROM event_sides""",
    # Which document and span supports which record: the evidence of every stored fact.
    "sources": """
        SELECT 'mention' AS record_type, entity AS record_id, doc, char_start, char_end, text FROM mentions
        UNION ALL SELECT 'role', entity, doc, char_start, char_end, title FROM roles
        UNION ALL SELECT 'event', event, doc, trigger_start, trigger_end, trigger_text FROM event_facts
        UNION ALL SELECT 'quantity', doc || '/' || local_id, doc, char_start, char_end, text FROM quantities
        UNION ALL SELECT 'quote', doc || '/' || local_id, doc, char_start, char_end, text FROM quotes
        UNION ALL SELECT 'absence', doc || '/' || local_id, doc, char_start, char_end, text FROM absences
        UNION ALL SELECT 'date', doc || '/' || local_id, doc, char_start, char_end, text FROM dates""",
}

# The per-document tables that corrections amend, and the views that read them as corrected.
CORRECTED_VIEWS = {"event_sources": "event_facts", "record_entities": "record_links"}


def public_tables() -> list[tuple[str, str]]:
    """(name, what to read) for every table and view shown to a user (counts, exports): the amended tables read
    through their corrected views, those views not shown again."""
    names = [t for t in TABLES if t != "schema_info"] + [v for v in VIEWS if v not in CORRECTED_VIEWS.values()]
    return [(name, CORRECTED_VIEWS.get(name, name)) for name in names]


# Non-additive changes, keyed by the version they migrate to; added tables and columns need no entry.
MIGRATIONS: dict[int, tuple[str, ...]] = {}


class StoreError(Exception):
    """A database that cannot be used, with a one-line reason naming the file."""


def _reason(path: str, exc: Exception) -> str:
    text = str(exc)
    if "Could not set lock" in text:
        return f"{path}: locked by another process{_lock_holder(text)}; wait for it to finish or use another --db"
    wal = re.search(r'replaying WAL file "([^"]+)"', text)
    if wal:  # the log of recent writes is damaged, not the database file: name the log
        why = "corrupt" if "Corrupt" in text or "checksum" in text.lower() else text.splitlines()[0]
        return (f"{wal[1]}: the write-ahead log of {path} cannot be replayed ({why}); {path} itself was not read as "
                f"damaged: moving {os.path.basename(wal[1])} aside opens the store as of its last checkpoint, "
                "without the writes in that log")  # fmt: skip
    if "not a valid DuckDB database" in text or "Corrupt" in text or "checksum" in text.lower():
        return f"{path}: not a readable DuckDB database (corrupt, or another kind of file)"
    for marker, why in (("Permission denied", "permission denied"), ("Read-only file system", "read-only file system"),
                        ("No such file or directory", "its directory does not exist"),
                        ("Not a directory", "its directory is not a directory"),
                        ("No space left", "disk full"), ("File too large", "file size limit reached")):  # fmt: skip
        if marker in text:
            named = re.search(r'file "([^"]+)"', text)  # the file at fault: the database, its .wal, a temporary file
            at_fault = named[1] if named and os.path.basename(named[1]) != os.path.basename(path) else path
            return f"{at_fault}: cannot be written ({why})"
    first = text.splitlines()[0] if text else type(exc).__name__
    return f"{path}: {first}"


def _lock_holder(text: str) -> str:
    """Who holds the lock, as far as DuckDB says: " (PID 123: detente ingest …)", or ""."""
    found = re.search(r"Conflicting lock is held in (.*?) \(PID (\d+)\)", text)
    if not found:
        return ""
    program, pid = found[1], found[2]
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            args = [a.decode("utf-8", "replace") for a in fh.read().split(b"\0") if a]
    except OSError:
        args = []
    detente = next((i for i, a in enumerate(args) if os.path.basename(a) == "detente" or a == "detente.cli"), None)
    if detente is not None:
        program = " ".join(["detente", *args[detente + 1 : detente + 2]])
    elif args:
        program = os.path.basename(args[0])
    else:
        program = os.path.basename(program)
    return f" (PID {pid}: {escape_controls(program)})"


def store_error(path: str, exc: Exception) -> StoreError:
    """A `StoreError` with the one-line reason for a DuckDB or OS failure on `path`."""
    return StoreError(_reason(path, exc))


def connect(path: str, read_only: bool = False, config: dict | None = None,
            lock_wait: float | None = None) -> duckdb.DuckDBPyConnection:  # fmt: skip
    """A connection to the store at `path`, created or migrated in place; read-only ones must exist (an older
    store is migrated first, when its file can be written). `config` is DuckDB configuration set as it opens
    (a read-only connection for SQL someone else wrote: `sandbox.sandbox_config()`). A file locked by another
    process is tried again for `lock_wait` seconds (default `LOCK_WAIT_SECONDS`) before the failure names who
    holds it."""
    if read_only and not os.path.exists(path):
        raise StoreError(f"{path}: no such database (create it with `detente ingest PATH --db {path}`)")
    if os.path.isdir(path):
        raise StoreError(f"{path}: is a directory, not a database file")
    con = _open(path, read_only, config, lock_wait)
    try:
        version = _version(con)
        if version is not None and version > SCHEMA_VERSION:
            raise StoreError(f"{path}: written by a newer détente (schema {version}, this one reads {SCHEMA_VERSION})")
        if version is None and (read_only or con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()[0]):
            raise StoreError(f"{path}: a DuckDB database, but not a détente store (no schema_info table)")
        if read_only and version < SCHEMA_VERSION:
            con.close()
            _upgrade(path, version)
            return connect(path, read_only=True, config=config, lock_wait=lock_wait)
        if not read_only:
            con.execute(f"SET memory_limit = '{WRITE_MEMORY_LIMIT}'")
            migrate(con, version)
    except duckdb.Error as exc:
        con.close()
        raise store_error(path, exc) from None
    except StoreError:
        con.close()
        raise
    return con


def _open(path: str, read_only: bool, config: dict | None, lock_wait: float | None) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + (LOCK_WAIT_SECONDS if lock_wait is None else lock_wait)
    while True:
        try:
            return duckdb.connect(path, read_only=read_only, config=config or {})
        except (duckdb.Error, OSError) as exc:
            # Another process holds the file, or this one has it open read-only while a write is asked for (or the
            # reverse: DuckDB opens a file once per process): both last as long as a command or a request.
            if not any(m in str(exc) for m in BUSY) or time.monotonic() >= deadline:
                raise store_error(path, exc) from None
        time.sleep(LOCK_POLL_SECONDS)


def _upgrade(path: str, version: int) -> None:
    """Migrate an older store in place for a reader, or say in one line how to."""
    try:
        connect(path).close()
    except StoreError as exc:
        why = str(exc).removeprefix(f"{path}: ")
        raise StoreError(f"{path}: written by an older détente (schema {version}; this one reads {SCHEMA_VERSION}) "
                         f"and upgrading it failed: {why}; run `detente ingest PATH --db {path}` where the file can "
                         "be written to upgrade it") from None  # fmt: skip


def _version(con: duckdb.DuckDBPyConnection) -> int | None:
    found = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_info'").fetchone()
    if not found[0]:
        return None
    row = con.execute("SELECT value FROM schema_info WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()
    return {r[0] for r in rows}


def migrate(con: duckdb.DuckDBPyConnection, version: int | None) -> None:
    """Bring the schema to `SCHEMA_VERSION` in place: create missing tables and columns, run migrations."""
    if version == SCHEMA_VERSION:
        return
    con.execute("BEGIN")
    try:
        for target in sorted(MIGRATIONS):
            if version is not None and version < target:
                for sql in MIGRATIONS[target]:
                    con.execute(sql)
        for table, columns in TABLES.items():
            con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
            have = _columns(con, table)
            for col in _split_columns(columns):
                name = col.split()[0]
                if name not in have:
                    con.execute(f"ALTER TABLE {table} ADD COLUMN {col.replace(' PRIMARY KEY', '')}")
        for view, sql in VIEWS.items():
            con.execute(f"CREATE OR REPLACE VIEW {view} AS {sql}")
        con.execute(
            "INSERT OR REPLACE INTO schema_info VALUES ('schema_version', ?)",
            [str(SCHEMA_VERSION)],
        )
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction; a connection already invalidated by an I/O failure has none."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def _split_columns(columns: str) -> list[str]:
    return [" ".join(c.split()) for c in columns.split(",")]


@functools.cache
def column_types(table: str) -> tuple[str, ...]:
    """The types of a table's columns, in order (temporary tables of the merge included)."""
    return tuple(c.split()[1] for c in _split_columns(TABLES.get(table) or TEMP_TABLES[table]))
