"""Quotation marks: where quotations begin and end in plain text, before any parse.

Curly and straight marks are paired per paragraph as real text mixes them; a
quotation left open at a paragraph's end runs on when the next paragraph opens
with a mark (the newspaper convention for long quotes).
"""

from __future__ import annotations

import re

DOUBLE_MARKS = ("“«„", "”»", '"')  # (opening, closing, either)
SINGLE_MARKS = ("‘", "", "’")
OPEN_CONTEXT = "([{—–-/"
CLOSE_CONTEXT = ".,;:!?)]}—–-…"


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding blanks and a trailing comma (kept outside the quoted words)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def quoted_spans(text: str, marks: tuple[str, str, str] = DOUBLE_MARKS) -> list[list[tuple[int, int]]]:
    """Every quotation of `text` as its parts (one per paragraph), spans without the quotation marks.

    `marks` are the opening-only, closing-only and either-way marks. A mark opens
    before a word and closes after one; an opening mark inside an open quotation
    that was opened by another kind of mark is a nested quotation; an opening mark
    of the same kind means the open one was never closed.
    """
    opening, closing, either = marks
    mark_rx = re.compile("[" + re.escape(opening + closing + either) + "]")
    quotes: list[list[tuple[int, int]]] = []
    carry: list[tuple[int, int]] = []  # parts of a quotation running on into the next paragraph
    pos = 0

    def emit(a: int, b: int, running_on: bool) -> None:
        nonlocal carry
        a, b = trim_span(text, a, b)
        parts = carry + ([(a, b)] if a < b else [])
        carry = []
        if running_on:
            carry = parts
        elif parts:
            quotes.append(parts)

    for line in text.split("\n"):
        stripped = line.lstrip()
        if not stripped:
            pos += len(line) + 1
            continue
        if carry and stripped[0] not in opening + either:
            quotes.append(carry)
            carry = []
        open_at, open_mark, nested = None, "", False
        for m in mark_rx.finditer(line):
            i, ch = m.start(), m.group()
            prev = line[i - 1] if i else " "
            nxt = line[i + 1] if i + 1 < len(line) else " "
            can_open = (prev.isspace() or prev in OPEN_CONTEXT or prev in opening + either) and not nxt.isspace()
            can_close = not prev.isspace() and (nxt.isspace() or nxt in CLOSE_CONTEXT or nxt in closing + either)
            if open_at is None:
                if ch in opening or (ch in either and can_open):
                    open_at, open_mark = i, ch
                continue
            if ch in either and open_mark not in either:
                if nested and can_close:
                    nested = False
                elif can_open and not can_close:
                    nested = True
                elif can_close:
                    emit(pos + open_at + 1, pos + i, False)
                    open_at = None
                continue
            if ch in closing or (ch in either and can_close):
                emit(pos + open_at + 1, pos + i, False)
                open_at = None
            elif ch in opening or (ch in either and can_open):
                emit(pos + open_at + 1, pos + i, False)
                open_at, open_mark, nested = i, ch, False
        if open_at is not None:
            emit(pos + open_at + 1, pos + len(line), True)
        pos += len(line) + 1
    if carry:
        quotes.append(carry)
    return quotes
