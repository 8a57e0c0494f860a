"""The learned event typer: PLOVER type (or no event) of a candidate trigger, from `features.py`.

A multinomial logistic regression trained by `detente train events` on the
data under `data/events/` of the repository, shipped as one `.npz` file
(feature names, label names, weights) and loaded once. Scoring needs only
numpy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Span, Token

from .features import trigger_features, trigger_vector

MODEL = Path(__file__).resolve().parent / "model" / "event_typer.npz"
NONE = "none"  # the label of a candidate that codes no event


@dataclass(frozen=True)
class Typing:
    """The model's reading of one candidate: its best label and every label's probability."""

    label: str
    probability: float
    probabilities: dict[str, float]

    @property
    def event(self) -> bool:
        return self.label != NONE

    def of(self, label: str | None) -> float:
        return self.probabilities.get(label or NONE, 0.0)


class EventTyper:
    """Scores candidate triggers with the shipped weights."""

    def __init__(self, path: str | Path = MODEL):
        with np.load(path, allow_pickle=False) as z:
            self.labels = [str(x) for x in z["labels"]]
            self.index = {str(f): i for i, f in enumerate(z["features"])}
            self.weights = z["weights"].astype(np.float32)  # (features, labels)
            self.bias = z["bias"].astype(np.float32)
            self.dense = z["dense"].astype(np.float32)  # (vector dimensions, labels)
            self.meta = json.loads(str(z["meta"]))

    def score(self, features: list[str], vector: np.ndarray) -> Typing:
        """The label distribution for a feature list and a context vector."""
        rows = [self.index[f] for f in set(features) if f in self.index]
        logits = self.bias + (self.weights[rows].sum(axis=0) if rows else 0.0)
        if len(vector) == len(self.dense):
            logits = logits + vector @ self.dense
        p = np.exp(logits - logits.max())
        p /= p.sum()
        best = int(p.argmax())
        return Typing(self.labels[best], float(p[best]), {lab: float(x) for lab, x in zip(self.labels, p, strict=True)})

    def type_of(self, tok: Token, sent: Span, rule: str | None) -> Typing:
        """The reading of `tok` as a trigger in `sent`, the lexicon having read it as `rule`."""
        return self.score(trigger_features(tok, sent, rule), trigger_vector(tok, sent))


@lru_cache(maxsize=1)
def load_typer(path: str = str(MODEL)) -> EventTyper:
    """The shipped typer, loaded once."""
    if not Path(path).exists():
        raise FileNotFoundError(f"no event model at {path}: rebuild it with `detente train events`")
    return EventTyper(path)
