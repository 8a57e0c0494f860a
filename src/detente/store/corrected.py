"""The corrections log applied in the merge: what each correction does to the entities and events being
recomputed, and whether it still applies (its status, with the reason whenever it does not simply apply).

Corrections apply oldest first, so a later one decides where two set the same thing. Entities: a rejected
entity is left out of `entities` and its document rows are listed in `rejected`; a merge points the second
entity's rows at the first. Events: each source key is looked up among the documents' events; a rejected
source is listed in `rejected`, a retyped, redated or redirected one gets a row in `event_overrides` (and its
new sides in `event_sides`), and merged events are joined by `merge.merge_events` after clustering.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from ..kb import fold
from .corrections import Correction, read_all, rows_of
from .ingest import insert_rows
from .schema import TEMP_TABLES

Source = tuple[str, str]  # (doc, local_id) of a document's event


@dataclass
class Plan:
    """The corrections that apply (not undone), oldest first, and what the merge made of each so far."""

    every: list[Correction]
    active: list[Correction]
    status: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    entity: Callable[[dict], set[str]] = lambda key: set()  # an entity key's canonical ids, once entities are merged

    def note(self, c: Correction, status: str, reason: str | None = None) -> None:
        self.status[c.id] = (status, reason)


def plan(con: duckdb.DuckDBPyConnection, adding: list[Correction] = ()) -> Plan:
    """The corrections in the store, with `adding` appended to the log first (in the caller's transaction)."""
    insert_rows(con, "corrections", rows_of(list(adding)))
    every = read_all(con)
    known = {c.id for c in every}
    undoes: dict[str, list[Correction]] = {}
    for c in every:
        if c.kind == "undo":
            undoes.setdefault(c.target["correction"], []).append(c)
    live: dict[str, bool] = {}

    def active(c: Correction) -> bool:  # an undo can itself be undone: then what it undid applies again
        if c.id not in live:
            live[c.id] = not any(active(u) for u in undoes.get(c.id, ()))
        return live[c.id]

    out = Plan(every, [c for c in every if active(c) and c.kind != "undo"])
    for c in every:
        if not active(c):
            out.note(c, "undone", "undone by " + next(u.id for u in undoes[c.id] if active(u)))
        elif c.kind == "undo":
            undone = c.target["correction"]
            out.note(c, "applied" if undone in known else "orphaned", None if undone in known else
                     f"no correction {undone} in the store")  # fmt: skip
    return out


def _describe(key: dict) -> str:
    return key.get("kb_id") or f"{key['kind']} {key['name']!r} ({key['country'] or 'no country'})"


def correct_entities(p: Plan, rows: list[tuple], ids: dict[str, str], entities: list[tuple]
                     ) -> tuple[dict[str, str], list[tuple], set[str]]:  # fmt: skip
    """Apply entity merges and rejections to the merge's result (`ids`: each form's canonical id; `entities`:
    the canonical rows): the corrected ids and rows, and the rejected canonical ids."""
    country = {e[0]: e[3] for e in entities}
    by_name: dict[tuple[str, str], set[str]] = {}
    for form, kind, name, *_ in rows:
        by_name.setdefault((kind, fold(name)), set()).add(ids[form])
    joined: dict[str, str] = {}

    def final(eid: str) -> str:
        while eid in joined:
            eid = joined[eid]
        return eid

    def resolve(key: dict) -> set[str]:
        if "kb_id" in key:
            found = {key["kb_id"]} & country.keys()
        else:
            found = {e for e in by_name.get((key["kind"], key["name"]), ()) if country[e] == key["country"]}
        return {final(e) for e in found}

    rejected: set[str] = set()
    for c in p.active:
        if c.kind not in ("reject", "merge_entities") or not c.entities():
            continue
        found = [resolve(k) for k in c.entities()]
        missing = [_describe(k) for k, f in zip(c.entities(), found, strict=True) if not f]
        if missing:
            p.note(c, "orphaned", f"no entity {' or '.join(missing)} in the store")
        elif c.kind == "reject":
            rejected |= found[0]
            p.note(c, "applied")
        else:
            into = min(found[0])
            for eid in (found[0] | found[1]) - {into}:
                joined[eid] = into
            p.note(c, "applied", "already one entity" if found[0] == found[1] and len(found[0]) == 1 else None)
    p.entity = resolve
    return ({form: final(e) for form, e in ids.items()}, [e for e in entities if e[0] not in joined],
            {final(e) for e in rejected})  # fmt: skip


def _found_sources(con: duckdb.DuckDBPyConnection, cs: list[Correction]) -> tuple[dict, dict]:
    """Each correction's source keys looked up among the documents' events: {(n, group): [sources]} and, for
    keys not found, {(n, group): [why]}."""
    keys = [(n, g, k["doc"], k["start"], k["end"], k["type"])
            for n, c in enumerate(cs) for g, group in enumerate(c.sources()) for k in group]  # fmt: skip
    con.execute(f"CREATE OR REPLACE TEMP TABLE source_keys ({TEMP_TABLES['source_keys']})")
    insert_rows(con, "source_keys", keys)
    rows = con.execute("""
        SELECT k.n, k.grp, s.doc, s.local_id, k.doc, k.char_start, k.char_end, k.type,
               (SELECT count(*) FROM documents d WHERE d.id = k.doc),
               (SELECT string_agg(DISTINCT coalesce(o.type, o.subtype, 'untyped'), ', ') FROM event_sources o
                WHERE o.doc = k.doc AND o.trigger_start = k.char_start AND o.trigger_end = k.char_end)
        FROM source_keys k LEFT JOIN event_sources s ON s.doc = k.doc AND s.trigger_start = k.char_start
             AND s.trigger_end = k.char_end AND coalesce(s.type, s.subtype) IS NOT DISTINCT FROM k.type
        ORDER BY ALL""").fetchall()  # fmt: skip
    con.execute("DROP TABLE source_keys")
    found: dict[tuple, list[Source]] = {}
    missing: dict[tuple, list[str]] = {}
    for n, g, doc, local_id, key_doc, start, end, type_, stored, now in rows:
        if local_id is not None:
            found.setdefault((n, g), []).append((doc, local_id))
        elif not stored:
            missing.setdefault((n, g), []).append(f"document {key_doc[:12]} is no longer stored")
        elif now:
            missing.setdefault((n, g), []).append(f"the event at characters {start}-{end} of document {key_doc[:12]} "
                                                  f"is now {now}, not {type_ or 'untyped'}")  # fmt: skip
        else:
            missing.setdefault((n, g), []).append(f"document {key_doc[:12]} has no event at characters {start}-{end} "
                                                  "any more")  # fmt: skip
    return found, missing


def correct_events(con: duckdb.DuckDBPyConnection, p: Plan) -> list[list[Source]]:
    """Write `rejected` (events), `event_overrides` and `event_sides` from the active event corrections; the groups
    of sources each `merge_events` joins."""
    cs = [c for c in p.active if c.sources()]
    found, missing = _found_sources(con, cs)
    rejected: dict[Source, str] = {}
    fields: dict[Source, dict[str, tuple]] = {}  # per source: field -> (value, correction id)
    unions: list[list[Source]] = []
    for n, c in enumerate(cs):
        groups = [found.get((n, g), []) for g in range(len(c.sources()))]
        why = [w for g in range(len(groups)) for w in missing.get((n, g), [])]
        if not all(groups):
            p.note(c, "orphaned", "; ".join(dict.fromkeys(why)))
            continue
        p.note(c, "applied", f"{len(why)} of its sources no longer found: {'; '.join(dict.fromkeys(why))}"
               if why else None)  # fmt: skip
        sources = [s for g in groups for s in g]
        if c.kind == "reject":
            rejected.update(dict.fromkeys(sources, c.id))
        elif c.kind == "merge_events":
            unions.append(sources)
        elif c.kind == "redirect":
            _redirect(con, p, c, sources, fields)
        else:
            for s in sources:
                fields.setdefault(s, {})[c.kind] = (c.new, c.id)
    _supersede(p, cs, found, rejected, fields)
    insert_rows(con, "rejected", [("event", d, lid) for d, lid in sorted(rejected)])
    overrides, sides = [], []
    for (doc, local_id), f in sorted(fields.items()):
        if (doc, local_id) in rejected:
            continue
        retype, redate, redirect = (f.get(k, (None,))[0] for k in ("retype", "redate", "redirect"))
        overrides.append((doc, local_id, retype and retype["type"], retype is not None, redate and redate["value"],
                          redate and redate["precision"], redate and redate["approximate"], redate is not None,
                          redirect is not None))  # fmt: skip
        sides += redirect or []
    insert_rows(con, "event_overrides", overrides)
    insert_rows(con, "event_sides", sides)
    return unions


def _redirect(con: duckdb.DuckDBPyConnection, p: Plan, c: Correction, sources: list[Source], fields: dict) -> None:
    """The new sides of each source, as links to the entities its document names; a source whose document does
    not name every one of them keeps its own sides (said in the status)."""
    kept = []
    for doc, local_id in sources:
        links, unnamed = [], []
        wanted = [("actor", k) for k in c.new["actors"]] + [("recipient", k) for k in c.new["recipients"]]
        for relation, key in wanted:
            named = con.execute(
                "SELECT local_id, entity FROM document_entities WHERE doc = ? "
                "AND entity IN (SELECT unnest(?::VARCHAR[])) ORDER BY local_id",
                [doc, sorted(p.entity(key))],
            ).fetchall()
            unnamed += [] if named else [_describe(key)]
            links += [(doc, "event", local_id, relation, len(links) + i, lid, eid)
                      for i, (lid, eid) in enumerate(named)]  # fmt: skip
        if unnamed:
            kept.append(f"document {doc[:12]} does not name {', '.join(unnamed)}")
        else:
            fields.setdefault((doc, local_id), {})["redirect"] = (links, c.id)
    if kept:
        p.note(c, "orphaned" if len(kept) == len(sources) else "applied", "; ".join(kept))


def _supersede(p: Plan, cs: list[Correction], found: dict, rejected: dict, fields: dict) -> None:
    """A correction of an event's type, date or sides whose every source is rejected, or set again by a later
    correction, no longer decides anything: superseded, naming which."""
    for n, c in enumerate(cs):
        if c.kind not in ("retype", "redate", "redirect") or p.status[c.id][0] != "applied":
            continue
        sources = found.get((n, 0), [])
        by = {rejected[s] if s in rejected else fields.get(s, {}).get(c.kind, (None, c.id))[1] for s in sources}
        if c.id not in by:
            p.note(c, "superseded", "decided by " + ", ".join(sorted(by)))


def write_status(con: duckdb.DuckDBPyConnection, p: Plan) -> None:
    con.execute("DELETE FROM correction_status")
    insert_rows(con, "correction_status", [(c.id, *p.status.get(c.id, ("applied", None))) for c in p.every])
