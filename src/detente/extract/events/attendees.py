"""Who else took part in a meeting or visit: the people (and bodies) the sentence names as attending.

Read from the parse of the event's sentence: the subject of an attendance verb ("X attended", "X accompanied
the president"), the agent of its passive ("accompanied by X", "joined by X"), the objects of "included" ("the
delegation included X and Y"), "X was among …", "along with X"; and, for a meeting, the other named officials
of a side already taking part ("Lavrov met Wang Yi; Deputy Minister X and Ambassador Y were also present").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..base import Candidate
from .lexicon import Lexicon
from .mentions import Mentions

ATTENDEE_KINDS = ("person", "organization")


def _pobjs(tok: Token) -> list[Token]:
    return [g for g in tok.children if g.dep_ == "pobj"]


def _named(tok: Token, lex: Lexicon) -> list[Token]:
    """The heads the sentence names as attending around `tok`."""
    lemma = tok.lemma_.lower()
    out: list[Token] = []
    if tok.pos_ == "VERB" and lemma in lex.attendance_verbs:
        for c in tok.children:
            if c.dep_ == "nsubj" or (c.dep_ == "dobj" and lemma in lex.listing_verbs):
                out.append(c)
            elif c.dep_ == "agent":
                out.extend(_pobjs(c))
    if tok.dep_ == "prep" and tok.lower_ == "among" and tok.head.pos_ in ("AUX", "VERB"):
        out.extend(c for c in tok.head.children if c.dep_ == "nsubj")
    if tok.lower_ == "with" and tok.head.lower_ in ("along", "together"):
        out.extend(_pobjs(tok))
    return out


def attendees(sent: Span, mentions: Mentions, lex: Lexicon, parties: list[Candidate], meeting: bool) -> list[Candidate]:
    """Attendees of an event of the sentence `sent` whose actors and recipients are `parties`."""
    taken = {(c.start, c.end) for c in parties} | {c.kb_id for c in parties if c.kb_id}
    out: list[Candidate] = []

    def add(c: Candidate | None) -> None:
        if c is not None and c.kind in ATTENDEE_KINDS and (c.start, c.end) not in taken and c.kb_id not in taken:
            if c not in out:
                out.append(c)

    for tok in sent:
        for head in _named(tok, lex):
            for c in mentions.of(head):
                add(c)
    if meeting:
        sides = {c.country for c in parties if c.country}
        for tok in sent:
            c = mentions.at(tok)
            if c is not None and c.kind == "person" and c.country in sides:
                add(c)
    return out
