"""A document's facts laid over its text, layer by layer, for the document and paste pages.

Takes a document in the contract's shape (`detente extract`'s JSON, or `store.browse.document`) and cuts its
text at every start and end of a fact and of a section, so that each piece knows every fact covering it: the
page marks the piece once per layer (entities, events, figures, quotes, dates) and shades the sections
(credits, captions, …). The records come along keyed as the pieces name them, for the hover panel.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from .edits import mention, spec

LAYERS = ("entity", "event", "figure", "quote", "date")
LAYER_NAMES = {"entity": "entities", "event": "events", "figure": "figures", "quote": "quotes", "date": "dates"}


@dataclass
class Piece:
    text: str
    start: int
    layers: list[str] = field(default_factory=list)
    records: list[str] = field(default_factory=list)  # keys into the records, innermost (shortest span) first
    section: str | None = None


@dataclass
class Annotated:
    pieces: list[Piece]
    records: dict[str, dict]  # key → {"layer", "label", "fields"}
    counts: dict[str, int]  # facts per layer


def _name(entities: dict[str, dict], ident: str | None) -> str:
    return entities.get(ident, {}).get("name") or ident or "?"


def _names(entities: dict[str, dict], ids) -> str:
    return ", ".join(_name(entities, i) for i in ids or ()) or "—"


def _spans(doc: dict, editable: bool) -> tuple[list[tuple[int, int, str, str]], dict[str, dict]]:
    """Every fact's spans as (start, end, layer, key), and the records by key (an entity's and an event's with
    what the edit dialog needs, when `editable`)."""
    entities = {e["id"]: e for e in doc.get("entities", [])}
    spans, records = [], {}

    def add(layer: str, key: str, label: str, fields: dict, where, edit: dict | None = None) -> None:
        records[key] = {"layer": layer, "label": label, "fields": {k: v for k, v in fields.items() if v not in
                                                                      (None, [], "")}}  # fmt: skip
        if editable and edit:
            records[key]["edit"] = edit
        spans.extend((s, e, layer, key) for s, e in where if s is not None and e is not None and e > s)

    for e in doc.get("entities", []):
        roles = "; ".join(r["title"] for r in e.get("roles", []))
        side = f", {e['country']}" if e.get("country") else ""
        label = f"{e['name']} ({e['kind']}{side})"
        add("entity", f"entity:{e['id']}", label,
            {"id": e["id"], "kind": e["kind"], "country": e.get("country"), "roles": roles},
            [(m["start"], m["end"]) for m in e.get("mentions", [])], spec("entity", e["id"], label))  # fmt: skip
    for ev in doc.get("events", []):
        date = (ev.get("date") or {}).get("value")
        what = " ".join(x for x in (ev.get("type"), (ev.get("subtype") or "").replace("_", " ")) if x)
        flags = ", ".join(k for k in ("negated", "hypothetical") if ev.get(k))
        trigger = ev["trigger"]
        label = f"{what or 'event'}: {trigger['text']}{' — ' + date if date else ''}"
        ref = mention(doc["document"]["id"], trigger["start"], trigger["end"], ev.get("extracted_type"))
        add("event", f"event:{ev['id']}", label,
            {"id": ev["id"], "actors": _names(entities, ev.get("actors")),
             "recipients": _names(entities, ev.get("recipients")), "date": date, "location": ev.get("location") if
             isinstance(ev.get("location"), str) else (ev.get("location") or {}).get("name"),
             "confidence": ev.get("confidence"), "status": flags},
            [(trigger["start"], trigger["end"])],
            spec("event", ref, label, ev.get("type"), date, ev.get("actors") or (),
                 ev.get("recipients") or ()))  # fmt: skip
    for q in doc.get("quantities", []):
        label = " ".join(str(x) for x in (q.get("measure"), q["text"], q.get("period")) if x)
        add("figure", f"figure:{q['id']}", label,
            {"id": q["id"], "value": q.get("value"), "unit": q.get("unit"), "period": q.get("period"),
             "status": q.get("status"), "about": _names(entities, q.get("entities"))},
            [(q["start"], q["end"])])  # fmt: skip
    for u in doc.get("quotes", []):
        speaker = _name(entities, u["speaker"]) if u.get("speaker") else u.get("speaker_text") or "unattributed"
        add("quote", f"quote:{u['id']}", f"{speaker}: {u['text'][:80]}{'…' if len(u['text']) > 80 else ''}",
            {"id": u["id"], "speaker": speaker, "direct": u.get("direct"), "cue": u.get("cue")},
            [(p["start"], p["end"]) for p in u.get("parts") or [u]])  # fmt: skip
    for d in doc.get("dates", []):
        add(
            "date",
            f"date:{d['id']}",
            f"{d['text']} → {d.get('value') or 'unresolved'}",
            {"id": d["id"], "value": d.get("value"), "precision": d.get("precision")},
            [(d["start"], d["end"])],
        )
    return spans, records


def annotate(doc: dict, text: str, editable: bool = False) -> Annotated:
    """`text` cut into pieces with the facts of `doc` covering each, and its sections; `editable`: a stored
    document whose entities and events may be corrected."""
    n = len(text)
    spans, records = _spans(doc, editable)
    spans = [(max(0, s), min(n, e), layer, key) for s, e, layer, key in spans if s < n]
    sections = sorted((s["start"], s["end"], s["kind"]) for s in (doc.get("document") or {}).get("sections", []))
    cuts = sorted({0, n, *(s for s, *_ in spans), *(e for _, e, *_ in spans),
                   *(min(n, s) for s, *_ in sections), *(min(n, e) for _, e, _ in sections)})  # fmt: skip
    spans.sort()
    active: list[tuple[int, int, str, str]] = []  # heap by end
    pieces, i = [], 0
    for start, end in zip(cuts, cuts[1:], strict=False):
        while i < len(spans) and spans[i][0] <= start:
            s, e, layer, key = spans[i]
            heapq.heappush(active, (e, e - s, layer, key))
            i += 1
        while active and active[0][0] <= start:
            heapq.heappop(active)
        covering = sorted((length, layer, key) for _, length, layer, key in active)
        section = next((kind for s, e, kind in sections if s <= start < e), None)
        pieces.append(Piece(text[start:end], start, sorted({layer for _, layer, _ in covering}, key=LAYERS.index),
                            list(dict.fromkeys(key for *_, key in covering)), section))  # fmt: skip
    counts = {layer: sum(1 for r in records.values() if r["layer"] == layer) for layer in LAYERS}
    return Annotated(pieces, records, counts)
