"""Train the confidence model (`detente train confidence`) from the records under `data/events/`.

The records are split into folds; for each fold a typer is trained on the other folds (with the shipped
typer's settings) and the extraction reads the fold's records with it, reporting every event it makes with
the features `extract.events.confidence` reads. An event is right when the record has an event of its type
there: on the same trigger where the record names one, anywhere in the record where it does not. Grouped
cross-validation over these events then chooses the regularisation (the most records whose most confident
event has a type of the record) and the ratio below which an event, against its sentence's most likely one, is
dropped: the highest whose dropped events, in the held-out folds, are right less than one time in ten and hold
no more than 2% of the right ones.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..extract.events.confidence import RIGHT
from ..extract.events.confidence import recording as recording_confidence
from .events import DataError, overlaps, read_records, span_in
from .linear import Example, fit, folds, matrix

GRID_C = (0.1, 0.3, 1.0)
GRID_RATIO = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
DROPPED_RIGHT = 0.1  # the dropped events must be right less often than this
DROPPED_LOSS = 0.02  # and hold at most this share of the right events
WRONG = "wrong"


@dataclass
class Judged:
    """One event the extraction made on a record it never trained on, with the record's verdict."""

    group: str
    source: str
    sentence: int  # where the sentence of its first mention starts
    features: list[str]
    event_type: str
    right: bool
    rule: float  # the confidence the extraction gave it without this model


@dataclass
class Read:
    """One record as read: its types and its events."""

    group: str
    source: str
    types: set[str]
    events: list[Judged]


def _right(record: dict, event) -> bool:
    text = record["text"]
    for g in record["events"]:
        if g["type"] != event.type:
            continue
        gold = span_in(text, g.get("trigger"))
        if gold is None or any(overlaps((ev.trigger.start, ev.trigger.end), gold) for ev in event.evidence):
            return True
    return False


def read_folds(root: Path, files: list[Path], typer_c: float, weights: dict[str, float], k: int, seed: int,
               log=sys.stderr) -> list[Read]:  # fmt: skip
    """Every record read by the extraction with a typer that never saw it."""
    import spacy

    from ..documents import Document
    from ..extract.events.typer import EventTyper, reading
    from ..pipeline import MODEL, Pipeline
    from .events import build_examples
    from .linear import save

    typer_examples = build_examples(root, spacy.load(MODEL), log)
    if not typer_examples:
        raise DataError(f"{root}: no record gives a training example")
    records = [(str(p.relative_to(root)), r) for p in files for r in read_records(p)]
    pipeline = Pipeline()
    out: list[Read] = []
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        for n, fold in enumerate(folds({str(r["id"]) for _, r in records}, k, seed)):
            started = time.time()
            model, vocab = fit([ex for ex in typer_examples if ex.group not in fold], typer_c, seed, weights)
            save(model, vocab, {}, tmp / "typer.npz")
            typer_token = reading.set(EventTyper(tmp / "typer.npz"))
            try:
                for source, r in records:
                    if str(r["id"]) in fold:
                        out.append(_read(pipeline, Document(text=r["text"], source=source), source, r))
            finally:
                reading.reset(typer_token)
            print(f"  fold {n + 1}/{k}: {len(out)} records read ({time.time() - started:.0f} s)", file=log)
    return out


def _read(pipeline, document, source: str, record: dict) -> Read:
    seen: dict[int, list[str]] = {}
    token = recording_confidence.set(lambda at, features: seen.__setitem__(at, features))
    try:
        result = pipeline.extract(document)
    finally:
        recording_confidence.reset(token)
    group = str(record["id"])
    events = [
        Judged(group, source, e.sentence.start, seen[e.trigger.start], e.type, _right(record, e), e.confidence)
        for e in result.events
        if e.type and e.trigger is not None and e.trigger.start in seen
    ]
    return Read(group, source, {e["type"] for e in record["events"]}, events)


def examples(reads: list[Read]) -> list[Example]:
    """Every judged event as a training example."""
    return [Example(j.features, RIGHT if j.right else WRONG, j.group, j.source) for r in reads for j in r.events]


def held_out(reads: list[Read], c: float, k: int, seed: int) -> dict[int, float]:
    """Each event's probability of being right by a model that never saw its record (keyed by `id` of the event)."""
    out: dict[int, float] = {}
    for fold in folds({r.group for r in reads}, k, seed):
        train = examples([r for r in reads if r.group not in fold])
        test = [j for r in reads if r.group in fold for j in r.events]
        if not test:
            continue
        if len({ex.label for ex in train}) < 2:  # a fold whose rest is all right (or all wrong) says just that
            out.update({id(j): float(bool(train) and train[0].label == RIGHT) for j in test})
            continue
        model, vocab = fit(train, c, seed)
        right = list(model.classes_).index(RIGHT)
        rows = model.predict_proba(matrix(examples([r for r in reads if r.group in fold]), vocab))
        out.update({id(j): float(p[right]) for j, p in zip(test, rows, strict=True)})
    return out


def top_right(reads: list[Read], conf) -> dict[str, float]:
    """Per source (its top folder or file), the share of records with events whose most confident event has a
    type of the record."""
    hits, seen = Counter(), Counter()
    for r in reads:
        if not r.types or not r.events:
            continue
        key = r.source.split("/")[0]
        seen[key] += 1
        hits[key] += max(r.events, key=conf).event_type in r.types
    return {s: round(hits[s] / seen[s], 3) for s in sorted(seen)}


def choose_ratio(reads: list[Read], prob: dict[int, float]) -> tuple[float, dict]:
    """The highest ratio of the grid whose dropped events (less likely than that share of their sentence's most
    likely event) are rarely right and hold few of the right ones."""
    events = [j for r in reads for j in r.events]
    top: dict[tuple[str, int], float] = {}
    for j in events:
        top[j.group, j.sentence] = max(top.get((j.group, j.sentence), 0.0), prob[id(j)])
    total_right = max(sum(j.right for j in events), 1)
    chosen, table = 0.0, {}
    for ratio in GRID_RATIO:
        dropped = [j for j in events if prob[id(j)] < ratio * top[j.group, j.sentence]]
        right = sum(j.right for j in dropped)
        table[str(ratio)] = {"dropped": len(dropped), "dropped_right": right}
        if not dropped or (right / len(dropped) < DROPPED_RIGHT and right / total_right <= DROPPED_LOSS):
            chosen = ratio
    return chosen, table


def calibration(reads: list[Read], prob: dict[int, float]) -> dict[str, str]:
    """Share right per tenth of the held-out probability."""
    out = {}
    for lo in range(10):
        inside = [j.right for r in reads for j in r.events if lo / 10 <= prob[id(j)] < (lo + 1) / 10]
        if inside:
            out[f"{lo / 10:.1f}"] = f"{sum(inside)}/{len(inside)}"
    return out
