"""The pair page's filters: the query string of a permalink, and a report narrowed to them.

Dates (`since`, `until`) go to the report's own window, so every section follows them. The others narrow
what is listed: events by PLOVER type, direction, least confidence and outlet (the host of a document's
address); figures and quotes by outlet; the balance's counts by type and direction; delegations to the meetings
left. The summary and the reading stay those of the whole window: they weigh every fact against the others.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from ..report.model import Report, Source, Window


@dataclass(frozen=True)
class PairFilters:
    since: str | None = None
    until: str | None = None
    type: str | None = None
    direction: str | None = None
    min_confidence: float | None = None
    source: str | None = None

    @property
    def window(self) -> Window:
        return Window(self.since, self.until)

    def narrows(self) -> bool:
        """Whether any filter besides the dates is set."""
        return any(v is not None for v in (self.type, self.direction, self.min_confidence, self.source))

    def query(self) -> str:
        """The permalink's query string (without `?`), empty when nothing is filtered."""
        return urlencode({k: v for k, v in dataclasses.asdict(self).items() if v is not None})

    def dates_only(self) -> PairFilters:
        return PairFilters(self.since, self.until)


def outlet(address: str | None) -> str | None:
    """Who published a document, by the host of its address ("state.gov"), or None for a file or pasted text."""
    if not address or "://" not in address:
        return None
    host = (urlsplit(address).hostname or "").lower()
    return host.removeprefix("www.") or None


def outlets(report: Report) -> list[str]:
    """The outlets of the documents a report cites, for the filter's choices."""
    return sorted({o for d in report.documents if (o := outlet(d.source))})


def narrow(report: Report, f: PairFilters) -> Report:
    """A copy of `report` listing only what `f` keeps (the report itself is left as it is: it may be cached)."""
    if not f.narrows():
        return report
    by_outlet = {d.id: outlet(d.source) for d in report.documents}

    def from_outlet(sources: list[Source]) -> bool:
        return f.source is None or any(by_outlet.get(s.document) == f.source for s in sources)

    def keep(ev) -> bool:
        return ((f.type is None or ev.type == f.type) and (f.direction is None or ev.direction == f.direction)
                and (f.min_confidence is None or ev.confidence >= f.min_confidence)
                and from_outlet(ev.sources))  # fmt: skip

    out = copy.copy(report)
    for part in ("timeline", "undated", "not_happened", "planned", "low_confidence"):
        setattr(out, part, [ev for ev in getattr(report, part) if keep(ev)])
    kept = {ev.id for part in (out.timeline, out.undated, out.not_happened, out.planned) for ev in part}
    out.delegations = [d for d in report.delegations if d.event in kept]
    out.figures = []
    for fig in report.figures:
        values = [v for v in fig.values if from_outlet(v.sources)]
        if values:
            out.figures.append(dataclasses.replace(fig, values=values))
    out.quotes = []
    for voice in report.quotes:
        quotes = [q for q in voice.quotes if from_outlet(q.sources)]
        if quotes:
            out.quotes.append(dataclasses.replace(voice, quotes=quotes))
    counts = [c for c in report.balance.counts if (f.type is None or c.type == f.type)
              and (f.direction is None or c.direction == f.direction)]  # fmt: skip
    out.balance = dataclasses.replace(report.balance, counts=counts)
    return out
