"""What every extractor shares: the document context and references to mentions.

Extractors read one parsed chunk (a spaCy `Doc` with its character offset in
the whole text) and append records to the `DocContext`. Records point at
entities through mention references (`@start:end`); resolution replaces them
with entity ids once every chunk has been read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from ..kb import KnowledgeBase
from ..schema import Absence, DateRecord, Event, Quantity, Quote, Role, Section


def ref(start: int, end: int) -> str:
    """A reference to the mention at `start:end`, resolved to an entity id later."""
    return f"@{start}:{end}"


def parse_ref(value: str) -> tuple[int, int] | None:
    if not value.startswith("@"):
        return None
    a, _, b = value[1:].partition(":")
    return int(a), int(b)


@dataclass
class Candidate:
    """A mention of a possible entity, before resolution."""

    start: int
    end: int
    text: str
    kind: str  # an entity kind, or "pronoun" / "description"
    country: str | None = None
    kb_id: str | None = None
    org_type: str | None = None
    gender: str | None = None
    sentence: int = 0
    plural: bool = False
    subject: bool = False  # the mention is its clause's subject (preferred as an antecedent)
    sector: str | None = None  # for descriptions: the sector their head word implies


@dataclass
class RoleMention:
    """A role the text gives the person mentioned at `person` (a span)."""

    person: tuple[int, int]
    role: Role
    country: str | None = None


@dataclass
class DocContext:
    text: str
    published: dt.date | None
    kb: KnowledgeBase
    sections: list[Section]
    noise: list[tuple[int, int]]
    candidates: list[Candidate] = field(default_factory=list)
    roles: list[RoleMention] = field(default_factory=list)
    nationalities: list[tuple[tuple[int, int], str]] = field(default_factory=list)  # (person span, state)
    dates: list[DateRecord] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    paired: list[Event] = field(default_factory=list)  # events whose actors are "both sides" of the article's pair
    absences: list[Absence] = field(default_factory=list)
    sentence_count: int = 0
    surnames: set[str] = field(default_factory=set)  # last names of people named so far

    def in_noise(self, start: int, end: int) -> bool:
        """Whether a span lies in a credit, byline or debris section."""
        return any(a <= start and end <= b or a < end <= b or a <= start < b for a, b in self.noise)


def extractor(requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()):
    """Declare which `DocContext` fields a chunk extractor reads and which it fills, as spaCy's factories declare
    `requires` and `assigns`: the pipeline checks the extractors' order with them."""

    def mark(fn):
        fn.requires, fn.assigns = frozenset(requires), frozenset(assigns)
        return fn

    return mark


def check_order(extractors) -> None:
    """A `ValueError` naming the first extractor that requires a field no extractor before it assigns."""
    done: set[str] = set()
    for e in extractors:
        if missing := getattr(e, "requires", frozenset()) - done:
            name = getattr(e, "__name__", repr(e))
            raise ValueError(f"extractor {name} requires {sorted(missing)}, which no extractor before it assigns")
        done |= getattr(e, "assigns", frozenset())


@dataclass
class Chunk:
    """A parsed piece of the document and where it starts in the whole text."""

    doc: Doc
    offset: int

    def span_of(self, span: Span | Doc) -> tuple[int, int]:
        """Whole-text offsets of a spaCy span."""
        if isinstance(span, Doc):
            return self.offset, self.offset + len(span.text)
        return self.offset + span.start_char, self.offset + span.end_char
