"""Citations: a stored span with the sentence around it, for a reader to check the fact against its text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..report.model import Source
from . import facts
from .config import config

CLOSERS = '["”’)\\]]*'


@lru_cache(maxsize=1)
def _boundary() -> re.Pattern:
    """Sentence ends: a full stop not after an abbreviation or a lone letter ("U.S.", "J."), ! or ?, a line break."""
    guards = "".join(f"(?<!\\b{re.escape(a)}\\.)" for a in sorted(config().abbreviations))  # after the stop: fast
    return re.compile(rf"\.{guards}(?<!\b[A-Za-z]\.)\.*{CLOSERS}\s+|[!?]+{CLOSERS}\s+|\n\s*")


CONTEXT = 300  # characters of a long sentence kept on each side of the span


@dataclass
class Text:
    """One document's text with its sentence starts (found once, on first use)."""

    doc: str
    text: str
    _starts: list[int] | None = field(default=None, repr=False)

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            ends = (m.end() for m in _boundary().finditer(self.text))
            self._starts = [0, *(e for e in ends if e < len(self.text))]
        return self._starts

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def sentences(self, start: int, end: int, around: int = 0) -> tuple[int, int]:
        """The span of the sentences covering `start..end`, widened by `around` sentences each way."""
        starts = self.starts
        first = max(0, self.sentence_index(start) - around)
        last = min(len(starts) - 1, self.sentence_index(max(start, end - 1)) + around)
        stop = starts[last + 1] if last + 1 < len(starts) else len(self.text)
        while stop > max(starts[first], end) and self.text[stop - 1].isspace():
            stop -= 1
        return starts[first], stop

    def source(self, start: int, end: int, sentence: tuple[int, int] | None = None) -> Source:
        """The citation of `start..end`: the stored sentence when it holds the span, else the one found here."""
        found = self.sentences(start, end)
        if sentence is not None and sentence[0] <= start and end <= sentence[1]:
            found = max(found[0], sentence[0]), min(found[1], sentence[1])  # the tighter: no header lines
        s, e = max(found[0], start - CONTEXT), min(found[1], end + CONTEXT)
        return Source(self.doc, start, end, self.text[start:end], self.text[s:e], s)


def dedupe(sources: list[Source]) -> list[Source]:
    """Sources in the order given, each span once."""
    seen: dict[tuple, Source] = {}
    for s in sources:
        seen.setdefault((s.document, s.start, s.end), s)
    return list(seen.values())


class Library:
    """The stored documents the report cites, fetched in batches as the analysis needs them."""

    def __init__(self, con):
        self._con = con
        self.rows: dict[str, facts.DocumentRow] = {}
        self.cited: set[str] = set()  # the documents a source was given from
        self._texts: dict[str, Text] = {}

    def load(self, ids) -> None:
        missing = {i for i in ids if i not in self.rows}
        if missing:
            self.rows.update(facts.documents(self._con, missing))

    def text(self, doc: str) -> Text:
        if doc not in self._texts:
            self.load([doc])
            row = self.rows.get(doc)
            self._texts[doc] = Text(doc, row.text if row else "")
        return self._texts[doc]

    def source(self, doc: str, start: int, end: int, sentence: tuple[int, int] | None = None) -> Source:
        self.cited.add(doc)
        return self.text(doc).source(start, end, sentence)
