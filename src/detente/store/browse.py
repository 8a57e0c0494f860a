"""Read-only looks at one entity or one document of the store, the latest documents, and a search over them.

Plain dicts and lists in the shapes of the extract contract (a document's records name their entities by id and
point into its text by offsets), for front ends that show the store rather than analyse it. An entity's id is the
canonical one when the store is merged, else the document's own; every text returned is as stored (unescaped).
"""

from __future__ import annotations

import json

import duckdb

# Not an entity an analyst rejected (`de`: a row of `document_entities`).
_KEPT = (
    "NOT EXISTS (SELECT 1 FROM rejected x WHERE x.record_type = 'entity' AND x.doc = de.doc AND x.record = de.local_id)"
)
# A document's entities under the id the rest of the store uses for them, with the merged name and side.
_ENTITIES = f"""
    ent AS (SELECT de.doc, de.local_id, coalesce(de.entity, de.local_id) AS entity, de.kind,
                   coalesce(c.name, de.name) AS name, coalesce(c.country, de.country) AS country
            FROM document_entities de LEFT JOIN entities c ON c.id = de.entity WHERE {_KEPT})"""
# An event's type as extracted (before any correction), by which a correction names it with its span.
_EXTRACTED = """(SELECT coalesce(x.type, x.subtype) FROM event_sources x
                  WHERE x.doc = s.doc AND x.local_id = s.local_id) AS extracted_type"""

SEARCH_LIMIT = 20


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _day(value) -> str | None:
    return value.isoformat() if value is not None else None


def _dated(rows: list[dict], *keys: str) -> list[dict]:
    for row in rows:
        for key in keys:
            row[key] = _day(row[key])
    return rows


def document_count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM documents").fetchone()[0]


def recent_documents(con: duckdb.DuckDBPyConnection, limit: int = 10) -> list[dict]:
    """The documents published last (undated ones after), with their title, address and length."""
    cur = con.execute(
        "SELECT id, title, source, published, length FROM documents ORDER BY published DESC NULLS LAST, id LIMIT ?",
        [limit],
    )
    return _dated(_dicts(cur), "published")


def search(con: duckdb.DuckDBPyConnection, text: str, limit: int = SEARCH_LIMIT) -> dict[str, list[dict]]:
    """Entities whose name or alias, documents whose title, address or text, and events whose trigger, type,
    subtype, object or place contain `text` (case-insensitive), at most `limit` of each."""
    params = {"q": text.strip(), "n": limit}
    entities = _dicts(con.execute(
        """SELECT id, name, kind, country, documents FROM entities
           WHERE contains(lower(name || ' ' || array_to_string(coalesce(aliases, []), ' ')), lower($q))
           ORDER BY documents DESC, id LIMIT $n""", params))  # fmt: skip
    documents = _dated(_dicts(con.execute(
        """SELECT id, title, source, published FROM documents
           WHERE contains(lower(coalesce(title, '')), lower($q)) OR contains(lower(source), lower($q))
                 OR contains(lower(text), lower($q))
           ORDER BY published DESC NULLS LAST, id LIMIT $n""", params)), "published")  # fmt: skip
    events = _dated(_dicts(con.execute(
        """SELECT s.doc, s.local_id, s.type, s.subtype, s.date_value AS date, s.trigger_text AS trigger,
                  s.trigger_start, d.title, d.published
           FROM event_facts s JOIN documents d ON d.id = s.doc
           WHERE contains(lower(s.trigger_text), lower($q)) OR lower(coalesce(s.type, '')) = lower($q)
                 OR contains(lower(coalesce(s.subtype, '')), lower(replace($q, ' ', '_')))
                 OR contains(lower(coalesce(s.object, '')), lower($q))
                 OR contains(lower(coalesce(s.location, '')), lower($q))
           ORDER BY s.date_value DESC NULLS LAST, s.doc, s.trigger_start LIMIT $n""",
        params)), "published")  # fmt: skip
    return {"entities": entities, "documents": documents, "events": events}


def entity(con: duckdb.DuckDBPyConnection, entity_id: str) -> dict | None:
    """The entity `entity_id` (merged, else as its documents name it), or None."""
    rows = _dicts(con.execute(
        "SELECT id, kind, name, country, kb_id, type, aliases, documents, mentions FROM entities WHERE id = ?",
        [entity_id]))  # fmt: skip
    if rows:
        return rows[0]
    rows = _dicts(con.execute(
        f"""SELECT coalesce(entity, local_id) AS id, min(kind) AS kind, min(name) AS name, min(country) AS country,
                  min(kb_id) AS kb_id, min(type) AS type, list_distinct(flatten(list(aliases))) AS aliases,
                  count(DISTINCT doc) AS documents, NULL AS mentions
           FROM document_entities de WHERE coalesce(entity, local_id) = ? AND {_KEPT} GROUP BY ALL""",
        [entity_id]))  # fmt: skip
    return rows[0] if rows else None


def entity_events(con: duckdb.DuckDBPyConnection, entity_id: str, limit: int = 200) -> list[dict]:
    """Each document's event the entity takes part in (as actor, recipient, attendee, …), by date."""
    cur = con.execute(
        f"""
        WITH {_ENTITIES}
        SELECT s.doc, s.local_id, coalesce(s.event, s.doc || '/' || s.local_id) AS event, s.type, s.subtype,
               s.date_value AS date, string_agg(DISTINCT r.relation, ', ') AS relation, s.trigger_text AS trigger,
               s.trigger_start, s.trigger_end, s.sentence_start, s.negated, s.hypothetical, s.confidence,
               substr(d.text, s.sentence_start + 1, s.sentence_end - s.sentence_start) AS sentence,
               d.title, d.published, {_EXTRACTED}
        FROM record_links r JOIN ent e ON e.doc = r.doc AND e.local_id = r.entity_local
        JOIN event_facts s ON s.doc = r.doc AND s.local_id = r.record JOIN documents d ON d.id = s.doc
        WHERE r.record_type = 'event' AND e.entity = ?
        GROUP BY ALL ORDER BY s.date_value NULLS LAST, d.published NULLS LAST, s.doc, s.trigger_start LIMIT ?""",
        [entity_id, limit],
    )
    return _dated(_dicts(cur), "published")


def entity_quotes(con: duckdb.DuckDBPyConnection, entity_id: str, limit: int = 200) -> list[dict]:
    """What the entity is quoted as saying, newest document first."""
    cur = con.execute(
        f"""
        WITH {_ENTITIES}
        SELECT q.doc, q.local_id, q.text, q.direct, q.cue, q.char_start AS start, q.char_end AS "end", d.title,
               d.published
        FROM quotes q JOIN ent e ON e.doc = q.doc AND e.local_id = q.speaker_local JOIN documents d ON d.id = q.doc
        WHERE e.entity = ? ORDER BY d.published DESC NULLS LAST, q.doc, q.char_start LIMIT ?""",
        [entity_id, limit],
    )
    return _dated(_dicts(cur), "published")


def co_actors(con: duckdb.DuckDBPyConnection, entity_id: str, limit: int = 30) -> list[dict]:
    """The entities taking part in the same events as `entity_id`, the most shared events first."""
    cur = con.execute(
        f"""
        WITH {_ENTITIES},
        part AS (SELECT DISTINCT r.doc, r.record, e.entity, e.name, e.kind, e.country
                 FROM record_links r JOIN ent e ON e.doc = r.doc AND e.local_id = r.entity_local
                 WHERE r.record_type = 'event' AND r.relation IN ('actor', 'recipient', 'attendee'))
        SELECT o.entity AS id, min(o.name) AS name, min(o.kind) AS kind, min(o.country) AS country,
               count(*) AS events
        FROM part me JOIN part o ON o.doc = me.doc AND o.record = me.record AND o.entity <> me.entity
        WHERE me.entity = ? GROUP BY o.entity ORDER BY events DESC, o.entity LIMIT ?""",
        [entity_id, limit],
    )
    return _dicts(cur)


def document(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict | None:
    """The stored document `doc_id` with its text and records, as the contract shapes them, or None."""
    rows = _dicts(con.execute(
        """SELECT id, source, external_id, title, published, length, extractor_version, sections, text
           FROM documents WHERE id = ?""", [doc_id]))  # fmt: skip
    if not rows:
        return None
    meta = rows[0]
    text = meta.pop("text") or ""
    meta["published"] = _day(meta["published"])
    meta["sections"] = json.loads(meta["sections"] or "[]")
    return {
        "document": meta,
        "text": text,
        "entities": _document_entities(con, doc_id),
        "events": _document_events(con, doc_id),
        "quantities": _document_quantities(con, doc_id),
        "quotes": _document_quotes(con, doc_id),
        "dates": _document_dates(con, doc_id),
    }


def _document_dates(con: duckdb.DuckDBPyConnection, doc: str) -> list[dict]:
    cur = con.execute(
        """SELECT local_id AS id, text, char_start AS start, char_end AS "end", value, precision, approximate
           FROM dates WHERE doc = ? ORDER BY char_start""",
        [doc],
    )
    return _dicts(cur)


def _document_entities(con: duckdb.DuckDBPyConnection, doc: str) -> list[dict]:
    out = _dicts(con.execute(
        f"""WITH {_ENTITIES}
            SELECT e.local_id, e.entity AS id, e.kind, e.name, e.country,
                   coalesce((SELECT list(struct_pack(start := m.char_start, "end" := m.char_end) ORDER BY m.char_start)
                             FROM mentions m WHERE m.doc = e.doc AND m.entity_local = e.local_id), []) AS mentions,
                   coalesce((SELECT list(struct_pack(title := r.title, sector := r.sector, former := r.former,
                                                     start := r.char_start, "end" := r.char_end) ORDER BY r.char_start)
                             FROM roles r WHERE r.doc = e.doc AND r.entity_local = e.local_id), []) AS roles
            FROM ent e WHERE e.doc = ? ORDER BY e.local_id""", [doc]))  # fmt: skip
    return out


def _links(con: duckdb.DuckDBPyConnection, doc: str, record_type: str) -> dict[str, dict[str, list[str]]]:
    """Each record's entity ids by relation (`actors`, `recipients`, …) in their stored order."""
    rows = con.execute(
        f"""WITH {_ENTITIES}
            SELECT r.record, r.relation, e.entity FROM record_links r
            JOIN ent e ON e.doc = r.doc AND e.local_id = r.entity_local
            WHERE r.doc = ? AND r.record_type = ? ORDER BY r.record, r.relation, r.position""",
        [doc, record_type],
    ).fetchall()
    out: dict[str, dict[str, list[str]]] = {}
    for record, relation, entity_id in rows:
        out.setdefault(record, {}).setdefault(relation, []).append(entity_id)
    return out


def _document_events(con: duckdb.DuckDBPyConnection, doc: str) -> list[dict]:
    links = _links(con, doc, "event")
    rows = _dicts(con.execute(
        f"""SELECT local_id AS id, event, type, mode, subtype, date_value, date_precision, location, object,
                  trigger_text, trigger_start, trigger_end, sentence_start, sentence_end, negated, hypothetical,
                  confidence, certainty, {_EXTRACTED}
           FROM event_facts s WHERE doc = ? ORDER BY trigger_start""", [doc]))  # fmt: skip
    for row in rows:
        parts = links.get(row["id"], {})
        row["actors"], row["recipients"] = parts.get("actor", []), parts.get("recipient", [])
        row["attendees"], row["asserted_by"] = parts.get("attendee", []), parts.get("asserted_by", [])
        row["trigger"] = {"text": row.pop("trigger_text"), "start": row.pop("trigger_start"),
                          "end": row.pop("trigger_end")}  # fmt: skip
        row["sentence"] = {"start": row.pop("sentence_start"), "end": row.pop("sentence_end")}
        row["date"] = {"value": row.pop("date_value"), "precision": row.pop("date_precision")}
    return rows


def _document_quantities(con: duckdb.DuckDBPyConnection, doc: str) -> list[dict]:
    links = _links(con, doc, "quantity")
    rows = _dicts(con.execute(
        """SELECT local_id AS id, measure, value, unit, qualifier, text, char_start AS start, char_end AS "end",
                  period, status FROM quantities WHERE doc = ? ORDER BY char_start""", [doc]))  # fmt: skip
    for row in rows:
        parts = links.get(row["id"], {})
        row["entities"] = parts.get("about", [])
        row["from"], row["to"] = (parts.get("from") or [None])[0], (parts.get("to") or [None])[0]
    return rows


def _document_quotes(con: duckdb.DuckDBPyConnection, doc: str) -> list[dict]:
    rows = _dicts(con.execute(
        f"""WITH {_ENTITIES}
            SELECT q.local_id AS id, e.entity AS speaker, q.speaker_text, q.text, q.char_start AS start,
                   q.char_end AS "end", q.parts, q.direct, q.cue
            FROM quotes q LEFT JOIN ent e ON e.doc = q.doc AND e.local_id = q.speaker_local
            WHERE q.doc = ? ORDER BY q.char_start""", [doc]))  # fmt: skip
    for row in rows:
        row["parts"] = json.loads(row["parts"]) if row["parts"] else [{"start": row["start"], "end": row["end"]}]
    return rows
