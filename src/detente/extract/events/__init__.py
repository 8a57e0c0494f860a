"""Political events coded in PLOVER 2.0 (type, mode, our subtype), with direction, date, negation and evidence.

`extract_events` reads each sentence's triggers (lexicon.py, triggers.py),
their arguments from the parse (arguments.py, mentions.py), whether they
happened (modality.py), their date, place and object (anchors.py), and merges
repeated mentions of one event (coref.py). Participants are mention references
(`@start:end`) that finalize resolves to entity ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from ...schema import Event, Evidence, Place, Trigger
from ...schema import Span as TextSpan
from ..base import Candidate, Chunk, DocContext, extractor, ref
from .anchors import event_date, location, place_of, thing
from .arguments import (
    NESTED_DEPS,
    SYMMETRIC_PREPS,
    Roles,
    _pobjs,
    nested_parties,
    noun_roles,
    owners,
    pair_subject,
    verb_roles,
)
from .attendees import attendees
from .confidence import ConfidenceModel, confidence_features, load_confidence, ranking
from .confidence import recording as recording_confidence
from .coref import Participants, merge, refer_back, refers_back
from .features import open_candidates
from .lexicon import Lexicon, load_lexicon
from .mentions import Mentions
from .modality import CONDITION_MARKS, Modality, commentary, modality, speech_head
from .sides import ACTOR, RECIPIENT, SideModel, linked, load_sides, parties, party_features, recording
from .sides import NONE as NO_SIDE
from .triggers import TriggerMatch, find_triggers
from .typer import NONE, EventTyper, load_typer
from .typer import reading as reading_typer

READOUT = re.compile(r"attributable to\s+([^:\n]{2,120}):")
# Types whose trigger's non-entity object is what the event is about (what was sold, signed, sanctioned).
OBJECT_TYPES = {"SUPPORT", "COOPERATE", "AID", "SANCTION", "THREATEN", "AGREE", "REQUEST", "REJECT", "CONCEDE",
                "MOBILIZE", "RETREAT", "COERCE"}  # fmt: skip
# A noun governed by a trigger of these types takes that trigger's subject ("threatened sanctions").
INHERITING_TYPES = {"THREATEN", "AGREE", "SUPPORT"}
VISIT_PREPS = ("to", "in", "for", "at")
NO_DATE = "no date in its sentence, and it names no dated event before it"
UNNAMED_ACTOR = "no attacker named: the place it happened stands for the attackers, as PLOVER codes it"
MEETINGS = {"meeting", "talks", "summit"}  # where other named officials of a side attend too
PEOPLE_KINDS = ("person", "description", "pronoun")  # mentions of individual people
# The typer's thresholds, chosen by grouped cross-validation of the whole extraction on the training sentences
# (docs: README, "How the event typer is trained"): a lexicon candidate read as no event with at least DROP is
# dropped; the typer overrules the lexicon's type when its own is MARGIN more probable; a word the lexicon does
# not know becomes a trigger when typed with at least OPEN.
DROP = 0.9
MARGIN = 0.2
SPECIFIC_MARGIN = 0.4  # for an entry whose conditions or variant matched ("suspended [tariffs]": an easing)
OPEN = 0.25
WHEN_MARKS = ("when", "while")  # clauses that place an event at the moment of another
# What makes a plural noun particular ("its tariffs", "25% tariffs").
BOUND_DEPS = ("det", "poss", "nummod", "quantmod")


@dataclass
class Sentence:
    span: Span
    start: int
    end: int
    triggers: dict[int, TriggerMatch]
    claimed: set[int]  # tokens that other triggers or reporting verbs own (for dates)
    scores: list[float | None]  # the typer's probability of each trigger's type


def _sharing_time(verb: Token, mod: Modality) -> set[int]:
    """The verbs whose time a verb shares: the first of coordinated verbs ("visited Europe in September and [met]
    officials") and, for what happened, the verb of its purpose clause ("met officials [to lobby]"), up the chain;
    not the verb a hoped-for act depends on ("urged Lima [to sign]")."""
    out: set[int] = set()
    t = verb
    for _ in range(3):
        purpose = t.dep_ in ("xcomp", "advcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
        purpose = purpose and not (mod.hypothetical or mod.negated)
        if not (t.dep_ == "conj" or purpose) or t.head.i == t.i or t.head.pos_ not in ("VERB", "AUX"):
            break
        t = t.head
        out.add(t.i)
    return out


def _when_clauses(heads: list[Token]) -> list[Token]:
    """The verbs of the temporal clauses on `heads` ("… when they blew themselves up"): the same moment."""
    return [
        c for h in heads for c in h.children
        if c.dep_ == "advcl" and any(g.dep_ in ("advmod", "mark") and g.lower_ in WHEN_MARKS for g in c.children)
    ]  # fmt: skip


def _refs(cands: list[Candidate]) -> list[str]:
    out: list[str] = []
    for c in cands:
        r = ref(c.start, c.end)
        if r not in out:
            out.append(r)
    return out


class _DocEvents:
    """Event extraction over one chunk."""

    def __init__(
        self,
        chunk: Chunk,
        ctx: DocContext,
        lex: Lexicon,
        typer: EventTyper,
        sides: SideModel | None,
        confidence: ConfidenceModel | None,
    ):
        self.chunk, self.ctx, self.lex, self.typer, self.sides = chunk, ctx, lex, typer, sides
        self.confidence = confidence
        self.made: list[tuple[Event, bool]] | None = None  # the sentence's events, each with whether it is new
        self.mentions = Mentions(chunk, ctx, lex)
        self.states = {c.country: c for c in reversed(ctx.candidates) if c.kind == "state"}
        self.dates = sorted((d for d in ctx.dates if d.value and d.precision), key=lambda d: d.start)
        self.readout = self._readout()

    def _readout(self) -> tuple[int, str] | None:
        """(where it starts, speaker reference) of an official readout's attribution line."""
        m = READOUT.search(self.ctx.text)
        if not m:
            return None
        inside = [c for c in self.ctx.candidates if m.start(1) <= c.start and c.end <= m.end(1)]
        inside.sort(key=lambda c: (c.kind != "person", c.start))
        return (m.end(), ref(inside[0].start, inside[0].end)) if inside else None

    def run(self) -> None:
        for sent in self.chunk.doc.sents:
            start, end = self.chunk.span_of(sent)
            if not self.ctx.in_noise(start, end):
                matches = self._typed(sent, find_triggers(sent, self.lex))
                if matches:
                    self._sentence(sent, start, end, matches)
                else:
                    self._delegation(sent)

    def _typed(self, sent: Span, matches: list[TriggerMatch]) -> list[TriggerMatch]:
        """The triggers of a sentence as the learned typer reads them: each lexicon match takes the typer's type
        (or is dropped as no event), and a sentence without one may have its main verb typed."""
        out = []
        heads = {m.token.i for m in matches}
        for m in matches:
            # appointments and elections have no PLOVER type; a noun another trigger acts on ("lifting the
            # [sanctions]") names its own event, not the act on it
            if m.coding.type is None or (m.nominal and m.token.head.i in heads - {m.token.i}):
                out.append(m)
                continue
            t = self.typer.type_of(m.token, sent, m.coding.type)
            if t.label == NONE and t.probability >= DROP and not m.generic:  # "the purchase" refers back
                continue
            label = t.label if t.event else max((x for x in t.probabilities if x != NONE), key=t.of)
            specific = m.entry.conditional or bool(m.entry.with_) or m.coding != m.entry.coding
            margin = 0.0 if label in m.entry.alternatives else SPECIFIC_MARGIN if specific else MARGIN
            if t.of(label) < t.of(m.coding.type) + margin:
                label = m.coding.type
            if label != m.coding.type:
                d = self.lex.defaults[label, m.entry.pos if m.entry.pos == "noun" else "verb"]
                m = TriggerMatch(m.token, d, d.coding, m.start, m.end, m.generic)
            m.score = t.of(label)
            out.append(m)
        if not matches:
            for tok in open_candidates(sent):
                t = self.typer.type_of(tok, sent, None)
                if t.event and t.probability >= OPEN:
                    d = self.lex.defaults[t.label, "noun" if tok.pos_ == "NOUN" else "verb"]
                    out.append(TriggerMatch(tok, d, d.coding, tok.i, tok.i + 1, score=t.probability))
        return out

    def _delegation(self, sent: Span) -> None:
        """People a sentence without a trigger names as attending ("His delegation included X and Y"): attendees
        of the latest meeting or visit."""
        event = next((e for e in reversed(self.ctx.events) if e.type == "CONSULT"), None)
        if event is None:
            return
        parties = [c for c in self.ctx.candidates if ref(c.start, c.end) in event.actors + event.recipients]
        event.attendees.extend(
            r for r in _refs(attendees(sent, self.mentions, self.lex, parties, meeting=False))
            if r not in event.attendees
        )  # fmt: skip

    def _sentence(self, sent: Span, start: int, end: int, matches: list[TriggerMatch]) -> None:
        speech = {t.i for t in sent if t.lemma_.lower() in self.lex.speech_verbs and t.pos_ == "VERB"}
        triggers = {m.token.i: m for m in matches}
        info = Sentence(sent, start, end, triggers, speech | set(triggers), [m.score for m in matches])
        self.made = []
        for m in matches:
            self._trigger(m, info)
        self._drop_unlikely(self.made)
        self.made = None
        for tok in sent:
            if any(c.dep_ == "aux" and c.lower_ in self.lex.obligation_modals for c in tok.children):
                self._obligation(tok, info)

    def _routine(self, tok: Token) -> bool:
        """Whether a request asks for what a reporter asks for ("requesting comment", "a request for comment")."""
        asked = [c for c in tok.children if c.dep_ == "dobj"]
        asked += [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "for" for p in _pobjs(c)]
        return any(a.lemma_.lower() in self.lex.routine_requests for a in asked)

    def _counted(self, tok: Token) -> bool:
        """Whether a trigger is counted ("have met 18 times"): a quantity, not an event."""
        return any(
            c.lemma_.lower() in self.lex.count_words and any(g.dep_ == "nummod" for g in c.children)
            for c in tok.children
        )

    def _trigger(self, m: TriggerMatch, s: Sentence) -> None:
        if self._counted(m.token) or (m.nominal and commentary(m.token, self.lex)) or self._describing(m, s):
            return
        if m.coding.type == "REQUEST" and self._routine(m.token):
            return
        if m.nominal:
            roles = noun_roles(m, self.mentions, inherit=True)
            gov = roles.governor
            outer = s.triggers.get(gov.i) if gov is not None else None
            if outer is not None and gov.lemma_.lower() in self.lex.topic_verbs:
                outer = None  # "discussed Trump's planned visit": the visit is an event of its own, not the talks'
            if outer is not None and (outer.coding.type == m.coding.type or outer.coding.subtype == "agreement_signed"):
                return  # "signed an agreement": the verb codes it
            if outer is not None and outer.coding.type not in INHERITING_TYPES:
                roles = noun_roles(m, self.mentions, inherit=False)
        else:
            roles = verb_roles(m.token, self.mentions, m.entry.thing_object)
        if m.nominal and roles.governor is None and self._generic(m, s):
            return
        mod = modality(m, roles.governor, set(s.triggers), self.lex)
        actors, recipients, visited = self._direction(m, roles)
        if m.entry.complement and not recipients:
            clause = [m.token] + ([roles.governor] if m.nominal and roles.governor is not None else [])
            recipients = [c for t in clause for c in self._complement_parties(t, actors) if c not in actors]
        if actors and m.coding.direction in ("directed", "symmetric") and len(actors + recipients) == 1:
            # one side only: the other is often named deeper in the trigger's phrase
            symmetric = m.coding.direction == "symmetric"
            sides = {c.country for c in actors if c.country}
            heads = [m.token] + ([roles.governor] if m.nominal and roles.governor is not None else [])
            first = ("prep",) if symmetric else NESTED_DEPS
            deeper = next((found for h in heads if (found := nested_parties(h, self.mentions, first))), [])
            deeper = [c for c in deeper if c not in actors and not (c.country and c.country in sides)]
            actors, recipients = (actors + deeper, []) if symmetric else (actors, deeper)
        actors, recipients = self._read_sides(m, s, actors, recipients)
        heads = [m.token] + ([roles.governor] if roles.governor is not None else [])
        place = location(heads, self.mentions) or (place_of(visited) if visited else None)
        things = [t for t in roles.things if t.head in heads]
        things += [c for t in things for c in t.children if c.dep_ == "acl"]  # "the curfew [imposed] in Sudan"
        place = place or location(things, self.mentions)  # "blocked roads in"
        place = place or location(_when_clauses(heads), self.mentions)  # "killed 23 when they blew up in Tel Aviv"
        if m.coding.type in self.lex.place_targets and not recipients and place and place.country:
            # PLOVER: a protest, crackdown or strike without a named target is aimed at the place (its state)
            host = self.states.get(place.country, self._candidate(place))
            recipients = [host] if host is not None else []
        unnamed = m.coding.type in self.lex.place_actors and not actors and bool(recipients)
        if unnamed:  # "a roadside bombing near Samarra killed …": the place stands for the unnamed attackers
            place = place or location(_agent_nouns(m.token), self.mentions)
            at = self._candidate(place) if place and place.country else None
            actors, unnamed = ([at], True) if at is not None and at not in recipients else (actors, False)
        trigger = Trigger(self.chunk.doc[m.start : m.end].text, *self.chunk.span_of(self.chunk.doc[m.start : m.end]))
        evidence = Evidence(trigger, TextSpan(s.start, s.end))
        clause = {m.token.i} | ({roles.governor.i} if roles.governor is not None else set())
        clause |= _sharing_time(roles.governor if m.nominal and roles.governor is not None else m.token, mod)
        here = [d for d in self.dates if s.start <= d.start < s.end]
        anaphoric = m.nominal and refers_back(m.token)
        published = self.ctx.published
        after = published.isoformat() if published and (mod.hypothetical or mod.future) else None
        verb = roles.governor if m.nominal and roles.governor is not None else m.token
        # "… smaller today than before Russia [invaded]": a clause set before or after another time has only its own
        elsewhere = any(c.dep_ == "mark" and c.lower_ in self.lex.other_time_marks for c in verb.children)
        date = event_date(clause, s.claimed - clause, here, self.chunk, after, free=not elsewhere)
        gov_lemma = roles.governor.lemma_.lower() if roles.governor is not None else ""
        attending = anaphoric and m.coding.type == "CONSULT" and gov_lemma in self.lex.attendance_verbs
        if m.entry.needs_actor and not actors:
            return
        if m.coding.subtype == "border_clash" and actors and all(c.kind in PEOPLE_KINDS for c in actors + recipients):
            # "the Oval Office clash between Trump and Zelenskyy": two people clash in words, not in arms
            m.coding = replace(m.coding, type="ACCUSE", mode="disapprove", subtype="criticism", context=("diplomatic",))
        both = (
            None
            if actors or recipients or m.generic
            else pair_subject(roles.governor if m.nominal else m.token, self.lex)
        )
        if m.generic or not (actors or recipients or both is not None) or attending:
            if anaphoric:  # "the visit"; "X also attended the talks": X attends the talks named before
                coding = (m.coding.type, m.coding.mode, m.coding.subtype, mod.negated, mod.hypothetical)
                subtypes = m.entry.subtypes if m.generic else frozenset()
                subtypes = subtypes | (MEETINGS | {"visit", "state_visit"} if attending else set())
                extra = _refs(actors + recipients) if attending else []
                named = bool(actors or recipients or both is not None)  # "they attend the summit": no one named
                if refer_back(coding, evidence, date, self.ctx.events, subtypes, extra) or not (attending and named):
                    return
            else:
                return
        asserted_by = self._asserted_by(m.token, trigger.start)
        confidence = self._confidence(m, roles, actors, recipients, mod, s, asserted_by is not None, trigger.start)
        meeting = m.coding.subtype in MEETINGS
        obj = None
        if m.coding.type in OBJECT_TYPES:
            obj = next((o for o in (thing(t, self.mentions, self.chunk) for t in roles.things) if o), None)
        event = Event(
            id="",
            type=m.coding.type,
            mode=m.coding.mode,
            subtype=m.coding.subtype,
            # "both leaders": a reference no entity takes, until the pair of the article fills it in
            actors=_refs(actors)
            or ([ref(*self.chunk.span_of(both.doc[both.left_edge.i : both.i + 1]))] if both else []),
            recipients=_refs(recipients),
            attendees=[
                a
                for a in _refs(attendees(s.span, self.mentions, self.lex, actors + recipients, meeting))
                if not (self.readout and a == self.readout[1])  # the readout's spokesperson attended nothing
            ]
            if m.coding.type == "CONSULT"
            else [],
            date=date,
            location=place,
            object=obj,
            trigger=trigger,
            sentence=TextSpan(s.start, s.end),
            evidence=[evidence],
            negated=mod.negated,
            hypothetical=mod.hypothetical or (mod.future and m.coding.type != "AGREE"),
            asserted_by=asserted_by,
            context=list(m.coding.context) or None,
            confidence=confidence,
            reasons=({} if date else {"date": NO_DATE}) | ({"actors": UNNAMED_ACTOR} if unnamed else {}) or None,
        )
        if both is not None:
            self.ctx.paired.append(event)
        self._add(event)
        harmful = m.coding.type in self.lex.threat_types
        condition = self._condition(roles.governor if m.nominal and roles.governor is not None else m.token)
        # "will impose", "plans to impose", "may halt talks if …": the actor's declared harm is a threat
        declared = mod.intent or (condition is not None and mod.hypothetical and not mod.negated)
        if (mod.future and m.coding.type not in ("AGREE", None)) or (harmful and declared):
            threat = harmful or (condition is not None and condition[0] == "unless")
            promise = self._commitment(
                event, _refs(roles.subj), (condition[1] if condition else []) if threat else None
            )
            if promise is not None:
                self._add(promise)

    def _read_sides(
        self, m: TriggerMatch, s: Sentence, actors: list[Candidate], recipients: list[Candidate]
    ) -> tuple[list[Candidate], list[Candidate]]:
        """The sides after the side model's reading of every party of the sentence (sides.py)."""
        record = recording.get()
        if m.coding.type is None or (self.sides is None and record is None):
            return actors, recipients
        found = parties(s.span, self.mentions.at)
        rules = [ACTOR if c in actors else RECIPIENT if c in recipients else NO_SIDE for c, _ in found]
        features = [
            party_features(m.token, head, c.kind, rule, m.coding.type, m.coding.direction)
            for (c, head), rule in zip(found, rules, strict=True)
        ]
        if record is not None:
            trigger = self.chunk.span_of(self.chunk.doc[m.start : m.end])
            read = [(c.start, c.end, f, r) for (c, _), f, r in zip(found, features, rules, strict=True)]
            record({"trigger": trigger, "type": m.coding.type, "direction": m.coding.direction, "parties": read})
            return actors, recipients  # what the rules read, for training
        if self.sides is None or not found:
            return actors, recipients
        near = [(c, f) for (c, _), f in zip(found, features, strict=True) if linked(f)]
        scored = [(c, self.sides.score(f).probabilities) for c, f in near]
        return self.sides.revise(scored, actors, recipients, m.coding.direction == "symmetric")

    def _describing(self, m: TriggerMatch, s: Sentence) -> bool:
        """Whether a noun trigger only says what kind of thing another noun is ("a [war] veteran", "the [trade]
        ministry"): a modifier of a noun that names no event, no frame of one and no plan."""
        tok = m.token
        if not m.nominal or tok.dep_ != "compound" or tok.head.pos_ not in ("NOUN", "PROPN"):
            return False
        head = tok.head.lemma_.lower()
        events_words = self.lex.frame_nouns | self.lex.action_nouns | self.lex.hypothetical_governors
        return tok.head.i not in s.triggers and head not in events_words and head not in self.lex.nouns

    def _generic(self, m: TriggerMatch, s: Sentence) -> bool:
        """Whether a nominal trigger is a bare plural of a general statement ("tariffs hurt consumers"): no
        determiner or number, no party of its own, no date of its own, no verb it is an argument of."""
        tok = m.token
        if (
            tok.tag_ not in ("NNS", "NNPS")
            or tok.head.pos_ in ("VERB", "AUX")
            or any(c.dep_ in BOUND_DEPS for c in tok.children)
        ):
            return False
        own = noun_roles(m, self.mentions, inherit=False)
        if own.subj or own.obj or own.preps or own.thing_preps or own.owners:
            return False
        here = [d for d in self.dates if s.start <= d.start < s.end]
        return event_date({tok.i}, {t.i for t in s.span}, here, self.chunk) is None

    def _obligation(self, verb: Token, s: Sentence) -> None:
        """A demand reported as an obligation ("Russia said Sudan must return the helicopter"): REQUEST."""
        head = speech_head(verb, self.lex)
        if head is None:
            return
        speakers = [x for c in head.children if c.dep_ == "nsubj" for x in self.mentions.of(c)]
        addressees = [x for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for x in self.mentions.of(c)]
        addressees = [x for x in addressees if x not in speakers]
        if not (speakers and addressees):
            return
        modal = next(c for c in verb.children if c.dep_ == "aux" and c.lower_ in self.lex.obligation_modals)
        span = self.chunk.doc[min(modal.i, verb.i) : max(modal.i, verb.i) + 1]
        trigger = Trigger(span.text, *self.chunk.span_of(span))
        here = [d for d in self.dates if s.start <= d.start < s.end]
        date = event_date({head.i}, s.claimed - {head.i}, here, self.chunk)
        self._add(
            Event(
                id="", type="REQUEST", mode=None, subtype="demand", actors=_refs(speakers),
                recipients=_refs(addressees), attendees=[], date=date, location=None, object=None, trigger=trigger,
                sentence=TextSpan(s.start, s.end), evidence=[Evidence(trigger, TextSpan(s.start, s.end))],
                context=["diplomatic"], confidence=0.55,
                reasons=None if date else {"date": NO_DATE},
            )
        )  # fmt: skip

    def _commitment(
        self, event: Event, promisers: list[str], threatened: list[Candidate] | None = None
    ) -> Event | None:
        """The AGREE event of a commitment ("will visit"): it happened; the promised event is hypothetical.

        The promisers are the subject; everyone else in the promised event is the partner. A harmful commitment
        ("would boycott all contact with X", "will impose sanctions if …") or any commitment on a counter-condition
        ("will withdraw its force from Chad unless …") is a THREATEN event instead, aimed at the partners, else at
        whoever the condition names (`threatened`).
        """
        # the subject promises, whichever side of the event it is on ("India will buy jets from Russia"); nobody
        # promises when the subject names no party ("the revisions will add support for X")
        actors = [a for a in event.actors + event.recipients if a in promisers]
        if not actors:
            return None
        partners = [x for x in event.actors + event.recipients if x not in actors]
        coding = {"type": "AGREE", "mode": None, "subtype": "agreement_promised"}
        if threatened is not None:
            coding = {"type": "THREATEN", "mode": None, "subtype": "threat"}
            partners = partners or [r for r in _refs(threatened) if r not in actors]
        return Event(
            **{**event.__dict__, **coding, "hypothetical": False, "evidence": list(event.evidence), "actors": actors,
               "recipients": partners},
        )  # fmt: skip

    def _condition(self, tok: Token) -> tuple[str, list[Candidate]] | None:
        """(its mark, its subjects) of a condition clause on a trigger ("… unless [President X] arranged")."""
        for c in tok.children:
            mark = next((g.lower_ for g in c.children if g.dep_ == "mark" and g.lower_ in CONDITION_MARKS), None)
            if c.dep_ == "advcl" and mark:
                return mark, [x for g in c.children if g.dep_ in ("nsubj", "nsubjpass") for x in self.mentions.of(g)]
        return None

    def _add(self, event: Event) -> None:
        new = not merge(event, self.ctx.events, Participants(self.ctx.candidates), self.lex.is_arms)
        if new:
            self.ctx.events.append(event)
        if self.made is not None:
            self.made.append((event, new))

    def _drop_unlikely(self, made: list[tuple[Event, bool]]) -> None:
        """Drop the sentence's new events far less likely right than its most likely one (confidence.py)."""
        if self.confidence is None or recording_confidence.get() is not None:
            return
        top = max((e.confidence for e, _ in made if e.type), default=0.0)
        weak = {id(e) for e, new in made if new and e.type and e.confidence < self.confidence.ratio * top}
        if weak:
            self.ctx.events[:] = [e for e in self.ctx.events if id(e) not in weak]
            self.ctx.paired[:] = [e for e in self.ctx.paired if id(e) not in weak]

    def _direction(self, m: TriggerMatch, r: Roles) -> tuple[list[Candidate], list[Candidate], Candidate | None]:
        """(actors, recipients, visited place) by the entry's direction rule."""
        d = m.coding.direction
        # "talks with X": a fellow party, unless the entry makes "with" its target ("concerns with X")
        shared = [c for p in SYMMETRIC_PREPS if p not in m.entry.preps or d == "symmetric" for c in r.prep(p)]
        visited = None
        if d == "symmetric":
            actors, recipients = r.subj + r.obj + shared, []
        elif d == "visit":
            actors = r.subj + (r.obj if m.nominal else [])
            hosts = ([] if m.nominal else r.obj) + [c for p in VISIT_PREPS for c in r.prep(p)]
            places = [c for c in hosts if c.kind == "place"]
            visited = places[0] if places else None
            recipients = [self.states.get(c.country, c) if c.kind == "place" else c for c in hosts]
        elif d == "host":
            # "receiving intelligence": a host receives people, states or bodies, not things
            actors, recipients = r.obj + r.prep("with"), (r.subj if r.obj or not r.things else [])
        elif d == "buy":
            actors, recipients = r.prep("from"), list(r.subj)
            if not actors:  # "bought Russian jets": the jets' state sells
                actors = [c for c in r.owners + r.obj if c.kind in ("state", "group")][:1]
        elif d == "none":
            actors, recipients = r.subj or shared, []
        else:
            actors = r.subj or (shared if not r.obj else [])
            recipients = list(r.obj)
            if not recipients:
                recipients = next((r.preps[p] for p in m.entry.preps if r.preps.get(p)), [])
            if not recipients and not m.entry.thing_object:
                recipients = r.owners  # "condemned [Russia's] invasion of Ukraine"
            if not recipients:
                recipients = next((r.thing_preps[p] for p in m.entry.preps if r.thing_preps.get(p)), [])
        actors = [c for c in actors if c.kind != "place" or d == "symmetric"]
        return _unique(actors), [c for c in _unique(recipients) if c not in actors], visited

    def _candidate(self, place: Place) -> Candidate | None:
        """The mention a place was read from."""
        return next((c for c in self.ctx.candidates if (c.start, c.end) == (place.start, place.end)), None)

    def _complement_parties(self, tok: Token, actors: list[Candidate]) -> list[Candidate]:
        """The parties of the clause a trigger governs ("threatened to impose sanctions [on Turkey]")."""
        out: list[Candidate] = []
        for c in tok.children:
            if c.dep_ in ("ccomp", "acl") and c.pos_ in ("VERB", "AUX"):
                # "demanded that [the US] cancel": the addressee is the clause's subject; "warned that [it] might
                # impose sanctions on Turkey": the actors' own clause names its parties further in
                heads = [s for s in c.children if s.dep_ in ("nsubj", "nsubjpass", "csubj")]
                subjects = [m for s in heads for m in self.mentions.of(s)]
                # "warned that [cooperation between Russia and North Korea] is dangerous": the parties it names
                subjects = subjects or [x for s in heads for x in nested_parties(s, self.mentions)]
                if any(x not in actors for x in subjects):
                    out.extend(subjects)
                    continue
            if c.dep_ in ("xcomp", "ccomp", "acl") and c.pos_ in ("VERB", "AUX"):
                inner = verb_roles(c, self.mentions)
                out.extend(inner.obj + inner.owners)  # "refused to allow [U.N.] planes", "to buy [Russian] gas"
                for g in (g for g in c.children if g.dep_ == "ccomp"):  # "to allow [U.N.] planes to land"
                    for subj in (x for x in g.children if x.dep_ in ("nsubj", "nsubjpass")):
                        out.extend(self.mentions.of(subj) or owners(subj, self.mentions))
                out.extend(
                    x for preps in (inner.preps, inner.thing_preps) for p, found in preps.items()
                    if p not in ("in", "at", "by") for x in found
                )  # fmt: skip
            if c.dep_ == "prep" and c.lower_ in ("for", "of"):  # "called for sanctions against X"
                for p in c.children:
                    for g in p.children:
                        if g.dep_ == "prep":
                            out.extend(x for q in g.children if q.dep_ == "pobj" for x in self.mentions.of(q))
        if not out:  # "threatened to resume attacks [in Israel]", "… if [the United States] goes ahead"
            inner = [c for c in tok.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX")]
            for v in inner:
                heads = [v] + [o for o in v.children if o.dep_ == "dobj"]
                out.extend(c for h in heads for _, c in _places_in(h, self.mentions))
            out.extend(x for v in [tok, *inner] if (cond := self._condition(v)) for x in cond[1])
        return _unique(out)

    def _asserted_by(self, tok: Token, start: int) -> str | None:
        head = speech_head(tok, self.lex)
        if head is not None:
            for c in head.children:
                if c.dep_ in ("nsubj", "agent"):
                    found = self.mentions.of(c) or [
                        x for g in c.children if g.dep_ == "pobj" for x in self.mentions.of(g)
                    ]
                    if found:
                        return ref(found[0].start, found[0].end)
        for c in tok.sent:
            if c.lower_ == "according":
                for g in c.subtree:
                    found = self.mentions.at(g)
                    if found is not None and found.kind in ("person", "organization", "state", "description"):
                        return ref(found.start, found.end)
        for q in self.ctx.quotes:
            if q.speakers and any(p.start <= start < p.end for p in q.parts):
                return q.speakers[0]
        if self.readout and start >= self.readout[0]:
            return self.readout[1]
        return None

    def _confidence(
        self, m: TriggerMatch, r: Roles, actors, recipients, mod: Modality, s: Sentence, asserted: bool, at: int
    ) -> float:
        """The learned probability that the event is right (confidence.py); a rule of thumb for what it does not
        read (appointments and elections, or a package without the model)."""
        record = recording_confidence.get()
        if m.coding.type is None or (self.confidence is None and record is None):
            return self._rule_confidence(m, actors, recipients, mod)
        governor = r.governor.dep_ if r.governor is not None else ""
        features = confidence_features(m, governor, actors, recipients, mod, ranking(s.scores, m.score), asserted)
        if record is not None:  # training: what it learns from, beside the rule of thumb it is compared with
            record(at, features)
            return self._rule_confidence(m, actors, recipients, mod)
        return round(self.confidence.probability(features), 2)

    def _rule_confidence(self, m: TriggerMatch, actors, recipients, mod: Modality) -> float:
        score = 0.6 if m.nominal else 0.75
        directed = m.coding.direction in ("directed", "visit", "host", "buy")
        if directed and actors and recipients:
            score += 0.15
        elif directed or not actors:
            score -= 0.15
        if m.entry.conditional or m.entry.with_:
            score += 0.05
        if any(c.kind in ("group", "pronoun", "description") for c in actors + recipients):
            score -= 0.1
        if mod.hypothetical:
            score -= 0.05
        if m.score is not None:  # the typer's belief in the type weighs most
            score = 0.35 * score + 0.65 * m.score
        return round(min(0.95, max(0.05, score)), 2)


def _places_in(tok: Token, mentions: Mentions) -> list[tuple[Token, Candidate]]:
    """The states and places after "in" on a token."""
    return [
        (p, c) for prep in tok.children if prep.dep_ == "prep" and prep.lower_ == "in"
        for p in prep.children if p.dep_ == "pobj" and (c := mentions.at(p)) is not None
        and c.kind in ("state", "place") and c.country
    ]  # fmt: skip


def _agent_nouns(tok: Token) -> list[Token]:
    """The nouns that act in a verb's clause: its subject and the object of its passive "by"."""
    out = [c for c in tok.children if c.dep_ == "nsubj"]
    return out + [p for c in tok.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]


def _unique(cands: list[Candidate]) -> list[Candidate]:
    out: list[Candidate] = []
    for c in cands:
        if c not in out:
            out.append(c)
    return out


@extractor(requires=("candidates", "dates", "quotes"), assigns=("events", "paired"))
def extract_events(chunk: Chunk, ctx: DocContext) -> None:
    """Append the events of one chunk to the context (mentions of an earlier event become its evidence)."""
    _DocEvents(chunk, ctx, load_lexicon(), reading_typer.get() or load_typer(), load_sides(), load_confidence()).run()
