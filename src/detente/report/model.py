"""The relationship report as typed records; `to_json` gives the documented JSON of docs/report.md.

Every fact carries `sources`: where in which stored document it was read.
Sides are country codes (`RUS`, `CHN`, `EUR`); `direction` is one of
`a_to_b`, `b_to_a` (from the pair's side `a` to `b`, or back), `mutual` (both
sides act together, with each other) or `joint` (both act together on a third
party).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..schema import to_json as _to_json

DIRECTIONS = ("a_to_b", "b_to_a", "mutual", "joint")


@dataclass(slots=True)
class Source:
    """A span of a stored document and the sentence around it (`sentence_start` is its offset)."""

    document: str
    start: int
    end: int
    text: str
    sentence: str
    sentence_start: int


@dataclass(slots=True)
class Ref:
    """An entity as the report names it: its id, display name, kind and side (`country`)."""

    id: str
    name: str
    kind: str
    side: str | None


@dataclass
class Side:
    code: str
    name: str


@dataclass
class Pair:
    a: Side
    b: Side


@dataclass
class Window:
    """The `--since`/`--until` bounds as given (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), or null."""

    since: str | None = None
    until: str | None = None


@dataclass(slots=True)
class DocumentInfo:
    """A cited document; `about_pair` when it holds facts of the pair (else it is cited for a role only)."""

    id: str
    title: str | None
    source: str | None
    published: str | None
    about_pair: bool


@dataclass
class TimelineEvent:
    id: str
    type: str | None
    mode: str | None
    subtype: str | None
    direction: str
    from_: str | None
    to: str | None
    date: str | None
    precision: str | None
    approximate: bool
    summary: str
    actors: list[Ref]
    recipients: list[Ref]
    attendees: list[Ref]
    object: str | None
    location: str | None
    negated: bool
    hypothetical: bool
    asserted_by: list[Ref]
    confidence: float
    documents: int
    sources: list[Source]
    about: str | None = None  # a few words of its sentence saying what it is about
    outlets: int = 0  # independent outlets reporting it (distinct sources' sites)

    _renamed = {"from_": "from"}


@dataclass
class Count:
    """Events of one type (subtype where known), year (null: undated) and direction."""

    type: str | None
    subtype: str | None
    year: int | None
    direction: str
    count: int


@dataclass
class Flow:
    """What goes from one side to the other in a category (visits, arms, energy, sanctions …)."""

    category: str
    label: str
    a_to_b: int
    b_to_a: int
    events: list[str]
    figures: list[str]


@dataclass
class Finding:
    """One plain-language conclusion from the counts, with the facts it rests on."""

    kind: str  # initiative | dependence | pressure
    category: str
    side: str
    text: str
    events: list[str]
    figures: list[str]
    sources: list[Source]


@dataclass
class Initiative:
    """Directed events initiated by each side; `share_a` is a's share of them (null when there are none)."""

    a: int
    b: int
    share_a: float | None


@dataclass
class Balance:
    counts: list[Count]
    flows: list[Flow]
    initiative: Initiative
    findings: list[Finding]


@dataclass
class FigureValue:
    id: str
    value: float
    qualifier: str | None
    status: str
    text: str
    published: str | None
    asserted_by: Ref | None
    sources: list[Source]


@dataclass
class Figure:
    """The values given for one measure, unit, period, status and direction; `disagreement` across sources."""

    measure: str | None
    unit: str
    period: str | None
    status: str
    from_: str | None
    to: str | None
    values: list[FigureValue]
    disagreement: bool
    reasons: dict[str, str] | None = None

    _optional = ("reasons",)
    _renamed = {"from_": "from"}


@dataclass(slots=True)
class QuoteItem:
    id: str
    text: str
    direct: bool
    cue: str | None
    speaker_text: str | None
    document: str
    published: str | None
    sources: list[Source]


@dataclass
class Voice:
    """The quotes of one speaker (null: unresolved, grouped by `speaker_text`), with role and side."""

    speaker: Ref | None
    speaker_text: str | None
    title: str | None
    sector: str | None
    side: str | None
    documents: int
    quotes: list[QuoteItem]


@dataclass
class Member:
    """A person of either side present at a meeting; `basis` says how: actor, recipient, attendee or nearby."""

    entity: Ref
    title: str | None
    sector: str | None
    basis: str
    sources: list[Source]


@dataclass
class Makeup:
    """One side's delegation by sector, with the reading ("4 of 6 from defense and energy")."""

    side: str
    members: int
    sectors: dict[str, int]
    summary: str


@dataclass
class Delegation:
    event: str
    summary: str
    date: str | None
    members: list[Member]
    makeup: list[Makeup]


@dataclass
class RoleSpan:
    title: str
    sector: str
    organization: str | None
    first_seen: str | None
    last_seen: str | None
    former: bool
    sources: list[Source]


@dataclass
class Actor:
    entity: Ref
    events: int
    quotes: int
    documents: int
    roles: list[RoleSpan]


@dataclass
class Link:
    """Two entities taking part in the same events of the pair."""

    a: str
    b: str
    events: int


@dataclass
class Actors:
    entities: list[Actor]
    links: list[Link]


@dataclass
class SummaryLine:
    """One sentence of the summary on top, with the sources it rests on."""

    text: str
    sources: list[Source]


@dataclass
class Report:
    pair: Pair
    window: Window
    documents: list[DocumentInfo]
    timeline: list[TimelineEvent]
    undated: list[TimelineEvent]
    not_happened: list[TimelineEvent]
    planned: list[TimelineEvent]
    balance: Balance
    figures: list[Figure]
    quotes: list[Voice]
    delegations: list[Delegation]
    actors: Actors
    reasons: dict[str, str] = field(default_factory=dict)
    reading: Any = None  # the analyst's reading (issue 8): disclosures, inferences, absences, contradictions …
    low_confidence: list[TimelineEvent] = field(default_factory=list)  # happened, on a weak reading: kept apart
    summary: list[SummaryLine] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # caveats shown first ("most events are undated")

    _optional = ("reading",)


def to_json(report: Report) -> dict:
    """The report as plain JSON (docs/report.md)."""
    return _to_json(report)
