"""The reading layer of `detente eval`: certainty accuracy and disclosure-date recall on hand-annotated texts
(eval/gold_reading/*.json, texts written for the project; format in eval/README.md)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..documents import Document
from ..schema import Event

LIGHT_VERB_REACH = 30  # characters from a gold trigger word to the trigger of the noun it governs


@dataclass
class ReadingScore:
    certainty_total: int = 0
    certainty_correct: int = 0
    disclosure_total: int = 0
    disclosure_found: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def certainty_accuracy(self) -> float | None:
        return self.certainty_correct / self.certainty_total if self.certainty_total else None

    @property
    def disclosure_recall(self) -> float | None:
        return self.disclosure_found / self.disclosure_total if self.disclosure_total else None

    def to_json(self, verbose: bool = False) -> dict:
        out = {
            "certainty": {"events": self.certainty_total, "correct": self.certainty_correct,
                          "accuracy": _round(self.certainty_accuracy)},
            "disclosure": {"gold": self.disclosure_total, "found": self.disclosure_found,
                           "recall": _round(self.disclosure_recall)},
        }  # fmt: skip
        return out | ({"wrong": self.wrong} if verbose else {})

    def check(self, name: str, gold_event: dict, found: Event | None) -> bool:
        """Whether the event found at the gold trigger has the gold value of `name`; noted in `wrong` if not."""
        record = found and getattr(found, name)
        got = record and record.value
        if got != gold_event[name]:
            self.wrong.append(f"{name} of {gold_event['trigger']!r}: {got} for {gold_event[name]}")
        return got == gold_event[name]


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def load(gold_dir: Path) -> list[dict]:
    docs = []
    for path in sorted(gold_dir.glob("*.json")):
        with open(path, encoding="utf-8") as fh:
            docs.extend(json.load(fh)["documents"])
    return docs


def score(pipeline, gold: list[dict]) -> ReadingScore:
    out = ReadingScore()
    for g in gold:
        doc = Document(text=g["text"], source="gold_reading", published=dt.date.fromisoformat(g["published"]))
        result = pipeline.extract(doc)
        for ge in g["events"]:
            start = g["text"].find(ge["trigger"])
            found = next((e for e in result.events if e.trigger.start <= start < e.trigger.end), None)
            # a light verb names the event its object's noun codes ("might impose [sanctions]")
            found = found or next(
                (e for e in result.events
                 if e.sentence.start <= start < e.sentence.end and 0 < e.trigger.start - start <= LIGHT_VERB_REACH),
                None,
            )  # fmt: skip
            if "certainty" in ge:
                out.certainty_total += 1
                out.certainty_correct += out.check("certainty", ge, found)
            if "disclosure" in ge:
                out.disclosure_total += 1
                out.disclosure_found += out.check("disclosure", ge, found)
    return out
