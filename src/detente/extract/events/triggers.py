"""Trigger detection: which tokens of a sentence code an event, and as what."""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from .lexicon import ARMS, Coding, Entry, Lexicon

OBJECT_DEPS = ("dobj", "nsubjpass", "attr", "oprd")
MODIFIER_DEPS = ("compound", "amod", "nmod", "poss", "npadvmod")
ANAPHORIC = {"the", "this", "that", "these", "those"}


@dataclass
class TriggerMatch:
    token: Token
    entry: Entry
    coding: Coding
    start: int  # token index of the trigger's first word ("pull" of "pull out", "state" of "state visit")
    end: int
    generic: bool = False  # a noun without the modifier its entry needs: only a reference back ("the purchase")
    score: float | None = None  # the learned typer's probability of its type

    @property
    def nominal(self) -> bool:
        return self.entry.pos == "noun"


def _objects(tok: Token) -> list[Token]:
    """The object nouns of a verb (dobj, passive subject, or the object of its particle's preposition)."""
    out = [c for c in tok.children if c.dep_ in OBJECT_DEPS]
    for c in tok.children:
        if c.dep_ == "prep":
            out.extend(p for p in c.children if p.dep_ == "pobj")
        if c.dep_ == "xcomp" and c.pos_ == "NOUN":
            out.append(c)
    out = [o for x in out for o in (x, *x.conjuncts)]
    # "a state of emergency", "70 million dollars of aid": the noun after "of" says what it is
    return out + [p for o in out for c in o.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _subject_words(tok: Token) -> set[str]:
    """Lemmas of a verb's subject and of what it counts ("thousands [of Nigerians]"), `NORP` for a people."""
    words: set[str] = set()
    if tok.dep_ in ("xcomp", "advcl") and not any(c.dep_ == "nsubj" for c in tok.children):
        tok = tok.head  # "thousands gathered [to protest]"
    for c in tok.children:
        if c.dep_ == "nsubj":
            heads = [c] + [p for g in c.children if g.dep_ == "prep" and g.lower_ == "of" for p in g.children]
            words.update(_lemma(h) for h in heads)
            words.update("NORP" for h in heads if h.ent_type_ == "NORP" and h.tag_ in ("NNS", "NNPS"))
    return words


def _words_near(tok: Token, objects: list[Token]) -> set[str]:
    """Lemmas and texts of the trigger, its modifiers and its objects with theirs (for variants)."""
    words = {_lemma(tok), tok.lower_}
    for t in (tok, *objects):
        words.add(_lemma(t))
        words.add(t.text)
        for c in t.children:
            if c.dep_ in MODIFIER_DEPS or (c.dep_ == "prep" and c.lower_ == "of"):
                words.add(_lemma(c))
                words.add(c.text)
                words.update(_lemma(g) for g in c.children if g.dep_ in ("pobj", "compound", "amod"))
    return words


def _has(words: set[str], wanted: frozenset[str], lex: Lexicon) -> bool:
    return bool(wanted & words) or (ARMS in wanted and any(lex.is_arms(w) for w in words))


def _verb_match(tok: Token, lex: Lexicon) -> TriggerMatch | None:
    table = lex.adjectives if tok.pos_ == "ADJ" else lex.verbs
    entries = table.get(_lemma(tok))
    if not entries:
        return None
    # an adverb with its own object is no particle: "pulled [out] front in the race" is taking the lead
    particles = {
        c.lower_ for c in tok.children
        if c.dep_ in ("prt", "prep") or (c.dep_ == "advmod" and not any(g.dep_ == "pobj" for g in c.children))
    }  # fmt: skip
    objects = _objects(tok)
    # "halted mediation efforts", "tested a weapon system": a compound modifier says what the object is
    framed = [c for o in objects for c in o.children if c.dep_ == "compound"]
    object_lemmas = {_lemma(o) for o in objects + framed} | {o.text for o in objects}
    for e in entries:
        if e.particle and not e.particle & particles:
            continue
        if e.objects and not _has(object_lemmas, e.objects, lex):
            continue
        if e.subjects and not e.subjects & _subject_words(tok):
            continue
        end = tok.i + 1
        prt = [c for c in tok.children if c.dep_ == "prt" and c.lower_ in e.particle]
        if prt:
            end = prt[0].i + 1
        coding = e.refine(_words_near(tok, objects), lex.is_arms)
        if _lemma(tok) in lex.warning_verbs and _describes(tok, lex):
            coding = replace(coding, type="ACCUSE", mode="disapprove", subtype="criticism")
        return TriggerMatch(tok, e, coding, tok.i, end)
    return None


def _describes(verb: Token, lex: Lexicon) -> bool:
    """Whether a verb's reported clause describes rather than announces ("warned that X is dangerous", not "warned
    that it would retaliate")."""
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    modals = lex.hypothetical_modals | lex.future_auxes | lex.reported_future
    return bool(clauses) and not any(
        g.dep_ in ("aux", "auxpass") and g.lower_ in modals
        for c in clauses
        for v in (c, *c.conjuncts)
        for g in v.children
    )


def _noun_match(tok: Token, lex: Lexicon) -> TriggerMatch | None:
    entries = lex.nouns.get(_lemma(tok))
    if not entries:
        return None
    words = _words_near(tok, [])
    if tok.dep_ == "pobj":
        words.add(tok.head.lower_)  # "on alert"
    modifiers = words - {_lemma(tok), tok.lower_}
    for e in entries:
        if e.with_not & words:
            continue
        if e.with_ and not _has(modifiers, e.with_, lex):
            if e is entries[-1] and any(c.dep_ == "det" and c.lower_ in ANAPHORIC for c in tok.children):
                return TriggerMatch(tok, e, e.coding, tok.i, tok.i + 1, generic=True)
            continue
        start = tok.i
        while start > 0 and tok.doc[start - 1].head == tok and _lemma(tok.doc[start - 1]) in e.with_:
            start -= 1
        return TriggerMatch(tok, e, e.refine(words, lex.is_arms), start, tok.i + 1)
    return None


def find_triggers(sent: Span, lex: Lexicon) -> list[TriggerMatch]:
    """Every trigger of a sentence, in text order."""
    out = []
    for tok in sent:
        if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
            m = _verb_match(tok, lex)
        elif tok.pos_ == "ADJ" and any(c.dep_ == "xcomp" for c in tok.children):
            m = _verb_match(tok, lex)
        elif tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in ("PERSON", "GPE", "DATE", "CARDINAL"):
            m = _noun_match(tok, lex)
        else:
            m = None
        if m is not None:
            out.append(m)
    return out
