"""Fitting, cross-validation folds and saving shared by the learned models of the event layer: a multinomial
logistic regression over binary string features (and optionally a dense vector), written as the `.npz` that
`extract.events.linear.LinearModel` reads."""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MIN_COUNT = 2  # features seen fewer times are dropped


@dataclass
class Example:
    features: list[str]
    label: str
    group: str  # the record it came from: folds never split a record
    source: str  # the file it came from
    vector: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))


def matrix(examples: list[Example], vocab: dict[str, int]):
    """Binary columns for the features in `vocab`, then the columns of the examples' dense vectors (if any)."""
    from scipy.sparse import csr_matrix, hstack

    rows, cols = [], []
    for n, ex in enumerate(examples):
        for c in {vocab[f] for f in ex.features if f in vocab}:
            rows.append(n)
            cols.append(c)
    sparse = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(examples), len(vocab)))
    if not examples or not len(examples[0].vector):
        return sparse
    return hstack([sparse, csr_matrix(np.stack([ex.vector for ex in examples]))], format="csr")


def vocabulary(examples: list[Example]) -> dict[str, int]:
    counts = Counter(f for ex in examples for f in set(ex.features))
    return {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}


def fit(examples: list[Example], c: float, seed: int, weights: dict[str, float] | None = None):
    """The regression fitted on `examples` (each weighted by its source's entry in `weights`, default 1), with the
    feature vocabulary it knows."""
    from sklearn.linear_model import LogisticRegression

    vocab = vocabulary(examples)
    model = LogisticRegression(C=c, max_iter=2000, random_state=seed)
    sample = np.array([(weights or {}).get(ex.source.split("/")[0], 1.0) for ex in examples])
    model.fit(matrix(examples, vocab), [ex.label for ex in examples], sample_weight=sample)
    return model, vocab


def folds(groups: set[str], k: int, seed: int) -> list[set[str]]:
    """`k` disjoint sets of record groups, shuffled by `seed`."""
    ordered = sorted(groups)
    random.Random(seed).shuffle(ordered)
    return [set(ordered[i::k]) for i in range(k)]


def save(model, vocab: dict[str, int], meta: dict, path: Path) -> None:
    """Write the weights as one `.npz` (numpy only, no pickle); columns past the vocabulary are dense weights."""
    features = sorted(vocab, key=vocab.get)
    labels = [str(x) for x in model.classes_]
    coef = model.coef_.T.astype(np.float32)  # (features [+ vector dimensions], labels)
    bias = model.intercept_.astype(np.float32)
    if len(labels) == 2 and coef.shape[1] == 1:  # a binary model scores the second label against the first
        coef, bias = np.hstack([np.zeros_like(coef), coef]), np.concatenate([np.zeros(1, np.float32), bias])
    dense, coef = coef[len(features) :], coef[: len(features)]
    keep = np.abs(coef).max(axis=1) > 1e-4
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        features=np.array([f for f, k in zip(features, keep, strict=True) if k]),
        labels=np.array(labels),
        weights=coef[keep],
        bias=bias,
        dense=dense,
        meta=np.array(json.dumps(meta, sort_keys=True)),
    )
