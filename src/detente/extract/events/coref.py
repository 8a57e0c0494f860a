"""One real event, one record: later mentions of an event join it as evidence.

Mentions merge when they code the same thing (type, mode, subtype, negation,
hypothesis), their dates and objects do not disagree, and each side's participants are
compatible (the same entities, or the same states through their country);
a participant-less mention that refers back ("the visit") joins the latest
event of its subtype.
"""

from __future__ import annotations

from collections.abc import Callable

from ...schema import Event, EventDate, EventObject, Evidence
from ..base import Candidate, parse_ref
from .triggers import ANAPHORIC


class Participants:
    """Matching keys of mention references: the entity's name key and its state."""

    def __init__(self, candidates: list[Candidate]):
        self.by_span = {(c.start, c.end): c for c in candidates}

    def states(self, refs: list[str]) -> set[str]:
        """The states of a list of references (the state named, or the one its entity belongs to)."""
        found = (self.by_span.get(span) for span in map(parse_ref, refs) if span)
        return {c.country for c in found if c is not None and c.country}

    def keys(self, refs: list[str]) -> tuple[set[str], set[str]]:
        """(name keys, name keys plus states) of a list of references."""
        names, wide = set(), set()
        for r in refs:
            span = parse_ref(r)
            c = self.by_span.get(span) if span else None
            if c is None:
                names.add(r)
                continue
            if c.kind == "state":
                key = "state:" + (c.country or "")
            elif c.kind == "person" and c.kb_id is None:
                key = "person:" + c.text.split()[-1].lower()
            else:
                key = c.kb_id or f"{c.kind}:{c.text.lower()}"
            names.add(key)
            wide.update((key, "state:" + c.country) if c.country else (key,))
        return names, wide | names


def _targets_ok(new: list[str], old: list[str], parts: Participants) -> bool:
    """Whether two mentions' recipients can be one: a measure on Canada and Mexico is not the one on Canada, Mexico
    and China, though it names fewer (the states they name, when both name any, are the same)."""
    a, b = parts.states(new), parts.states(old)
    return not (a and b) or a == b


def _side_ok(new: list[str], old: list[str], parts: Participants) -> bool:
    if not new or not old:
        return True
    (kn, wn), (ko, wo) = parts.keys(new), parts.keys(old)
    return kn <= wo or ko <= wn


def _shared_side(new: Event, old: Event, parts: Participants) -> bool:
    """Whether the mentions share a participant on the same side (a demand on China and China's own demand
    are two events); symmetric events have actors only, so they share on that side."""
    return bool(
        parts.keys(new.actors)[0] & parts.keys(old.actors)[1]
        or parts.keys(new.recipients)[0] & parts.keys(old.recipients)[1]
    )


def _dates_ok(a: EventDate | None, b: EventDate | None) -> bool:
    if a is None or b is None:
        return True
    return a.value.startswith(b.value) or b.value.startswith(a.value)


def _objects_ok(a: EventObject | None, b: EventObject | None, is_arms: Callable[[str], bool]) -> bool:
    """Whether two mentions' objects can be one thing: not different models ("Su-35 jets", "S-400 systems"),
    not arms and goods ("jets", "wheat"), not two different goods ("wheat", "oil")."""
    if a is None or b is None:
        return True
    wa, wb = a.text.lower().split(), b.text.lower().split()
    ma, mb = {w for w in wa if any(ch.isdigit() for ch in w)}, {w for w in wb if any(ch.isdigit() for ch in w)}
    if ma and mb and not ma & mb:
        return False
    arms_a, arms_b = (any(is_arms(w) or is_arms(_stem(w.lower())) for w in x.text.split()) for x in (a, b))
    if arms_a != arms_b:
        return False
    return arms_a or _stem(wa[-1]) == _stem(wb[-1]) or wa[-1] in wb or wb[-1] in wa


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def kind(e: Event) -> tuple:
    """What an event codes, for matching its mentions."""
    return e.type, e.mode, e.subtype, e.negated, e.hypothetical


def _absorb(old: Event, new: Event) -> None:
    old.evidence.append(Evidence(new.trigger, new.sentence))
    old.actors.extend(a for a in new.actors if a not in old.actors)
    old.recipients.extend(r for r in new.recipients if r not in old.recipients and r not in old.actors)
    old.attendees.extend(a for a in new.attendees if a not in old.attendees + old.actors + old.recipients)
    _absorb_date(old, new.date)
    old.location = old.location or new.location
    old.object = old.object or new.object
    old.confidence = max(old.confidence, new.confidence)


def _absorb_date(old: Event, date: EventDate | None) -> None:
    """A later mention's date fills an undated event (and its reason goes)."""
    old.date = old.date or date
    if old.date and old.reasons:
        old.reasons.pop("date", None)
        old.reasons = old.reasons or None


def merge(new: Event, events: list[Event], parts: Participants, is_arms: Callable[[str], bool]) -> bool:
    """Add `new` as evidence of an earlier event of `events` if it is the same event; whether it was."""
    for old in reversed(events):
        if (
            kind(old) == kind(new)
            and _dates_ok(old.date, new.date)
            and _objects_ok(old.object, new.object, is_arms)
            and _side_ok(new.actors, old.actors, parts)
            and _side_ok(new.recipients, old.recipients, parts)
            and _targets_ok(new.recipients, old.recipients, parts)
            and _shared_side(new, old, parts)
        ):
            _absorb(old, new)
            return True
    return False


def refer_back(
    coding: tuple, evidence: Evidence, date: EventDate | None, events: list[Event], subtypes: frozenset[str],
    attendees: list[str] | None = None,
) -> bool:  # fmt: skip
    """Add a participant-less mention ("the visit") to the latest event it can name; whether there was one.

    A mention whose trigger could code several `subtypes` ("the purchase": trade or arms) names any of them;
    `attendees` are people it says attended ("X also attended the talks").
    """
    for old in reversed(events):
        same = kind(old) == coding or (
            old.subtype in subtypes and (old.type, *kind(old)[3:]) == (coding[0], *coding[3:])
        )
        if same and _dates_ok(old.date, date):
            _absorb_date(old, date)
            old.evidence.append(evidence)
            old.attendees.extend(a for a in attendees or () if a not in old.attendees + old.actors + old.recipients)
            return True
    return False


def refers_back(tok) -> bool:
    """Whether a nominal trigger refers to an event named before ("the visit", "this deal")."""
    return any(c.dep_ == "det" and c.lower_ in ANAPHORIC for c in tok.children)
