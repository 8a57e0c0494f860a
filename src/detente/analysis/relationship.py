"""The relationship between two sides, rebuilt from the stored facts: the whole report in one call."""

from __future__ import annotations

import duckdb

from ..report.model import DocumentInfo, Pair, Report, Window
from . import facts
from .actors import PEOPLE_KINDS, build_actors
from .balance import build_balance
from .cite import Library
from .delegations import build_delegations, is_meeting
from .figures import build_figures, one_side_in_pair_sentence
from .reading import build_reading
from .roles import RoleIndex
from .summary import build_notices, build_summary
from .timeline import build_timeline
from .voices import build_voices, event_sentences, pair_quotes
from .window import DateWindow, parse_bound


def date_window(window: Window) -> DateWindow:
    """The window's bounds as days; ValueError naming a bound that is not a date."""
    return DateWindow(parse_bound(window.since, last=False), parse_bound(window.until, last=True))


def _reasons(report: Report, unmerged: bool) -> dict[str, str]:
    a, b = report.pair.a.name, report.pair.b.name
    window = report.window
    where = "".join(f" {k} {v}" for k, v in (("since", window.since), ("until", window.until)) if v)
    why = {}
    if unmerged:
        why["store"] = ("documents stored since the last merge: an event reported by several of them appears once "
                        "per document (`detente ingest` merges)")  # fmt: skip
    if not any(d.about_pair for d in report.documents):
        why["report"] = f"no stored fact involves both {a} and {b}{where}"
        return why
    empty = {
        "timeline": not (
            report.timeline or report.undated or report.not_happened or report.planned or report.low_confidence
        ),
        "figures": not report.figures,
        "quotes": not report.quotes,
        "delegations": not report.delegations,
    }
    what = {"timeline": "event", "figures": "figure", "quotes": "quote", "delegations": "meeting naming anyone present"}
    for key, is_empty in empty.items():
        if is_empty:
            why[key] = f"no {what[key]} between {a} and {b} in the store{where}"
    return why


def build_report(con: duckdb.DuckDBPyConnection, pair: Pair, window: Window) -> Report:
    """The report of `pair` from the store behind `con`, limited to `window`."""
    days = date_window(window)
    a, b = pair.a.code, pair.b.code
    library = Library(con)
    tl = build_timeline(facts.events_between(con, a, b), pair, days, library)
    events = tl.timeline + tl.undated + tl.not_happened + tl.planned + tl.low_confidence
    event_docs = {r.doc for pe in events for r in pe.rows}
    linked = {f"{r.doc}/{q}" for pe in events for r in pe.rows for q in r.quantities}
    pair_rows = facts.quantities_between(con, a, b, linked)
    one_side, side_mentions = facts.quantities_of_one_side(con, a, b)
    pair_rows += one_side_in_pair_sentence(one_side, side_mentions, pair, library, {r.key for r in pair_rows})
    figures = build_figures(pair_rows, pair, days, library)
    quotes = pair_quotes(facts.quotes_between(con, a, b, event_sentences(events)), days)
    fact_docs = event_docs | {v.sources[0].document for f in figures for v in f.values} | {q.doc for q in quotes}
    named = facts.side_entities(con, fact_docs, (a, b), PEOPLE_KINDS)
    people = {q.speaker.entity for q in quotes if q.speaker} | {e.entity for e in named}
    roles = RoleIndex(con, people | {p.entity for pe in events for p in pe.participants})
    voices = build_voices(quotes, roles, library)
    meetings = [pe for pe in tl.happened if is_meeting(pe)]
    present = facts.side_mentions(con, {r.doc for pe in meetings for r in pe.rows}, (a, b), ("person",))
    delegations = build_delegations(meetings, present, roles, library, pair)
    actors = build_actors(con, events, voices, named, library, pair)
    docs = sorted((library.rows[d] for d in library.cited), key=lambda d: (d.published is None, d.published, d.id))
    report = Report(
        pair, window,
        [DocumentInfo(d.id, d.title, d.source, d.published and d.published.isoformat(), d.id in fact_docs)
         for d in docs],
        *(list(pe.event for pe in part) for part in (tl.timeline, tl.undated, tl.not_happened, tl.planned)),
        build_balance(tl.happened, figures, pair), figures, voices, delegations, actors,
    )  # fmt: skip
    report.low_confidence = [pe.event for pe in tl.low_confidence]
    report.reasons = _reasons(report, facts.is_unmerged(con))
    report.reading = build_reading(con, pair, days, tl, figures, library, fact_docs)
    report.summary = build_summary(report)
    report.notices = build_notices(report)
    return report
