"""How likely an event is right: the probability, learned from the training records, that an event as the
extraction codes it (its type, on its trigger) is one the record codes there.

The estimate reads what the extraction knows when it makes the event: the typer's probability of the type and
how it ranks among the sentence's other triggers, the trigger's place in the parse (main verb, complement,
noun), the parties found and their kinds, negation, modality and whether the sentence is someone's speech. It
is a logistic regression shipped as `model/confidence.npz` and rebuilt by `detente train confidence`, which
trains it on events made by typers that never saw the records they read, so that it is calibrated: of the
events given 0.7, about seven in ten are right in the held-out folds. A sentence's event far less likely than
its most likely one (under the ratio chosen there) is not reported.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..base import Candidate
from .linear import LinearModel
from .modality import Modality
from .triggers import TriggerMatch

MODEL = Path(__file__).resolve().parent / "model" / "confidence.npz"
RIGHT = "right"
SCORE_EDGES = (0.2, 0.35, 0.5, 0.65, 0.8, 0.9)
GAP_EDGES = (0.01, 0.1, 0.3, 0.5)
# Set by training: receives each event's trigger offset and features as the extraction makes it.
recording: ContextVar[Callable[[int, list[str]], None] | None] = ContextVar("confidence_recording", default=None)


@dataclass(frozen=True)
class Ranking:
    """Where a trigger's typed probability stands among the triggers of its sentence."""

    triggers: int
    rank: int  # 0 for the most probable
    gap: float  # how far below the sentence's most probable trigger


def ranking(scores: list[float | None], score: float | None) -> Ranking:
    """The ranking of `score` among a sentence's trigger `scores` (None: a trigger the typer did not read)."""
    known = sorted((s for s in scores if s is not None), reverse=True)
    if score is None or not known:
        return Ranking(len(scores), -1, 1.0)
    return Ranking(len(scores), known.index(score), known[0] - score)


def _bucket(x: float, edges: tuple[float, ...]) -> str:
    return next((f"<{e}" for e in edges if x < e), f">={edges[-1]}")


def confidence_features(
    m: TriggerMatch,
    governor_dep: str,
    actors: list[Candidate],
    recipients: list[Candidate],
    mod: Modality,
    rank: Ranking,
    asserted: bool,
) -> list[str]:
    """What the confidence model reads of one event as it is made."""
    tok, c = m.token, m.coding
    score = m.score if m.score is not None else -1.0
    out = [
        f"type={c.type}", f"mode={c.mode}", f"direction={c.direction}", f"nominal={m.nominal}",
        f"dep={tok.dep_}", f"dep_type={tok.dep_}_{c.type}", f"head_pos={tok.head.pos_}",
        f"depth={min(len(list(tok.ancestors)), 4)}", f"governor={governor_dep}",
        f"triggers={min(rank.triggers, 4)}", f"rank={min(rank.rank, 3)}", f"gap={_bucket(rank.gap, GAP_EDGES)}",
        f"score={_bucket(score, (0.0, *SCORE_EDGES))}", f"sides={min(len(actors), 2)}_{min(len(recipients), 2)}",
        f"negated={mod.negated}", f"hypothetical={mod.hypothetical}", f"future={mod.future}",
        f"intent={mod.intent}", f"conditioned={bool(m.entry.conditional or m.entry.with_)}",
        f"asserted={asserted}",
    ]  # fmt: skip
    out += [f"actor_kind={k}" for k in sorted({a.kind for a in actors})]
    return out + [f"recipient_kind={k}" for k in sorted({r.kind for r in recipients})]


class ConfidenceModel(LinearModel):
    """The shipped weights, with the ratio to its sentence's most likely event below which an event is not
    reported."""

    @property
    def ratio(self) -> float:
        return float(self.meta.get("ratio", 0.0))

    def probability(self, features: list[str]) -> float:
        """The probability that the event these features describe is right."""
        return self.score(features).of(RIGHT)


@lru_cache(maxsize=1)
def load_confidence(path: str = str(MODEL)) -> ConfidenceModel | None:
    """The shipped confidence model, loaded once (None when the package has none: a rule of thumb decides)."""
    return ConfidenceModel(path) if Path(path).exists() else None
