"""Every read of the store the analysis makes: all its SQL is here, so a schema change is adapted in one place.

Works on a merged store (canonical `entities` and `event_sources.event`) and
on one whose documents are not merged yet (each row's own entity ids, one
event per document's record). An entity's side is the canonical entity's
`country`, else the document's.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from ..resolve.counterparts import REASON as INFERRED
from ..schema import StatedFigure
from ..store.merge import merge_pending
from ..store.sandbox import sandbox_config
from ..store.schema import connect, store_error
from .config import config

READ_TABLES = ("documents", "document_entities", "entities", "mentions", "roles", "record_links", "event_facts",
               "quantities", "quotes", "rejected")  # fmt: skip

# Entities as each document names them, with the canonical name and side when merged; rejected ones left out.
_ENTITIES = """
    ent AS (SELECT de.doc, de.local_id, coalesce(de.entity, de.local_id) AS entity, de.kind,
                   coalesce(c.name, de.name) AS name, coalesce(c.country, de.country) AS country, de.type AS type
            FROM document_entities de LEFT JOIN entities c ON c.id = de.entity
            WHERE NOT EXISTS (SELECT 1 FROM rejected r
                              WHERE r.record_type = 'entity' AND r.doc = de.doc AND r.record = de.local_id))"""

# The links of records of one type to their entities, with their sides.
_LINKS = """
    link AS (SELECT r.doc, r.record, r.relation, r.position, e.entity, e.kind, e.name, e.country, e.type
             FROM record_links r JOIN ent e ON e.doc = r.doc AND e.local_id = r.entity_local
             WHERE r.record_type = $record_type)"""

# A record's parties as rows in the order of `Participant`'s fields.
_PARTICIPANTS = "list(row(l.entity, l.name, l.kind, l.country, l.relation, l.type) ORDER BY l.relation, l.position)"


@dataclass(slots=True)
class Participant:
    entity: str
    name: str
    kind: str
    country: str | None
    relation: str  # actor | recipient | attendee | asserted_by | location | object | about | from | to | speaker
    type: str | None = None  # an organization's type (media, company, …)


@dataclass(slots=True)
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
    inferred: bool = False  # its other side is the state of the article's pair that its sentence does not name


@dataclass(kw_only=True)
class QuantityRow(StatedFigure):
    """A stored figure (`id` is its document's local id) with its document and participants."""

    key: str  # doc/id
    doc: str
    published: dt.date | None
    participants: list[Participant]


@dataclass(slots=True)
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


@dataclass(slots=True)
class MentionRow:
    doc: str
    entity: str
    name: str
    kind: str
    country: str
    start: int
    end: int


@dataclass(slots=True)
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


# The figures of the records in `hits` (doc, record), with their participants and document date.
_FIGURES_OF_HITS = f"""parts AS (SELECT l.doc, l.record, {_PARTICIPANTS} AS participants
                  FROM link l JOIN hits h ON h.doc = l.doc AND h.record = l.record GROUP BY l.doc, l.record)
        SELECT q.doc || '/' || q.local_id, q.doc, q.local_id, q.measure, q.value, q.unit, q.qualifier, q.text,
               q.char_start, q.char_end, q.period, q.status, d.published, p.participants
        FROM quantities q JOIN hits h ON h.doc = q.doc AND h.record = q.local_id
        LEFT JOIN parts p ON p.doc = q.doc AND p.record = q.local_id
        JOIN documents d ON d.id = q.doc
        ORDER BY q.doc, q.char_start"""


def open_store(path: str) -> duckdb.DuckDBPyConnection:
    """A read-only, sandboxed connection to an existing store; `StoreError` with a one-line reason otherwise."""
    con = connect(path, read_only=True, config=sandbox_config())
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


def _participants(values, known: dict[tuple, Participant]) -> list[Participant]:
    """The parties of one record (`_PARTICIPANTS`), one object per distinct party kept in `known` by the caller: a
    busy pair's records name the same few parties thousands of times."""
    return [known.get(v) or known.setdefault(v, Participant(*v)) for v in values or ()]


def events_between(con: duckdb.DuckDBPyConnection, a: str, b: str) -> list[EventRow]:
    """Every document's event with a participant of side `a` and one of side `b` among its actors and recipients."""
    rows = con.execute(
        f"""
        WITH {_ENTITIES},
        hits AS (SELECT r.doc, r.record FROM record_links r JOIN ent e ON e.doc = r.doc AND e.local_id = r.entity_local
                 WHERE r.record_type = 'event' AND r.relation IN ('actor', 'recipient') AND e.country IN ($a, $b)
                 GROUP BY r.doc, r.record HAVING count(DISTINCT e.country) = 2),
        link AS (SELECT r.doc, r.record, r.relation, r.position, e.entity, e.kind, e.name, e.country, e.type
                 FROM record_links r SEMI JOIN hits h ON h.doc = r.doc AND h.record = r.record
                 JOIN ent e ON e.doc = r.doc AND e.local_id = r.entity_local WHERE r.record_type = 'event'),
        parts AS (SELECT l.doc, l.record, {_PARTICIPANTS} AS participants FROM link l GROUP BY l.doc, l.record)
        SELECT coalesce(s.event, s.doc || '/' || s.local_id), s.doc, s.local_id, s.type, s.mode, s.subtype,
               s.date_value, s.date_precision, s.date_approximate, s.location, s.object, s.trigger_start,
               s.trigger_end, s.sentence_start, s.sentence_end, s.evidence, s.negated, s.hypothetical, s.confidence,
               coalesce(s.quantities, []), d.published, p.participants,
               coalesce(json_extract_string(s.reasons, '$.counterpart') = $inferred, false)
        FROM event_facts s JOIN parts p ON p.doc = s.doc AND p.record = s.local_id
        JOIN documents d ON d.id = s.doc
        ORDER BY s.doc, s.local_id""",
        {"a": a, "b": b, "inferred": INFERRED},
    ).fetchall()
    out, known = [], {}
    for r in rows:
        evidence = json.loads(r[15]) if r[15] else []
        out.append(EventRow(*r[:15], evidence, bool(r[16]), bool(r[17]), *r[18:21], _participants(r[21], known), r[22]))
    return out


# A figure that flows from or to a third state ("Chinese money to the Philippines") is not the pair's, whoever
# else its sentence names.
_THIRD_END = "coalesce(bool_or(relation IN ('from', 'to') AND country NOT IN ($a, $b)), false)"


def _quantity_rows(rows: list[tuple]) -> list[QuantityRow]:
    known: dict[tuple, Participant] = {}
    return [QuantityRow(*r[2:12], key=r[0], doc=r[1], published=r[12], participants=_participants(r[13], known))
            for r in rows]  # fmt: skip


def quantities_between(con: duckdb.DuckDBPyConnection, a: str, b: str, linked: Iterable[str] = ()) -> list[QuantityRow]:
    """Figures about both sides (by their entities, `from` and `to`), plus those `linked` (doc/local_id) to events."""
    rows = con.execute(
        f"""
        WITH {_ENTITIES}, {_LINKS},
        hits AS (SELECT doc, record FROM link WHERE relation IN ('about', 'from', 'to') GROUP BY doc, record
                 HAVING bool_or(country = $a) AND bool_or(country = $b) AND NOT {_THIRD_END}
                 UNION SELECT split_part(k, '/', 1), split_part(k, '/', 2) FROM unnest($linked::VARCHAR[]) t(k)),
        {_FIGURES_OF_HITS}""",
        {"a": a, "b": b, "record_type": "quantity", "linked": sorted(set(linked))},
    ).fetchall()
    return _quantity_rows(rows)


# Text between two spans that certainly holds a sentence end (`cite`'s): a line break; "!" or "?" before white
# space; or a full stop after a word of two letters or more that is no abbreviation's last word ($stops), before
# white space. Spans start with a word or a number, never with white space, so such an end lies between them.
_APART = """strpos(gap, chr(10)) > 0 OR regexp_matches(gap, '[!?]+["”’)\\]]*\\s')
    OR len(list_filter(regexp_extract_all(gap, '\\s([A-Za-z]{2,})\\.+["”’)\\]]*\\s', 1),
                       lambda w: NOT list_contains($stops::VARCHAR[], w))) > 0"""


def _last_words(abbreviations: Iterable[str]) -> list[str]:
    """The words an abbreviation ends with ("Col" of "Lt.Col"): a full stop after one may not end a sentence."""
    return sorted({re.search(r"[A-Za-z]*$", a).group() for a in abbreviations})


def quantities_of_one_side(con: duckdb.DuckDBPyConnection, a: str, b: str) -> tuple[list[QuantityRow], list[tuple]]:
    """Figures about one side only (by `entities`, `from`, `to`) in documents naming both, that say what they
    measure or count something and may share a sentence with a mention of the other side (none between them and
    the nearest before and after it certainly ends one, `_APART`), and the mentions of the other side in their
    documents as (doc, country, start, end), for telling whether the figure's sentence names it."""
    rows = con.execute(
        f"""
        WITH {_ENTITIES}, {_LINKS},
        pair_docs AS (SELECT doc FROM ent WHERE country IN ($a, $b) GROUP BY doc HAVING count(DISTINCT country) = 2),
        one_side AS (SELECT doc, record, CASE WHEN bool_or(country = $a) THEN $b ELSE $a END AS other
                     FROM link JOIN pair_docs USING (doc) WHERE relation IN ('about', 'from', 'to')
                     GROUP BY doc, record
                     HAVING bool_or(country = $a) <> bool_or(country = $b) AND NOT {_THIRD_END}),
        near AS (SELECT h.doc, h.record, q.char_start, q.char_end,
                        max(m.char_end) FILTER (WHERE m.char_end <= q.char_start) AS before,
                        min(m.char_start) FILTER (WHERE m.char_start >= q.char_end) AS after,
                        bool_or(m.char_end > q.char_start AND m.char_start < q.char_end) AS touching
                 FROM one_side h JOIN quantities q ON q.doc = h.doc AND q.local_id = h.record
                 JOIN mentions m ON m.doc = h.doc
                 JOIN ent e ON e.doc = m.doc AND e.local_id = m.entity_local AND e.country = h.other
                 WHERE q.unit = 'count' OR coalesce(q.measure, '') <> ''
                 GROUP BY ALL),
        hits AS (SELECT n.doc, n.record FROM near n JOIN documents d ON d.id = n.doc
                 WHERE n.touching OR NOT list_bool_and(list_transform(
                     [substring(d.text, n.before + 1, n.char_start - n.before),
                      substring(d.text, n.char_end + 1, n.after - n.char_end)],
                     lambda gap: gap IS NULL OR {_APART}))),
        {_FIGURES_OF_HITS}""",
        {"a": a, "b": b, "record_type": "quantity", "stops": _last_words(config().abbreviations)},
    ).fetchall()
    figures = _quantity_rows(rows)
    wanted = sorted({(f.doc, other_side(f, a, b)) for f in figures})
    mentions = con.execute(
        f"""
        WITH {_ENTITIES}
        SELECT m.doc, e.country, m.char_start, m.char_end
        FROM mentions m JOIN ent e ON e.doc = m.doc AND e.local_id = m.entity_local
        SEMI JOIN (SELECT unnest($docs::VARCHAR[]) AS doc, unnest($sides::VARCHAR[]) AS country) w
             ON w.doc = m.doc AND w.country = e.country""",
        {"docs": [w[0] for w in wanted], "sides": [w[1] for w in wanted]},
    ).fetchall()
    return figures, mentions


def figure_sides(row: QuantityRow) -> set[str | None]:
    """The sides of the entities a figure is about, from or to."""
    return {p.country for p in row.participants if p.relation in ("about", "from", "to")}


def other_side(row: QuantityRow, a: str, b: str) -> str:
    """The side of the pair (`a`, `b`) a figure about one of them is not about."""
    return b if a in figure_sides(row) else a


def quotes_between(
    con: duckdb.DuckDBPyConnection, a: str, b: str, sentences: Iterable[tuple[str, int, int]] = ()
) -> list[QuoteRow]:
    """The quotes about the pair: those touching both sides (speaker's side, entities named inside) or lying in one
    of `sentences` (doc, start, end: the pair's events' sentences), then their speakers' other quotes of the same
    document touching a side (a speaker who speaks of the pair goes on about it)."""
    spans = sorted(set(sentences))
    rows = con.execute(
        f"""
        WITH {_ENTITIES},
        spans AS (SELECT unnest($span_docs::VARCHAR[]) AS doc, unnest($span_starts::INTEGER[]) AS s,
                         unnest($span_ends::INTEGER[]) AS e),
        pair_docs AS (SELECT doc FROM ent WHERE country IN ($a, $b) GROUP BY doc HAVING count(DISTINCT country) = 2
                 UNION SELECT DISTINCT doc FROM spans),
        side AS (SELECT e.* FROM ent e JOIN pair_docs USING (doc) WHERE e.country IN ($a, $b)),
        named AS (SELECT m.doc, m.char_start, m.char_end, e.country FROM mentions m
                  JOIN side e ON e.doc = m.doc AND e.local_id = m.entity_local),
        touch AS (SELECT q.doc, q.local_id, m.country FROM quotes q JOIN pair_docs USING (doc)
                  JOIN named m ON m.doc = q.doc AND m.char_start >= q.char_start AND m.char_end <= q.char_end
                  UNION ALL SELECT q.doc, q.local_id, e.country FROM quotes q
                  JOIN side e ON e.doc = q.doc AND e.local_id = q.speaker_local),
        sides AS (SELECT doc, local_id, list(DISTINCT country ORDER BY country) AS sides FROM touch
                  GROUP BY doc, local_id),
        said AS (SELECT q.doc, q.local_id, q.char_start, q.char_end, e.entity, s.sides
                 FROM quotes q JOIN sides s USING (doc, local_id)
                 LEFT JOIN ent e ON e.doc = q.doc AND e.local_id = q.speaker_local
                 WHERE len(s.sides) = 2 OR q.doc IN (SELECT doc FROM spans)),
        about AS (SELECT doc, local_id, entity FROM said WHERE len(sides) = 2
                  UNION SELECT q.doc, q.local_id, q.entity FROM said q
                  JOIN spans x ON x.doc = q.doc AND x.s < q.char_end AND q.char_start < x.e),
        hits AS (SELECT doc, local_id FROM about
                 UNION SELECT q.doc, q.local_id FROM said q
                 SEMI JOIN (SELECT DISTINCT doc, entity FROM about WHERE entity IS NOT NULL) k USING (doc, entity))
        SELECT q.doc || '/' || q.local_id, q.doc, q.local_id,
               CASE WHEN e.entity IS NOT NULL THEN struct_pack(entity := e.entity, name := e.name, kind := e.kind,
                    country := e.country, relation := 'speaker') END,
               q.speaker_text, q.text, q.char_start, q.char_end,
               CASE WHEN q.parts IS NULL THEN [struct_pack(start := q.char_start, "end" := q.char_end)]
                    ELSE from_json(q.parts, '[{{"start": "INTEGER", "end": "INTEGER"}}]') END,
               q.direct, q.cue, d.published, s.sides
        FROM quotes q JOIN hits h USING (doc, local_id) JOIN sides s USING (doc, local_id)
        LEFT JOIN ent e ON e.doc = q.doc AND e.local_id = q.speaker_local
        JOIN documents d ON d.id = q.doc
        ORDER BY q.doc, q.char_start""",
        {"a": a, "b": b, "span_docs": [x[0] for x in spans], "span_starts": [x[1] for x in spans],
         "span_ends": [x[2] for x in spans]},
    ).fetchall()  # fmt: skip
    return [QuoteRow(r[0], r[1], r[2], Participant(**r[3]) if r[3] else None, *r[4:9], bool(r[9]), *r[10:12],
                     r[12]) for r in rows]  # fmt: skip


# The mentions in $docs of the entities of $sides of $kinds.
_SIDE_MENTIONS = f"""
    WITH {_ENTITIES}
    SELECT m.doc, e.entity, e.name, e.kind, e.country, m.char_start, m.char_end
    FROM mentions m JOIN ent e ON e.doc = m.doc AND e.local_id = m.entity_local
    WHERE m.doc IN (SELECT unnest($docs::VARCHAR[])) AND e.country IN (SELECT unnest($sides::VARCHAR[]))
      AND e.kind IN (SELECT unnest($kinds::VARCHAR[]))"""


def side_mentions(
    con: duckdb.DuckDBPyConnection, docs: Iterable[str], sides: Iterable[str], kinds: Iterable[str]
) -> list[MentionRow]:
    """Mentions of the entities of `sides` of `kinds` (person, organization …) in `docs`, in text order."""
    rows = con.execute(
        f"{_SIDE_MENTIONS} ORDER BY m.doc, m.char_start",
        {"docs": sorted(set(docs)), "sides": sorted(set(sides)), "kinds": sorted(set(kinds))},
    ).fetchall()
    return [MentionRow(*r) for r in rows]


@dataclass
class NamedRow:
    """An entity named in `documents` documents, as its first mention (in document and text order) gives it."""

    entity: str
    name: str
    kind: str
    country: str
    documents: int


def side_entities(
    con: duckdb.DuckDBPyConnection, docs: Iterable[str], sides: Iterable[str], kinds: Iterable[str]
) -> list[NamedRow]:
    """The entities of `sides` of `kinds` mentioned in `docs`, with how many of them name each."""
    rows = con.execute(
        f"""WITH named AS ({_SIDE_MENTIONS})
        SELECT entity, min_by(struct_pack(name, kind, country), struct_pack(doc, char_start)), count(DISTINCT doc)
        FROM named GROUP BY entity ORDER BY entity""",
        {"docs": sorted(set(docs)), "sides": sorted(set(sides)), "kinds": sorted(set(kinds))},
    ).fetchall()
    return [NamedRow(entity, *first.values(), n) for entity, first, n in rows]


_ROLE = "row(coalesce(entity, entity_local), doc, title, organization, sector, coalesce(former, false), as_of, " \
    "published, char_start, char_end)"  # fmt: skip
# A role's place in time: when it held (as of, else its document's date; "~" neither), then document and position.
_ROLE_ORDER = (
    "struct_pack(w := coalesce(nullif(as_of, ''), strftime(published, '%Y-%m-%d'), '~'), d := doc, s := char_start)"
)


@dataclass
class RoleGroup:
    """The stored roles of one entity under one title and sector: the first three and the last in time
    (`_ROLE_ORDER`), and the first naming an organization."""

    first: list[RoleRow]
    last: RoleRow
    organization: RoleRow | None


def roles_of(con: duckdb.DuckDBPyConnection, entities: Iterable[str]) -> list[RoleGroup]:
    """The stored roles of `entities`, one group per entity, title and sector."""
    rows = con.execute(
        f"""
        SELECT min_by({_ROLE}, {_ROLE_ORDER}, 3), max_by({_ROLE}, {_ROLE_ORDER}),
               min_by({_ROLE}, {_ROLE_ORDER}) FILTER (WHERE organization <> '')
        FROM roles WHERE coalesce(entity, entity_local) IN (SELECT unnest($ids::VARCHAR[]))
        GROUP BY coalesce(entity, entity_local), title, sector""",
        {"ids": sorted(set(entities))},
    ).fetchall()
    return [RoleGroup([RoleRow(*r) for r in first], RoleRow(*last), organization and RoleRow(*organization))
            for first, last, organization in rows]  # fmt: skip


def latest_roles(con: duckdb.DuckDBPyConnection, entities: Iterable[str]) -> list[RoleRow]:
    """For each of `entities` and each date of publication, its current (not former) role last given in a
    document of that date (by document and position)."""
    rows = con.execute(
        f"""
        SELECT max_by({_ROLE}, struct_pack(d := doc, s := char_start)) FROM roles
        WHERE coalesce(entity, entity_local) IN (SELECT unnest($ids::VARCHAR[])) AND NOT coalesce(former, false)
        GROUP BY coalesce(entity, entity_local), published""",
        {"ids": sorted(set(entities))},
    ).fetchall()
    return [RoleRow(*r[0]) for r in rows]


def roles_in(con: duckdb.DuckDBPyConnection, entity: str, doc: str) -> list[RoleRow]:
    """The current (not former) roles `doc` gives `entity`."""
    rows = con.execute(
        f"""SELECT {_ROLE} FROM roles
        WHERE coalesce(entity, entity_local) = $entity AND doc = $doc AND NOT coalesce(former, false)""",
        {"entity": entity, "doc": doc},
    ).fetchall()
    return [RoleRow(*r[0]) for r in rows]


def documents(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, DocumentRow]:
    """The stored documents `ids`, with their text."""
    rows = con.execute(
        "SELECT id, title, source, published, text FROM documents WHERE id IN (SELECT unnest($ids::VARCHAR[]))",
        {"ids": sorted(set(ids))},
    ).fetchall()
    return {r[0]: DocumentRow(*r[:4], r[4] or "") for r in rows}


# --- the analyst's reading (analysis/reading.py, analysis/pairs.py) ---

# Columns and table the extraction's reading fields are stored in; read when the store has them (docs/report.md).
EVENT_READING = ("certainty", "certainty_cue_start", "certainty_cue_end", "disclosure_value", "disclosure_precision",
                 "disclosure_start", "disclosure_end")  # fmt: skip
QUANTITY_READING = ("certainty", "certainty_cue_start", "certainty_cue_end")


@dataclass
class ReadingRow:
    """One document's record's certainty (null when not stored) and stated disclosure date."""

    certainty: str | None
    cue_start: int | None
    cue_end: int | None
    disclosure: str | None = None
    disclosure_precision: str | None = None
    disclosure_start: int | None = None
    disclosure_end: int | None = None


@dataclass
class AbsenceRow:
    key: str
    doc: str
    local_id: str
    text: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    what: str
    negated_event: str | None
    published: dt.date | None
    participants: list[Participant]


@dataclass
class NameFormRow:
    """A person written as `form` (not its name) in `documents`; `first` its first three mentions so written, as
    (doc, start, end) in document and text order, with the name, kind, side and knowledge-base id of the first."""

    entity: str
    form: str
    name: str
    kind: str
    country: str | None
    kb_id: str | None
    documents: list[str]
    first: list[tuple[str, int, int]]


def _has_columns(con: duckdb.DuckDBPyConnection, table: str, columns: Iterable[str]) -> bool:
    rows = con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()
    return set(columns) <= {r[0] for r in rows}


def record_reading(
    con: duckdb.DuckDBPyConnection, table: str, keys: Iterable[tuple[str, str]]
) -> dict[tuple, ReadingRow]:
    """The stored certainty (and for events disclosure) of records `keys` (doc, local_id); {} when not stored."""
    columns = EVENT_READING if table == "event_sources" else QUANTITY_READING
    keys = sorted(set(keys))
    if not keys or not _has_columns(con, table, columns):
        return {}
    rows = con.execute(
        f"""SELECT t.doc, t.local_id, {", ".join("t." + c for c in columns)}
        FROM {table} t JOIN (SELECT unnest($docs::VARCHAR[]) AS doc, unnest($ids::VARCHAR[]) AS local_id) k
        USING (doc, local_id)""",
        {"docs": [k[0] for k in keys], "ids": [k[1] for k in keys]},
    ).fetchall()
    return {(r[0], r[1]): ReadingRow(*r[2:]) for r in rows}


def absences_between(con: duckdb.DuckDBPyConnection, a: str, b: str) -> list[AbsenceRow] | None:
    """Stored absences in documents naming both sides that concern either side or name nobody ("no deals were
    announced"); None when the store keeps no absences."""
    if not _has_columns(con, "absences", ("doc", "local_id", "what")):
        return None
    rows = con.execute(
        f"""
        WITH {_ENTITIES}, {_LINKS},
        pair_docs AS (SELECT doc FROM ent WHERE country IN ($a, $b) GROUP BY doc HAVING count(DISTINCT country) = 2),
        parts AS (SELECT l.doc, l.record, {_PARTICIPANTS} AS participants, bool_or(l.country IN ($a, $b)) AS touches
                  FROM link l JOIN pair_docs USING (doc) GROUP BY l.doc, l.record)
        SELECT x.doc || '/' || x.local_id, x.doc, x.local_id, x.text, x.char_start, x.char_end, x.sentence_start,
               x.sentence_end, x.what, x.negated_event, d.published, p.participants
        FROM absences x JOIN pair_docs USING (doc) LEFT JOIN parts p ON p.doc = x.doc AND p.record = x.local_id
        JOIN documents d ON d.id = x.doc
        WHERE p.record IS NULL OR p.touches
        ORDER BY d.published NULLS LAST, x.doc, x.char_start""",
        {"a": a, "b": b, "record_type": "absence"},
    ).fetchall()
    known: dict[tuple, Participant] = {}
    return [AbsenceRow(*r[:11], _participants(r[11], known)) for r in rows]


# The mentions of people in $docs written otherwise than the canonical (merged, else document) name.
_NAME_FORMS = f"""
    WITH {_ENTITIES},
    forms AS (SELECT m.doc, e.entity, e.name, e.kind, e.country, coalesce(c.kb_id, de.kb_id) AS kb_id, m.text AS form,
                     m.char_start, m.char_end
              FROM mentions m JOIN ent e ON e.doc = m.doc AND e.local_id = m.entity_local
              JOIN document_entities de ON de.doc = m.doc AND de.local_id = m.entity_local
              LEFT JOIN entities c ON c.id = de.entity
              WHERE m.doc IN (SELECT unnest($docs::VARCHAR[])) AND e.kind = 'person' AND m.text <> e.name)"""


def name_spellings(con: duckdb.DuckDBPyConnection, docs: Iterable[str]) -> list[tuple[str, str]]:
    """The distinct (text, name) of the mentions of people in `docs` written otherwise than their name."""
    return con.execute(f"{_NAME_FORMS} SELECT DISTINCT form, name FROM forms", {"docs": sorted(set(docs))}).fetchall()


def name_forms(
    con: duckdb.DuckDBPyConnection, docs: Iterable[str], spellings: Iterable[tuple[str, str]]
) -> list[NameFormRow]:
    """The people of `docs` written as one of `spellings` (text, name), one row per person and text."""
    spellings = sorted(set(spellings))
    rows = con.execute(
        f"""{_NAME_FORMS},
        kept AS (SELECT f.* FROM forms f SEMI JOIN (SELECT unnest($forms::VARCHAR[]) AS form,
                                                           unnest($names::VARCHAR[]) AS name) k USING (form, name))
        SELECT entity, form, min_by(struct_pack(name, kind, country, kb_id), struct_pack(doc, char_start)),
               list(DISTINCT doc), min_by(struct_pack(doc, char_start, char_end), struct_pack(doc, char_start), 3)
        FROM kept GROUP BY entity, form ORDER BY entity, form""",
        {"docs": sorted(set(docs)), "forms": [f for f, _ in spellings], "names": [n for _, n in spellings]},
    ).fetchall()
    return [NameFormRow(entity, form, *first.values(), written, [tuple(m.values()) for m in mentions])
            for entity, form, first, written, mentions in rows]  # fmt: skip


def debris(con: duckdb.DuckDBPyConnection, docs: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
    """The debris sections (broken, machine-translated text) of `docs`."""
    rows = con.execute(
        "SELECT id, sections FROM documents WHERE id IN (SELECT unnest($docs::VARCHAR[]))", {"docs": sorted(set(docs))}
    ).fetchall()
    out = {}
    for doc, sections in rows:
        spans = [(s["start"], s["end"]) for s in json.loads(sections or "[]") if s.get("kind") == "debris"]
        if spans:
            out[doc] = spans
    return out


def pair_links(con: duckdb.DuckDBPyConnection, symmetric: Iterable[str]) -> list[tuple]:
    """Every pair of sides linked by events that happened, grouped by way, type, mode and subtype.

    Rows: (x, y, way, type, mode, subtype, events, documents, sample) where `way` is `directed` (x acts on y)
    or `mutual` (x < y act together: `symmetric` subtypes); `sample` is one event's (doc, start, end, text).
    """
    return con.execute(
        f"""
        WITH {_ENTITIES},
        ev AS (SELECT coalesce(event, doc || '/' || local_id) AS key, doc, local_id, type, mode, subtype,
                      trigger_start, trigger_end, trigger_text
               FROM event_facts WHERE NOT coalesce(negated, false) AND NOT coalesce(hypothetical, false)),
        part AS (SELECT DISTINCT ev.key, r.relation, e.country
                 FROM record_links r JOIN ent e ON e.doc = r.doc AND e.local_id = r.entity_local
                 JOIN ev ON ev.doc = r.doc AND ev.local_id = r.record
                 WHERE r.record_type = 'event' AND r.relation IN ('actor', 'recipient') AND e.country IS NOT NULL),
        linked AS (SELECT key FROM part GROUP BY key HAVING count(DISTINCT country) > 1),
        info AS (SELECT key, min(type) AS type, min(mode) AS mode, min(subtype) AS subtype,
                        list_contains($symmetric::VARCHAR[], min(subtype)) AS sym, count(DISTINCT doc) AS docs,
                        min(struct_pack(doc := doc, s := trigger_start, e := trigger_end, t := trigger_text)) AS sample
                 FROM ev SEMI JOIN linked USING (key) GROUP BY key),
        links AS (SELECT a.key, a.country AS x, r.country AS y, 'directed' AS way FROM part a JOIN part r USING (key)
                  JOIN info i USING (key)
                  WHERE NOT i.sym AND a.relation = 'actor' AND r.relation = 'recipient' AND a.country <> r.country
                  UNION SELECT a.key, a.country, r.country, 'mutual' FROM part a JOIN part r USING (key)
                  JOIN info i USING (key) WHERE i.sym AND a.country < r.country)
        SELECT l.x, l.y, l.way, i.type, i.mode, i.subtype, count(*) AS events, sum(i.docs), min(i.sample)
        FROM links l JOIN info i USING (key) GROUP BY ALL""",
        {"symmetric": sorted(set(symmetric))},
    ).fetchall()


def pair_figures(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Figures with a direction between two sides: (from, to, measure, count, sample (doc, start, end, text))."""
    return con.execute(
        f"""
        WITH {_ENTITIES},
        ends AS (SELECT r.doc, r.record, r.relation, e.country FROM record_links r
                 JOIN ent e ON e.doc = r.doc AND e.local_id = r.entity_local
                 WHERE r.record_type = 'quantity' AND r.relation IN ('from', 'to') AND e.country IS NOT NULL)
        SELECT f.country, t.country, q.measure, count(*),
               min(struct_pack(doc := q.doc, s := q.char_start, e := q.char_end, t := q.text))
        FROM ends f JOIN ends t ON t.doc = f.doc AND t.record = f.record AND t.relation = 'to'
        JOIN quantities q ON q.doc = f.doc AND q.local_id = f.record
        WHERE f.relation = 'from' AND f.country <> t.country GROUP BY ALL"""
    ).fetchall()


def pair_documents(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    """How many documents name each pair of sides (x < y) among their events' participants."""
    rows = con.execute(
        f"""
        WITH {_ENTITIES},
        named AS (SELECT DISTINCT doc, entity_local FROM record_links
                  WHERE record_type = 'event' AND relation IN ('actor', 'recipient')),
        sides AS (SELECT DISTINCT r.doc, e.country FROM named r
                  JOIN ent e ON e.doc = r.doc AND e.local_id = r.entity_local WHERE e.country IS NOT NULL)
        SELECT a.country, b.country, count(*) FROM sides a JOIN sides b ON a.doc = b.doc AND a.country < b.country
        GROUP BY ALL"""
    ).fetchall()
    return {(r[0], r[1]): r[2] for r in rows}
