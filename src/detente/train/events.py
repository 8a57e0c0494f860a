"""Train the event typer (`detente train events`) from the JSON Lines files under `data/events/`.

Each record is a text with its events (format: `data/events/written/FORMAT.md`).
Every event gives one example: the token that triggers it, with its type. The
trigger is the head of the `trigger` span where the record names one; else it
is found as extraction finds candidates: the lexicon's match of the gold type,
else a lexicon match the record marks, else the sentence's main verb. Records
written for détente also give "no event" examples: lexicon matches and main
verbs that no annotated event covers.

The model is a multinomial logistic regression over `features.py`; its
regularisation and the weight of each source are chosen by grouped
cross-validation (records never split across folds), and the folds' scores
are stored with the model.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from ..extract.events.features import open_candidates, trigger_features, trigger_vector
from ..extract.events.lexicon import load_lexicon
from ..extract.events.triggers import find_triggers
from ..extract.events.typer import NONE
from .linear import Example, fit, folds, matrix

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
         "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")  # fmt: skip
EVENT_KEYS = {"type", "mode", "trigger", "source", "target", "symmetric", "negated", "hypothetical", "marked"}
RECORD_KEYS = {"id", "text", "events", "tags"}


class DataError(ValueError):
    """A training record that breaks the format, with the file and line it came from."""


def read_records(path: Path) -> list[dict]:
    """The records of one JSON Lines file, checked against the format."""
    out = []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text") from None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            r = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(r, dict) or not isinstance(r.get("text"), str) or not isinstance(r.get("events"), list):
            raise DataError(f"{where}: a record needs a `text` string and an `events` list")
        if extra := set(r) - RECORD_KEYS:
            raise DataError(f"{where}: unknown keys {sorted(extra)}")
        for e in r["events"]:
            if extra := set(e) - EVENT_KEYS:
                raise DataError(f"{where}: unknown event keys {sorted(extra)}")
            if e.get("type") not in TYPES:
                raise DataError(f"{where}: unknown type {e.get('type')!r}")
            for k in ("trigger", "source", "target"):
                if e.get(k) is not None and r["text"].count(e[k]) != 1:
                    raise DataError(f"{where}: {k} {e[k]!r} does not occur exactly once in the text")
        r.setdefault("id", where)
        out.append(r)
    return out


Span = tuple[int, int]  # character offsets in a record's text


def span_in(text: str, part: str | None) -> Span | None:
    """Where a record's quoted part (a trigger, source or target, unique in its text) lies, or None without one."""
    if not part:
        return None
    start = text.index(part)
    return start, start + len(part)


def overlaps(a: Span, b: Span | None) -> bool:
    """Whether two character spans share a character."""
    return b is not None and a[0] < b[1] and b[0] < a[1]


def data_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.jsonl"))


def record_examples(doc, record: dict, source: str, lex) -> list[Example]:
    """The examples of one parsed record."""
    text, group = record["text"], str(record["id"])
    written = any(e.get("trigger") for e in record["events"]) or not record["events"]
    rules = {m.token.i: m for s in doc.sents for m in find_triggers(s, lex)}
    taken: dict[int, str] = {}
    covered: set[int] = set()  # tokens of annotated triggers ("paid a state visit"): never "no event"
    for e in record["events"]:
        tok = None
        if e.get("trigger"):
            start = text.index(e["trigger"])
            span = doc.char_span(start, start + len(e["trigger"]), alignment_mode="expand")
            if span is not None:
                tok = span.root
                covered.update(t.i for t in span)
                for t in span:  # a lexicon match inside the trigger names the same event
                    if t.i in rules and t.i != tok.i:
                        taken[t.i] = e["type"]
        else:
            sents = list(doc.sents)
            same = [m for m in rules.values() if m.coding.type == e["type"]]
            marked = [m for m in rules.values() if any(w in m.token.sent.text and m.token.text in w
                                                       for w in e.get("marked") or ())]  # fmt: skip
            pick = (same or marked or [None])[0]
            tok = pick.token if pick is not None else next(iter(open_candidates(sents[0])), sents[0].root)
        if tok is not None:
            taken[tok.i] = e["type"]
    if written:  # what the writer did not annotate codes no event, unless an annotated trigger governs it
        for s in doc.sents:
            for tok in [m.token for m in find_triggers(s, lex)] + open_candidates(s):
                if tok.i not in covered and not any(a.i in covered for a in list(tok.ancestors)[:2]):
                    taken.setdefault(tok.i, NONE)
    out = []
    for i, label in taken.items():
        tok = doc[i]
        rule = rules[i].coding.type if i in rules else None
        out.append(Example(trigger_features(tok, tok.sent, rule), label, group, source, trigger_vector(tok, tok.sent)))
    return out


def build_examples(root: Path, nlp, log=sys.stderr) -> list[Example]:
    lex = load_lexicon()
    examples: list[Example] = []
    for path in data_files(root):
        records = read_records(path)
        source = str(path.relative_to(root))
        t = time.time()
        for doc, r in zip(nlp.pipe((r["text"] for r in records), batch_size=64), records, strict=True):
            examples.extend(record_examples(doc, r, source, lex))
        print(f"  {source}: {len(records)} records ({time.time() - t:.0f} s)", file=log)
    return examples


def cross_validate(examples: list[Example], c: float, weights: dict[str, float], k: int, seed: int) -> dict:
    """Accuracy per source of models that never saw the fold they score (event examples only; no-event apart)."""
    hits: Counter = Counter()
    seen: Counter = Counter()
    for fold in folds({ex.group for ex in examples}, k, seed):
        train = [ex for ex in examples if ex.group not in fold]
        test = [ex for ex in examples if ex.group in fold]
        model, vocab = fit(train, c, seed, weights)
        for ex, pred in zip(test, model.predict(matrix(test, vocab)), strict=True):
            key = ex.source if ex.label != NONE else "no event"
            seen[key] += 1
            hits[key] += pred == ex.label
    return {s: round(hits[s] / seen[s], 3) for s in sorted(seen)} | {"examples": dict(sorted(seen.items()))}
