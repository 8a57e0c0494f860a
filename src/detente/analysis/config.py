"""The report's reading rules (analysis/data/report.yaml), loaded once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "report.yaml"


@dataclass(frozen=True)
class FlowRule:
    category: str
    label: str
    kind: str
    subtypes: frozenset[str]
    types: frozenset[tuple[str, str | None]]
    measures: frozenset[str]
    text: str
    # a flow whose counts the texts state ("has visited China 22 times"): how each finding on them reads
    stated: dict[str, str] = field(default_factory=dict)

    def counts_event(self, type_: str | None, mode: str | None, subtype: str | None) -> bool:
        if subtype in self.subtypes:
            return True
        return (type_, mode) in self.types or (type_, None) in self.types

    def counts_figure(self, measure: str | None) -> bool:
        return measure is not None and measure.lower() in self.measures


@dataclass(frozen=True)
class Config:
    symmetric_subtypes: frozenset[str]
    symmetric_types: frozenset[str]
    delegation_subtypes: frozenset[str]
    delegation_types: frozenset[str]
    delegation_neighbours: int
    protocol_sectors: frozenset[str]
    flows: tuple[FlowRule, ...]
    finding_min: int
    finding_ratio: float
    figure_tolerance: float
    figure_tolerance_qualified: float
    actors_per_side: int
    abbreviations: frozenset[str]
    initiative_text: str
    about_skip: frozenset[str] = frozenset()
    same_event_families: dict = field(default_factory=dict)
    low_confidence_below: float = 0.0
    reporter_types: frozenset[str] = frozenset()
    pair_count_measures: frozenset[str] = frozenset()
    size_units: frozenset[str] = frozenset()


def _flow(entry: dict) -> FlowRule:
    types = frozenset((t[0], t[1] if len(t) > 1 else None) for t in entry.get("types") or ())
    return FlowRule(
        entry["category"], entry.get("label") or entry["category"], entry["kind"],
        frozenset(entry.get("subtypes") or ()), types, frozenset(m.lower() for m in entry.get("measures") or ()),
        entry["text"], dict(entry.get("stated") or {}),
    )  # fmt: skip


@lru_cache(maxsize=1)
def config() -> Config:
    with open(DATA, encoding="utf-8") as fh:
        d = yaml.safe_load(fh)
    sets = ("symmetric_subtypes", "symmetric_types", "delegation_subtypes", "delegation_types", "protocol_sectors",
            "abbreviations", "about_skip", "reporter_types", "pair_count_measures", "size_units")  # fmt: skip
    return Config(
        **{k: frozenset(d.get(k) or ()) for k in sets},
        delegation_neighbours=int(d["delegation_neighbours"]),
        flows=tuple(_flow(f) for f in d["flows"]),
        finding_min=int(d["finding_min"]),
        finding_ratio=float(d["finding_ratio"]),
        figure_tolerance=float(d["figure_tolerance"]),
        figure_tolerance_qualified=float(d["figure_tolerance_qualified"]),
        actors_per_side=int(d["actors_per_side"]),
        initiative_text=d["initiative_text"],
        low_confidence_below=float(d.get("low_confidence_below", 0.0)),
        same_event_families={k: frozenset(v) for k, v in (d.get("same_event_families") or {}).items()},
    )
