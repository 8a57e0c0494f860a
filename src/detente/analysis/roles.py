"""The roles people held, as stored: the one a document gives near a point, else the latest one known then."""

from __future__ import annotations

import datetime as dt

import duckdb

from . import facts
from .facts import RoleRow


class RoleIndex:
    """The roles of `entities`: the latest known on each date read at once, those of a document when first asked."""

    def __init__(self, con: duckdb.DuckDBPyConnection, entities):
        self._con = con
        self._latest: dict[str, list[RoleRow]] = {}
        for r in facts.latest_roles(con, entities):
            self._latest.setdefault(r.entity, []).append(r)
        self._here: dict[tuple[str, str], list[RoleRow]] = {}

    def at(self, entity: str, doc: str | None = None, offset: int = 0, day: dt.date | None = None) -> RoleRow | None:
        """The role `doc` gives `entity` nearest `offset`; else the latest from a document published by `day`."""
        if doc is not None and (entity, doc) not in self._here:
            self._here[entity, doc] = facts.roles_in(self._con, entity, doc)
        here = self._here.get((entity, doc))
        if here:
            return min(here, key=lambda r: (abs(r.start - offset), r.start))
        current = self._latest.get(entity, [])
        known = [r for r in current if r.published and (day is None or r.published <= day)] or current
        return max(known, key=lambda r: (r.published or dt.date.min, r.doc, r.start), default=None)
