"""The report block of `detente eval`: what the relationship report of one pair shows, scored against report-level
gold (eval/gold_report/*.json; format in eval/README.md).

The pair corpus is extracted in-process, stored in a DuckDB store in memory,
merged across documents, and the report is built from it exactly as
`detente report` builds it. Then, per gold file:

- events: a gold event is *found* when a report row (timeline, undated,
  not happened, planned or possible, low confidence) carries a source on one
  of its mentions, and *right* when that row also has the gold status and
  date; *merged* (events with mentions in several places) when one row carries
  every mention the report shows, from every document naming it, and no other
  row carries any of them; rows carrying two gold events are false merges.
- figures: a report figure value cited on the gold figure's words, same unit,
  value within 0.5%.
- delegation members: the gold people listed under the gold event's row.
- quote speakers: a report quote on the gold quote's words, filed under the
  gold speaker.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..documents import Document, read_inputs
from ..kb import fold

Span = tuple[int, int]
STATUSES = ("happened", "planned", "not_happened")


class PairGoldError(ValueError):
    """A report gold file that does not follow the format."""


@dataclass
class Mention:
    doc: str  # the gold file's document id
    span: Span


@dataclass
class GoldPairEvent:
    id: str
    what: str
    type: str | None
    direction: str | None
    date: str | None
    status: tuple[str, ...]
    mentions: list[Mention]
    members: list[tuple[str, str | None]]
    optional: bool


@dataclass
class GoldFigure:
    mention: Mention
    value: float
    unit: str
    measure: str | None
    period: str | None
    status: str | None
    from_: str | None
    to: str | None
    optional: bool


@dataclass
class GoldPairQuote:
    mention: Mention
    speaker: str | None


@dataclass
class PairGold:
    name: str
    pair: tuple[str, str]
    documents: dict[str, Document]  # gold id -> document
    events: list[GoldPairEvent]
    figures: list[GoldFigure]
    quotes: list[GoldPairQuote]
    problems: list[str] = field(default_factory=list)

    def doc_hash(self, gold_id: str) -> str:
        return hashlib.sha256(self.documents[gold_id].text.encode("utf-8")).hexdigest()


def _read_document(entry: dict, corpus: Path, cache: dict) -> Document:
    path = corpus / entry["path"]
    if str(path) not in cache:
        docs = [d for d in read_inputs([str(path)]) if isinstance(d, Document)]
        if not docs:
            raise PairGoldError(f"{path}: cannot be read")
        cache[str(path)] = docs
    docs = cache[str(path)]
    if "key" not in entry:
        return docs[0]
    found = [d for d in docs if d.external_id == entry["key"]]
    if not found:
        raise PairGoldError(f"{path}: no document with id {entry['key']!r}")
    return found[0]


def _anchor(rec: dict, documents: dict[str, Document], where: str, word_key: str = "word") -> Mention:
    """The span of `word` inside the passage `in` (unique in the document), or of the passage itself."""
    doc = rec.get("doc")
    if doc not in documents:
        raise PairGoldError(f"{where}: unknown document {doc!r}")
    text = documents[doc].text
    passage = rec["in"]
    at = text.find(passage)
    if at < 0:
        raise PairGoldError(f"{where}: {passage!r} is not in {doc}")
    if text.find(passage, at + 1) >= 0:
        raise PairGoldError(f"{where}: {passage!r} occurs more than once in {doc}")
    word = rec.get(word_key)
    if not word:
        return Mention(doc, (at, at + len(passage)))
    inner = passage.find(word)
    if inner < 0:
        raise PairGoldError(f"{where}: {word!r} is not in {passage!r}")
    return Mention(doc, (at + inner, at + inner + len(word)))


def load(path: Path, corpus: Path) -> PairGold:
    """One report gold file with its texts read from `corpus` (../shared/corpus); PairGoldError when malformed."""
    try:
        with open(path, encoding="utf-8") as fh:
            raw = json.load(fh)
    except (OSError, json.JSONDecodeError) as exc:
        raise PairGoldError(f"{path}: {exc}") from None
    try:
        cache: dict = {}
        documents = {d["id"]: _read_document(d, corpus, cache) for d in raw["documents"]}
        events = []
        for i, e in enumerate(raw.get("events", [])):
            where = f"{path.name}: events[{i}] {e.get('id')}"
            status = e.get("status", "happened")
            status = tuple(status) if isinstance(status, list) else (status,)
            if not set(status) <= set(STATUSES):
                raise PairGoldError(f"{where}: status must be among {STATUSES}")
            mentions = [_anchor(m, documents, where) for m in e["mentions"]]
            members = [(m["name"], m.get("side")) for m in e.get("members", [])]
            events.append(GoldPairEvent(e["id"], e.get("what", ""), e.get("type"), e.get("direction"), e.get("date"),
                                        status, mentions, members, bool(e.get("optional"))))  # fmt: skip
        figures = [
            GoldFigure(_anchor(f, documents, f"{path.name}: figures[{i}]"), float(f["value"]), f["unit"],
                       f.get("measure"), f.get("period"), f.get("status"), f.get("from"), f.get("to"),
                       bool(f.get("optional")))
            for i, f in enumerate(raw.get("figures", []))
        ]  # fmt: skip
        quotes = [
            GoldPairQuote(_anchor(q, documents, f"{path.name}: quotes[{i}]"), q.get("speaker"))
            for i, q in enumerate(raw.get("quotes", []))
        ]
        pair = tuple(raw["pair"])
    except (KeyError, TypeError) as exc:
        raise PairGoldError(f"{path}: missing or malformed field {exc}") from None
    return PairGold(path.stem, pair, documents, events, figures, quotes)  # type: ignore[arg-type]


def load_all(gold_dir: Path, corpus: Path) -> tuple[list[PairGold], list[str]]:
    """Every report gold file of `gold_dir`, and a one-line reason for each that cannot be used."""
    out, skipped = [], []
    for path in sorted(gold_dir.glob("*.json")):
        try:
            out.append(load(path, corpus))
        except PairGoldError as exc:
            skipped.append(f"skipped {exc}")
    return out, skipped


def build(pipeline, gold: PairGold):
    """The report of the gold pair on its texts: extracted by `pipeline`, stored in memory, merged."""
    from ..analysis.pair import resolve_pair
    from ..analysis.relationship import build_report
    from ..report.model import Window
    from ..store import connect
    from ..store.ingest import write_results
    from ..store.merge import merge

    con = connect(":memory:")
    try:
        items = [(d, pipeline.extract(d)) for d in gold.documents.values()]
        write_results(con, items)
        merge(con)
        return build_report(con, resolve_pair(*gold.pair), Window())
    finally:
        con.close()


# --- scoring -------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """A report event row with where it is listed."""

    event: object
    status: str


def _rows(report) -> list[Row]:
    out = [Row(e, "happened") for e in (*report.timeline, *report.undated, *getattr(report, "low_confidence", []))]
    out += [Row(e, "planned") for e in report.planned]
    out += [Row(e, "not_happened") for e in report.not_happened]
    return out


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _same_name(name: str | None, gold: str | None) -> bool:
    """Names match on their folded form, or on the gold surname when one contains the other's last word."""
    if not name or not gold:
        return False
    a, b = fold(name), fold(gold)
    if a == b:
        return True
    aw, bw = a.split(), b.split()
    return bool(aw and bw) and aw[-1] == bw[-1]


def _date_ok(row_date: str | None, gold: str | None) -> bool:
    if gold is None:
        return row_date is None
    return bool(row_date) and row_date.split("/")[0].startswith(gold)


@dataclass
class Tally:
    gold: int = 0
    hits: int = 0
    found: int | None = None  # what the report listed, where precision applies

    @property
    def recall(self) -> float | None:
        return self.hits / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        return self.hits / self.found if self.found else None

    def to_json(self) -> dict:
        out = {"gold": self.gold, "hits": self.hits, "recall": _round(self.recall)}
        if self.found is not None:
            out |= {"found": self.found, "precision": _round(self.precision)}
        return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


@dataclass
class PairScore:
    name: str
    documents: int
    events_found: Tally = field(default_factory=Tally)
    events: Tally = field(default_factory=Tally)  # found with the right status and date
    merges: Tally = field(default_factory=Tally)
    false_merges: int = 0
    rows: int = 0
    rows_on_gold: int = 0
    figures: Tally = field(default_factory=Tally)
    figure_directions: Tally = field(default_factory=Tally)
    members: Tally = field(default_factory=Tally)
    speakers: Tally = field(default_factory=Tally)
    notes: list[str] = field(default_factory=list)

    def to_json(self, verbose: bool = False) -> dict:
        out = {
            "name": self.name, "documents": self.documents, "rows": self.rows, "rows_on_gold": self.rows_on_gold,
            "events_found": self.events_found.to_json(), "events": self.events.to_json(),
            "merges": self.merges.to_json(), "false_merges": self.false_merges, "figures": self.figures.to_json(),
            "figure_directions": self.figure_directions.to_json(), "members": self.members.to_json(),
            "speakers": self.speakers.to_json(),
        }  # fmt: skip
        return out | ({"notes": self.notes} if verbose else {})


def _matches(rows: list[Row], m: Mention, doc: str, gtype: str | None, others: list[Span]) -> list[int]:
    """Rows citing the mention: by a source span on it, else by a source in its sentence (same type) that is not
    on another gold event's mention."""
    direct = [i for i, r in enumerate(rows)
              if any(s.document == doc and _overlaps((s.start, s.end), m.span) for s in r.event.sources)]  # fmt: skip
    if direct:
        return direct
    return [
        i for i, r in enumerate(rows)
        if r.event.type == gtype and any(
            s.document == doc and s.sentence_start <= m.span[0] and m.span[1] <= s.sentence_start + len(s.sentence)
            and not any(_overlaps((s.start, s.end), o) for o in others)
            for s in r.event.sources)
    ]  # fmt: skip


def score(gold: PairGold, report) -> PairScore:
    out = PairScore(gold.name, len(gold.documents))
    rows = _rows(report)
    out.rows = len(rows)
    hashes = {gid: gold.doc_hash(gid) for gid in gold.documents}
    owners: dict[int, set[str]] = {}
    per_event: dict[str, dict[int, list[Mention]]] = {}
    for ge in gold.events:
        hit: dict[int, list[Mention]] = {}
        for m in ge.mentions:
            others = [o.span for g in gold.events if g is not ge for o in g.mentions if o.doc == m.doc]
            for i in _matches(rows, m, hashes[m.doc], ge.type, others):
                hit.setdefault(i, []).append(m)
                owners.setdefault(i, set()).add(ge.id)
        per_event[ge.id] = hit
    out.rows_on_gold = len(owners)
    merged_wrongly = {e for ids in owners.values() if len(ids) > 1 for e in ids}
    out.false_merges = sum(1 for ids in owners.values() if len(ids) > 1)
    for i, ids in owners.items():
        if len(ids) > 1:
            out.notes.append(f"false merge: row {rows[i].event.summary!r} carries {sorted(ids)}")
    principal: dict[str, int] = {}
    for ge in gold.events:
        hit = per_event[ge.id]
        if hit:
            principal[ge.id] = max(hit, key=lambda i: (len(hit[i]), -i))
        if ge.optional:
            continue
        out.events_found.gold += 1
        out.events.gold += 1
        if not hit:
            out.notes.append(f"event missed: {ge.id} ({ge.what})")
            continue
        out.events_found.hits += 1
        row = rows[principal[ge.id]]
        if row.status in ge.status and _date_ok(row.event.date, ge.date):
            out.events.hits += 1
        else:
            out.notes.append(f"event wrong: {ge.id}: shown as {row.status} {row.event.date} "
                             f"({row.event.summary!r}); gold {'/'.join(ge.status)} {ge.date}")  # fmt: skip
        places = {(m.doc, m.span) for m in ge.mentions}
        if len(places) > 1:
            out.merges.gold += 1
            shown = {(m.doc, m.span) for ms in hit.values() for m in ms}
            docs = {m.doc for m in ge.mentions}
            one = rows[principal[ge.id]]
            covered_docs = {m.doc for m in hit[principal[ge.id]]}
            if len(hit) == 1 and covered_docs == docs and ge.id not in merged_wrongly:
                out.merges.hits += 1
            else:
                out.notes.append(f"not merged: {ge.id}: {len(hit)} rows for {len(shown)} of {len(places)} mentions "
                                 f"in {sorted(covered_docs)} of {sorted(docs)} ({one.event.summary!r})")  # fmt: skip
    for i, r in enumerate(rows):
        if i not in owners:
            out.notes.append(f"row on no gold event: {r.status}: {r.event.summary}")
    _score_figures(gold, report, hashes, out)
    _score_members(gold, report, rows, principal, out)
    _score_quotes(gold, report, hashes, out)
    return out


def _score_figures(gold: PairGold, report, hashes: dict[str, str], out: PairScore) -> None:
    values = [(f, v) for f in report.figures for v in f.values]
    for gf in gold.figures:
        doc = hashes[gf.mention.doc]
        found = next(
            ((f, v) for f, v in values
             if f.unit == gf.unit and abs(v.value - gf.value) <= 0.005 * max(abs(gf.value), 1e-9)
             and any(s.document == doc and _overlaps((s.start, s.end), gf.mention.span) for s in v.sources)),
            None,
        )  # fmt: skip
        if gf.optional:
            continue
        out.figures.gold += 1
        out.figure_directions.gold += 1
        if found is None:
            out.notes.append(f"figure missed: {gf.value:g} {gf.unit} ({gf.measure})")
            continue
        out.figures.hits += 1
        f = found[0]
        if (f.from_, f.to) == (gf.from_, gf.to):
            out.figure_directions.hits += 1
        else:
            out.notes.append(f"figure direction: {gf.value:g} {gf.unit}: {f.from_} → {f.to}, gold {gf.from_} → {gf.to}")


def _score_members(gold: PairGold, report, rows: list[Row], principal: dict[str, int], out: PairScore) -> None:
    by_event = {}
    for d in report.delegations:
        by_event.setdefault(d.event, []).extend(d.members)
    found = 0
    for ge in gold.events:
        if ge.optional or not ge.members:
            continue
        out.members.gold += len(ge.members)
        row = principal.get(ge.id)
        members = by_event.get(rows[row].event.id, []) if row is not None else []
        found += len(members)
        for name, side in ge.members:
            if any(_same_name(m.entity.name, name) and (side is None or m.entity.side == side) for m in members):
                out.members.hits += 1
            else:
                out.notes.append(f"member missed: {name} at {ge.id}")
        for m in members:
            if not any(_same_name(m.entity.name, name) for name, _ in ge.members):
                out.notes.append(f"member not in gold: {m.entity.name} at {ge.id}")
    out.members.found = found


def _score_quotes(gold: PairGold, report, hashes: dict[str, str], out: PairScore) -> None:
    for gq in gold.quotes:
        out.speakers.gold += 1
        doc = hashes[gq.mention.doc]
        voices = [
            v
            for v in report.quotes
            for q in v.quotes
            if any(s.document == doc and _overlaps((s.start, s.end), gq.mention.span) for s in q.sources)
        ]
        if not voices:
            out.notes.append(f"quote missed: {gq.speaker}: {gq.mention}")
            continue
        who = [v.speaker.name if v.speaker else v.speaker_text for v in voices]
        if any(_same_name(w, gq.speaker) for w in who):
            out.speakers.hits += 1
        else:
            out.notes.append(f"quote speaker: {who} for {gq.speaker}")
