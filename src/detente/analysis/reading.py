"""The analyst's reading of a pair from the stored facts: certainty, disclosure lag, inferences, absences,
contradictions, name notes and the pair among all pairs (`Report.reading`, docs/report.md).

Built on the report's own timeline and figures; reads the extraction's reading fields where the store keeps
them (`facts.record_reading`, `facts.absences_between`) and otherwise derives what the stored fields allow:
`claimed` from `asserted_by`, `hedged` from `hypothetical`, absences from negated events.
"""

from __future__ import annotations

import difflib
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import yaml

from ..kb import PEOPLE, fold, load_kb
from ..report import reading_model as m
from ..report.model import Figure, Pair, Ref, Source
from . import facts
from .cite import Library, dedupe
from .config import config
from .pairs import distance, rank_pairs
from .timeline import PairEvent, Timeline, direction, ref
from .window import DateWindow, bounds

DATA = Path(__file__).parent / "data" / "reading.yaml"
FIRMNESS = {"reported": 0, "claimed": 1, "inferred": 2, "hedged": 3}  # the firmest source of a fact wins
DOUBTFUL = ("inferred", "hedged")


@lru_cache(maxsize=1)
def settings() -> dict:
    with open(DATA, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass
class _Certain:
    value: str
    cue: m.CueSource | None


def _row_certainty(stored: facts.ReadingRow | None, doc: str, text: str, hypothetical: bool, asserted: bool,
                   doubtful_status: bool = False) -> _Certain:  # fmt: skip
    if stored is not None and stored.certainty:
        cue = None
        if stored.cue_start is not None and stored.cue_end is not None:
            cue = m.CueSource(text[stored.cue_start : stored.cue_end], doc, stored.cue_start, stored.cue_end)
        return _Certain(stored.certainty, cue)
    if hypothetical or doubtful_status:
        return _Certain("hedged", None)
    return _Certain("claimed" if asserted else "reported", None)


def _firmest(values: list[_Certain]) -> _Certain:
    return min(values, key=lambda c: FIRMNESS.get(c.value, 0))


class _Builder:
    def __init__(self, con: duckdb.DuckDBPyConnection, pair: Pair, window: DateWindow, tl: Timeline,
                 figures: list[Figure], library: Library):  # fmt: skip
        self.con, self.pair, self.window, self.tl, self.figures, self.library = con, pair, window, tl, figures, library
        self.events = tl.timeline + tl.undated + tl.not_happened + tl.planned + tl.low_confidence
        keys = {(r.doc, r.local_id) for pe in self.events for r in pe.rows}
        self.event_reading = facts.record_reading(con, "event_sources", keys)
        figure_keys = {tuple(v.id.split("/", 1)) for f in figures for v in f.values}
        self.figure_reading = facts.record_reading(con, "quantities", figure_keys)
        self.reasons: dict[str, str] = {}
        if keys and not self.event_reading:
            self.reasons["certainty"] = ("the store keeps no certainty cues or disclosure dates (older store): "
                                         "certainty derived from asserted_by and hypothetical")  # fmt: skip

    def cue_source(self, cue: m.CueSource | None) -> list[Source]:
        return [self.library.source(cue.document, cue.start, cue.end)] if cue else []

    # --- certainty and inferences ---

    def event_certainty(self, pe: PairEvent) -> _Certain:
        out = []
        for r in pe.rows:
            text = self.library.text(r.doc).text
            asserted = any(p.relation == "asserted_by" for p in r.participants)
            out.append(_row_certainty(self.event_reading.get((r.doc, r.local_id)), r.doc, text, r.hypothetical,
                                      asserted))  # fmt: skip
        return _firmest(out)

    def figure_certainty(self, fig: Figure, value) -> _Certain:
        doc, local = value.id.split("/", 1)
        return _row_certainty(self.figure_reading.get((doc, local)), doc, self.library.text(doc).text, False,
                              value.asserted_by is not None, value.status in ("forecast", "estimate"))  # fmt: skip

    def certainty(self) -> tuple[dict[str, dict[str, int]], list[m.Inference]]:
        counts = {"events": Counter(), "figures": Counter()}
        inferences = []
        for pe in self.events:
            c = self.event_certainty(pe)
            counts["events"][c.value] += 1
            if c.value in DOUBTFUL:
                ev = pe.event
                sources = dedupe(ev.sources + self.cue_source(c.cue))
                inferences.append(m.Inference("event", ev.id, ev.summary, c.value, c.cue, sources))
        for fig in self.figures:
            for v in fig.values:
                c = self.figure_certainty(fig, v)
                counts["figures"][c.value] += 1
                if c.value in DOUBTFUL:
                    what = " ".join(x for x in (fig.measure or "figure", fig.period) if x)
                    sources = dedupe(v.sources + self.cue_source(c.cue))
                    inferences.append(m.Inference("figure", v.id, f"{what}: {v.text}", c.value, c.cue, sources))
        ordered = {k: {c: counts[k][c] for c in FIRMNESS if counts[k][c]} for k in counts}
        return ordered, inferences

    # --- disclosure ---

    def disclosures(self) -> m.Disclosures:
        cfg, s = config(), settings()
        out = []
        for pe in self.tl.happened + self.tl.planned:
            ev = pe.event
            span = bounds(ev.date)
            if span is None:
                continue
            stated = []
            for r in pe.rows:
                row = self.event_reading.get((r.doc, r.local_id))
                if row and row.disclosure and bounds(row.disclosure):
                    stated.append((bounds(row.disclosure)[0], row.disclosure, r.doc, row))
            if stated:
                day, value, doc, row = min(stated, key=lambda x: x[0])
                basis = "stated"
                sources = [self.library.source(doc, row.disclosure_start, row.disclosure_end)]
            else:
                if not s.get("first_report_lags", False):  # a lag the text does not state is no lag
                    continue
                first = min((r for r in pe.rows if r.published), key=lambda r: r.published, default=None)
                if first is None or ev.precision not in s["first_report_precisions"]:
                    continue
                day, value, basis = first.published, first.published.isoformat(), "first_reported"
                sources = []
                lag = (day - span[0]).days
                if not s["first_report_min_days"] <= lag <= s["first_report_max_days"]:
                    continue
            lag = (day - span[0]).days
            if lag < 0:
                continue
            category = next((rule.category for rule in cfg.flows if rule.counts_event(ev.type, ev.mode, ev.subtype)),
                            None)  # fmt: skip
            out.append(m.DisclosedEvent(ev.id, ev.summary, category, ev.date, value, basis, lag,
                                      dedupe(ev.sources + sources)))  # fmt: skip
        return m.Disclosures(out, self._patterns(out))

    def _patterns(self, events: list[m.DisclosedEvent]) -> list[m.DisclosurePattern]:
        labels = {rule.category: rule.label for rule in config().flows}
        groups: dict[str, list[m.DisclosedEvent]] = defaultdict(list)
        for d in events:
            groups[d.category or "other"].append(d)
        out = []
        for category in sorted(groups, key=lambda c: (-len(groups[c]), c)):
            items = groups[category]
            median = int(statistics.median(d.lag_days for d in items))
            stated = sum(d.basis == "stated" for d in items)
            label = labels.get(category, "other events")
            events = f"{len(items)} event{'s' if len(items) != 1 else ''}"
            text = (f"{label}: median lag {_months(median)} between the event and its disclosure over {events} "
                    f"({stated} with a stated disclosure date)")  # fmt: skip
            out.append(m.DisclosurePattern(category, label, len(items), median, text,
                                         dedupe([s for d in items for s in d.sources[:1]])))  # fmt: skip
        return out

    # --- absences ---

    def absences(self) -> list[m.AbsenceItem]:
        a, b = self.pair.a.code, self.pair.b.code
        by_local = {(r.doc, r.local_id): pe.event.id for pe in self.events for r in pe.rows}
        stored = facts.absences_between(self.con, a, b)
        out, covered = [], set()
        if stored is None:
            self.reasons["absences"] = ("the store keeps no absence statements (older store): only negated events "
                                        "are listed")  # fmt: skip
        self.library.load({x.doc for x in stored or ()})
        for x in stored or ():
            if not self.window.admits(None, x.published):
                continue
            event = by_local.get((x.doc, x.negated_event)) if x.negated_event else None
            covered.add(event)
            concerns = list({p.entity: ref(p) for p in x.participants}.values())
            src = self.library.source(x.doc, x.start, x.end, (x.sentence_start, x.sentence_end))
            out.append(m.AbsenceItem(x.key, x.what, x.text, concerns, event,
                                   x.published and x.published.isoformat(), [src]))  # fmt: skip
        for pe in self.tl.not_happened:
            ev = pe.event
            if ev.id not in covered:
                what = ev.object or (ev.subtype or ev.type or "event").replace("_", " ").lower()
                published = min((r.published for r in pe.rows if r.published), default=None)
                out.append(m.AbsenceItem(ev.id, what, ev.summary, ev.actors + ev.recipients, ev.id,
                                       published and published.isoformat(), ev.sources))  # fmt: skip
        return out

    # --- contradictions ---

    def contradictions(self) -> list[m.Contradiction]:
        out = []
        for fig in self.figures:
            if fig.disagreement:
                subject = " ".join(x for x in (fig.measure or "figure", fig.period, f"({fig.unit})") if x)
                claims = [m.Claim(v.text, repr(v.value), v.sources) for v in fig.values]
                out.append(m.Contradiction("figure", subject, claims, dedupe([s for c in claims for s in c.sources])))
        for pe in self.tl.happened + self.tl.planned:
            out.extend(self._event_conflicts(pe))
        out.extend(self._denials())
        return out

    def _event_conflicts(self, pe: PairEvent) -> list[m.Contradiction]:
        if len({r.doc for r in pe.rows}) < 2:
            return []
        out = []
        dates: dict[str, list[facts.EventRow]] = defaultdict(list)
        ways: dict[str, list[facts.EventRow]] = defaultdict(list)
        for r in pe.rows:
            if r.date_value:
                dates[r.date_value].append(r)
            way = direction(self.pair, r.subtype, r.type, r.participants)
            if way in ("a_to_b", "b_to_a"):
                ways[way].append(r)

        def cited(rows: list[facts.EventRow]) -> list[Source]:
            return [self.library.source(r.doc, r.trigger_start, r.trigger_end, (r.sentence_start, r.sentence_end))
                    for r in rows]  # fmt: skip

        spans = {v: bounds(v) for v in dates}
        if any(spans[x] and spans[y] and (spans[x][1] < spans[y][0] or spans[y][1] < spans[x][0])
               for x in spans for y in spans):  # fmt: skip
            claims = [m.Claim(f"dated {v}", v, cited(rows)) for v, rows in sorted(dates.items())]
            out.append(
                m.Contradiction("date", pe.event.summary, claims, dedupe([s for c in claims for s in c.sources]))
            )
        if len(ways) == 2:
            names = {"a_to_b": f"{self.pair.a.name} → {self.pair.b.name}",
                     "b_to_a": f"{self.pair.b.name} → {self.pair.a.name}"}  # fmt: skip
            claims = [m.Claim(names[w], w, cited(rows)) for w, rows in sorted(ways.items())]
            out.append(m.Contradiction("direction", pe.event.summary, claims,
                                     dedupe([s for c in claims for s in c.sources])))  # fmt: skip
        return out

    def _denials(self) -> list[m.Contradiction]:
        """A negated event against one that happened: same subtype (else type) and direction, other documents."""
        out = []
        for neg in self.tl.not_happened:
            n = neg.event
            docs = {r.doc for r in neg.rows}
            for pe in self.tl.happened:
                e = pe.event
                same = (e.subtype or e.type) == (n.subtype or n.type) and e.direction == n.direction
                span_e, span_n = bounds(e.date), bounds(n.date)
                overlap = not (span_e and span_n) or (span_e[0] <= span_n[1] and span_n[0] <= span_e[1])
                if same and overlap and not docs & {r.doc for r in pe.rows}:
                    claims = [m.Claim("happened", None, e.sources), m.Claim("did not happen", None, n.sources)]
                    out.append(m.Contradiction("denial", e.summary, claims, dedupe(e.sources + n.sources)))
        return out

    # --- names and sources ---

    def names(self, docs: set[str]) -> tuple[list[m.NameNote], list[m.SourceNote]]:
        s = settings()
        unlike = [(form, name) for form, name in facts.name_spellings(self.con, docs)
                  if _spelt_unlike(fold(form), fold(name), s)]  # fmt: skip
        groups = facts.name_forms(self.con, docs, unlike) if unlike else []
        per_doc = Counter(d for g in groups for d in g.documents)  # names spelt otherwise in each document
        people = load_kb(parts=PEOPLE).people if any(g.kb_id for g in groups) else {}
        notes = []
        for g in groups:
            canonical = people[g.kb_id].name if g.kb_id in people else g.name
            sources = dedupe([self.library.source(*mention) for mention in g.first])
            notes.append(m.NameNote(Ref(g.entity, g.name, g.kind, g.country), g.form, canonical, g.kb_id,
                                    len(g.documents), sources))  # fmt: skip
        debris = facts.debris(self.con, docs)
        doubtful = sorted(set(debris) | {d for d, n in per_doc.items() if n >= s["name_notes_per_document"]})
        self.library.load(doubtful)
        source_notes = []
        for doc in doubtful:
            spans, n = debris.get(doc, []), per_doc.get(doc, 0)
            parts = [
                f"{len(spans)} passage{'s' if len(spans) != 1 else ''} of broken or machine-translated text"
                if spans
                else "",
                f"{n} name{'s' if n != 1 else ''} spelt unlike the knowledge base" if n else "",
            ]
            row = self.library.rows.get(doc)
            sources = [self.library.source(doc, a, b) for a, b in spans[:3]]
            text = "doubtful source text: " + "; ".join(p for p in parts if p)
            source_notes.append(m.SourceNote(doc, row.title if row else None, len(spans), n, text, sources))
        return notes, source_notes

    # --- the pair among all pairs ---

    def comparable(self) -> m.Comparable:
        s = settings()
        rows = rank_pairs(self.con)
        codes = {self.pair.a.code, self.pair.b.code}
        index = next((i for i, r in enumerate(rows) if {r.a, r.b} == codes), None)
        if index is None:
            return m.Comparable(None, len(rows), None, "no directed or joint event between the two sides in the store",
                              [])  # fmt: skip
        me = rows[index]
        others = [
            r for r in rows if r is not me and sum(r.directed.values()) >= s["comparable_min_facts"]
            and distance(me, r) <= s["comparable_max_distance"]
        ]  # fmt: skip
        others.sort(key=lambda r: (distance(me, r), abs(r.asymmetry - me.asymmetry), r.a, r.b))
        similar = []
        for r in others[: s["comparable_count"]]:
            sources = [self.library.source(c.document, c.start, c.end) for c in r.sources[:2]]
            text = (f"a similar relationship exists between {r.a_name} and {r.b_name} "
                    f"(asymmetry {r.asymmetry}; {r.text})")  # fmt: skip
            similar.append(m.Similar(r.a, r.b, r.asymmetry, distance(me, r), text, sources))
        text = (f"{me.a_name}–{me.b_name} ranks {index + 1} of {len(rows)} pairs in the store by asymmetry "
                f"({me.asymmetry}): {me.text}")  # fmt: skip
        if similar:
            text += f"; {similar[0].text}"
        own = [self.library.source(c.document, c.start, c.end) for c in me.sources[:2]]
        return m.Comparable(index + 1, len(rows), me.asymmetry, text, similar, own)


def _months(days: int) -> str:
    if days < 45:
        return f"{days} days"
    months = round(days / 30.44)
    return f"{months} months" if months < 24 else f"{round(days / 365.25, 1)} years"


def _spelt_unlike(form: str, name: str, s: dict) -> bool:
    """Whether a mention's folded `form` is the folded canonical `name` spelt otherwise, not a part or an extension."""
    words = form.split()
    if len(words) < s["name_min_words"] or form == name or set(words) <= set(name.split()):
        return False
    return (
        not set(name.split()) <= set(words)
        and difflib.SequenceMatcher(None, form, name).ratio() >= s["name_min_similarity"]
    )


def build_reading(con: duckdb.DuckDBPyConnection, pair: Pair, window: DateWindow, tl: Timeline,
                  figures: list[Figure], library: Library, docs: set[str]) -> m.Reading:  # fmt: skip
    """The reading of the pair over the report's own events and figures; `docs` are the documents about it."""
    b = _Builder(con, pair, window, tl, figures, library)
    counts, inferences = b.certainty()
    disclosures = b.disclosures()
    absences = b.absences()
    contradictions = b.contradictions()
    name_notes, source_notes = b.names(docs)
    comparable = b.comparable()
    return m.Reading(counts, disclosures, inferences, absences, contradictions, name_notes, source_notes, comparable,
                   b.reasons)  # fmt: skip
