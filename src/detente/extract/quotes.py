"""Quotes: quotations, reported speech and transcript turns, with their speakers.

Quotations come from `quotemarks`. Each is attributed, in this order, to the
speech verb that governs it in the dependency parse, to a speech verb in the
same sentence, or to the speaker of the attributed speech just before it (a
quote continued in the next sentence); short quotes with none of these, or
after "so-called", are names or scare quotes and are left out. Reported speech
is the clausal complement of a speech verb ("X warned that [...]"), or the
clause an "according to X" or a parenthetical "X cautions," qualifies.
A transcript turn (after a `speaker_label` section) is a quotation of the
label's person. Speakers are mention references; resolution maps them to
entities; a pronoun or "the official" right after a named speaker is that
speaker unless someone else became the subject in between.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span, Token

from ..kb import fold
from ..schema import Quote
from ..schema import Span as TextSpan
from .base import Candidate, Chunk, DocContext, extractor, ref
from .quotemarks import SINGLE_MARKS, quoted_spans, trim_span

DATA = Path(__file__).parent / "data" / "quotes.yaml"
CONTINUATION_SENTENCES = 2  # how far back a quote with no cue of its own may find its speaker
SHORT_QUOTE_WORDS = 2  # a quotation this short needs a speech verb governing it
SPLIT_GAP_CHARS = 120  # longest attribution between the parts of a split quote
DESCRIPTION_SENTENCES = 6  # how far back "the official" may find the official who spoke
NAMED = ("PERSON", "ORG", "GPE", "NORP")
PRONOUN_GENDER = {"he": "male", "she": "female", "they": None}
FINITE = ("VBD", "VBZ", "VBP", "MD")
SUBJECTS = ("nsubj", "nsubjpass", "expl", "csubj", "csubjpass")
NP_MODIFIERS = ("det", "amod", "compound", "poss", "case", "nummod", "nmod", "advmod", "quantmod", "punct")


@dataclass(frozen=True)
class Lexicon:
    report_verbs: frozenset[str]
    quote_verbs: frozenset[str]
    opinion_verbs: frozenset[str]
    non_speakers: frozenset[str]
    scare: re.Pattern
    label_roles: frozenset[str]
    label_titles: frozenset[str]
    turn_note: re.Pattern


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    with open(DATA, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    words = {
        k: frozenset(str(w).lower() for w in v) for k, v in data.items() if k not in ("scare_markers", "turn_notes")
    }
    scare = "|".join(re.escape(m) for m in sorted(data["scare_markers"], key=len, reverse=True))
    return Lexicon(
        report_verbs=words["report_verbs"],
        quote_verbs=words["quote_verbs"],
        opinion_verbs=words["opinion_verbs"],
        non_speakers=words["non_speakers"],
        scare=re.compile(rf"\b(?:{scare})(?:\s+(?:a|an|the))?[\s,:]*$", re.I),
        label_roles=words["label_roles"],
        label_titles=words["label_titles"],
        turn_note=re.compile(r"\s*(?:" + "|".join(data["turn_notes"]) + r")\s*", re.I),
    )


# ---------------------------------------------------------------- speakers


@dataclass
class Attribution:
    """Who speaks (spaCy spans of the speakers) and the cue that says so."""

    speakers: list[Span]
    cue: Token | None
    cue_text: str | None = None
    reason: str | None = None


def _subject(verb: Token) -> Token | None:
    """The verb's subject; a name when the parse gives two ("A media analyst ..., Gatov noted")."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if verb.dep_ == "parataxis" and any(c.i > verb.i for c in subjects):  # "one question, say some analysts, is"
        subjects = [c for c in subjects if c.i > verb.i]
    return next((c for c in subjects if c.ent_type_ in NAMED or c.pos_ == "PROPN"), subjects[0] if subjects else None)


def _speaker_heads(cue: Token, quoted: list[int]) -> list[Token]:
    """The head tokens of whoever the cue says speaks: its subject (inherited by "adding", "saying") and conjuncts.

    A subject inside a quotation (`quoted[i] >= 0`) speaks only for a cue inside it.
    """
    if cue.lower_ == "according":
        to = next((c for c in cue.children if c.lower_ == "to"), None)
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        return [pobj] if pobj is not None else []
    named = _named_after(cue)
    if named is None and cue.dep_ == "parataxis":
        named = _inverted_subject(cue)  # "the real test, say some diplomats, is ..."
    if named is not None:
        return sorted([named, *named.conjuncts], key=lambda t: t.i)
    verb, subj = cue, _subject(cue)
    climb = ("advcl", "xcomp", "conj", "pcomp")
    while (subj is None and verb.dep_ in climb or quoted[verb.i] != quoted[cue.i]) and verb.head != verb:
        verb = verb.head
        subj = _subject(verb)
    if subj is None and verb.lower_ == "as" and verb.dep_ == "prep":  # "cited officials as saying"
        subj = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
    if subj is None:
        subj = _inverted_subject(cue) or _name_before(cue)
    if subj is None or quoted[subj.i] != quoted[cue.i]:
        return []
    if subj.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
        subj = verb.head
    return sorted([subj, *subj.conjuncts], key=lambda t: t.i)


def _named_after(cue: Token) -> Token | None:
    """In '"...," said [title] Name ...' the first name after the verb, however the parse attached it."""
    doc = cue.doc
    if not any(t.is_quote for t in doc[max(0, cue.i - 2) : cue.i]):
        return None
    for t in doc[cue.i + 1 : cue.i + 8]:
        if t.is_punct or t.ent_type_ in ("ORG", "GPE") or t.pos_ == "VERB":
            return None
        if t.ent_type_ == "PERSON":
            ent = _ent_span(t)
            return ent.root if ent is not None else t
    return None


def _name_before(cue: Token) -> Token | None:
    """A name just before the verb that the parse did not make its subject ("Derrick Van Orden, told VOA")."""
    doc = cue.doc
    j = cue.i - 1
    while j >= 0 and doc[j].is_punct and not doc[j].is_quote:
        j -= 1
    if j < 0 or doc[j].ent_type_ not in ("PERSON", "ORG"):
        return None
    ent = _ent_span(doc[j])
    return ent.root if ent is not None else doc[j]


def _inverted_subject(cue: Token) -> Token | None:
    """The speaker after the verb that the parse took for an object ("...," warned Asli Aydintasbas; "one question,
    say some analysts, is ...")."""
    if not any(c.dep_ == "ccomp" and c.i < cue.i for c in cue.children) and cue.dep_ != "parataxis":
        return None
    return next(
        (
            c
            for c in cue.rights
            if c.dep_ in ("attr", "dobj", "npadvmod", "oprd", "appos")
            and c.pos_ in ("PROPN", "NOUN")
            and c.ent_type_ not in ("DATE", "TIME")
        ),
        None,
    )


def _ent_span(tok: Token) -> Span | None:
    """The named entity the token is part of (read from its IOB tags, not by scanning `doc.ents`)."""
    if not tok.ent_type_:
        return None
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def _mention_span(tok: Token) -> Span:
    """The speaker's token span: the name, the pronoun, or the noun phrase up to its head ("the Russian expert")."""
    doc = tok.doc
    named = next((c for c in tok.children if c.dep_ == "appos" and (c.ent_type_ in NAMED or c.pos_ == "PROPN")), None)
    ent = _ent_span(tok)
    if tok.ent_type_ not in NAMED and named is not None:
        return _mention_span(named)
    if ent is not None:
        span = ent
    elif tok.pos_ == "PRON":
        span = doc[tok.i : tok.i + 1]
    else:
        start = tok.i  # the head noun and the modifiers just before it ("the Russian expert", "Russia's envoy")
        for c in reversed(list(tok.lefts)):
            if c.dep_ not in NP_MODIFIERS or c.right_edge.i != start - 1:
                break
            start = c.left_edge.i
        span = doc[start : tok.i + 1]
    start, end = span.start, span.end
    while end > start + 1 and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    while start < end - 1 and doc[start].is_punct:
        start += 1
    return doc[start:end]


class _Candidates:
    """The entity candidates of one chunk, searchable by span."""

    def __init__(self, ctx: DocContext, start: int, end: int):
        self.items = sorted((c for c in ctx.candidates if start <= c.start < end), key=lambda c: c.start)
        self.starts = [c.start for c in self.items]

    def overlapping(self, start: int, end: int) -> list[Candidate]:
        i = bisect.bisect_left(self.starts, start - 200)  # no mention is longer than 200 characters
        out = []
        for c in self.items[i:]:
            if c.start >= end:
                break
            if c.end > start:
                out.append(c)
        return out


def _reason(span: Span, chunk: Chunk, cands: _Candidates) -> str:
    """Why the speaker would stay unresolved (kept only if resolution finds no entity)."""
    hits = cands.overlapping(*chunk.span_of(span))
    if not hits:
        return f"the speaker '{span.text}' names no entity"
    kind = hits[0].kind
    if kind == "pronoun":
        return f"pronoun '{span.text}' with no antecedent"
    if kind == "description":
        return f"description '{span.text}' with no antecedent"
    return f"speaker '{span.text}' not resolved"


# ---------------------------------------------------------------- the extractor


class _QuoteReader:
    """One chunk's quotes: parses are read once, attributions are looked up per quotation."""

    def __init__(self, chunk: Chunk, ctx: DocContext):
        self.chunk, self.ctx, self.lex = chunk, ctx, lexicon()
        self.doc: Doc = chunk.doc
        self.sents = list(self.doc.sents)
        self.sent_of = [0] * len(self.doc)
        for i, s in enumerate(self.sents):
            for t in range(s.start, s.end):
                self.sent_of[t] = i
        self.text = self.doc.text  # spaCy rebuilds it on every access
        self.cands = _Candidates(ctx, chunk.offset, chunk.offset + len(self.text))
        self.quote_of = [-1] * len(self.doc)  # index of the quotation a token lies in
        self.history: list[tuple[int, int, Attribution]] = []  # (char position, sentence, attribution)

    # ---- helpers

    def tokens(self, start: int, end: int) -> Span | None:
        return self.doc.char_span(start, end, alignment_mode="expand")

    def speakers_of(self, cue: Token) -> Attribution | None:
        """The attribution a cue gives, or None when its subject is no speaker ("I", "it", "this")."""
        heads = _speaker_heads(cue, self.quote_of) or self._earlier_speakers(cue)
        if not heads:
            return Attribution([], cue, reason="the speech verb has no subject")
        if heads[0].lower_ in self.lex.non_speakers:
            return None
        if cue.lemma_.lower() in self.lex.opinion_verbs and not self._names_someone(heads[0]):
            return None
        spans = [_mention_span(h) for h in heads]
        spans = [s for s in spans if not self.ctx.in_noise(*self.chunk.span_of(s))]
        if not spans:
            return Attribution([], cue, reason="the speaker lies in a credit or byline")
        return Attribution(spans, cue, reason=_reason(spans[0], self.chunk, self.cands))

    def _earlier_speakers(self, cue: Token) -> list[Token]:
        """For a participle with no subject ('..., Rubio said, adding that'), the speaker of the verb before it."""
        if cue.tag_ != "VBG":
            return []
        sent = self.sents[self.sent_of[cue.i]]
        for t in reversed(self.doc[sent.start : cue.i]):
            if self.quote_of[t.i] == self.quote_of[cue.i] and t.tag_ != "VBG" and self.is_cue(t, False):
                return _speaker_heads(t, self.quote_of)
        return []

    def snap(self, span: Span) -> tuple[int, int]:
        """Whole-text offsets of a speaker; for a name, those of the entity mention it overlaps most ("Later Wood")."""
        start, end = self.chunk.span_of(span)
        if not span.root.ent_type_:
            return start, end
        best = max(
            self.cands.overlapping(start, end), key=lambda c: min(c.end, end) - max(c.start, start), default=None
        )
        return (best.start, best.end) if best is not None else (start, end)

    def _names_someone(self, tok: Token) -> bool:
        if tok.ent_type_ == "PERSON" or tok.lower_ in ("he", "she"):
            return True
        return any(
            c.kind in ("person", "description")
            for c in self.cands.overlapping(*self.chunk.span_of(tok.doc[tok.i : tok.i + 1]))
        )

    def is_cue(self, tok: Token, reported: bool) -> bool:
        if tok.lower_ == "according":
            return tok.dep_ == "prep" and any(c.lower_ == "to" for c in tok.children)
        if tok.pos_ not in ("VERB", "AUX"):
            return False
        lemma = tok.lemma_.lower()
        lex = self.lex
        return lemma in lex.report_verbs or lemma in lex.opinion_verbs or (not reported and lemma in lex.quote_verbs)

    def cue_attribution(self, tok: Token, reported: bool) -> Attribution | None:
        if self.quote_of[tok.i] >= 0 and not reported or not self.is_cue(tok, reported):
            return None
        att = self.speakers_of(tok)
        if att is not None:
            att.cue_text = "according to" if tok.lower_ == "according" else tok.text
        return att

    # ---- quotations

    def attribute(self, q: int, span: Span) -> tuple[Attribution | None, bool]:
        """The attribution of quotation `q` (tokens `span`), and whether the parse links them."""
        for t in span:
            node = t.head
            if self.quote_of[node.i] == q or node == t:
                continue
            while True:
                if self.quote_of[node.i] < 0:
                    att = self.cue_attribution(node, False) or self._according(node)
                    if att is not None:
                        return att, True
                if node.head == node:
                    break
                node = node.head
        first, last = span[0], span[-1]
        after = self.sents[self.sent_of[last.i]]
        for t in self.doc[last.i + 1 : after.end]:
            if self.quote_of[t.i] >= 0 and self.quote_of[t.i] != q:
                break
            att = self.cue_attribution(t, False)
            if att is not None:
                return att, False
        before = self.sents[self.sent_of[first.i]]
        for t in reversed(self.doc[before.start : first.i]):
            att = self.cue_attribution(t, False)
            if att is not None:
                return att, False
        return None, False

    def _according(self, verb: Token) -> Attribution | None:
        acc = next((c for c in verb.children if c.lower_ == "according"), None)
        return self.cue_attribution(acc, True) if acc is not None else None

    def continued(self, start: int, sent: int) -> Attribution | None:
        """The speaker of the attributed speech just before `start`, if close enough to carry on."""
        best = None
        for pos, s, att in self.history:
            if pos < start and sent - s <= CONTINUATION_SENTENCES and att.speakers:
                if best is None or pos > best[0]:
                    best = (pos, att)
        return replace(best[1], cue=None, cue_text=None) if best else None  # shares the speakers list

    def is_scare(self, start: int) -> bool:
        """A name or scare quote: after "so-called", "dubbed"... ."""
        local = start - self.chunk.offset
        return bool(self.lex.scare.search(self.text[max(0, local - 30) : max(0, local - 1)]))

    def mark(self, groups: list[list[tuple[int, int]]]) -> list[Span | None]:
        """Note which quotation every token lies in; the token span of each quotation."""
        spans: list[Span | None] = []
        for q, parts in enumerate(groups):
            spans.append(self.tokens(parts[0][0] - self.chunk.offset, parts[-1][1] - self.chunk.offset))
            for a, b in parts:
                for t in self.tokens(a - self.chunk.offset, b - self.chunk.offset) or ():
                    self.quote_of[t.i] = q
        return spans

    def read_quotes(
        self, groups: list[list[tuple[int, int]]], spans: list[Span | None]
    ) -> list[tuple[list[tuple[int, int]], Attribution]]:
        found = []
        for q, (parts, span) in enumerate(zip(groups, spans, strict=True)):
            if span is None or not len(span) or any(self.ctx.in_noise(a, b) for a, b in parts):
                continue
            if self.is_scare(parts[0][0]) or _names_a_thing(span):
                continue
            att, linked = self.attribute(q, span)
            words = sum(1 for t in span if t.is_alpha)
            clause = any(t.pos_ in ("VERB", "AUX") for t in span)
            finite = any(t.tag_ in FINITE for t in span)
            if words <= SHORT_QUOTE_WORDS and not linked:
                continue
            sent = self.sent_of[span[0].i]
            if att is None and clause:
                att = self.continued(parts[0][0], sent)
            if att is None:
                if not finite or words <= SHORT_QUOTE_WORDS + 1:
                    continue
                att = Attribution([], None, reason="no attribution in the sentence or the one before")
            found.append((parts, att))
            end_pos = max(parts[-1][1], self.chunk.offset + att.cue.idx if att.cue is not None else 0)
            self.history.append((end_pos, self.sent_of[span[-1].i], att))
        return self.merge_split(self.share_attribution(found))

    def resolve_descriptions(self) -> None:
        """ "The official added ...": a definite description takes the recent speaker whose words it repeats."""
        items = sorted(self.history, key=lambda x: x[0])
        for k, (_, sent, att) in enumerate(items):
            if len(att.speakers) != 1:
                continue
            span = att.speakers[0]
            head = span.root
            if head.pos_ != "NOUN" or span[0].lower_ != "the" or head.ent_type_:
                continue
            for _, s, prev in reversed(items[:k]):
                if sent - s > DESCRIPTION_SENTENCES:
                    break
                if (
                    prev.speakers
                    and prev.speakers[0] != span
                    and any(t.lemma_ == head.lemma_ for t in prev.speakers[0])
                ):
                    att.speakers[:] = prev.speakers
                    att.reason = prev.reason
                    break

    def resolve_pronouns(self) -> None:
        """'"...," he said' right after another attribution: he is that speaker unless someone else became the subject.

        Quote attribution follows the speaker, not the nearest name: in '"..." Bessent said. He dismissed
        Trump's threat. "...," he said' the speaker stays Bessent.
        """
        items = sorted(self.history, key=lambda x: x[0])
        for k, (_, sent, att) in enumerate(items):
            if len(att.speakers) != 1 or att.speakers[0].root.lower_ not in PRONOUN_GENDER or k == 0:
                continue
            pos, s, prev = items[k - 1]
            if not prev.speakers or sent - s > CONTINUATION_SENTENCES or prev.speakers[0].root.pos_ == "PRON":
                continue
            start = self.chunk.span_of(att.speakers[0])[0]
            if self._new_subject(pos, start) or not self._same_gender(prev.speakers[0], att.speakers[0]):
                continue
            att.speakers[:] = prev.speakers
            att.reason = prev.reason

    def _new_subject(self, start: int, end: int) -> bool:
        """Whether someone other than a pronoun is the subject of a clause between `start` and `end`, outside quotes."""
        for c in self.cands.overlapping(start, end):
            if c.kind == "pronoun" or c.start < start:
                continue
            span = self.tokens(c.start - self.chunk.offset, c.end - self.chunk.offset)
            if span is not None and self.quote_of[span.root.i] < 0 and span.root.dep_ in ("nsubj", "nsubjpass"):
                return True
        return False

    def _same_gender(self, name: Span, pronoun: Span) -> bool:
        gender = PRONOUN_GENDER[pronoun.root.lower_]
        known = {c.gender for c in self.cands.overlapping(*self.chunk.span_of(name)) if c.gender}
        return not gender or not known or gender in known

    def share_attribution(self, found):
        """'"A" and "B," tweeted X': a quote with no cue of its own joined to the next takes its attribution."""
        text = self.ctx.text
        for i in range(len(found) - 2, -1, -1):
            (parts, att), (nxt_parts, nxt) = found[i], found[i + 1]
            gap = text[parts[-1][1] : nxt_parts[0][0]]
            if att.cue is None and nxt.cue is not None and re.fullmatch(r"\W*\s(?:and|or)\s\W*", gap):
                found[i] = (parts, nxt)
        return found

    def merge_split(self, found):
        """Join "“A,” X said, “B”" into one quotation with two parts."""
        out: list[tuple[list[tuple[int, int]], Attribution]] = []
        text = self.ctx.text
        for parts, att in found:
            if out:
                prev_parts, prev_att = out[-1]
                a, b = prev_parts[-1][1], parts[0][0]
                gap = text[a:b]
                cue = prev_att.cue
                if (
                    cue is not None
                    and 0 < b - a <= SPLIT_GAP_CHARS
                    and "\n" not in gap
                    and a <= self.chunk.offset + cue.idx < b
                    and re.search(r",\s*[“\"«]\s*$", gap)
                    and len(re.findall(r"[“”\"«»]", gap)) == 2
                ):
                    out[-1] = (prev_parts + parts, prev_att)
                    continue
            out.append((parts, att))
        return out

    # ---- reported speech

    def reported(self) -> list[tuple[tuple[int, int], Attribution]]:
        """(span, attribution) of every reported clause."""
        out = []
        for tok in self.doc:
            if not self.is_cue(tok, True):
                continue
            clause = self._clause(tok)
            if clause is None:
                continue
            att = self.speakers_of(tok)
            if att is None or not att.speakers:
                continue  # no one speaks: "It is worth noting that ..."
            att.cue_text = "according to" if tok.lower_ == "according" else tok.text
            start, end = clause
            if self.ctx.in_noise(start, end):
                continue
            out.append(((start, end), att))
            if self.quote_of[tok.i] < 0:
                self.history.append((self.chunk.offset + tok.idx, self.sent_of[tok.i], att))
        return out

    def _clause(self, cue: Token) -> tuple[int, int] | None:
        """Whole-text span of the clause the cue reports, or None."""
        doc = self.doc
        if cue.lower_ == "according":
            body = [t for t in cue.head.subtree if not (cue.left_edge.i <= t.i <= cue.right_edge.i)]
        else:
            # the parse sometimes hangs the clause on an adverb ("said over and over again that ...")
            near = [cue, *(c for c in cue.children if c.dep_ in ("advmod", "npadvmod"))]
            comps = sorted((c for t in near for c in t.children if c.dep_ == "ccomp"), key=lambda c: c.i < cue.i)
            comp = comps[0] if comps else None  # the clause after the verb, else the one before ("S, X says")
            if comp is not None:
                subjects = [c for c in comp.children if c.dep_ in SUBJECTS]
                if not subjects or subjects[0].tag_ in ("WP", "WDT"):
                    return None  # "what he said was ...": no clause of its own
                body = list(comp.subtree)
                if body[0].dep_ == "mark" and body[0].head == comp:
                    body = body[1:]
            elif cue.dep_ == "parataxis":
                body = [t for t in cue.head.subtree if not (cue.left_edge.i <= t.i <= cue.right_edge.i)]
            else:
                return None
        if not body:
            return None
        # the longest contiguous run of tokens (a parenthetical cue splits its clause in two)
        runs, run = [], [body[0]]
        for t in body[1:]:
            if t.i == run[-1].i + 1:
                run.append(t)
            else:
                runs.append(run)
                run = [t]
        runs.append(run)
        run = max(runs, key=len)
        while run and (run[0].is_punct or run[0].dep_ == "cc" or run[0].is_space):
            run = run[1:]
        if len(run) < 3 or self.quote_of[run[0].i] >= 0 > self.quote_of[cue.i]:
            return None  # a quotation opens the clause: the quotation is the record
        inside = sum(1 for t in run if self.quote_of[t.i] >= 0)
        if inside * 2 >= len(run) and self.quote_of[cue.i] < 0:
            return None  # the quotation is the record
        start, end = doc[run[0].i : run[-1].i + 1].start_char, run[-1].idx + len(run[-1].text)
        text = self.text
        while end > start and (text[end - 1] in " .,;:" or text[end - 1].isspace()):
            end -= 1
        segment = text[start:end]
        opened = len(re.findall(r"[“«]|(?:^|\s)\"(?=\w)", segment)) > len(re.findall(r"[”»]|(?<=[\w.,!?])\"", segment))
        if segment[-1:] in '”"»' and not opened:
            end -= 1
            while end > start and text[end - 1] in " .,;:":
                end -= 1
        elif opened:  # take in the closing mark the parse left out: that the talks were “frank and useful.”
            close = re.match(r"[.,!?]?[”\"»]", text[end : end + 2])
            end += close.end() if close else 0
        return (self.chunk.offset + start, self.chunk.offset + end) if end > start else None


def _names_a_thing(span: Span) -> bool:
    """A quoted title that modifies the noun after it (NBC's "Meet the Press" show): a name, not words spoken."""
    if any(t.tag_ in FINITE for t in span):
        return False
    return any(
        t.dep_ in ("compound", "nmod") and t.head.i >= span.end and t.head.pos_ in ("NOUN", "PROPN") for t in span
    )


def _label_name(label: str, lex: Lexicon) -> tuple[int, int] | None:
    """Offsets (within the label) of the name in a transcript label ("SECRETARY BLINKEN" → "BLINKEN")."""
    words = list(re.finditer(r"[^\s]+", label))
    if len(words) == 1:
        w = words[0].group().strip(".").lower()
        return None if w in lex.label_roles or w in lex.label_titles else words[0].span()
    names = []
    for w in reversed(words):
        if w.group().strip(".").lower() in lex.label_titles:
            break
        names.insert(0, w)
    if not names:
        return None
    return names[0].start(), names[-1].end()


def _turns(chunk: Chunk, ctx: DocContext, lex: Lexicon, chunk_text: str) -> list[Quote]:
    """A quote for every transcript turn that starts in the chunk, and a person candidate for its label's name."""
    labels = [s for s in ctx.sections if s.kind == "speaker_label"]
    stops = sorted(s.start for s in ctx.sections if s.kind in ("speaker_label", "heading", "headline"))
    chunk_end = chunk.offset + len(chunk_text)
    n_sents = len(list(chunk.doc.sents))
    out = []
    text = ctx.text
    for label in labels:
        if not chunk.offset <= label.start < chunk_end:
            continue
        turn_end = next((s for s in stops if s > label.start), len(text))
        body_start = label.end + 1 if text[label.end : label.end + 1] == ":" else label.end
        note = lex.turn_note.match(text, body_start, turn_end)
        if note:
            body_start = note.end()
        parts, pos = [], body_start
        for line in text[body_start:turn_end].split("\n"):
            a, b = trim_span(text, pos, pos + len(line))
            if a < b and not ctx.in_noise(a, b):
                parts.append(TextSpan(a, b))
            pos += len(line) + 1
        if not parts:
            continue
        label_text = text[label.start : label.end]
        name = _label_name(label_text, lex)
        speakers, reasons, speaker_text = [], None, label_text
        if name is None:
            reasons = {"speaker": f"transcript turn by an unnamed speaker ({label_text})"}
        else:
            start, end = label.start + name[0], label.start + name[1]
            speaker_text = text[start:end]
            speakers = [ref(start, end)]
            reasons = {"speaker": f"label name '{speaker_text}' not resolved"}
            _add_label_candidate(ctx, start, end, chunk, n_sents)
        out.append(
            Quote(
                id="",
                speaker=None,
                speakers=speakers,
                speaker_text=speaker_text,
                text=" ".join(text[p.start : p.end] for p in parts),
                start=parts[0].start,
                end=parts[-1].end,
                parts=parts,
                direct=True,
                cue=None,
                reasons=reasons,
            )
        )
    return out


def _add_label_candidate(ctx: DocContext, start: int, end: int, chunk: Chunk, n_sents: int) -> None:
    """A person candidate for a label's name, named as fully as the text names that person so far.

    "WANG" in "STATE COUNCILOR AND FOREIGN MINISTER WANG" takes the name "Wang Yi" when the text
    names Wang Yi, which lets resolution join them whatever the order of the name's parts.
    """
    words = fold(ctx.text[start:end]).split()
    n = len(words)
    full = max(
        (
            c.text
            for c in ctx.candidates
            if c.kind == "person"
            and (c.start, c.end) != (start, end)
            and any(fold(c.text).split()[i : i + n] == words for i in range(len(c.text.split())))
        ),
        key=len,
        default=None,
    )
    name = full or " ".join(w.capitalize() for w in ctx.text[start:end].split())
    person = ctx.kb.person(name)
    local = chunk.doc.char_span(start - chunk.offset, end - chunk.offset, alignment_mode="expand")
    first = ctx.sentence_count - n_sents  # extract_mentions has already counted this chunk's sentences
    sentence = first + next((i for i, s in enumerate(chunk.doc.sents) if local and s.start <= local.start < s.end), 0)
    ctx.candidates[:] = [c for c in ctx.candidates if (c.start, c.end) != (start, end)]
    ctx.candidates.append(
        Candidate(
            start,
            end,
            name,
            "person",
            country=person.country if person else None,
            kb_id=person.id if person else None,
            gender=person.gender if person else None,
            sentence=sentence,
        )
    )


def _record(reader: _QuoteReader, parts: list[tuple[int, int]], att: Attribution, direct: bool) -> Quote:
    text = reader.ctx.text
    spans = [reader.snap(s) for s in att.speakers]
    return Quote(
        id="",
        speaker=None,
        speakers=[ref(a, b) for a, b in spans],
        speaker_text=text[spans[0][0] : max(b for _, b in spans)] if spans else None,
        text=" ".join(text[a:b] for a, b in parts),
        start=parts[0][0],
        end=parts[-1][1],
        parts=[TextSpan(a, b) for a, b in parts],
        direct=direct,
        cue=att.cue_text,
        reasons={"speaker": att.reason} if att.reason else None,
    )


@extractor(requires=("candidates",), assigns=("quotes",))
def extract_quotes(chunk: Chunk, ctx: DocContext) -> None:
    """Append the chunk's quotations, reported speech and transcript turns to the context.

    Runs after `extract_mentions` (it reads the chunk's candidates and sentence count).
    """
    reader = _QuoteReader(chunk, ctx)
    text = reader.text
    groups = [[(chunk.offset + a, chunk.offset + b) for a, b in parts] for parts in quoted_spans(text)]
    for s in ctx.sections:
        if s.kind == "headline" and chunk.offset <= s.start < chunk.offset + len(text):
            local = text[s.start - chunk.offset : s.end - chunk.offset]
            offset = s.start
            groups += [[(offset + a, offset + b) for a, b in p] for p in quoted_spans(local, SINGLE_MARKS)]
    groups.sort()
    spans = reader.mark(groups)
    reported = reader.reported()
    quotes = reader.read_quotes(groups, spans)
    reader.resolve_descriptions()
    reader.resolve_pronouns()
    for parts, att in quotes:
        ctx.quotes.append(_record(reader, parts, att, True))
    for span, att in reported:
        ctx.quotes.append(_record(reader, [span], att, False))
    ctx.quotes.extend(_turns(chunk, ctx, reader.lex, text))
