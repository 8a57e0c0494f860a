"""The report's summary on top: five to eight plain sentences, each with the sources it rests on — who visits
whom and how often, who met and when, what was signed, the main flows and their direction, the asymmetry, what
did not happen — and the caveats an analyst must see first (most events undated)."""

from __future__ import annotations

from ..report.model import Report, Side, Source, SummaryLine, TimelineEvent
from .cite import dedupe
from .config import config

MAX_LINES = 8
CITED = 3  # sources per sentence


def _cite(events: list[TimelineEvent]) -> list[Source]:
    return dedupe([s for e in events for s in e.sources[:1]])[:CITED]


def _dates(events: list[TimelineEvent]) -> str:
    dated = sorted({e.date for e in events if e.date})
    if not dated:
        return "undated"
    shown = ", ".join(dated[-3:])
    return ("…, " if len(dated) > 3 else "") + shown


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _in_family(ev: TimelineEvent, family: str) -> bool:
    return ev.subtype in config().same_event_families.get(family, frozenset())


def _visits(report: Report) -> list[SummaryLine]:
    a, b = report.pair.a, report.pair.b
    happened = report.timeline + report.undated
    out = []
    visits = {w: [e for e in happened if e.subtype in ("visit", "state_visit") and e.direction == w]
              for w in ("a_to_b", "b_to_a")}  # fmt: skip
    stated = {w: [v for f in report.figures if f.unit == "count" and (f.measure or "").lower() in ("visits", "visit")
                  and (f.from_, f.to) == ((a.code, b.code) if w == "a_to_b" else (b.code, a.code))
                  for v in f.values] for w in ("a_to_b", "b_to_a")}  # fmt: skip
    parts, sources = [], []
    for way, (src, dst) in (("a_to_b", (a, b)), ("b_to_a", (b, a))):
        if stated[way]:
            v = max(stated[way], key=lambda v: v.value)
            parts.append(f"{src.name} has visited {dst.name} {int(v.value)} times by the texts' own count")
            sources += v.sources[:1]
        elif visits[way]:
            parts.append(f"{src.name} visited {dst.name} {_times(len(visits[way]))} ({_dates(visits[way])})")
            sources += _cite(visits[way])
    if parts:
        out.append(SummaryLine("; ".join(parts) + ".", dedupe(sources)[:CITED]))
    meetings = [e for e in happened if _in_family(e, "meeting") and (e.direction == "mutual" or _hosted(e, a, b))]
    if meetings:
        last = max((e for e in meetings if e.date), key=lambda e: e.date, default=meetings[-1])
        where = f" in {last.location}" if last.location else ""
        when = f" on {last.date}" if last.date else ""
        out.append(SummaryLine(
            f"They met {_times(len(meetings))} in the texts; the latest{where}{when} ({last.summary.split(':')[0]}).",
            _cite([last] + [e for e in meetings if e is not last])))  # fmt: skip
    calls = [e for e in happened if _in_family(e, "call")]
    if calls:
        out.append(SummaryLine(f"They spoke by phone {_times(len(calls))} ({_dates(calls)}).", _cite(calls)))
    return out


def _hosted(e: TimelineEvent, a: Side, b: Side) -> bool:
    """A visit with a person of each side named: the visitor met the host."""
    people = {r.side for r in e.actors + e.recipients if r.kind == "person"}
    return {a.code, b.code} <= people


def _signed(report: Report) -> list[SummaryLine]:
    happened = report.timeline + report.undated
    signed = [e for e in happened if _in_family(e, "signing")]
    if not signed:
        return []
    names = "; ".join(f"{e.object or e.about or (e.subtype or '').replace('_', ' ')}" + (f" ({e.date})" if e.date
                      else "") for e in signed[:3])  # fmt: skip
    more = f" and {len(signed) - 3} more" if len(signed) > 3 else ""
    return [SummaryLine(f"Signed: {names}{more}.", _cite(signed))]


def _flows(report: Report) -> list[SummaryLine]:
    out = []
    # a reading that rests on one event stays in the balance: the summary states what two events or more, or a count
    # the texts give, bear out
    findings = [f for f in report.balance.findings if f.kind != "initiative" and f.category != "visits"
                and (f.figures or len(f.events) >= 2)]  # fmt: skip
    for f in findings[:2]:
        out.append(SummaryLine(f.text[0].upper() + f.text[1:] + ".", f.sources[:CITED]))
    series = [f for f in report.figures if f.measure and f.values and f.status in ("actual", "unknown")
              and f.unit not in ("count",)]  # fmt: skip
    if series:
        from ..report.fmt import amount

        top = sorted(series, key=lambda f: (-(len(f.values)), f.period or "", f.measure))[:2]
        texts = []
        for f in top:
            way = f" {f.from_} → {f.to}" if f.from_ and f.to else ""
            texts.append(f"{f.measure}{way}{', ' + f.period if f.period else ''}: "
                         f"{amount(f.values[0].value, f.unit, f.values[0].qualifier)}")  # fmt: skip
        out.append(SummaryLine("Figures: " + "; ".join(texts) + ".", [s for f in top for s in f.values[0].sources[:1]]))
    return out


def _asymmetry(report: Report) -> list[SummaryLine]:
    f = next((f for f in report.balance.findings if f.kind == "initiative"), None)
    if f is None:
        return []
    return [SummaryLine(f.text[0].upper() + f.text[1:] + ".", f.sources[:CITED])]


def _absent(report: Report) -> list[SummaryLine]:
    """What did not happen between the two: the pair's first negated event. Absences of the reading that no
    event of the pair carries name a third party's restraint or only the words of one ("China never condemned
    the invasion"), not the pair's."""
    if not report.not_happened:
        return []
    e = report.not_happened[0]
    return [SummaryLine(f"Did not happen: {e.summary.removesuffix(' — did not happen')}.", e.sources[:1])]


def _coverage(report: Report) -> SummaryLine:
    docs = [d for d in report.documents if d.about_pair]
    days = sorted(d.published for d in docs if d.published)
    span = f" published {days[0]} to {days[-1]}" if len(days) > 1 else f" published {days[0]}" if days else ""
    events = report.timeline + report.undated + report.low_confidence
    text = (f"{len(docs)} documents{span} report {len(events)} events between {report.pair.a.name} and "
            f"{report.pair.b.name} that happened ({len(report.timeline)} dated), {len(report.planned)} planned or "
            f"possible and {len(report.not_happened)} that did not happen.")  # fmt: skip
    return SummaryLine(text, _cite(report.timeline[-CITED:] or events))


def build_summary(report: Report) -> list[SummaryLine]:
    """Up to eight cited sentences, most telling first; none when the pair has no fact."""
    if not any(d.about_pair for d in report.documents):
        return []
    lines = [_coverage(report), *_visits(report), *_signed(report), *_flows(report), *_asymmetry(report),
             *_absent(report)]  # fmt: skip
    return [line for line in lines if line.sources][:MAX_LINES]


def build_notices(report: Report) -> list[str]:
    """Caveats shown above everything: most of the pair's events undated, most of them of low confidence."""
    happened = report.timeline + report.undated + report.low_confidence
    out = []
    undated = len(report.undated) + sum(1 for e in report.low_confidence if not e.date)
    if happened and undated * 2 > len(happened):
        out.append(f"Most events are undated: {undated} of {len(happened)} events that happened have no date in "
                   f"the texts; they are listed apart, by publication date, off the timeline.")  # fmt: skip
    if happened and len(report.low_confidence) * 2 > len(happened):
        out.append(f"Most events rest on weak readings: {len(report.low_confidence)} of {len(happened)} are of low "
                   f"confidence and listed apart.")  # fmt: skip
    return out
