"""Long texts: every segment is extracted as a document of its own, then the results are merged into one.

Resolving a whole long text at once costs time that grows faster than the text
(every mention is compared with the mentions before it) and memory for all its
candidates; segments of at most one chunk keep both linear. The price is that a
pronoun or a bare surname at the start of a segment cannot reach a name in the
segment before it.
"""

from __future__ import annotations

import dataclasses

from .resolve.entities import _unique_roles
from .schema import DocumentMeta, DocumentResult, Entity, Section

OFFSETS = ("start", "end")
RECORD_PREFIXES = (("events", "e"), ("quantities", "q"), ("quotes", "u"), ("dates", "d"), ("absences", "a"))


def shifted(obj, delta: int, seen: dict[int, tuple]):
    """`obj` with every `start`/`end` of its records moved by `delta` (in place, except frozen records)."""
    if id(obj) in seen:  # a record or list shared by two others moves once
        return seen[id(obj)][1]
    if isinstance(obj, list):
        seen[id(obj)] = (obj, obj)
        obj[:] = [shifted(x, delta, seen) for x in obj]
        return obj
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return obj
    changes = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        new = value + delta if f.name in OFFSETS and isinstance(value, int) else shifted(value, delta, seen)
        if new is not value:
            changes[f.name] = new
    if obj.__dataclass_params__.frozen:
        new_obj = dataclasses.replace(obj, **changes) if changes else obj
    else:
        for name, value in changes.items():
            setattr(obj, name, value)
        new_obj = obj
    seen[id(obj)] = (obj, new_obj)  # the original is kept so that its id is not reused meanwhile
    return new_obj


class Merger:
    """The results of consecutive segments, gathered at whole-text offsets."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self.sections: list[Section] = []
        self.records: dict[str, list] = {name: [] for name, _ in RECORD_PREFIXES}

    def add(self, result: DocumentResult, offset: int) -> None:
        """Add the result of the segment that starts at `offset` of the whole text."""
        seen: dict[int, tuple] = {}
        sections = shifted(result.document.sections, offset, seen)
        # A segment's first line is a headline only at the start of the text.
        self.sections += [s for s in sections if s.kind != "headline" or s.start == 0]
        for entity in result.entities:
            self._add_entity(shifted(entity, offset, seen))
        renamed: dict[str, str] = {}  # a segment's record ids are numbered on from the segments before it
        for name, prefix in RECORD_PREFIXES:
            records = self.records[name]
            for record in shifted(getattr(result, name), offset, seen):
                new_id = f"{prefix}{len(records) + 1}"
                renamed[record.id], record.id = new_id, new_id
                records.append(record)
        for event in result.events:
            if event.quantities:
                event.quantities = [renamed[q] for q in event.quantities]
        for absence in result.absences:
            if absence.negated_event:
                absence.negated_event = renamed[absence.negated_event]

    def _add_entity(self, entity: Entity) -> None:
        known = self.entities.get(entity.id)
        if known is None:
            self.entities[entity.id] = entity
            return
        known.mentions += entity.mentions
        known.aliases = sorted((set(known.aliases) | set(entity.aliases) | {entity.name}) - {known.name})
        known.roles = _unique_roles(known.roles + entity.roles)
        known.type = known.type or entity.type
        if known.country is None and entity.country is not None:
            known.country, known.reasons = entity.country, None

    def result(self, meta: DocumentMeta) -> DocumentResult:
        """The merged result under the whole text's metadata."""
        meta.sections = self.sections
        r = self.records
        return DocumentResult(meta, list(self.entities.values()), r["events"], r["quantities"], r["quotes"],
                              r["dates"], r["absences"])  # fmt: skip
