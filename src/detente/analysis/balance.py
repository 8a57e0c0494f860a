"""The balance of the relationship: events by type, year and direction; flows each way; who initiates, who
depends on whom for what, who presses whom — each finding with the facts it rests on."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ..report.model import Balance, Count, Figure, FigureValue, Finding, Flow, Initiative, Pair, Source
from .cite import dedupe
from .config import FlowRule, config
from .timeline import PairEvent
from .window import bounds


def _year(date: str | None) -> int | None:
    span = bounds(date)
    return span[0].year if span else None


def counts(events: list[PairEvent]) -> list[Count]:
    tally = Counter((e.event.type, e.event.subtype, _year(e.event.date), e.event.direction) for e in events)
    keys = sorted(tally, key=lambda k: (k[0] or "", k[1] or "", k[2] is None, k[2] or 0, k[3]))
    return [Count(*k, tally[k]) for k in keys]


def _way(fig: Figure, pair: Pair) -> str | None:
    """The direction of a figure between the sides ("a_to_b", "b_to_a"), else None."""
    a, b = pair.a.code, pair.b.code
    return {(a, b): "a_to_b", (b, a): "b_to_a"}.get((fig.from_, fig.to))


def _flow(rule: FlowRule, events: list[PairEvent], figures: list[Figure], pair: Pair) -> tuple[Flow, dict]:
    """The flow of one category each way, and per direction the facts (ids and first sources) behind it."""
    facts: dict[str, dict[str, list]] = {d: {"events": [], "figures": [], "sources": []} for d in ("a_to_b", "b_to_a")}
    for pe in events:
        ev = pe.event
        if ev.direction in facts and rule.counts_event(ev.type, ev.mode, ev.subtype):
            facts[ev.direction]["events"].append(ev.id)
            facts[ev.direction]["sources"].extend(ev.sources[:1])
    for fig in figures:
        way = _way(fig, pair)
        if way and rule.counts_figure(fig.measure) and not (rule.stated and fig.unit == "count"):
            for v in fig.values:
                facts[way]["figures"].append(v.id)
                facts[way]["sources"].extend(v.sources[:1])
    ab, ba = facts["a_to_b"], facts["b_to_a"]
    n_ab, n_ba = len(ab["events"]) + len(ab["figures"]), len(ba["events"]) + len(ba["figures"])
    flow = Flow(rule.category, rule.label, n_ab, n_ba, ab["events"] + ba["events"], ab["figures"] + ba["figures"])
    return flow, facts


def _stated(rule: FlowRule, figures: list[Figure], pair: Pair) -> dict[str, FigureValue]:
    """The largest count the texts state each way of a flow ("has visited Japan seven times")."""
    out: dict[str, FigureValue] = {}
    for fig in figures:
        way = _way(fig, pair)
        if way and fig.unit == "count" and fig.values and rule.counts_figure(fig.measure):
            best = max(fig.values, key=lambda v: v.value)
            if way not in out or best.value > out[way].value:
                out[way] = best
    return out


def _stated_finding(rule: FlowRule, pair: Pair, stated: dict[str, FigureValue]) -> Finding:
    """The finding on the counts the texts state: one way, or both compared."""
    n, m = (int(stated[w].value) if w in stated else None for w in ("a_to_b", "b_to_a"))
    values = list(stated.values())
    if n is None or m is None:
        way = "a_to_b" if n is not None else "b_to_a"
        src, dst = (pair.a, pair.b) if way == "a_to_b" else (pair.b, pair.a)
        text, side = rule.stated["one"].format(src=src.name, dst=dst.name, n=n if m is None else m), src.code
    elif _one_way(n, m) or _one_way(m, n):
        (src, dst, x, y) = (pair.a, pair.b, n, m) if n > m else (pair.b, pair.a, m, n)
        text, side = rule.stated["more"].format(src=src.name, dst=dst.name, n=x, m=y), src.code
    else:
        text, side = rule.stated["even"].format(src=pair.a.name, dst=pair.b.name, n=n, m=m), ""
    return Finding(rule.kind, rule.category, side, text, [], [v.id for v in values],
                   dedupe([s for v in values for s in v.sources[:1]]))  # fmt: skip


def _one_way(n: int, m: int) -> bool:
    cfg = config()
    return n >= cfg.finding_min and n >= cfg.finding_ratio * m


def _finding(kind: str, category: str, template: str, pair: Pair, way: str, n: int, m: int, facts: dict) -> Finding:
    src, dst = (pair.a, pair.b) if way == "a_to_b" else (pair.b, pair.a)
    text = template.format(src=src.name, dst=dst.name, n=n, m=m, total=n + m)
    sources: list[Source] = dedupe(facts["sources"])
    return Finding(kind, category, src.code, text, facts["events"], facts["figures"], sources)


def build_balance(events: list[PairEvent], figures: list[Figure], pair: Pair) -> Balance:
    """The balance over the events that happened and the figures with a direction between the sides."""
    cfg = config()
    flows, findings = [], []
    for rule in cfg.flows:
        flow, facts = _flow(rule, events, figures, pair)
        stated = _stated(rule, figures, pair) if rule.stated else {}
        if stated:  # what the texts count outright comes before what was extracted, which is less
            count = {w: int(v.value) for w, v in stated.items()}
            flow = replace(
                flow,
                a_to_b=max(flow.a_to_b, count.get("a_to_b", 0)),
                b_to_a=max(flow.b_to_a, count.get("b_to_a", 0)),
                figures=[v.id for v in stated.values()],
            )
            flows.append(flow)
            findings.append(_stated_finding(rule, pair, stated))
            continue
        flows.append(flow)
        for way, n, m in (("a_to_b", flow.a_to_b, flow.b_to_a), ("b_to_a", flow.b_to_a, flow.a_to_b)):
            if _one_way(n, m):
                findings.append(_finding(rule.kind, rule.category, rule.text, pair, way, n, m, facts[way]))
    directed = {d: [pe for pe in events if pe.event.direction == d] for d in ("a_to_b", "b_to_a")}
    na, nb = len(directed["a_to_b"]), len(directed["b_to_a"])
    initiative = Initiative(na, nb, round(na / (na + nb), 3) if na + nb else None)
    for way, n, m in (("a_to_b", na, nb), ("b_to_a", nb, na)):
        if _one_way(n, m):
            facts = {"events": [pe.event.id for pe in directed[way]], "figures": [],
                     "sources": [s for pe in directed[way] for s in pe.event.sources[:1]]}  # fmt: skip
            findings.insert(0, _finding("initiative", "events", cfg.initiative_text, pair, way, n, m, facts))
    return Balance(counts(events), flows, initiative, findings)
