"""Dates: every date expression of the body text, resolved against the publication date.

A compiled grammar (one regex per form, words from `data/dates.yaml`) finds
absolute dates ("Aug. 9, 1971", "October 2018", "the 1980s"), relative ones
("last month", "on Monday", "two years later") and periods ("from 2014 to
2016", "the first half of 2024"). spaCy's DATE entities (or a preposition such
as "in") admit the ambiguous bare forms ("2019", "May"). Resolution is
calendar arithmetic against the publication date, or against the previous
resolved date ("two years later"); the governing verb's tense chooses between
the last and the next "June".
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import islice, takewhile
from pathlib import Path

import yaml
from spacy.tokens import Span, Token

from ..schema import DateRecord
from .base import Chunk, DocContext, extractor
from .numbers import alternation, numbers, parse_number

DATA = Path(__file__).parent / "data"
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
GRAIN = {3: "day", 2: "month", 1: "year"}
BLOCKING_ENTS = {"ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "FAC", "LAW"}
NO_ANCHOR = "relative date and no publication date"
NO_PREVIOUS = "relative to an earlier date and none resolved before it"
# Patterns led by a number ("two years later") are tried only before the word they end on.
END_WORDS = {"ago": r"\bago\b", "later": r"\b(?:later|earlier|after|before)\b"}
# Words a date of the grammar can begin with, beside months, weekdays, seasons and parts of a year.
LEADS = ("the", "this", "last", "next", "past", "coming", "previous", "following", "preceding", "same", "that",
         "earlier", "later", "today", "tonight", "yesterday", "tomorrow", "first")  # fmt: skip
BACK = {"last": -1, "past": -1, "this past": -1, "previous": -1, "preceding": -1}
AHEAD = {"next": 1, "coming": 1, "following": 1}
CONNECTOR = re.compile(r"\s*(to|until|till|through|thru|and|-|–|—)\s*", re.I)
OPENER = re.compile(r"\b(from|between)\s+$", re.I)

Parts = tuple[int, ...]


@dataclass(frozen=True)
class When:
    """A resolved date: its first and last (year, month, day) parts, as far as known."""

    lo: Parts
    hi: Parts
    precision: str
    approximate: bool = False
    partial: Parts | None = None  # (month[, day]) when the text gave no year

    @property
    def value(self) -> str:
        a, b = _fmt(self.lo), _fmt(self.hi)
        return a if a == b else f"{a}/{b}"


def _fmt(parts: Parts) -> str:
    return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])


def _point(parts: Parts, approximate: bool = False, partial: Parts | None = None) -> When:
    return When(parts, parts, GRAIN[len(parts)], approximate, partial)


def _interval(lo: Parts, hi: Parts, approximate: bool = False) -> When:
    return When(lo, hi, GRAIN[min(len(lo), len(hi))], approximate)


def _day(d: dt.date) -> Parts:
    return d.year, d.month, d.day


def _move(parts: Parts, n: int, unit: str) -> tuple[Parts, bool]:
    """`parts` moved by `n` units, at the unit's grain; False when the parts are too coarse for the unit."""
    unit = unit.lower().rstrip("s")
    if unit in ("day", "week"):
        if len(parts) < 3:
            return parts, n == 0
        d = dt.date(*parts) + dt.timedelta(days=n * (7 if unit == "week" else 1))
        return _day(d), True
    if unit == "month":
        if len(parts) < 2:
            return parts[:1], n == 0
        k = parts[0] * 12 + parts[1] - 1 + n
        return (k // 12, k % 12 + 1), True
    return (parts[0] + n * (10 if unit == "decade" else 1),), True


def _parse_value(record: DateRecord) -> When | None:
    if not record.value:
        return None
    ends = [tuple(int(p) for p in v.split("-")) for v in record.value.split("/")]
    return When(ends[0], ends[-1], record.precision or GRAIN[len(ends[0])], record.approximate)


@dataclass(frozen=True)
class Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    parts: dict[str, tuple[int, int]]
    seasons: dict[str, tuple[int, int]]
    approximate: re.Pattern
    time_of_day: frozenset[str]
    cue: re.Pattern
    bound: re.Pattern
    future_aux: frozenset[str]
    future_heads: frozenset[str]
    future_modifiers: frozenset[str]
    reschedule_verbs: frozenset[str]
    patterns: tuple[tuple[str, re.Pattern, re.Pattern | None], ...]  # kind, pattern, the word it ends on
    lead: re.Pattern  # where a pattern without an end word may begin


@lru_cache(maxsize=1)
def _lexicon() -> Lexicon:
    with open(DATA / "dates.yaml", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    months = data["months"]
    mon = rf"(?:{alternation(months)})\.?"
    full = rf"(?:{alternation(k for k in months if len(k) > 3 or k == 'may')})"
    wd = alternation(data["weekdays"])
    units = alternation(data["units"])
    n = rf"(?:{numbers().number}|an?)"
    yrel = r"(?P<yrel>this|last|next)\s+year"
    weekday = rf"(?:(?P<wd>{wd}),?\s+(?:the\s+)?)?"
    rel = r"(?:(?P<rel>this\s+past|last|this|next|past|coming)\s+)?"
    leads = [*LEADS, *months, *data["weekdays"], *data["seasons"], *(k.split()[0] for k in data["parts"])]
    sources = {
        "iso": rf"\b(?P<y>{YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)\b",
        "slash": rf"\b(?P<m>1[0-2]|0?[1-9])/(?P<d>[12]\d|3[01]|0?[1-9])/(?P<y>{YEAR})\b",
        "mdy": rf"\b{weekday}(?P<mon>{mon})\s+(?P<d>{DAY}),?\s+(?P<y>{YEAR})\b",
        "dmy": rf"\b{weekday}(?P<d>{DAY})\s+(?:of\s+)?(?P<mon>{mon}),?\s+(?P<y>{YEAR})\b",
        "my": rf"\b(?P<mon>{mon}),?\s+(?:of\s+)?(?P<y>{YEAR})\b",
        "md": rf"\b{weekday}(?P<mon>{mon})\s+(?P<d>{DAY})\b(?![.,:]?\d|%|-)",
        "dm": rf"\b{weekday}(?P<d>{DAY})\s+(?:of\s+)?(?P<mon>{full})\b",
        "month": rf"\b{rel}(?P<mon>{full})\b(?:,?\s+(?:of\s+)?{yrel}\b)?",
        "years": rf"\b(?P<y>{YEAR})\s*[-–—]\s*(?P<y2>{YEAR}|\d\d)\b(?![-–]\d)",
        "decade": r"(?:\bthe\s+)?(?:\b(?P<y>(?:1\d|20)\d0)|['’](?P<yy>\d0))['’]?s\b",
        "century": r"(?:\bthe\s+)?\b(?P<c>[12]?\d)(?:st|nd|rd|th)[\s-]+century\b",
        "part": rf"(?:\bthe\s+)?\b(?P<part>{alternation(data['parts'])})\s+(?:of\s+)?(?:(?P<y>{YEAR})|{yrel})\b",
        "months_of": rf"(?:\bthe\s+)?\bfirst\s+(?P<n>{n})\s+months\s+of\s+(?:(?P<y>{YEAR})|{yrel})\b",
        "season": rf"\b{rel}(?P<season>{alternation(data['seasons'])})(?:\s+(?:of\s+)?(?P<y>{YEAR}))?\b",
        "dayword": r"\b(?P<dw>today|tonight|yesterday|tomorrow)\b",
        "weekday": rf"\b{rel}(?P<wd>{wd})\b",
        "unit": r"\b(?:(?:earlier|later)\s+)?(?:(?P<the>the)\s+)?(?P<rel>this\s+past|last|this|next|past|coming|"
        r"previous|following|preceding|same|that)\s+(?P<unit>week|month|year|decade|weekend)\b",
        "units": rf"\b(?:(?P<the>the)\s+)?(?P<rel>past|last|previous|next|coming)\s+(?P<n>{n})\s+"
        r"(?P<unit>days|weeks|months|years|decades)\b",
        "ago": rf"\b(?P<n>{n})\s+(?P<unit>{units})\s+ago\b",
        "later": rf"\b(?P<n>{n})\s+(?P<unit>{units})\s+"
        r"(?:(?P<dir>later|earlier)\b|(?P<dir2>after|before)(?=\s*[,.;:)—–]))",
        "year": rf"(?<![\w$€£¥.,/])(?<!\d[-–])(?P<y>{YEAR})(?![\w%]|[.,]\d|[-–]\d|\s*percent)",
    }
    return Lexicon(
        months=months,
        weekdays=data["weekdays"],
        parts={re.sub(r"\s+", " ", k): tuple(v) for k, v in data["parts"].items()},
        seasons={k: tuple(v) for k, v in data["seasons"].items()},
        approximate=re.compile(rf"(?:\bthe\s+)?\b(?P<word>{alternation(data['approximate'])})[\s-]+$", re.I),
        time_of_day=frozenset(data["time_of_day"]),
        cue=re.compile(rf"\b(?:{alternation(data['cues'])})\s+(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?$|mid-$", re.I),
        bound=re.compile(rf"\b(?:{alternation(data['bounds'])})\s+$", re.I),
        future_aux=frozenset(data["future_auxiliaries"]),
        future_heads=frozenset(data["future_heads"]),
        future_modifiers=frozenset(data["future_modifiers"]),
        reschedule_verbs=frozenset(data["reschedule_verbs"]),
        patterns=tuple(
            (k, re.compile(v, re.I), re.compile(END_WORDS[k], re.I) if k in END_WORDS else None)
            for k, v in sources.items()
        ),
        lead=re.compile(rf"(?<!\w)(?:(?:{alternation(leads)})(?!\w)|\d)|['’]\d", re.I),
    )


@dataclass
class _Env:
    """What resolving one match needs: the anchors and the match's place in the parse."""

    doc_text: str
    span: Span | None
    start: int
    published: dt.date | None
    previous: When | None
    lex: Lexicon

    @cached_property
    def in_date_entity(self) -> bool:
        return self.span is not None and any(t.ent_type_ in ("DATE", "TIME") for t in self.span)

    @cached_property
    def cued(self) -> bool:
        return bool(self.lex.cue.search(self.doc_text[max(0, self.start - 25) : self.start]))

    @cached_property
    def verb(self) -> Token | None:
        """The verb the date hangs on."""
        if self.span is None:
            return None
        tok = self.span.root
        for _ in range(6):
            if tok.pos_ in ("VERB", "AUX"):
                return tok
            if tok.head == tok:
                return None
            if any(c.dep_ == "amod" and c.lower_ in self.lex.future_modifiers for c in tok.head.children):
                return tok.head  # "the planned visit in April": the modifier speaks for the noun
            tok = tok.head
        return None

    @cached_property
    def tense(self) -> str | None:
        """The verb's time: future, past, either ("would": a past moment's future) or None when it does not say."""
        verb = self.verb
        if verb is None or self.lex.bound.search(self.doc_text[max(0, self.start - 12) : self.start]):
            return None
        if verb.pos_ not in ("VERB", "AUX"):
            return "future"  # a noun with a future modifier ("the planned visit")
        for _ in range(3):
            aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
            if any(a.tag_ == "VBD" or a.lemma_ == "have" for a in aux) or verb.tag_ == "VBD":
                return "past"
            if any(a.lower_ == "would" for a in aux):
                return "either"
            if any(a.lower_ in self.lex.future_aux for a in aux):
                return "future"
            if verb.tag_ == "VBN" and not aux:
                return "past"
            if self._future_head(verb) or (verb.dep_ == "xcomp" and self._future_head(verb.head)):
                return "future"
            if verb.dep_ not in ("xcomp", "conj", "ccomp") or verb.head == verb:
                break
            verb = verb.head
        return None

    def _future_head(self, verb: Token) -> bool:
        """A verb that looks ahead ("plans", "hopes"), by its lemma or, where the small model's lemma
        is off ("hopes" -> "hop"), by its own form."""
        return verb.lemma_.lower() in self.lex.future_heads or verb.lower_.rstrip("s") in self.lex.future_heads

    @property
    def future(self) -> bool:
        return self.tense == "future"


Result = When | str | None  # a resolved date, the reason it cannot be resolved, or no date at all
Handler = Callable[[re.Match, _Env], Result]
CountedHandler = Callable[[re.Match, _Env, int], Result]  # also given the count N of "N units ago"


def _month_of(m: re.Match, lex: Lexicon) -> int:
    mon = m.groupdict().get("mon")
    return lex.months[mon.lower().rstrip(".")] if mon else int(m["m"])


def _day_of(m: re.Match) -> int:
    return int(re.match(r"\d+", m["d"])[0])


def _absolute(m: re.Match, env: _Env) -> Result:
    y, mon, d = int(m["y"]), _month_of(m, env.lex), _day_of(m)
    try:
        dt.date(y, mon, d)
    except ValueError:
        return None
    return _point((y, mon, d))


def _month_year(m: re.Match, env: _Env) -> Result:
    return _point((int(m["y"]), _month_of(m, env.lex))) if m["mon"][0].isupper() else None


def _relative_year(m: re.Match, env: _Env) -> int | str:
    if m.groupdict().get("y"):
        return int(m["y"])
    if env.published is None:
        return NO_ANCHOR
    return env.published.year + {"last": -1, "this": 0, "next": 1}[m["yrel"].lower()]


def _yearless(partial: Parts, env: _Env, rel: str | None = None, weekday: int | None = None) -> Result:
    """A month, or a month and day, placed in the year the publication date and the tense imply."""
    pub = env.published
    if pub is None:
        return NO_ANCHOR
    mon = partial[0]
    if len(partial) == 2:
        options = []
        for y in (pub.year - 1, pub.year, pub.year + 1):
            try:
                options.append(dt.date(y, mon, partial[1]))
            except ValueError:
                pass
        if weekday is not None:
            options = [o for o in options if o.weekday() == weekday]
        if env.tense == "future":
            options = [o for o in options if o >= pub]
        elif env.tense == "past":
            options = [o for o in options if o <= pub]
        if not options:
            return None
        return _point(_day(min(options, key=lambda o: abs((o - pub).days))), partial=partial)
    if rel in BACK:
        y = pub.year if mon < pub.month else pub.year - 1
    elif rel in AHEAD:
        y = pub.year if mon > pub.month else pub.year + 1
    elif rel == "this":
        y = pub.year
    elif env.future:
        y = pub.year if mon >= pub.month else pub.year + 1
    elif env.tense == "either":
        y = min((pub.year - 1, pub.year, pub.year + 1), key=lambda y: abs(y * 12 + mon - pub.year * 12 - pub.month))
    else:
        y = pub.year if mon <= pub.month else pub.year - 1
    return _point((y, mon), partial=partial)


def _month_day(m: re.Match, env: _Env) -> Result:
    if not m["mon"][0].isupper():
        return None
    mon, d = _month_of(m, env.lex), _day_of(m)
    if d > 31:
        return None
    wd = m["wd"] and env.lex.weekdays[m["wd"].lower()]
    return _yearless((mon, d), env, weekday=wd)


def _month(m: re.Match, env: _Env) -> Result:
    if not m["mon"][0].isupper() or not (m["rel"] or m["yrel"] or env.in_date_entity or env.cued):
        return None
    mon = _month_of(m, env.lex)
    if m["yrel"]:
        y = _relative_year(m, env)
        return y if isinstance(y, str) else _point((y, mon))
    return _yearless((mon,), env, _norm(m["rel"]))


def _norm(word: str | None) -> str | None:
    return re.sub(r"[\s-]+", " ", word.lower()) if word else None


def _years(m: re.Match, env: _Env) -> Result:
    a, b = int(m["y"]), m["y2"]
    end = int(b) if len(b) == 4 else a // 100 * 100 + int(b)
    return _interval((a,), (end,)) if a < end <= a + 100 else None


def _decade(m: re.Match, env: _Env) -> Result:
    if m["yy"]:
        y = int(m["yy"])
        y += 1900 if y >= 30 else 2000
    else:
        y = int(m["y"])
    width = 100 if y % 100 == 0 and y < 2000 else 10  # "the 1800s" is a century
    return When((y,), (y + width - 1,), "decade")


def _century(m: re.Match, env: _Env) -> Result:
    c = int(m["c"])
    return When(((c - 1) * 100,), ((c - 1) * 100 + 99,), "decade") if c >= 1 else None


def _part(m: re.Match, env: _Env) -> Result:
    y = _relative_year(m, env)
    if isinstance(y, str):
        return y
    if m.groupdict().get("part"):
        first, last = env.lex.parts[_norm(m["part"])]
    else:
        first, last = 1, int(parse_number(m["n"]) or 0)
        if not 1 <= last <= 12:
            return None
    return _interval((y, first), (y, last))


def _season(m: re.Match, env: _Env) -> Result:
    first, last = env.lex.seasons[m["season"].lower()]
    rel, pub = _norm(m["rel"]), env.published
    if m["y"]:
        y = int(m["y"])
    elif not rel:
        return None
    elif pub is None:
        return NO_ANCHOR
    elif rel in BACK:
        y = pub.year if first <= last < pub.month else pub.year - 1
    elif rel in AHEAD:
        y = pub.year if first > pub.month else pub.year + 1
    else:
        y = pub.year
    return _interval((y, first), (y + (last < first), last))


def _dayword(m: re.Match, env: _Env) -> Result:
    if env.published is None:
        return NO_ANCHOR
    shift = {"yesterday": -1, "tomorrow": 1}.get(m["dw"].lower(), 0)
    return _point(_day(env.published + dt.timedelta(days=shift)))


def _weekday(m: re.Match, env: _Env) -> Result:
    if not m["wd"][0].isupper():
        return None
    pub = env.published
    if pub is None:
        return NO_ANCHOR
    wd = env.lex.weekdays[m["wd"].lower()]
    back, ahead = (pub.weekday() - wd) % 7, (wd - pub.weekday()) % 7
    rel = _norm(m["rel"])
    if rel in BACK:
        shift = -(back or 7)
    elif rel in AHEAD:
        shift = ahead or 7
    elif env.tense == "either":  # "said it would send troops on Friday": the nearer Friday, either way
        shift = ahead if ahead < back else -back
    else:
        shift = ahead if env.future else -back
    return _point(_day(pub + dt.timedelta(days=shift)))


def _calendar_unit(pub: dt.date, n: int, unit: str) -> When:
    """The week, weekend, month, year or decade `n` units from the publication date's own."""
    if unit in ("week", "weekend"):
        first = pub - dt.timedelta(days=pub.weekday() - 7 * n - (5 if unit == "weekend" else 0))
        return _interval(_day(first), _day(first + dt.timedelta(days=1 if unit == "weekend" else 6)))
    if unit == "decade":
        return _window(pub, n, unit) if n else When((pub.year // 10 * 10,), (pub.year // 10 * 10 + 9,), "decade")
    return _point(_move(_day(pub), n, unit)[0])


def _window(pub: dt.date, n: int, unit: str) -> When:
    """The `n` units before (n < 0) or after the publication date, at the unit's grain."""
    here, _ = _move(_day(pub), 0, unit)
    there, _ = _move(_day(pub), n, unit)
    return _interval(there, here) if n < 0 else _interval(here, there)


def _relative_unit(m: re.Match, env: _Env) -> Result:
    rel, unit, the = _norm(m["rel"]), m["unit"].lower(), bool(m["the"])
    if rel in ("previous", "following", "preceding", "same", "that") or (the and rel == "next" and not env.future):
        if unit == "weekend":
            return None
        if env.previous is None:
            return NO_PREVIOUS
        step = {"same": 0, "that": 0}.get(rel, BACK.get(rel) or AHEAD.get(rel))
        parts, exact = _move(env.previous.lo, step, unit)
        return _point(parts, approximate=not exact)
    if env.published is None:
        return NO_ANCHOR
    if the and unit != "weekend" and rel in ("past", "last", "next", "coming"):
        return _window(env.published, BACK.get(rel) or AHEAD[rel], unit)
    return _calendar_unit(env.published, BACK.get(rel) or AHEAD.get(rel) or 0, unit)


def _count(m: re.Match) -> int | None:
    n = parse_number(m["n"])
    return int(n) if n is not None and n == int(n) and n > 0 else None


def _counted(anchor: str) -> Callable[[CountedHandler], Handler]:
    """A handler of "N units" counted from `anchor` ("published" or "previous"): called with N when N is a whole
    positive number and the anchor is known; no date otherwise, or the reason the anchor is missing."""
    missing = NO_ANCHOR if anchor == "published" else NO_PREVIOUS

    def wrap(counted: CountedHandler) -> Handler:
        def handler(m: re.Match, env: _Env) -> Result:
            n = _count(m)
            if n is None:
                return None
            return missing if getattr(env, anchor) is None else counted(m, env, n)

        return handler

    return wrap


@_counted("published")
def _relative_units(m: re.Match, env: _Env, n: int) -> Result:
    rel = m["rel"].lower()
    return _window(env.published, n * (BACK.get(rel) or AHEAD.get(rel)), m["unit"])


@_counted("published")
def _ago(m: re.Match, env: _Env, n: int) -> Result:
    return _point(_move(_day(env.published), -n, m["unit"])[0])


@_counted("previous")
def _later(m: re.Match, env: _Env, n: int) -> Result:
    earlier = (m["dir"] or m["dir2"]).lower() in ("earlier", "before")
    parts, exact = _move(env.previous.lo if earlier else env.previous.hi, -n if earlier else n, m["unit"])
    return _point(parts, approximate=not exact)


def _year(m: re.Match, env: _Env) -> Result:
    if env.span is not None and env.span.root.dep_ == "nummod" and env.span.root.head.tag_ == "NNS":
        return None  # "2000 troops"
    return _point((int(m["y"]),)) if env.in_date_entity or env.cued else None


HANDLERS: dict[str, Handler] = {
    "iso": _absolute, "slash": _absolute, "mdy": _absolute, "dmy": _absolute, "my": _month_year,
    "md": _month_day, "dm": _month_day, "month": _month, "years": _years, "decade": _decade,
    "century": _century, "part": _part, "months_of": _part, "season": _season, "dayword": _dayword,
    "weekday": _weekday, "unit": _relative_unit, "units": _relative_units, "ago": _ago, "later": _later,
    "year": _year,
}  # fmt: skip


def _matches(text: str, lex: Lexicon) -> list[tuple[str, re.Match]]:
    """Every grammar match, the longest winning where they overlap, in text order."""
    found = []
    led = [(kind, pattern) for kind, pattern, end_word in lex.patterns if end_word is None]
    for lead in lex.lead.finditer(text):  # scanning for the few words a date begins with is much faster
        for kind, pattern in led:
            m = pattern.match(text, lead.start())
            if m:
                found.append((kind, m))
    for kind, pattern, end_word in lex.patterns:
        if end_word is None:
            continue
        for a in end_word.finditer(text):
            m = next((m for m in pattern.finditer(text, max(0, a.start() - 40), a.end()) if m.end() == a.end()), None)
            if m:
                found.append((kind, m))
    found.sort(key=lambda km: (km[1].start() - km[1].end(), km[1].start()))
    taken: list[tuple[int, int]] = []
    chosen = []
    for kind, m in found:
        s, e = m.span()
        i = bisect.bisect_left(taken, (s, e))
        if (i and taken[i - 1][1] > s) or (i < len(taken) and taken[i][0] < e):
            continue
        taken.insert(i, (s, e))
        chosen.append((kind, m))
    chosen.sort(key=lambda km: km[1].start())
    return chosen


def _widen(text: str, start: int, when: When | str, lex: Lexicon) -> tuple[int, bool]:
    """The start of the date with its approximating words ("late", "around") and whether there were any."""
    found = lex.approximate.search(text[max(0, start - 30) : start])
    if not found:
        return start, False
    if isinstance(when, When) and when.precision == "day" and found["word"].lower() in lex.time_of_day:
        return start, False
    return start - len(found[0]), True


def _join(text: str, a: tuple[int, int, When], b: tuple[int, int, When]) -> tuple[int, When] | None:
    """("from"/"between") A to/and B as one interval: its start and value, or None when they are not one."""
    (sa, ea, wa), (sb, _, wb) = a, b
    link = CONNECTOR.fullmatch(text[ea:sb])
    opener = OPENER.search(text[max(0, sa - 10) : sa])
    if not link or (link[1].lower() == "and" and not (opener and opener[1].lower() == "between")):
        return None
    if wa.partial:
        wa = _in_year(wa.partial, wb.hi)
        if wa is None:
            return None
    k = min(len(wa.lo), len(wb.hi))
    if wa.lo[:k] > wb.hi[:k]:
        return None
    start = sa - len(opener[0]) if opener else sa
    return start, _interval(wa.lo, wb.hi, wa.approximate or wb.approximate)


def _in_year(partial: Parts, end: Parts) -> When | None:
    """A yearless start ("from January") placed in the year of the interval's end, or the year before."""
    y = end[0] - (len(end) > 1 and partial > end[1 : 1 + len(partial)])
    try:
        dt.date(y, partial[0], partial[1] if len(partial) > 1 else 1)
    except ValueError:
        return None
    return _point((y, *partial))


def _record(text: str, offset: int, start: int, end: int, result: When | str, approximate: bool) -> DateRecord:
    if isinstance(result, str):
        return DateRecord("", text[start:end], offset + start, offset + end, None, None, approximate, {"value": result})
    approximate = approximate or result.approximate
    return DateRecord("", text[start:end], offset + start, offset + end, result.value, result.precision, approximate)


def chunk_text(chunk: Chunk, ctx: DocContext) -> str:
    """The chunk's text, cut from the document's (spaCy's `Doc.text` joins every token on each call)."""
    doc = chunk.doc
    length = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    return ctx.text[chunk.offset : chunk.offset + length]


@extractor(assigns=("dates",))
def extract_dates(chunk: Chunk, ctx: DocContext) -> None:
    """Append the date records of one chunk to the context, in text order."""
    lex = _lexicon()
    doc = chunk.doc
    text = chunk_text(chunk, ctx)
    previous = next((w for w in map(_parse_value, reversed(ctx.dates)) if w), None)
    last: tuple[int, int, When] | None = None
    for kind, m in _matches(text, lex):
        s, e = m.span()
        span = doc.char_span(s, e, alignment_mode="expand")
        if ctx.in_noise(chunk.offset + s, chunk.offset + e) or (
            span is not None and any(t.ent_type_ in BLOCKING_ENTS for t in span)
        ):
            continue
        env = _Env(text, span, s, ctx.published, previous, lex)
        result = HANDLERS[kind](m, env)
        if result is None:
            continue
        s, approximate = _widen(text, s, result, lex)
        if isinstance(result, When):
            result = replace(result, approximate=result.approximate or approximate)
            moved = env.verb is not None and env.verb.lemma_.lower() in lex.reschedule_verbs
            joined = _join(text, last, (s, e, result)) if last and not moved else None
            if joined:
                ctx.dates.pop()
                s, result = joined
            last, previous = (s, e, result), result
        else:
            last = None
        ctx.dates.append(_record(text, chunk.offset, s, e, result, approximate))


def date_at(
    ctx: DocContext,
    start: int,
    end: int,
    near: int | None = None,
    where: Callable[[DateRecord], bool] | None = None,
) -> DateRecord | None:
    """The resolved date record inside `start:end` (and passing `where`) nearest to `near`, else the first."""
    i = bisect.bisect_left(ctx.dates, start, key=lambda d: d.start)
    inside = [
        d
        for d in takewhile(lambda d: d.start < end, islice(ctx.dates, i, None))
        if d.end <= end and d.value and (where is None or where(d))
    ]
    if not inside:
        return None
    if near is None:
        return inside[0]
    return min(inside, key=lambda d: min(abs(d.start - near), abs(d.end - near)))
