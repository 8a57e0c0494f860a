"""The two sides of a report: names or codes ("India", "RUS", "the United States", "EU") to country codes."""

from __future__ import annotations

from ..kb import SIDES, KnowledgeBase, load_kb
from ..report.model import Pair, Side

EU = "EUR"


class UnknownSide(ValueError):
    """A name the knowledge base does not know as a state or the European Union."""


def side_code(text: str, kb: KnowledgeBase | None = None) -> str:
    """The country code `text` names: an ISO alpha-3 or alpha-2 code, a state's name, alias or demonym, or the EU."""
    kb = kb or load_kb(parts=SIDES)
    raw = text.strip()
    upper = raw.upper()
    if upper in kb.states or upper == EU:
        return upper
    code = kb.state_of_name(raw) or kb.state_of_demonym(raw)
    if code:
        return code
    if len(raw) == 2 and upper in kb.alpha3:
        return kb.alpha3[upper]
    org = kb.organization(raw)
    if org and org.country == EU and org.type == "igo":
        return EU
    raise UnknownSide(f"unknown state {text!r} (give a state's name or ISO code, or EU)")


def side_name(code: str, kb: KnowledgeBase | None = None) -> str:
    kb = kb or load_kb(parts=SIDES)
    if code == EU:
        return "European Union"
    state = kb.states.get(code)
    return state.name if state else code


def resolve_pair(a: str, b: str, kb: KnowledgeBase | None = None) -> Pair:
    """The pair of sides named `a` and `b`; UnknownSide when either is unknown or both are the same."""
    kb = kb or load_kb(parts=SIDES)
    ca, cb = side_code(a, kb), side_code(b, kb)
    if ca == cb:
        raise UnknownSide(f"{a!r} and {b!r} are the same side ({ca})")
    return Pair(Side(ca, side_name(ca, kb)), Side(cb, side_name(cb, kb)))
