"""One real event, one record: later mentions of an event join it as evidence.

Mentions merge when they code the same thing (type, mode, subtype, negation,
hypothesis), their dates do not disagree, and each side's participants are
compatible (the same entities, or the same states through their country);
a participant-less mention that refers back ("the visit") joins the latest
event of its subtype.
"""

from __future__ import annotations

from ...schema import Event, EventDate, Evidence
from ..base import Candidate, parse_ref
from .triggers import ANAPHORIC


class Participants:
    """Matching keys of mention references: the entity's name key and its state."""

    def __init__(self, candidates: list[Candidate]):
        self.by_span = {(c.start, c.end): c for c in candidates}

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


def _side_ok(new: list[str], old: list[str], parts: Participants) -> bool:
    if not new or not old:
        return True
    (kn, wn), (ko, wo) = parts.keys(new), parts.keys(old)
    return kn <= wo or ko <= wn


def _dates_ok(a: EventDate | None, b: EventDate | None) -> bool:
    if a is None or b is None:
        return True
    return a.value.startswith(b.value) or b.value.startswith(a.value)


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


def merge(new: Event, events: list[Event], parts: Participants) -> bool:
    """Add `new` as evidence of an earlier event of `events` if it is the same event; whether it was."""
    for old in reversed(events):
        if (
            kind(old) == kind(new)
            and _dates_ok(old.date, new.date)
            and _side_ok(new.actors, old.actors, parts)
            and _side_ok(new.recipients, old.recipients, parts)
            and parts.keys(new.actors + new.recipients)[0] & parts.keys(old.actors + old.recipients)[1]
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
