"""Arguments of a trigger from the dependency parse, and who is actor or recipient.

Roles are read the same way for verbs and nouns: the subject (nsubj, the agent
of a passive, the possessor or an entity modifier of a noun, the subject of the
light verb a noun is the object of: "paid a visit"), the object (dobj, passive
subject, "of X" after a noun), and prepositional objects by preposition. The
entry's direction then says who acts and who receives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from ..base import Candidate
from .mentions import Mentions
from .triggers import TriggerMatch

RELATIVE = {"which", "who", "that", "whom"}
CLAUSE_UP = ("xcomp", "conj", "advcl", "pcomp", "acl", "acomp")
SYMMETRIC_PREPS = ("with", "between", "among", "alongside")
LIGHT_PREPS = ("in", "on", "into")
# A meeting or visit in one of these is the clause subject's ("Sanchez said [during a visit] to Beijing").
CONSULT_PREPS = ("during", "after")
SUBJECT_CONTROL = {
    "promise",
    "vow",
    "pledge",
    "threaten",
}  # "promised X to visit": the subject visits  # "took part in drills", "agreed on a deal"; not "despite threats"


@dataclass
class Roles:
    subj: list[Candidate] = field(default_factory=list)
    obj: list[Candidate] = field(default_factory=list)
    preps: dict[str, list[Candidate]] = field(default_factory=dict)
    things: list[Token] = field(default_factory=list)  # objects that are not entities ("S-400 systems")
    owners: list[Candidate] = field(default_factory=list)  # entities behind such an object ("Iraq's proposal")
    thing_preps: dict[str, list[Candidate]] = field(default_factory=dict)  # "condemned the invasion [of Ukraine]"
    governor: Token | None = None  # the verb a nominal trigger depends on ("paid" of "paid a visit")

    def prep(self, p: str) -> list[Candidate]:
        """The objects of a preposition on the trigger, else on its object ("signed a deal [with Japan]")."""
        return self.preps.get(p) or self.thing_preps.get(p, [])


def _pobjs(prep: Token) -> list[Token]:
    return [g for g in prep.children if g.dep_ in ("pobj", "pcomp")]


def _subject(verb: Token, mentions: Mentions, depth: int = 0) -> list[Candidate]:
    """The subject of a verb, climbing to the governing clause ("agreed to buy", "met and signed")."""
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj"):
            if c.lower_ in RELATIVE and verb.dep_ == "relcl":
                return mentions.of(verb.head)
            return mentions.of(c)
        if c.dep_ == "agent":
            return [m for p in _pobjs(c) for m in mentions.of(p)]
    if verb.dep_ in ("relcl", "acl") and not any(c.dep_ == "nsubjpass" for c in verb.children):
        if verb.tag_ != "VBN":
            found = mentions.of(verb.head) or [
                x for c in verb.head.children if c.dep_ == "poss" for x in mentions.of(c)
            ]  # "Obama's failure [to sell]"
            if found or depth >= 3 or verb.head.dep_ != "dobj":
                return found
            # "the PKK issued a declaration [demanding]": the subject of the verb the noun is the object of
            return _subject(verb.head.head, mentions, depth + 1)
    head = verb.head.head if verb.dep_ == "pcomp" else verb.head
    if verb.dep_ == "xcomp" and head.lemma_.lower() not in SUBJECT_CONTROL:
        controller = _controller(head, mentions)  # "urged the EU [to support]": the EU supports
        if controller:
            return controller
    if verb.dep_ == "xcomp" and (raised := [c for c in head.children if c.dep_ == "nsubjpass"]):
        return mentions.of(raised[0])  # "He is scheduled [to travel]": he travels
    if depth < 3 and verb.dep_ in CLAUSE_UP and head.pos_ in ("VERB", "AUX", "ADJ"):
        return _subject(head, mentions, depth + 1)
    return []


def _controller(head: Token, mentions: Mentions) -> list[Candidate]:
    """The object of a verb that controls its "to" clause ("urged X to", "called on X to", "allowed X to")."""
    for c in head.children:
        if c.dep_ in ("dobj", "dative") and (found := mentions.of(c)):
            return found
        if (
            c.dep_ == "prep"
            and c.lower_ in ("on", "upon")
            and (found := [m for p in _pobjs(c) for m in mentions.of(p)])
        ):
            return found
    return []


def owners(thing: Token, mentions: Mentions) -> list[Candidate]:
    """Entities a non-entity noun belongs to or comes from ("a U.S. request", "positions of the Syrian army");
    a possessor before the noun wins over "of" after it ("Russia's invasion of Ukraine" is Russia's)."""
    before: list[Candidate] = []
    after: list[Candidate] = []
    if thing.lemma_.lower() in mentions.lex.relational_nouns:
        return []
    for c in thing.children:
        if c.dep_ == "amod" and c.i < thing.i and (state := mentions.adjective(c)):
            before.append(state)
        elif c.dep_ in ("poss", "compound", "nmod") and c.i < thing.i:
            before.extend(x for x in mentions.of(c) if x.kind != "document")
        elif c.dep_ == "prep" and c.lower_ in ("of", "from", "by"):
            after.extend(x for p in _pobjs(c) for x in mentions.of(p))
    return before or after


def _object_clauses(noun: Token) -> list[Token]:
    """Relative clauses of which the noun is the object ("the sanctions [Washington has imposed on Moscow]", "the
    visit [which Modi paid to Moscow]"): they name the parties of what the noun names."""
    out = []
    for rel in noun.children:
        if rel.dep_ != "relcl" or rel.pos_ != "VERB":
            continue
        subject_is_noun = any(g.dep_ == "nsubj" and g.lower_ in RELATIVE for g in rel.children)
        own_object = any(g.dep_ in ("dobj", "nsubjpass") and g.lower_ not in RELATIVE for g in rel.children)
        if not (subject_is_noun or own_object):
            out.append(rel)
    return out


def _collect_preps(tok: Token, mentions: Mentions, roles: Roles, into: dict | None = None) -> None:
    into = roles.preps if into is None else into
    for c in tok.children:
        if c.dep_ == "prep" or (c.dep_ == "dative" and c.pos_ == "ADP"):  # "issued a reminder [to Iraq]"
            for p in _pobjs(c):
                found = mentions.of(p) or (owners(p, mentions) if c.lower_ != "of" else [])
                if found:
                    into.setdefault(c.lower_, []).extend(found)
                elif c.lower_ == "of":
                    roles.things.append(p)


def _light_verb(
    noun: Token,
    preps: tuple[str, ...] = LIGHT_PREPS,
    extents: frozenset[str] = frozenset(),
    gathering: frozenset[str] = frozenset(),
) -> Token | None:
    """The verb a nominal trigger is the object of ("held talks", "took part in drills", "launched [10 days of]
    war games" through a noun of `extents`, "converged for a rally" through a verb of `gathering`)."""
    t = noun
    for _ in range(4):
        if t.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and t.head.pos_ in ("VERB", "AUX"):
            return t.head
        if t.dep_ == "pobj" and t.head.lower_ in preps and t.head.head.pos_ in ("VERB", "AUX"):
            return t.head.head
        if t.dep_ == "pobj" and t.head.lower_ == "for" and t.head.head.lemma_.lower() in gathering:
            return t.head.head
        if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in extents:
            t = t.head.head
            continue
        if t.dep_ == "conj":
            t = t.head
            continue
        return None
    return None


def _phrase_head(n: Token, mentions: Mentions) -> Token:
    """The frame noun a nominal trigger modifies ("a [mediation] effort between X and Y", "a military [aid]
    program for Bosnia") or the action noun it is the "of" object of ("Trump's imposition of [sanctions]"), whose
    modifiers, prepositions and verb are the event's; else the trigger."""
    head = n.head
    if n.dep_ == "compound" and head.pos_ == "NOUN" and mentions.at(head) is None:
        if head.lemma_.lower() in mentions.lex.frame_nouns:
            return head
    if n.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in mentions.lex.action_nouns:
        return head.head  # "Trump's imposition of [sanctions]"
    return n


def verb_roles(v: Token, mentions: Mentions, thing_object: bool = False) -> Roles:
    """Roles of a verb; with `thing_object` its object is a party only when it names a state or person outright."""
    roles = Roles(subj=_subject(v, mentions))
    stative = v.lower_ in mentions.lex.stative_participles and not any(c.dep_ == "agent" for c in v.children)
    for c in v.children:
        if c.dep_ == "nsubjpass" and stative:
            roles.subj.extend(mentions.of(c))
        elif c.dep_ in ("dobj", "nsubjpass", "dative", "attr", "oprd"):
            if thing_object and c.dep_ != "dative":
                at = mentions.at(c)
                found = [at] if at is not None and at.kind in ("state", "person") else []
            else:
                found = mentions.of(c)
            if found:
                roles.obj.extend(found)
            elif c.dep_ != "dative":
                roles.things.append(c)
                roles.owners.extend(owners(c, mentions))
                _collect_preps(c, mentions, roles, roles.thing_preps)
                for rel in _object_clauses(c):  # "lifted the sanctions [Washington imposed on Moscow]"
                    _collect_preps(rel, mentions, roles, roles.thing_preps)
    if v.dep_ == "acl" and v.tag_ == "VBN":  # "S-400 systems delivered by Russia"
        roles.things.append(v.head)
    _collect_preps(v, mentions, roles)
    return roles


def noun_roles(m: TriggerMatch, mentions: Mentions, inherit: bool) -> Roles:
    n = m.token
    roles = Roles()
    own = mentions.at(n)
    phrase = _phrase_head(n, mentions)
    heads = (n,) if phrase is n else (n, phrase)
    for c in (c for h in heads for c in h.children):
        if c.dep_ in ("poss", "compound", "amod", "nmod", "npadvmod") and c.i < c.head.i and c is not n:
            found = [x for x in mentions.of(c) if x is not own and x.kind != "place"]
            if not found and c.dep_ == "amod" and (state := mentions.adjective(c)):
                found = [state]
            if found and c.dep_ == "poss" and n.lemma_.lower() in mentions.lex.undergoer_nouns:
                roles.obj.extend(found)  # "Ivanov's arrest": Ivanov is arrested
            elif found:
                roles.subj.extend(found)
            elif c.dep_ == "compound" and not c.like_num:
                roles.things.append(c)
    for h in heads:
        _collect_preps(h, mentions, roles)
    for t in [t for t in roles.things if t.dep_ == "pobj" and t.head.head.i in (n.i, phrase.i)]:
        _collect_preps(t, mentions, roles)  # "a suspension of air links [with Serbia]"
    by = roles.preps.pop("by", [])
    if "from" not in m.entry.preps and m.coding.direction == "directed":
        by += roles.preps.pop("from", [])  # "loans from Beijing", "criticism from Tokyo"
    roles.subj.extend(by)
    roles.obj.extend(roles.preps.pop("of", []))
    for t in roles.things:
        roles.owners.extend(owners(t, mentions))
    for rel in _object_clauses(phrase):
        if not roles.subj:
            roles.subj = [x for g in rel.children if g.dep_ == "nsubj" for x in mentions.of(g)]
        _collect_preps(rel, mentions, roles)
    preps = LIGHT_PREPS + (CONSULT_PREPS if m.coding.type == "CONSULT" else ())
    gov = _light_verb(phrase, preps, mentions.lex.extent_heads, mentions.lex.gathering_verbs)
    roles.governor = gov
    if gov is not None and inherit and gov.lemma_.lower() not in mentions.lex.topic_verbs:
        if gov.lemma_.lower() in mentions.lex.patient_verbs:  # "Turkey faces sanctions": Turkey receives them
            roles.obj.extend(x for x in _subject(gov, mentions) if x not in roles.obj)
        elif not roles.subj:
            roles.subj = _subject(gov, mentions) or [
                x for c in gov.children if c.dep_ == "nsubjpass" and c.i != n.i for x in mentions.of(c)
            ]  # "Serb forces were engaged in [ethnic cleansing]"
        _collect_preps(gov, mentions, roles)
        if gov.lemma_.lower() in mentions.lex.patient_verbs and "from" not in m.entry.preps:
            roles.subj.extend(roles.preps.pop("from", []))  # "received loans from Beijing": Beijing gives
    return roles


def pair_subject(head: Token | None, lex) -> Token | None:
    """The subject of `head` when it is "both sides", "the two leaders", "the prime ministers" or "both": the two
    parties the article is about, named by no name."""
    t, subj = head, None
    for _ in range(3):
        if t is None:
            return None
        subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            break
        t = t.head if t.dep_ in ("xcomp", "conj", "advcl") and t.head != t else None
    if subj is None or subj.pos_ == "PROPN":
        return None
    marks = {c.lower_ for c in subj.children if c.dep_ in ("det", "nummod", "predet", "quantmod")}
    lemma = subj.lemma_.lower()
    if subj.lower_ == "both" and not list(subj.children) or subj.lower_ == "two" and marks == {"the"}:
        return subj  # "both agreed", "the two committed"
    if lemma in lex.pair_heads and marks & {"both", "two"}:
        return subj
    return subj if subj.tag_ == "NNS" and marks == {"the"} and lemma in lex.pair_offices else None


OWNER_DEPS = ("amod", "poss", "compound", "nmod")
# Dependencies followed down a trigger's own phrase to a party it names deeper in ("support a deal [between
# Britain and Mauritius]", "cooperate in building a parliament [for Mauritius]", "tariffs on [U.S.] exports").
NESTED_DEPS = ("dobj", "prep", "pobj", "pcomp", "xcomp", "dative", "compound", "amod", "poss", "nmod", "appos", "oprd")
NESTED_KINDS = ("state", "organization", "person", "group", "pronoun", "description")


def nested_parties(
    tok: Token, mentions: Mentions, first: tuple[str, ...] = NESTED_DEPS, depth: int = 6
) -> list[Candidate]:
    """The parties nearest below a trigger in its own phrase (not in clauses it governs), nearest level first;
    `first` are the dependencies it may start down (a meeting's object is its topic, not a party)."""
    frontier = [c for c in tok.children if c.dep_ in first]
    for _ in range(depth):
        found: list[Candidate] = []
        for t in frontier:
            c = mentions.at(t)
            if c is None and t.dep_ == "amod":
                c = mentions.adjective(t)
            if c is not None and c.kind in NESTED_KINDS:
                found.extend(x for x in [c, *mentions.of(t)] if x.kind in NESTED_KINDS and x not in found)
        if found:
            return found
        frontier = [
            c for t in frontier for c in t.children if c.dep_ in NESTED_DEPS + ("conj",)
            and not (c.dep_ in OWNER_DEPS and t.lemma_.lower() in mentions.lex.relational_nouns)  # "Chinese rivals"
        ]  # fmt: skip
    return []
