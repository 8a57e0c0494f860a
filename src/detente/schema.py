"""The extraction contract as typed records.

Every record is a dataclass; `to_json` turns a record (or a list of them) into
the plain JSON structure of CONTRACT.md. This module imports nothing of ours.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

ENTITY_KINDS = ("state", "person", "organization", "place", "group", "document")
ORG_TYPES = ("igo", "ngo", "company", "media", "think_tank", "party", "government_body", "military_unit", "other")
SECTORS = (
    "head_of_state", "head_of_government", "government", "foreign_affairs", "defense", "defense_industry",
    "military", "space", "security", "intelligence", "interior", "economy", "finance", "trade", "energy",
    "agriculture", "transport", "health", "environment", "science_technology", "culture", "legislature",
    "judiciary", "party", "media", "academia", "business", "international", "civil_society", "other",
)  # fmt: skip
SECTION_KINDS = (
    "headline", "standfirst", "heading", "dateline", "caption", "credit", "byline", "speaker_label", "debris",
)  # fmt: skip
NOISE_SECTIONS = ("credit", "byline", "debris")
EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
    "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
PRECISIONS = ("day", "month", "year", "decade")
STATUSES = ("actual", "target", "forecast", "estimate", "unknown")
QUALIFIERS = ("more_than", "less_than", "about", "up_to", "at_least")


class ContractError(ValueError):
    """A record that breaks the contract."""


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def __post_init__(self):
        if not 0 <= self.start < self.end:
            raise ContractError(f"bad span {self.start}..{self.end}")


@dataclass
class Section:
    kind: str
    start: int
    end: int

    def __post_init__(self):
        if self.kind not in SECTION_KINDS:
            raise ContractError(f"section kind {self.kind!r}")


@dataclass
class Role:
    title: str
    organization: str | None
    sector: str
    start: int
    end: int
    former: bool = False
    as_of: str | None = None

    def __post_init__(self):
        if self.sector not in SECTORS:
            raise ContractError(f"sector {self.sector!r}")


@dataclass
class Mention:
    start: int
    end: int


@dataclass
class Entity:
    id: str
    kind: str
    name: str
    country: str | None
    aliases: list[str] = field(default_factory=list)
    kb_id: str | None = None
    roles: list[Role] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    type: str | None = None
    reasons: dict[str, str] | None = None

    _optional = ("type", "reasons")

    def __post_init__(self):
        if self.kind not in ENTITY_KINDS:
            raise ContractError(f"entity kind {self.kind!r}")
        if self.type is not None and self.type not in ORG_TYPES:
            raise ContractError(f"organization type {self.type!r}")


@dataclass
class DateValue:
    """A resolved date: `value` is YYYY, YYYY-MM, YYYY-MM-DD or an interval START/END of those."""

    value: str
    precision: str
    approximate: bool = False

    def __post_init__(self):
        if self.precision not in PRECISIONS:
            raise ContractError(f"precision {self.precision!r}")


@dataclass
class DateRecord:
    id: str
    text: str
    start: int
    end: int
    value: str | None
    precision: str | None
    approximate: bool = False
    reasons: dict[str, str] | None = None

    _optional = ("reasons",)


@dataclass
class EventDate:
    value: str
    precision: str
    approximate: bool
    start: int
    end: int


@dataclass
class Place:
    name: str
    entity: str | None
    country: str | None
    start: int
    end: int


@dataclass
class EventObject:
    text: str
    start: int
    end: int
    entity: str | None = None


@dataclass
class Trigger:
    text: str
    start: int
    end: int


@dataclass
class Evidence:
    trigger: Trigger
    sentence: Span


CERTAINTIES = ("reported", "claimed", "inferred", "hedged")


@dataclass
class Cue:
    text: str
    start: int
    end: int


@dataclass
class Certainty:
    """Who vouches for a fact: the article (`reported`), someone it names (`claimed`), the author's own
    conclusion (`inferred`), or nobody firmly (`hedged`: a modal, a condition, a plan); `cue` is the words."""

    value: str
    cue: Cue | None = None

    def __post_init__(self):
        if self.value not in CERTAINTIES:
            raise ContractError(f"certainty {self.value!r}")


@dataclass
class Disclosure:
    """When the text says an event became public ("not disclosed until eight months later")."""

    value: str
    precision: str
    start: int
    end: int


@dataclass
class Absence:
    """A statement that something was withheld or did not happen ("did not publish the list")."""

    id: str
    text: str
    start: int
    end: int
    sentence: Span
    what: str
    entities: list[str] = field(default_factory=list)
    negated_event: str | None = None


@dataclass
class Event:
    id: str
    type: str | None
    mode: str | None
    subtype: str | None
    actors: list[str]
    recipients: list[str]
    attendees: list[str]
    date: EventDate | None
    location: Place | None
    object: EventObject | None
    trigger: Trigger
    sentence: Span
    evidence: list[Evidence]
    negated: bool = False
    hypothetical: bool = False
    asserted_by: str | None = None
    context: list[str] | None = None
    confidence: float = 0.5
    quantities: list[str] | None = None
    reasons: dict[str, str] | None = None
    disclosure: Disclosure | None = None
    certainty: Certainty | None = None

    _optional = ("context", "quantities", "reasons", "disclosure", "certainty")

    def __post_init__(self):
        if self.type is not None and self.type not in EVENT_TYPES:
            raise ContractError(f"event type {self.type!r}")
        if self.type is not None and not (self.actors or self.recipients):
            raise ContractError("an event needs actors or recipients")


@dataclass
class StatedFigure:
    """What a figure states and where it stands: the fields `Quantity` shares with the store's quantity rows."""

    id: str
    measure: str | None
    value: float
    unit: str
    qualifier: str | None
    text: str
    start: int
    end: int
    period: str | None
    status: str = "actual"


@dataclass
class Quantity(StatedFigure):
    entities: list[str] = field(default_factory=list)
    from_: str | None = None
    to: str | None = None
    asserted_by: str | None = None
    reasons: dict[str, str] | None = None
    certainty: Certainty | None = None

    _optional = ("reasons", "certainty")
    _renamed = {"from_": "from"}

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ContractError(f"status {self.status!r}")
        if self.qualifier is not None and self.qualifier not in QUALIFIERS:
            raise ContractError(f"qualifier {self.qualifier!r}")


@dataclass
class Quote:
    id: str
    speaker: str | None
    speakers: list[str]
    speaker_text: str | None
    text: str
    start: int
    end: int
    parts: list[Span]
    direct: bool
    cue: str | None
    reasons: dict[str, str] | None = None

    _optional = ("reasons",)


@dataclass
class Extractor:
    version: str
    model: str


@dataclass
class DocumentMeta:
    id: str
    external_id: str | None
    source: str
    title: str | None
    published: str | None
    language: str
    length: int
    extractor: Extractor
    sections: list[Section]
    text: str | None = None

    _optional = ("text",)


@dataclass
class DocumentResult:
    document: DocumentMeta
    entities: list[Entity]
    events: list[Event]
    quantities: list[Quantity]
    quotes: list[Quote]
    dates: list[DateRecord]
    absences: list[Absence] = field(default_factory=list)


def to_json(obj: Any) -> Any:
    """The plain JSON structure of a record, a list of records, or a value."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        optional = getattr(obj, "_optional", ())
        renamed = getattr(obj, "_renamed", {})
        out = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if value is None and f.name in optional:
                continue
            out[renamed.get(f.name, f.name)] = to_json(value)
        return out
    if isinstance(obj, (list, tuple)):
        return [to_json(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_json(v) for k, v in obj.items()}
    return obj
