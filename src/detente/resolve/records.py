"""Turn the context's records into the contract's: mention references become entity ids, ids are numbered.

Ids of events, quantities, quotes and dates are local to the document and
numbered in text order (`e1`, `q1`, `u1`, `d1`, …); an event names the
quantities that measure it by their spans (`@start:end`) until they have ids.
"""

from __future__ import annotations

from ..extract.base import DocContext, ref
from ..schema import DocumentMeta, DocumentResult, Entity, Event
from .counterparts import fill_counterparts
from .entities import Resolution


def _ids(values: list[str], resolution: Resolution) -> list[str]:
    out: list[str] = []
    for v in values:
        eid = resolution.resolve_ref(v)
        if eid and eid not in out:
            out.append(eid)
    return out


def _number(records: list, prefix: str) -> None:
    records.sort(key=lambda r: (r.start, r.end) if hasattr(r, "start") else (r.trigger.start, r.trigger.end))
    for i, r in enumerate(records, 1):
        r.id = f"{prefix}{i}"


def _no_self_sanctions(events: list[Event], entities: list[Entity]) -> None:
    """A state does not sanction itself: "tariffs on steel exports to the U.S." by Trump aim at the exporters, so a
    recipient of the actors' own state is dropped from a sanction."""
    country = {e.id: e.country for e in entities}
    for ev in events:
        sides = {country.get(a) for a in ev.actors}
        if ev.type == "SANCTION" and sides and None not in sides:
            ev.recipients = [r for r in ev.recipients if country.get(r) not in sides]


def finalize(meta: DocumentMeta, ctx: DocContext, resolution: Resolution) -> DocumentResult:
    """The document's result with every reference resolved."""
    for q in ctx.quantities:
        q.entities = _ids(q.entities, resolution)
        q.from_ = resolution.resolve_ref(q.from_)
        q.to = resolution.resolve_ref(q.to)
        q.asserted_by = resolution.resolve_ref(q.asserted_by)
    for u in ctx.quotes:
        u.speakers = _ids(u.speakers, resolution)
        u.speaker = u.speakers[0] if u.speakers else None
        if u.speaker is None:
            u.reasons = {**(u.reasons or {}), "speaker": (u.reasons or {}).get("speaker", "no speaker found")}
        elif u.reasons:  # the extractor's reason for a speaker that might not resolve
            u.reasons = {k: v for k, v in u.reasons.items() if k != "speaker"} or None
    for ev in ctx.events:
        ev.actors = _ids(ev.actors, resolution)
        ev.recipients = [r for r in _ids(ev.recipients, resolution) if r not in ev.actors]
        ev.attendees = [a for a in _ids(ev.attendees, resolution) if a not in ev.actors + ev.recipients]
        ev.asserted_by = resolution.resolve_ref(ev.asserted_by)
        if ev.location and ev.location.entity:
            ev.location.entity = resolution.resolve_ref(ev.location.entity)
        if ev.object and ev.object.entity:
            ev.object.entity = resolution.resolve_ref(ev.object.entity)
    _no_self_sanctions(ctx.events, resolution.entities)
    fill_counterparts(ctx.events, resolution.entities, ctx.paired)
    events = [ev for ev in ctx.events if ev.type is None or ev.actors or ev.recipients]
    for records, prefix in ((ctx.dates, "d"), (ctx.quantities, "q"), (ctx.quotes, "u"), (events, "e"),
                            (ctx.absences, "a")):  # fmt: skip
        _number(records, prefix)
    by_span = {ref(q.start, q.end): q.id for q in ctx.quantities}
    for ev in events:
        if ev.quantities is not None:
            ev.quantities = [by_span[v] for v in ev.quantities if v in by_span] or None
    by_trigger = {ref(ev.trigger.start, ev.trigger.end): ev.id for ev in events}
    for a in ctx.absences:  # an absence names its negated event by the event's trigger span until it has an id
        a.entities = _ids(a.entities, resolution)
        a.negated_event = by_trigger.get(a.negated_event or "")
    return DocumentResult(meta, resolution.entities, events, ctx.quantities, ctx.quotes, ctx.dates, ctx.absences)
