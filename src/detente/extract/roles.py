"""Roles: the offices the text gives a person, with their span, organization, sector and country.

Reads titles before a name ("Japanese Foreign Minister Yoko Kamikawa",
"Modi's national security adviser Ajit Doval"), appositions ("Lloyd Austin,
the U.S. Secretary of Defense"), and relative clauses ("S. Somanath, who
heads the Indian space agency"). Titles and their sectors come from the
knowledge base's title lexicon; an organization's words ("space agency",
"Foreign Affairs Commission") decide the sector of a generic title.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Span, Token

from ..kb import KnowledgeBase, fold
from ..schema import Role
from .base import Chunk, DocContext, RoleMention, extractor

DATA = Path(__file__).parent / "data"
GLUE = {"of", "the", "for", "on", "to", "'s", "’s", "-", "and", "&"}
HEAD_VERBS = {"head", "lead", "run", "chair", "direct", "command", "oversee", "manage"}
SERVE_VERBS = {"serve", "work", "act"}
MAX_WINDOW = 14
# Sectors too generic to keep when the title names its organization ("Director of the ... Foreign Affairs Office").
GENERIC_SECTORS = ("other", "government")


@lru_cache(maxsize=1)
def org_sectors() -> tuple[tuple[str, str], ...]:
    """(phrase, sector) pairs for organization words, longest phrase first."""
    with open(DATA / "org_sectors.yaml", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    pairs = [(fold(p), sector) for sector, phrases in data.items() for p in phrases]
    return tuple(sorted(pairs, key=lambda x: -len(x[0])))


def _org_sector(words: str) -> str | None:
    padded = f" {fold(words)} "
    for phrase, sector in org_sectors():
        if f" {phrase} " in padded:
            return sector
    return None


def _country_of(tokens: list[Token], kb: KnowledgeBase) -> str | None:
    """The first state the tokens name: a demonym ("South Korean"), a state, a capital or a known organization."""
    for i, tok in enumerate(tokens):
        pair = f"{tok.text} {tokens[i + 1].text}" if i + 1 < len(tokens) else ""
        code = kb.state_of_demonym(pair) or kb.state_of_name(pair) if pair else None
        code = code or kb.state_of_demonym(tok.text) or kb.state_of_name(tok.text)
        if code is None and tok.ent_type_ in ("GPE", "ORG", "NORP") and tok.ent_iob_ == "B":
            ent = next((e for e in tok.doc.ents if e.start == tok.i), None)
            if ent is not None:
                code = kb.state_of_name(ent.text) or kb.state_of_metonym(ent.text) or kb.state_of_demonym(ent.text)
                org = None if code else kb.organization(ent.text)
                code = code or (org.country if org else None)
        if code:
            return code
    return None


def _organization_in(tokens: list[Token], kb: KnowledgeBase) -> str | None:
    """The name of the first known organization the tokens name ("U.N. Secretary-General", "NATO chief")."""
    for tok in tokens:
        ent = next((e for e in tok.doc.ents if e.start == tok.i), None) if tok.ent_iob_ == "B" else None
        org = kb.organization(ent.text) if ent is not None else None
        org = org or kb.organization(tok.text)
        if org is not None:
            return org.name
    return None


def _longest_title(tokens: list[Token], kb: KnowledgeBase) -> tuple[int, int] | None:
    """The (start, end) token indexes within `tokens` of the longest title phrase, preferring later ones."""
    best = None
    n = len(tokens)
    for i in range(n):
        if tokens[i].lower_ in GLUE or tokens[i].tag_ == "POS":
            continue
        for j in range(min(n, i + kb.max_title_words), i, -1):
            if kb.sector_of_title(" ".join(t.text for t in tokens[i:j])):
                if best is None or (j - i) > (best[1] - best[0]) or (j - i == best[1] - best[0] and i > best[0]):
                    best = (i, j)
                break
    return best


def _is_title_token(tok: Token, kb: KnowledgeBase) -> bool:
    low = tok.lower_
    if low in kb.title_words or low in kb.modifiers or low in kb.former_markers or low in GLUE:
        return True
    if kb.state_of_demonym(tok.text) or kb.state_of_name(tok.text) or tok.ent_type_ in ("NORP", "GPE"):
        return True
    return tok.pos_ == "PROPN" and tok.ent_type_ in ("ORG", "GPE", "NORP", "")


def _role(tokens: list[Token], context: list[Token], chunk: Chunk, kb: KnowledgeBase) -> RoleMention | None:
    """A role from a run of title tokens; `context` may add the country ("Russian" before the title)."""
    found = _longest_title(tokens, kb)
    if found is None:
        return None
    i, j = found
    while i > 0 and tokens[i - 1].lower_ in kb.modifiers:
        i -= 1
    complement = _complement(tokens[j:])
    j += len(complement)
    title_tokens = tokens[i:j]
    title_text = chunk.doc[title_tokens[0].i : title_tokens[-1].i + 1].text
    phrase = " ".join(t.text for t in tokens[found[0] : found[1]])
    org_words = " ".join(t.text for t in complement[1:])
    sector = kb.sector_of_title(phrase) or "other"
    if sector in GENERIC_SECTORS and org_words:
        sector = _org_sector(org_words) or sector
    # "minister of Japan", "fellow at a Tokyo university" tell the holder's side; "envoy to China" and
    # "expert on Russian ties" do not.
    affiliation = complement if complement and complement[0].lower_ in ("of", "at", "for") else []
    country = _country_of(affiliation + tokens[:i] + context, kb)
    former = any(
        t.lower_.rstrip("-") in {m.rstrip("-") for m in kb.former_markers} for t in tokens[: found[0]] + context
    )
    organization = org_words or (kb.states[country].name if country in kb.states else None)
    organization = organization or _organization_in(tokens[:j] + context, kb)
    start, end = chunk.span_of(chunk.doc[title_tokens[0].i : title_tokens[-1].i + 1])
    role = Role(title=title_text, organization=organization or None, sector=sector, start=start, end=end, former=former)
    return RoleMention((0, 0), role, country)


def _complement(tokens: list[Token]) -> list[Token]:
    """The "of the Foreign Affairs Commission" after a title, up to a comma, clause or new title."""
    if not tokens or tokens[0].lower_ not in ("of", "for", "to", "at", "on"):
        return []
    out: list[Token] = []
    for tok in tokens:
        if tok.is_punct and tok.text not in ("-", "'s", "’s") or tok.lower_ in ("who", "which", "that"):
            break
        if tok.lower_ == "and" and out and out[-1].pos_ != "PROPN":
            break
        out.append(tok)
    while out and out[-1].lower_ in GLUE:
        out.pop()
    return out


def _before(name: Span, kb: KnowledgeBase) -> list[Token]:
    """The run of title-like tokens right before a name, nearest last."""
    doc = name.doc
    toks: list[Token] = []
    i = name.start - 1
    while i >= 0 and len(toks) < MAX_WINDOW:
        tok = doc[i]
        if tok.is_punct and tok.text not in ("-", "'s", "’s") or tok.pos_ == "VERB":
            break
        if tok.ent_type_ == "PERSON" and tok.lower_ not in kb.title_words:
            break
        if tok.is_sent_start and not _is_title_token(tok, kb) and tok.lower_ != "the":
            break
        if not _is_title_token(tok, kb) and tok.tag_ != "POS":
            break
        toks.insert(0, tok)
        i -= 1
    while toks and toks[0].lower_ in GLUE:
        toks.pop(0)
    return toks


def _another_person(seg: list[Token]) -> bool:
    """Whether a title coordinated before a name is someone else ("[The Secretary] and Director Wang"): a bare
    title after "the", not one with its office ("the Director of the Office and Foreign Minister Wang")."""
    first = seg[0]
    before = first.doc[first.i - 1] if first.i > 0 else None
    return before is not None and before.lower_ == "the" and all(t.pos_ in ("NOUN", "PROPN") for t in seg)


def _segments(tokens: list[Token]) -> list[list[Token]]:
    """Split "Director of the Commission and Foreign Minister" into its titles."""
    out, cur = [], []
    for tok in tokens:
        if tok.lower_ in ("and", "&") and cur:
            out.append(cur)
            cur = []
        else:
            cur.append(tok)
    if cur:
        out.append(cur)
    return out


def _after(name: Span) -> list[list[Token]]:
    """Appositions and relative clauses that describe the name."""
    root = name.root
    runs = []
    for child in root.children:
        if child.i < name.end:
            continue
        if child.dep_ == "appos":
            run = []
            for t in child.subtree:
                if t.i > child.i and (t.is_punct and t.text != "-" or t.dep_ == "relcl"):
                    break
                if not t.is_punct or t.text == "-":
                    run.append(t)
            runs.append(run)
        elif child.dep_ == "relcl" and child.lemma_ in HEAD_VERBS | SERVE_VERBS:
            obj = [c for c in child.children if c.dep_ in ("dobj", "attr", "prep")]
            if obj:
                sub = [t for c in obj for t in c.subtree if not t.is_punct]
                if child.lemma_ in SERVE_VERBS:
                    runs.append([t for t in sub if t.lower_ != "as"])
                else:
                    runs.append([child] + sub)
    return runs


def _described_by(name: Span) -> list[Token]:
    """The noun phrase a name stands in apposition to, before it: "his Chinese partner, Fang Yedun",
    "a French national, Marcus Detrez"."""
    root = name.root
    head = root.head
    if root.dep_ != "appos" or head.i >= name.start or head.pos_ not in ("NOUN", "PROPN"):
        return []
    return [t for t in head.subtree if t.i < name.start and not t.is_punct and t.dep_ not in ("det", "poss")]


def _persons_in(chunk: Chunk, ctx: DocContext):
    end = chunk.offset + len(chunk.doc.text)
    for cand in ctx.candidates:
        if cand.kind == "person" and chunk.offset <= cand.start < end:
            span = chunk.doc.char_span(cand.start - chunk.offset, cand.end - chunk.offset, alignment_mode="expand")
            if span is not None:
                yield cand, span


@extractor(requires=("candidates",), assigns=("roles", "nationalities"))
def extract_roles(chunk: Chunk, ctx: DocContext) -> None:
    """Append the roles the text gives each person mentioned in the chunk."""
    kb = ctx.kb
    for cand, name in _persons_in(chunk, ctx):
        found: list[RoleMention] = []
        before = _before(name, kb)
        segments = _segments(before)
        for k, seg in enumerate(segments):
            if k < len(segments) - 1 and _another_person(seg):
                continue
            context = before if k == len(segments) - 1 else seg
            rm = _role(seg, [t for t in context if t not in seg], chunk, kb)
            if rm:
                found.append(rm)
        for run in _after(name):
            head_verb = run[0] if run and run[0].lemma_ in HEAD_VERBS else None
            if head_verb is not None:
                rm = _head_role(head_verb, run[1:], chunk, kb)
            else:
                rm = _role(run, [], chunk, kb)
            if rm:
                found.append(rm)
        described = _described_by(name)
        if described:
            rm = _role(described, [], chunk, kb)
            if rm:
                found.append(rm)
            else:
                country = _country_of(described, kb)
                if country:
                    ctx.nationalities.append(((cand.start, cand.end), country))
        for rm in found:
            if not ctx.in_noise(rm.role.start, rm.role.end):
                rm.person = (cand.start, cand.end)
                ctx.roles.append(rm)


def _head_role(verb: Token, obj: list[Token], chunk: Chunk, kb: KnowledgeBase) -> RoleMention | None:
    """ "who heads the Indian space agency": the head of an organization, sector from its words."""
    if not obj:
        return None
    words = " ".join(t.text for t in obj if t.lower_ not in ("the", "a", "an"))
    sector = _org_sector(words) or "other"
    start, end = chunk.span_of(chunk.doc[verb.i : obj[-1].i + 1])
    text = chunk.doc[verb.i : obj[-1].i + 1].text
    country = _country_of(obj, kb)
    role = Role(title=text, organization=words, sector=sector, start=start, end=end)
    return RoleMention((0, 0), role, country)
