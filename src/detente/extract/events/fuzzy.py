"""A fallback for misspelt state names and demonyms ("Ethopia", "Quatar's emir"), for event arguments only.

A word of six letters or more that no mention covers and no exact lookup knows stands for a state when it is one
edit (insertion, deletion, substitution) away from exactly one state's name or demonym. The index holds every
one-letter deletion of each name (symmetric deletion), so a lookup costs a few dictionary probes.
"""

from __future__ import annotations

from ...kb import KnowledgeBase, fold
from ...kb.names import deletions, one_edit_apart

MIN_LETTERS = 6
_INDEXES: dict[int, tuple[KnowledgeBase, dict[str, set[str]]]] = {}


def _index(kb: KnowledgeBase) -> dict[str, set[str]]:
    cached = _INDEXES.get(id(kb))
    if cached is not None and cached[0] is kb:
        return cached[1]
    index: dict[str, set[str]] = {}
    for table in (kb.state_names, kb.demonyms):
        for name, code in table.items():
            if " " not in name and len(name) >= MIN_LETTERS - 1:
                for v in deletions(name):
                    index.setdefault(v, set()).add(code)
    _INDEXES[id(kb)] = (kb, index)
    return index


def fuzzy_state(kb: KnowledgeBase, word: str) -> str | None:
    """The state a misspelt name or demonym stands for, when exactly one is one edit away."""
    key = fold(word)
    if len(key) < MIN_LETTERS or not key.isalpha() or kb.state_of_name(key) or kb.state_of_demonym(key):
        return None
    index = _index(kb)
    codes = {c for v in deletions(key) for c in index.get(v, ())}
    if len(codes) != 1:
        return None
    code = codes.pop()
    names = [n for t in (kb.state_names, kb.demonyms) for n, c in t.items() if c == code]
    return code if any(key != n and one_edit_apart(key, n) for n in names) else None
