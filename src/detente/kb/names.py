"""Near matches of people's names: misspellings and transliteration variants of officials the knowledge base knows.

"Francois Mitterand", "Laurent Gbago" and "Omar El Bashir" miss the exact lookup. Each known name is keyed by its
surname (the last word; with a particle before it also joined to it: "bashir" and "albashir"), and every key of five
letters or more is indexed under its one-letter deletions too (symmetric deletion), so finding the surnames one edit
away from a word costs a few dictionary probes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import KnowledgeBase

MIN_LETTERS = 5  # shorter surnames are matched exactly only


def one_edit_apart(a: str, b: str) -> bool:
    """Whether two words are equal or differ by one substitution, insertion or deletion ("Pederson", "Pedersen")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def deletions(word: str) -> set[str]:
    """The word and every form of it with one letter deleted."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def split_name(
    folded: str, particles: frozenset[str], affixes: frozenset[str] = frozenset()
) -> tuple[str | None, set[str]]:
    """(given name, surname keys) of a folded name. Initials and `affixes` (honorifics before it, generational
    suffixes after it: "Gen.", "Jr.") are neither; nor is a particle that opens it ("al-Bashir")."""
    words = [w for w in folded.split() if len(w) > 1]
    while len(words) > 1 and words[0] in affixes:
        words = words[1:]
    while len(words) > 1 and words[-1] in affixes:
        words = words[:-1]
    if not words or words[-1] in particles:
        return None, set()
    keys = {words[-1]}
    if len(words) > 1 and words[-2] in particles:
        keys.add(words[-2] + words[-1])
    given = words[0] if len(words) > 1 and words[0] not in particles and words[0] not in keys else None
    return given, keys


def _given_compatible(given: str, known: set[str]) -> bool:
    """Transliterations of one given name: one edit apart ("Sergei", "Sergey"; "Yevgeny", "Evgeny") or alike in
    three letters of four ("Mohammed", "Muhammad")."""
    return any(one_edit_apart(g, given) or SequenceMatcher(None, g, given).ratio() >= 0.75 for g in known)


@dataclass
class NameIndex:
    """Surname keys of the knowledge base's people, with the given names each person goes by."""

    particles: frozenset[str]
    affixes: frozenset[str]
    keys: dict[str, set[str]] = field(default_factory=dict)  # surname key -> person ids
    probes: dict[str, set[str]] = field(default_factory=dict)  # one-letter deletion of a key -> keys
    given: dict[str, set[str]] = field(default_factory=dict)  # person id -> given names

    @classmethod
    def build(
        cls, people: Iterable[tuple[str, list[str]]], particles: frozenset[str], affixes: frozenset[str]
    ) -> NameIndex:
        """The index of (person id, folded names, the full name first) pairs. An alias that ends the full name
        ("Johnson Smith" of "Kamina Johnson Smith") is all surname: its first word is no given name."""
        index = cls(particles, affixes)
        for pid, names in people:
            full = names[0].split()
            for name in names:
                given, keys = split_name(name, particles, affixes)
                words = name.split()
                if given and (name is names[0] or full[-len(words) :] != words):
                    index.given.setdefault(pid, set()).add(given)
                for key in keys:
                    if len(key) >= MIN_LETTERS:
                        index.keys.setdefault(key, set()).add(pid)
                        for probe in deletions(key):
                            index.probes.setdefault(probe, set()).add(key)
        return index

    def near(self, key: str) -> tuple[set[str], set[str]]:
        """(ids whose surname key is `key`, ids whose key is one edit away)."""
        exact = set(self.keys.get(key, ()))
        close = {
            pid
            for probe in deletions(key)
            for k in self.probes.get(probe, ())
            if k != key and one_edit_apart(k, key)
            for pid in self.keys[k]
        }
        return exact, close - exact

    def lookup(self, folded: str, in_office: Callable[[str], bool]) -> str | None:
        """The one person id a folded name stands for: the same surname, else (given a given name) one a single edit
        away; a given name must be a transliteration of the person's; among several, the one `in_office`."""
        given, keys = split_name(folded, self.particles, self.affixes)
        tiers = [self.near(k) for k in keys if len(k) >= MIN_LETTERS]
        exact, close = {p for t in tiers for p in t[0]}, {p for t in tiers for p in t[1]}
        for ids in (exact, close) if given else (exact,):
            if given:
                ids = {p for p in ids if _given_compatible(given, self.given.get(p, set()))}
            if len(ids) > 1:
                ids = {p for p in ids if in_office(p)} or ids
            if ids:
                return ids.pop() if len(ids) == 1 else None
        return None


CITY_POPULATION = 500_000  # smaller cities share their names with common words ("Delta", "Orange", "Mobile")
_LINKS = frozenset({"of", "in", "at"})


def country_in_org_name(kb: KnowledgeBase, name: str) -> str | None:
    """The state an organization's name places it in ("Baghdad University Medical School", "University of Nairobi"):
    a state or demonym anywhere in it ("Saudi Arabian Airlines"), else a region, capital or city that opens it or
    follows its last "of"/"in"/"at" whole. None when the name points at two states."""
    words = name.replace("-", " ").split()
    grams = {" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}
    states = {c for g in grams if g[:1].isupper() for c in (kb.state_of_name(g), kb.state_of_demonym(g)) if c}
    if states:
        return states.pop() if len(states) == 1 else None
    links = [i for i, w in enumerate(words) if w in _LINKS]
    spans = [words[links[-1] + 1 :]] if links else []
    spans += [words[:n] for n in (3, 2, 1) if n < len(words) and all(w[:1].isupper() for w in words[:n])]
    places = {kb.country_of_city(" ".join(s), CITY_POPULATION) for s in spans if s}
    places.discard(None)
    return places.pop() if len(places) == 1 else None
