"""Every pair of sides in the store with its indicators, ranked by how one-sided the relationship is.

Asymmetry is |n_ab - n_ba| / (n_ab + n_ba + 2) over the directed facts (events that happened, one side acting
on the other, and figures with a direction): 0 for a balanced pair, towards 1 for a one-way one; the +2 keeps
a pair known by one fact from outranking one known by twenty. Each pair is oriented so that `a` is the side
that acts more on the other. Three aggregate queries, no document text: fast on any store.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb

from ..kb import SIDES, load_kb
from ..report.reading_model import Citation, FlowCount, PairRow
from . import facts
from .config import config
from .pair import side_name

SAMPLES = 3  # citations per pair


@dataclass
class _Tally:
    directed: dict[str, int]
    mutual: int
    types: dict[str, dict[str, int]]
    flows: dict[str, list[int]]
    figures: dict[str, dict[str, int]]
    samples: list[tuple]


def _citation(sample: dict) -> Citation:
    return Citation(sample["doc"], sample["s"], sample["e"], sample["t"] or "")


def _orient(x: str, y: str) -> tuple[tuple[str, str], str]:
    """The unordered key of a pair and whether x → y runs a_to_b in it."""
    return ((x, y), "a_to_b") if x < y else ((y, x), "b_to_a")


def _tallies(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], _Tally]:
    cfg = config()
    out: dict[tuple[str, str], _Tally] = {}

    def tally(key: tuple[str, str]) -> _Tally:
        if key not in out:
            out[key] = _Tally({"a_to_b": 0, "b_to_a": 0}, 0, {}, {r.category: [0, 0] for r in cfg.flows}, {}, [])
        return out[key]

    for x, y, way, type_, mode, subtype, events, _docs, sample in facts.pair_links(con, cfg.symmetric_subtypes):
        key, d = _orient(x, y) if way == "directed" else ((x, y), "mutual")
        t = tally(key)
        if d == "mutual":
            t.mutual += events
        else:
            t.directed[d] += events
            for rule in cfg.flows:
                if rule.counts_event(type_, mode, subtype):
                    t.flows[rule.category][d == "b_to_a"] += events
        by_type = t.types.setdefault(d, {})
        by_type[type_ or "none"] = by_type.get(type_ or "none", 0) + events
        t.samples.append(sample)
    for frm, to, measure, n, sample in facts.pair_figures(con):
        key, d = _orient(frm, to)
        t = tally(key)
        t.directed[d] += n
        t.figures.setdefault(d, {})[measure or "unknown"] = t.figures.get(d, {}).get(measure or "unknown", 0) + n
        for rule in cfg.flows:
            if rule.counts_figure(measure):
                t.flows[rule.category][d == "b_to_a"] += n
        t.samples.append(sample)
    return out


def asymmetry(ab: int, ba: int) -> float:
    return round(abs(ab - ba) / (ab + ba + 2), 3)


def _flip(d: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    swap = {"a_to_b": "b_to_a", "b_to_a": "a_to_b"}
    return {swap.get(k, k): v for k, v in d.items()}


def _text(row: PairRow) -> str:
    ab, ba = row.directed["a_to_b"], row.directed["b_to_a"]
    leads = [f.category for f in row.flows if f.a_to_b > f.b_to_a]
    where = f", most in {', '.join(leads[:3])}" if leads else ""
    if ab == ba:
        return f"{row.a_name} and {row.b_name}: balanced ({ab} directed facts each way, {row.mutual} joint)"
    return f"{row.a_name} → {row.b_name}: {ab} directed facts, {ba} the other way{where}; {row.mutual} joint"


def rank_pairs(con: duckdb.DuckDBPyConnection) -> list[PairRow]:
    """Every pair of sides with a stored event or directed figure between them, the most one-sided first."""
    kb = load_kb(parts=SIDES)
    docs = facts.pair_documents(con)
    rows = []
    for (x, y), t in _tallies(con).items():
        flows = [FlowCount(c, ab, ba) for c, (ab, ba) in t.flows.items() if ab or ba]
        directed, types, figures = t.directed, t.types, t.figures
        if directed["b_to_a"] > directed["a_to_b"]:  # orient: `a` acts more
            x, y = y, x
            directed = {"a_to_b": directed["b_to_a"], "b_to_a": directed["a_to_b"]}
            types, figures = _flip(types), _flip(figures)
            flows = [FlowCount(f.category, f.b_to_a, f.a_to_b) for f in flows]
        samples = sorted(t.samples, key=lambda s: (s["doc"], s["s"]))[:SAMPLES]
        row = PairRow(
            x, y, side_name(x, kb), side_name(y, kb), asymmetry(directed["a_to_b"], directed["b_to_a"]), directed,
            t.mutual, types, flows, figures, docs.get((min(x, y), max(x, y)), 0), "", [_citation(s) for s in samples],
        )  # fmt: skip
        row.text = _text(row)
        rows.append(row)
    rows.sort(key=lambda r: (-r.asymmetry, -(r.directed["a_to_b"] + r.directed["b_to_a"] + r.mutual), r.a, r.b))
    return rows


def profile(row: PairRow) -> tuple[float, ...]:
    """The pair's shape: its asymmetry and, per flow category, how one-sided it is (oriented, `a` leading)."""
    by = {f.category: f for f in row.flows}
    shares = [(by[r.category].a_to_b - by[r.category].b_to_a) / (by[r.category].a_to_b + by[r.category].b_to_a + 1)
              if r.category in by else 0.0 for r in config().flows]  # fmt: skip
    return (row.asymmetry, *shares)


def distance(p: PairRow, q: PairRow) -> float:
    return round(math.dist(profile(p), profile(q)), 3)
