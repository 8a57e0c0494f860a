"""The PLOVER development sentences, scored by the rule of ../shared/corpus/README.md.

Each sentence is extracted as its own document (published on its `date`).
Type: a sentence is right when one of the events coded in it has the gold
type (older names mapped as the contract says; nothing coded is wrong).
Source/target, only for records with a source and a non-empty target: right
when one event of the gold type has a gold source code among its actors'
sides and a gold target code among its recipients' — both among its actors
for a symmetric event (no recipients), either direction for CONSULT. A side
is an entity's `country`; the group codes `IGO`/`NGO` match organisations of
that `type` and people holding an office in one ("U.N. Secretary-General Kofi
Annan" acts for the UN); the armed-group codes `IMG`/`ISM` have no
counterpart, so never match.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..documents import Document
from ..kb import load_kb
from ..schema import DocumentResult, Entity, Event

TYPE_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
GROUP_TYPES = {"IGO": "igo", "NGO": "ngo"}


@dataclass(frozen=True)
class PloverRecord:
    id: str
    text: str
    published: dt.date | None
    type: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]


def _codes(value) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(CODES.get(a["code"], a["code"]) for a in value if isinstance(a, dict) and a.get("code"))


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def load(path: Path) -> list[PloverRecord]:
    """The event records of the file (the documentation record skipped)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [
        PloverRecord(
            id=r["id"],
            text=r["text"],
            published=_date(r.get("date")),
            type=TYPE_NAMES.get(r["event"], r["event"]),
            sources=_codes(r.get("source")),
            targets=_codes(r.get("target")),
        )
        for r in raw
        if r.get("event") != "DOCUMENT"
    ]


def documents(records: Iterable[PloverRecord]) -> list[Document]:
    return [Document(text=r.text, source=r.id, published=r.published) for r in records]


def has_code(entity: Entity | None, code: str) -> bool:
    if entity is None:
        return False
    if entity.country == code:
        return True
    if code not in GROUP_TYPES:
        return False
    kb = load_kb()
    offices = (kb.organization(r.organization) for r in entity.roles if r.organization)
    return entity.type == GROUP_TYPES[code] or any(o is not None and o.type == GROUP_TYPES[code] for o in offices)


def sides_right(record: PloverRecord, event: Event, entities: dict[str, Entity]) -> bool:
    """Whether an event of the gold type has a gold source and a gold target on the right sides."""

    def among(codes: Sequence[str], ids: Sequence[str]) -> bool:
        return any(has_code(entities.get(i), c) for c in codes for i in ids)

    if not event.recipients:
        return among(record.sources, event.actors) and among(record.targets, event.actors)
    forward = among(record.sources, event.actors) and among(record.targets, event.recipients)
    backward = among(record.sources, event.recipients) and among(record.targets, event.actors)
    return forward or (event.type == "CONSULT" and backward)


@dataclass
class PloverScore:
    records: int = 0
    type_correct: int = 0
    sides_records: int = 0
    sides_correct: int = 0
    by_type: dict[str, list[int]] = field(default_factory=dict)  # gold type -> [records, right]
    wrong: list[str] = field(default_factory=list)

    @property
    def type_accuracy(self) -> float | None:
        return self.type_correct / self.records if self.records else None

    @property
    def sides_accuracy(self) -> float | None:
        return self.sides_correct / self.sides_records if self.sides_records else None

    def to_json(self, verbose: bool = False) -> dict:
        out = {
            "records": self.records,
            "type_correct": self.type_correct,
            "type_accuracy": None if self.type_accuracy is None else round(self.type_accuracy, 4),
            "source_target_records": self.sides_records,
            "source_target_correct": self.sides_correct,
            "source_target_accuracy": None if self.sides_accuracy is None else round(self.sides_accuracy, 4),
            "by_type": {t: {"records": n, "right": k} for t, (n, k) in sorted(self.by_type.items())},
        }
        return out | ({"wrong": self.wrong} if verbose else {})


def score(records: Sequence[PloverRecord], results: Iterable[DocumentResult]) -> PloverScore:
    """Type and source/target accuracy of the extraction results of the records (in the same order)."""
    out = PloverScore()
    for record, result in zip(records, results, strict=True):
        entities = {e.id: e for e in result.entities}
        typed = [e for e in result.events if e.type == record.type]
        type_right = bool(typed)
        out.records += 1
        out.type_correct += type_right
        tally = out.by_type.setdefault(record.type, [0, 0])
        tally[0] += 1
        tally[1] += type_right
        sides_right_ = None
        if record.sources and record.targets:
            sides_right_ = any(sides_right(record, e, entities) for e in typed)
            out.sides_records += 1
            out.sides_correct += sides_right_
        if not type_right or sides_right_ is False:
            coded = ", ".join(sorted({e.type or "untyped" for e in result.events})) or "nothing"
            sides = f" {','.join(record.sources)}->{','.join(record.targets)}" if record.targets else ""
            out.wrong.append(f"{record.id}: gold {record.type}{sides}; coded {coded}")
    return out
