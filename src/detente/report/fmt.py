"""Numbers and labels as a reader expects them, shared by the text and HTML renderings."""

from __future__ import annotations

SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
DIRECTION_LABELS = {"a_to_b": "{a} → {b}", "b_to_a": "{b} → {a}", "mutual": "{a} ↔ {b}", "joint": "{a} + {b} → other"}


def amount(value: float, unit: str, qualifier: str | None = None) -> str:
    """ "about 26 billion USD", "36 percent", "18 count" → "18"."""
    number = f"{value:,.10g}"
    for scale, word in SCALES:
        if abs(value) >= scale:
            number = f"{value / scale:,.4g} {word}"
            break
    text = number if unit == "count" else f"{number} {unit}"
    return f"{qualifier.replace('_', ' ')} {text}" if qualifier else text


def label(code: str | None) -> str:
    """A snake-case code as words: "arms_transfer" → "arms transfer"."""
    return (code or "").replace("_", " ")


def direction(way: str, a: str, b: str) -> str:
    return DIRECTION_LABELS[way].format(a=a, b=b)
