"""Boilerplate detection: the spans of a text that are not running body text.

Works line by line (a line is a paragraph in most inputs) and, inside long
single-paragraph texts, on a few sentence-level trailers such as "Some
information for this report came from …". Offsets point into the text as read.
"""

from __future__ import annotations

import re

from .schema import Section

_MONTHS = (
    r"(?:JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?|SEPT?(?:EMBER)?"
    r"|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?)\.?"
)
_LINE_RULES: list[tuple[str, re.Pattern]] = [
    ("credit", re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|tiff?|svg)$", re.I)),
    ("credit", re.compile(r"^(?:photo|image|file photo|credit|photo credit|source|video)s?\s*(?:[:/|©-]|by\b)",
                          re.I)),
    ("credit", re.compile(r"^[^.]{0,80}\b(?:AP|AFP|Reuters|Getty Images|EPA|Xinhua|Sputnik)(?: Photo)?\)?$")),
    ("credit", re.compile(r"^(?:some information (?:for|in) this (?:report|story)|"
                          r"this (?:report|story) (?:was|contains)|(?:with )?reporting (?:by|from)|"
                          r"additional reporting|information from)\b", re.I)),
    ("byline", re.compile(r"^(?:by|edited by|written by|reporting by|compiled by|translated by)\s+[A-Z][\w.'-]+"
                          r"(?:\s+[A-Z][\w.'-]+){0,3}(?:\s*(?:,|and)\s*[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})*\.?$",
                          re.I)),
    ("byline", re.compile(r"^(?:edited by|written by|translated by)\b", re.I)),
    ("dateline", re.compile(rf"^{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}$", re.I)),
    ("dateline", re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}(?:\s+\d{1,2}:\d{2}\s*(?:AM|PM)?(?:\s+[A-Z]{2,4})?)?$")),
    ("dateline", re.compile(r"^[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][A-Za-z .]{2,30})?\s+[—–-]+$")),
    ("speaker_label", re.compile(r"^[A-Z][A-Z .'-]{2,80}:$")),
]  # fmt: skip
# A speaker label at the start of a transcript turn ("SECRETARY BLINKEN:  Well, …").
_LABEL_PREFIX = re.compile(r"^([A-Z][A-Z .'-]{2,80}):(?=\s)")
# A dateline before the first sentence ("MOSCOW — The talks …").
_DATELINE_PREFIX = re.compile(r"^([A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][A-Za-z .]{2,30})?\s+[—–-]{1,2})\s")
# Trailers that sit inside a long paragraph.
_INLINE_CREDIT = re.compile(
    r"(?:(?<=[.!?”\"] )|^)(?:Some|Additional|Part of the) information (?:for|in) this (?:report|story)[^.]*\.|"
    r"(?:(?<=[.!?”\"] )|^)(?:This (?:story|report) (?:originated|was produced|contains)[^.]*\.)|"
    r"(?:(?<=[.!?”\"] )|^)(?:[A-Z][\w'’-]*(?:[ ,]+(?:and |in |from )?[A-Z][\w'’.-]*){0,8} "
    r"(?:contributed|reported) (?:to|for) this (?:report|story)[^.]*\.)"
)
_DEBRIS = re.compile(r"[^\w\s.,;:'\"“”‘’()?!%$€£¥—–/-]")


def _is_heading(line: str, next_line: str | None, first: bool = False) -> bool:
    """A short title-like line followed by longer text (the first line needs only something after it)."""
    words = line.split()
    if not 1 <= len(words) <= (16 if first else 10) or line.rstrip().endswith((".", ",", ";", ":", "!", "”", '"')):
        return False
    capitals = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    if capitals < max(1, len(words) - (4 if first else 2)) or not next_line:
        return False
    return first or len(next_line.split()) > len(words)


def _is_debris(line: str) -> bool:
    if len(line) < 20:
        return False
    odd = len(_DEBRIS.findall(line))
    letters = sum(ch.isalpha() for ch in line)
    return odd / len(line) > 0.15 or letters / len(line) < 0.45


def detect_sections(text: str) -> list[Section]:
    """Every non-body span of `text`, in text order."""
    sections: list[Section] = []
    lines = list(_lines(text))
    next_text: list[str | None] = [None] * len(lines)  # the next non-blank line after each line
    for i in range(len(lines) - 2, -1, -1):
        following = lines[i + 1][1].strip()
        next_text[i] = following or next_text[i + 1]
    for i, (start, line) in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        lead = start + (len(line) - len(line.lstrip()))
        end = lead + len(stripped)
        nxt = next_text[i]
        kind = next((k for k, rx in _LINE_RULES if rx.search(stripped)), None)
        if kind is None and _is_debris(stripped):
            kind = "debris"
        if kind is None and i == 0 and _is_heading(stripped, nxt, first=True):
            kind = "headline"
        elif kind is None and _is_heading(stripped, nxt) and not _LABEL_PREFIX.match(stripped):
            kind = "heading"
        if kind:
            sections.append(Section(kind, lead, end))
            continue
        for rx, kind in ((_LABEL_PREFIX, "speaker_label"), (_DATELINE_PREFIX, "dateline")):
            m = rx.match(stripped)
            if m:
                sections.append(Section(kind, lead, lead + m.end(1)))
        for m in _INLINE_CREDIT.finditer(line):
            sections.append(Section("credit", start + m.start(), start + m.end()))
    return sorted(sections, key=lambda s: (s.start, s.end))


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def noise_spans(sections: list[Section]) -> list[tuple[int, int]]:
    """The spans no fact may be taken from (credits, bylines, debris)."""
    return [(s.start, s.end) for s in sections if s.kind in ("credit", "byline", "debris")]
