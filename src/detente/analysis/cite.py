"""Citations: a stored span with the sentence around it, for a reader to check the fact against its text."""

from __future__ import annotations

import re
from dataclasses import dataclass
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


LOOK_BACK = 400  # characters before a span where the search for its sentence's start begins


@dataclass
class Text:
    """One document's text; a span's sentences are found by reading the text around it, not the whole document."""

    doc: str
    text: str

    def _resync(self, offset: int) -> int:
        """The nearest point at or before `offset` where a word follows white space (or 0): no sentence end spans
        it, since every sentence end ends in its run of white space, so a search from there finds the same ends as
        one from the start of the text."""
        text, i = self.text, max(0, min(offset, len(self.text)))
        while i > 0 and not (text[i - 1].isspace() and (i == len(text) or not text[i].isspace())):
            i -= 1
        return i

    def _starts_around(self, start: int, last: int, before: int, after: int) -> tuple[list[int], list[int]]:
        """Sentence starts (0 and every sentence end short of the text's end): the last `before` at or before
        `start` (fewer only at the text's start), and the first `after` past `last`."""
        text, pattern = self.text, _boundary()
        back = LOOK_BACK
        while True:
            origin = self._resync(start - back)
            up_to, past = [0] if origin == 0 else [], []
            for m in pattern.finditer(text, origin):
                e = m.end()
                if e >= len(text) or len(past) == after:
                    break
                if e <= start:
                    up_to.append(e)
                elif e > last:
                    past.append(e)
            if origin == 0 or len(up_to) >= before:
                return up_to[-before:], past
            back *= 2

    def sentences(self, start: int, end: int, around: int = 0) -> tuple[int, int]:
        """The span of the sentences covering `start..end`, widened by `around` sentences each way."""
        up_to, past = self._starts_around(start, max(start, end - 1), around + 1, around + 1)
        first, stop = up_to[0], past[around] if len(past) > around else len(self.text)
        while stop > max(first, end) and self.text[stop - 1].isspace():
            stop -= 1
        return first, stop

    def source(self, start: int, end: int, sentence: tuple[int, int] | None = None) -> Source:
        """The citation of `start..end`, its sentence cut out when first read (see `Citation`)."""
        return Citation(self, start, end, sentence)

    def cut(self, start: int, end: int, sentence: tuple[int, int] | None = None) -> tuple[str, str, int]:
        """(span text, sentence, sentence offset) of `start..end`: the stored sentence when it holds the span, else
        the one found here."""
        found = self.sentences(start, end)
        if sentence is not None and sentence[0] <= start and end <= sentence[1]:
            found = max(found[0], sentence[0]), min(found[1], sentence[1])  # the tighter: no header lines
        s, e = max(found[0], start - CONTEXT), min(found[1], end + CONTEXT)
        return self.text[start:end], self.text[s:e], s


class Citation(Source):
    """A `Source` whose text and sentence are cut from its document when first read: a busy pair's report cites tens
    of thousands of spans, and the text report and every count need only where they are."""

    __slots__ = ("_of", "_stored", "_cut")

    def __init__(self, of: Text, start: int, end: int, sentence: tuple[int, int] | None = None):
        self.document, self.start, self.end = of.doc, start, end
        self._of, self._stored, self._cut = of, sentence, None

    def _parts(self) -> tuple[str, str, int]:
        of = self._of
        if of is not None:  # else cut already (by another thread, maybe): `_cut` is set before `_of` is let go
            self._cut, self._of = of.cut(self.start, self.end, self._stored), None
        return self._cut

    text = property(lambda self: self._parts()[0])
    sentence = property(lambda self: self._parts()[1])
    sentence_start = property(lambda self: self._parts()[2])


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
