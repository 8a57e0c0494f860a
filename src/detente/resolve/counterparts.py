"""The unnamed other side of a one-sided event in an article about one pair of states.

Reporting on a relationship names the other side once and then leaves it out:
"the two leaders held talks", "India will invest in the port", "Beijing backs
the plan". When an article is clearly about two states (each named, with its
people, at least `MIN_MENTIONS` times, the second at least `BALANCE` times as
often as the first, and together far ahead of any third), an event whose
parties all belong to one of the two takes the other as its
counterpart: a fellow actor for a symmetric event (talks, agreements, joint
drills), else the recipient (or the actor of an event that only names its
recipient). An event whose subject is "both leaders", "the two sides" or "the
prime ministers" takes the two states as actors. The event keeps a reason
saying so, and a one-sided one a lower confidence.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from ..extract.events.lexicon import load_lexicon
from ..schema import Entity, Event

MIN_MENTIONS = 3
DOMINANCE = 2.0  # the second state's weight over the third's
BALANCE = 0.4  # the second state's weight over the first's: both sides are the subject, not one and a bystander
CONFIDENCE_FACTOR = 0.8
REASON = "not named in its sentence: the other state of the pair the article is about"
PAIR_REASON = "named only as both sides: the pair the article is about"
# Events that concern a state's own affairs or a third party as often as the other side.
OWN_AFFAIRS = {"PROTEST", "MOBILIZE", "ASSAULT", "COERCE", None}


@lru_cache(maxsize=1)
def _symmetric_subtypes() -> frozenset[str]:
    lex = load_lexicon()
    return frozenset(
        e.coding.subtype
        for table in (lex.verbs, lex.nouns, lex.adjectives)
        for entries in table.values()
        for e in entries
        if e.coding.direction == "symmetric" and e.coding.subtype
    )


def main_pair(entities: list[Entity]) -> tuple[str, str] | None:
    """The two states an article is about, or None when no pair clearly dominates."""
    weight: Counter[str] = Counter()
    for e in entities:
        if e.country and (e.kind in ("state", "person") or e.type == "igo"):  # the EU is a side
            weight[e.country] += len(e.mentions)
    ranked = weight.most_common(3)
    if len(ranked) < 2 or ranked[1][1] < MIN_MENTIONS or ranked[1][1] < BALANCE * ranked[0][1]:
        return None
    if len(ranked) == 3 and ranked[1][1] < DOMINANCE * ranked[2][1]:
        return None
    return ranked[0][0], ranked[1][0]


def fill_counterparts(events: list[Event], entities: list[Entity], paired: list[Event] = ()) -> None:
    """Give each one-sided event of a pair article the pair's other state, and the events whose subject is "both
    sides" (`paired`) the pair as actors (see the module docstring)."""
    pair = main_pair(entities)
    if pair is None:
        return
    by_id = {e.id: e for e in entities}
    state_ids = {e.country: e.id for e in entities if (e.kind == "state" or e.type == "igo") and e.country in pair}
    if len(state_ids) < 2:
        return
    for ev in paired:
        if not (ev.actors or ev.recipients):
            ev.actors = [state_ids[pair[0]], state_ids[pair[1]]]
            ev.reasons = {**(ev.reasons or {}), "counterpart": PAIR_REASON}
    symmetric = _symmetric_subtypes()
    for ev in events:
        if ev.type in OWN_AFFAIRS or any(ev is p for p in paired):
            continue
        sides = {by_id[i].country if i in by_id else None for i in ev.actors + ev.recipients}
        if len(sides) != 1 or not sides <= set(pair):
            continue
        other = state_ids[pair[1] if sides == {pair[0]} else pair[0]]
        if not ev.actors:
            ev.actors = [other]
        elif ev.recipients:
            continue
        elif ev.subtype in symmetric:
            ev.actors = [*ev.actors, other]
        else:
            ev.recipients = [other]
        ev.confidence = round(ev.confidence * CONFIDENCE_FACTOR, 3)
        ev.reasons = {**(ev.reasons or {}), "counterpart": REASON}
