"""Features of a candidate event trigger in its parsed sentence, for the learned event typer.

The same function serves training (`detente train events`) and extraction, so
what the model saw is what it is asked about: the trigger's lemma and part of
speech, its arguments by dependency with their lemmas and entity kinds, the
word that governs it, negation and modals on it, its neighbours, the rule
lexicon's own reading, and the sentence's content words.
"""

from __future__ import annotations

import numpy as np
from spacy.tokens import Span, Token

CONTENT = ("NOUN", "VERB", "ADJ", "ADV")
ARGUMENT_DEPS = ("nsubj", "nsubjpass", "dobj", "attr", "oprd", "agent", "dative", "xcomp", "ccomp", "acomp", "prt")
MODIFIER_DEPS = ("amod", "compound", "nmod", "poss", "nummod", "advmod")


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _word(tok: Token) -> str:
    """A token as a feature value: its entity kind when it names something, else its lemma."""
    return f"E:{tok.ent_type_}" if tok.ent_type_ else _lemma(tok)


def _argument(prefix: str, tok: Token) -> list[str]:
    out = [f"{prefix}={_lemma(tok)}"]
    if tok.ent_type_:
        out.append(f"{prefix}=E:{tok.ent_type_}")
    for c in tok.children:
        if c.dep_ in ("compound", "amod") or (c.dep_ == "prep" and c.lower_ == "of"):
            inner = next((g for g in c.children if g.dep_ == "pobj"), c) if c.dep_ == "prep" else c
            out.append(f"{prefix}.m={_word(inner)}")
    return out


def trigger_features(tok: Token, sent: Span, rule: str | None) -> list[str]:
    """String features of `tok` as the trigger of an event in `sent`; `rule`: the lexicon's type for it, if any."""
    lemma = _lemma(tok)
    f = [f"l={lemma}", f"p={tok.pos_}", f"l|p={lemma}|{tok.pos_}", f"dep={tok.dep_}", f"rule={rule or '-'}"]
    f.append(f"rule|l={rule or '-'}|{lemma}")
    if tok.tag_ in ("VBN", "VBD", "VBG", "VBZ", "VB", "VBP", "NNS"):
        f.append(f"tag={tok.tag_}")
    for c in tok.children:
        dep = c.dep_
        if dep == "neg":
            f.append("neg")
        elif dep in ("aux", "auxpass"):
            f.append(f"aux={c.lower_}")
        elif dep in ARGUMENT_DEPS:
            f.extend(_argument(dep, c))
            if dep == "xcomp" or dep == "ccomp":
                f.extend(f"{dep}>{g.dep_}={_word(g)}" for g in c.children if g.dep_ in ("dobj", "nsubj", "prep"))
        elif dep == "prep":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            f.append(f"prep={c.lower_}")
            for o in objs:
                f.extend(_argument(f"pp:{c.lower_}", o))
        elif dep in MODIFIER_DEPS:
            f.append(f"mod:{dep}={_word(c)}")
    head = tok.head
    if head.i != tok.i:
        f.append(f"head={_lemma(head)}")
        f.append(f"head:{tok.dep_}={_lemma(head)}")
        if head.dep_ == "prep":
            f.append(f"headprep={head.lower_}|{_lemma(head.head)}")
        if any(c.dep_ == "neg" for c in head.children):
            f.append("head.neg")
    doc = tok.doc
    for k in (-2, -1, 1, 2):
        i = tok.i + k
        if sent.start <= i < sent.end:
            f.append(f"w{k:+d}={_word(doc[i])}")
    if tok.i == sent.root.i:
        f.append("root")
    f.extend(sorted({f"s={_lemma(t)}" for t in sent if t.pos_ in CONTENT and not t.is_stop and t.i != tok.i}))
    f.extend(sorted({f"se={t.ent_type_}" for t in sent if t.ent_type_}))
    return f


def trigger_vector(tok: Token, sent: Span) -> np.ndarray:
    """The parser's context vectors of the trigger and of its sentence (mean), each of unit length: what the
    words mean beyond their spelling."""
    tensor = tok.doc.tensor
    if tensor is None or not len(tensor):
        return np.zeros(0, dtype=np.float32)
    parts = [tensor[tok.i], tensor[sent.start : sent.end].mean(axis=0)]
    return np.concatenate([p / (np.linalg.norm(p) or 1.0) for p in parts]).astype(np.float32)


def open_candidates(sent: Span) -> list[Token]:
    """Tokens that may head an event the lexicon does not know: the sentence's verbs, and its root when it is a
    noun (a headline)."""
    out = [t for t in sent if t.pos_ == "VERB"]
    if sent.root.pos_ in ("NOUN", "AUX") and sent.root not in out:
        out.insert(0, sent.root)
    return out
