"""The analyst's reading of a text: who vouches for each event and figure, when an event became public, and
what pointedly did not happen.

Runs after `extract_events` on the same chunk and post-processes its records:
- `certainty` on events and quantities: `inferred` when an inference cue ("there
  is every reason to believe", "appears to", "likely") governs the fact in the
  parse, else `hedged` when it is hypothetical or a hedge word governs it, else
  `claimed` when the text attributes it (`asserted_by`), else `reported`;
- `disclosure` on events: the date attached to a verb of becoming public
  ("announced in 2019 that …", "the deal was not disclosed until eight months
  later") whose clause holds the event or refers back to it;
- `absences`: negated verbs of doing or publishing, "no" objects, governors of
  withholding ("refrained from selling weapons"), and every negated event.
Cues are data (`data/reading.yaml`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Span, Token

from ..schema import Absence, Certainty, Cue, DateRecord, Disclosure, Event, Quantity
from ..schema import Span as TextSpan
from .base import Chunk, DocContext, extractor, parse_ref, ref
from .events.lexicon import load_lexicon
from .events.modality import speech_head
from .numbers import alternation

DATA = Path(__file__).parent / "data" / "reading.yaml"
CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis", "csubj"}
OBJECT_DEPS = ("dobj", "nsubjpass", "attr", "oprd")
SUBJECT_DEPS = ("nsubj", "nsubjpass")
WHAT_TOKENS = 8  # the longest `what` phrase kept


@dataclass(frozen=True)
class ReadingLexicon:
    inference: re.Pattern
    hedge_words: frozenset[str]
    disclosure_verbs: frozenset[str]
    disclosure_phrases: re.Pattern
    absence_verbs: frozenset[str]
    withholding_verbs: frozenset[str]
    not_absent: frozenset[str]
    not_negations: frozenset[str]
    delayed_preps: frozenset[str]
    routine_refusals: frozenset[str]


@lru_cache(maxsize=1)
def lexicon() -> ReadingLexicon:
    with open(DATA, encoding="utf-8") as fh:
        d = yaml.safe_load(fh)

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in d[key])

    def phrases(key: str) -> re.Pattern:
        return re.compile(rf"\b(?:{alternation(d[key])})\b", re.IGNORECASE)

    return ReadingLexicon(
        phrases("inference_cues"), words("hedge_cues"), words("disclosure_verbs"), phrases("disclosure_phrases"),
        words("absence_verbs"), words("withholding_verbs"), words("not_absent"), words("not_negations"),
        words("delayed_preps"),
        words("routine_refusals"),
    )  # fmt: skip


class _Reader:
    """The reading of one chunk: its sentences, cue matches per sentence, and the records it touches."""

    def __init__(self, chunk: Chunk, ctx: DocContext):
        self.chunk, self.ctx = chunk, ctx
        self.lex, self.ev_lex = lexicon(), load_lexicon()
        self.lo = chunk.offset
        self.hi = chunk.offset + len(chunk.doc.text)
        self.sents = list(chunk.doc.sents)
        self.sent_starts = [s.start_char + self.lo for s in self.sents]
        self._inferences: dict[int, list[Span]] = {}

    def inside(self, start: int) -> bool:
        return self.lo <= start < self.hi

    def token(self, start: int, end: int) -> Token | None:
        span = self.chunk.doc.char_span(start - self.lo, end - self.lo, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    def sentence_of(self, tok: Token) -> int:
        return bisect.bisect_right(self.sent_starts, tok.idx + self.lo) - 1

    def cue(self, tokens: list[Token] | Span) -> Cue:
        s, e = self.chunk.span_of(tokens) if isinstance(tokens, Span) else self.chunk.span_of(
            self.chunk.doc[tokens[0].i : tokens[-1].i + 1])  # fmt: skip
        return Cue(self.ctx.text[s:e], s, e)

    def inferences(self, index: int) -> list[Span]:
        if index not in self._inferences:
            sent = self.sents[index]
            found = []
            for m in self.lex.inference.finditer(sent.text):
                span = sent.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is not None and len(span):
                    found.append(span)
            self._inferences[index] = found
        return self._inferences[index]

    # --- certainty ---

    def certainty(self, tok: Token, asserted_by: str | None, doubtful: bool) -> Certainty:
        """The certainty of the fact at `tok`; `doubtful` when the extractor already marked it hypothetical."""
        chain = self._chain(tok)
        ids = {tok.i, *(t.i for t in tok.ancestors)}  # "there is every reason to [believe] that …": past speech verbs
        for span in self.inferences(self.sentence_of(tok)):
            if any(t.i in ids or t.head.i in ids for t in span):
                return Certainty("inferred", self.cue(span))
        hedge = self._hedge(tok, chain)
        if hedge is not None or doubtful:
            return Certainty("hedged", hedge and self.cue([hedge]))
        if asserted_by:
            verb = speech_head(tok, self.ev_lex)
            if verb is not None:
                return Certainty("claimed", self.cue([verb]))
            span = parse_ref(asserted_by)
            return Certainty("claimed", Cue(self.ctx.text[span[0] : span[1]], *span) if span else None)
        return Certainty("reported")

    def _chain(self, tok: Token) -> list[Token]:
        """`tok` and its governors up to (not including) the verb that reports it."""
        out = [tok]
        for t in tok.ancestors:
            if t.lemma_.lower() in self.ev_lex.speech_verbs:
                break
            out.append(t)
        return out

    def _hedge(self, tok: Token, chain: list[Token]) -> Token | None:
        """The word that puts the fact in doubt: a modal, a condition, a hedge adverb, a governor of plans."""
        lex, ev = self.lex, self.ev_lex
        reported = speech_head(tok, ev) is not None
        for t in chain:
            for c in t.children:
                low = c.lower_
                if c.dep_ == "aux" and low in ev.hypothetical_modals and not (reported and low in ev.reported_future):
                    return c
                if c.dep_ in ("mark", "advmod") and low in lex.hedge_words:
                    return c
            if t.i != tok.i and t.lemma_.lower() in ev.hypothetical_governors:
                return t
        return None

    # --- disclosure ---

    def disclosures(self, index: int, events: list[tuple[Event, int]]) -> None:
        """Give the events mentioned in sentence `index` (at a trigger's start) the date a verb of becoming public
        attaches to them."""
        sent = self.sents[index]
        cues = [t for t in sent if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in self.lex.disclosure_verbs]
        for m in self.lex.disclosure_phrases.finditer(sent.text):
            span = sent.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None and len(span):
                cues.append(span.root)
        if not cues:
            return
        s0, s1 = self.chunk.span_of(sent)
        dates = [d for d in self.ctx.dates if d.value and s0 <= d.start and d.end <= s1]
        for cue in cues:
            date = self._date_of(cue, dates)
            if date is None:
                continue
            for ev in self._disclosed(cue, sent, events):
                if ev.disclosure is None and (
                    ev.date is None or (ev.date.start, ev.date.end) != (date.start, date.end)
                ):
                    ev.disclosure = Disclosure(date.value, date.precision, date.start, date.end)

    def _date_of(self, cue: Token, dates: list[DateRecord]) -> DateRecord | None:
        """The date attached to `cue` itself (not to a clause it governs: "announced in 2019 that … in 2017")."""
        best = None
        for d in dates:
            t = self.token(d.start, d.end)
            depth = 0
            while t is not None and t.i != cue.i and t.dep_ not in CLAUSE_DEPS and t.head.i != t.i and depth < 6:
                t, depth = t.head, depth + 1
            if t is not None and t.i == cue.i and (best is None or depth < best[0]):
                best = (depth, d)
        return best and best[1]

    def _disclosed(self, cue: Token, sent: Span, events: list[tuple[Event, int]]) -> list[Event]:
        """The events a disclosure verb speaks of: in its clause, or its subject or object referring back."""
        lo, hi = cue.left_edge.idx + self.lo, cue.right_edge.idx + len(cue.right_edge) + self.lo
        cue_at = cue.idx + self.lo
        out = [ev for ev, at in events if at != cue_at and lo <= at < hi]
        if any(c.dep_ in (*SUBJECT_DEPS, "dobj") and c.pos_ == "NOUN" for c in cue.children):
            earlier = [(at, ev) for ev, at in events if at < cue_at and ev not in out]
            if earlier:
                out.append(max(earlier, key=lambda x: x[0])[1])
        return out

    # --- absences ---

    def absences(self, index: int, events: list[Event]) -> None:
        sent = self.sents[index]
        s0, s1 = self.chunk.span_of(sent)
        if self.ctx.in_noise(s0, s1):
            return
        seen: set[int] = set()
        for tok in sent:
            found = self._absence_at(tok)
            if found is None or found[1].i in seen:
                continue
            cue, verb, what = found
            seen.add(verb.i)
            self._add(sent, [cue, verb, *what], verb, what, events)
        for ev in events:  # negated events not stated by the patterns above
            tok = self.token(ev.trigger.start, ev.trigger.end)
            stated = any(a.negated_event == ref(ev.trigger.start, ev.trigger.end) for a in self.ctx.absences)
            # "may not stop at Ukraine": a possibility, not something that did not happen
            if ev.negated and not ev.hypothetical and tok is not None and not stated:
                neg = [c for c in tok.children if c.dep_ == "neg"] or [tok]
                obj = self._object(tok)
                self._add(sent, [*neg, tok, *obj], tok, obj or [tok], [ev])

    def _absence_at(self, tok: Token) -> tuple[Token, Token, list[Token]] | None:
        """(the word stating the absence, its verb, what is absent) when `tok` states one."""
        lex, lemma = self.lex, tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") and lemma in lex.absence_verbs:
            neg = next((c for c in tok.children if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never")),
                       None)  # fmt: skip
            after = tok.doc[neg.i + 1].lower_ if neg is not None and neg.i + 1 < len(tok.doc) else ""
            delayed = any(c.dep_ == "prep" and c.lower_ in lex.delayed_preps for c in tok.children)
            obj = self._object(tok)
            routine = any(t.lemma_.lower() in lex.routine_refusals and t.dep_ in OBJECT_DEPS for t in obj)
            if neg is not None and after not in lex.not_negations and not delayed and not routine:
                return neg, tok, obj or [tok]
        if tok.pos_ == "VERB" and lemma in lex.withholding_verbs:
            comp = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
            if comp is None:
                prep = next((c for c in tok.children if c.dep_ == "prep"), None)
                comp = prep and next((c for c in prep.children if c.dep_ == "pcomp" and c.pos_ == "VERB"), None)
            if comp is not None and comp.lemma_.lower() not in lex.routine_refusals:
                return tok, tok, [comp, *self._object(comp)]
            if comp is not None:
                return None
            obj = self._object(tok)
            if obj and lemma == "withhold":
                return tok, tok, obj
        if tok.lower_ in ("no", "none") and tok.dep_ in ("det", "neg", "nummod", "nsubj", "nsubjpass", "dobj"):
            noun = tok.head if tok.dep_ in ("det", "neg", "nummod") else tok
            verb = noun.head
            if noun.lower_ in lex.not_absent or noun.lemma_.lower() in lex.not_absent or noun.pos_ not in (
                    "NOUN", "PROPN", "PRON"):  # fmt: skip
                return None
            there = any(c.dep_ == "expl" for c in verb.children) and verb.lemma_ == "be"
            if noun.dep_ in (*OBJECT_DEPS, "nsubj") and (verb.lemma_.lower() in lex.absence_verbs or there):
                return tok, verb, self._phrase(noun)
        return None

    def _object(self, verb: Token) -> list[Token]:
        """What a verb acts on, with a predicate adjective: "made [any new deals public]" (parsed as a clause too)."""
        adj = [c for c in verb.children if c.dep_ in ("oprd", "ccomp") and c.pos_ == "ADJ"]
        for head in (verb, *adj):
            obj = next((c for c in head.children if c.dep_ in (*OBJECT_DEPS, "nsubj") and c.pos_ in ("NOUN", "PROPN")
                        and (head.i != verb.i or c.dep_ != "nsubj")), None)  # fmt: skip
            if obj is not None:
                return self._phrase(obj)
        return []

    def _phrase(self, noun: Token) -> list[Token]:
        """The noun phrase of `noun` without its determiners, clauses and appositions, at most WHAT_TOKENS long."""
        skip: set[int] = set()
        for c in noun.children:
            if c.dep_ in ("relcl", "acl", "appos", "punct", "cc", "conj", "det", "neg", "predet") or c.lower_ == "no":
                skip.update(t.i for t in c.subtree)
        tokens = [t for t in noun.subtree if t.i not in skip]
        while len(tokens) > WHAT_TOKENS:
            tokens = tokens[1:] if tokens[0].i < noun.i else tokens[:-1]
        return tokens

    def _add(self, sent: Span, tokens: list[Token], verb: Token, what: list[Token], events: list[Event]) -> None:
        tokens = tokens + [c for c in verb.children if c.dep_ in ("oprd", "ccomp") and c.pos_ == "ADJ"]
        first, last = min(t.i for t in tokens), max(t.i for t in tokens)
        start, end = self.chunk.span_of(sent.doc[first : last + 1])
        if self.ctx.in_noise(start, end):
            return
        what_span = sent.doc[min(t.i for t in what) : max(t.i for t in what) + 1]
        ws, we = self.chunk.span_of(what_span)
        negated = next((ev for ev in events if ev.negated and start <= ev.trigger.start < end), None)
        self.ctx.absences.append(Absence(
            "", self.ctx.text[start:end], start, end, TextSpan(*self.chunk.span_of(sent)), self.ctx.text[ws:we],
            self._entities(verb, start, end), negated and ref(negated.trigger.start, negated.trigger.end),
        ))  # fmt: skip

    def _entities(self, verb: Token, start: int, end: int) -> list[str]:
        """The mentions the absence concerns: its clause's subject (or the first conjunct's) and those inside it."""
        head = verb
        while not any(c.dep_ in SUBJECT_DEPS for c in head.children) and head.dep_ in ("conj", "xcomp"):
            head = head.head
        spans = [(start, end)]
        for c in head.children:
            if c.dep_ in (*SUBJECT_DEPS, "agent"):
                spans.append((c.left_edge.idx + self.lo, c.right_edge.idx + len(c.right_edge) + self.lo))
        out = []
        for cand in self.ctx.candidates:
            if cand.kind != "place" and any(cand.start < e and s < cand.end for s, e in spans):
                r = ref(cand.start, cand.end)
                if r not in out:
                    out.append(r)
        return out


def _quantity_certainty(reader: _Reader, q: Quantity) -> Certainty:
    tok = reader.token(q.start, q.end)
    if tok is None:
        return Certainty("claimed" if q.asserted_by else "reported")
    return reader.certainty(tok, q.asserted_by, q.status in ("forecast", "estimate"))


@extractor(requires=("candidates", "dates", "quantities", "events"), assigns=("absences",))
def extract_reading(chunk: Chunk, ctx: DocContext) -> None:
    """Certainty, disclosure and absences for the events and figures of `chunk` (after `extract_events`)."""
    reader = _Reader(chunk, ctx)
    by_sentence: dict[int, list[tuple[Event, int]]] = {}  # every mention of an event, by sentence
    for ev in ctx.events:
        for at in dict.fromkeys(t.start for t in (ev.trigger, *(e.trigger for e in ev.evidence))):
            tok = reader.token(at, at + 1) if reader.inside(at) else None
            if tok is not None:
                by_sentence.setdefault(reader.sentence_of(tok), []).append((ev, at))
        if ev.certainty is None and reader.inside(ev.trigger.start):
            tok = reader.token(ev.trigger.start, ev.trigger.end)
            if tok is not None:
                ev.certainty = reader.certainty(tok, ev.asserted_by, ev.hypothetical)
    for q in ctx.quantities:
        if q.certainty is None and reader.inside(q.start):
            q.certainty = _quantity_certainty(reader, q)
    for index in range(len(reader.sents)):
        events = by_sentence.get(index, [])
        if events:
            reader.disclosures(index, events)
        reader.absences(index, [ev for ev, at in events if at == ev.trigger.start])
