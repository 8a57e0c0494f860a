"""Train the side model (`detente train sides`) from the records under `data/events/` that name who acts and
who receives (`source`, `target` spans; format: `data/events/written/FORMAT.md`).

Each record is read by the extraction itself, which reports, for every trigger, each party of the sentence with
its features and the rules' reading (`extract.events.sides.recording`): what the model learns from is what it
is asked about. A party is labelled `actor` when it overlaps the record's source, `recipient` when it overlaps
its target (`actor` too when the event's direction is symmetric), else `none`; triggers whose type matches no
event of the record teach the model nothing. The regularisation and the thresholds at which the model
fills a side the rules left empty are chosen by grouped cross-validation: the most sides right among settings
whose added parties are placed where the record places them at least three times in four; and a trigger without
parties from the rules becomes an event only at a probability whose events are, in the held-out folds, as
often real (a record's event of that type) as the events the rules make.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..extract.events.sides import ACTOR, NONE, RECIPIENT, Thresholds, linked, recording, revise
from .events import Span, overlaps, read_records, span_in
from .linear import Example, fit, folds, matrix

SYMMETRIC_TYPES = ("AGREE", "CONSULT", "COOPERATE")  # parties of these may all be actors
GRID_C = (0.3, 1.0)
NEVER = 1.01  # a threshold no probability reaches
GRID_FILL = (0.25, 0.35, 0.5, 0.65, 0.8)
GRID_CREATE = (0.5, 0.7, 0.9, NEVER)
RULES_ONLY = Thresholds(fill=NEVER, create=NEVER)
ADDED_RIGHT = 0.75  # how often a party the model adds must be one the record names


@dataclass
class Party:
    span: Span
    features: list[str]
    rule: str
    label: str


@dataclass
class Decision:
    """One trigger's parties with the record's answer."""

    real: bool  # the record has an event of the trigger's type there
    group: str
    source: str
    event_type: str
    symmetric: bool
    parties: list[Party]
    actor: Span | None  # the record's source
    recipient: Span | None  # the record's target


def decisions_of(record: dict, source: str, read: list[dict]) -> list[Decision]:
    """The labelled decisions of one record, from what the extraction reported on it (`read`)."""
    text, out = record["text"], []
    for d in read:
        golds = [e for e in record["events"] if e["type"] == d["type"]]
        if any(e.get("trigger") for e in golds):
            golds = [e for e in golds if e.get("trigger") and overlaps(d["trigger"], span_in(text, e["trigger"]))]
        gold = golds[0] if golds else {}
        actor, recipient = span_in(text, gold.get("source")), span_in(text, gold.get("target"))
        symmetric = d["direction"] == "symmetric"
        parties = []
        for start, end, features, rule in d["parties"]:
            span = (start, end)
            label = NONE
            if overlaps(span, actor):
                label = ACTOR
            elif overlaps(span, recipient):
                label = ACTOR if symmetric else RECIPIENT
            parties.append(Party(span, features, rule, label))
        out.append(Decision(bool(golds), str(record["id"]), source, d["type"], symmetric, parties, actor, recipient))
    return out


def _teaches(record: dict) -> bool:
    """Whether a record says who acts and who receives, or that it reports no event at all."""
    return not record["events"] or any(e.get("source") or e.get("target") for e in record["events"])


def collect(root: Path, files: list[Path], log=sys.stderr) -> list[Decision]:
    """Every decision the extraction makes on the records in `files` that teach sides."""
    from ..documents import Document
    from ..pipeline import Pipeline

    pipeline = Pipeline()
    out: list[Decision] = []
    for path in files:
        records = [r for r in read_records(path) if _teaches(r)]
        if not records:
            continue
        source, started = str(path.relative_to(root)), time.time()
        for r in records:
            read: list[dict] = []
            token = recording.set(read.append)
            try:
                pipeline.extract(Document(text=r["text"], source=source))
            finally:
                recording.reset(token)
            out.extend(decisions_of(r, source, read))
        print(f"  {source}: {len(records)} records ({time.time() - started:.0f} s)", file=log)
    return out


def examples(decisions: list[Decision]) -> list[Example]:
    """One example per party of a real event."""
    return [Example(p.features, p.label, d.group, d.source) for d in decisions if d.real for p in d.parties]


def _parties_of(d: Decision) -> list[Example]:
    return [Example(p.features, p.label, d.group, d.source) for p in d.parties]


def sides_right(actors: list[Span], recipients: list[Span], d: Decision) -> bool | None:
    """Whether the sides name the record's source and target (None: it names neither)."""

    def among(spans: list[Span], gold: Span | None) -> bool:
        return any(overlaps(s, gold) for s in spans)

    if d.actor is None and d.recipient is None:
        return None
    if d.actor is None:
        return among(recipients, d.recipient) or (not recipients and among(actors, d.recipient))
    if d.recipient is None:
        return among(actors, d.actor)
    both = among(actors, d.actor) and among(recipients, d.recipient)
    together = not recipients and d.event_type in SYMMETRIC_TYPES and among(actors, d.actor)
    turned = d.event_type == "CONSULT" and among(recipients, d.actor) and among(actors, d.recipient)
    return both or (together and among(actors, d.recipient)) or turned


@dataclass
class Scores:
    """What the held-out folds say of one setting."""

    sides_right: float  # share of real events with parties whose sides name the record's source and target
    placed: int  # parties placed on real events
    stray: int  # of those, parties the record places nowhere
    made: int  # events made from triggers the rules found no party for
    made_real: float  # the share of those that are real


def cross_validate(decisions: list[Decision], c: float, k: int, seed: int) -> tuple[dict[Thresholds, Scores], float]:
    """Scores for each thresholds of the grid (and the rules alone) by models that never saw the fold they read,
    with the share of the rules' own events (triggers with parties) that are real."""
    grid = [RULES_ONLY] + [Thresholds(f, t) for f in GRID_FILL for t in GRID_CREATE]
    right, seen, placed, stray, made, real = Counter(), Counter(), Counter(), Counter(), Counter(), Counter()
    for fold in folds({d.group for d in decisions}, k, seed):
        model, vocab = fit(examples([d for d in decisions if d.group not in fold]), c, seed)
        test = [d for d in decisions if d.group in fold and d.parties]
        rows = iter(model.predict_proba(matrix([x for d in test for x in _parties_of(d)], vocab)))
        for d in test:
            scored = [(p.span, dict(zip(model.classes_, next(rows), strict=True))) for p in d.parties]
            scored = [x for x, p in zip(scored, d.parties, strict=True) if linked(p.features)]
            rule_actors = [p.span for p in d.parties if p.rule == ACTOR]
            rule_recipients = [p.span for p in d.parties if p.rule == RECIPIENT]
            labels = {p.span: p.label for p in d.parties}
            for th in grid:
                actors, recipients = revise(scored, list(rule_actors), list(rule_recipients), d.symmetric, th)
                if not (rule_actors or rule_recipients):
                    made[th] += bool(actors or recipients)
                    real[th] += bool(actors or recipients) and d.real
                if not d.real:
                    continue
                verdict = sides_right(actors, recipients, d)
                if verdict is not None:
                    right[th] += verdict
                    seen[th] += 1
                placed[th] += len(actors + recipients)
                stray[th] += sum(labels[s] == NONE for s in actors + recipients)
    ruled = [d for d in decisions if any(p.rule != NONE for p in d.parties)]
    rules_real = sum(d.real for d in ruled) / max(len(ruled), 1)
    share = lambda n, d: round(n / max(d, 1), 3)  # noqa: E731
    scores = {
        th: Scores(share(right[th], seen[th]), placed[th], stray[th], made[th], share(real[th], made[th]))
        for th in grid
    }
    return scores, rules_real


def choose(results: dict[tuple[float, Thresholds], Scores], rules_real: float) -> tuple[float, Thresholds]:
    """The most sides right among settings whose added parties are right at least `ADDED_RIGHT` of the time and
    whose added events are as often real as the rules' own (ties: the fewest events added)."""
    rules = next(s for (_, th), s in results.items() if th == RULES_ONLY)

    def added_right(s: Scores) -> bool:
        added, wrong = s.placed - rules.placed, s.stray - rules.stray
        return added - wrong >= ADDED_RIGHT * added

    allowed = [
        (s.sides_right, -s.made, key) for key, s in results.items()
        if added_right(s) and (s.made == 0 or s.made_real >= rules_real)
    ]  # fmt: skip
    return max(allowed, key=lambda x: x[:2])[2]
