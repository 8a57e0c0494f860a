"""What the pages and the API show, read from the store once for both: the home page's figures, a pair's
report (cached), an entity with its offices, events, quotes and company, a document with its records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException

from ..analysis import facts
from ..analysis.actors import role_spans
from ..analysis.cite import Library
from ..analysis.pair import UnknownSide, resolve_pair
from ..analysis.pairs import rank_pairs
from ..analysis.relationship import build_report, date_window
from ..report.model import Pair, Report, RoleSpan
from ..report.reading_model import PairRow
from ..store import browse
from ..store.merge import merge_pending
from ..store.queries import counts
from .access import Store
from .cache import ReportCache
from .filters import PairFilters, narrow

COUNTED = ("documents", "entities", "events", "quantities", "quotes")


@dataclass
class Overview:
    counts: dict[str, int]
    pairs: list[PairRow]
    recent: list[dict]
    unmerged: bool


def overview(store: Store, cache: ReportCache, recent: int = 10) -> Overview:
    """The corpus counts, every pair ranked as `detente pairs` ranks them, the latest documents."""

    def build() -> Overview:
        with store.reading() as con:
            every = counts(con)
            return Overview({k: every[k] for k in COUNTED}, rank_pairs(con), browse.recent_documents(con, recent),
                            merge_pending(con))  # fmt: skip

    return cache.get(("overview", recent), store.version(), build)


def pair_of(a: str, b: str) -> Pair:
    try:
        return resolve_pair(a, b)
    except UnknownSide as exc:
        raise HTTPException(404, str(exc)) from None


def check_filters(f: PairFilters) -> PairFilters:
    """`f` if its dates are dates; 400 with the reason otherwise."""
    try:
        date_window(f.window)
    except ValueError as exc:
        raise HTTPException(400, f"since/until: {exc}") from None
    return f


def pair_report(store: Store, cache: ReportCache, pair: Pair, f: PairFilters) -> tuple[Report, Report]:
    """The report of `pair` in `f`'s date window, and the same narrowed by `f`'s other filters."""
    version = store.version()
    codes = (pair.a.code, pair.b.code)

    def build() -> Report:
        with store.reading() as con:
            return build_report(con, pair, f.window)

    whole = cache.get(("report", codes, f.dates_only()), version, build)
    return whole, cache.get(("report", codes, f), version, lambda: narrow(whole, f))


@dataclass
class EntityView:
    entity: dict
    offices: list[RoleSpan]
    events: list[dict]
    quotes: list[dict]
    co_actors: list[dict]


def entity_view(store: Store, cache: ReportCache, entity_id: str) -> EntityView:
    """An entity with its offices, events, quotes and company (kept while the store stays as it was); 404 when
    the store has no such entity."""

    def build() -> EntityView:
        with store.reading() as con:
            found = browse.entity(con, entity_id)
            if found is None:
                raise HTTPException(404, f"no entity {entity_id!r} in the store")
            offices = role_spans(facts.roles_of(con, [entity_id]), Library(con))
            return EntityView(found, offices, browse.entity_events(con, entity_id),
                              browse.entity_quotes(con, entity_id), browse.co_actors(con, entity_id))  # fmt: skip

    return cache.get(("entity", entity_id), store.version(), build)


def document_view(store: Store, doc_id: str) -> dict[str, Any]:
    with store.reading() as con:
        found = browse.document(con, doc_id)
    if found is None:
        raise HTTPException(404, f"no document {doc_id!r} in the store")
    return found


def search(store: Store, text: str) -> dict[str, list[dict]]:
    if not text.strip():
        return {"entities": [], "documents": [], "events": []}
    with store.reading() as con:
        return browse.search(con, text)
