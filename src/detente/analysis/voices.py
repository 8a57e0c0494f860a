"""Who said what about the relationship: quotes grouped by speaker, with the speaker's role and side.

A quote is about the pair when it touches both sides (its speaker's side and
the entities it names) or lies in the sentence of one of the pair's events.
"""

from __future__ import annotations

from ..kb import fold
from ..report.model import QuoteItem, Voice
from .cite import Library
from .facts import QuoteRow
from .roles import RoleIndex
from .timeline import PairEvent, ref
from .window import DateWindow


def event_sentences(events: list[PairEvent]) -> set[tuple[str, int, int]]:
    """The sentences (doc, start, end) the pair's events were read in."""
    return {(r.doc, e["sentence"]["start"], e["sentence"]["end"]) for pe in events for r in pe.rows
            for e in r.evidence or [{"sentence": {"start": r.sentence_start, "end": r.sentence_end}}]}  # fmt: skip


def pair_quotes(rows: list[QuoteRow], window: DateWindow) -> list[QuoteRow]:
    """The quotes about the pair (`facts.quotes_between`) in the window."""
    return sorted((q for q in rows if window.admits_published(q.published)), key=lambda q: (q.doc, q.start))


def _key(q: QuoteRow) -> str:
    if q.speaker:
        return q.speaker.entity
    return "text:" + fold(q.speaker_text) if q.speaker_text else "unattributed"


def build_voices(quotes: list[QuoteRow], roles: RoleIndex, library: Library) -> list[Voice]:
    """Speakers by how much they say about the pair; each with their quotes in publication order."""
    groups: dict[str, list[QuoteRow]] = {}
    library.load({q.doc for q in quotes})
    for q in sorted(quotes, key=lambda q: (q.published is None, q.published, q.doc, q.start)):
        groups.setdefault(_key(q), []).append(q)
    out = []
    for rows in groups.values():
        first, last = rows[0], rows[-1]
        speaker = ref(first.speaker) if first.speaker else None
        role = roles.at(speaker.id, last.doc, last.start, last.published) if speaker else None
        items = [
            QuoteItem(
                q.key, q.text, q.direct, q.cue, q.speaker_text, q.doc, q.published and q.published.isoformat(),
                [library.source(q.doc, p["start"], p["end"]) for p in q.parts],
            )
            for q in rows
        ]  # fmt: skip
        out.append(Voice(speaker, first.speaker_text, role and role.title, role and role.sector,
                         speaker and speaker.side, len({q.doc for q in rows}), items))  # fmt: skip
    out.sort(key=lambda v: (v.speaker is None, -len(v.quotes), v.speaker.name if v.speaker else v.speaker_text or ""))
    return out
