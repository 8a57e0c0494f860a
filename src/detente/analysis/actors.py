"""The people and organizations most involved on each side, with their roles over time, and who acts with whom.

Involvement counts the pair's events an entity takes part in (most weight),
the quotes it speaks about the pair, and the documents about the pair that
name it.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import duckdb

from ..kb import fold
from ..report.model import Actor, Actors, Link, Pair, Ref, RoleSpan, Voice
from . import facts
from .cite import Library
from .config import config
from .facts import NamedRow, RoleGroup, RoleRow
from .timeline import PARTY_KINDS, PairEvent, ref

WEIGHTS = {"events": 3, "quotes": 2, "documents": 1}
PEOPLE_KINDS = ("person", "organization")


def _when(r: RoleRow) -> str | None:
    return r.as_of or (r.published and r.published.isoformat())


def role_spans(groups: list[RoleGroup], library: Library) -> list[RoleSpan]:
    """One span per title and sector: when first and last seen, whether last seen as former, up to 3 sources."""
    spans: dict[tuple[str, str], list[RoleGroup]] = {}
    for g in groups:
        spans.setdefault((fold(g.last.title), g.last.sector), []).append(g)

    def order(r: RoleRow) -> tuple:
        return _when(r) or "~", r.doc, r.start

    out = []
    for same in spans.values():
        first = sorted((r for g in same for r in g.first), key=order)[:3]
        last = max((g.last for g in same), key=order)
        named = min((g.organization for g in same if g.organization), key=order, default=None)
        out.append(RoleSpan(
            last.title, last.sector, named and named.organization, _when(first[0]), _when(last), last.former,
            [library.source(r.doc, r.start, r.end) for r in first],
        ))  # fmt: skip
    return sorted(out, key=lambda s: (s.first_seen or "~", s.title))


def links(events: list[PairEvent], pair: Pair) -> list[Link]:
    """Pairs of entities of either side taking part in the same events, by how many."""
    sides = (pair.a.code, pair.b.code)
    tally: Counter = Counter()
    for pe in events:
        ids = sorted({p.entity for p in pe.participants
                      if p.relation in ("actor", "recipient", "attendee") and p.kind in PARTY_KINDS
                      and p.country in sides})  # fmt: skip
        tally.update(combinations(ids, 2))
    return [Link(a, b, n) for (a, b), n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))]


def build_actors(con: duckdb.DuckDBPyConnection, events: list[PairEvent], voices: list[Voice], named: list[NamedRow],
                 library: Library, pair: Pair) -> Actors:  # fmt: skip
    """The most involved people and organizations of each side (`config.actors_per_side`), with their roles, and
    their links; `named` are those the documents about the pair name, with how many do."""
    sides = (pair.a.code, pair.b.code)
    refs: dict[str, Ref] = {}
    tally: dict[str, dict[str, set[str]]] = {what: {} for what in ("events", "quotes")}
    documents: dict[str, int] = {}

    def count(r: Ref, what: str, key: str) -> None:
        if r.kind in PEOPLE_KINDS and r.side in sides:
            refs.setdefault(r.id, r)
            tally[what].setdefault(r.id, set()).add(key)

    for pe in events:
        for p in pe.participants:
            if p.kind in PEOPLE_KINDS and p.country in sides:
                count(refs.get(p.entity) or ref(p), "events", pe.event.id)
    for v in voices:
        for q in v.quotes:
            if v.speaker:
                count(v.speaker, "quotes", q.id)
    for e in named:
        if e.kind in PEOPLE_KINDS and e.country in sides:
            refs.setdefault(e.entity, Ref(e.entity, e.name, e.kind, e.country))
            documents[e.entity] = e.documents

    def total(eid: str, what: str) -> int:
        return documents.get(eid, 0) if what == "documents" else len(tally[what].get(eid, ()))

    def weight(eid: str) -> int:
        return sum(WEIGHTS[w] * total(eid, w) for w in WEIGHTS)

    chosen = []
    for side in sides:
        mine = sorted((i for i in refs if refs[i].side == side), key=lambda i: (-weight(i), refs[i].name, i))
        chosen += mine[: config().actors_per_side]
    by_entity: dict[str, list[RoleGroup]] = {}
    for g in facts.roles_of(con, chosen):
        by_entity.setdefault(g.last.entity, []).append(g)
    actors = [Actor(refs[i], total(i, "events"), total(i, "quotes"), total(i, "documents"),
                    role_spans(by_entity.get(i, []), library)) for i in chosen]  # fmt: skip
    keep = set(chosen) | {f"state:{s}" for s in sides}
    return Actors(actors, [lk for lk in links(events, pair) if lk.a in keep and lk.b in keep])
