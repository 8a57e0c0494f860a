"""Whether an event happened: negation, hypotheticals, commitments, and who asserts it.

Negation and modals are read on the trigger's own clause (the trigger, and for
a noun the light verb it is the object of); the verbs and adjectives that
govern that clause ("refrained from [condemning]", "is expected to [sign]",
"threatened to [impose]") are read by their lemma, up to the first governor
that is itself a trigger or a reported clause's verb.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from .lexicon import Lexicon
from .triggers import TriggerMatch

CONDITION_MARKS = {"if", "unless", "whether"}
REPORTED_DEPS = ("ccomp", "parataxis")
# Prepositions that place an event in time, not under the verb they hang on ("ceased aid [following] the clash").
TIME_PREPS = {"following", "after", "before", "since", "during", "amid", "despite", "until", "ahead", "upon"}


@dataclass
class Modality:
    negated: bool
    hypothetical: bool
    future: bool  # "will visit": a commitment (AGREE) as well as the event it promises
    intent: bool = False  # "plans to impose": a declared intention, a threat when the act is harmful


def _governor(t: Token) -> Token | None:
    """The head whose complement `t`'s clause is ("agreed [to buy]", "refrained from [condemning]")."""
    if t.dep_ == "conj" and t.pos_ == "VERB":  # "agreed to buy and [sell]": the first verb's governor
        return _governor(t.head) if t.head.i != t.i else None
    if t.dep_ in ("xcomp", "acl", "ccomp", "advcl", "relcl"):
        return t.head
    if t.dep_ == "pcomp" and t.head.dep_ == "prep":
        return t.head.head
    if (
        t.dep_ == "pobj"
        and t.head.dep_ == "prep"
        and t.head.lower_ not in TIME_PREPS
        and t.head.head.pos_ in ("VERB", "ADJ", "NOUN")
    ):
        return t.head.head
    return None


def _conditional(tok: Token) -> bool:
    t = tok
    for _ in range(6):
        if t.dep_ == "advcl" and any(c.lower_ in CONDITION_MARKS for c in t.children if c.dep_ == "mark"):
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _none_of(noun: Token, lex: Lexicon) -> bool:
    """Whether a noun is quantified by a negation ("no troops", "none of the aid")."""
    return any(c.dep_ == "det" and c.lower_ in lex.negation_words for c in noun.children) or (noun.lower_ == "none")


def modality(m: TriggerMatch, light_verb: Token | None, triggers: set[int], lex: Lexicon) -> Modality:
    """Negation, hypothesis and commitment of one trigger; `triggers` are the sentence's trigger token indices."""
    own = [m.token] + ([light_verb] if light_verb is not None and light_verb.i not in triggers else [])
    negated = hypothetical = future = intent = False
    reported = speech_head(own[-1], lex) is not None
    for t in own:
        # "the deal was not disclosed (until May)": a report withheld, not an event denied
        reporting = t is not m.token and t.lemma_.lower() in lex.speech_verbs
        for c in t.children:
            low = c.lower_
            if c.dep_ == "neg" or (c.dep_ in ("det", "advmod") and low in lex.negation_words and c.i < t.i):
                negated = negated or not reporting
            elif c.dep_ == "aux" and reported and low in lex.reported_future:
                future = True
            elif c.dep_ == "aux" and low in lex.hypothetical_modals:
                hypothetical = True
            elif c.dep_ == "aux" and low in lex.future_auxes:
                future = True
            elif m.nominal and t.i == m.token.i and c.dep_ == "amod" and low in lex.hypothetical_modifiers:
                hypothetical = True
            elif m.nominal and t.i == m.token.i and c.dep_ == "amod" and low in lex.comparative_modifiers:
                hypothetical = hypothetical or light_verb is None
            elif c.dep_ in ("dobj", "nsubjpass") and not reporting and _none_of(c, lex):
                negated = True  # "sent no troops", "(almost) no support was provided": nothing was done
    if m.nominal and m.token.dep_ == "compound" and m.token.head.lemma_.lower() in lex.hypothetical_governors:
        hypothetical = True  # "tariff plans", "a sanctions proposal"
    if m.nominal and light_verb is None and m.token.dep_ in ("nsubj", "nsubjpass"):
        # "a ceasefire could take place", "the summit will be held": the verb's modal says whether it happens
        modals = lex.hypothetical_modals | lex.future_auxes
        hypothetical = hypothetical or any(c.dep_ == "aux" and c.lower_ in modals for c in m.token.head.children)
    t = own[-1]
    for _ in range(4):
        dep, head = t.dep_, _governor(t)
        if head is None:
            break
        lemma = head.lemma_.lower()
        if dep == "ccomp" and lemma in lex.speech_verbs:
            break
        negated = negated or lemma in lex.negating_governors
        hypothetical = hypothetical or lemma in lex.hypothetical_governors
        intent = intent or (dep == "xcomp" and lemma in lex.intent_governors)
        hypothetical = hypothetical or any(
            c.dep_ == "aux" and c.lower_ in lex.hypothetical_modals | lex.future_auxes for c in head.children
        )
        if head.i in triggers or dep == "ccomp":
            break
        t = head
    if _conditional(m.token):
        hypothetical, future, intent = True, False, False
    return Modality(negated, hypothetical, future and not hypothetical and not negated, intent and not negated)


def speech_head(tok: Token, lex: Lexicon) -> Token | None:
    """The speech verb whose reported clause holds the trigger ("Putin announced that Moscow was [helping]")."""
    t = tok
    for _ in range(8):
        if t.head.i == t.i:
            return None
        dep, t = t.dep_, t.head
        if dep in REPORTED_DEPS and t.lemma_.lower() in lex.speech_verbs:
            return t
    return None


def commentary(noun: Token, lex: Lexicon) -> bool:
    """Whether a nominal trigger is what something is said to be ("poses a threat", "is dangerous and a threat",
    "sees the pact as a threat"): analysis, not an event. A copula's attribute with its own actor ("it was Xi's
    first visit", "the first visit by a Chinese leader") still reports one."""
    t = noun.head if noun.dep_ == "compound" else noun  # "a [tariff] threat"
    while t.dep_ == "conj":
        t = t.head
    head, lemma = t.head, t.head.lemma_.lower()
    if t.dep_ == "pobj" and head.lower_ == "as":
        return head.head.lemma_.lower() in lex.naming_verbs
    if t.dep_ == "oprd" and lemma in lex.naming_verbs:
        return True
    if t.dep_ in ("attr", "dobj", "oprd", "acomp") and lemma in lex.commentary_verbs:
        return lemma != "be" or not any(
            c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "by") for c in noun.children
        )
    return False
