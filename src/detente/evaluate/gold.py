"""Gold annotation files (eval/GOLD_FORMAT.md): loading into typed records, and checking them against the text.

A file that cannot be read as the format says raises `GoldError` (the
evaluation skips it with that reason); `check` lists the content problems of
a file that loads (spans out of the text or cutting a word, values outside
the contract's enumerations, speakers that name no entity), which are
reported but do not stop the evaluation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..documents import Document, read_inputs
from ..schema import ENTITY_KINDS, EVENT_TYPES, ORG_TYPES, SECTORS

SpanT = tuple[int, int]
CODE = re.compile(r"^[A-Z]{3}$")
_ONE = r"\d{4}(-\d{2}(-\d{2})?)?"
DATE = re.compile(rf"^{_ONE}(/{_ONE})?$")
PERIOD = re.compile(rf"^{_ONE}(/({_ONE}|\.\.))?$")
UNTYPED_SUBTYPES = ("appointment", "election")


class GoldError(ValueError):
    """A gold file that does not follow the format."""


@dataclass(frozen=True)
class GoldRole:
    title: str
    sector: str
    former: bool
    span: SpanT


@dataclass(frozen=True)
class GoldEntity:
    name: str
    kind: str
    country: str | None
    mentions: tuple[SpanT, ...]
    roles: tuple[GoldRole, ...]
    type: str | None = None


@dataclass(frozen=True)
class GoldEvent:
    type: str | None
    subtype: str | None
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    date: str | None
    trigger: SpanT
    evidence: tuple[SpanT, ...]  # other spans naming the same event

    @property
    def triggers(self) -> tuple[SpanT, ...]:
        return (self.trigger, *self.evidence)


@dataclass(frozen=True)
class GoldQuantity:
    value: float
    unit: str
    measure: str | None
    period: str | None
    span: SpanT


@dataclass(frozen=True)
class GoldQuote:
    speaker: str | None
    speakers: tuple[str, ...]  # every speaker when several speak together; `speaker` first
    direct: bool
    span: SpanT


@dataclass
class GoldDoc:
    file: str
    published: str | None
    document: Document
    entities: list[GoldEntity]
    events: list[GoldEvent]
    quantities: list[GoldQuantity]
    quotes: list[GoldQuote]

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def stem(self) -> str:
        return Path(self.file).stem


def _need(rec: dict, key: str, kinds: type | tuple[type, ...], where: str, nullable: bool = False):
    if not isinstance(rec, dict):
        raise GoldError(f"{where}: not an object")
    if key not in rec:
        raise GoldError(f"{where}: missing {key!r}")
    value = rec[key]
    if value is None and nullable:
        return None
    if not isinstance(value, kinds) or (isinstance(value, bool) and kinds is not bool):
        raise GoldError(f"{where}: {key!r} has the wrong type ({type(value).__name__})")
    return value


def _span(value, where: str) -> SpanT:
    if (
        not isinstance(value, (list, tuple))
        or len(value) != 2
        or not all(isinstance(x, int) and not isinstance(x, bool) for x in value)
    ):
        raise GoldError(f"{where}: a span must be [start, end], got {value!r}")
    return int(value[0]), int(value[1])


def _codes(values, where: str) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise GoldError(f"{where}: expected a list of country codes, got {values!r}")
    return tuple(values)


def _entity(rec: dict, where: str) -> GoldEntity:
    name, kind = _need(rec, "name", str, where), _need(rec, "kind", str, where)
    country = _need(rec, "country", str, where, nullable=True)
    mentions = tuple(_span(m, f"{where}.mentions[{j}]") for j, m in enumerate(_need(rec, "mentions", list, where)))
    roles = []
    for j, r in enumerate(_need(rec, "roles", list, where)):
        w = f"{where}.roles[{j}]"
        roles.append(
            GoldRole(
                title=_need(r, "title", str, w),
                sector=_need(r, "sector", str, w),
                former=bool(r.get("former", False)),
                span=(_need(r, "start", int, w), _need(r, "end", int, w)),
            )
        )
    return GoldEntity(name, kind, country, mentions, tuple(roles), rec.get("type"))


def _event(rec: dict, where: str) -> GoldEvent:
    return GoldEvent(
        type=_need(rec, "type", str, where, nullable=True),
        subtype=rec.get("subtype"),
        actors=_codes(_need(rec, "actors", list, where), f"{where}.actors"),
        recipients=_codes(_need(rec, "recipients", list, where), f"{where}.recipients"),
        date=_need(rec, "date", str, where, nullable=True),
        trigger=_span(_need(rec, "trigger", list, where), f"{where}.trigger"),
        evidence=tuple(_span(s, f"{where}.evidence[{j}]") for j, s in enumerate(rec.get("evidence") or [])),
    )


def _quantity(rec: dict, where: str) -> GoldQuantity:
    return GoldQuantity(
        value=float(_need(rec, "value", (int, float), where)),
        unit=_need(rec, "unit", str, where),
        measure=rec.get("measure"),
        period=_need(rec, "period", str, where, nullable=True),
        span=(_need(rec, "start", int, where), _need(rec, "end", int, where)),
    )


def _quote(rec: dict, where: str) -> GoldQuote:
    speaker = _need(rec, "speaker", str, where, nullable=True)
    speakers = tuple(rec.get("speakers") or ([speaker] if speaker else []))
    return GoldQuote(
        speaker=speaker,
        speakers=speakers,
        direct=bool(_need(rec, "direct", bool, where)),
        span=(_need(rec, "start", int, where), _need(rec, "end", int, where)),
    )


def parse(raw: dict, document: Document, file: str) -> GoldDoc:
    """The typed records of one gold file's JSON; `GoldError` when it does not follow the format."""
    layers = {}
    for key, build in (("entities", _entity), ("events", _event), ("quantities", _quantity), ("quotes", _quote)):
        layers[key] = [build(rec, f"{key}[{i}]") for i, rec in enumerate(_need(raw, key, list, "file"))]
    return GoldDoc(file=file, published=raw.get("published"), document=document, **layers)


def _cuts_word(text: str, span: SpanT) -> bool:
    start, end = span
    return (0 < start and text[start - 1].isalnum() and text[start].isalnum()) or (
        end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
    )


def _span_problem(text: str, span: SpanT) -> str | None:
    start, end = span
    if not 0 <= start < end <= len(text):
        return f"span {start}:{end} lies outside the text (length {len(text)})"
    if not text[start:end].strip():
        return f"span {start}:{end} is blank"
    if _cuts_word(text, span):
        return f"span {start}:{end} ({text[start:end]!r}) cuts a word"
    return None


def check(gold: GoldDoc) -> list[str]:
    """The content problems of a loaded gold file, each naming the record it is in."""
    text, problems = gold.text, []

    def span(where: str, s: SpanT) -> None:
        if p := _span_problem(text, s):
            problems.append(f"{where}: {p}")

    def code(where: str, c: str | None) -> None:
        if c is not None and not CODE.match(c):
            problems.append(f"{where}: country code {c!r} is not three capital letters")

    published = gold.document.published.isoformat() if gold.document.published else None
    if gold.published != published:
        problems.append(f"published {gold.published!r} differs from the text's header date {published!r}")
    names = {e.name for e in gold.entities}
    for i, e in enumerate(gold.entities):
        where = f"entities[{i}] {e.name!r}"
        if e.kind not in ENTITY_KINDS:
            problems.append(f"{where}: kind {e.kind!r}")
        if e.type is not None and e.type not in ORG_TYPES:
            problems.append(f"{where}: organization type {e.type!r}")
        code(where, e.country)
        if not e.mentions:
            problems.append(f"{where}: no mentions")
        for m in e.mentions:
            span(where, m)
        for r in e.roles:
            if r.sector not in SECTORS:
                problems.append(f"{where}: role sector {r.sector!r}")
            span(f"{where} role {r.title!r}", r.span)
    for i, ev in enumerate(gold.events):
        where = f"events[{i}] {ev.type}"
        if ev.type is None and ev.subtype not in UNTYPED_SUBTYPES:
            problems.append(f"{where}: a null type is only for the subtypes {UNTYPED_SUBTYPES}")
        if ev.type is not None and ev.type not in EVENT_TYPES:
            problems.append(f"{where}: type {ev.type!r} is not a PLOVER 2.0 type")
        for c in ev.actors + ev.recipients:
            code(where, c)
        if ev.date is not None and not DATE.match(ev.date):
            problems.append(f"{where}: date {ev.date!r}")
        for s in ev.triggers:
            span(where, s)
    for i, q in enumerate(gold.quantities):
        if q.period is not None and not PERIOD.match(q.period):
            problems.append(f"quantities[{i}]: period {q.period!r}")
        span(f"quantities[{i}]", q.span)
    for i, u in enumerate(gold.quotes):
        for s in u.speakers:
            if s not in names:
                problems.append(f"quotes[{i}]: speaker {s!r} is not the name of an entity of the file")
        span(f"quotes[{i}]", u.span)
    return problems


def load(path: Path, corpus: Path) -> GoldDoc:
    """One gold file with its text read from `corpus`; `GoldError` with the reason when it cannot be used."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"cannot be read ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise GoldError(f"not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    file = raw.get("file") if isinstance(raw, dict) else None
    if not isinstance(file, str) or Path(file).stem != path.stem:
        raise GoldError(f"'file' is {file!r}, expected {path.stem}.txt")
    source = corpus / file
    if not source.is_file():
        raise GoldError(f"no text {source}")
    document = next(iter(read_inputs([str(source)])))
    if not isinstance(document, Document):
        raise GoldError(f"text {source}: {document.reason}")
    return parse(raw, document, file)


def gold_files(gold_dir: Path, only: list[str] | None = None) -> list[Path]:
    """The gold files of a directory, in name order; with `only`, those whose name starts with one of its prefixes."""
    files = sorted(gold_dir.glob("*.json"))
    return [f for f in files if not only or any(f.name.startswith(p) for p in only)]


@dataclass
class GoldSet:
    """The usable gold documents, the files skipped (with reasons) and the content problems found."""

    documents: list[GoldDoc]
    skipped: list[str]
    problems: list[str]


def load_all(gold_dir: Path, corpus: Path, only: list[str] | None = None) -> GoldSet:
    out = GoldSet([], [], [])
    for path in gold_files(gold_dir, only):
        try:
            doc = load(path, corpus)
        except GoldError as exc:
            out.skipped.append(f"{path.name}: skipped: {exc}")
            continue
        out.documents.append(doc)
        out.problems += [f"{path.name}: {p}" for p in check(doc)]
    return out
