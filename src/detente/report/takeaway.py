"""The report to take away: Markdown with numbered source notes, for pasting into a brief, and the timeline and
figures as CSV tables for a spreadsheet or pandas."""

from __future__ import annotations

import csv
import textwrap
from pathlib import Path
from typing import TextIO

from .fmt import amount, label
from .model import Report, Source, TimelineEvent

NOTE_CHARS = 240
TIMELINE_COLUMNS = (
    "list",
    "id",
    "date",
    "precision",
    "approximate",
    "type",
    "subtype",
    "direction",
    "from",
    "to",
    "summary",
    "about",
    "object",
    "location",
    "actors",
    "recipients",
    "documents",
    "confidence",
    "sources",
    "first_document",
    "first_start",
    "first_end",
    "first_text",
    "first_sentence",
)
FIGURE_COLUMNS = (
    "measure",
    "unit",
    "period",
    "status",
    "from",
    "to",
    "value",
    "qualifier",
    "text",
    "published",
    "asserted_by",
    "disagreement",
    "document",
    "start",
    "end",
    "sentence",
)
LISTS = (
    ("timeline", "Timeline"),
    ("undated", "Undated"),
    ("low_confidence", "Low confidence"),
    ("planned", "Planned or possible"),
    ("not_happened", "Did not happen"),
)


def _flat(text: str) -> str:
    return " ".join(text.split())


class Notes:
    """Numbered source notes: each distinct cited span gets a number on first citation."""

    def __init__(self, report: Report):
        self.numbers: dict[tuple, int] = {}
        self.sources: list[Source] = []
        self.documents = {d.id: d for d in report.documents}

    def cite(self, sources: list[Source], most: int = 3) -> str:
        refs = []
        for s in sources[:most]:
            key = (s.document, s.start, s.end)
            if key not in self.numbers:
                self.sources.append(s)
                self.numbers[key] = len(self.sources)
            refs.append(f"[{self.numbers[key]}]")
        more = f" +{len(sources) - most}" if len(sources) > most else ""
        return "".join(refs) + more

    def render(self) -> list[str]:
        lines = []
        for n, s in enumerate(self.sources, 1):
            doc = self.documents.get(s.document)
            where = ", ".join(_md(x) for x in (doc and doc.title, doc and doc.published) if x)
            link = (
                f"<{doc.source}>"
                if doc and doc.source and "://" in doc.source
                else doc and doc.source and _md(doc.source)
            )
            where = ", ".join(x for x in (where, link) if x) or s.document[:12]
            sentence = textwrap.shorten(_flat(s.sentence), NOTE_CHARS, placeholder=" …")
            lines.append(f"{n}. “{_md(sentence)}” — {where}")
        return lines


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell or line (no pipes or line breaks; no stray emphasis)."""
    return _flat(text).replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _event_row(ev: TimelineEvent, notes: Notes) -> str:
    return f"| {ev.date or '—'} | {_md(ev.summary)} | {ev.documents} | {notes.cite(ev.sources)} |"


def render_markdown(report: Report) -> str:
    """The report as Markdown: notices, summary, event lists, figures, delegations, voices, then the notes."""
    a, b = report.pair.a, report.pair.b
    notes = Notes(report)
    out = [f"# {a.name} – {b.name}", ""]
    window = ", ".join(f"{k} {v}" for k, v in (("since", report.window.since), ("until", report.window.until)) if v)
    docs = sum(d.about_pair for d in report.documents)
    out += [
        f"_{docs} documents{', ' + window if window else ''}; every line cites its sources (numbered notes at "
        f"the end)._",
        "",
    ]
    for n in report.notices:
        out += [f"> **Note.** {_md(n)}", ""]
    if report.summary:
        out += ["## Summary", ""]
        out += [f"- {_md(x.text)} {notes.cite(x.sources)}" for x in report.summary]
        out.append("")
    for attr, title in LISTS:
        events = getattr(report, attr)
        if events:
            out += [f"## {title}", "", "| Date | Event | Documents | Sources |", "|---|---|---:|---|"]
            out += [_event_row(ev, notes) for ev in events]
            out.append("")
    if report.figures:
        out += [
            "## Figures",
            "",
            "| Measure | Direction | Period | Status | Value | Sources |",
            "|---|---|---|---|---|---|",
        ]
        for f in report.figures:
            way = f"{f.from_} → {f.to}" if f.from_ and f.to else "—"
            flag = " ⚠ sources disagree" if f.disagreement else ""
            for v in f.values:
                out.append(
                    f"| {_md(f.measure or 'unnamed')} | {way} | {f.period or '—'} | {f.status} | "
                    f"{_md(amount(v.value, f.unit, v.qualifier))}{flag} | {notes.cite(v.sources)} |"
                )
        out.append("")
    if report.delegations:
        out += ["## Delegations", ""]
        for d in report.delegations:
            out.append(f"- **{_md(d.summary)}**")
            for m in d.makeup:
                people = "; ".join(
                    f"{_md(x.entity.name)}"
                    + (f" ({_md(', '.join(filter(None, (x.title, label(x.sector)))))})" if x.title or x.sector else "")
                    + f" {notes.cite(x.sources, 1)}"
                    for x in d.members
                    if x.entity.side == m.side
                )
                out.append(f"  - {m.side}: {_md(m.summary)}{' — ' + people if people else ''}")
        out.append("")
    if report.quotes:
        out += ["## Voices", ""]
        for v in report.quotes:
            who = v.speaker.name if v.speaker else (v.speaker_text or "unattributed")
            role = ", ".join(x for x in (v.side, v.title) if x)
            for q in v.quotes[:2]:
                words = textwrap.shorten(_flat(q.text), 200, placeholder=" …")
                out.append(
                    f"- {_md(who)}{f' ({_md(role)})' if role else ''}: “{_md(words)}” {notes.cite(q.sources, 1)}"
                )
        out.append("")
    out += ["## Sources", "", *notes.render(), ""]
    return "\n".join(out)


def _event_csv(part: str, ev: TimelineEvent) -> dict:
    first = ev.sources[0] if ev.sources else None
    return {
        "list": part,
        "id": ev.id,
        "date": ev.date,
        "precision": ev.precision,
        "approximate": ev.approximate,
        "type": ev.type,
        "subtype": ev.subtype,
        "direction": ev.direction,
        "from": ev.from_,
        "to": ev.to,
        "summary": ev.summary,
        "about": ev.about,
        "object": ev.object,
        "location": ev.location,
        "actors": "; ".join(r.name for r in ev.actors),
        "recipients": "; ".join(r.name for r in ev.recipients),
        "documents": ev.documents,
        "confidence": ev.confidence,
        "sources": len(ev.sources),
        "first_document": first and first.document,
        "first_start": first and first.start,
        "first_end": first and first.end,
        "first_text": first and first.text,
        "first_sentence": first and _flat(first.sentence),
    }


def write_timeline(report: Report, fh: TextIO) -> None:
    """The rows of `timeline.csv` (every event of every list, with its list) written to `fh`."""
    w = csv.DictWriter(fh, TIMELINE_COLUMNS)
    w.writeheader()
    for attr, _ in LISTS:
        for ev in getattr(report, attr):
            w.writerow(_event_csv(attr, ev))


def write_csv(report: Report, out: Path) -> list[Path]:
    """`timeline.csv` (every event of every list, with its list) and `figures.csv` (one line per value) in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    timeline, figures = out / "timeline.csv", out / "figures.csv"
    with open(timeline, "w", encoding="utf-8", newline="") as fh:
        write_timeline(report, fh)
    with open(figures, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, FIGURE_COLUMNS)
        w.writeheader()
        for f in report.figures:
            for v in f.values:
                s = v.sources[0] if v.sources else None
                w.writerow(
                    {
                        "measure": f.measure,
                        "unit": f.unit,
                        "period": f.period,
                        "status": v.status,
                        "from": f.from_,
                        "to": f.to,
                        "value": v.value,
                        "qualifier": v.qualifier,
                        "text": v.text,
                        "published": v.published,
                        "asserted_by": v.asserted_by and v.asserted_by.name,
                        "disagreement": f.disagreement,
                        "document": s and s.document,
                        "start": s and s.start,
                        "end": s and s.end,
                        "sentence": s and _flat(s.sentence),
                    }
                )
    return [timeline, figures]
