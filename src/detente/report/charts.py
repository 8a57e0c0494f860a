"""The report's charts as inline SVG, drawn here in Python: deterministic, no script, no network.

Every label comes from stored facts (names from articles), so every string
goes through `el`, which escapes text and attribute values.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

from markupsafe import Markup, escape

from ..analysis.window import bounds
from ..textsafe import strip_bidi
from .fmt import direction, label
from .model import Actors, Count, Flow, Pair, TimelineEvent

LANES = ("a_to_b", "mutual", "b_to_a")  # "joint" events share the middle lane
COOPERATIVE = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}
COLORS = {"a_to_b": "#2f6db5", "b_to_a": "#c2571a", "mutual": "#5c8a3a", "joint": "#7d5ba6"}
TONE = {"cooperative": "#3a8a5c", "conflictual": "#c23a3a", "other": "#777"}
FONT = 'font-family="system-ui, sans-serif" font-size="12"'
LABEL_CHARS = 26
YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 250, 500, 1000, 10_000)


def el(tag: str, attrs: dict | None = None, *children) -> Markup:
    """One SVG element; `str` children and every attribute value are escaped, `Markup` children kept. Bidi
    controls are dropped: a label or tooltip mixes article text with dates and counts and cannot isolate it."""
    parts = "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(strip_bidi(_num(v)))}"'
                    for k, v in (attrs or {}).items())  # fmt: skip
    inner = "".join(c if isinstance(c, Markup) else str(escape(strip_bidi(c))) for c in children)
    return Markup(f"<{tag}{parts}>{inner}</{tag}>")


def _num(v) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)


def _svg(width: int, height: int, title: str, *children) -> Markup:
    head = Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" {FONT}>')
    return head + el("title", None, title) + Markup("").join(children) + Markup("</svg>")


def tone(type_: str | None) -> str:
    if type_ is None:
        return "other"
    return "cooperative" if type_ in COOPERATIVE else "conflictual"


def timeline_chart(events: list[TimelineEvent], anchors: list[str], pair: Pair) -> Markup | None:
    """Dated events on a time axis, one lane per direction, each dot linking to its row (`anchors`)."""
    dated = [(ev, anchor, bounds(ev.date)) for ev, anchor in zip(events, anchors, strict=True) if bounds(ev.date)]
    if not dated:
        return None
    width, height, left, right = 900, 190, 110, 20
    first = min(d[0] for _, _, d in dated)
    last = max(d[0] for _, _, d in dated)
    lo, hi = first.toordinal() - 15, max(last.toordinal(), first.toordinal() + 1) + 15

    def x(day) -> float:
        return left + (day.toordinal() - lo) / (hi - lo) * (width - left - right)

    lane_y = {"a_to_b": 40, "mutual": 90, "joint": 90, "b_to_a": 140}
    a, b = pair.a.name, pair.b.name
    parts = []
    for lane in LANES:
        y = lane_y[lane]
        parts.append(el("line", {"x1": left, "x2": width - right, "y1": y, "y2": y, "stroke": "#ddd"}))
        parts.append(
            el("text", {"x": left - 8, "y": y + 4, "text-anchor": "end"}, direction(lane, pair.a.code, pair.b.code))
        )
    step = next(s for s in YEAR_STEPS if (last.year - first.year + 1) / s <= 10)
    for year in range(math.ceil(first.year / step) * step, last.year + 2, step):
        xx = left + (dt.date(year, 1, 1).toordinal() - lo) / (hi - lo) * (width - left - right)
        if left <= xx <= width - right:
            parts.append(el("line", {"x1": xx, "x2": xx, "y1": 20, "y2": 160, "stroke": "#eee"}))
            parts.append(el("text", {"x": xx, "y": 178, "text-anchor": "middle", "fill": "#555"}, str(year)))
    taken: Counter = Counter()
    for ev, anchor, (day, _) in dated:
        xx = x(day)
        slot = (ev.direction if ev.direction != "joint" else "mutual", round(xx / 8))
        k = taken[slot] % 5  # dots on the same spot fan out above and below the lane: 0, -9, +9, -18, +18
        taken[slot] += 1
        y = lane_y[ev.direction] + (k + 1) // 2 * 9 * (-1 if k % 2 else 1)
        dot = el("circle", {"cx": xx, "cy": y, "r": 6, "fill": TONE[tone(ev.type)], "stroke": COLORS[ev.direction],
                            "stroke-width": 2}, el("title", None, ev.summary))  # fmt: skip
        parts.append(el("a", {"href": f"#{anchor}", "class": "dot"}, dot))
    return _svg(width, height, f"Timeline of events between {a} and {b}", *parts)


def diverging_bars(rows: list[tuple[str, int, int, int]], pair: Pair, title: str) -> Markup | None:
    """Per row: b→a growing left, a→b right, and the count of events both sides did together."""
    rows = [r for r in rows if r[1] or r[2] or r[3]]
    if not rows:
        return None
    width, row_h, mid, half = 900, 24, 470, 230
    scale = half / max(max(r[1], r[2]) for r in rows) if any(r[1] or r[2] for r in rows) else 0
    a, b = pair.a.name, pair.b.name
    height = 40 + row_h * len(rows)
    parts = [
        el("text", {"x": mid - 8, "y": 16, "text-anchor": "end", "fill": COLORS["b_to_a"]}, f"{b} → {a}"),
        el("text", {"x": mid + 8, "y": 16, "fill": COLORS["a_to_b"]}, f"{a} → {b}"),
        el(
            "text",
            {"x": width - 10, "y": 16, "text-anchor": "end", "fill": COLORS["mutual"]},
            "together" if any(r[3] for r in rows) else "",
        ),
        el("line", {"x1": mid, "x2": mid, "y1": 22, "y2": height - 8, "stroke": "#999"}),
    ]
    for i, (name, ab, ba, together) in enumerate(rows):
        y = 28 + i * row_h
        parts.append(el("text", {"x": 8, "y": y + 14}, name))
        if ba:
            w = ba * scale
            parts.append(el("rect", {"x": mid - w, "y": y, "width": w, "height": row_h - 6, "fill": COLORS["b_to_a"]},
                            el("title", None, f"{name}: {ba} from {b} to {a}")))  # fmt: skip
            parts.append(el("text", {"x": mid - w - 4, "y": y + 14, "text-anchor": "end"}, str(ba)))
        if ab:
            w = ab * scale
            parts.append(el("rect", {"x": mid, "y": y, "width": w, "height": row_h - 6, "fill": COLORS["a_to_b"]},
                            el("title", None, f"{name}: {ab} from {a} to {b}")))  # fmt: skip
            parts.append(el("text", {"x": mid + w + 4, "y": y + 14}, str(ab)))
        if together:
            parts.append(el("text", {"x": width - 10, "y": y + 14, "text-anchor": "end"}, str(together)))
    return _svg(width, height, title, *parts)


def type_bars(counts: list[Count], pair: Pair) -> Markup | None:
    by_type: dict[str, Counter] = {}
    for c in counts:
        by_type.setdefault(c.type or label(c.subtype) or "other", Counter())[c.direction] += c.count
    rows = [(t, n["a_to_b"], n["b_to_a"], n["mutual"] + n["joint"]) for t, n in sorted(by_type.items())]
    return diverging_bars(rows, pair, "Events by type and direction")


def flow_bars(flows: list[Flow], pair: Pair) -> Markup | None:
    return diverging_bars([(f.label, f.a_to_b, f.b_to_a, 0) for f in flows], pair, "What goes each way")


def year_bars(counts: list[Count], pair: Pair) -> Markup | None:
    """Events per year, stacked by direction."""
    years: dict[int, Counter] = {}
    for c in counts:
        if c.year is not None:
            years.setdefault(c.year, Counter())[c.direction] += c.count
    if not years:
        return None
    span = list(range(min(years), max(years) + 1))
    width, height, bottom = 900, 200, 170
    bar = min(60, (width - 60) / len(span))
    top = max(sum(n.values()) for n in years.values())
    parts = []
    for i, year in enumerate(span):
        xx = 40 + i * bar
        y = bottom
        for way in ("a_to_b", "mutual", "joint", "b_to_a"):
            n = years.get(year, Counter())[way]
            if n:
                h = n / top * 140
                y -= h
                tip = f"{year}: {n} {direction(way, pair.a.name, pair.b.name)}"
                parts.append(el("rect", {"x": xx + 2, "y": y, "width": bar - 4, "height": h, "fill": COLORS[way]},
                                el("title", None, tip)))  # fmt: skip
        if len(span) <= 30 or i % math.ceil(len(span) / 30) == 0:
            parts.append(el("text", {"x": xx + bar / 2, "y": bottom + 18, "text-anchor": "middle"}, str(year)))
    return _svg(width, height, "Events per year by direction", *parts)


def network_chart(actors: Actors, pair: Pair) -> Markup | None:
    """People and organizations of each side on an arc around their state; lines for shared events."""
    nodes = {f"state:{s.code}": (s.name, s.code, 0) for s in (pair.a, pair.b)}
    for x in actors.entities:
        nodes[x.entity.id] = (x.entity.name, x.entity.side, x.events * 3 + x.quotes * 2 + x.documents)
    links = [lk for lk in actors.links if lk.a in nodes and lk.b in nodes]
    if not actors.entities:
        return None
    width, height = 900, 420
    centers = {pair.a.code: (350, height / 2), pair.b.code: (550, height / 2)}
    pos = {f"state:{s.code}": centers[s.code] for s in (pair.a, pair.b)}
    for side, sign in ((pair.a.code, -1), (pair.b.code, 1)):
        mine = [x.entity.id for x in actors.entities if x.entity.side == side]
        cx, cy = centers[side]
        for i, eid in enumerate(mine):
            angle = math.radians(-70 + 140 * (i + 0.5) / len(mine))
            pos[eid] = (cx + sign * 170 * math.cos(angle), cy + 180 * math.sin(angle))
    parts = []
    for lk in links:
        (x1, y1), (x2, y2) = pos[lk.a], pos[lk.b]
        parts.append(el("line", {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "stroke": "#9aa",
                                 "stroke-width": 1 + math.log2(lk.events)},
                        el("title", None, f"{nodes[lk.a][0]} – {nodes[lk.b][0]}: {lk.events} events")))  # fmt: skip
    for eid, (name, side, weight) in nodes.items():
        x, y = pos[eid]
        color = COLORS["a_to_b"] if side == pair.a.code else COLORS["b_to_a"]
        state = eid.startswith("state:")
        r = 14 if state else 4 + min(10, math.sqrt(weight) * 1.5)
        anchor = "middle" if state else ("end" if side == pair.a.code else "start")
        dx = 0 if state else (-r - 4 if side == pair.a.code else r + 4)
        parts.append(el("circle", {"cx": x, "cy": y, "r": r, "fill": color, "opacity": 0.85},
                        el("title", None, name)))  # fmt: skip
        short = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
        parts.append(el("text", {"x": x + dx, "y": y + (r + 14 if state else 4), "text-anchor": anchor}, short))
    return _svg(width, height, f"Actors of {pair.a.name} and {pair.b.name}", *parts)
