"""In-document resolution: candidates become entities with deterministic ids.

Names merge by knowledge-base id, by state code, and by name parts ("Modi"
joins "Narendra Modi"); pronouns and descriptions ("the Turkish analyst") join
the nearest compatible person before them. Every resolved mention span maps to
its entity id, which is how quotes, events and figures name their entities.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from ..extract.base import Candidate, DocContext, RoleMention, parse_ref
from ..kb import KnowledgeBase, fold, slug
from ..kb.names import country_in_org_name, one_edit_apart
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


def _same_surname(a: str, b: str) -> bool:
    """Exactly, or one letter apart for long surnames with the same initial (transliteration variants)."""
    return a == b or (len(a) >= 6 and a[0] == b[0] and one_edit_apart(a, b))


def _person_key(c: Candidate, clusters: dict[str, Cluster], kb: KnowledgeBase, day: dt.date | None) -> str:
    """The cluster of a person mention: its official's, else a person named before whose name it shortens.

    A surname alone that the knowledge base gives to an official out of office on `day` ("Bennett") is rather
    the person the text named in full ("Richard Bennett")."""
    tokens = fold(c.text).split()
    while len(tokens) > 1 and tokens[0] in kb.honorifics:  # "Mr. Bennett"
        tokens = tokens[1:]
    if c.kb_id:
        person = kb.people.get(c.kb_id)
        if c.kb_id in clusters or len(tokens) > 1 or person is None or any(o.held_on(day) for o in person.offices):
            return c.kb_id
        named = (
            k
            for k, cl in clusters.items()
            if cl.kind == "person" and any(fold(n).split()[-1:] == tokens for n in cl.names)
        )
        return next(named, c.kb_id)
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
            if len(tokens) == 1 and len(parts) > 1 and tokens[0] == parts[0] and cl.country in kb.family_name_first:
                return key  # "Director Wang" of Wang Yi
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
            key = _person_key(c, clusters, ctx.kb, ctx.published)
        else:
            key = c.kb_id or f"{c.kind}:{fold(c.text)}"
        known = None if c.kind != "person" or key in clusters or c.kb_id else ctx.kb.person_like(c.text, ctx.published)
        if known is not None:  # a misspelt official ("Laurent Gbago"): the name stays among the mentions
            key = known.id
        cl = clusters.setdefault(key, Cluster(c.kind, key))
        if known is not None:
            cl.kb_id, cl.country, cl.gender = known.id, cl.country or known.country, cl.gender or known.gender
        cl.mentions.append(c)
        if c.text not in cl.names:
            cl.names.append(c.text)
        if c.kb_id and key != c.kb_id:
            continue  # the official's attributes do not belong to the person named in full
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
    if c.kind == "description" and (titled := _titled(c, persons, window)) is not None:
        return titled
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


def _titled(c: Candidate, persons: list[tuple[Candidate, Cluster]], window: int) -> Cluster | None:
    """The nearest person before a bare capitalised title who holds it ("The Secretary" of the Secretary of State
    named before), whatever sector the bare title has."""
    words = c.text.split()
    if len(words) != 2 or words[0].lower() != "the" or not words[1][:1].isupper():
        return None
    head = words[1].lower()
    for m, cl in reversed(persons):
        if m.start < c.start and c.sentence - m.sentence <= window:
            if any(head in r.role.title.lower().split() for r in cl.roles):
                return cl
    return None


def _link_deferred(
    deferred: list[Candidate],
    clusters: dict[str, Cluster],
    quotations: list[tuple[int, int]],
    labels: list[tuple[int, int]] = (),
) -> None:
    """Join each pronoun and description to its antecedent. A transcript's speaker label ("VOA:") can be what a
    pronoun of its turn stands for, never what a description ("Kenya's president") describes."""
    persons = sorted(
        ((m, cl) for cl in clusters.values() if cl.kind == "person" for m in cl.mentions), key=lambda x: x[0].start
    )
    unlabelled = [(m, cl) for m, cl in persons if not any(a <= m.start and m.end <= b for a, b in labels)]
    for c in deferred:
        cl = _antecedent(c, unlabelled if c.kind == "description" else persons, quotations)
        if cl is None:
            continue
        if c.kind == "pronoun" and c.gender and not cl.gender:
            cl.gender = c.gender
        if c.kind == "description" and c.country and not cl.country:
            cl.country = c.country
        cl.mentions.append(c)
        for known in (persons, unlabelled):
            known.append((c, cl))
            known.sort(key=lambda x: x[0].start)


# Sectors of offices that belong to a state: a holder named without a state belongs to the one the
# article is mostly about ("Wynter Mmolotsi, minister of environment, told Parliament").
STATE_SECTORS = frozenset({
    "head_of_state", "head_of_government", "government", "foreign_affairs", "defense", "military", "security",
    "intelligence", "interior", "economy", "finance", "trade", "energy", "agriculture", "transport", "health",
    "environment", "legislature", "judiciary",
})  # fmt: skip


# Capitalised words and adjacent pairs of them, where demonyms are looked up ("Algerian", "South Korean").
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?= ([A-Z][a-z]+)\b)?")


def _state_counts(ctx: DocContext, clusters: dict[str, Cluster]) -> tuple[Counter[str], Counter[str]]:
    """How often the text names each state, and how often it brings it up as a reader counts: by name, by its
    places and by its demonyms."""
    named: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for cl in clusters.values():
        if cl.kind == "state":
            named[cl.key.split(":", 1)[1]] += len(cl.mentions)
        elif cl.kind == "place" and cl.country:
            counts[cl.country] += len(cl.mentions)
    pair_end = -1
    for m in _CAPITALISED.finditer(ctx.text):
        if m.start() < pair_end or ctx.in_noise(m.start(), m.end()):
            continue
        pair = m.group(1) and ctx.kb.state_of_demonym(f"{m.group()} {m.group(1)}")
        code = pair or ctx.kb.state_of_demonym(m.group())
        if code:
            counts[code] += 1
            pair_end = m.end() + 1 + len(m.group(1)) if pair else -1
    return named, named + counts


def _dominant_state(ctx: DocContext, clusters: dict[str, Cluster]) -> str | None:
    """The state a text is mostly about: named at least three times and half again as often as any other; else
    brought up so (at least once a sentence in a text of fewer than three) and named more often than any other."""
    named, counts = _state_counts(ctx, clusters)
    for tally, least in ((named, 3), (counts, min(3, max(ctx.sentence_count, 1)))):
        ranked = tally.most_common(2) + [("", 0), ("", 0)]
        (top, n), (_, second) = ranked[0], ranked[1]
        if n >= least and n >= 1.5 * second and all(v < named[top] for c, v in named.items() if c != top):
            return top
    return None


def _infer_countries(ctx: DocContext, clusters: dict[str, Cluster]) -> None:
    """Countries of people from nationality words, then from the text's state for state offices."""
    span_to_cluster = {(m.start, m.end): cl for cl in clusters.values() for m in cl.mentions}
    for span, code in ctx.nationalities:
        cl = span_to_cluster.get(span)
        if cl is not None and not cl.country:
            cl.country = code
    officials = [
        cl
        for cl in clusters.values()
        if cl.kind == "person" and not cl.country and any(r.role.sector in STATE_SECTORS for r in cl.roles)
    ]
    dominant = _dominant_state(ctx, clusters) if officials else None
    for cl in officials:
        home = next((c for r in cl.roles if (c := ctx.kb.title_states.get(fold(r.role.title)))), None)
        cl.country = home or dominant or _state_so_far(clusters, min(m.start for m in cl.mentions))


def _state_so_far(clusters: dict[str, Cluster], before: int) -> str | None:
    """The state the text has been about up to an official's first mention: named at least twice before it and
    twice as often as any other ("Botswana … Botswana … Wynter Mmolotsi, minister of environment")."""
    counts = Counter(
        cl.key.split(":", 1)[1] for cl in clusters.values() if cl.kind == "state" for m in cl.mentions
        if m.start < before
    )  # fmt: skip
    ranked = counts.most_common(2) + [("", 0), ("", 0)]
    (top, n), (_, second) = ranked[0], ranked[1]
    return top if n >= 2 and n >= 2 * second else None


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


def _kb_country(cl: Cluster, kb: KnowledgeBase, name: str) -> None:
    """Take a person's country from the knowledge base when the text gives none; an organization it does not know
    takes the state its name places it in ("Baghdad University Medical School")."""
    person = kb.people.get(cl.kb_id or "")
    if person and not cl.country:
        cl.country = person.country
    elif cl.kind == "organization" and not cl.country and not cl.kb_id:
        cl.country = country_in_org_name(kb, name)


def resolve_entities(ctx: DocContext) -> Resolution:
    """Merge the context's candidates into entities; map every mention span to its entity id."""
    kb = ctx.kb
    clusters, deferred = _cluster(ctx)
    attached: set[int] = set()
    _attach_roles(ctx, clusters, attached)
    labels = [(x.start, x.end) for x in ctx.sections if x.kind == "speaker_label"]
    _link_deferred(deferred, clusters, _quotations(ctx), labels)
    _attach_roles(ctx, clusters, attached)
    _infer_countries(ctx, clusters)
    entities: list[Entity] = []
    by_span: dict[tuple[int, int], str] = {}
    used: dict[str, int] = {}
    for cl in sorted(clusters.values(), key=lambda c: c.first):
        name = _canonical_name(cl, kb)
        _kb_country(cl, kb, name)
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
