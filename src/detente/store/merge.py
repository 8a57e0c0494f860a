"""Cross-document resolution: canonical entities and events, recomputed from every stored document.

The result is a function of the stored documents alone, never of the order
they arrived in or of how many workers extracted them: every choice below is
made over the whole store and broken by counts, then by sorted keys.

Entities: a knowledge-base id wins; states merge by code; other entities by
kind and name, person names folded so that transliterations meet ("Erdoğan" /
"Erdogan", "Zelensky" / "Zelenskyy"); a shorter name ("Erdogan", "Tayyip
Erdogan") joins the one longer name it is part of, when that longer name is
unique and of a compatible country. Events: the same type, participants,
polarity and direction, with dates in the same window (±3 days at day
precision, else the same month, year or decade; undated events between two or
more parties: documents published within ±3 days) are one event with all their
sources.

The analysts' corrections are applied on the way (`corrected`): what they
reject, retype, redate, redirect or merge is so in every canonical table and
in the corrected views of the documents' records (`event_facts`,
`record_links`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import duckdb
import yaml

from ..kb import KnowledgeBase, fold, load_kb, slug
from .corrected import Plan, correct_entities, correct_events, plan, write_status
from .corrections import Correction
from .ingest import insert_rows
from .schema import TEMP_TABLES, rollback

DATA = Path(__file__).parent / "data" / "names.yaml"
DAY_WINDOW = 3
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "decade": 3}
ROLE_ORDER = ("actor", "recipient", "attendee")


@lru_cache(maxsize=1)
def _name_rules() -> tuple[tuple[tuple[re.Pattern, str], ...], frozenset[str]]:
    with open(DATA, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    rules = tuple((re.compile(a), b) for a, b in data["token_rules"])
    return rules, frozenset(data.get("particles") or ())


def person_key(name: str, kb: KnowledgeBase) -> tuple[str, ...]:
    """The words of a person's name as a matching key: folded, leading titles dropped, transliterations met."""
    rules, particles = _name_rules()
    words = [w for w in fold(name).split() if w not in particles]
    if len(words) > 2:
        words = [w for w in words if len(w) > 1] or words
    while len(words) > 1 and (words[0] in kb.title_words or words[0] in kb.demonyms):
        words.pop(0)
    out = []
    for w in words:
        for pattern, repl in rules:
            w = pattern.sub(repl, w)
        out.append(w)
    return tuple(out)


def _kb_people(kb: KnowledgeBase) -> dict[tuple[str, ...], str]:
    """Knowledge-base people by the key of each of their names (a key shared by two people is dropped)."""
    seen: dict[tuple[str, ...], str | None] = {}
    for pid, person in kb.people.items():
        for n in (person.name, *person.aliases):
            key = person_key(n, kb)
            seen[key] = pid if seen.get(key, pid) == pid else None
    return {k: v for k, v in seen.items() if v}


@dataclass
class Node:
    """One canonical entity being built: the forms (document-level identities) merged into it."""

    key: str
    kind: str
    kb_id: str | None = None
    names: Counter = field(default_factory=Counter)
    countries: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)
    forms: list[str] = field(default_factory=list)
    tokens: set[tuple[str, ...]] = field(default_factory=set)

    def add(self, form: str, name: str, country: str | None, type_: str | None, docs: int, kb) -> None:
        self.forms.append(form)
        self.names[name] += docs
        if country:
            self.countries[country] += docs
        if type_:
            self.types[type_] += docs
        if self.kind == "person":
            self.tokens.add(person_key(name, kb))


def _top(counter: Counter) -> str | None:
    return min(counter, key=lambda k: (-counter[k], k)) if counter else None


def _node_key(
    kind: str, form: str, name: str, kb_id: str | None, kb: KnowledgeBase, kb_people: dict
) -> tuple[str, str | None]:
    if kind == "state" or kb_id:
        return form, kb_id
    if kind == "person":
        key = person_key(name, kb)
        pid = kb_people.get(key)
        return (pid, pid) if pid else ("person|" + " ".join(key), None)
    if kind == "organization":
        org = kb.organization(name)
        if org:
            return org.id, org.id
    return f"{kind}|{fold(name)}", None


def _is_part(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether `short` is `long` with words left out, ending on the same word (a surname, a dropped middle name)."""
    if len(short) >= len(long) or short[-1] != long[-1]:
        return False
    it = iter(long)
    return all(w in it for w in short)


def _merge_short_names(nodes: dict[str, Node]) -> dict[str, str]:
    """For each person node named by part of a longer name (or by a name of a knowledge-base person), the one
    node it joins."""
    by_last: dict[str, list[tuple[tuple[str, ...], Node]]] = {}
    by_first: dict[str, list[tuple[tuple[str, ...], Node]]] = {}
    for node in nodes.values():
        if node.kind == "person":
            for t in node.tokens:
                if len(t) > 0:
                    by_last.setdefault(t[-1], []).append((t, node))
                if len(t) > 1:
                    by_first.setdefault(t[0], []).append((t, node))
    memo: dict[str, str] = {}

    def compatible(a: Node, b: Node) -> bool:
        return not a.countries or not b.countries or bool(set(a.countries) & set(b.countries))

    def final(node: Node) -> str:
        if node.key in memo:
            return memo[node.key]
        memo[node.key] = node.key
        if node.kb_id or len(node.tokens) != 1:
            return node.key
        (mine,) = node.tokens
        if not mine:
            return node.key
        targets = {
            final(other)
            for t, other in by_last.get(mine[-1], ())
            if other is not node and (_is_part(mine, t) or (t == mine and other.kb_id)) and compatible(node, other)
        }
        if not targets and len(mine) == 1:  # a family name written first ("Xi" for "Xi Jinping")
            targets = {final(other) for t, other in by_first.get(mine[0], ()) if compatible(node, other)}
        if len(targets) == 1:
            memo[node.key] = targets.pop()
        return memo[node.key]

    return {key: final(node) for key, node in sorted(nodes.items()) if final(node) != key}


def _display_name(node: Node, kb: KnowledgeBase) -> str:
    if node.kind == "state":
        state = kb.states.get(node.key.split(":", 1)[1])
        if state:
            return state.name
    entry = kb.people.get(node.kb_id or "") or kb.organizations.get(node.kb_id or "")
    if entry:
        return entry.name
    return min(node.names, key=lambda n: (-len(n.split()), -node.names[n], n))


def canonical_entities(rows: list[tuple], kb: KnowledgeBase) -> tuple[dict[str, str], list[tuple]]:
    """From (form, kind, name, kb_id, country, type, documents) rows: each form's entity id, and the entities."""
    nodes: dict[str, Node] = {}
    kb_people = _kb_people(kb)
    for form, kind, name, kb_id, country, type_, docs in rows:
        key, node_kb = _node_key(kind, form, name, kb_id, kb, kb_people)
        node = nodes.setdefault(key, Node(key, kind, node_kb))
        node.add(form, name, country, type_, docs, kb)
    for key, target in _merge_short_names(nodes).items():
        into, node = nodes[target], nodes.pop(key)
        into.forms += node.forms
        into.names.update(node.names)
        into.countries.update(node.countries)
        into.tokens |= node.tokens
    used = {n.key for n in nodes.values() if n.kind == "state" or n.kb_id}
    ids: dict[str, str] = {}
    entities = []
    for key in sorted(nodes):
        node = nodes[key]
        name = _display_name(node, kb)
        if node.kind == "state" or node.kb_id:
            eid = node.key
        else:
            base = eid = f"{node.kind}:{slug(name)}"
            n = 1
            while eid in used:
                n += 1
                eid = f"{base}-{n}"
            used.add(eid)
        country = node.key.split(":", 1)[1] if node.kind == "state" else _kb_country(node, kb) or _top(node.countries)
        entities.append((eid, node.kind, name, country, node.kb_id, _top(node.types)))
        ids.update(dict.fromkeys(node.forms, eid))
    return ids, entities


def _kb_country(node: Node, kb: KnowledgeBase) -> str | None:
    entry = kb.people.get(node.kb_id or "") or kb.organizations.get(node.kb_id or "")
    return entry.country if entry else None


def _temp(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({TEMP_TABLES[table]})")
    insert_rows(con, table, rows)


# Tables whose rows name an entity by the document's own id (`local`) and carry the canonical one.
ENTITY_COLUMNS = (("mentions", "entity_local", "entity"), ("roles", "entity_local", "entity"),
                  ("record_entities", "entity_local", "entity"), ("quotes", "speaker_local", "speaker"))  # fmt: skip


def merge_entities(con: duckdb.DuckDBPyConnection, kb: KnowledgeBase, p: Plan) -> None:
    """Recompute canonical entities as corrected and point every stored row at them."""
    rows = con.execute(
        "SELECT form, kind, name, kb_id, country, type, count(DISTINCT doc) FROM document_entities "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    ids, entities, rejected = correct_entities(p, rows, *canonical_entities(rows, kb))
    _temp(con, "entity_forms", sorted(ids.items()))
    con.execute(
        "UPDATE document_entities SET entity = f.entity FROM entity_forms f "
        "WHERE document_entities.form = f.form AND document_entities.entity IS DISTINCT FROM f.entity"
    )
    for table, local, canonical in ENTITY_COLUMNS:
        con.execute(
            f"UPDATE {table} SET {canonical} = de.entity FROM document_entities de "
            f"WHERE {table}.doc = de.doc AND {table}.{local} = de.local_id "
            f"AND {table}.{canonical} IS DISTINCT FROM de.entity"
        )
    _temp(con, "canon", [e for e in entities if e[0] not in rejected])
    con.execute(
        "INSERT INTO rejected SELECT 'entity', doc, local_id FROM document_entities "
        "WHERE entity IN (SELECT unnest(?::VARCHAR[])) ORDER BY doc, local_id",
        [sorted(rejected)],
    )
    con.execute("DELETE FROM entities")
    con.execute("""
        INSERT INTO entities
        WITH names AS (SELECT entity, name AS alias FROM document_entities
                       UNION SELECT entity, unnest(aliases) FROM document_entities),
             docs AS (SELECT entity, count(DISTINCT doc) AS n FROM document_entities GROUP BY entity),
             ments AS (SELECT entity, count(*) AS n FROM mentions GROUP BY entity)
        SELECT c.*, (SELECT list(alias ORDER BY alias) FROM names WHERE names.entity = c.id AND alias <> c.name),
               coalesce(docs.n, 0), coalesce(ments.n, 0)
        FROM canon c LEFT JOIN docs ON docs.entity = c.id LEFT JOIN ments ON ments.entity = c.id
        ORDER BY c.id""")  # fmt: skip
    con.execute("DROP TABLE canon")
    con.execute("DROP TABLE entity_forms")


@dataclass
class Source:
    """One document's event, as clustering sees it."""

    doc: str
    local_id: str
    type: str | None
    subtype: str | None
    mode: str | None
    negated: bool
    hypothetical: bool
    date_value: str | None
    date_precision: str | None
    published: dt.date | None
    location: str | None
    location_country: str | None
    object: str | None
    context: list[str] | None
    confidence: float | None
    actors: list[str]
    recipients: list[str]

    @cached_property
    def signature(self) -> tuple:
        kind = self.type or self.subtype
        return kind, self.negated, self.hypothetical, tuple(sorted(set(self.actors) | set(self.recipients)))

    @cached_property
    def direction(self) -> tuple | None:
        if self.actors and self.recipients:
            return tuple(sorted(self.actors)), tuple(sorted(self.recipients))
        return None

    @cached_property
    def when(self) -> tuple[dt.date, str] | None:
        """The start of the event's date and its precision; for an undated event between two or more parties,
        its document's date."""
        if self.date_value:
            day = _first_day(self.date_value.split("/")[0])
            if day:
                return day, self.date_precision or "day"
            return None
        if self.published and len(self.signature[3]) > 1:  # one actor alone is too weak a key without a date
            return self.published, "published"
        return None

    @cached_property
    def period(self) -> tuple[dt.date, dt.date]:
        """The first and last day the date covers."""
        day, precision = self.when
        if precision == "month":
            return day, (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        if precision == "year":
            return day, day.replace(month=12, day=31)
        if precision == "decade":
            return day.replace(year=day.year // 10 * 10, month=1), dt.date(day.year // 10 * 10 + 9, 12, 31)
        return day, day

    def sort_key(self) -> tuple:
        """Finest precision first, then earliest (undated last), then document order."""
        when = self.when
        rank = PRECISION_RANK.get(when[1], 0) if when else 9
        return rank, when[0] if when else dt.date.max, self.doc, self.local_id


def _first_day(value: str) -> dt.date | None:
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$", value)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None


def same_time(a: Source, b: Source) -> bool:
    """Whether two events' dates fall in one window (undated events: their documents' dates, ±3 days)."""
    wa, wb = a.when, b.when
    if wa is None or wb is None or (wa[1] == "published") != (wb[1] == "published"):
        return False
    (da, pa), (db, pb) = wa, wb
    coarse = max(pa, pb, key=lambda p: PRECISION_RANK.get(p, 0))
    if coarse in ("day", "published"):
        return abs((da - db).days) <= DAY_WINDOW
    if coarse == "month":
        return (da.year, da.month) == (db.year, db.month)
    if coarse == "year":
        return da.year == db.year
    return da.year // 10 == db.year // 10


@dataclass
class _Cluster:
    members: list[Source]
    direction: tuple | None = None
    docs: set[str] = field(default_factory=set)

    def admits(self, s: Source) -> bool:
        return (
            same_time(self.members[0], s)
            and s.doc not in self.docs
            and not (self.direction and s.direction and self.direction != s.direction)
        )

    def add(self, s: Source) -> _Cluster:
        self.members.append(s)
        self.docs.add(s.doc)
        self.direction = self.direction or s.direction
        return self


def cluster_events(sources: list[Source]) -> list[list[Source]]:
    """Group sources reporting the same event, the most precise and earliest (the anchor) first.

    Within one signature, events are taken finest precision first, so a day joins the nearest day within
    the window and a coarser date ("in March") joins the one cluster it fits, or stays apart when it fits
    several: a month never swallows two different meetings.
    """
    groups: dict[tuple, list[Source]] = {}
    for s in sorted(sources, key=Source.sort_key):
        groups.setdefault(s.signature, []).append(s)
    out: list[list[Source]] = []
    window = dt.timedelta(days=DAY_WINDOW)
    for _, members in sorted(groups.items(), key=lambda kv: repr(kv[0])):
        clusters: list[_Cluster] = []
        anchors: list[tuple[dt.date, int]] = []  # each cluster's anchor date, sorted, with its index
        for s in members:
            fits = []
            if s.when:
                first, last = s.period
                lo = bisect.bisect_left(anchors, (first - window, -1))
                hi = bisect.bisect_right(anchors, (last + window, len(clusters)))
                fits = [(abs((day - s.when[0]).days), i) for day, i in anchors[lo:hi] if clusters[i].admits(s)]
            if fits and (s.when[1] in ("day", "published") or len(fits) == 1):
                clusters[min(fits)[1]].add(s)
                continue
            clusters.append(_Cluster([]).add(s))
            if s.when:
                bisect.insort(anchors, (s.when[0], len(clusters) - 1))
        out.extend(c.members for c in clusters)
    return out


def _event_row(cluster: list[Source]) -> tuple:
    anchor = cluster[0]
    eid = "event:" + hashlib.sha256(f"{anchor.doc}/{anchor.local_id}".encode()).hexdigest()[:16]
    dated = anchor if anchor.date_value else None

    def top(attr: str) -> str | None:
        return _top(Counter(getattr(s, attr) for s in cluster if getattr(s, attr)))

    context = sorted({c for s in cluster for c in s.context or ()}) or None
    published = [s.published for s in cluster if s.published]
    return (
        eid, anchor.type, top("mode"), top("subtype"), dated and dated.date_value, dated and dated.date_precision,
        top("location"), top("location_country"), top("object"), anchor.negated, anchor.hypothetical, context,
        max((s.confidence or 0.0) for s in cluster), len(cluster), len({s.doc for s in cluster}),
        min(published, default=None),
    )  # fmt: skip


EVENT_INPUT = """
    CREATE OR REPLACE TEMP TABLE event_input AS
    WITH s AS (
        SELECT s.doc, s.local_id, s.type, s.subtype, s.mode, s.negated, s.hypothetical, s.date_value,
               s.date_precision, d.published, s.location, s.location_country, s.object, s.context, s.confidence,
               coalesce(list(r.entity ORDER BY r.entity) FILTER (WHERE r.relation = 'actor'), []) AS actors,
               coalesce(list(r.entity ORDER BY r.entity) FILTER (WHERE r.relation = 'recipient'), []) AS recipients
        FROM event_facts s JOIN documents d ON d.id = s.doc
        LEFT JOIN record_links r ON r.doc = s.doc AND r.record_type = 'event' AND r.record = s.local_id
        GROUP BY ALL)
    SELECT *, dense_rank() OVER (ORDER BY concat_ws('|', coalesce(type, subtype, ''), negated, hypothetical,
                                 array_to_string(list_sort(list_distinct(actors || recipients)), ' '))) AS grp
    FROM s"""  # grp numbers the signatures: the groups within which events can merge
CHUNK_ROWS = 5_000


def _source_chunks(con: duckdb.DuckDBPyConnection) -> Iterator[list[Source]]:
    """Every document's event, in chunks of whole signature groups (about CHUNK_ROWS each): memory stays flat."""
    con.execute(EVENT_INPUT)
    ranges = con.execute(
        "SELECT min(grp), max(grp) FROM (SELECT grp, sum(count(*)) OVER (ORDER BY grp) // ? AS chunk "
        "FROM event_input GROUP BY grp) GROUP BY chunk ORDER BY chunk",
        [CHUNK_ROWS],
    ).fetchall()
    for lo, hi in ranges:
        rows = con.execute(
            "SELECT * EXCLUDE (grp) FROM event_input WHERE grp BETWEEN ? AND ? ORDER BY doc, local_id", [lo, hi]
        ).fetchall()
        yield [Source(*r) for r in rows]


def _join_events(con: duckdb.DuckDBPyConnection, unions: list[list[tuple[str, str]]]) -> None:
    """Make the canonical events of each group of sources one event, as a `merge_events` correction says."""
    for sources in unions:
        keys = [[d for d, _ in sources], [lid for _, lid in sources]]
        events = [r[0] for r in con.execute(
            "SELECT DISTINCT m.event FROM event_map m JOIN (SELECT unnest(?::VARCHAR[]) AS doc, "
            "unnest(?::VARCHAR[]) AS local_id) k USING (doc, local_id) ORDER BY 1", keys).fetchall()]  # fmt: skip
        if len(events) < 2:
            continue
        rows = con.execute(
            "SELECT i.* EXCLUDE (grp) FROM event_input i JOIN event_map m USING (doc, local_id) "
            "WHERE m.event IN (SELECT unnest(?::VARCHAR[])) ORDER BY i.doc, i.local_id",
            [events],
        ).fetchall()
        joined = _event_row(sorted((Source(*r) for r in rows), key=Source.sort_key))
        con.execute("DELETE FROM events WHERE id IN (SELECT unnest(?::VARCHAR[]))", [events])
        insert_rows(con, "events", [joined])
        con.execute("UPDATE event_map SET event = ? WHERE event IN (SELECT unnest(?::VARCHAR[]))", [joined[0], events])


def merge_events(con: duckdb.DuckDBPyConnection, p: Plan) -> None:
    """Recompute canonical events from every document's events as corrected, with their participants."""
    unions = correct_events(con, p)
    con.execute("DELETE FROM events")
    _temp(con, "event_map", [])
    for sources in _source_chunks(con):
        clusters = cluster_events(sources)
        events = [_event_row(cl) for cl in clusters]
        insert_rows(con, "events", events)
        insert_rows(
            con, "event_map", [(s.doc, s.local_id, ev[0]) for cl, ev in zip(clusters, events, strict=True) for s in cl]
        )
    _join_events(con, unions)
    con.execute("DROP TABLE event_input")
    con.execute(
        "UPDATE event_sources SET event = NULL WHERE event IS NOT NULL AND EXISTS (SELECT 1 FROM rejected r "
        "WHERE r.record_type = 'event' AND r.doc = event_sources.doc AND r.record = event_sources.local_id)"
    )
    con.execute(
        "UPDATE event_sources SET event = m.event FROM event_map m WHERE event_sources.doc = m.doc "
        "AND event_sources.local_id = m.local_id AND event_sources.event IS DISTINCT FROM m.event"
    )
    con.execute("DROP TABLE event_map")
    con.execute("DELETE FROM event_participants")
    order = " ".join(f"WHEN '{r}' THEN {i}" for i, r in enumerate(ROLE_ORDER))
    con.execute(f"""
        INSERT INTO event_participants
        SELECT s.event, r.entity, arg_min(r.relation, CASE r.relation {order} END),
               any_value(coalesce(e.country, CASE WHEN r.entity LIKE 'state:%' THEN r.entity[7:] END))
        FROM event_facts s
        JOIN record_links r ON r.doc = s.doc AND r.record_type = 'event' AND r.record = s.local_id
        LEFT JOIN entities e ON e.id = r.entity
        WHERE r.relation IN {ROLE_ORDER}
        GROUP BY s.event, r.entity ORDER BY s.event, r.entity""")  # fmt: skip


def merge(con: duckdb.DuckDBPyConnection, kb: KnowledgeBase | None = None,
          corrections: list[Correction] = ()) -> None:  # fmt: skip
    """Recompute every cross-document merge in one transaction, with the corrections log applied (`corrections`
    appended to it first, in the same transaction)."""
    con.execute("BEGIN")
    try:
        for table in ("rejected", "event_overrides", "event_sides"):
            con.execute(f"DELETE FROM {table}")
        p = plan(con, corrections)
        merge_entities(con, kb or load_kb(), p)
        merge_events(con, p)
        write_status(con, p)
        con.execute("INSERT OR REPLACE INTO schema_info VALUES ('merge_pending', 'no')")
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise


def merge_pending(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether documents were stored since the last merge (an interrupted ingest)."""
    row = con.execute("SELECT value FROM schema_info WHERE key = 'merge_pending'").fetchone()
    return bool(row and row[0] == "yes")
