"""Who sat at the table: for each meeting, visit or talks, the people of each side present, with their titles
and sectors, and each side's make-up by sector — the reading an analyst uses to infer the real agenda.

Present means named as a party (actor, recipient), as an attendee, or
("nearby") in the event's own sentences or the ones next to them.
"""

from __future__ import annotations

from collections import Counter

from ..report.model import Delegation, Makeup, Member, Pair, Ref, Source
from .cite import Library
from .config import config
from .facts import MentionRow
from .roles import RoleIndex
from .timeline import PairEvent, ref

BASIS_ORDER = ("actor", "recipient", "attendee", "nearby")


def is_meeting(pe: PairEvent) -> bool:
    cfg = config()
    ev = pe.event
    return ev.subtype in cfg.delegation_subtypes or (ev.subtype is None and ev.type in cfg.delegation_types)


def _label(sector: str) -> str:
    return sector.replace("_", " ")


def makeup(side: str, members: list[Member]) -> Makeup:
    """One side's sectors and the reading: the sectors beyond protocol that most of its members come from."""
    mine = [m for m in members if m.entity.side == side]
    sectors = Counter(m.sector or "unknown" for m in mine)
    known = {s: n for s, n in sectors.items() if s != "unknown"}
    substantive = {s: n for s, n in known.items() if s not in config().protocol_sectors}
    pool = substantive or known
    if not pool:
        text = f"{len(mine)} named, sectors unknown" if mine else "nobody named"
    else:
        top = sorted(pool, key=lambda s: (-pool[s], s))[:2]
        text = f"{sum(pool[s] for s in top)} of {len(mine)} from {' and '.join(_label(s) for s in top)}"
    return Makeup(side, len(mine), dict(sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0]))), text)


def _members(pe: PairEvent, mentions: dict[str, list[MentionRow]], roles: RoleIndex, library: Library,
             pair: Pair) -> list[Member]:  # fmt: skip
    sides = (pair.a.code, pair.b.code)
    found: dict[str, tuple[int, Ref, list]] = {}

    def add(r: Ref, basis: str, source, doc: str, offset: int, published) -> None:
        if r.kind != "person" or r.side not in sides:
            return
        rank = BASIS_ORDER.index(basis)
        if r.id not in found or rank < found[r.id][0]:
            found[r.id] = (rank, r, [source, doc, offset, published])

    vouching = {r.id for r in pe.event.asserted_by}
    first_source: dict[str, Source] = {}
    for s in pe.event.sources:
        first_source.setdefault(s.document, s)
    for row in pe.rows:
        src = first_source.get(row.doc)
        for p in row.participants:
            if p.relation in BASIS_ORDER:
                add(ref(p), p.relation, src, row.doc, row.trigger_start, row.published)
        near = [m for m in mentions.get(row.doc, ()) if m.entity not in vouching]
        if not near:
            continue
        text = library.text(row.doc)
        windows = [
            text.sentences(e["sentence"]["start"], e["sentence"]["end"], config().delegation_neighbours)
            for e in row.evidence or [{"sentence": {"start": row.sentence_start, "end": row.sentence_end}}]
        ]
        for m in near:
            if any(s <= m.start and m.end <= e for s, e in windows):
                r = Ref(m.entity, m.name, m.kind, m.country)
                add(r, "nearby", library.source(row.doc, m.start, m.end), row.doc, m.start, row.published)
    out = []
    for rank, r, (source, doc, offset, published) in sorted(
        found.values(), key=lambda f: (sides.index(f[1].side), f[0], f[1].name)
    ):
        role = roles.at(r.id, doc, offset, published)
        sources = [s for s in (source, role and library.source(role.doc, role.start, role.end)) if s]
        out.append(Member(r, role and role.title, role and role.sector, BASIS_ORDER[rank], sources))
    return out


def build_delegations(events: list[PairEvent], mentions: list[MentionRow], roles: RoleIndex, library: Library,
                      pair: Pair) -> list[Delegation]:  # fmt: skip
    """A delegation record for each meeting, visit or talks between the sides that names anyone present; `mentions`
    are those of the sides' people in the events' documents."""
    by_doc: dict[str, list[MentionRow]] = {}
    for m in mentions:
        by_doc.setdefault(m.doc, []).append(m)
    out = []
    for pe in events:
        if not is_meeting(pe):
            continue
        members = _members(pe, by_doc, roles, library, pair)
        if members:
            sides = [makeup(s.code, members) for s in (pair.a, pair.b)]
            out.append(Delegation(pe.event.id, pe.event.summary, pe.event.date, members, sides))
    return out
