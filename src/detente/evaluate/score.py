"""Precision, recall and F1 per layer of the gold documents, and the overall figure.

Counts are summed over all documents before the ratios are taken (micro over
documents); the overall F1 is the unweighted mean of the headline layers'
F1 (macro over layers), so a small layer such as quantities weighs as much
as the entities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..schema import DocumentResult, Entity, Event, Quantity, Quote
from . import match
from .gold import GoldDoc, GoldEntity, GoldEvent, GoldQuantity, GoldQuote, GoldRole, SpanT

LAYERS = (
    "entities",
    "person country",
    "roles",
    "events",
    "event dyads",
    "event dates",
    "quantities",
    "quotes",
    "quotes with speaker",
)
OVERALL_LAYERS = tuple(name for name in LAYERS if name != "quotes")  # span-only quotes: a diagnostic
SHOWN_CHARS = 60


@dataclass
class Tally:
    """Hits, false positives and misses of one layer, with what was missed and wrongly found."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2·tp / (2·tp + fp + fn); None when the layer has neither gold nor extracted records."""
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        self.misses += other.misses
        self.false_positives += other.false_positives

    def to_json(self, verbose: bool = False) -> dict:
        out = {
            "gold": self.tp + self.fn,
            "found": self.tp + self.fp,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }
        if verbose:
            out |= {"misses": self.misses, "false_positives": self.false_positives}
        return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


@dataclass
class Report:
    """The summed tallies of every layer (and of its breakdown, `layer/kind`) over the evaluated documents."""

    documents: list[str]
    layers: dict[str, Tally]

    @property
    def scored_layers(self) -> list[str]:
        """The headline layers that have gold or extracted records, over which the overall F1 is averaged."""
        return [name for name in OVERALL_LAYERS if name in self.layers and self.layers[name].f1 is not None]

    @property
    def overall_f1(self) -> float | None:
        scores = [self.layers[name].f1 for name in self.scored_layers]
        return sum(scores) / len(scores) if scores else None

    def ordered(self) -> list[tuple[str, Tally]]:
        """Layers in display order, each followed by its breakdown."""
        out = []
        for name in LAYERS:
            out.append((name, self.layers.get(name, Tally())))
            out += sorted((k, t) for k, t in self.layers.items() if k.startswith(name + "/"))
        return out

    def to_json(self, verbose: bool = False) -> dict:
        return {
            "documents": self.documents,
            "layers": {name: t.to_json(verbose) for name, t in self.ordered()},
            "overall": {"f1": _round(self.overall_f1), "average": "macro", "layers": self.scored_layers},
        }


class _DocScorer:
    """Pairs one gold document's records with one extraction result, layer by layer."""

    def __init__(self, gold: GoldDoc, result: DocumentResult):
        self.gold, self.result, self.text = gold, result, gold.text
        self.entities = {e.id: e for e in result.entities}
        self.tallies: dict[str, Tally] = defaultdict(Tally)

    def show(self, span: SpanT) -> str:
        s, e = span
        snippet = self.text[s:e] if 0 <= s < e <= len(self.text) else "?"
        if len(snippet) > SHOWN_CHARS:
            snippet = snippet[: SHOWN_CHARS - 1] + "…"
        return f"[{s}:{e}] {snippet!r}"

    def count(
        self,
        layer: str,
        golds: Sequence,
        preds: Sequence,
        pairs: dict[int, int],
        show_gold: Callable,
        show_pred: Callable,
        group: Callable | None = None,
    ) -> None:
        """Hits, misses and false positives of a pairing, also per `group` (the kind or type) when given."""
        paired, where = set(pairs.values()), self.gold.stem

        def tallies(item) -> list[Tally]:
            return [self.tallies[layer]] + ([self.tallies[f"{layer}/{group(item)}"]] if group else [])

        for k, g in enumerate(golds):
            for t in tallies(g):
                if k in pairs:
                    t.tp += 1
                else:
                    t.fn += 1
                    t.misses.append(f"{where}: {show_gold(g)}")
        for k, p in enumerate(preds):
            if k not in paired:
                for t in tallies(p):
                    t.fp += 1
                    t.false_positives.append(f"{where}: {show_pred(p)}")

    def attribute(
        self, layer: str, pairs: Iterable[tuple], gold_value: Callable, pred_value: Callable, show: Callable
    ) -> None:
        """An attribute of paired records: right when equal; a wrong or extra value is a false positive."""
        t, where = self.tallies[layer], self.gold.stem
        for g, p in pairs:
            gv, pv = gold_value(g), pred_value(p)
            if gv is not None and gv == pv:
                t.tp += 1
                continue
            if pv is not None:
                t.fp += 1
                t.false_positives.append(f"{where}: {show(g, p)}: {pv!r} (gold {gv!r})")
            if gv is not None:
                t.fn += 1
                t.misses.append(f"{where}: {show(g, p)}: {gv!r} (found {pv!r})")

    def run(self) -> dict[str, Tally]:
        partners = self.score_entities()
        self.score_roles(partners)
        self.score_events()
        self.score_quantities()
        self.score_quotes(partners)
        return self.tallies

    def first_mention(self, spans: Sequence[SpanT]) -> str:
        return self.show(min(spans)) if spans else "[no mention]"

    def score_entities(self) -> dict[int, int]:
        golds, preds = self.gold.entities, self.result.entities
        pairs = match.pair(len(golds), len(preds), lambda i, j: match.entity_score(golds[i], preds[j]))

        def show_gold(g: GoldEntity) -> str:
            return f"{g.kind} {g.name!r} {self.first_mention(g.mentions)}"

        def show_pred(p: Entity) -> str:
            return f"{p.kind} {p.name!r} {self.first_mention([(m.start, m.end) for m in p.mentions])}"

        self.count("entities", golds, preds, pairs, show_gold, show_pred, group=lambda e: e.kind)
        persons = [(golds[i], preds[j]) for i, j in pairs.items() if golds[i].kind == "person"]
        self.attribute(
            "person country", persons, lambda g: g.country, lambda p: p.country, lambda g, p: f"country of {g.name!r}"
        )
        return pairs

    def score_roles(self, partners: dict[int, int]) -> None:
        golds = [(i, r) for i, e in enumerate(self.gold.entities) for r in e.roles]
        preds = [(j, r) for j, e in enumerate(self.result.entities) for r in e.roles]

        def score(a: int, b: int) -> float:
            (i, g), (j, p) = golds[a], preds[b]
            if partners.get(i) != j or g.sector != p.sector:
                return 0
            return match.overlap(g.span, (p.start, p.end))

        def show_gold(item: tuple[int, GoldRole]) -> str:
            i, r = item
            return f"{self.gold.entities[i].name!r} {r.sector} {self.show(r.span)}"

        def show_pred(item: tuple) -> str:
            j, r = item
            return f"{self.result.entities[j].name!r} {r.sector} {self.show((r.start, r.end))}"

        self.count("roles", golds, preds, match.pair(len(golds), len(preds), score), show_gold, show_pred)

    def show_event(self, ev: GoldEvent | Event) -> str:
        if isinstance(ev, GoldEvent):
            actors, recipients, trigger, date = ev.actors, ev.recipients, ev.trigger, ev.date
        else:
            actors, recipients = (sorted(s) for s in match.dyad(ev, self.entities))
            trigger, date = (ev.trigger.start, ev.trigger.end), ev.date.value if ev.date else None
        sides = ",".join(actors) + ("->" + ",".join(recipients) if recipients else "")
        return f"{ev.type or 'untyped'} {sides or '?'} {self.show(trigger)}" + (f" date {date}" if date else "")

    def score_events(self) -> None:
        golds, preds, ents = self.gold.events, self.result.events, self.entities
        pairs = match.pair(len(golds), len(preds), lambda i, j: match.event_score(golds[i], preds[j], ents))
        self.count("events", golds, preds, pairs, self.show_event, self.show_event, group=lambda e: e.type or "untyped")
        dyads = match.pair(len(golds), len(preds), lambda i, j: match.dyad_score(golds[i], preds[j], ents))
        self.count("event dyads", golds, preds, dyads, self.show_event, self.show_event)
        self.attribute(
            "event dates",
            [(golds[i], preds[j]) for i, j in pairs.items()],
            lambda g: g.date,
            lambda p: p.date.value if p.date else None,
            lambda g, p: f"date of {self.show_event(g)}",
        )

    def score_quantities(self) -> None:
        golds, preds = self.gold.quantities, self.result.quantities

        def show_gold(q: GoldQuantity) -> str:
            return f"{q.value:g} {q.unit} {self.show(q.span)}"

        def show_pred(q: Quantity) -> str:
            return f"{q.value:g} {q.unit} {self.show((q.start, q.end))}"

        pairs = match.pair(len(golds), len(preds), lambda i, j: match.quantity_score(golds[i], preds[j]))
        self.count("quantities", golds, preds, pairs, show_gold, show_pred)

    def score_quotes(self, partners: dict[int, int]) -> None:
        golds, preds, ents = self.gold.quotes, self.result.quotes, self.entities
        gold_name = {self.result.entities[j].id: self.gold.entities[i].name for i, j in partners.items()}

        def show_gold(q: GoldQuote) -> str:
            return f"{q.speaker!r} {self.show(q.span)}"

        def show_pred(q: Quote) -> str:
            speaker = ents[q.speaker].name if q.speaker in ents else None
            return f"{speaker!r} {self.show(min(match.quote_spans(q)))}"

        spans = match.pair(len(golds), len(preds), lambda i, j: match.quote_score(golds[i], preds[j]))
        self.count("quotes", golds, preds, spans, show_gold, show_pred)

        def with_speaker(i: int, j: int) -> float:
            if not match.speaker_matches(golds[i], preds[j], ents, gold_name.get):
                return 0
            return match.quote_score(golds[i], preds[j])

        pairs = match.pair(len(golds), len(preds), with_speaker)
        self.count("quotes with speaker", golds, preds, pairs, show_gold, show_pred)


def score_document(gold: GoldDoc, result: DocumentResult) -> dict[str, Tally]:
    """The tallies of every layer for one document."""
    return _DocScorer(gold, result).run()


def evaluate(golds: Sequence[GoldDoc], results: Iterable[DocumentResult]) -> Report:
    """The report over gold documents and their extraction results (in the same order)."""
    layers: dict[str, Tally] = defaultdict(Tally)
    for gold, result in zip(golds, results, strict=True):
        for name, tally in score_document(gold, result).items():
            layers[name].add(tally)
    return Report(documents=[g.file for g in golds], layers=dict(layers))
