"""The report as a readable plain-text summary for the terminal."""

from __future__ import annotations

import textwrap

from .fmt import amount, label
from .model import Report, TimelineEvent
from .reading_model import Reading

WIDTH = 100
QUOTE_CHARS = 160


def _n(n: int, noun: str) -> str:
    """ "1 quote", "2 quotes"."""
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _sources(n: int) -> str:
    return f"[{_n(n, 'source')}]"


def _cited(text: str, sources: list) -> str:
    return f"  {text}  {_sources(len(sources))}"


def _events(title: str, events: list[TimelineEvent]) -> list[str]:
    if not events:
        return []
    return ["", title, *(_cited(ev.summary, ev.sources) for ev in events)]


def _short(text: str) -> str:
    return textwrap.shorten(" ".join(text.split()), QUOTE_CHARS, placeholder=" …")


def _reading(g: Reading) -> list[str]:
    """The analyst's reading, one cited line per finding: where the pair stands, when facts became public,
    what rests on inference or a hedge, what was absent, where sources disagree, names and doubtful sources."""
    lines = [_cited(g.comparable.text, g.comparable.sources)] if g.comparable.sources else []
    lines += [_cited(s.text, s.sources) for s in g.comparable.similar[1:]]
    lines += [_cited(f"disclosed {d.disclosed} ({label(d.basis)}), {d.lag_days} days after: {d.summary}", d.sources)
              for d in g.disclosures.events]  # fmt: skip
    lines += [_cited(p.text, p.sources) for p in g.disclosures.patterns]
    lines += [_cited(f"{x.certainty}: {x.summary}{f' (cue “{x.cue.text}”)' if x.cue else ''}", x.sources)
              for x in g.inferences]  # fmt: skip
    lines += [_cited(f"absent: {x.what}: {_short(x.text)}", x.sources) for x in g.absences]
    lines += [_cited(f"contradiction ({c.kind}): {c.subject}: {' vs '.join(cl.text for cl in c.claims)}", c.sources)
              for c in g.contradictions]  # fmt: skip
    lines += [_cited(f"name: “{n.text_form}” for {n.canonical} ({_n(n.documents, 'document')})", n.sources)
              for n in g.name_notes]  # fmt: skip
    lines += [_cited(f"source: {n.title or n.document[:12]}: {n.text}", n.sources) for n in g.source_notes]
    return ["", "Reading", *lines] if lines else []


def render_text(report: Report) -> str:
    a, b = report.pair.a, report.pair.b
    happened = len(report.timeline) + len(report.undated) + len(report.low_confidence)
    low = f", {len(report.low_confidence)} low confidence" if report.low_confidence else ""
    window = "".join(f", {k} {v}" for k, v in (("since", report.window.since), ("until", report.window.until)) if v)
    lines = [
        f"{a.name} ({a.code}) – {b.name} ({b.code}){window}",
        f"{_n(sum(d.about_pair for d in report.documents), 'document')}, {_n(happened, 'event')} "
        f"({len(report.undated)} undated{low}), "
        f"{len(report.not_happened)} did not happen, "
        f"{len(report.planned)} planned or possible, {_n(len(report.figures), 'figure')}, "
        f"{_n(sum(len(v.quotes) for v in report.quotes), 'quote')}, {_n(len(report.delegations), 'delegation')}",
    ]
    lines += [f"! {n}" for n in report.notices]
    if report.summary:
        lines += ["", "Summary", *(_cited(x.text, x.sources) for x in report.summary)]
    lines += _events("Timeline", report.timeline)
    lines += _events("Undated", report.undated)
    lines += _events("Low confidence", report.low_confidence)
    lines += _events("Did not happen", report.not_happened)
    lines += _events("Planned or possible", report.planned)
    bal = report.balance
    if bal.findings or bal.initiative.a or bal.initiative.b:
        lines += ["", "Balance", f"  directed events: {a.name} {bal.initiative.a}, {b.name} {bal.initiative.b}"]
        lines += [f"  {f.text}" for f in bal.findings]
    if report.figures:
        lines += ["", "Figures"]
        for f in report.figures:
            values = "; ".join(amount(v.value, f.unit, v.qualifier) for v in f.values)
            way = f" {f.from_} → {f.to}" if f.from_ and f.to else ""
            flag = "  ⚠ sources disagree" if f.disagreement else ""
            lines.append(f"  {f.measure or 'unnamed measure'}{way}, {f.period or 'no period'} ({f.status}): "
                         f"{values}{flag}")  # fmt: skip
    if report.quotes:
        lines += ["", "Voices"]
        for v in report.quotes:
            who = v.speaker.name if v.speaker else (v.speaker_text or "unattributed")
            role = ", ".join(x for x in (v.side, v.title) if x)
            lines.append(f"  {who}{f' ({role})' if role else ''}: {_n(len(v.quotes), 'quote')}")
            lines += [f"    “{_short(q.text)}”" for q in v.quotes[:2]]
    if report.delegations:
        lines += ["", "Delegations"]
        for d in report.delegations:
            lines.append(f"  {d.summary}")
            for m in d.makeup:
                people = ", ".join(
                    f"{x.entity.name} ({', '.join(filter(None, (x.title, label(x.sector))))})" if x.title or x.sector
                    else x.entity.name
                    for x in d.members if x.entity.side == m.side
                )  # fmt: skip
                lines.append(f"    {m.side}: {m.summary}{' — ' + people if people else ''}")
    if report.actors.entities:
        lines += ["", "Actors"]
        for side in (a, b):
            mine = [x for x in report.actors.entities if x.entity.side == side.code][:6]
            if mine:
                lines.append(f"  {side.name}: " + "; ".join(
                    f"{x.entity.name} ({_n(x.events, 'event')}, {_n(x.quotes, 'quote')}, {_n(x.documents, 'document')})"
                    for x in mine
                ))  # fmt: skip
    notes = dict(report.reasons)
    if report.reading:
        lines += _reading(report.reading)
        notes.update((f"reading {k}", v) for k, v in report.reading.reasons.items())
    if notes:
        lines += ["", "Notes", *(f"  {k}: {v}" for k, v in notes.items())]
    return "\n".join(lines) + "\n"
