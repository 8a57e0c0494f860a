"""Who acts and who receives, read by a learned model beside the rules of `arguments.py`.

For every trigger the rules have given actors and recipients, each party
mentioned in its sentence is scored as `actor`, `recipient` or `none` from
the dependency path between the trigger and the party's head word, the
party's kind, the event's type and direction, and the rules' own reading
(one feature among the others). The rules keep every party they place; a side
they leave empty is filled by the party the model reads in it with enough
confidence. The thresholds are chosen by cross-validation of the sides on the
training sentences (`detente train sides`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from ..base import Candidate
from .linear import LinearModel

MODEL = Path(__file__).resolve().parent / "model" / "sides.npz"
ACTOR, RECIPIENT, NONE = "actor", "recipient", "none"
PARTY_KINDS = ("state", "organization", "person", "group", "description", "place")
MAX_PATH = 5  # longer paths between trigger and party are one feature value ("far")
# Set by training: receives every trigger's parties as the extraction sees them, with their features.
recording: ContextVar[Callable[[dict], None] | None] = ContextVar("recording", default=None)


@dataclass(frozen=True)
class Thresholds:
    """How sure the model must be to change the rules' reading."""

    fill: float  # a side the rules left empty takes the best party read in it with at least this probability
    create: float  # a trigger without parties takes the model's when its best party has at least this probability


def _step(tok: Token) -> str:
    return f"{tok.dep_}:{tok.lower_}" if tok.dep_ == "prep" or tok.dep_ == "agent" else tok.dep_


def dependency_path(trigger: Token, head: Token) -> tuple[list[str], list[str]]:
    """The dependency labels climbed from the trigger to the lowest word both hang from, and those descended
    from there to the party's head (prepositions spelled out: "prep:with")."""
    up_chain = [trigger, *trigger.ancestors]
    down_chain = [head, *head.ancestors]
    common = next((t for t in up_chain if t in down_chain), None)
    if common is None:
        return ["far"], ["far"]
    ups = [_step(t) for t in up_chain[: up_chain.index(common)]]
    downs = [_step(t) for t in reversed(down_chain[: down_chain.index(common)])]
    return ups, downs


def party_features(trigger: Token, head: Token, kind: str, rule: str, event_type: str, direction: str) -> list[str]:
    """String features of the party headed by `head` as a side of the event `trigger` names."""
    ups, downs = dependency_path(trigger, head)
    if len(ups) + len(downs) > MAX_PATH:
        path = "far"
    else:
        path = "^".join(ups) + "|" + "v".join(downs)
    last = downs[-1] if downs else "trigger"
    order = "before" if head.i < trigger.i else "after"
    gap = abs(head.i - trigger.i)
    f = [
        f"path={path}", f"path|t={path}|{event_type}", f"path|d={path}|{direction}", f"up={'^'.join(ups[:3])}",
        f"down={'v'.join(downs[-2:])}", f"last={last}", f"last|d={last}|{direction}", f"last|t={last}|{event_type}",
        f"kind={kind}", f"kind|last={kind}|{last}", f"rule={rule}", f"rule|path={rule}|{path}",
        f"rule|d={rule}|{direction}", f"order={order}", f"order|d={order}|{direction}",
        f"gap={min(gap, 12) // 3}", f"tpos={trigger.pos_}", f"tpos|last={trigger.pos_}|{last}",
        f"lemma|last={trigger.lemma_.lower()}|{last}", f"head={head.lemma_.lower()}",
    ]  # fmt: skip
    if head in trigger.subtree:
        f.append("inside")
    return f


def linked(features: list[str]) -> bool:
    """Whether the sentence links a party to the trigger within `MAX_PATH` dependencies: only such a party may
    fill a side (one it does not link is not a side)."""
    return "path=far" not in features


def parties(sent: Span, at: Callable[[Token], Candidate | None]) -> list[tuple[Candidate, Token]]:
    """The parties mentioned in a sentence, each with its head word (the one whose head lies outside the mention),
    in text order."""
    words: dict[int, list[Token]] = {}
    found: dict[int, Candidate] = {}
    for tok in sent:
        c = at(tok)
        if c is not None and c.kind in PARTY_KINDS:
            words.setdefault(id(c), []).append(tok)
            found[id(c)] = c
    out = []
    for key, toks in words.items():
        inside = {t.i for t in toks}
        out.append((found[key], next((t for t in toks if t.head.i not in inside or t.head.i == t.i), toks[-1])))
    return out


class SideModel(LinearModel):
    """Scores the parties of a trigger and revises the rules' sides with the shipped thresholds."""

    def thresholds(self) -> Thresholds:
        return Thresholds(**self.meta["thresholds"])

    def revise(
        self,
        scored: list[tuple[Candidate, dict[str, float]]],
        actors: list[Candidate],
        recipients: list[Candidate],
        symmetric: bool,
    ) -> tuple[list[Candidate], list[Candidate]]:
        """Actors and recipients after the model's reading of each party (`scored`: party, label probabilities)."""
        return revise(scored, actors, recipients, symmetric, self.thresholds())


def _best_side(probabilities: dict[str, float]) -> float:
    return max(probabilities.get(ACTOR, 0.0), probabilities.get(RECIPIENT, 0.0))


def revise(
    scored: list[tuple[Candidate, dict[str, float]]],
    actors: list[Candidate],
    recipients: list[Candidate],
    symmetric: bool,
    th: Thresholds,
) -> tuple[list[Candidate], list[Candidate]]:
    """Fill an empty side with its most probable party. Without parties from the rules, none are added unless one
    is read as a side with at least `th.create`."""
    if not (actors or recipients) and max((_best_side(p) for _, p in scored), default=0.0) < th.create:
        return actors, recipients
    actors, recipients = list(actors), list(recipients)
    sides = [(ACTOR, actors)] + ([] if symmetric else [(RECIPIENT, recipients)])
    for label, side in sides:
        if side:
            continue
        free = [(p[label], c) for c, p in scored if c not in actors and c not in recipients]
        best = max(free, key=lambda x: x[0], default=None)
        if best is not None and best[0] >= th.fill:
            side.append(best[1])
    return actors, recipients


@lru_cache(maxsize=1)
def load_sides(path: str = str(MODEL)) -> SideModel | None:
    """The shipped side model, loaded once (None when the package has none: the rules decide alone)."""
    return SideModel(path) if Path(path).exists() else None
