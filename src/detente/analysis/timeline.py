"""The events between the two sides: one record per event with its direction, a summary and every source.

Events that did not happen (negated) and that are only planned or possible
(hypothetical) are kept apart from what happened; undated events too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..report.model import Pair, Ref, TimelineEvent
from .cite import Library, dedupe
from .config import config
from .facts import EventRow, Participant
from .window import DateWindow, bounds, sort_key

PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "decade": 3}
PARTY_KINDS = ("state", "person", "organization", "group")
ARROWS = {"a_to_b": "→", "b_to_a": "→", "mutual": "↔", "joint": "→"}
PROMISE = "agreement_promised"  # the commitment a future act also codes ("will visit")
INFERRED_NOTE = " — other side inferred: the article's pair, not named in its sentences"


@dataclass
class PairEvent:
    """A timeline record with the stored rows (one per document) it was built from."""

    event: TimelineEvent
    rows: list[EventRow]
    participants: list[Participant] = field(default_factory=list)


@dataclass
class Timeline:
    timeline: list[PairEvent]
    undated: list[PairEvent]
    not_happened: list[PairEvent]
    planned: list[PairEvent]
    low_confidence: list[PairEvent] = field(default_factory=list)  # happened, on a weak reading: kept apart

    @property
    def happened(self) -> list[PairEvent]:
        return self.timeline + self.undated


def ref(p: Participant) -> Ref:
    return Ref(p.entity, p.name, p.kind, p.country)


def _refs(parts: list[Participant], relation: str) -> list[Ref]:
    seen: dict[str, Ref] = {}
    for p in parts:
        if p.relation == relation:
            seen.setdefault(p.entity, ref(p))
    return list(seen.values())


def direction(pair: Pair, subtype: str | None, type_: str | None, parts: list[Participant]) -> str | None:
    """How an event runs between the sides, or None when it is not between them."""
    a, b = pair.a.code, pair.b.code
    act = {p.country for p in parts if p.relation == "actor"}
    rec = {p.country for p in parts if p.relation == "recipient"}
    cfg = config()
    if subtype in cfg.symmetric_subtypes or (subtype is None and type_ in cfg.symmetric_types):
        return "mutual" if {a, b} <= act | rec else None
    if a in act and b in act:
        third = any(p.relation == "recipient" and p.kind in PARTY_KINDS and p.country not in (a, b) for p in parts)
        return "joint" if third else "mutual"
    if a in act and b in rec:
        return "a_to_b"
    if b in act and a in rec:
        return "b_to_a"
    return None


def _names(refs: list[Ref]) -> str:
    names = list(dict.fromkeys(r.name for r in refs))
    if len(names) > 2:
        return f"{names[0]}, {names[1]} and {len(names) - 2} more"
    return " and ".join(names)


ABOUT_WORDS = 6
_CLAUSE_END = re.compile(r"[,;:.!?()\"“”]|\s[-–—]\s|\b(?:which|who|that|while|after|before|because|but)\b")
# Where a time phrase starts, what the event is about has ended ("sanctioned Japan [last year]", "talks [on Friday]").
_TIME = re.compile(
    r"\b(?:(?:last|next|this|that)\s+(?:year|week|month|weekend|spring|summer|autumn|fall|winter)|yesterday|today|"
    r"tomorrow|(?:on|by|until|since)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
    r"(?:in|since|until|by)\s+(?:\d{4}|January|February|March|April|May|June|July|August|September|October|"
    r"November|December))\b"
)


def about(trigger_end: int, sentence: str, sentence_start: int, names: tuple[str, ...] = ()) -> str | None:
    """A few words of the sentence after the event's trigger, up to the end of its clause, without the names of
    its parties: what it is about."""
    rest = sentence[max(0, trigger_end - sentence_start) :]
    cut = min((m.start() for m in (_CLAUSE_END.search(rest), _TIME.search(rest)) if m), default=len(rest))
    words = rest[:cut].split()
    skip = config().about_skip
    while words:
        head = " ".join(words).lower()
        name = next((n for n in names if head.startswith(n.lower() + " ") or head == n.lower()), None)
        if name:
            words = words[len(name.split()) :]
        elif words[0].lower() in skip:
            words.pop(0)
        else:
            break
    while words and words[-1].lower() in config().about_skip:
        words.pop()
    if not words:
        return None
    text = " ".join(words[:ABOUT_WORDS])
    return text + (" …" if len(words) > ABOUT_WORDS else "")


def summary(ev: TimelineEvent, pair: Pair) -> str:
    """A one-line reading: "Russia → Turkey: arms transfer (S-400), 2019-07"."""
    a, b = pair.a.code, pair.b.code
    parties = ev.actors + ev.recipients
    if ev.direction in ("a_to_b", "b_to_a"):
        src, dst = (a, b) if ev.direction == "a_to_b" else (b, a)
        left = _names([r for r in ev.actors if r.side == src])
        right = _names([r for r in ev.recipients if r.side == dst])
    elif ev.direction == "mutual":
        left = _names([r for r in parties if r.side == a])
        right = _names([r for r in parties if r.side == b])
    else:
        left = _names([r for r in ev.actors if r.side in (a, b)])
        right = _names([r for r in ev.recipients if r.side not in (a, b)])
    what = (ev.subtype or ev.type or "event").replace("_", " ").lower()
    text = f"{left} {ARROWS[ev.direction]} {right}: {what}"
    if ev.object:
        text += f" ({ev.object})"
    elif ev.location:
        text += f" in {ev.location}"
    elif ev.about:
        text += f" ({ev.about})"
    if ev.date:
        text += f", {ev.date}"
    if ev.negated and ev.hypothetical:  # "may not stop at Ukraine": a possibility, not a denial
        text += " — may not happen"
    elif ev.negated:
        text += " — did not happen"
    elif ev.hypothetical:
        text += " — planned or possible"
    return text


def _top(values) -> str | None:
    counts = Counter(v for v in values if v)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def _dated(rows: list[EventRow]) -> EventRow | None:
    dated = [r for r in rows if r.date_value]
    return min(
        dated, key=lambda r: (PRECISION_RANK.get(r.date_precision or "", 9), sort_key(r.date_value)), default=None
    )


def _published(rows: list[EventRow]):
    return min((r.published for r in rows if r.published), default=None)


def _outlet(library: Library, doc: str) -> str:
    """The web site a document was published on (its address's host without `www.`), else the document."""
    library.load([doc])
    row = library.rows.get(doc)
    source = (row.source or "") if row else ""
    if "://" in source:
        host = source.split("://", 1)[1].split("/", 1)[0].lower()
        return host.removeprefix("www.")
    return doc


def _reporter(p: Participant) -> bool:
    """A news outlet named as a party ("told VOA", "spoke with VOA") reports the event: it takes no part in it."""
    return p.relation in ("actor", "recipient") and p.kind == "organization" and p.type in config().reporter_types


def build_event(key: str, rows: list[EventRow], pair: Pair, library: Library) -> PairEvent | None:
    """The record of one event from its rows, or None when it does not run between the two sides."""
    rows = sorted(rows, key=lambda r: (r.published is None, r.published, r.doc, r.trigger_start))
    anchor = rows[0]
    parts = [p for r in rows for p in r.participants if not _reporter(p)]
    own = [p for r in rows if r.key == anchor.key for p in r.participants if not _reporter(p)]
    way = direction(pair, anchor.subtype, anchor.type, own) or direction(pair, anchor.subtype, anchor.type, parts)
    if way is None:
        return None
    a, b = pair.a.code, pair.b.code
    frm, to = {"a_to_b": (a, b), "b_to_a": (b, a)}.get(way, (None, None))
    dated = _dated(rows)
    sources = []
    for r in rows:
        evidence = r.evidence or [{"trigger": {"start": r.trigger_start, "end": r.trigger_end},
                                   "sentence": {"start": r.sentence_start, "end": r.sentence_end}}]  # fmt: skip
        for e in evidence:
            t, s = e["trigger"], e["sentence"]
            sources.append(library.source(r.doc, t["start"], t["end"], (s["start"], s["end"])))
    ev = TimelineEvent(
        id=key, type=anchor.type, mode=anchor.mode or _top(r.mode for r in rows),
        subtype=anchor.subtype or _top(r.subtype for r in rows),
        direction=way, from_=frm, to=to, date=dated and dated.date_value, precision=dated and dated.date_precision,
        approximate=bool(dated and dated.date_approximate), summary="",
        actors=_refs(parts, "actor"), recipients=_refs(parts, "recipient"), attendees=_refs(parts, "attendee"),
        object=_top(r.object for r in rows), location=_top(r.location for r in rows),
        negated=anchor.negated, hypothetical=anchor.hypothetical, asserted_by=_refs(parts, "asserted_by"),
        confidence=max((r.confidence or 0.0) for r in rows), documents=len({r.doc for r in rows}),
        sources=dedupe(sources),
    )  # fmt: skip
    ev.outlets = len({_outlet(library, r.doc) for r in rows})
    first = ev.sources[0]
    if not any(ev.subtype in family for family in config().same_event_families.values()):  # who met where says it
        names = tuple(sorted({r.name for r in ev.actors + ev.recipients}, key=len, reverse=True))
        ev.about = about(first.end, first.sentence, first.sentence_start, names)
    ev.summary = summary(ev, pair) + (INFERRED_NOTE if all(r.inferred for r in rows) else "")
    return PairEvent(ev, rows, parts)


@dataclass
class _Mention:
    """What one group of rows (one stored event) says, for telling whether two groups are the same event."""

    key: str
    docs: set[str]
    status: str
    family: str | None
    date: str | None
    location: str | None
    people: set[str]
    sides: set[str]
    published: object


def _mention(key: str, rows: list[EventRow], pair: Pair) -> _Mention:
    cfg = config()
    r0 = rows[0]
    status = "negated" if r0.negated else "hypothetical" if r0.hypothetical else "happened"
    family = next((f for f, subtypes in cfg.same_event_families.items() if r0.subtype in subtypes), None)
    dated = _dated(rows)
    parts = [p for r in rows for p in r.participants if p.relation in ("actor", "recipient", "attendee")]
    people = {p.entity for p in parts if p.kind == "person"}
    sides = {p.country for p in parts if p.country in (pair.a.code, pair.b.code)}
    locations = {r.location for r in rows if r.location}
    place = next(iter(locations)) if len(locations) == 1 else None
    docs = {r.doc for r in rows}
    return _Mention(key, docs, status, family, dated and dated.date_value, place, people, sides, _published(rows))


def _may_be_same(undated: _Mention, dated: _Mention) -> bool:
    """Whether an undated mention can be the dated event: same kind of event and status, both sides, a person in
    common, no place against it, and (in another document) told after the dated event took place."""
    if undated.family is None or undated.family != dated.family or undated.status != dated.status:
        return False
    if not (undated.people & dated.people) or undated.sides != dated.sides:
        return False
    if undated.location and dated.location and undated.location != dated.location:
        return False
    if not undated.docs & dated.docs:
        day = bounds(dated.date)
        if not undated.location or not (day and undated.published and day[0] <= undated.published):
            return False
    return True


def merge_mentions(groups: dict[str, list[EventRow]], pair: Pair) -> dict[str, list[EventRow]]:
    """Groups of rows joined where they tell one event: an undated mention of a meeting, visit or signing joins
    the one dated event of its kind it can be (the same document's first, else another's, which must name the
    place); mentions given the same day in one document join. Two dated mentions of different dates never join,
    and an undated one that could be two events stays alone."""
    info = {k: _mention(k, rows, pair) for k, rows in groups.items()}
    target: dict[str, str] = {}
    dated = [m for m in info.values() if m.date and m.family]
    for key in sorted(info):
        m = info[key]
        if m.family is None:
            continue
        if m.date:
            same = [d for d in dated if d.key < key and d.date == m.date and d.docs & m.docs and _may_be_same(m, d)]
            if same:
                target[key] = same[0].key
            continue
        for same_doc in (True, False):
            candidates = {d.key for d in dated if bool(d.docs & m.docs) == same_doc and _may_be_same(m, d)}
            candidates = {target.get(c, c) for c in candidates}
            if len(candidates) == 1:
                target[key] = candidates.pop()
                break
            if candidates:
                break
        else:
            undated = [u for u in info.values() if not u.date and u.key < key and u.docs & m.docs
                       and u.family == m.family and u.status == m.status and u.people & m.people
                       and u.sides == m.sides]  # fmt: skip
            if undated and not any(d.docs & m.docs and _may_be_same(m, d) for d in dated):
                target[key] = target.get(undated[0].key, undated[0].key)
    out: dict[str, list[EventRow]] = {}
    for key in sorted(groups):
        root = key
        while root in target:
            root = target[root]
        out.setdefault(root, []).extend(groups[key])
    return out


def build_timeline(rows: list[EventRow], pair: Pair, window: DateWindow, library: Library) -> Timeline:
    """The pair's events in the window, split into what happened (dated, undated), did not, or may."""
    # "will meet on Friday" is read as a promise beside the planned meeting: the meeting's row says it once
    meetings = {(r.doc, r.trigger_start) for r in rows if r.type == "CONSULT" and r.hypothetical}
    groups: dict[str, list[EventRow]] = {}
    for r in rows:
        if not (r.subtype == PROMISE and (r.doc, r.trigger_start) in meetings):
            groups.setdefault(r.key, []).append(r)
    groups = merge_mentions(groups, pair)
    library.load({r.doc for r in rows})
    out = Timeline([], [], [], [])
    for key in sorted(groups):
        dated = _dated(groups[key])
        if not window.admits(dated and dated.date_value, _published(groups[key])):
            continue
        pe = build_event(key, groups[key], pair, library)
        if pe is None:
            continue
        ev = pe.event
        if ev.negated and not ev.hypothetical:
            out.not_happened.append(pe)
        elif ev.hypothetical:
            out.planned.append(pe)
        elif ev.confidence < config().low_confidence_below or all(r.inferred for r in pe.rows):
            out.low_confidence.append(pe)  # a weak reading, or a side no sentence names
        elif ev.date:
            out.timeline.append(pe)
        else:
            out.undated.append(pe)

    def order(pe: PairEvent) -> tuple:
        published = _published(pe.rows)
        return (*sort_key(pe.event.date or (published and published.isoformat())), pe.event.id)

    for part in (out.timeline, out.undated, out.not_happened, out.planned, out.low_confidence):
        part.sort(key=order)
    return out
