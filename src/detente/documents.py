"""Readers: turn paths (txt, md, html, jsonl, directories, stdin) into documents.

Every input yields either a `Document` or a `Skipped` carrying the one-line
reason, so that one bad file never stops a batch.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
KNOWN_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
HEADER_LINE = re.compile(r"^# *\w+=")


@dataclass
class Document:
    """One article as read: the text that offsets point into, and its metadata."""

    text: str
    source: str
    external_id: str | None = None
    title: str | None = None
    published: dt.date | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Skipped:
    """An input that could not be read, with the reason."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: skipped: {self.reason}"


def parse_date(value: object) -> dt.date | None:
    """A `YYYY-MM-DD` date (a datetime's date part is accepted), else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    m = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T ]|\s)", value)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def split_metadata(raw: str) -> tuple[dict[str, str], str]:
    """Metadata of a text file (YAML front matter or a `# key=value | …` line) and the body after it."""
    lines = raw.split("\n")
    meta: dict[str, str] = {}
    stripped = [x.strip() for x in lines]
    if lines and stripped[0] == "---" and "---" in stripped[1:]:
        close = 1 + stripped[1:].index("---")
        for line in lines[1:close]:
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("'\"")
        lines = lines[close + 1 :]
    elif lines and HEADER_LINE.match(lines[0]):
        for pair in lines[0][1:].split(" | "):
            key, _, value = pair.partition("=")
            meta[key.strip().lower()] = value.strip()
        lines = lines[1:]
    else:
        return {}, raw
    while lines and not lines[0].strip():
        lines = lines[1:]
    return meta, "\n".join(lines)


def _from_meta(text: str, source: str, meta: dict, default_published: dt.date | None) -> Document:
    doc = Document(text=text, source=meta.get("url") or meta.get("source") or source)
    doc.external_id = str(meta["id"]) if meta.get("id") not in (None, "") else None
    doc.title = meta.get("title") or None
    raw_date = meta.get("published") or meta.get("date")
    published = parse_date(raw_date)
    if raw_date and published is None:
        doc.warnings.append(f"{source}: date {str(raw_date)[:40]!r} does not parse; published left null")
    doc.published = published or default_published
    return doc


def _decode(data: bytes, source: str, warnings: list[str]) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        warnings.append(f"{source}: invalid UTF-8, decoded with replacement characters")
        return data.decode("utf-8", errors="replace")


def _check_text(doc: Document) -> Document | Skipped:
    if not doc.text.strip():
        return Skipped(doc.source, "empty text")
    return doc


def read_text(data: bytes, source: str, published: dt.date | None) -> Iterator[Document | Skipped]:
    """A plain-text or Markdown document with optional metadata block."""
    warnings: list[str] = []
    raw = _decode(data, source, warnings)
    meta, body = split_metadata(raw)
    doc = _from_meta(body, source, meta, published)
    doc.warnings[:0] = warnings
    yield _check_text(doc)


def read_html(data: bytes, source: str, published: dt.date | None) -> Iterator[Document | Skipped]:
    """The main text of an HTML page, with its title, date and address."""
    import trafilatura

    warnings: list[str] = []
    html = _decode(data, source, warnings)
    if not html.strip():
        yield Skipped(source, "empty file")
        return
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
        meta = trafilatura.extract_metadata(html)
    except Exception as exc:  # trafilatura raises assorted parser errors on broken markup
        yield Skipped(source, f"HTML could not be parsed ({type(exc).__name__})")
        return
    if not text or not re.search(r"[^\W\d_]{2,}", text):
        yield Skipped(source, "no readable main text found in the HTML")
        return
    fields = {"url": getattr(meta, "url", None), "title": getattr(meta, "title", None),
              "date": getattr(meta, "date", None)} if meta else {}  # fmt: skip
    doc = _from_meta(text, source, {k: v for k, v in fields.items() if v}, published)
    doc.warnings[:0] = warnings
    yield _check_text(doc)


def read_jsonl(data: bytes, source: str, published: dt.date | None) -> Iterator[Document | Skipped]:
    """One document per JSON line; a bad line is skipped with its line number."""
    warnings: list[str] = []
    raw = _decode(data, source, warnings)
    for lineno, line in enumerate(raw.splitlines(), 1):
        where = f"{source}:{lineno}"
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            yield Skipped(where, "no 'text' string field")
            continue
        meta = {k: rec[k] for k in ("id", "url", "title", "published") if rec.get(k) not in (None, "")}
        if "title" in meta:
            meta["title"] = str(meta["title"])
        doc = _from_meta(rec["text"], where, meta, published)
        doc.warnings[:0] = warnings
        warnings = []
        yield _check_text(doc)


READERS = {**dict.fromkeys(TEXT_SUFFIXES, read_text), **dict.fromkeys(HTML_SUFFIXES, read_html),
           **dict.fromkeys(JSONL_SUFFIXES, read_jsonl)}  # fmt: skip


def _read_file(path: str, published: dt.date | None, explicit: bool) -> Iterator[Document | Skipped]:
    suffix = os.path.splitext(path)[1].lower()
    reader = READERS.get(suffix)
    if reader is None and not explicit:
        return
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        yield Skipped(path, exc.strerror or "cannot be read")
        return
    if b"\x00" in data[:65536]:
        yield Skipped(path, "binary file (NUL bytes), not text")
        return
    if not data.strip():
        yield Skipped(path, "empty file")
        return
    yield from (reader or read_text)(data, path, published)


def read_inputs(paths: Iterable[str], published: dt.date | None = None) -> Iterator[Document | Skipped]:
    """Documents from every path in turn: files, directories (recursively, sorted) and `-` for stdin."""
    for path in paths:
        if path == "-":
            yield from read_text(sys.stdin.buffer.read(), "-", published)
        elif os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    yield from _read_file(os.path.join(root, name), published, explicit=False)
        elif os.path.exists(path):
            yield from _read_file(path, published, explicit=True)
        else:
            yield Skipped(path, "no such file or directory")
