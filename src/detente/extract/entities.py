"""Entity mentions: named states, people, organizations, places, plus pronouns and descriptions.

Reads spaCy's named entities and the knowledge base; decides whether a capital
stands for its state ("Moscow sold") or is a place ("talks in Moscow").
Resolution into entities happens later, over the whole document.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Span, Token

from ..kb import KnowledgeBase, fold
from ..schema import Role
from .base import Candidate, Chunk, DocContext, RoleMention, extractor

DATA = Path(__file__).parent / "data"
# Parts of speech that cannot open a name ("Later Wood said"); adjectives can (taggers call odd first names so).
NOT_NAME_POS = {"ADV", "DET", "CCONJ", "SCONJ", "ADP", "PRON", "PART", "PUNCT", "VERB", "AUX", "INTJ", "NUM"}
LOCATIVE_PREPS = {"in", "at", "near", "into", "across", "outside", "inside", "around", "via", "through",
                  "throughout", "within", "off", "between", "over"}  # fmt: skip
# "to"/"from" mark a place only after motion ("a trip to Moscow"), not after a transfer ("sold to Ankara").
MOTION_PREPS = {"to", "from", "toward", "towards"}
MOTION_HEADS = {"travel", "trip", "visit", "go", "come", "arrive", "return", "fly", "flight", "move", "journey",
                "head", "relocate", "drive", "sail", "voyage", "tour", "transfer", "route", "road", "way",
                "depart", "leave", "invite", "invitation", "welcome"}  # fmt: skip
PRONOUN_GENDER = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female", "hers": "female"}
# Head nouns of a description that may stand for a person already named ("the Turkish analyst").
PERSON_NOUNS = {
    "expert", "analyst", "leader", "official", "minister", "president", "spokesperson", "spokesman",
    "spokeswoman", "diplomat", "professor", "researcher", "scholar", "ambassador", "envoy", "secretary",
    "premier", "chancellor", "senator", "lawmaker", "general", "commander", "economist", "director", "chief",
    "fellow", "adviser", "advisor", "head", "king", "prince", "emir", "counterpart", "author", "historian",
}  # fmt: skip
ENT_KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organization",
             "NORP": "group"}  # fmt: skip


# Model designations of weapons and aircraft ("S-400", "F-35s", "Su-35", "J-20") are objects, not actors.
DESIGNATION = re.compile(r"^(?:[A-Z][A-Za-z]{0,3}[- ]?\d{1,4}[A-Z]{0,2}s?|[A-Z]{2,5}-\d{1,4}[A-Za-z]*)$")


def _is_designation(span: Span, kb: KnowledgeBase) -> bool:
    words = [t.text for t in span if not (kb.state_of_demonym(t.text) or kb.state_of_name(t.text))]
    joined = " ".join(words).replace(" - ", "-")
    return bool(DESIGNATION.match(joined)) and kb.organization(span.text) is None


@lru_cache(maxsize=1)
def _lexicons() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """Organization head word -> type, the head words of documents, and those of places."""
    with open(DATA / "org_types.yaml", encoding="utf-8") as fh:
        types = {w: t for t, words in yaml.safe_load(fh).items() for w in words}
    with open(DATA / "documents.yaml", encoding="utf-8") as fh:
        heads = frozenset(yaml.safe_load(fh)["heads"])
    return types, heads, frozenset(_places_data()["heads"])


@lru_cache(maxsize=1)
def _places_data() -> dict:
    with open(DATA / "places.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _state_pair(tok: Token, kb: KnowledgeBase) -> list[tuple[tuple[int, int], str]] | None:
    """ "U.S.-China" as one token: the (offsets in the token, state) of each state it joins, when both are."""
    parts, out, at = tok.text.split("-"), [], 0
    for part in parts:
        code = kb.state_of_name(part) or kb.state_of_metonym(part)
        if not part or code is None:
            return None
        out.append(((at, at + len(part)), code))
        at += len(part) + 1
    return out if len(out) == 2 else None


def _named_place(tok: Token, kb: KnowledgeBase) -> tuple[Span, str] | None:
    """ "the town of [Samarra]": a proper name after "of" and a place noun that the knowledge base places."""
    head = tok.head
    if tok.dep_ != "pobj" or head.lower_ != "of" or head.head.lemma_.lower() not in _places_data()["of_heads"]:
        return None
    first = min([c.i for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] + [tok.i])
    span = tok.doc[first : tok.i + 1]
    code = kb.country_of_place(span.text)
    return (span, code) if code else None


def _org_type(text: str) -> str | None:
    """The organization type its name's words imply, the last matching word winning."""
    types, _, _ = _lexicons()
    words = fold(text).split()
    for end in range(len(words), 0, -1):
        for phrase in (" ".join(words[max(0, end - 2) : end]), words[end - 1]):
            if phrase in types:
                return types[phrase]
    return None


_CAP = r"[A-Z][\w'’.-]*"
# Named instruments: "the Treaty of Peace, Friendship and Cooperation", "the Paris Agreement",
# "the Countering America's Adversaries Through Sanctions Act".
DOCUMENT_NAME = re.compile(
    rf"\b(?:{_CAP} (?:(?:and|of|&) )?){{0,8}}(?:Treaty|Agreement|Accords?|Act|Convention|Pact|Charter|Declaration|"
    rf"Protocol|Communiqu[eé]|Memorandum|Initiative)\b"
    rf"(?: (?:of|on|for|to) (?:the )?{_CAP}(?:(?:,| and| of| on| for| in)* {_CAP})*)?"
)


def _document_spans(chunk: Chunk) -> list[Span]:
    spans = []
    for m in DOCUMENT_NAME.finditer(chunk.doc.text):
        span = chunk.doc.char_span(m.start(), m.end(), alignment_mode="contract")
        if span is not None and len(span) > 1:
            span = _trim(span)
            if len(span) > 1:
                spans.append(span)
    return spans


def _is_document(span: Span) -> bool:
    _, heads, _ = _lexicons()
    return any(t.lower_ in heads for t in span if t.is_title or t.is_upper)


def _trim(span: Span) -> Span:
    """The span without a leading determiner and a trailing possessive or punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].lower_ == "'s"):
        end -= 1
    return doc[start:end]


def _repair_person(span: Span, label: str, kb: KnowledgeBase) -> tuple[Span, str]:
    """Fix the small model's person names: titles and adverbs cut off the front ("Spokesperson Matthew
    Miller"), first names added back ("Antony J. Blinken"), people tagged as places or organizations
    after or before a title ("adviser Ajit Doval", "Ajit Doval, the adviser")."""
    doc = span.doc
    start, end = span.start, span.end
    while end - start > 1 and doc[start].pos_ in NOT_NAME_POS and kb.person(span.text) is None:
        start += 1
    span = doc[start:end]
    if label == "PERSON":
        while end - start > 1 and doc[start].lower_ in kb.title_words and kb.person(doc[start:end].text) is None:
            start += 1
        while (start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title
               and doc[start - 1].lower_ not in kb.title_words and not doc[start - 1].ent_type_
               and not kb.state_of_demonym(doc[start - 1].text)):  # fmt: skip
            start -= 1
        return doc[start:end], label
    if kb.person(span.text) and not kb.state_of_name(span.text):
        return span, "PERSON"
    if label not in ("FAC", "ORG", "GPE", "PRODUCT", "WORK_OF_ART", "NORP") or not all(t.pos_ == "PROPN" for t in span):
        return span, label
    if kb.organization(span.text) or kb.state_of_name(span.text) or kb.state_of_metonym(span.text):
        return span, label
    prev = doc[start - 1] if start > 0 else None
    after_title = prev is not None and prev.lower_ in kb.title_heads and not prev.is_sent_start
    titled_appos = any(c.dep_ == "appos" and c.lower_ in kb.title_heads for c in span.root.children)
    return span, "PERSON" if after_title or titled_appos else label


def _relabel(span: Span, label: str, kb: KnowledgeBase, surnames: set[str]) -> str:
    """A second look at the label: a surname already named is a person ("Wood", tagged as an
    organization); a city or a name with a geographic head ("Whitsun Reef") is a place."""
    text = span.text
    if label == "PERSON" and kb.state_of_demonym(text):
        return "NORP"  # "Ugandan" is a nationality, not a name
    if kb.state_of_name(text) or kb.organization(text) or kb.person(text):
        return label
    if label != "PERSON" and span[-1].text in surnames and all(t.pos_ == "PROPN" for t in span):
        return "PERSON"
    _, _, place_heads = _lexicons()
    if label in ("PERSON", "ORG") and span[-1].lower_ in place_heads and span[-1].is_title or kb.is_region(text):
        return "LOC"
    titled = span.start > 0 and span.doc[span.start - 1].lower_ in kb.title_heads
    if label == "PERSON" and not titled and text not in surnames and kb.country_of_place(text):
        return "GPE"
    return label


def _kb_organization(span: Span, kb: KnowledgeBase) -> bool:
    """A known organisation of several words that is no part of a title ("the Security Council", not "Foreign
    [Minister]")."""
    after = span.doc[span.end].lower_ if span.end < len(span.doc) else ""
    return kb.organization(span.text) is not None and after not in kb.title_heads


def _kb_names(doc, covered: set[int], kb: KnowledgeBase) -> list[Span]:
    """Officials and organisations of the knowledge base named in runs of proper nouns the tagger left out
    ("Lavrov", "the Security Council")."""
    found: list[Span] = []
    i, n = 0, len(doc)
    while i < n:
        if i in covered or doc[i].pos_ != "PROPN":
            i += 1
            continue
        j = i
        while j < n and j not in covered and (doc[j].pos_ == "PROPN" or doc[j].text == "-"):
            j += 1
        best = next(
            (doc[a : a + size] for size in range(j - i, 0, -1) for a in range(i, j - size + 1)
             if kb.person(doc[a : a + size].text) or size > 1 and _kb_organization(doc[a : a + size], kb)),
            None,
        )  # fmt: skip
        if best is not None:
            found.append(best)
            j = best.end
        i = j
    return found


def _inside_title(span: Span, kb: KnowledgeBase) -> bool:
    """Whether a name is part of a title ("Secretary of State", "Turkish Defense Minister",
    "Presidential Advisor") rather than an organization of its own."""
    doc = span.doc
    words = [t for t in span if not kb.state_of_demonym(t.text)]
    if words and all(t.lower_ in kb.title_words for t in words) and words[-1].lower_ in kb.title_heads:
        return True
    for a in range(max(0, span.start - 4), span.start + 1):
        for b in range(span.end, min(len(doc), span.end + 2) + 1):
            if b - a > len(span) and kb.sector_of_title(doc[a:b].text):
                return True
    return False


def _is_located(span: Span) -> bool:
    """Whether a name is used as a location ("in Moscow") rather than as an actor ("Moscow said")."""
    root = span.root
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPS:
        return True
    if root.dep_ == "pobj" and head.lower_ in MOTION_PREPS:
        return head.head.lemma_.lower() in MOTION_HEADS
    return root.dep_ in ("npadvmod",) or (root.dep_ == "appos" and head.ent_type_ == "GPE")


def _country_hint(span: Span, kb: KnowledgeBase) -> str | None:
    """A state named or implied inside an organization's name ("Russian Defense Ministry")."""
    for tok in span:
        code = kb.state_of_demonym(tok.text) or kb.state_of_name(tok.text)
        if code:
            return code
    return None


def _owner_state(span: Span, kb: KnowledgeBase) -> str | None:
    """The state written just before an organization: "Ivory Coast's Supreme Court", "the Ivorian army"."""
    doc = span.doc
    i = span.start - 1
    if i >= 0 and doc[i].tag_ == "POS":
        owner = next((e for e in doc.ents if e.end in (i, i + 1) and e.start < i), None)
        text = _trim(owner).text if owner is not None else doc[i - 1].text if i > 0 else ""
        return kb.state_of_name(text) or kb.state_of_metonym(text)
    if i >= 0 and doc[i].ent_type_ == "NORP":
        owner = next((e for e in doc.ents if e.end == i + 1), None)
        return kb.state_of_demonym(owner.text if owner is not None else doc[i].text)
    return None


@lru_cache(maxsize=1)
def _peoples_data() -> dict:
    with open(DATA / "peoples.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=2)
def _people_names(head: bool) -> frozenset[str]:
    data = _peoples_data()
    return frozenset(data["peoples"]) | (frozenset(data["broad_peoples"]) if head else frozenset())


def _is_people(text: str, head: bool = True) -> bool:
    """Whether a name is that of an ethnic, religious or tribal people ("the Alawites", "Druze"); for a word
    that does not head its phrase, only of a particular people ("Druze leaders", not "Arab Spring")."""
    names = _people_names(head)
    key = fold(text)
    return key in names or key.removesuffix("s") in names or key.removesuffix("es") in names


def _classify(span: Span, label: str, kb: KnowledgeBase, day=None) -> Candidate | None:
    text = span.text
    if label in ("PERSON", "ORG", "NORP", "GPE") and _is_people(text, span.root.dep_ not in ("amod", "compound")):
        before = span.doc[span.start - 1] if span.start else None  # "Iraqi Kurds", "Syrian Druze": that state's
        return Candidate(0, 0, text, "group", country=before is not None and kb.state_of_demonym(before.text) or None)
    code = kb.state_of_name(text)
    if code and label in ("GPE", "ORG", "PERSON", "LOC", "NORP"):
        return Candidate(0, 0, text, "state", country=code)
    metonym = kb.state_of_metonym(text)
    if label in ("GPE", "ORG", "FAC", "PERSON") and metonym:
        if label == "GPE" and _is_located(span):
            return Candidate(0, 0, text, "place", country=metonym)
        return Candidate(0, 0, text, "state", country=metonym)
    if label == "NORP":
        return None
    if label in ("ORG", "PERSON", "GPE"):
        org = kb.organization(text)
        if org:
            return Candidate(0, 0, text, "organization", country=org.country, kb_id=org.id, org_type=org.type)
    if label == "PERSON" and text.split()[0].lower() in _peoples_data()["happenings"]:
        return None  # "Cyclone Jude" is no person
    if label == "PERSON":
        person = kb.person(text, day)
        if person:
            return Candidate(0, 0, text, "person", country=person.country, kb_id=person.id, gender=person.gender)
        if len(text) < 2 or not any(ch.isupper() for ch in text):
            return None
        return Candidate(0, 0, text, "person")
    if label == "LAW" or label in ("ORG", "WORK_OF_ART", "EVENT") and _is_document(span):
        return Candidate(0, 0, text, "document", country=_country_hint(span, kb))
    kind = ENT_KINDS.get(label)
    if kind is None:
        return None
    if kind == "organization":
        return Candidate(0, 0, text, kind, country=_country_hint(span, kb), org_type=_org_type(text) or "other")
    if kind == "place":
        return Candidate(0, 0, text, kind, country=kb.country_of_place(text))
    return Candidate(0, 0, text, kind)


def _description(tok: Token, kb: KnowledgeBase) -> tuple[str | None, str | None] | None:
    """(country, sector) of descriptions that may stand for a person named before: "the [Turkish]
    analyst", "Washington's envoy". None when `tok` heads no such description."""
    if tok.lower_ not in PERSON_NOUNS or tok.tag_ not in ("NN", "NNP") or tok.ent_type_:
        return None
    left = list(tok.lefts)
    if not left:
        return None
    country = None
    if left[0].dep_ == "poss":
        country = kb.state_of_name(left[0].text) or kb.state_of_metonym(left[0].text)
        if country is None:
            return None
    elif left[0].lower_ != "the":
        return None
    for t in left[1:]:
        country = country or kb.state_of_demonym(t.text) or kb.state_of_name(t.text)
    words = " ".join(t.lower_ for t in left[1:] if not kb.state_of_demonym(t.text) and t.tag_ != "POS")
    return country, kb.sector_of_title(f"{words} {tok.lower_}".strip()) or kb.sector_of_title(tok.lower_)


def _description_role(tok: Token, start: int, end: int, chunk: Chunk, sector: str | None) -> Role | None:
    """The title a description gives ("envoy" in "Washington's envoy"), when the lexicon knows it."""
    if sector is None:
        return None
    first = next((t for t in tok.lefts if t.dep_ not in ("det", "poss", "case") and t.i < tok.i), tok)
    title = chunk.doc[first.i : tok.i + 1]
    s, e = chunk.span_of(title)
    return Role(title=title.text, organization=None, sector=sector, start=s, end=e)


@extractor(assigns=("candidates", "roles", "surnames", "sentence_count"))
def extract_mentions(chunk: Chunk, ctx: DocContext) -> None:
    """Append entity candidates of one chunk to the context."""
    kb = ctx.kb
    doc = chunk.doc
    sent_index = {}
    for i, sent in enumerate(doc.sents):
        for tok in sent:
            sent_index[tok.i] = ctx.sentence_count + i
    covered = set()
    for span in _document_spans(chunk):
        start, end = chunk.span_of(span)
        if not ctx.in_noise(start, end):
            cand = Candidate(start, end, span.text, "document", country=_country_hint(span, kb))
            cand.sentence = sent_index.get(span.start, 0)
            ctx.candidates.append(cand)
            covered.update(range(span.start, span.end))
    for ent in doc.ents:
        span = _trim(ent)
        if not len(span) or any(i in covered for i in range(span.start, span.end)):
            continue
        if ent.label_ == "ORG" and _inside_title(span, kb) or ent.label_ != "GPE" and _is_designation(span, kb):
            continue
        span, label = _repair_person(span, ent.label_, kb)
        label = _relabel(span, label, kb, ctx.surnames)
        start, end = chunk.span_of(span)
        if ctx.in_noise(start, end):
            continue
        cand = _classify(span, label, kb, ctx.published)
        if cand is None:
            continue
        cand.start, cand.end, cand.sentence = start, end, sent_index.get(span.start, 0)
        cand.subject = span.root.dep_ in ("nsubj", "nsubjpass")
        if cand.kind in ("organization", "document") and cand.country is None and cand.org_type != "igo":
            cand.country = _owner_state(span, kb)  # "China's foreign ministry"; "China's U.N. envoy" is no UN side
        ctx.candidates.append(cand)
        covered.update(range(span.start, span.end))
        if cand.kind == "person" and len(span) > 1:
            ctx.surnames.add(span[-1].text)
    for span in _kb_names(doc, covered, kb):
        start, end = chunk.span_of(span)
        if not ctx.in_noise(start, end):
            cand = _classify(span, "PERSON" if kb.person(span.text) else "ORG", kb, ctx.published)
            cand.start, cand.end, cand.sentence = start, end, sent_index.get(span.start, 0)
            ctx.candidates.append(cand)
            covered.update(range(span.start, span.end))
    for tok in doc:
        if tok.i in covered:
            continue
        start = chunk.offset + tok.idx
        end = start + len(tok.text)
        low = tok.lower_
        if low in PRONOUN_GENDER and tok.pos_ == "PRON":
            if not ctx.in_noise(start, end):
                ctx.candidates.append(
                    Candidate(
                        start, end, tok.text, "pronoun", gender=PRONOUN_GENDER[low], sentence=sent_index.get(tok.i, 0)
                    )
                )
            continue
        if tok.pos_ == "PROPN" and tok.text in ctx.surnames and not ctx.in_noise(start, end):
            ctx.candidates.append(Candidate(start, end, tok.text, "person", sentence=sent_index.get(tok.i, 0)))
            continue
        head = tok.dep_ not in ("amod", "compound", "nmod", "poss")
        if tok.text[:1].isupper() and tok.pos_ in ("PROPN", "ADJ", "NOUN") and _is_people(tok.text, head):
            if not ctx.in_noise(start, end):
                ctx.candidates.append(Candidate(start, end, tok.text, "group", sentence=sent_index.get(tok.i, 0)))
            continue
        if tok.pos_ == "PROPN" and "-" in tok.text and (pair := _state_pair(tok, kb)):
            for (a, b), code in pair:
                s, e = start + a, start + b
                if not ctx.in_noise(s, e):
                    ctx.candidates.append(
                        Candidate(s, e, tok.text[a:b], "state", country=code, sentence=sent_index.get(tok.i, 0))
                    )
            continue
        if tok.pos_ == "PROPN" and tok.text[:1].isupper() and (found := _named_place(tok, kb)):
            span, code = found
            s, e = chunk.span_of(span)
            if not ctx.in_noise(s, e) and not any(i in covered for i in range(span.start, span.end)):
                ctx.candidates.append(
                    Candidate(s, e, span.text, "place", country=code, sentence=sent_index.get(tok.i, 0))
                )
            continue
        if tok.pos_ == "PROPN" and tok.text[:1].isupper():
            code = kb.state_of_name(tok.text) or (kb.state_of_metonym(tok.text) if fold(tok.text) else None)
            if code and not ctx.in_noise(start, end):
                ctx.candidates.append(
                    Candidate(start, end, tok.text, "state", country=code, sentence=sent_index.get(tok.i, 0))
                )
            titled = tok.dep_ in ("compound", "nmod") or (tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN")
            office = any(c.dep_ == "prep" for c in tok.children)  # "the President of the commission": an office
            if code or tok.lower_ not in PERSON_NOUNS or titled or office:
                continue  # a capitalised title alone ("The Secretary reiterated") may describe someone named
        desc = _description(tok, kb)
        if desc is not None and not ctx.in_noise(start, end):
            first = min(t.i for t in tok.lefts)
            s = chunk.offset + doc[first].idx
            ctx.candidates.append(
                Candidate(
                    s,
                    end,
                    doc[first : tok.i + 1].text,
                    "description",
                    country=desc[0],
                    sector=desc[1],
                    sentence=sent_index.get(tok.i, 0),
                )
            )
            role = _description_role(tok, s, end, chunk, desc[1])
            if role is not None:
                ctx.roles.append(RoleMention((s, end), role, desc[0]))
    ctx.sentence_count += len(list(doc.sents))
