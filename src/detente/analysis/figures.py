"""The figures about the pair, by measure, unit, period, status and direction; disagreeing sources flagged."""

from __future__ import annotations

from ..report.model import Figure, FigureValue, Pair
from .cite import Library
from .config import config
from .facts import Participant, QuantityRow, figure_sides, other_side
from .timeline import ref
from .window import DateWindow, sort_key


def _side(row: QuantityRow, relation: str) -> str | None:
    return next((p.country for p in row.participants if p.relation == relation and p.country), None)


def disagree(values: list[tuple[str, FigureValue]]) -> bool:
    """Whether two documents give values further apart than rounding (wider for qualified values: "about").
    Compared once per distinct value and qualification, with the documents giving it: a figure a thousand
    documents repeat costs no more than one."""
    cfg = config()
    docs: dict[tuple[float, bool], set[str]] = {}
    for doc, v in values:
        docs.setdefault((v.value, bool(v.qualifier)), set()).add(doc)
    given = list(docs)
    for i, (a, a_qualified) in enumerate(given):
        for b, b_qualified in given[i + 1 :]:
            if len(docs[a, a_qualified] | docs[b, b_qualified]) < 2:
                continue  # one document alone
            tolerance = cfg.figure_tolerance_qualified if a_qualified or b_qualified else cfg.figure_tolerance
            scale = max(abs(a), abs(b))
            if scale and abs(a - b) / scale > tolerance:
                return True
    return False


def one_side_in_pair_sentence(rows: list[QuantityRow], mentions: list[tuple], pair: Pair, library: Library,
                              skip: set[str]) -> list[QuantityRow]:  # fmt: skip
    """The figures about one side (`facts.quantities_of_one_side`) whose sentence names the other ("doubling the
    duty on Chinese exports", said of Washington's tariffs): the clause concerns the pair."""
    library.load({r.doc for r in rows if r.key not in skip})
    by_doc: dict[str, list[tuple]] = {}
    for doc, country, start, end in mentions:
        by_doc.setdefault(doc, []).append((country, start, end))
    out = []
    for r in rows:
        if r.key in skip:
            continue
        sides, other = figure_sides(r), other_side(r, pair.a.code, pair.b.code)
        s, e = library.text(r.doc).sentences(r.start, r.end)
        if any(c == other and s <= ms and me <= e for c, ms, me in by_doc.get(r.doc, ())):
            if not any(p.relation in ("from", "to") for p in r.participants) and _restriction(r.measure):
                # a duty or sanction on one side, told of the other: the other imposes it
                # on the pair's own side where the figure names it ("EU duties" beside France), else the first
                target = min(sides & {pair.a.code, pair.b.code} - {other} or sides - {other}, default=None)
                if target:
                    r.participants = [*r.participants, Participant(other, other, "state", other, "from"),
                                      Participant(target, target, "state", target, "to")]  # fmt: skip
            out.append(r)
    return out


def _restriction(measure: str | None) -> bool:
    rule = next((f for f in config().flows if f.category == "sanctions"), None)
    m = (measure or "").lower()
    return bool(rule and m and (rule.counts_figure(m) or rule.counts_figure(m + "s")))


def build_figures(rows: list[QuantityRow], pair: Pair, window: DateWindow, library: Library) -> list[Figure]:
    """Figures grouped by what they measure; each value with its text, status, who asserts it, and sources."""
    groups: dict[tuple, list[tuple[str, FigureValue]]] = {}
    library.load({r.doc for r in rows})
    counted = config().pair_count_measures
    for r in sorted(rows, key=lambda r: (r.published is None, r.published, r.doc, r.start)):
        if not window.admits(r.period, r.published):
            continue
        if r.unit == "count" and (r.measure or "").lower() not in counted:
            continue  # a count of people or things named beside the pair is no figure of it
        if r.unit in config().size_units:
            continue
        asserted = next((ref(p) for p in r.participants if p.relation == "asserted_by"), None)
        value = FigureValue(
            r.key, r.value, r.qualifier, r.status, r.text, r.published and r.published.isoformat(), asserted,
            [library.source(r.doc, r.start, r.end)],
        )  # fmt: skip
        key = (r.measure, r.unit, r.period, r.status, _side(r, "from"), _side(r, "to"))
        groups.setdefault(key, []).append((r.doc, value))
    out = []
    for key in sorted(groups, key=lambda k: (k[0] or "~", k[1], sort_key(k[2]), k[3], k[4] or "", k[5] or "")):
        measure, unit, period, status, frm, to = key
        values = groups[key]
        reasons = {k: why for k, why in (("measure", "the text does not say what is measured"),
                                          ("period", "the text gives no period"))
                   if (measure if k == "measure" else period) is None} or None  # fmt: skip
        out.append(Figure(measure, unit, period, status, frm, to, [v for _, v in values], disagree(values), reasons))
    return out
