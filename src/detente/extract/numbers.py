"""Numbers written in digits or words ("1,200.5", "twenty-five", "a dozen", "half a million").

`NUMBERS` holds the regex sources dates and quantities build their patterns
from; `parse_number` and `scale_of` turn the matched text into exact values.
The words are data (`data/numbers.yaml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def alternation(words) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching a space or a hyphen."""
    return "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class Numbers:
    words: dict[str, int]  # ones, tens and multipliers
    multipliers: frozenset[str]
    articles: dict[str, Decimal]
    scales: dict[str, Decimal]
    abbreviations: dict[str, Decimal]
    word: str  # regex source: a number in words
    number: str  # regex source: digits or words ("a"/"half a" only before a scale word)
    scale: str  # regex source: a scale word
    abbreviation: str  # regex source: an abbreviated scale


@lru_cache(maxsize=1)
def numbers() -> Numbers:
    with open(DATA / "numbers.yaml", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    ones, tens, mult = data["ones"], data["tens"], data["multipliers"]
    digit_words = [w for w, v in ones.items() if v < 10]
    simple = rf"(?:{alternation(tens)})(?:-(?:{alternation(digit_words)}))?|{alternation(ones)}"
    word = rf"(?:{simple}|an?)[\s-]+(?:{alternation(mult)})(?:[\s-]+(?:and[\s-]+)?(?:{simple}))?|{simple}"
    scales = {k: Decimal(str(v)) for k, v in data["scales"].items()}
    article = rf"(?:{alternation(data['articles'])})(?=[\s-]+(?:{alternation(scales)}|{alternation(mult)})\b)"
    return Numbers(
        words={**ones, **tens, **mult},
        multipliers=frozenset(mult),
        articles={k: Decimal(str(v)) for k, v in data["articles"].items()},
        scales=scales,
        abbreviations={k: Decimal(str(v)) for k, v in data["scale_abbreviations"].items()},
        word=rf"\b(?:{word})\b",
        number=rf"(?:{DIGITS}|\b(?:{word}|{article})\b)",
        scale=alternation(scales),
        abbreviation=alternation(data["scale_abbreviations"]),
    )


def parse_number(text: str) -> Decimal | None:
    """The value of a number in digits or words, or None."""
    t = text.strip().lower()
    if t[:1].isdigit():
        return Decimal(t.replace(",", ""))
    n = numbers()
    key = re.sub(r"[\s-]+", " ", t)
    if key in n.articles:
        return n.articles[key]
    total = 0
    seen = False
    for w in re.split(r"[\s-]+", t):
        if w in n.multipliers:
            total = (total or 1) * n.words[w]
        elif w in n.words:
            total += n.words[w]
        elif w in ("a", "an"):
            total += 1
        elif w != "and":
            return None
        seen = True
    return Decimal(total) if seen else None


def scale_of(word: str | None) -> Decimal:
    """The factor of a scale word or abbreviation ("billion", "bn"); 1 when there is none."""
    if not word:
        return Decimal(1)
    n = numbers()
    w = re.sub(r"[\s-]+", " ", word.lower())
    return n.scales.get(w) or n.abbreviations.get(w) or Decimal(1)
