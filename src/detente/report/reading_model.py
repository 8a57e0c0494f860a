"""The analyst's reading of a pair (`Report.reading`) and the ranking of every pair (`detente pairs`) as typed
records; `to_json` of report/model.py gives the documented JSON (docs/report.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Ref, Source


@dataclass
class CueSource:
    """The words that set a fact's certainty, where they were read."""

    text: str
    document: str
    start: int
    end: int


@dataclass
class DisclosedEvent:
    """When an event happened and when it became public: stated by the text, else its first report."""

    event: str
    summary: str
    category: str | None
    date: str
    disclosed: str
    basis: str  # stated | first_reported
    lag_days: int
    sources: list[Source]


@dataclass
class DisclosurePattern:
    category: str
    label: str
    events: int
    median_lag_days: int
    text: str
    sources: list[Source]


@dataclass
class Disclosures:
    events: list[DisclosedEvent]
    patterns: list[DisclosurePattern]


@dataclass
class Inference:
    """A fact that rests on the author's inference or on a hedge, never on a statement."""

    kind: str  # event | figure
    id: str
    summary: str
    certainty: str  # inferred | hedged
    cue: CueSource | None
    sources: list[Source]


@dataclass
class AbsenceItem:
    """What was withheld or did not happen, and whom it concerns."""

    id: str
    what: str
    text: str
    concerns: list[Ref]
    event: str | None
    published: str | None
    sources: list[Source]


@dataclass
class Claim:
    """One side of a contradiction: what a source says."""

    text: str
    value: str | None
    sources: list[Source]


@dataclass
class Contradiction:
    kind: str  # figure | date | direction | denial
    subject: str
    claims: list[Claim]
    sources: list[Source]


@dataclass
class NameNote:
    """A name written unlike the canonical (knowledge-base) spelling of the person it resolves to."""

    entity: Ref
    text_form: str
    canonical: str
    kb_id: str | None
    documents: int
    sources: list[Source]


@dataclass
class SourceNote:
    """A document whose text is doubtful: machine-translation debris, many names spelt unlike the canon."""

    document: str
    title: str | None
    debris: int
    name_notes: int
    text: str
    sources: list[Source]


@dataclass
class Citation:
    """A short citation (an event's trigger, a figure's text) for the pairs ranking, which loads no text."""

    document: str
    start: int
    end: int
    text: str


@dataclass
class FlowCount:
    category: str
    a_to_b: int
    b_to_a: int


@dataclass
class PairRow:
    """One pair of sides with its indicators; `a` is the side that acts more on the other (directed facts)."""

    a: str
    b: str
    a_name: str
    b_name: str
    asymmetry: float
    directed: dict[str, int]  # a_to_b, b_to_a: directed events and figures
    mutual: int
    types: dict[str, dict[str, int]]  # a_to_b / b_to_a / mutual -> PLOVER type -> events
    flows: list[FlowCount]
    figures: dict[str, dict[str, int]]  # a_to_b / b_to_a -> measure -> figures
    documents: int
    text: str
    sources: list[Citation]


@dataclass
class Similar:
    a: str
    b: str
    asymmetry: float
    distance: float
    text: str
    sources: list[Source]


@dataclass
class Comparable:
    rank: int | None
    of: int
    asymmetry: float | None
    text: str
    similar: list[Similar]
    sources: list[Source] = field(default_factory=list)


@dataclass
class Reading:
    certainty: dict[str, dict[str, int]]  # events / figures -> certainty -> count
    disclosures: Disclosures
    inferences: list[Inference]
    absences: list[AbsenceItem]
    contradictions: list[Contradiction]
    name_notes: list[NameNote]
    source_notes: list[SourceNote]
    comparable: Comparable
    reasons: dict[str, str] = field(default_factory=dict)
