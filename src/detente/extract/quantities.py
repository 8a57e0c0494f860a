"""Quantities: money, percentages, tonnage and other measures, and counted things, with what they measure.

A compiled pattern (words from `data/quantities.yaml` and `data/numbers.yaml`)
finds each figure ("US$65.7 billion", "$12bn", "36%", "12.5 million tonnes",
"five visits", "18 times"); the dependency parse then tells what it measures
(the noun it modifies, its "of" complement, its verb's subject), its status
(estimate, forecast, target), the states and organizations of its clause, the
direction of a flow ("X exported ... to Y"), who the sentence attributes it to,
and its period, from the date records of its clause or sentence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span, Token

from ..schema import DateRecord, Quantity
from .base import Candidate, Chunk, DocContext, extractor, ref
from .dates import chunk_text, date_at
from .numbers import DIGITS, alternation, numbers, parse_number, scale_of

DATA = Path(__file__).parent / "data"
NAME_ENTS = {"ORG", "PRODUCT", "FAC", "EVENT", "LAW", "WORK_OF_ART", "PERSON", "GPE", "LOC", "NORP"}
DETERMINERS = {"the", "these", "those", "its", "their", "our", "his", "her", "my", "your", "both", "all", "first",
               "last", "next", "other", "each", "every", "'s", "’s"}  # fmt: skip
AGENT_DEPS = ("nsubj", "nsubjpass", "poss")
SUBJECTS = ("nsubj", "nsubjpass", "csubj", "csubjpass")
ACTORS = ("state", "organization")
VISITORS = ACTORS + ("person",)  # a leader's visits are his state's
SPEAKERS = ("state", "organization", "person", "place", "group", "pronoun", "description")
SINCE = re.compile(r"\bsince\s+$", re.I)
ESTIMATED = re.compile(r"\b(?:an\s+)?estimated\s+(?:\S+\s+)?$", re.I)
BASE = re.compile(r"\b(?:from|than|compared\s+(?:to|with)|versus|vs\.?)\s+$", re.I)


@dataclass(frozen=True)
class Lexicon:
    figure: re.Pattern
    after: re.Pattern
    qualifier: re.Pattern
    reference: re.Pattern
    signs: dict[str, str]
    shared: dict[str, dict[str, str]]
    names: dict[str, str]
    owners: dict[str, str]
    units: dict[str, tuple[str, Decimal, str | None]]
    qualifiers: dict[str, str]
    measures: dict[str, str]
    change: frozenset[str]
    pass_through: frozenset[str]
    synonyms: dict[str, str]
    times_verbs: dict[str, str]
    count_adverbs: dict[str, int]
    multiplier: frozenset[str]
    time_nouns: frozenset[str]
    status: dict[str, str]
    status_nouns: dict[str, str]
    status_aux: dict[str, str]
    reporting: frozenset[str]
    publication: frozenset[str]
    outward: frozenset[str]
    inward: frozenset[str]
    visiting: frozenset[str]


def _key(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.lower())


@lru_cache(maxsize=1)
def _lexicon() -> Lexicon:
    with open(DATA / "quantities.yaml", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    n = numbers()
    signs = alternation(data["currency_signs"])
    units = {
        _key(f): (u["unit"], Decimal(str(u.get("factor", 1))), u.get("measure"))
        for u in data["units"]
        for f in u["forms"]
    }
    qualifiers = {_key(p): q for q, phrases in data["qualifiers"].items() for p in phrases}
    figure = (
        rf"(?<![\w.,/:#@&'’-])(?:(?P<sign>{signs})\s?)?(?P<num>{n.number})"
        rf"(?:\s?[-–]\s?(?:{signs})?\s?(?P<num2>{DIGITS}))?"
        rf"(?:[\s-]+(?P<scale>{n.scale})\b|\s?(?P<abbr>{n.abbreviation})\b)?"
    )
    after = (
        r"(?P<pct>\s?%|\s?(?:per\s?cent|percent)\b)"
        rf"|[\s-]+(?P<unit>{alternation(units)})\b"
        rf"|\s+(?:(?P<owner>{alternation(data['currency_owners'])})\s+)?(?P<name>{alternation(data['currency_names'])})\b"
        r"|\s+(?P<times>times)\b"
    )
    return Lexicon(
        figure=re.compile(figure, re.I),
        after=re.compile(after, re.I),
        qualifier=re.compile(rf"\b(?P<q>{alternation(qualifiers)})\s+$", re.I),
        reference=re.compile(rf"(?:^|\s)(?:{alternation(data['reference_words'])})\s+$", re.I),
        signs=data["currency_signs"],
        shared=data["shared_signs"],
        names={_key(k): v for k, v in data["currency_names"].items()},
        owners={_key(k): v for k, v in data["currency_owners"].items()},
        units=units,
        qualifiers=qualifiers,
        measures={w: m for m, words in data["measures"].items() for w in words},
        change=frozenset(data["change_measures"]),
        pass_through=frozenset(data["pass_through"]),
        synonyms={_key(w): m for m, words in data["count_synonyms"].items() for w in words},
        times_verbs=data["times_verbs"],
        count_adverbs=data["count_adverbs"],
        multiplier=frozenset(data["multiplier_words"]),
        time_nouns=frozenset(data["time_nouns"]),
        status={w: s for s, words in data["status"].items() for w in words},
        status_aux=data["status_auxiliaries"],
        status_nouns=data["status_nouns"],
        reporting=frozenset(data["reporting_verbs"]),
        publication=frozenset(data["reporting_verbs"] + data["publication_verbs"]),
        outward=frozenset(data["outward"]),
        inward=frozenset(data["inward"]),
        visiting=frozenset(data["visiting"]),
    )


@dataclass
class Figure:
    """A number with its unit, before its meaning is read from the parse."""

    start: int  # chunk-relative
    end: int
    value: Decimal
    unit: str
    qualifier: str | None
    counted: Token | None = None  # the counted noun ("visits") or verb ("met ... 18 times")
    measure: str | None = None  # what is counted, or what the unit implies ("barrels": oil)


def _currency(m: re.Match, a: re.Match | None, lex: Lexicon, sentence_states: set[str]) -> str | None:
    if a is not None and a["name"]:
        name = _key(a["name"])
        if name == "pounds" and not (m["scale"] or m["sign"]):
            return None  # "500 pounds of beef"
        owner = a["owner"] and lex.owners.get(_key(a["owner"]))
        if name.startswith("dollar") or name.startswith("rupee"):
            return owner or lex.names[name]
        return lex.names[name]
    if not m["sign"]:
        return None
    sign = m["sign"]
    shared = lex.shared.get(sign, {})
    return next((shared[s] for s in sentence_states if s in shared), None) or lex.signs.get(sign)


def _figure(m: re.Match, text: str, lex: Lexicon, states: set[str]) -> Figure | None:
    """The figure of a match: unit and value from the words around it, or None when it is no quantity."""
    end = m.end()
    a = lex.after.match(text, end)
    if not (m["scale"] or m["abbr"] or (a and (a["pct"] or a["unit"]))) and text[end : end + 1].isalnum():
        return None  # "19th", "5G"
    num = parse_number(m["num"])
    if num is None:
        return None
    qualifier = None
    if m["num2"]:
        upper = parse_number(m["num2"])
        if upper is None or upper <= num:
            return None
        num, qualifier = upper, "up_to"
    value = num * scale_of(m["scale"] or m["abbr"])
    currency = _currency(m, a, lex, states)
    if currency:
        return Figure(m.start(), a.end() if a is not None and a["name"] else end, value, currency, qualifier)
    if m["sign"] or m["abbr"]:
        return None
    if a is not None and a["pct"]:
        return Figure(m.start(), a.end(), value, "percent", qualifier)
    if a is not None and a["unit"]:
        unit, factor, measure = lex.units[_key(a["unit"])]
        return Figure(m.start(), a.end(), value * factor, unit, qualifier, measure=measure)
    if text[end : end + 1] in ("-", "–", "/", ":") or (num == 1 and not m["scale"]):
        return None
    return Figure(m.start(), a.end() if a is not None and a["times"] else end, value, "count", qualifier)


def _counted(fig: Figure, span: Span, doc: Doc, lex: Lexicon) -> bool:
    """Find what a bare number counts ("five visits", "met 18 times"); False when it counts nothing."""
    first, last = span[0], span[-1]
    before = doc[first.i - 1] if first.i else None
    if last.lower_ == "times":
        after = doc[last.i + 1] if last.i + 1 < len(doc) else None
        if after is not None and (after.lower_ in lex.multiplier or after.pos_ in ("NOUN", "PROPN", "ADJ")):
            return False  # "18 times world demand", "three times as large"
        fig.counted = next((t for t in last.ancestors if t.pos_ == "VERB"), None)
        fig.measure = fig.counted is not None and lex.times_verbs.get(fig.counted.lemma_.lower()) or None
        return True
    if before is not None and (before.lower_ in DETERMINERS or before.tag_ in ("PRP$", "POS")) and fig.value < 100:
        return False  # "the two countries": a reference back, not a count
    if before is not None and before.pos_ == "PROPN" and before.whitespace_:
        return False  # "Su 35 jets"
    noun = last
    while (
        noun.dep_ in ("nummod", "compound", "quantmod", "amod") and noun.head.i > noun.i and noun.head.i - last.i <= 4
    ):
        noun = noun.head
    if any(
        t.like_num or t.dep_ not in ("amod", "compound", "nmod", "punct") or (t.is_punct and t.tag_ != "HYPH")
        for t in doc[last.i + 1 : noun.i]
    ):
        return False  # "six ... medications", "150 to 200 people" (the count is the second number's)
    if noun is last or noun.tag_ not in ("NNS", "NNPS") or noun.lower_ in lex.time_nouns or noun.ent_type_ in NAME_ENTS:
        return False
    if noun.dep_ == "attr" and not any(c.dep_ == "expl" for c in noun.head.children):
        return False  # "China and the United States are two major countries": a description
    words = [c.lower_ for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "NOUN" and c.i > last.i] + [noun.lower_]
    fig.measure = lex.synonyms.get(" ".join(words)) or lex.synonyms.get(noun.lower_) or " ".join(words)
    fig.counted, fig.end = noun, noun.idx + len(noun.text)
    return True


def _verb(tok: Token) -> Token | None:
    for t in tok.ancestors:
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


def _lexical(tok: Token, lex: Lexicon) -> str | None:
    """The measure a noun or verb names, its compounds first ("tariff hikes" -> tariff)."""
    for c in tok.children:
        if c.dep_ == "compound" and c.lemma_.lower() in lex.measures:
            return lex.measures[c.lemma_.lower()]
    if tok.lemma_.lower() in lex.pass_through:
        return None
    return lex.measures.get(tok.lemma_.lower()) or lex.measures.get(tok.lower_)


def _of_object(tok: Token) -> Token | None:
    """The object of a token's "of" ("70% of [the population]")."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            return next((o for o in prep.children if o.dep_ == "pobj"), None)
    return None


def _measure(root: Token, verb: Token | None, fig: Figure, lex: Lexicon) -> str | None:
    """What a figure measures: the noun it modifies, its "of" complement, the noun it completes, its verb."""
    head = root.head
    noun = head if root.dep_ in ("compound", "nmod", "amod", "nummod", "quantmod") and head.pos_ == "NOUN" else None
    if noun is not None and noun.lemma_.lower() in lex.pass_through:
        root, noun = noun, None  # "$28 billion worth of exports": the figure is of what the worth is of
    found = noun is not None and _lexical(noun, lex)
    if found:
        return found
    if fig.unit == "percent" and head.dep_ != "prt" and lex.measures.get(head.lemma_.lower()) in lex.change:
        return lex.measures[head.lemma_.lower()]  # "up 12%", but not "make up 35%"
    obj = _of_object(root)
    if obj is not None:
        found = next(filter(None, (_lexical(t, lex) for t in obj.subtree)), None)  # "of member states' GDP"
        if found or (fig.unit == "percent" and obj.pos_ == "NOUN"):
            return found or obj.lemma_.lower()
    if root.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "NOUN":
        found = _lexical(head.head, lex)  # "tariffs of 25%"
        if found:
            return found
    if fig.measure:
        return fig.measure
    if noun is not None:
        return noun.lemma_.lower()  # "a $20 billion railway project"
    if verb is not None:
        own = _lexical(verb, lex)
        if fig.unit == "percent" and own in lex.change and not (root.dep_ == "pobj" and head.lower_ in ("to", "from")):
            return own  # "rose 12%", but not "rose to 12%"
        for arg in verb.children:
            if arg.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and arg.i != root.i:
                found = _lexical(arg, lex)
                if found and found not in lex.change:
                    return found
        if own and own not in lex.change:
            return own
    near = sorted(verb.subtree if verb is not None else root.sent, key=lambda t: abs(t.i - root.i))
    found = (lex.measures.get(t.lemma_.lower()) for t in near)
    return next((f for f in found if f and (fig.unit == "percent" or f not in lex.change)), None)


def _status(root: Token, before: str, lex: Lexicon) -> str:
    """Estimate, forecast or target from the words governing the figure, else actual."""
    found = set()
    if ESTIMATED.search(before):
        found.add("estimate")
    for tok in (root, *root.ancestors):
        lemma = tok.lemma_.lower()
        found.add(lex.status_nouns.get(lemma) if tok.pos_ == "NOUN" else lex.status.get(lemma))
        for c in tok.children:
            if c.dep_ in ("aux", "auxpass"):
                found.add(lex.status_aux.get(c.lower_))
            elif c.dep_ == "amod":
                found.add(lex.status.get(c.lemma_.lower()))
        if tok.dep_ in SUBJECTS:
            break  # "tariffs of 20% [are aimed at] …": what the subject's verb says is not the figure's status
    return next((s for s in ("estimate", "forecast", "target") if s in found), "actual")


class Mentions:
    """The chunk's entity candidates, by position, to find the one at a token."""

    def __init__(self, ctx: DocContext, chunk: Chunk, end: int):
        self.cands = sorted((c for c in ctx.candidates if chunk.offset <= c.start < end), key=lambda c: c.start)
        self.starts = [c.start for c in self.cands]
        self.offset = chunk.offset
        self.states = {c.country for c in ctx.candidates if c.kind == "state" and c.country}

    def within(self, start: int, end: int, kinds: tuple[str, ...] = ACTORS) -> list[Candidate]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        for c in self.cands[i:]:
            if c.start >= end:
                break
            if c.kind in kinds and c.end <= end:
                out.append(c)
        return out

    def at(self, tok: Token | None, kinds: tuple[str, ...] = SPEAKERS) -> str | None:
        """A reference to the candidate over `tok` (or over its compound name), or None."""
        if tok is None:
            return None
        s = self.offset + tok.idx
        for c in self.within(s - 60, s + len(tok.text) + 1, kinds):
            if c.start <= s < c.end:
                return ref(c.start, c.end)
        return None


def _agent(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in AGENT_DEPS:
            return c
        if c.dep_ == "agent":
            return next((p for p in c.children if p.dep_ == "pobj"), None)
    return None


def _prep_object(toks: list[Token], preps: tuple[str, ...]) -> Token | None:
    for tok in toks:
        for c in tok.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in preps:
                obj = next((p for p in c.children if p.dep_ == "pobj"), None)
                if obj is not None:
                    return obj
    return None


def _up_to(tok: Token, top: Token) -> list[Token]:
    """The ancestors of `tok` up to `top` (included)."""
    out = []
    for t in tok.ancestors:
        out.append(t)
        if t is top:
            break
    return out


def _visit(root: Token, verb: Token | None, mentions: Mentions, lex: Lexicon) -> tuple[str | None, str | None]:
    """(visitor, host) of a count of visits ("Putin has visited China 22 times", "Xi's nine trips to Russia")."""
    for flow in (root, verb):
        if flow is None or flow.lemma_.lower() not in lex.visiting:
            continue
        visitor = _agent(flow) or next((c for c in flow.children if c.dep_ == "poss"), None)
        if visitor is None and flow is root and verb is not None:
            visitor = _agent(verb)  # "Modi has made five trips to Japan"
        host = next((c for c in flow.children if c.dep_ == "dobj"), None) or _prep_object([flow], ("to", "in"))
        src, dst = mentions.at(visitor, VISITORS), mentions.at(host, ACTORS)
        if src or dst:
            return src, dst
    return None, None


def _direction(root: Token, verb: Token | None, mentions: Mentions, lex: Lexicon) -> tuple[str | None, str | None]:
    """(from, to) references of a flow ("X exported ... to Y", "X bought ... from Y", "X visited Y 5 times"), else
    (None, None)."""
    if (found := _visit(root, verb, mentions, lex)) != (None, None):
        return found
    for flow in (root.head if root.head.pos_ == "NOUN" else None, verb):
        if flow is None:
            continue
        word = flow.lemma_.lower()
        path = [root, *_up_to(root, flow)]  # "bought missiles worth $N from Y": the prepositions on the way up
        if word in lex.outward:
            src = mentions.at(_agent(flow), ACTORS) or mentions.at(_prep_object([flow], ("from", "by")), ACTORS)
            dst = mentions.at(_prep_object(path, ("to", "into", "in", "for")), ACTORS)
        elif word in lex.inward:
            dst = mentions.at(_agent(flow), ACTORS)
            src = mentions.at(_prep_object(path, ("from",)), ACTORS)
        else:
            continue
        if src or dst:
            return src, dst
    return None, None


def _asserted_by(root: Token, sent: Span, mentions: Mentions, lex: Lexicon) -> str | None:
    """Who the sentence attributes the figure to: the subject of a reporting verb over it, or "according to X"."""
    verbs = [t for t in root.ancestors if t.lemma_.lower() in lex.reporting]
    verbs += [
        c for t in root.ancestors for c in t.children if c.dep_ == "parataxis" and c.lemma_.lower() in lex.reporting
    ]
    for verb in verbs:
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        found = mentions.at(subj)
        if found:
            return found
    for tok in sent:
        if tok.lower_ == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            found = mentions.at(obj)
            if found:
                return found
    return None


def _entities(start: int, end: int, doc: Doc, offset: int, mentions: Mentions, ctx: DocContext) -> list[str]:
    """References to the states and organizations named in `start:end`, demonyms ("Chinese") as states."""
    out = [ref(c.start, c.end) for c in mentions.within(start, end)]
    span = doc.char_span(start - offset, end - offset, alignment_mode="expand")
    for tok in span or ():
        code = tok.pos_ in ("ADJ", "PROPN") and ctx.kb.state_of_demonym(tok.text)
        if code and code in mentions.states and f"state:{code}" not in out:
            out.append(f"state:{code}")
    return out


def _period(ctx: DocContext, root: Token, clause: tuple[int, int], sent: Span, offset: int, lex: Lexicon) -> str | None:
    """The period of a figure: the nearest date of its clause, else of a clause above it, that is no base of
    comparison ("from the previous year") nor the day something was said ("said on Monday"; "estimated in 2021"
    dates the figure); "since" a date leaves its end open."""
    doc, start = root.doc, offset + root.idx

    def verb_of(d: DateRecord) -> Token | None:
        span = doc.char_span(d.start - offset, d.end - offset, alignment_mode="expand")
        return _verb(span.root) if span is not None else None

    def usable(d: DateRecord) -> bool:
        if BASE.search(ctx.text[max(0, d.start - 15) : d.start]):
            return False
        verb = verb_of(d)
        return verb is None or verb.lemma_.lower() not in lex.publication or d.precision in ("year", "decade")

    above = set(root.ancestors)
    date = date_at(ctx, *clause, near=start, where=usable) or date_at(
        ctx,
        offset + sent.start_char,
        offset + sent.end_char,
        near=start,
        where=lambda d: verb_of(d) in above and usable(d),
    )
    if date is None:
        return None
    verb = verb_of(date)
    if SINCE.search(ctx.text[max(0, date.start - 10) : date.start]) or (
        verb is not None and any(c.dep_ == "mark" and c.lower_ == "since" for c in verb.children)
    ):
        return date.value.split("/")[0] + "/.."
    return date.value


@extractor(requires=("candidates", "dates"), assigns=("quantities",))
def extract_quantities(chunk: Chunk, ctx: DocContext) -> None:
    """Append the quantities of one chunk to the context."""
    lex = _lexicon()
    doc, offset = chunk.doc, chunk.offset
    text = chunk_text(chunk, ctx)
    mentions = Mentions(ctx, chunk, offset + len(text))
    dates = [(d.start, d.end) for d in ctx.dates if d.start >= offset]
    sents = list(doc.sents)
    sent_starts = [sent.start_char for sent in sents]
    taken = 0  # end of the last quantity: a counted noun may cover the next number ("150 to 200 people")
    for m in lex.figure.finditer(text):
        s, e = m.span()
        if s < taken or ctx.in_noise(offset + s, offset + e) or lex.reference.search(text[max(0, s - 20) : s]):
            continue
        i = bisect.bisect_left(dates, (offset + s, 0))
        if (i and dates[i - 1][1] > offset + s) or (i < len(dates) and dates[i][0] < offset + e):
            continue  # a year or a date
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or any(t.ent_type_ in NAME_ENTS for t in span):
            continue
        sent = sents[bisect.bisect_right(sent_starts, s) - 1]
        fig = _figure(m, text, lex, {c.country for c in mentions.within(*chunk.span_of(sent)) if c.country})
        fig_span = doc.char_span(fig.start, fig.end, "expand") if fig is not None else None
        if fig_span is None or (fig.unit == "count" and not _counted(fig, fig_span, doc, lex)):
            continue  # no figure, or one whose characters the tokens cannot cover (encoded blobs)
        q = lex.qualifier.search(text[max(0, s - 30) : s])
        fig.qualifier = fig.qualifier or (q and lex.qualifiers[_key(q["q"])])
        _add(fig, doc, offset, sent, mentions, ctx, lex)
        taken = fig.end
    for tok in doc:  # "has visited India twice": a count said in a word
        count = lex.count_adverbs.get(tok.lower_)
        measure = lex.times_verbs.get(tok.head.lemma_.lower()) if tok.dep_ == "advmod" else None
        if count and measure and tok.head.pos_ == "VERB" and not ctx.in_noise(offset + tok.idx, offset + tok.idx + 1):
            fig = Figure(tok.idx, tok.idx + len(tok.text), Decimal(count), "count", None, tok.head, measure)
            _add(fig, doc, offset, tok.sent, mentions, ctx, lex)
    ctx.quantities.sort(key=lambda q: q.start)


def _add(fig: Figure, doc: Doc, offset: int, sent: Span, mentions: Mentions, ctx: DocContext, lex: Lexicon) -> None:
    """Read the figure's meaning from its clause and append its record."""
    span = doc.char_span(fig.start, fig.end, alignment_mode="expand")
    root = fig.counted if fig.counted is not None and fig.counted.pos_ != "VERB" else span.root
    verb = root if root.pos_ == "VERB" else _verb(root)
    measure = fig.measure if fig.unit == "count" else _measure(root, verb, fig, lex)
    clause = (offset + sent.start_char, offset + sent.end_char)
    shared: list[Token] = []  # the subject a conjoined verb shares ("He announced …, [accepted] $2 billion")
    if verb is not None:
        clause = (offset + verb.left_edge.idx, offset + verb.right_edge.idx + len(verb.right_edge.text))
        if verb.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            shared = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    start, end = offset + fig.start, offset + fig.end
    period = _period(ctx, root, clause, sent, offset, lex)
    src, dst = _direction(root, verb, mentions, lex)
    entities = _entities(*clause, doc, offset, mentions, ctx)
    for subj in shared:
        first, last = subj.left_edge, subj.right_edge
        span = (offset + first.idx, offset + last.idx + len(last.text))
        entities += [r for r in _entities(*span, doc, offset, mentions, ctx) if r not in entities]
    for r in (src, dst):
        if r and r not in entities:
            entities.append(r)
    reasons = {}
    if measure is None:
        reasons["measure"] = "no measured noun found"
    if period is None:
        reasons["period"] = "no date in the figure's clause or the clauses above it"
    ctx.quantities.append(
        Quantity(
            id="",
            measure=measure,
            value=float(fig.value),
            unit=fig.unit,
            qualifier=fig.qualifier,
            text=ctx.text[start:end],
            start=start,
            end=end,
            period=period,
            status=_status(root, ctx.text[max(0, start - 30) : start], lex),
            entities=entities,
            from_=src,
            to=dst,
            asserted_by=_asserted_by(root, sent, mentions, lex),
            reasons=reasons or None,
        )
    )
