"""The rules that pair a gold record with an extracted one (documented in eval/README.md).

Each rule is a score: 0 for "not the same record", higher for a closer
match. `pair` finds a one-to-one pairing with as many pairs as possible,
taking the closest candidates first, so a duplicate extraction counts once
as a hit and once as a false positive.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from ..schema import Entity, Event, Quantity, Quote
from .gold import GoldEntity, GoldEvent, GoldQuantity, GoldQuote, SpanT

VALUE_TOLERANCE = 0.005
GROUP_CODES = {"igo": "IGO", "ngo": "NGO"}
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise(name: str) -> str:
    """A name compared without case, accents, punctuation or a leading "the"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = _NON_WORD.sub(" ", ascii_name.lower()).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def overlap(a: SpanT, b: SpanT) -> int:
    """How many characters two spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def any_overlap(spans: Iterable[SpanT], others: Sequence[SpanT]) -> bool:
    return any(overlap(a, b) for a in spans for b in others)


def pair(n_gold: int, n_pred: int, score: Callable[[int, int], float]) -> dict[int, int]:
    """A maximum one-to-one pairing gold index -> extracted index among pairs scoring above 0, closest first."""
    options, best = [], []
    for i in range(n_gold):
        scored = sorted((-s, j) for j in range(n_pred) if (s := score(i, j)) > 0)
        options.append([j for _, j in scored])
        best.append(scored[0][0] if scored else 0)
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in sorted(range(n_gold), key=lambda i: best[i]):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def names(entity: Entity) -> set[str]:
    return {normalise(n) for n in (entity.name, *entity.aliases)}


def entity_code(entity: Entity | None) -> str | None:
    """The side an extracted entity stands for: its country, else `IGO`/`NGO` for such organisations."""
    if entity is None:
        return None
    return entity.country or GROUP_CODES.get(entity.type or "")


def entity_score(g: GoldEntity, p: Entity) -> float:
    """Same kind, and the same normalised name or a mention overlapping a gold mention."""
    if g.kind != p.kind:
        return 0
    spans = [(m.start, m.end) for m in p.mentions]
    shared = sum(1 for m in g.mentions if any_overlap([m], spans))
    return (1000 if normalise(g.name) in names(p) else 0) + shared


def codes(ids: Iterable[str], entities: dict[str, Entity]) -> frozenset[str]:
    """The sides of a list of entity ids; an entity of unknown side adds none."""
    return frozenset(c for i in ids if (c := entity_code(entities.get(i))))


def dyad(event: Event, entities: dict[str, Entity]) -> tuple[frozenset[str], frozenset[str]]:
    return codes(event.actors, entities), codes(event.recipients, entities)


def same_sides(g: GoldEvent, p: Event, entities: dict[str, Entity]) -> bool:
    """The same actor and recipient sides; a symmetric gold event (no recipients) compares as one set."""
    actors, recipients = dyad(p, entities)
    if not g.recipients:
        return actors | recipients == frozenset(g.actors)
    return (actors, recipients) == (frozenset(g.actors), frozenset(g.recipients))


def event_triggers(event: Event) -> list[SpanT]:
    return [(event.trigger.start, event.trigger.end)] + [(e.trigger.start, e.trigger.end) for e in event.evidence]


def event_sentences(event: Event) -> list[SpanT]:
    return [(event.sentence.start, event.sentence.end)] + [(e.sentence.start, e.sentence.end) for e in event.evidence]


def event_score(g: GoldEvent, p: Event, entities: dict[str, Entity]) -> float:
    """Same type, and a trigger overlapping the gold trigger (or its evidence), or the same sides in its sentence."""
    if g.type != p.type:
        return 0
    if any_overlap(g.triggers, event_triggers(p)):
        return 2
    inside = any(s[0] <= t[0] and t[1] <= s[1] for t in g.triggers for s in event_sentences(p))
    return 1 if inside and same_sides(g, p, entities) else 0


def dyad_score(g: GoldEvent, p: Event, entities: dict[str, Entity]) -> float:
    """Same type and the same sides, wherever in the text."""
    if g.type != p.type or not same_sides(g, p, entities):
        return 0
    return 2 if any_overlap(g.triggers, event_triggers(p)) else 1


def quantity_score(g: GoldQuantity, p: Quantity) -> float:
    """Overlapping spans, the same unit, and values within 0.5% of the gold value."""
    if g.unit != p.unit or abs(p.value - g.value) > VALUE_TOLERANCE * abs(g.value):
        return 0
    return overlap(g.span, (p.start, p.end))


def quote_spans(q: Quote) -> list[SpanT]:
    return [(s.start, s.end) for s in q.parts] or [(q.start, q.end)]


def quote_score(g: GoldQuote, p: Quote) -> float:
    """Characters the gold quote shares with the extracted quote's parts."""
    return sum(overlap(g.span, s) for s in quote_spans(p))


def speaker_matches(g: GoldQuote, p: Quote, entities: dict[str, Entity], partner: Callable[[str], str | None]) -> bool:
    """A speaker entity named (or aliased) as a gold speaker, or paired with that gold entity; null with null."""
    if not g.speakers:
        return p.speaker is None
    wanted = {normalise(s) for s in g.speakers}
    for pid in p.speakers or ([p.speaker] if p.speaker else []):
        entity = entities.get(pid)
        if entity and (names(entity) & wanted or (partner(pid) or "") in g.speakers):
            return True
    return False
