"""A multinomial logistic regression shipped as one `.npz` file (feature names, label names, weights, meta) and
scored with numpy alone: the form of every learned model of the event layer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Reading:
    """A model's reading of one example: its best label and every label's probability."""

    label: str
    probability: float
    probabilities: dict[str, float]

    def of(self, label: str) -> float:
        return self.probabilities.get(label, 0.0)


class LinearModel:
    """Weights over string features (and optionally a dense vector), loaded from the `.npz` at `path`."""

    def __init__(self, path: str | Path):
        with np.load(path, allow_pickle=False) as z:
            self.labels = [str(x) for x in z["labels"]]
            self.index = {str(f): i for i, f in enumerate(z["features"])}
            self.weights = z["weights"].astype(np.float32)  # (features, labels)
            self.bias = z["bias"].astype(np.float32)
            self.dense = z["dense"].astype(np.float32)  # (vector dimensions, labels)
            self.meta = json.loads(str(z["meta"]))

    def score(self, features: list[str], vector: np.ndarray | None = None) -> Reading:
        """The label distribution for a feature list (and a dense vector, when the model has dense weights)."""
        rows = [self.index[f] for f in set(features) if f in self.index]
        logits = self.bias + (self.weights[rows].sum(axis=0) if rows else 0.0)
        if vector is not None and len(self.dense) and len(vector) == len(self.dense):
            logits = logits + vector @ self.dense
        p = np.exp(logits - logits.max())
        p /= p.sum()
        best = int(p.argmax())
        probabilities = {lab: float(x) for lab, x in zip(self.labels, p, strict=True)}
        return Reading(self.labels[best], float(p[best]), probabilities)
