"""In-document resolution: candidates become entities with deterministic ids.

Names merge by knowledge-base id, by state code, and by name parts ("Modi"
joins "Narendra Modi"); pronouns and descriptions ("the Turkish analyst") join
the nearest compatible person before them. Every resolved mention span maps to
its entity id, which is how quotes, events and figures name their entities.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ..extract.base import Candidate, DocContext, RoleMention, parse_ref
from ..kb import KnowledgeBase, fold, slug
from ..schema import Entity, Mention, Role

PRONOUN_WINDOW = 3  # sentences a pronoun may look back for its antecedent
DESCRIPTION_WINDOW = 25  # for a description whose country matches
GUESS_WINDOW = 2  # for a description taken by a person of unknown country, or one named just after it


@dataclass
class Cluster:
    kind: str
    key: str
    names: list[str] = field(default_factory=list)
    mentions: list[Candidate] = field(default_factory=list)
    country: str | None = None
    kb_id: str | None = None
    org_type: str | None = None
    gender: str | None = None
    roles: list[RoleMention] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.mentions[0].start


@dataclass
class Resolution:
    entities: list[Entity]
    by_span: dict[tuple[int, int], str]

    def entity_at(self, start: int, end: int) -> str | None:
        """The entity whose mention is at, or else overlaps most with, `start:end`."""
        if (start, end) in self.by_span:
            return self.by_span[(start, end)]
        best, overlap = None, 0
        for (s, e), eid in self.by_span.items():
            o = min(e, end) - max(s, start)
            if o > overlap:
                best, overlap = eid, o
        return best

    def resolve_ref(self, value: str | None) -> str | None:
        """An entity id for a mention reference (`@start:end`), an id, or None."""
        if value is None:
            return None
        span = parse_ref(value)
        return value if span is None else self.entity_at(*span)


def one_edit_apart(a: str, b: str) -> bool:
    """Whether two words differ by one substitution, insertion or deletion ("Pederson", "Pedersen")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _same_surname(a: str, b: str) -> bool:
    """Exactly, or one letter apart for long surnames with the same initial (transliteration variants)."""
    return a == b or (len(a) >= 6 and a[0] == b[0] and one_edit_apart(a, b))


def _person_key(c: Candidate, clusters: dict[str, Cluster]) -> str:
    if c.kb_id:
        return c.kb_id
    tokens = fold(c.text).split()
    if not tokens:
        return "person:" + slug(c.text)
    for key, cl in clusters.items():
        if cl.kind != "person":
            continue
        for name in cl.names:
            parts = fold(name).split()
            if tokens == parts or (len(tokens) < len(parts) and tokens[-len(tokens) :] == parts[-len(tokens) :]):
                return key
            if len(tokens) == 1 and (tokens[0] in parts[1:] or _same_surname(tokens[0], parts[-1])):
                return key
    return "person:" + fold(c.text)


def _cluster(ctx: DocContext) -> tuple[dict[str, Cluster], list[Candidate]]:
    clusters: dict[str, Cluster] = {}
    deferred: list[Candidate] = []
    named = sorted(
        (c for c in ctx.candidates if c.kind not in ("pronoun", "description")),
        key=lambda c: (-len(c.text.split()) if c.kind == "person" else 0, c.start),
    )
    for c in named:
        if c.kind == "state":
            key = "state:" + (c.country or "")
        elif c.kind == "person":
            key = _person_key(c, clusters)
        else:
            key = c.kb_id or f"{c.kind}:{fold(c.text)}"
        cl = clusters.setdefault(key, Cluster(c.kind, key))
        cl.mentions.append(c)
        if c.text not in cl.names:
            cl.names.append(c.text)
        cl.country = cl.country or c.country
        cl.kb_id = cl.kb_id or c.kb_id
        cl.org_type = cl.org_type or c.org_type
        cl.gender = cl.gender or c.gender
    for cl in clusters.values():
        cl.mentions.sort(key=lambda m: m.start)
    deferred = sorted((c for c in ctx.candidates if c.kind in ("pronoun", "description")), key=lambda c: c.start)
    return clusters, deferred


def _attach_roles(ctx: DocContext, clusters: dict[str, Cluster], attached: set[int]) -> None:
    """Give each cluster the roles stated at its mentions (once each: called again after linking)."""
    span_to_cluster = {(m.start, m.end): cl for cl in clusters.values() for m in cl.mentions}
    for i, rm in enumerate(ctx.roles):
        cl = span_to_cluster.get(rm.person)
        if cl is None or i in attached:
            continue
        attached.add(i)
        cl.roles.append(rm)
        if cl.kind == "person" and rm.country and not cl.country:
            cl.country = rm.country


def _quotations(ctx: DocContext) -> list[tuple[int, int]]:
    """The spans of direct quotations, overlapping ones merged (a transcript turn with the quotes inside it)."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted((p.start, p.end) for u in ctx.quotes if u.direct for p in u.parts):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _quoted(pos: int, quotations: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(quotations, (pos, pos)) - 1
    return i >= 0 and pos < quotations[i][1]


def _antecedent(
    c: Candidate, persons: list[tuple[Candidate, Cluster]], quotations: list[tuple[int, int]]
) -> Cluster | None:
    """The person a pronoun or description stands for: the nearest compatible one before it.

    A pronoun prefers the subject of the nearest sentence that names someone ("Wyne describes
    Trump as …. He said" is Wyne). A description with a country ("the Turkish analyst") prefers
    a person of that country and otherwise takes the nearest person whose country is not known."""
    window = PRONOUN_WINDOW if c.kind == "pronoun" else DESCRIPTION_WINDOW
    outside = not _quoted(c.start, quotations)
    fallback: tuple[Candidate, Cluster] | None = None
    for m, cl in reversed(persons):
        if m.start >= c.start:
            continue
        if outside and _quoted(m.start, quotations):
            continue  # "“... President Putin ...,” he said": he is not the person quoted about
        if c.sentence - m.sentence > window:
            break
        if c.kind == "pronoun":
            if c.gender and cl.gender and c.gender != cl.gender:
                continue
            if fallback is not None and m.sentence < fallback[0].sentence:
                break
            if m.subject or m.sentence == c.sentence:
                return cl
            fallback = fallback or (m, cl)
            continue
        if c.sector and cl.roles and all(r.role.sector != c.sector for r in cl.roles):
            continue
        if c.country and cl.country != c.country:
            if cl.country is None and fallback is None and c.sentence - m.sentence <= GUESS_WINDOW:
                fallback = (m, cl)
            continue
        if c.sector or c.country:
            return cl
    if fallback:
        return fallback[1]
    if c.kind == "description" and c.country:  # "Russia's envoy dismissed … . "…," Nebenzia told the council"
        return next((cl for m, cl in persons if m.start > c.start and m.sentence - c.sentence <= GUESS_WINDOW
                     and cl.country == c.country), None)  # fmt: skip
    return None


def _link_deferred(deferred: list[Candidate], clusters: dict[str, Cluster], quotations: list[tuple[int, int]]) -> None:
    persons = sorted(
        ((m, cl) for cl in clusters.values() if cl.kind == "person" for m in cl.mentions), key=lambda x: x[0].start
    )
    for c in deferred:
        cl = _antecedent(c, persons, quotations)
        if cl is None:
            continue
        if c.kind == "pronoun" and c.gender and not cl.gender:
            cl.gender = c.gender
        if c.kind == "description" and c.country and not cl.country:
            cl.country = c.country
        cl.mentions.append(c)
        persons.append((c, cl))
        persons.sort(key=lambda x: x[0].start)


# Sectors of offices that belong to a state: a holder named without a state belongs to the one the
# article is mostly about ("Wynter Mmolotsi, minister of environment, told Parliament").
STATE_SECTORS = frozenset({
    "head_of_state", "head_of_government", "government", "foreign_affairs", "defense", "military", "security",
    "intelligence", "interior", "economy", "finance", "trade", "energy", "agriculture", "transport", "health",
    "environment", "legislature", "judiciary",
})  # fmt: skip


def _dominant_state(clusters: dict[str, Cluster]) -> str | None:
    """The state an article is mostly about: named at least three times and half again as often as any other."""
    counts = sorted(
        ((len(cl.mentions), cl.key.split(":", 1)[1]) for cl in clusters.values() if cl.kind == "state"), reverse=True
    )
    if not counts or counts[0][0] < 3 or (len(counts) > 1 and counts[0][0] < 1.5 * counts[1][0]):
        return None
    return counts[0][1]


def _infer_countries(ctx: DocContext, clusters: dict[str, Cluster]) -> None:
    """Countries of people from nationality words, then from the article's state for state offices."""
    span_to_cluster = {(m.start, m.end): cl for cl in clusters.values() for m in cl.mentions}
    for span, code in ctx.nationalities:
        cl = span_to_cluster.get(span)
        if cl is not None and not cl.country:
            cl.country = code
    dominant = _dominant_state(clusters)
    if dominant is None:
        return
    for cl in clusters.values():
        if cl.kind == "person" and not cl.country and any(r.role.sector in STATE_SECTORS for r in cl.roles):
            cl.country = dominant


def _canonical_name(cl: Cluster, kb: KnowledgeBase) -> str:
    if cl.kind == "state":
        state = kb.states.get(cl.country or "")
        if state:
            return state.name
    if cl.kb_id:
        entry = kb.people.get(cl.kb_id) or kb.organizations.get(cl.kb_id)
        if entry:
            return entry.name
    return max(cl.names, key=lambda n: (len(n.split()), len(n)))


def _kb_country(cl: Cluster, kb: KnowledgeBase) -> None:
    """Take a person's country from the knowledge base when the text gives none."""
    person = kb.people.get(cl.kb_id or "")
    if person and not cl.country:
        cl.country = person.country


def resolve_entities(ctx: DocContext) -> Resolution:
    """Merge the context's candidates into entities; map every mention span to its entity id."""
    kb = ctx.kb
    clusters, deferred = _cluster(ctx)
    attached: set[int] = set()
    _attach_roles(ctx, clusters, attached)
    _link_deferred(deferred, clusters, _quotations(ctx))
    _attach_roles(ctx, clusters, attached)
    _infer_countries(ctx, clusters)
    entities: list[Entity] = []
    by_span: dict[tuple[int, int], str] = {}
    used: dict[str, int] = {}
    for cl in sorted(clusters.values(), key=lambda c: c.first):
        _kb_country(cl, kb)
        name = _canonical_name(cl, kb)
        if cl.kind == "state":
            eid = cl.key
        elif cl.kb_id:
            eid = cl.kb_id
        else:
            base = f"{cl.kind}:{slug(name)}"
            used[base] = used.get(base, 0) + 1
            eid = base if used[base] == 1 else f"{base}-{used[base]}"
        mentions = sorted({(m.start, m.end) for m in cl.mentions})
        roles = sorted((rm.role for rm in cl.roles), key=lambda r: r.start)
        aliases = sorted({m.text for m in cl.mentions if m.kind not in ("pronoun", "description")} - {name})
        country = cl.country if cl.kind != "state" else cl.key.split(":", 1)[1]
        reasons = (
            None if country else {"country": f"no state given for this {cl.kind} in the text or the knowledge base"}
        )
        entities.append(
            Entity(
                id=eid,
                kind=cl.kind,
                name=name,
                country=country,
                aliases=aliases,
                kb_id=cl.kb_id,
                roles=_unique_roles(roles),
                mentions=[Mention(s, e) for s, e in mentions],
                type=cl.org_type if cl.kind == "organization" else None,
                reasons=reasons,
            )
        )
        for span in mentions:
            by_span[span] = eid
    return Resolution(entities, by_span)


def _unique_roles(roles: list[Role]) -> list[Role]:
    """Each title once (its first statement), without a bare head ("Secretary") beside the full
    title it shortens ("Secretary of State")."""
    out: list[Role] = []
    for r in roles:
        if all(fold(o.title) != fold(r.title) or o.former != r.former for o in out):
            out.append(r)
    words = [set(fold(r.title).split()) for r in out]
    return [
        r
        for i, r in enumerate(out)
        if not any(j != i and words[i] < words[j] and out[j].former == r.former for j in range(len(out)))
    ]
