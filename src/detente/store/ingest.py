"""Writing extracted documents into the store: whole documents, each batch in one transaction.

A document is keyed on its text hash and the extractor version (the package
version and a fingerprint of the extraction code and data): the same text is
stored once, a changed extractor re-extracts it, and a changed text under the
same identity (URL, external id or file path) replaces the old version's
records. Canonical ids are left to `merge`; until it runs, rows carry the
document's own entity ids.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable

import duckdb

from ..documents import Document
from ..schema import Certainty, Disclosure, DocumentResult, Event, Quantity, Quote, to_json
from .schema import DOCUMENT_TABLES, column_types, rollback

JSONL_LINE = re.compile(r"\.jsonl:\d+$")


def text_hash(text: str) -> str:
    """The document id: hex SHA-256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def identity(document: Document) -> str | None:
    """What names the same article across versions: a URL, else an external id, else a file path."""
    source = document.source
    if "://" in source:
        return source
    if document.external_id:
        return f"id:{document.external_id}"
    if source == "-" or JSONL_LINE.search(source):
        return None
    return source


def is_stored(con: duckdb.DuckDBPyConnection, text: str, version: str) -> bool:
    """Whether this exact text is already stored by this extractor version."""
    return stored_source(con, text, version) is not None


def stored_source(con: duckdb.DuckDBPyConnection, text: str, version: str) -> str | None:
    """The source of this exact text when it is already stored by this extractor version, else None."""
    row = con.execute("SELECT extractor_version, source FROM documents WHERE id = ?", [text_hash(text)]).fetchone()
    return row[1] if row is not None and row[0] == version else None


def merge_metadata(con: duckdb.DuckDBPyConnection, later: list[tuple]) -> tuple[set[str], list[Document]]:
    """Merge the metadata of later inputs, `(text hash, external id, title, published, …)`, into the stored
    documents with their text, in one transaction: a field the stored document lacks is filled, a known one is
    never replaced (a later input without a date leaves the stored date as it is).

    Returns the ids of the documents found, and the documents whose publication date would be filled, with the
    stored text and the merged metadata: relative dates are counted from it, so they are extracted again and
    their stored rows are left as they are here.
    """
    ids = list(dict.fromkeys(key for key, *_ in later))
    rows = con.execute(
        "SELECT id, source, external_id, title, published, text FROM documents "
        "WHERE id IN (SELECT unnest(?::VARCHAR[]))",
        [ids],
    ).fetchall()
    stored = {r[0]: Document(text=r[5], source=r[1], external_id=r[2] or None, title=r[3] or None, published=r[4])
              for r in rows}  # fmt: skip
    before = {i: (d.external_id, d.title) for i, d in stored.items()}
    dated: set[str] = set()
    for key, external_id, title, published, *_ in later:
        merged = stored.get(key)
        if merged is None:
            continue
        merged.external_id = merged.external_id or external_id
        merged.title = merged.title or title
        if merged.published is None and published is not None:
            merged.published = published
            dated.add(key)
    updates = [(d.external_id, d.title, i) for i, d in stored.items()
               if i not in dated and (d.external_id, d.title) != before[i]]  # fmt: skip
    if updates:
        con.execute("BEGIN")
        try:
            con.executemany("UPDATE documents SET external_id = ?, title = ? WHERE id = ?", updates)
            con.execute("COMMIT")
        except BaseException:
            rollback(con)
            raise
    return set(stored), [d for i, d in stored.items() if i in dated]


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Insert `rows` in one statement (columns passed as typed lists and unnested: fast for many rows)."""
    if not rows:
        return
    columns = ", ".join(f"unnest(?::{t}[])" for t in column_types(table))
    con.execute(f"INSERT INTO {table} SELECT {columns}", [list(c) for c in zip(*rows, strict=True)])


def _json(value) -> str | None:
    return None if value is None else json.dumps(to_json(value), ensure_ascii=False)


def _links(doc: str, record_type: str, record: str, relation: str, ids: Iterable[str | None]) -> list[tuple]:
    return [(doc, record_type, record, relation, i, e, e) for i, e in enumerate(ids) if e]


def _event_row(doc: str, ev: Event) -> tuple:
    d, loc, obj = ev.date, ev.location, ev.object
    return (
        doc, ev.id, None, ev.type, ev.mode, ev.subtype,
        d and d.value, d and d.precision, d and d.approximate, d and d.start, d and d.end,
        loc and loc.name, loc and loc.country, obj and obj.text,
        ev.trigger.text, ev.trigger.start, ev.trigger.end, ev.sentence.start, ev.sentence.end,
        _json(ev.evidence), ev.negated, ev.hypothetical, ev.context, ev.confidence, ev.quantities, _json(ev.reasons),
        *_certainty(ev.certainty), *_disclosure(ev.disclosure),
    )  # fmt: skip


def _certainty(c: Certainty | None) -> tuple:
    cue = c and c.cue
    return c and c.value, cue and cue.start, cue and cue.end


def _disclosure(d: Disclosure | None) -> tuple:
    return (d.value, d.precision, d.start, d.end) if d else (None,) * 4


def _event_links(doc: str, ev: Event) -> list[tuple]:
    return [
        *_links(doc, "event", ev.id, "actor", ev.actors),
        *_links(doc, "event", ev.id, "recipient", ev.recipients),
        *_links(doc, "event", ev.id, "attendee", ev.attendees),
        *_links(doc, "event", ev.id, "asserted_by", [ev.asserted_by]),
        *_links(doc, "event", ev.id, "location", [ev.location and ev.location.entity]),
        *_links(doc, "event", ev.id, "object", [ev.object and ev.object.entity]),
    ]


def _quantity_links(doc: str, q: Quantity) -> list[tuple]:
    return [
        *_links(doc, "quantity", q.id, "about", q.entities),
        *_links(doc, "quantity", q.id, "from", [q.from_]),
        *_links(doc, "quantity", q.id, "to", [q.to]),
        *_links(doc, "quantity", q.id, "asserted_by", [q.asserted_by]),
    ]


def _quote_row(doc: str, u: Quote) -> tuple:
    return (doc, u.id, u.speaker, u.speaker, u.speaker_text, u.text, u.start, u.end, _json(u.parts), u.direct, u.cue,
            _json(u.reasons))  # fmt: skip


def _form(kind: str, local_id: str, name: str, kb_id: str | None) -> str:
    """What makes two documents' entities the same before cross-document merging."""
    if kind == "state":
        return local_id
    return kb_id or f"{kind}|{name}"


def document_rows(result: DocumentResult, document: Document) -> dict[str, list[tuple]]:
    """The rows of every per-document table for one document."""
    meta, text = result.document, document.text
    doc, ents = meta.id, result.entities
    return {
        "documents": [(doc, meta.extractor.version, meta.extractor.model, meta.external_id, identity(document),
                       meta.source, meta.title, meta.published, meta.language, meta.length, _json(meta.sections),
                       text)],
        "document_entities": [(doc, e.id, _form(e.kind, e.id, e.name, e.kb_id), e.id, e.kind, e.name, e.country,
                               e.kb_id, e.type, e.aliases, _json(e.reasons)) for e in ents],
        "mentions": [(doc, e.id, e.id, m.start, m.end, text[m.start : m.end]) for e in ents for m in e.mentions],
        "roles": [(doc, e.id, e.id, r.title, r.organization, r.sector, r.former, r.as_of, meta.published, r.start,
                   r.end) for e in ents for r in e.roles],
        "event_sources": [_event_row(doc, ev) for ev in result.events],
        "quantities": [(doc, q.id, q.measure, q.value, q.unit, q.qualifier, q.text, q.start, q.end, q.period,
                        q.status, _json(q.reasons), *_certainty(q.certainty)) for q in result.quantities],
        "absences": [(doc, a.id, a.text, a.start, a.end, a.sentence.start, a.sentence.end, a.what, a.negated_event)
                     for a in result.absences],
        "quotes": [_quote_row(doc, u) for u in result.quotes],
        "dates": [(doc, d.id, d.text, d.start, d.end, d.value, d.precision, d.approximate, _json(d.reasons))
                  for d in result.dates],
        "record_entities": [
            *(link for ev in result.events for link in _event_links(doc, ev)),
            *(link for q in result.quantities for link in _quantity_links(doc, q)),
            *(link for u in result.quotes for link in _links(doc, "quote", u.id, "speaker", u.speakers)),
            *(link for a in result.absences for link in _links(doc, "absence", a.id, "about", a.entities)),
        ],
    }  # fmt: skip


def _latest(items: list[tuple[Document, DocumentResult]]) -> list[tuple[Document, DocumentResult]]:
    """The items a one-by-one write would leave: each replaced by any later one with its text or identity."""
    keep, texts, identities = [], set(), set()
    for document, result in reversed(items):
        ident = identity(document)
        if result.document.id not in texts and (ident is None or ident not in identities):
            keep.append((document, result))
        texts.add(result.document.id)
        identities.add(ident)
    return keep[::-1]


def write_results(
    con: duckdb.DuckDBPyConnection, items: list[tuple[Document, DocumentResult]], mark_pending: bool = True
) -> None:
    """Store documents in one transaction, each replacing any older version of the same text or article.

    A batch is stored whole or not at all, so a document is never stored in part. The transaction also
    marks the merges as pending (needless when an earlier write of this run did).
    """
    items = _latest(items)
    tables: dict[str, list[tuple]] = {}
    for document, result in items:
        for table, rows in document_rows(result, document).items():
            tables.setdefault(table, []).extend(rows)
    con.execute("BEGIN")
    try:
        old = con.execute(
            "SELECT id FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[])) "
            "OR identity IN (SELECT unnest(?::VARCHAR[]))",
            [[r.document.id for _, r in items], [i for i in (identity(d) for d, _ in items) if i]],
        ).fetchall()
        if old:
            for table in (*DOCUMENT_TABLES, "documents"):
                key = "id" if table == "documents" else "doc"
                con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT unnest(?::VARCHAR[]))", [[o for (o,) in old]])
        for table, rows in tables.items():
            insert_rows(con, table, rows)
        if mark_pending:
            con.execute("INSERT OR REPLACE INTO schema_info VALUES ('merge_pending', 'yes')")
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise


def write_result(con: duckdb.DuckDBPyConnection, result: DocumentResult, document: Document) -> None:
    """Store one document in its own transaction."""
    write_results(con, [(document, result)])
