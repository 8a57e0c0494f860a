"""The event trigger lexicon (data/events.yaml), loaded once.

A verb or noun lemma maps to entries; an entry says what the trigger codes
(PLOVER type, mode, subtype, direction, contexts) and when it counts (a
particle, an object or modifier lemma). `Variant`s refine an entry when a
word near the trigger says more ("sold missiles" is an arms transfer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data" / "events.yaml"
GROUP_HEADS = DATA.with_name("group_heads.yaml")
ARMS = "arms"  # in `objects`, `with` and `when`: the lexicon's arms words


@dataclass(frozen=True)
class Coding:
    """What a trigger codes."""

    type: str | None
    mode: str | None
    subtype: str | None
    direction: str
    context: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    when: frozenset[str]
    changes: dict


@dataclass(frozen=True)
class Entry:
    lemma: str
    pos: str  # "verb", "noun" or "adjective"
    coding: Coding
    particle: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()  # a verb counts only with a subject of these lemmas (or NORP: a people)
    with_: frozenset[str] = frozenset()  # a noun counts only with one of these modifiers
    with_not: frozenset[str] = frozenset()
    preps: tuple[str, ...] = ()
    complement: bool = False
    thing_object: bool = False
    needs_actor: bool = False
    variants: tuple[Variant, ...] = ()
    alternatives: frozenset[str] = frozenset()  # other types of entries with the same lemma and conditions

    @property
    def conditional(self) -> bool:
        return bool(self.particle or self.objects or self.subjects)

    @property
    def subtypes(self) -> frozenset[str]:
        """Every subtype the entry can code."""
        return frozenset(
            [self.coding.subtype, *(v.changes["subtype"] for v in self.variants if "subtype" in v.changes)]
        )

    def refine(self, words: set[str], is_arms) -> Coding:
        """The coding after the first variant whose words occur in `words`."""
        for v in self.variants:
            if (ARMS in v.when and any(is_arms(w) for w in words)) or (v.when & words):
                return replace(self.coding, **v.changes)
        return self.coding


@dataclass
class Lexicon:
    verbs: dict[str, list[Entry]] = field(default_factory=dict)
    nouns: dict[str, list[Entry]] = field(default_factory=dict)
    adjectives: dict[str, list[Entry]] = field(default_factory=dict)
    arms_words: frozenset[str] = frozenset()
    arms_pattern: re.Pattern | None = None
    speech_verbs: frozenset[str] = frozenset()
    hypothetical_governors: frozenset[str] = frozenset()
    hypothetical_modals: frozenset[str] = frozenset()
    future_auxes: frozenset[str] = frozenset()
    hypothetical_modifiers: frozenset[str] = frozenset()
    comparative_modifiers: frozenset[str] = frozenset()
    negating_governors: frozenset[str] = frozenset()
    negation_words: frozenset[str] = frozenset()
    state_bodies: frozenset[str] = frozenset()  # "the Turkish government": the state itself
    group_heads: frozenset[str] = frozenset()  # "Turkish troops": a group acting for the state
    vehicle_heads: frozenset[str] = frozenset()  # "Russian jets": a group only as a clause's subject
    partitive_heads: frozenset[str] = frozenset()
    reported_future: frozenset[str] = frozenset()
    obligation_modals: frozenset[str] = frozenset()
    count_words: frozenset[str] = frozenset()
    extent_heads: frozenset[str] = frozenset()
    frame_nouns: frozenset[str] = frozenset()
    patient_verbs: frozenset[str] = frozenset()
    place_targets: frozenset[str] = frozenset()
    place_actors: frozenset[str] = frozenset()
    place_nouns: frozenset[str] = frozenset()
    threat_types: frozenset[str] = frozenset()
    attendance_verbs: frozenset[str] = frozenset()
    other_time_marks: frozenset[str] = frozenset()
    routine_requests: frozenset[str] = frozenset()
    listing_verbs: frozenset[str] = frozenset()
    commentary_verbs: frozenset[str] = frozenset()
    naming_verbs: frozenset[str] = frozenset()
    stative_participles: frozenset[str] = frozenset()
    intent_governors: frozenset[str] = frozenset()
    warning_verbs: frozenset[str] = frozenset()
    action_nouns: frozenset[str] = frozenset()  # "the imposition of [sanctions]"
    undergoer_nouns: frozenset[str] = frozenset()  # "[Ivanov's] arrest": the possessor undergoes it
    relational_nouns: frozenset[str] = frozenset()  # "Chinese [rivals]" are not China
    topic_verbs: frozenset[str] = frozenset()  # "citing [threats]": the subject is no party
    gathering_verbs: frozenset[str] = frozenset()  # "converged for a [rally]": the subject takes part
    affiliation_words: frozenset[str] = frozenset()  # "workers [affiliated] with the union"
    pair_heads: frozenset[str] = frozenset()  # "both sides", "the two countries"
    pair_offices: frozenset[str] = frozenset()  # "the prime ministers" (plural, no other word)
    defaults: dict[tuple[str, str], Entry] = field(default_factory=dict)  # (type, pos): the most general entry

    def is_arms(self, word: str) -> bool:
        return word.lower() in self.arms_words or bool(self.arms_pattern and self.arms_pattern.match(word))


def _words(value) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset([value])
    if any(isinstance(v, bool) for v in value):
        raise ValueError(f"unquoted yes/no/on/off in the event lexicon: {value}")
    return frozenset(str(v).lower() for v in value)


PLOVER_TYPES = frozenset(
    {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
     "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
)  # fmt: skip
DIRECTIONS = frozenset({"directed", "symmetric", "visit", "host", "buy", "none"})
CODING_KEYS = frozenset({"type", "mode", "subtype", "direction", "context"})
ENTRY_KEYS = CODING_KEYS | {"lemmas", "particle", "objects", "subjects", "with", "with_not", "preps", "complement",
                            "object", "actor", "variants"}  # fmt: skip


def check_entry(raw: dict, where: str) -> None:
    """A `ValueError` naming the entry when it has a key or value the lexicon does not know."""
    if unknown := set(raw) - ENTRY_KEYS:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)} in {raw.get('lemmas')}")
    codings = [raw] + list(raw.get("variants") or ())
    for c in codings[1:]:
        if unknown := set(c) - CODING_KEYS - {"when"}:
            raise ValueError(f"{where}: unknown variant keys {sorted(unknown)} in {raw.get('lemmas')}")
    for c in codings:
        if c.get("type") is not None and c["type"] not in PLOVER_TYPES:
            raise ValueError(f"{where}: unknown PLOVER type {c['type']!r} in {raw.get('lemmas')}")
        if c.get("direction") is not None and c["direction"] not in DIRECTIONS:
            raise ValueError(f"{where}: unknown direction {c['direction']!r} in {raw.get('lemmas')}")
    if raw.get("actor") not in (None, "required"):
        raise ValueError(f"{where}: actor must be 'required', not {raw['actor']!r}")


def _entries(raw: dict, pos: str, default_preps: tuple[str, ...]):
    coding = Coding(
        raw.get("type"), raw.get("mode"), raw.get("subtype"), raw.get("direction", "directed"),
        tuple(raw.get("context") or ()),
    )  # fmt: skip
    variants = tuple(
        Variant(_words(v["when"]), {k: (tuple(x) if k == "context" else x) for k, x in v.items() if k != "when"})
        for v in raw.get("variants") or ()
    )
    for lemma in raw["lemmas"]:
        words = str(lemma).lower().split()
        # a multi-word noun ("state visit") is its head with the other words as required modifiers
        with_ = _words(raw.get("with")) | frozenset(words[:-1])
        yield Entry(
            lemma=words[-1],
            pos=pos,
            coding=coding,
            particle=_words(raw.get("particle")),
            objects=_words(raw.get("objects")),
            subjects=frozenset(str(w) if str(w) == "NORP" else str(w).lower() for w in raw.get("subjects") or ()),
            with_=with_,
            with_not=_words(raw.get("with_not")),
            preps=tuple(raw.get("preps") or default_preps),
            complement=bool(raw.get("complement")),
            thing_object=bool(raw.get("object")),
            needs_actor=raw.get("actor") == "required",
            variants=variants,
        )


def _conditions(e: Entry) -> tuple:
    return e.particle, e.objects, e.subjects, e.with_, e.with_not


def _homonyms(entries: list[Entry]) -> list[Entry]:
    """Entries of one lemma, those with the same conditions ("strike": a protest or an attack) made one entry
    that names the other types as `alternatives`: which one the text means is the event typer's to say."""
    out: list[Entry] = []
    for e in entries:
        first = next((i for i, o in enumerate(out) if _conditions(o) == _conditions(e)), None)
        if first is None:
            out.append(e)
        elif e.coding.type != out[first].coding.type:
            out[first] = replace(out[first], alternatives=out[first].alternatives | {e.coding.type})
    return out


def _yaml(path: str | Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@lru_cache(maxsize=1)
def load_lexicon(path: str = str(DATA)) -> Lexicon:
    data = _yaml(path) | _yaml(GROUP_HEADS)
    preps = tuple(data["recipient_preps"])
    lex = Lexicon(
        arms_words=_words(data["arms_words"]),
        arms_pattern=re.compile(data["arms_pattern"]),
        **{k: _words(data[k]) for k in (
            "speech_verbs", "hypothetical_governors", "hypothetical_modals", "future_auxes",
            "hypothetical_modifiers", "comparative_modifiers", "negating_governors", "negation_words",
            "state_bodies", "count_words", "group_heads", "vehicle_heads", "partitive_heads", "attendance_verbs",
            "listing_verbs", "reported_future", "obligation_modals", "extent_heads", "place_nouns", "frame_nouns",
            "patient_verbs", "commentary_verbs", "naming_verbs", "stative_participles", "intent_governors",
            "pair_heads", "pair_offices", "warning_verbs", "action_nouns", "undergoer_nouns", "relational_nouns",
            "topic_verbs", "gathering_verbs", "affiliation_words", "other_time_marks", "routine_requests",
        )},
        place_targets=frozenset(data["place_targets"]),
        place_actors=frozenset(data["place_actors"]),
        threat_types=frozenset(data["threat_types"]),
    )  # fmt: skip
    for type_, raw in data["type_defaults"].items():
        check_entry({**raw, "type": type_}, f"{path}: type_defaults")
        for pos in ("verb", "noun"):
            lex.defaults[type_, pos] = next(_entries({**raw, "type": type_, "lemmas": ["*"]}, pos, preps))
    for pos, table in (("verb", lex.verbs), ("noun", lex.nouns), ("adjective", lex.adjectives)):
        for raw in data[pos + "s"]:
            check_entry(raw, f"{path}: {pos}s")
            for e in _entries(raw, pos, preps):
                table.setdefault(e.lemma, []).append(e)
        for lemma, entries in table.items():
            entries.sort(key=lambda e: not (e.conditional or e.with_))
            table[lemma] = _homonyms(entries)
    return lex
