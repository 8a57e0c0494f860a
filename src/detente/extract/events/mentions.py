"""Entity mentions by token: which candidate an argument token stands for.

Arguments are heads of noun phrases; the mention is the candidate covering the
head, else one among its modifiers ("the government of Turkey"), else a
demonym ("Turkish troops"), which becomes a new `group` candidate with its
state as `country` (or the state itself for "the Turkish government"). Only
heads that denote people, forces or state bodies (data/group_heads.yaml) act.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..base import Candidate, Chunk, DocContext
from .fuzzy import fuzzy_state
from .lexicon import Lexicon

# Entity labels under which a capitalised word may be a misspelt state ("Ethopia" gets none, "Quatar" ORG).
FUZZY_LABELS = ("", "GPE", "NORP", "ORG")
ARGUMENT_KINDS = ("state", "person", "organization", "group", "pronoun", "description", "place")
# Pronouns that, as the subject of a reported clause, stand for the reporting state or body.
REPORTING_PRONOUNS = {"it", "they", "we"}
LOCATED_PREPS = {"in", "from", "throughout", "across", "of"}


HYPHENS = ("-", "–")
MOVED_TO = {"to", "into", "toward", "towards", "against", "on", "onto"}


class Mentions:
    """The chunk's mention candidates, looked up by token."""

    def __init__(self, chunk: Chunk, ctx: DocContext, lex: Lexicon):
        self.chunk, self.ctx, self.lex = chunk, ctx, lex
        self.doc = chunk.doc
        self.by_token: dict[int, Candidate] = {}
        self.paired: dict[int, list[Candidate]] = {}  # "U.S.-China": the token's second state
        lo, hi = chunk.offset, chunk.offset + len(self.doc.text)
        # a transcript's speaker label ("VOA:") names who speaks the turn, never a party of its sentence
        labels = [(x.start, x.end) for x in ctx.sections if x.kind == "speaker_label"]
        for c in ctx.candidates:
            if any(a <= c.start and c.end <= b for a, b in labels):
                continue
            if lo <= c.start < hi and c.kind in ARGUMENT_KINDS + ("document",):
                span = self.doc.char_span(c.start - lo, c.end - lo, alignment_mode="expand")
                for tok in span or ():
                    if tok.i in self.by_token and self.by_token[tok.i] is not c and "-" in tok.text:
                        self.paired.setdefault(tok.i, []).append(c)
                    self.by_token.setdefault(tok.i, c)

    def at(self, tok: Token) -> Candidate | None:
        return self.by_token.get(tok.i)

    def of(self, tok: Token) -> list[Candidate]:
        """The mentions an argument head stands for, with its conjuncts ("Tokyo and Manila") and those of its
        demonym ("Russian and [North Korean] leaders")."""
        out: list[Candidate] = []
        for t in (tok, *tok.conjuncts):
            c = self._one(t)
            if c is not None and c not in out:
                out.append(c)
                out.extend(x for x in self._coordinated(t) + self._hyphened(t) if x not in out)
        return out

    def _hyphened(self, tok: Token) -> list[Candidate]:
        """The other state of a hyphened pair ("the Russia-[Ukraine] war", "U.S.-China talks")."""
        out = list(self.paired.get(tok.i, ()))
        for c in tok.children:
            between = self.doc[min(c.i, tok.i) + 1 : max(c.i, tok.i)]
            if c.dep_ == "compound" and len(between) == 1 and between[0].text in HYPHENS:
                found = self.at(c)
                if found is not None and found.kind == "state":
                    out.append(found)
        return out

    def _coordinated(self, tok: Token) -> list[Candidate]:
        """The other states of a noun's coordinated demonyms ("Turkish and [Egyptian] officers")."""
        demonyms = [c for c in tok.lefts if c.dep_ in ("amod", "compound", "nmod") and self._demonym_state(c)]
        out: list[Candidate] = []
        for t in [x for d in demonyms for x in (d, *d.conjuncts)][1:]:
            c = self.at(t)
            if c is None or c.kind != "state":
                code = self._demonym_state(t)
                c = self._add(t, t, code, kind="state") if code else None
            if c is not None:
                out.append(c)
        return out

    def _one(self, tok: Token) -> Candidate | None:
        c = self.at(tok)
        if c is not None and c.kind == "organization" and self._body(tok):
            return self._owner_state(tok) or c  # "Israel's Cabinet": the state itself
        if c is not None and c.kind != "document":
            return c
        if tok.lower_ in REPORTING_PRONOUNS and tok.dep_ in ("nsubj", "nsubjpass"):
            return self._reporter(tok)
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        for child in tok.children:  # "Director of the Office [Wang Yi]", "the Russian envoy, [Nebenzia]"
            if child.dep_ == "appos" and (c := self.at(child)) is not None and c.kind in ("person", "state"):
                return c
        if code := self.ctx.kb.state_of_demonym(tok.text):
            return self._add(tok, tok, code)
        if code := self._misspelt(tok):
            return self._add(tok, tok, code, kind="state")
        lemma = tok.lemma_.lower()
        if lemma in self.lex.partitive_heads or tok.pos_ == "NUM":
            of = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                       if g.dep_ == "pobj"), None)  # fmt: skip
            if of is not None:
                return self._one(of)
        if not self._actor_head(tok):
            return None  # "Chinese subsidies", "Russian missiles": things, not actors
        stateless: Candidate | None = None  # "Druze inhabitants of the Golan Heights": the place may say more
        for child in tok.children:
            if child.dep_ in ("compound", "poss", "nmod", "amod") or (child.dep_ == "prep" and child.lower_ == "of"):
                target = child if child.dep_ != "prep" else next((g for g in child.children if g.dep_ == "pobj"), None)
                c = self.at(target) if target is not None else None
                if c is not None and c.kind == "group" and not c.country and child.dep_ != "prep":
                    stateless = stateless or c
                    continue
                if (
                    c is not None
                    and c.kind not in ("document", "place")
                    and (child.dep_ != "amod" or c.kind == "state")
                ):
                    return c
                if child.dep_ in ("compound", "poss") and (
                    code := self.ctx.kb.state_of_name(child.text) or self._misspelt(child)
                ):
                    return self._add(child, child, code, kind="state")  # a state name NER missed
        return self._demonym(tok) or self._located(tok) or self._affiliated(tok) or stateless or self._generic(tok)

    def _generic(self, tok: Token) -> Candidate | None:
        """A group of no known side for an actor named only by what it is ("Police arrested …", "rebels
        attacked …", "the government released …"), from its first modifier to its head: PLOVER's source and
        target are such actors as often as named ones."""
        lemma = tok.lemma_.lower()
        if (
            tok.pos_ not in ("NOUN", "PROPN")
            or tok.ent_type_ not in ("", "NORP")  # "Jihadists", "Rohingya": a people or movement, no state
            or tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj")
            or lemma in self.lex.vehicle_heads | self.lex.state_bodies | self.lex.pair_heads
            or any(c.dep_ == "poss" for c in tok.children)  # "its troops": whose they are is said elsewhere
            # "sent troops to Russia": what is moved, not whom the act reaches
            or (tok.dep_ == "dobj" and any(c.dep_ == "prep" and c.lower_ in MOVED_TO for c in tok.head.children))
        ):
            return None
        mods = [c for c in tok.lefts if c.dep_ in ("amod", "compound") and c.pos_ in ("ADJ", "NOUN", "PROPN")]
        return self._add(mods[0] if mods else tok, tok, None, kind="group")

    def _affiliated(self, tok: Token) -> Candidate | None:
        """A group for "workers affiliated with the Serbian union", "militants loyal to Baghdad": the side of what
        they belong to."""
        for child in tok.children:
            if child.dep_ in ("acl", "amod") and child.lemma_.lower() in self.lex.affiliation_words:
                for prep in (c for c in child.children if c.dep_ == "prep"):
                    for g in (g for g in prep.children if g.dep_ == "pobj"):
                        c = self._one(g)
                        if c is not None and c.kind in ("state", "organization", "group") and c.country:
                            return self._add(tok, tok, c.country, prep.right_edge)
        return None

    def _reporter(self, tok: Token) -> Candidate | None:
        """The speaker a reported clause's "it"/"they" stands for ("Syria says it is willing"); not in quotes."""
        start = self.chunk.offset + tok.idx
        if any(q.direct and q.start <= start < q.end for q in self.ctx.quotes):
            return None
        t = tok.head
        for _ in range(4):
            if t.dep_ in ("ccomp", "parataxis") and t.head.lemma_.lower() in self.lex.speech_verbs:
                subj = next((c for c in t.head.children if c.dep_ == "nsubj"), None)
                c = self._one(subj) if subj is not None and subj.lower_ not in REPORTING_PRONOUNS else None
                return c if c is not None and c.kind in ("state", "organization", "group") else None
            if t.head.i == t.i:
                return None
            t = t.head
        return None

    def _located(self, tok: Token) -> Candidate | None:
        """A group for "rebels in the Ivory Coast", "students throughout Indonesia": the state of the place (or of
        the people they come from)."""
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in LOCATED_PREPS:
                for g in child.children:
                    c = self.at(g) if g.dep_ == "pobj" else None
                    if c is None and g.dep_ == "pobj" and self._actor_head(g):
                        c = self._one(g)  # "doctors from American aid groups"
                    if c is not None and c.kind in ("state", "place", "group") and c.country:
                        return self._add(tok, tok, c.country, child.right_edge)
                    code = g.dep_ == "pobj" and next(  # "inhabitants of the [Syrian] Golan Heights"
                        (x for m in g.children if m.dep_ in ("compound", "amod")
                         if (x := self.ctx.kb.state_of_demonym(m.text))), None,
                    )  # fmt: skip
                    if code:
                        return self._add(tok, tok, code, child.right_edge)
        return None

    def _body(self, tok: Token) -> bool:
        return tok.lemma_.lower() in self.lex.state_bodies or tok.lower_ in self.lex.state_bodies

    def _owner_state(self, tok: Token) -> Candidate | None:
        """The state that owns a noun ("Israel's Cabinet")."""
        for child in tok.children:
            if child.dep_ == "poss" and (c := self.at(child)) is not None and c.kind == "state":
                return c
        return None

    def _actor_head(self, tok: Token) -> bool:
        """Whether a noun denotes people, forces or a state body (data/group_heads.yaml), or weapons that act."""
        heads = self.lex.group_heads | self.lex.state_bodies
        if tok.dep_ == "nsubj" or tok.head.dep_ == "agent":
            heads = heads | self.lex.vehicle_heads
        return tok.lemma_.lower() in heads or tok.lower_ in heads or tok.ent_type_ == "NORP"  # "Iraqi Kurds"

    def _demonym(self, tok: Token) -> Candidate | None:
        """A new candidate for "Turkish troops" or "the Turkish government"."""
        for child in tok.lefts:
            if child.dep_ in ("amod", "compound", "nmod") and (code := self._demonym_state(child)):
                return self._add(child.left_edge if child.left_edge.dep_ != "det" else child, tok, code)
        return None

    def _demonym_state(self, tok: Token) -> str | None:
        """The state of a demonym, with the words before it ("South Korean" before "Korean")."""
        words = self.doc[tok.left_edge.i : tok.i + 1]
        return (
            (len(words) > 1 and self.ctx.kb.state_of_demonym(words.text))
            or self.ctx.kb.state_of_demonym(tok.text)
            or self._misspelt(tok)
        )

    def _misspelt(self, tok: Token) -> str | None:
        """The state of a misspelt capitalised name or demonym no mention covers ("Ethopia")."""
        if tok.pos_ not in ("PROPN", "ADJ") or not tok.text[:1].isupper() or tok.ent_type_ not in FUZZY_LABELS:
            return None
        return None if self.at(tok) is not None else fuzzy_state(self.ctx.kb, tok.text)

    def adjective(self, tok: Token) -> Candidate | None:
        """The state of a demonym modifying an event noun ("the Russian invasion"): a mention of that state."""
        c = self.at(tok)
        if c is not None:
            return c
        code = self._demonym_state(tok)
        return self._add(tok, tok, code, kind="state") if code else None

    def _add(
        self, first: Token, tok: Token, code: str | None, last: Token | None = None, kind: str | None = None
    ) -> Candidate | None:
        """A new candidate from `first` to `last` (default: the head `tok`) for the state `code` (None: a group
        whose side the text does not say)."""
        kind = kind or ("state" if self._body(tok) else "group")
        span = self.doc[first.i : (last or tok).i + 1]
        start, end = self.chunk.span_of(span)
        if self.ctx.in_noise(start, end):
            return None
        cand = Candidate(start, end, span.text, kind, country=code, plural=True)
        self.ctx.candidates.append(cand)
        self.by_token[tok.i] = cand
        for t in span:
            self.by_token.setdefault(t.i, cand)
        return cand
