"""Where and when an event happened, and what it was about: date, location, object.

The date is a date expression of the trigger's own clause (the dates layer's
records); failing that, one elsewhere in the sentence that no other trigger or
reporting verb claims. A trigger that refers back ("the visit") takes the date
of the event it names when it joins it (coref.py), never a nearby sentence's.
Never the publication date.
"""

from __future__ import annotations

from spacy.tokens import Token

from ...schema import DateRecord, EventDate, EventObject, Place
from ..base import Candidate, Chunk, ref
from .mentions import Mentions

LOCATIVE = ("in", "at", "near", "outside", "inside", "during")
ANAPHORIC_DETS = {"the", "this", "that", "these", "those", "its", "their", "his", "her"}


def _anchor(tok: Token) -> Token:
    """The verb or noun a date expression hangs on."""
    t = tok
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") or t.head == t:
            return t
        if t.dep_ not in ("pobj", "prep", "npadvmod", "nummod", "compound", "tmod", "advmod", "amod", "appos", "nmod",
                          "conj", "cc", "quantmod", "det", "poss", "case"):  # fmt: skip
            return t.head
        t = t.head
    return t


def _event_date(d: DateRecord) -> EventDate:
    return EventDate(d.value, d.precision, d.approximate, d.start, d.end)


def event_date(
    clause: set[int],
    own: set[int],
    here: list[DateRecord],
    chunk: Chunk,
    after: str | None = None,
    free: bool = True,
) -> EventDate | None:
    """The date of the event whose trigger (and light verb) are the token indices `clause`.

    `own` are indices of tokens claimed by something else in the sentence (other triggers, reporting verbs); a
    date anchored on none of them dates the event too, unless `free` is false.
    A planned event (`after`: the publication date) prefers a date not before it when the sentence offers both.
    """
    anchored, free_dates = [], []
    for d in here:
        span = chunk.doc.char_span(d.start - chunk.offset, d.end - chunk.offset, alignment_mode="expand")
        if span is None:
            continue
        anchor = _anchor(span.root).i
        if anchor in clause:
            anchored.append(d)
        elif anchor not in own:
            free_dates.append(d)
    for found in (anchored, free_dates) if free else (anchored,):
        if found:
            if after:
                found = sorted(found, key=lambda d: _before(d.value, after))  # stable: text order otherwise
            return _event_date(found[0])
    return None


def _before(value: str, day: str) -> bool:
    """Whether a date value (or the end of a range) lies wholly before an ISO day."""
    end = value.split("/")[-1]
    return end < day[: len(end)]


def location(heads: list[Token], mentions: Mentions) -> Place | None:
    """The place after "in"/"at" on the trigger or its light verb ("talks in Beijing"), or one level below it
    ("at this jail in northern Israel", "on Tuesday in Serbia", "near the town of Samarra")."""
    for h in heads:
        for prep, p in _locative_objects(h, LOCATIVE + ("on",)):
            cand = mentions.at(p) if prep != "on" else None  # "sanctions on Iran" is no place
            if cand is None or cand.kind not in ("place", "state"):
                below = LOCATIVE + (("of",) if p.lemma_.lower() in mentions.lex.place_nouns else ())
                cand = next((mentions.at(q) for _, q in _locative_objects(p, below) if mentions.at(q)), None)
            if cand is not None and cand.kind in ("place", "state"):
                return place_of(cand)
    return None


def _locative_objects(tok: Token, preps: tuple[str, ...]) -> list[tuple[str, Token]]:
    """(preposition, object) pairs of `tok`, through a two-word preposition ("outside of", "out of")."""
    out = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            inner = [g for g in c.children if g.dep_ == "prep" and not any(p.dep_ == "pobj" for p in c.children)]
            out.extend((c.lower_, p) for x in [c, *inner] for p in x.children if p.dep_ == "pobj")
    return out


def place_of(c: Candidate) -> Place:
    return Place(c.text, ref(c.start, c.end), c.country, c.start, c.end)


def thing(tok: Token, mentions: Mentions, chunk: Chunk) -> EventObject | None:
    """The object phrase headed by `tok` ("S-400 missile systems"), without determiners."""
    cand = mentions.at(tok)
    if cand is not None and cand.kind == "document":
        return EventObject(cand.text, cand.start, cand.end, ref(cand.start, cand.end))
    if tok.pos_ not in ("NOUN", "PROPN") or tok.is_stop:
        return None
    left = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nummod", "nmod", "quantmod")]
    first = min([c.left_edge.i for c in left] + [tok.i])
    while first < tok.i and (tok.doc[first].is_punct or tok.doc[first].dep_ in ("det", "poss", "case")):
        first += 1
    last = tok.i
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ == "of" and c.right_edge.i - tok.i < 12:
            last = c.right_edge.i
    span = tok.doc[first : last + 1]
    start, end = chunk.span_of(span)
    return EventObject(span.text, start, end, None)
