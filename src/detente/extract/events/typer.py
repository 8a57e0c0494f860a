"""The learned event typer: PLOVER type (or no event) of a candidate trigger, from `features.py`.

A multinomial logistic regression trained by `detente train events` on the
data under `data/events/` of the repository, shipped as one `.npz` file
(feature names, label names, weights) and loaded once. Scoring needs only
numpy.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from .features import trigger_features, trigger_vector
from .linear import LinearModel, Reading

MODEL = Path(__file__).resolve().parent / "model" / "event_typer.npz"
NONE = "none"  # the label of a candidate that codes no event
# Set by training: a typer that reads in place of the shipped one (one that never saw the records being read).
reading: ContextVar[EventTyper | None] = ContextVar("reading_typer", default=None)


@dataclass(frozen=True)
class Typing(Reading):
    """The typer's reading of one candidate trigger."""

    @property
    def event(self) -> bool:
        return self.label != NONE

    def of(self, label: str | None) -> float:
        return self.probabilities.get(label or NONE, 0.0)


class EventTyper(LinearModel):
    """Scores candidate triggers with the shipped weights."""

    def type_of(self, tok: Token, sent: Span, rule: str | None) -> Typing:
        """The reading of `tok` as a trigger in `sent`, the lexicon having read it as `rule`."""
        r = self.score(trigger_features(tok, sent, rule), trigger_vector(tok, sent))
        return Typing(r.label, r.probability, r.probabilities)


@lru_cache(maxsize=1)
def load_typer(path: str = str(MODEL)) -> EventTyper:
    """The shipped typer, loaded once."""
    if not Path(path).exists():
        raise FileNotFoundError(f"no event model at {path}: rebuild it with `detente train events`")
    return EventTyper(path)
