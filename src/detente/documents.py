"""Readers: turn paths (txt, md, html, jsonl, directories, stdin) into documents.

Every input yields either a `Document` or a `Skipped` carrying the one-line
reason, so that one bad file never stops a batch.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
KNOWN_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
PUBLICATION_YEARS = range(1000, 3000)
HTML_DEPTH = 512  # open elements a browser nests before it adds deeper ones as siblings (Chromium's parser)
LIBXML_HTML_DEPTH = 255  # the HTML parser's own limit: nothing below it is kept
HEADER_LINE = re.compile(r"^# *\w+=")
FRONT_MATTER_CLOSE = re.compile(r"^[^\S\n]*---[^\S\n]*$", re.M)
BLANK_LINES = re.compile(r"(?:[^\S\n]*\n)*")
NON_SPACE = re.compile(r"\S")
NON_SPACE_BYTES = re.compile(rb"\S")
HTML_CHARSET = re.compile(rb"""<meta[^>]*charset=["']?([\w-]+)""", re.I)
UNICODE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


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
    """A `YYYY-MM-DD` date (a datetime's date part is accepted) of a year a publication can have, else None.

    Years outside `PUBLICATION_YEARS` are refused: relative dates counted from them would leave the calendar.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        m = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T ]|\s)", value)
        try:
            value = dt.date(int(m[1]), int(m[2]), int(m[3])) if m else None
        except ValueError:
            value = None
    if isinstance(value, dt.date) and value.year in PUBLICATION_YEARS:
        return value
    return None


def split_metadata(raw: str) -> tuple[dict[str, str], str]:
    """Metadata of a text file (YAML front matter or a `# key=value | …` line) and the body after it.

    Only the head of the text is looked at, so a long text is not split into lines.
    """
    first, _, rest = raw.partition("\n")
    meta: dict[str, str] = {}
    close = FRONT_MATTER_CLOSE.search(rest) if first.strip() == "---" else None
    if close:
        for line in rest[: close.start()].split("\n"):
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("'\"")
        body = rest[close.end() + 1 :]
    elif HEADER_LINE.match(first):
        for pair in first[1:].split(" | "):
            key, _, value = pair.partition("=")
            meta[key.strip().lower()] = value.strip()
        body = rest
    else:
        return {}, raw
    body = body[BLANK_LINES.match(body).end() :]
    return meta, body if NON_SPACE.search(body) else ""


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


def _decode(data: bytes, source: str, warnings: list[str], declared: str | None = None) -> str:
    """UTF-8, else the encoding the file declares (an HTML charset), else UTF-8 with replacement and a warning."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    warnings.append(f"{source}: invalid UTF-8, decoded with replacement characters")
    return data.decode("utf-8", errors="replace")


def _check_text(doc: Document) -> Document | Skipped:
    if not NON_SPACE.search(doc.text):
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
    charset = HTML_CHARSET.search(data[:4096])
    html = _decode(data, source, warnings, charset and charset[1].decode("ascii"))
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
        meta = trafilatura.extract_metadata(html)
        if not text and (deep := _deep_html_tree(html)) is not None:  # past the parser's depth limit: read it
            meta = trafilatura.extract_metadata(deep)
            text = trafilatura.extract(deep, include_comments=False, include_tables=False, favor_recall=True)
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


class _CappedTree:
    """An lxml parser target that builds the page as a browser does past `HTML_DEPTH` open elements: a deeper
    element becomes a sibling at that depth (as Chromium's parser does), so every text is kept, in order."""

    def __init__(self) -> None:
        import lxml.html

        self.make = lxml.html.HTMLParser().makeelement
        self.open: list = []
        self.root = None
        self.last = None  # the element appended last: a text goes into it, or after it once it is closed
        self.closed = False
        self.depth = 0

    def start(self, tag, attrib) -> None:
        element = self.make(tag, dict(attrib))
        if self.open:
            self.open[min(len(self.open), HTML_DEPTH) - 1].append(element)
        elif self.root is None:
            self.root = element
        else:
            return
        self.open.append(element)
        self.depth = max(self.depth, len(self.open))
        self.last, self.closed = element, False

    def end(self, tag) -> None:
        if not self.open:
            return
        element = self.open.pop()
        if len(self.open) < HTML_DEPTH:  # deeper, the element's content follows it as siblings: text goes after them
            self.last = element
        self.closed = True

    def data(self, data: str) -> None:
        if self.last is None:
            return
        if self.closed:
            self.last.tail = (self.last.tail or "") + data
        else:
            self.last.text = (self.last.text or "") + data

    def close(self):
        return self


def _deep_html_tree(html: str):
    """The page's tree when it is nested deeper than the HTML parser builds (libxml2 stops at 256 levels and
    keeps no text below), flattened past `HTML_DEPTH` as a browser renders it; else None."""
    import lxml.etree

    target = _CappedTree()
    parser = lxml.etree.HTMLParser(target=target, encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        lxml.etree.fromstring(html.encode("utf-8", "surrogatepass"), parser)
    except lxml.etree.Error:
        return None
    return target.root if target.root is not None and target.depth > LIBXML_HTML_DEPTH else None


def read_jsonl(data: bytes, source: str, published: dt.date | None) -> Iterator[Document | Skipped]:
    """One document per JSON line; a bad line is skipped with its line number."""
    warnings: list[str] = []
    raw = _decode(data, source, warnings)
    for lineno, line in enumerate(raw.split("\n"), 1):  # not splitlines: U+2028 may stand inside a JSON string
        where = f"{source}:{lineno}"
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"not valid JSON ({exc.msg})")
            continue
        problem = _jsonl_problem(rec)
        if problem:
            yield Skipped(where, problem)
            continue
        meta = {}
        for key in ("id", "url", "title", "published"):
            value = rec.get(key)
            if isinstance(value, (dict, list)):
                warnings.append(f"{where}: {key!r} is a JSON {_json_type(value)}, not a string; ignored")
            elif value not in (None, ""):
                meta[key] = str(value)
        doc = _from_meta(rec["text"], where, meta, published)
        doc.warnings[:0] = warnings
        warnings = []
        yield _check_text(doc)


def _json_type(value: object) -> str:
    names = {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}
    return names.get(type(value), "null")


def _jsonl_problem(rec: object) -> str | None:
    """Why a parsed JSONL line is not an article, or None."""
    if not isinstance(rec, dict):
        return f"a JSON {_json_type(rec)}, not an object with a 'text' field"
    if "text" not in rec:
        return "no 'text' field"
    if not isinstance(rec["text"], str):
        return f"'text' is a JSON {_json_type(rec['text'])}, not a string"
    return None


READERS = {**dict.fromkeys(TEXT_SUFFIXES, read_text), **dict.fromkeys(HTML_SUFFIXES, read_html),
           **dict.fromkeys(JSONL_SUFFIXES, read_jsonl)}  # fmt: skip


def _read_file(path: str, published: dt.date | None, explicit: bool) -> Iterator[Document | Skipped]:
    suffix = os.path.splitext(path)[1].lower()
    reader = READERS.get(suffix)
    if reader is None and not explicit:
        return
    try:
        if stat.S_ISCHR(os.stat(path).st_mode):  # /dev/zero would never end; a pipe (`<(…)`) is read as a file
            yield Skipped(path, "a device, not a file")
            return
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        yield Skipped(path, _os_reason(exc))
        return
    yield from read_bytes(data, path, published, reader or read_text)


def _os_reason(exc: OSError) -> str:
    """The system's reason in lower case, like the other reasons ("no such file or directory")."""
    reason = exc.strerror or "cannot be read"
    return reason[:1].lower() + reason[1:]


def read_bytes(data: bytes, source: str, published: dt.date | None, reader) -> Iterator[Document | Skipped]:
    """A file's or standard input's bytes through `reader`, unless they are empty or binary."""
    bom = next((codec for mark, codec in UNICODE_BOMS if data.startswith(mark)), None)
    if bom:  # UTF-16/32 text has NUL bytes but is not binary
        data = data.decode(bom, errors="replace").encode("utf-8")
    if b"\x00" in data:  # anywhere: a text file with a binary tail is not text either
        yield Skipped(source, "binary file (NUL bytes), not text")
    elif not NON_SPACE_BYTES.search(data):
        yield Skipped(source, "empty file")
    else:
        yield from reader(data, source, published)


def read_inputs(paths: Iterable[str], published: dt.date | None = None) -> Iterator[Document | Skipped]:
    """Documents from every path in turn: files, directories (recursively, sorted) and `-` for stdin."""
    for path in paths:
        if path == "-":
            yield from read_bytes(sys.stdin.buffer.read(), "-", published, read_text)
        elif os.path.isdir(path):
            yield from _read_directory(path, published)
        elif os.path.exists(path):
            yield from _read_file(path, published, explicit=True)
        else:
            yield Skipped(path, "no such file or directory")


def _read_directory(path: str, published: dt.date | None) -> Iterator[Document | Skipped]:
    errors: list[OSError] = []
    found = False
    for root, dirs, files in os.walk(path, onerror=errors.append):
        dirs.sort()
        for name in sorted(files):
            for item in _read_file(os.path.join(root, name), published, explicit=False):
                found = True
                yield item
    for exc in errors:
        yield Skipped(exc.filename or path, _os_reason(exc))
    if not found and not errors:
        yield Skipped(path, f"no {'/'.join(s.lstrip('.') for s in KNOWN_SUFFIXES)} files in this directory")
