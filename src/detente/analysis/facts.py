"""Every read of the store the analysis makes: all its SQL is here, so a schema change is adapted in one place.

Works on a merged store (canonical `entities` and `event_sources.event`) and
on one whose documents are not merged yet (each row's own entity ids, one
event per document's record). An entity's side is the canonical entity's
`country`, else the document's.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from ..store.merge import merge_pending
from ..store.schema import connect, store_error

READ_TABLES = ("documents", "document_entities", "entities", "mentions", "roles", "record_entities", "event_sources",
               "quantities", "quotes")  # fmt: skip

# Entities as each document names them, with the canonical name and side when merged.
_ENTITIES = """
    ent AS (SELECT de.doc, de.local_id, coalesce(de.entity, de.local_id) AS entity, de.kind,
                   coalesce(c.name, de.name) AS name, coalesce(c.country, de.country) AS country
            FROM document_entities de LEFT JOIN entities c ON c.id = de.entity)"""

# The links of records of one type to their entities, with their sides.
_LINKS = """
    link AS (SELECT r.doc, r.record, r.relation, r.position, e.entity, e.kind, e.name, e.country
             FROM record_entities r JOIN ent e ON e.doc = r.doc AND e.local_id = r.entity_local
             WHERE r.record_type = $record_type)"""

_PARTICIPANTS = "list(struct_pack(entity := l.entity, name := l.name, kind := l.kind, country := l.country, " \
    "relation := l.relation) ORDER BY l.relation, l.position)"  # fmt: skip


@dataclass
class Participant:
    entity: str
    name: str
    kind: str
    country: str | None
    relation: str  # actor | recipient | attendee | asserted_by | location | object | about | from | to | speaker


@dataclass
class EventRow:
    """One document's record of an event between the two sides."""

    key: str  # the canonical event id, else doc/local_id
    doc: str
    local_id: str
    type: str | None
    mode: str | None
    subtype: str | None
    date_value: str | None
    date_precision: str | None
    date_approximate: bool | None
    location: str | None
    object: str | None
    trigger_start: int
    trigger_end: int
    sentence_start: int
    sentence_end: int
    evidence: list[dict]
    negated: bool
    hypothetical: bool
    confidence: float | None
    quantities: list[str]
    published: dt.date | None
    participants: list[Participant]


@dataclass
class QuantityRow:
    key: str  # doc/local_id
    doc: str
    local_id: str
    measure: str | None
    value: float
    unit: str
    qualifier: str | None
    text: str
    start: int
    end: int
    period: str | None
    status: str
    published: dt.date | None
    participants: list[Participant]


@dataclass
class QuoteRow:
    key: str  # doc/local_id
    doc: str
    local_id: str
    speaker: Participant | None
    speaker_text: str | None
    text: str
    start: int
    end: int
    parts: list[dict]
    direct: bool
    cue: str | None
    published: dt.date | None
    sides: list[str]  # the sides the quote touches: its speaker's and those of the entities named in it


@dataclass
class MentionRow:
    doc: str
    entity: str
    name: str
    kind: str
    country: str
    start: int
    end: int


@dataclass
class RoleRow:
    entity: str
    doc: str
    title: str
    organization: str | None
    sector: str
    former: bool
    as_of: str | None
    published: dt.date | None
    start: int
    end: int


@dataclass
class DocumentRow:
    id: str
    title: str | None
    source: str | None
    published: dt.date | None
    text: str


def open_store(path: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to an existing store; `StoreError` with a one-line reason otherwise."""
    con = connect(path, read_only=True)
    try:
        for table in READ_TABLES:
            con.execute(f"SELECT * FROM {table} LIMIT 0")
    except duckdb.Error as exc:
        con.close()
        raise store_error(path, exc) from None
    return con


def is_unmerged(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether documents were stored since the last cross-document merge."""
    return merge_pending(con)


def _participants(values) -> list[Participant]:
    return [Participant(**v) for v in values or ()]


def events_between(con: duckdb.DuckDBPyConnection, a: str, b: str) -> list[EventRow]:
    """Every document's event with a participant of side `a` and one of side `b` among its actors and recipients."""
    rows = con.execute(
        f"""
        WITH {_ENTITIES}, {_LINKS},
        hits AS (SELECT doc, record FROM link WHERE relation IN ('actor', 'recipient') GROUP BY doc, record
                 HAVING bool_or(country = $a) AND bool_or(country = $b)),
        parts AS (SELECT l.doc, l.record, {_PARTICIPANTS} AS participants
                  FROM link l JOIN hits h ON h.doc = l.doc AND h.record = l.record GROUP BY l.doc, l.record)
        SELECT coalesce(s.event, s.doc || '/' || s.local_id), s.doc, s.local_id, s.type, s.mode, s.subtype,
               s.date_value, s.date_precision, s.date_approximate, s.location, s.object, s.trigger_start,
               s.trigger_end, s.sentence_start, s.sentence_end, s.evidence, s.negated, s.hypothetical, s.confidence,
               coalesce(s.quantities, []), d.published, p.participants
        FROM event_sources s JOIN parts p ON p.doc = s.doc AND p.record = s.local_id
        JOIN documents d ON d.id = s.doc
        ORDER BY s.doc, s.local_id""",
        {"a": a, "b": b, "record_type": "event"},
    ).fetchall()
    out = []
    for r in rows:
        evidence = json.loads(r[15]) if r[15] else []
        out.append(EventRow(*r[:15], evidence, bool(r[16]), bool(r[17]), *r[18:21], _participants(r[21])))
    return out


def quantities_between(con: duckdb.DuckDBPyConnection, a: str, b: str, linked: Iterable[str] = ()) -> list[QuantityRow]:
    """Figures about both sides (by their entities, `from` and `to`), plus those `linked` (doc/local_id) to events."""
    rows = con.execute(
        f"""
        WITH {_ENTITIES}, {_LINKS},
        hits AS (SELECT doc, record FROM link WHERE relation IN ('about', 'from', 'to') GROUP BY doc, record
                 HAVING bool_or(country = $a) AND bool_or(country = $b)
                 UNION SELECT split_part(k, '/', 1), split_part(k, '/', 2) FROM unnest($linked::VARCHAR[]) t(k)),
        parts AS (SELECT l.doc, l.record, {_PARTICIPANTS} AS participants
                  FROM link l JOIN hits h ON h.doc = l.doc AND h.record = l.record GROUP BY l.doc, l.record)
        SELECT q.doc || '/' || q.local_id, q.doc, q.local_id, q.measure, q.value, q.unit, q.qualifier, q.text,
               q.char_start, q.char_end, q.period, q.status, d.published, p.participants
        FROM quantities q JOIN hits h ON h.doc = q.doc AND h.record = q.local_id
        LEFT JOIN parts p ON p.doc = q.doc AND p.record = q.local_id
        JOIN documents d ON d.id = q.doc
        ORDER BY q.doc, q.char_start""",
        {"a": a, "b": b, "record_type": "quantity", "linked": sorted(set(linked))},
    ).fetchall()
    return [QuantityRow(*r[:13], _participants(r[13])) for r in rows]


def quotes_between(con: duckdb.DuckDBPyConnection, a: str, b: str, docs: Iterable[str] = ()) -> list[QuoteRow]:
    """Quotes touching both sides (speaker's side, entities named inside), plus every quote touching one in `docs`."""
    rows = con.execute(
        f"""
        WITH {_ENTITIES},
        pair_docs AS (SELECT doc FROM ent WHERE country IN ($a, $b) GROUP BY doc HAVING count(DISTINCT country) = 2
                 UNION SELECT unnest($docs::VARCHAR[])),
        side AS (SELECT e.* FROM ent e JOIN pair_docs USING (doc) WHERE e.country IN ($a, $b)),
        touch AS (SELECT q.doc, q.local_id, e.country FROM quotes q JOIN pair_docs USING (doc)
                  JOIN mentions m ON m.doc = q.doc AND m.char_start >= q.char_start AND m.char_end <= q.char_end
                  JOIN side e ON e.doc = m.doc AND e.local_id = m.entity_local
                  UNION ALL SELECT q.doc, q.local_id, e.country FROM quotes q
                  JOIN side e ON e.doc = q.doc AND e.local_id = q.speaker_local),
        hits AS (SELECT doc, local_id, list(DISTINCT country ORDER BY country) AS sides FROM touch
                 GROUP BY doc, local_id
                 HAVING count(DISTINCT country) = 2 OR doc IN (SELECT unnest($docs::VARCHAR[])))
        SELECT q.doc || '/' || q.local_id, q.doc, q.local_id,
               CASE WHEN e.entity IS NOT NULL THEN struct_pack(entity := e.entity, name := e.name, kind := e.kind,
                    country := e.country, relation := 'speaker') END,
               q.speaker_text, q.text, q.char_start, q.char_end, q.parts, q.direct, q.cue, d.published, h.sides
        FROM quotes q JOIN hits h ON h.doc = q.doc AND h.local_id = q.local_id
        LEFT JOIN ent e ON e.doc = q.doc AND e.local_id = q.speaker_local
        JOIN documents d ON d.id = q.doc
        ORDER BY q.doc, q.char_start""",
        {"a": a, "b": b, "docs": sorted(set(docs))},
    ).fetchall()
    out = []
    for r in rows:
        speaker = Participant(**r[3]) if r[3] else None
        parts = json.loads(r[8]) if r[8] else [{"start": r[6], "end": r[7]}]
        out.append(QuoteRow(r[0], r[1], r[2], speaker, *r[4:8], parts, bool(r[9]), r[10], r[11], list(r[12])))
    return out


def side_mentions(con: duckdb.DuckDBPyConnection, docs: Iterable[str], sides: Iterable[str]) -> list[MentionRow]:
    """Mentions of the people and organizations of `sides` in `docs`, in text order."""
    rows = con.execute(
        f"""
        WITH {_ENTITIES}
        SELECT m.doc, e.entity, e.name, e.kind, e.country, m.char_start, m.char_end
        FROM mentions m JOIN ent e ON e.doc = m.doc AND e.local_id = m.entity_local
        WHERE m.doc IN (SELECT unnest($docs::VARCHAR[])) AND e.country IN (SELECT unnest($sides::VARCHAR[]))
          AND e.kind IN ('person', 'organization')
        ORDER BY m.doc, m.char_start""",
        {"docs": sorted(set(docs)), "sides": sorted(set(sides))},
    ).fetchall()
    return [MentionRow(*r) for r in rows]


def roles_of(con: duckdb.DuckDBPyConnection, entities: Iterable[str]) -> list[RoleRow]:
    """Every stored role of `entities`, oldest document first."""
    rows = con.execute(
        """
        SELECT coalesce(entity, entity_local), doc, title, organization, sector, former, as_of, published,
               char_start, char_end
        FROM roles WHERE coalesce(entity, entity_local) IN (SELECT unnest($ids::VARCHAR[]))
        ORDER BY published NULLS LAST, doc, char_start""",
        {"ids": sorted(set(entities))},
    ).fetchall()
    return [RoleRow(*r[:5], bool(r[5]), *r[6:]) for r in rows]


def documents(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, DocumentRow]:
    """The stored documents `ids`, with their text."""
    rows = con.execute(
        "SELECT id, title, source, published, text FROM documents WHERE id IN (SELECT unnest($ids::VARCHAR[]))",
        {"ids": sorted(set(ids))},
    ).fetchall()
    return {r[0]: DocumentRow(*r[:4], r[4] or "") for r in rows}
